"""Schema check: the record's data against the pydantic models, every error in plain Chinese.

pydantic reports every problem of a record at once; each is mapped to a code
and a Chinese message (generator.schema.messages) and located at its line.
"""

from __future__ import annotations

import copy
from collections import defaultdict
from typing import Any, Mapping

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


def schema_problems(doc: SourceDocument, metric_labels: Mapping[str, str] | None = None) -> tuple[Record | None, list[Problem]]:
    """The record and no problems; or every schema problem in plain Chinese (metrics named by
    `metric_labels`) and the record without the refused parts (`recovered`), or None."""
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
            code, message = translate(error, loc, hint, metric_labels)
            problems.append(doc.problem(where, code, message))
        if len(errors) > MAX_SCHEMA_PROBLEMS:
            rest = len(errors) - MAX_SCHEMA_PROBLEMS
            first_unlisted = doc.problem(_clean_loc(errors[MAX_SCHEMA_PROBLEMS]["loc"]), "E200", "")
            problems.append(doc.problem(
                (), "E200", f"另有 {rest} 个字段问题未列出（从第 {first_unlisted.line} 行起）；请先改正以上问题，再运行 showcase check"
            ))
            return None, problems  # a paste gone wrong: the later checks would only add noise
        return recovered(doc.data, errors), problems


def refused(doc: SourceDocument, loc: tuple[Any, ...]) -> bool:
    """Whether the file has a value at loc: when the record has none there, the schema refused it
    (and said so), and a later check must not report the field missing as well."""
    value: Any = doc.data
    for part in loc:
        if not isinstance(value, dict) or part not in value:
            return False
        value = value[part]
    return True


# How often a repaired copy is validated again: each round drops the fields the last one refused.
_RECOVERY_ROUNDS = 4


def recovered(data: Any, errors: list[dict[str, Any]]) -> Record | None:
    """The record without the parts the schema refused, so the later checks still run and one
    run lists every problem of the file; None when that is not possible.

    A refused value goes with the nearest mapping key above it that can go: an
    optional field then takes its default (a wrong `status` becomes the default
    draft), a metric is left out, a list whose item is broken is left out as a
    whole (removing one item would shift the positions of the rest). Only keys
    are removed, so every remaining value keeps its place and its line. A
    required field that cannot go (a wrong `kind`, a missing `name`) ends the
    attempt: the problems found so far are all the file reports.
    """
    if not isinstance(data, dict):
        return None
    repaired = copy.deepcopy(data)
    for _ in range(_RECOVERY_ROUNDS):
        for error in errors:
            if not _drop(repaired, _clean_loc(error["loc"]), present=error["type"] != "missing"):
                return None
        try:
            return Record.model_validate(repaired)
        except ValidationError as exc:
            errors = _pick_union_branch(exc.errors())
    return None


def _drop(data: dict, loc: tuple[Any, ...], present: bool) -> bool:
    """Remove the deepest key on loc's path that is there to remove (a missing field is not)."""
    for depth in range(len(loc) - (0 if present else 1), 0, -1):
        key = loc[depth - 1]
        if not isinstance(key, str) or key == "[key]":
            continue
        container: Any = data
        for part in loc[: depth - 1]:
            try:
                container = container[part]
            except (KeyError, IndexError, TypeError):
                container = None
                break
        if isinstance(container, dict) and key in container:
            if depth == 1 and key in _REQUIRED_TOP_LEVEL:
                return False
            del container[key]
            return True
    return False


_REQUIRED_TOP_LEVEL = {name for name, field in Record.model_fields.items() if field.is_required()}
