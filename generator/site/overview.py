"""Pictures of the whole, for the index pages: the province tile map and the charts of the figures.

Both are finished HTML/SVG at build time (readable without JavaScript) and
both come with their numbers in text: every map tile says its count, every
chart has a data table from the same `Distribution`. They go on index pages
only (home, provinces, province and theme pages), never on record pages,
which stay small and quick to render.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup

from generator.catalogue import Catalogue, Entry
from generator.present import urls
from generator.present.places import PROVINCE_TILES, TILE_COLUMNS, TILE_ROWS, province_short
from generator.present.statistics import Distribution, distribution_of, enough
from generator.site.charts import distribution_svg

MAP_CLASSES = 4  # shades of tiles with projects (a fifth look for none)


@dataclass(frozen=True)
class Tile:
    name: str  # 湖北
    column: int
    row: int
    count: int
    shade: int  # 0 = no project yet, 1..MAP_CLASSES
    url: str | None  # the province page, when the province has projects


@dataclass(frozen=True)
class Shade:
    level: int
    label: str  # "1", "2–3", "7–12"


@dataclass(frozen=True)
class ProvinceMap:
    tiles: tuple[Tile, ...]  # in reading order: row by row, west to east
    shades: tuple[Shade, ...]  # the legend, lightest first
    rows: int
    provinces: int  # provinces with projects
    records: int


def province_map(catalogue: Catalogue) -> ProvinceMap:
    """Every provincial-level division as a tile, shaded by its number of projects; empty ones too."""
    counts = {province_short(p): len(es) for p, es in catalogue.by_province.items()}
    full = {province_short(p): p for p in catalogue.by_province}
    places = dict(PROVINCE_TILES)
    # A division the grid does not know (validation allows only real ones) joins a row below it.
    extra = sorted(name for name in counts if name not in places)
    for index, name in enumerate(extra):
        places[name] = (index % TILE_COLUMNS, TILE_ROWS + index // TILE_COLUMNS)
    limits = shade_limits(max(counts.values(), default=0))
    tiles = []
    for name, (column, row) in sorted(places.items(), key=lambda item: (item[1][1], item[1][0])):
        count = counts.get(name, 0)
        tiles.append(
            Tile(
                name=name,
                column=column,
                row=row,
                count=count,
                shade=_shade(count, limits),
                url=urls.province_url(full[name]) if name in full else None,
            )
        )
    shades = tuple(
        Shade(level + 1, str(low) if low == high else f"{low}–{high}") for level, (low, high) in enumerate(limits)
    )
    return ProvinceMap(
        tiles=tuple(tiles),
        shades=shades,
        rows=max(row for _, row in places.values()) + 1,
        provinces=len(counts),
        records=sum(counts.values()),
    )


def shade_limits(largest: int) -> list[tuple[int, int]]:
    """Count ranges of the shades: one per count up to MAP_CLASSES, else even steps up to the largest."""
    if largest <= MAP_CLASSES:
        return [(n, n) for n in range(1, largest + 1)]
    limits = []
    low = 1
    for level in range(1, MAP_CLASSES + 1):
        high = largest if level == MAP_CLASSES else max(low, round(largest * level / MAP_CLASSES))
        limits.append((low, high))
        low = high + 1
    return [(a, b) for a, b in limits if a <= b]


def _shade(count: int, limits: list[tuple[int, int]]) -> int:
    if count == 0:
        return 0
    for level, (_, high) in enumerate(limits, start=1):
        if count <= high:
            return level
    return len(limits)


@dataclass(frozen=True)
class Chart:
    distribution: Distribution
    svg: Markup


def charts(entries: Sequence[Entry], catalogue: Catalogue) -> list[Chart]:
    """A chart of each charted metric (site_config: statistics.charts) that enough of `entries` have."""
    found = []
    for definition in catalogue.config.chart_metrics:
        spread = distribution_of(catalogue.stated_figures(entries, definition.key), definition)
        if spread is not None and enough(spread.records, catalogue.config):
            found.append(Chart(spread, distribution_svg(spread)))
    return found
