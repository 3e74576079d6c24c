"""Plain view objects the site's templates read: cards, tag links, the newest records.

Figures, places and URLs are worded by generator.present; this module only
shapes them for the site's lists. Every function here is pure — a function
of one record and the catalogue — so a page can be rendered in any order or
process.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

from generator.catalogue import Catalogue, Entry
from generator.present import urls
from generator.present.dates import day, day_label
from generator.present.figures import Figure, figures, grouped_figures
from generator.present.photos import lead_photo, media_url
from generator.present.places import place
from generator.schema.record import Status
from generator.present.places import province_short
from generator.schema.site_config import Series, Theme
from generator.text.cjk import join_cjk

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
    thumb: Thumb | None = None

    def __hash__(self) -> int:
        # Cards key the card-HTML cache (generator.site.render._card_html), looked up some 90,000 times at
        # 10,000 records; the generated __hash__ walked every field and figure on each lookup (0.4 s of a
        # build's CPU), so the hash is worked out once. Kept out of pickles: str hashes differ between processes.
        found = self.__dict__.get("_hash")
        if found is None:
            found = hash(tuple(getattr(self, f.name) for f in fields(self)))  # what the generated __hash__ hashes
            object.__setattr__(self, "_hash", found)
        return found

    def __getstate__(self) -> dict:
        return {key: value for key, value in self.__dict__.items() if key != "_hash"}


@dataclass(frozen=True)
class Thumb:
    """A card's small picture: the record's lead photo (site-relative URLs)."""

    src: str  # the narrowest WebP
    srcset: str  # "media/… 240w, media/… 480w" (prefixed with the page's depth when written)
    fallback: str  # the JPEG
    width: int
    height: int


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
        figures=grouped_figures(figures(record, catalogue.config, CARD_METRICS)),
        draft=is_draft(entry),
        thumb=_thumb(catalogue, entry),
    )


def _thumb(catalogue: Catalogue, entry: Entry) -> Thumb | None:
    lead = lead_photo(catalogue, entry)
    if lead is None:
        return None
    web = lead.photo.web[:2]  # 240 and 480 wide: a card shows the photo a few rem wide
    return Thumb(
        src=media_url(web[0]),
        srcset=", ".join(f"{media_url(r)} {r.width}w" for r in web),
        fallback=lead.fallback_url,
        width=web[0].width,
        height=web[0].height,
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
    flat = " ".join(join_cjk(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass(frozen=True)
class SeriesCount:
    """A series and how far it is: published records count, drafts apart (shown only in --drafts builds)."""

    series: Series
    published: int
    drafts: int


def series_count(series: Series, entries: list[Entry]) -> SeriesCount:
    drafts = sum(1 for e in entries if is_draft(e))
    return SeriesCount(series, len(entries) - drafts, drafts)


@dataclass(frozen=True)
class Slot:
    """One number of a numbered series: taken by a published record, a draft, or still open."""

    number: int
    url: str | None
    name: str | None
    province: str | None  # 湖北
    draft: bool


def slots(size: int | None, entries: list[Entry]) -> list[Slot]:
    """Every number 1..size (and any number past it a record holds) with the record that holds it."""
    by_number = {e.record.number: e for e in entries if e.record.number}
    last = max([size or 0, *by_number])
    found = []
    for number in range(1, last + 1):
        entry = by_number.get(number)
        if entry is None:
            found.append(Slot(number, None, None, None, False))
        else:
            record = entry.record
            found.append(Slot(number, urls.record_url(record.slug), record.name,
                              province_short(record.location.province), is_draft(entry)))
    return found


@dataclass(frozen=True)
class Holding:
    """The numbers one province's records hold in a numbered series (the planning view)."""

    province: str
    numbers: str  # "47–50、52"
    published: int
    drafts: int


def holdings(taken: list[Slot]) -> list[Holding]:
    """Provinces in the order of their first number, each with the numbers its records hold."""
    by_province: dict[str, list[Slot]] = {}
    for slot in taken:
        if slot.province is not None:
            by_province.setdefault(slot.province, []).append(slot)
    return [
        Holding(
            province=province,
            numbers=number_ranges([s.number for s in held]),
            published=sum(1 for s in held if not s.draft),
            drafts=sum(1 for s in held if s.draft),
        )
        for province, held in by_province.items()
    ]


def number_ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 5, 7, 8] → "1–3、5、7–8"."""
    runs: list[list[int]] = []
    for number in sorted(numbers):
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return "、".join(str(a) if a == b else f"{a}–{b}" for a, b in runs)


@dataclass(frozen=True)
class Changed:
    iso: str  # 2024-05-03
    label: str  # 2024年5月3日


def changed(entry: Entry, catalogue: Catalogue) -> Changed | None:
    """When the record's file last changed (generator.load.history), or None when unknown."""
    when = catalogue.changed.get(entry.path)
    if when is None:
        return None
    found = day(when)
    return Changed(found.isoformat(), day_label(found))
