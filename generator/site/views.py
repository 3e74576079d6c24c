"""Plain view objects the templates read: the model stage's facts, shaped for display.

Every function here is pure — a function of one record and the catalogue —
so a record's page can be cached by the hash of its inputs and rendered in
any order or process.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.catalogue import Catalogue, Entry, format_metric, format_number, province_short
from generator.config import MetricDefinition, Theme
from generator.models import Status
from generator.site import urls

# The catalogue table's figure columns, in order: (metric key, column heading).
TABLE_METRICS = (
    ("households", "户数"),
    ("building_area", "建筑面积（平方米）"),
    ("owner_satisfaction", "满意度"),
    ("fee_collection_rate", "收缴率"),
)

# Figures a record card shows under its name, when the record has them.
CARD_METRICS = ("households", "owner_satisfaction")


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    text: str  # as the source states it: "95%以上"
    note: str | None


@dataclass(frozen=True)
class Card:
    """A record as it appears in lists: province, theme, series and related pages."""

    url: str
    number: int | None
    name: str
    headline: str
    place: str
    figures: tuple[Figure, ...]
    draft: bool


@dataclass(frozen=True)
class TagLink:
    name: str  # the record's own tag, e.g. 红色物业
    theme: Theme  # the top-level theme it belongs to


def is_draft(entry: Entry) -> bool:
    return entry.record.status is Status.draft


def figures(entry: Entry, catalogue: Catalogue, keys: tuple[str, ...] | None = None) -> tuple[Figure, ...]:
    """The record's figures in site_config order (the order editors defined the metrics)."""
    definitions = catalogue.config.metrics
    if keys is not None:
        definitions = [catalogue.config.metric_by_key[k] for k in keys if k in catalogue.config.metric_by_key]
    shown = []
    for definition in definitions:
        value = entry.record.metric(definition.key)
        if value is not None:
            shown.append(Figure(definition.key, definition.label, format_metric(value, definition), value.note))
    return tuple(shown)


def place(entry: Entry) -> str:
    """城市 · 区县, as short as a list needs it (the province is usually the page's subject)."""
    location = entry.record.location
    parts = [province_short(location.province)]
    for part in (location.city, location.district):
        if part and part not in parts and part != location.province:
            parts.append(part)
    return " · ".join(parts)


def card(entry: Entry, catalogue: Catalogue) -> Card:
    record = entry.record
    return Card(
        url=urls.record_url(record.slug),
        number=record.number,
        name=record.name,
        headline=record.headline,
        place=place(entry),
        figures=figures(entry, catalogue, CARD_METRICS),
        draft=is_draft(entry),
    )


def tag_links(entry: Entry, catalogue: Catalogue) -> list[TagLink]:
    """The record's themes and tags, each with the theme page it links to."""
    links = []
    for name in entry.record.themes:
        theme = catalogue.config.theme_of_tag.get(name)
        if theme is not None:
            links.append(TagLink(name, theme))
    return links


def table_cell(entry: Entry, definition: MetricDefinition) -> tuple[str, str]:
    """(shown text, sort value) for a catalogue table cell; the unit is in the column heading
    except for percentages, where "95%以上" reads better than "95以上"."""
    value = entry.record.metric(definition.key)
    if value is None:
        return "—", ""
    text = format_metric(value, definition)
    if definition.type != "percent":
        text = text.replace(definition.unit, "", 1)
    return text, format_number(value.value)


def latest_source_date(entry: Entry) -> str:
    dates = [s.date.isoformat() for s in entry.record.sources if s.date]
    return max(dates) if dates else ""


def newest(catalogue: Catalogue, limit: int = 6) -> list[Entry]:
    """The newest records: latest source date first, then highest number (deterministic)."""
    return sorted(
        catalogue.visible,
        key=lambda e: (latest_source_date(e), e.record.number or 0, e.record.slug),
        reverse=True,
    )[:limit]


def format_count(value: float) -> str:
    """12345 → '1.2万', 980 → '980': how Chinese readers expect large counts."""
    if value >= 100_000_000:
        return f"{value / 100_000_000:.1f}".rstrip("0").rstrip(".") + "亿"
    if value >= 10_000:
        return f"{value / 10_000:.1f}".rstrip("0").rstrip(".") + "万"
    return format_number(value)


# Chinese characters and full-width punctuation, including curly quotes.
_CJK = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def join_cjk(text: str) -> str:
    """Drop line-break spaces next to Chinese text: YAML's folded `>-` blocks turn each line
    break into a space, which Chinese typesetting does not have ("治理： 建立" → "治理：建立")."""
    return _CJK_GAP.sub("", text)


def description(text: str, limit: int = 110) -> str:
    """One line of plain text for share previews and <meta name=description>."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
