"""The model stage: validated records plus the indexes every channel reads.

A `Catalogue` is built once per run from records that passed validation.
Renderers and exporters read it and never touch YAML, so the website, the
WeChat article and the magazine all see the same facts in the same order.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Iterable

from generator.schema.site_config import CatalogueConfig, Series, Theme
from generator.errors import Report
from generator.catalogue.related import RelatedIndex, exactly
from generator.media import Photo, PhotoLibrary
from generator.schema.record import MetricValue, Record, Status
from generator.text.mechanism_names import mechanism_key


@dataclass(frozen=True)
class Entry:
    """One record as loaded: where it came from and what it says."""

    path: str  # repository-relative, e.g. projects/047-gezhouba-chengshi-huayuan.yml
    record: Record

    @cached_property
    def slug(self) -> str:
        # Kept: asked some 100,000 times a build (URLs, related records, the sitemap), each a property
        # call and two attribute lookups. Set in the instance's dict, which a frozen dataclass allows.
        return self.record.slug


@dataclass
class MechanismUse:
    """A named mechanism and the records that describe it.

    Records may name it with or without a generic word (“四公开一监督”工作机制,
    “四公开一监督”): one mechanism, one entry, keyed by `mechanism_key`, shown
    by the name most of its records use (the shorter one on a tie).
    """

    name: str
    theme: str | None
    what: str
    entries: list[Entry] = field(default_factory=list)
    names: list[str] = field(default_factory=list)  # the name as each record writes it, in entry order


@dataclass
class Catalogue:
    config: CatalogueConfig
    entries: list[Entry]
    report: Report = field(default_factory=Report)
    include_drafts: bool = False
    # Entry.path → Unix time its file last changed (generator.load.history): git commit time, else file time.
    changed: dict[str, int] = field(default_factory=dict)
    # Entry path → its photos, in the order of record.images (planned renditions; generator.media).
    photos: dict[str, tuple[Photo, ...]] = field(default_factory=dict)
    # Where the photos' renditions are made and kept (the exporters ask it for files).
    library: PhotoLibrary | None = None

    def photos_of(self, entry: Entry) -> tuple[Photo, ...]:
        return self.photos.get(entry.path, ())

    # ---- selections -------------------------------------------------------

    @cached_property
    def visible(self) -> list[Entry]:
        """The records this run publishes, in catalogue order (series, number, name)."""
        chosen = [
            e for e in self.entries if self.include_drafts or e.record.status is Status.published
        ]
        series_order = {s.id: i for i, s in enumerate(self.config.series)}
        return sorted(
            chosen,
            key=lambda e: (
                series_order.get(e.record.series, len(series_order)),
                e.record.number if e.record.number is not None else 10**9,
                e.record.slug,
            ),
        )

    def by_slug(self, slug: str) -> Entry | None:
        return self._slug_index.get(slug)

    @cached_property
    def _slug_index(self) -> dict[str, Entry]:
        return {e.slug: e for e in self.visible}

    # ---- indexes ----------------------------------------------------------

    @cached_property
    def by_province(self) -> dict[str, list[Entry]]:
        index: dict[str, list[Entry]] = defaultdict(list)
        for entry in self.visible:
            index[entry.record.location.province].append(entry)
        return dict(sorted(index.items(), key=lambda kv: (-len(kv[1]), kv[0])))

    @cached_property
    def by_series(self) -> dict[str, list[Entry]]:
        index: dict[str, list[Entry]] = {s.id: [] for s in self.config.series}
        for entry in self.visible:
            index.setdefault(entry.record.series, []).append(entry)
        return index

    @cached_property
    def by_theme(self) -> dict[str, list[Entry]]:
        """Top-level theme name → records tagged with it or with one of its tags."""
        index: dict[str, list[Entry]] = {t.name: [] for t in self.config.themes}
        for entry in self.visible:
            for theme in self.themes_of(entry):
                index[theme.name].append(entry)
        return index

    @cached_property
    def by_tag(self) -> dict[str, list[Entry]]:
        """Each fine tag of site_config (电动车充电 under 为群众办实事) → the records tagged with it,
        in the record's themes or a mechanism's theme; tags no record uses are left out."""
        tags = {tag for theme in self.config.themes for tag in theme.tags}
        index: dict[str, list[Entry]] = {}
        for entry in self.visible:
            record = entry.record
            named = dict.fromkeys([*record.themes, *(m.theme for m in record.mechanisms if m.theme)])
            for name in named:
                if name in tags:
                    index.setdefault(name, []).append(entry)
        return index

    def themes_of(self, entry: Entry) -> list[Theme]:
        """Top-level themes of a record, from its themes/tags and its mechanisms' themes."""
        known = self._themes_of.get(id(entry))
        if known is not None and known[0] is entry:
            return list(known[1])
        names = list(entry.record.themes) + [m.theme for m in entry.record.mechanisms if m.theme]
        seen: dict[str, Theme] = {}
        for name in names:
            theme = self.config.theme_of_tag.get(name)
            if theme is not None:
                seen.setdefault(theme.name, theme)
        order = self._theme_order
        themes = sorted(seen.values(), key=lambda t: order[t.name])
        # Asked three times per record and build (record page, index pages, search): kept per entry.
        self._themes_of[id(entry)] = (entry, tuple(themes))
        return themes

    @cached_property
    def _themes_of(self) -> dict[int, tuple[Entry, tuple[Theme, ...]]]:
        return {}

    @cached_property
    def _theme_order(self) -> dict[str, int]:
        return {t.name: i for i, t in enumerate(self.config.themes)}

    @cached_property
    def mechanisms(self) -> dict[str, MechanismUse]:
        """Every named mechanism (by mechanism_key, whatever generic word its records add) and the records that use it."""
        index: dict[str, MechanismUse] = {}
        for entry in self.visible:
            for mechanism in entry.record.mechanisms:
                key = mechanism_key(mechanism.name)
                use = index.get(key)
                if use is None:  # not setdefault: that made a MechanismUse for every one of 40,000 mentions
                    use = index[key] = MechanismUse(mechanism.name, mechanism.theme, mechanism.what)
                use.entries.append(entry)
                use.names.append(mechanism.name)
        for use in index.values():
            if len(set(use.names)) > 1:
                use.name = min(set(use.names), key=lambda name: (-use.names.count(name), len(name), name))
        return dict(sorted(index.items()))

    def neighbours(self, entry: Entry) -> tuple[Entry | None, Entry | None]:
        """Previous and next record in the same series, by number (or slug when unnumbered)."""
        siblings = self.by_series.get(entry.record.series, [])
        position = self._series_position[entry.slug]
        before = siblings[position - 1] if position > 0 else None
        after = siblings[position + 1] if position + 1 < len(siblings) else None
        return before, after

    @cached_property
    def _series_position(self) -> dict[str, int]:
        """Slug → position in its series (neighbours() is asked for every record: no list scans)."""
        return {e.slug: i for entries in self.by_series.values() for i, e in enumerate(entries)}

    def related(self, entry: Entry, limit: int = 4) -> list[Entry]:
        """Records sharing mechanisms (weighted 3) or themes (weighted 1) with this one; ties by slug.

        Computed on bit sets, not pairwise: the website asks this for every record, and
        comparing each record with all others is quadratic (hours at 10,000 records).
        Bit i stands for the i-th visible record in slug order; from "has mechanism X" and
        "has theme Y" sets we get "shares exactly k mechanisms and t themes", and walk the
        scores 3k + t from the highest down, lowest bit (= smallest slug) first.
        """
        index = self._related_index
        mechanisms = sorted({mechanism_key(m.name) for m in entry.record.mechanisms})
        themes = [t.name for t in self.themes_of(entry)]
        shares_mechanisms = exactly([index.mechanism_bits.get(name, 0) for name in mechanisms])
        shares_themes = exactly([index.theme_bits.get(name, 0) for name in themes])
        itself = ~(1 << index.position[entry.slug]) if entry.slug in index.position else -1
        scores = sorted({3 * k + t for k in range(len(mechanisms) + 1) for t in range(len(themes) + 1)} - {0}, reverse=True)
        chosen: list[Entry] = []
        for score in scores:
            bits = 0
            for k in range(min(len(mechanisms), score // 3) + 1):
                if score - 3 * k <= len(themes):
                    bits |= shares_mechanisms[k] & shares_themes[score - 3 * k]
            bits &= itself
            while bits and len(chosen) < limit:
                lowest = bits & -bits
                chosen.append(index.entries[lowest.bit_length() - 1])
                bits ^= lowest
            if len(chosen) == limit:
                break
        return chosen

    @cached_property
    def _related_index(self) -> "RelatedIndex":
        index = RelatedIndex()
        for position, entry in enumerate(sorted(self.visible, key=lambda e: e.record.slug)):
            bit = 1 << position
            index.entries.append(entry)
            index.position[entry.slug] = position
            for name in {mechanism_key(m.name) for m in entry.record.mechanisms}:
                index.mechanism_bits[name] = index.mechanism_bits.get(name, 0) | bit
            for theme in self.themes_of(entry):
                index.theme_bits[theme.name] = index.theme_bits.get(theme.name, 0) | bit
        return index

    def build_indexes(self) -> None:
        """Build every lazy index now: before forking workers, so that each does not build its own."""
        self.by_province, self.by_series, self.by_theme, self.by_tag, self.mechanisms  # noqa: B018
        self._series_position, self._related_index, self.headline_figures  # noqa: B018
        for entry in self.visible:
            self.themes_of(entry)

    def with_changed_records(self, fresh: dict[str, Entry]) -> "Catalogue":
        """This catalogue with some records' contents replaced (keyed by Entry.path): `showcase serve`'s patches.

        The caller guarantees that no slug, series, number, status or photo list changed, so the pages keep
        their order: the visible list is carried over with the new entries in place, and so is the
        related index when no changed record changed its mechanisms or themes (rebuilding either
        for 10,000 records is most of a patch). Everything else is computed afresh when asked.
        """
        after = Catalogue(
            self.config, [fresh.get(e.path, e) for e in self.entries], self.report, self.include_drafts, self.changed, self.photos, self.library
        )
        after.__dict__["visible"] = [fresh.get(e.path, e) for e in self.visible]
        index = self.__dict__.get("_related_index")
        before = {e.path: e for e in self.entries if e.path in fresh}
        if index is not None and all(self._related_keys(before[path]) == after._related_keys(entry) for path, entry in fresh.items()):
            entries = [fresh.get(e.path, e) for e in index.entries]
            after.__dict__["_related_index"] = RelatedIndex(entries, index.position, index.mechanism_bits, index.theme_bits)
        return after

    def _related_keys(self, entry: Entry) -> tuple[frozenset[str], list[str]]:
        """What _related_index reads from a record."""
        return frozenset(mechanism_key(m.name) for m in entry.record.mechanisms), [t.name for t in self.themes_of(entry)]

    # ---- figures ----------------------------------------------------------

    def series_of(self, entry: Entry) -> Series:
        return self.config.series_by_id[entry.record.series]

    def stated_figures(self, entries: Iterable[Entry], key: str) -> list[MetricValue]:
        """The figures that `entries` (this catalogue's) state for the metric `key`, as the records
        hold them (a number or a QualifiedValue), in order; records without it are left out.

        Each metric's figures are gathered once per catalogue: the charts of the index pages read
        some 200,000 at 10,000 records, and reaching each through its entry, record and metrics
        dict was a memory fetch per object, scattered over a heap of a gigabyte (the lookups took
        0.30 s of CPU, through this table 0.05 s; measured on the synthetic catalogue of bench/).
        """
        column = self._figure_columns.get(key)
        if column is None:
            column = self._figure_columns[key] = {id(e): e.record.metrics.get(key) for e in self.entries}
        # An entry of another catalogue is a KeyError, never someone else's figure: ids are only
        # unique among live objects, and this catalogue keeps its entries alive.
        return [raw for raw in map(column.__getitem__, map(id, entries)) if raw is not None]

    @cached_property
    def _figure_columns(self) -> dict[str, dict[int, MetricValue | None]]:
        return {}

    @cached_property
    def headline_figures(self) -> dict[str, int]:
        """Counts of the visible catalogue itself. Statistics of the records' figures (sums, medians)
        are worded with their qualifiers and record counts by generator.present.statistics."""
        return {"records": len(self.visible), "provinces": len(self.by_province), "mechanisms": len(self.mechanisms)}
