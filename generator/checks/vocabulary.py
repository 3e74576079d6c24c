"""Vocabulary check: series, numbers, themes and metrics against site_config.yml's catalogue."""

from __future__ import annotations

from generator.errors import Problem, Severity
from generator.load.yaml_reader import SourceDocument
from generator.schema.record import QualifiedValue, Record
from generator.schema.site_config import SiteConfig
from generator.checks.fields import MAX_SCHEMA_PROBLEMS, refused
from generator.text.suggest import did_you_mean


def vocabulary_problems(record: Record, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    config = site.catalogue
    problems: list[Problem] = []
    series = config.series_by_id.get(record.series)
    if series is None:
        problems.append(
            doc.problem(("series",), "E220", f"未知系列 {record.series}{did_you_mean(record.series, config.series_by_id)}（系列在 site_config.yml 的 catalogue.series 中定义）")
        )
    elif series.numbered and record.number is None and not refused(doc, ("number",)):
        problems.append(doc.problem(("series",), "E221", f"系列 {series.id} 是编号系列，需要填写 number（1–{series.size}）"))
    elif series.numbered and series.size and record.number is not None and record.number > series.size:
        problems.append(doc.problem(("number",), "E222", f"编号 {record.number} 超出系列 {series.id} 的范围 1–{series.size}"))
    elif not series.numbered and record.number is not None:
        problems.append(doc.problem(("number",), "E221", f"系列 {series.id} 不编号，请删掉 number"))

    # Suggestions cost a fuzzy match each: skip them for a record with thousands of entries (a paste gone wrong).
    few = len(record.themes) + len(record.mechanisms) + len(record.metrics) <= MAX_SCHEMA_PROBLEMS
    suggest = did_you_mean if few else (lambda word, choices: "")
    vocabulary = config.theme_of_tag
    # A record's themes and its mechanisms' themes come from the same vocabulary: one message for both.
    for index, theme in enumerate(record.themes):
        if theme not in vocabulary:
            problems.append(doc.problem(("themes", index), "E223", _unknown_theme(theme, vocabulary, suggest)))
    for index, mechanism in enumerate(record.mechanisms):
        if mechanism.theme and mechanism.theme not in vocabulary:
            problems.append(doc.problem(("mechanisms", index, "theme"), "E223", _unknown_theme(mechanism.theme, vocabulary, suggest)))

    for key, raw in record.metrics.items():
        definition = config.metric_by_key.get(key)
        if definition is None:
            problems.append(doc.problem(("metrics", key, "__key__"), "E224", f"未知指标 {key}{suggest(key, config.metric_by_key)}（指标在 site_config.yml 的 catalogue.metrics 中定义）"))
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
        elif definition.type == "percent" and 0 < value < 1:
            # 0.98 is how a spreadsheet shows 98%: almost never a figure below one percent.
            problems.append(doc.problem(loc, "W227", f"{definition.label}（{key}）是百分数，现在写成了小数 {_num(value)}；应写 {_num(round(value * 100, 6))}（表示 {_num(round(value * 100, 6))}%）", Severity.warning))
    return problems


def _unknown_theme(theme: str, vocabulary: dict, suggest) -> str:
    return f"未知主题 {theme}{suggest(theme, vocabulary)}（主题在 site_config.yml 的 catalogue.themes 中定义）"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
