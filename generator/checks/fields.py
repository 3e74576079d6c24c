"""Schema check: the record's data against the pydantic models, every error in plain Chinese.

pydantic reports every problem of a record at once; each is mapped to a code
and a Chinese message (generator.schema.messages) and located at its line.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from pydantic import ValidationError

from generator.errors import Problem
from generator.load.yaml_reader import Loc, SourceDocument
from generator.schema.messages import translate
from generator.schema.record import Record
from generator.text.suggest import did_you_mean

# A file with thousands of wrong fields is one mistake repeated (a pasted table, a
# wrong indent): list the first ones; suggestions for all would take seconds.
MAX_SCHEMA_PROBLEMS = 50

# pydantic's names for the branches of a metric's `number | {value, qualifier}` union.
_UNION_TAGS = {"float", "QualifiedValue", "constrained-float"}


def _model_fields_at(loc: tuple[Any, ...]) -> list[str]:
    """Field names allowed at loc (for extra_forbidden suggestions)."""
    model: Any = Record
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = getattr(model, "model_fields", {}).get(part)
        if field is None:
            return []
        annotation = field.annotation
        for candidate in getattr(annotation, "__args__", ()) + (annotation,):
            inner = getattr(candidate, "__args__", (candidate,))
            found = next((c for c in (candidate, *inner) if hasattr(c, "model_fields")), None)
            if found is not None:
                model = found
                break
        else:
            return []
    return list(getattr(model, "model_fields", {}))


def _is_union_tag(loc: tuple[Any, ...], index: int) -> bool:
    """pydantic names the union branch right after the metric's key: ('metrics', key, 'float', …).

    Only that position is a tag: elsewhere `float` or `QualifiedValue` is a key the editor typed.
    """
    return index == 2 and loc[0] == "metrics" and (loc[2] in _UNION_TAGS or str(loc[2]).startswith("function-"))


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    return tuple(part for index, part in enumerate(loc) if not _is_union_tag(loc, index))


def _pick_union_branch(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A metric is `number | {value, qualifier}`: report the branch the editor meant.

    pydantic reports every union branch; if the YAML value was a mapping the
    editor meant the {value, qualifier} form, otherwise the plain number.
    """
    grouped: dict[tuple[Any, ...], list[dict[str, Any]]] = defaultdict(list)
    plain = []
    for error in errors:
        loc = error["loc"]
        tags = [i for i in range(len(loc)) if _is_union_tag(loc, i)]
        if tags:
            grouped[loc[: tags[0]]].append(error)
        else:
            plain.append(error)
    for _, branch_errors in grouped.items():
        mapping = [e for e in branch_errors if e["loc"][2] == "QualifiedValue"]
        scalar = [e for e in branch_errors if e["loc"][2] != "QualifiedValue"]
        meant_mapping = any(e["type"] != "model_type" for e in mapping)
        if meant_mapping:
            plain.extend(e for e in mapping if e["type"] != "model_type")
        else:
            plain.extend(scalar[:1])
    return plain


def schema_problems(doc: SourceDocument) -> tuple[Record | None, list[Problem]]:
    try:
        return Record.model_validate(doc.data), []
    except ValidationError as exc:
        problems = []
        errors = _pick_union_branch(exc.errors())
        for error in errors[:MAX_SCHEMA_PROBLEMS]:
            loc = _clean_loc(error["loc"])
            hint = ""
            where: Loc = loc
            if error["type"] == "extra_forbidden":
                hint = did_you_mean(str(loc[-1]), _model_fields_at(loc))
                where = loc + ("__key__",)
            code, message = translate(error, loc, hint)
            problems.append(doc.problem(where, code, message))
        if len(errors) > MAX_SCHEMA_PROBLEMS:
            rest = len(errors) - MAX_SCHEMA_PROBLEMS
            first_unlisted = doc.problem(_clean_loc(errors[MAX_SCHEMA_PROBLEMS]["loc"]), "E200", "")
            problems.append(doc.problem(
                (), "E200", f"另有 {rest} 个字段问题未列出（从第 {first_unlisted.line} 行起）；请先改正以上问题，再运行 showcase check"
            ))
        return None, problems
