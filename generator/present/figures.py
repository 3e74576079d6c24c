"""How a figure reads, on every page and in every channel: "95%以上", "超过1000户", "1.2万".

A figure is shown exactly as the source states it — number, unit and
qualifier — so the site, WeChat, the magazine and the data agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.schema.record import SUFFIX_QUALIFIERS, QualifiedValue, Qualifier, Record
from generator.schema.site_config import CatalogueConfig, MetricDefinition


@dataclass(frozen=True)
class Figure:
    key: str
    label: str  # 业主满意度
    text: str  # as the source states it: 95%以上
    note: str | None


def format_number(value: float) -> str:
    """1439 → '1439', 228394.93 → '228394.93', 95.0 → '95' (as printed in the source)."""
    if type(value) is int:  # most figures: what str() gives, without the float round trip
        return str(value)
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.6f}".rstrip("0").rstrip(".")


def format_metric(value: QualifiedValue, definition: MetricDefinition) -> str:
    """A figure as the source states it: '95%以上', '超过1000户'; 约12万平方米 stays '约120000平方米'."""
    number = format_number(value.value) + definition.unit
    if value.qualifier is None:
        return number
    text, after = _QUALIFIERS[id(value.qualifier)]
    return number + text if after else text + number


# Qualifier → (its text, whether it follows the number), by the member's identity: an Enum's
# `.value` and its hash are Python-level calls, which made them most of format_metric's time
# (a record page formats about ten figures). Members are singletons, so id() names each.
_QUALIFIERS = {id(q): (q.value, q in SUFFIX_QUALIFIERS) for q in Qualifier}


_LONG_NUMBER = re.compile(r"(?<![\d.])\d{5,}")


def grouped(text: str) -> str:
    """Thousands separators in the numbers of five digits or more: "228394.93平方米" → "228,394.93平方米".

    How the website shows figures (cards, record pages, the catalogue table), so a
    six-digit area reads at a glance; four-digit numbers (1439户, years) stay as they are,
    and the exports keep the figure exactly as the source printed it.
    """
    if _LONG_NUMBER.search(text) is None:  # most figures: no sub() call and no new string
        return text
    return _LONG_NUMBER.sub(lambda match: f"{int(match.group()):,}", text)


def grouped_figures(shown: tuple[Figure, ...]) -> tuple[Figure, ...]:
    """The figures as the website shows them (`grouped`); a figure without a long number is kept as it is."""
    return tuple(f if (text := grouped(f.text)) is f.text else Figure(f.key, f.label, text, f.note) for f in shown)


def number_label(number: int) -> str:
    """第 47 号: how the publication names an entry of a numbered series (never "No. 47")."""
    return f"第 {number} 号"


def format_count(value: float) -> str:
    """12345 → '1.2万', 980 → '980': how Chinese readers expect large counts."""
    if value >= 100_000_000:
        return f"{value / 100_000_000:.1f}".rstrip("0").rstrip(".") + "亿"
    if value >= 10_000:
        return f"{value / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
    return format_number(value)


def figures(record: Record, config: CatalogueConfig, keys: tuple[str, ...] | None = None) -> tuple[Figure, ...]:
    """The record's figures in site_config order (the order editors defined the metrics), or of `keys`."""
    stated = record.metrics
    if not stated:
        return ()
    definitions = config.metrics
    if keys is not None:
        definitions = [config.metric_by_key[k] for k in keys if k in config.metric_by_key]
    shown = []
    for definition in definitions:
        value = stated.get(definition.key)  # most records state a few of the metrics: skip the rest cheaply
        if value is None:
            continue
        if isinstance(value, QualifiedValue):
            shown.append(Figure(definition.key, definition.label, format_metric(value, definition), value.note))
        else:
            # A plain number: what format_metric makes of record.metric()'s QualifiedValue(value=…) (float(), as
            # its validation does; no qualifier, no note), without building and validating that model: at
            # 10,000 records the numbers outgrow record.metric's cache and this was most of a record view's time.
            shown.append(Figure(definition.key, definition.label, format_number(float(value)) + definition.unit, None))
    return tuple(shown)


def table_cell(record: Record, definition: MetricDefinition) -> tuple[str, str]:
    """(shown text, sort value) for a table cell whose heading carries the unit; percentages keep
    theirs, because "95%以上" reads better than "95以上"."""
    value = record.metric(definition.key)
    if value is None:
        return "—", ""
    text = format_metric(value, definition)
    if definition.type != "percent":
        text = text.replace(definition.unit, "", 1)
    return text, format_number(value.value)
