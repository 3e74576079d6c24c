"""Plain view objects the site's templates read: cards, tag links, the newest records.

Figures, places and URLs are worded by generator.present; this module only
shapes them for the site's lists. Every function here is pure — a function
of one record and the catalogue — so a page can be rendered in any order or
process.
"""

from __future__ import annotations

from dataclasses import dataclass

from generator.catalogue import Catalogue, Entry
from generator.present import urls
from generator.present.figures import Figure, figures
from generator.present.places import place
from generator.schema.record import Status

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
class Card:
    """A record as it appears in lists: province, theme, series and related pages."""

    url: str
    number: int | None
    name: str
    headline: str
    place: str
    figures: tuple[Figure, ...]
    draft: bool


def is_draft(entry: Entry) -> bool:
    return entry.record.status is Status.draft


def card(entry: Entry, catalogue: Catalogue) -> Card:
    record = entry.record
    return Card(
        url=urls.record_url(record.slug),
        number=record.number,
        name=record.name,
        headline=record.headline,
        place=place(record.location),
        figures=figures(record, catalogue.config, CARD_METRICS),
        draft=is_draft(entry),
    )


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


def description(text: str, limit: int = 110) -> str:
    """One line of plain text for share previews and <meta name=description>."""
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"
