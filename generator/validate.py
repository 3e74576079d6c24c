"""The validate stage: schema, vocabulary, places and cross-record checks.

Every check returns Problems instead of raising, so one run reports every
problem in every file. Schema problems come from pydantic (mapped to Chinese
in generator.messages); the vocabulary lives in site_config.yml.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from pydantic import ValidationError

from generator.config import CatalogueConfig
from generator.divisions import DIVISIONS, suggest
from generator.errors import Problem, Severity
from generator.messages import translate
from generator.models import QualifiedValue, Record
from generator.yaml_source import Loc, SourceDocument

# A file with thousands of wrong fields is one mistake repeated (a pasted table, a
# wrong indent): list the first ones; suggestions for all would take seconds.
MAX_SCHEMA_PROBLEMS = 50

# Allowed keys per object, for a did-you-mean on misspelt field names.
_UNION_TAGS = {"float", "QualifiedValue", "constrained-float"}


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = suggest(word, list(choices))
    return f"；你是不是想写 {'、'.join(close)}？" if close else ""


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
                hint = _did_you_mean(str(loc[-1]), _model_fields_at(loc))
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


def vocabulary_problems(record: Record, doc: SourceDocument, config: CatalogueConfig) -> list[Problem]:
    problems: list[Problem] = []
    series = config.series_by_id.get(record.series)
    if series is None:
        problems.append(
            doc.problem(("series",), "E220", f"未知系列 {record.series}{_did_you_mean(record.series, config.series_by_id)}（系列在 site_config.yml 的 catalogue.series 中定义）")
        )
    elif series.numbered and record.number is None:
        problems.append(doc.problem(("series",), "E221", f"系列 {series.id} 是编号系列，需要填写 number（1–{series.size}）"))
    elif series.numbered and series.size and record.number is not None and record.number > series.size:
        problems.append(doc.problem(("number",), "E222", f"编号 {record.number} 超出系列 {series.id} 的范围 1–{series.size}"))
    elif not series.numbered and record.number is not None:
        problems.append(doc.problem(("number",), "E221", f"系列 {series.id} 不编号，请删掉 number"))

    # Suggestions cost a fuzzy match each: skip them for a record with thousands of entries (a paste gone wrong).
    few = len(record.themes) + len(record.mechanisms) + len(record.metrics) <= MAX_SCHEMA_PROBLEMS
    did_you_mean = _did_you_mean if few else (lambda word, choices: "")
    vocabulary = config.theme_of_tag
    for index, theme in enumerate(record.themes):
        if theme not in vocabulary:
            problems.append(doc.problem(("themes", index), "E223", f"未知主题 {theme}{did_you_mean(theme, vocabulary)}（主题在 site_config.yml 的 catalogue.themes 中定义）"))
    for index, mechanism in enumerate(record.mechanisms):
        if mechanism.theme and mechanism.theme not in vocabulary:
            problems.append(doc.problem(("mechanisms", index, "theme"), "E223", f"未知主题 {mechanism.theme}{did_you_mean(mechanism.theme, vocabulary)}"))

    for key, raw in record.metrics.items():
        definition = config.metric_by_key.get(key)
        if definition is None:
            problems.append(doc.problem(("metrics", key, "__key__"), "E224", f"未知指标 {key}{did_you_mean(key, config.metric_by_key)}（指标在 site_config.yml 的 catalogue.metrics 中定义）"))
            continue
        # A figure or a QualifiedValue (Record.metric would build one for every plain figure).
        qualified = isinstance(raw, QualifiedValue)
        value = raw.value if qualified else raw
        loc = ("metrics", key, "value") if qualified else ("metrics", key)
        if definition.type == "integer" and not float(value).is_integer():
            problems.append(doc.problem(loc, "E225", f"{definition.label}（{key}）应为整数，现在是 {value}"))
        low = definition.min if definition.min is not None else float("-inf")
        high = definition.max if definition.max is not None else float("inf")
        if not low <= value <= high:
            unit = definition.unit
            problems.append(doc.problem(loc, "E226", f"{definition.label}（{key}）应在 {_num(low)}–{_num(high)}{unit} 之间，现在是 {_num(value)}"))
    return problems


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def location_problems(record: Record, doc: SourceDocument) -> list[Problem]:
    """Province → city → district must exist and nest, checked against GB/T 2260."""
    location = record.location
    provinces = DIVISIONS.provinces
    if location.province not in provinces:
        full = DIVISIONS.province_short_names.get(location.province)
        hint = f"；请写全称 {full}" if full else _did_you_mean(location.province, provinces)
        return [doc.problem(("location", "province"), "E230", f"未知省份 {location.province}{hint}")]
    problems: list[Problem] = []
    if location.city is None:
        if location.district:
            problems.append(doc.problem(("location", "city"), "E231", "填写了区县就要填写城市（直辖市的城市填省级名称，如 北京市）"))
        return problems
    cities = DIVISIONS.cities_of(location.province)
    if location.city not in cities:
        problems.append(doc.problem(("location", "city"), "E231", f"{location.province} 没有 {location.city}{_did_you_mean(location.city, cities)}"))
        return problems
    if location.district is not None:
        counties = DIVISIONS.counties_of(location.province, location.city)
        if location.district not in counties:
            partial = DIVISIONS.counties_ending(location.district, location.province, location.city)
            hint = (
                f"；来源可能脱字，你是不是想写 {'、'.join(d.name for d in partial)}？"
                if partial
                else _did_you_mean(location.district, counties)
            )
            problems.append(doc.problem(("location", "district"), "E232", f"{location.city} 没有 {location.district}{hint}"))
    return problems


def image_problems(record: Record, doc: SourceDocument, docs_dir: Path) -> list[Problem]:
    """Image paths must stay inside content/ and point at a real file."""
    if not record.images:
        return []  # most records: skip resolving content/ (runs for every record on every check)
    problems = []
    root = docs_dir.resolve()
    for index, image in enumerate(record.images):
        target = (docs_dir / image.path).resolve()
        try:
            found = target.is_file()
        except OSError:  # e.g. a name longer than the file system allows
            found = False
        if ".." in Path(image.path).parts or image.path.startswith("/") or not target.is_relative_to(root):
            problems.append(doc.problem(("images", index, "path"), "E240", f"图片路径 {image.path} 跳出了 content/ 目录；请把图片放进 content/images/ 并写相对路径"))
        elif not found:
            problems.append(doc.problem(("images", index, "path"), "E241", f"找不到图片 content/{image.path}"))
    return problems


def cross_record_problems(items: list[tuple[SourceDocument, Record]]) -> list[Problem]:
    """Duplicates across files: slug, and number within a series."""
    problems: list[Problem] = []
    by_slug: dict[str, list[SourceDocument]] = defaultdict(list)
    by_number: dict[tuple[str, int], list[SourceDocument]] = defaultdict(list)
    for doc, record in items:
        by_slug[record.slug].append(doc)
        if record.number is not None:
            by_number[(record.series, record.number)].append(doc)
    for slug, docs in by_slug.items():
        if len(docs) > 1:
            for doc in docs:
                others = "、".join(d.path for d in docs if d is not doc)
                problems.append(doc.problem(("slug",), "E250", f"网址标识 {slug} 与 {others} 重复；每条记录的 slug 必须唯一"))
    for (series, number), docs in by_number.items():
        if len(docs) > 1:
            for doc in docs:
                others = "、".join(d.path for d in docs if d is not doc)
                problems.append(doc.problem(("number",), "E251", f"系列 {series} 的编号 {number} 与 {others} 重复"))
    return problems


def warning(doc: SourceDocument, loc: Loc, code: str, message: str) -> Problem:
    return doc.problem(loc, code, message, Severity.warning)
