"""How records are grouped in a publication: by series, then by province in the series' order.

A multi-record export reads like the association's own posts: a series'
records province by province, each province once. Provinces follow the
series' numbering (the national list numbers 1–100 province by province,
so 北京 comes before 湖北 because its first number is lower); in an
unnumbered series, and after the numbered records, provinces follow the
GB/T 2260 code order (北京 11, 天津 12 … 新疆 65), which is the order
official lists use. Within a province records keep catalogue order
(number, then slug).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from generator.catalogue import Catalogue, Entry
from generator.present.places import province_short
from generator.schema.divisions import DIVISIONS
from generator.schema.site_config import Series


@dataclass(frozen=True)
class ProvinceGroup:
    province: str  # 湖北 (short)
    name: str  # 湖北省
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class SeriesGroup:
    series: Series
    provinces: tuple[ProvinceGroup, ...]

    @property
    def entries(self) -> list[Entry]:
        return [entry for group in self.provinces for entry in group.entries]


@dataclass(frozen=True)
class Publication:
    """A selection of records as it is printed: series groups of province groups."""

    series: tuple[SeriesGroup, ...]

    @property
    def entries(self) -> list[Entry]:
        """Every record in print order."""
        return [entry for group in self.series for entry in group.entries]

    def sections(self) -> Iterator[tuple[SeriesGroup, ProvinceGroup]]:
        """(series, province) pairs in print order: where a channel puts a heading or a page break."""
        for series_group in self.series:
            for province_group in series_group.provinces:
                yield series_group, province_group

    @property
    def provinces(self) -> list[str]:
        """Short province names in print order, each once."""
        return list(dict.fromkeys(group.province for _, group in self.sections()))

    @property
    def single_province(self) -> bool:
        return len(self.provinces) == 1

    @property
    def single_series(self) -> bool:
        return len(self.series) == 1


def _province_code(name: str) -> str:
    division = DIVISIONS.provinces.get(name)
    return division.code if division else "999999"


def publication(catalogue: Catalogue, entries: Iterable[Entry]) -> Publication:
    """Group `entries` (any order) by series in site_config order, then by province in the series' order."""
    by_series: dict[str, dict[str, list[Entry]]] = {}
    for entry in entries:
        record = entry.record
        by_series.setdefault(record.series, {}).setdefault(record.location.province, []).append(entry)
    series_order = {s.id: i for i, s in enumerate(catalogue.config.series)}
    groups = []
    for series_id in sorted(by_series, key=lambda s: (series_order.get(s, len(series_order)), s)):
        provinces = by_series[series_id]
        for members in provinces.values():
            members.sort(key=_catalogue_key)
        order = sorted(provinces, key=lambda name: (_first_number(provinces[name]), _province_code(name), name))
        groups.append(
            SeriesGroup(
                catalogue.config.series_by_id[series_id],
                tuple(ProvinceGroup(province_short(name), name, tuple(provinces[name])) for name in order),
            )
        )
    return Publication(tuple(groups))


def _catalogue_key(entry: Entry) -> tuple[int, str]:
    number = entry.record.number
    return (number if number is not None else 10**9, entry.record.slug)


def _first_number(entries: list[Entry]) -> int:
    numbers = [e.record.number for e in entries if e.record.number is not None]
    return min(numbers) if numbers else 10**9
