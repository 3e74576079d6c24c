"""Figures about many records at once: how they spread, how many records a statistic rests on.

A statistic over the records is only as honest as the figures under it, so
every one here carries the count of records it rests on, keeps the
qualifiers the sources wrote ("95%以上" stays a lower bound, never a plain
95) and is not shown at all below `catalogue.statistics.min_records` in
site_config.yml. The home page's figures, the charts on the home, province
and theme pages and their data tables all come from these functions, so a
chart and the number beside it can never disagree.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from itertools import repeat

from generator.catalogue import Entry
from generator.present.figures import format_count, format_metric, format_number
from generator.schema.record import SUFFIX_QUALIFIERS, MetricValue, QualifiedValue, Qualifier, Record
from generator.schema.site_config import CatalogueConfig, MetricDefinition

# Percentages are put into the same bands on every page, so two provinces' charts compare at a glance.
PERCENT_EDGES = (80.0, 90.0, 95.0, 98.0)
# Counts and areas get "nice" edges from their own range: 1-2-5 steps, else decades.
_NICE_STEPS = ((1, 2, 5), (1, 3), (1,))
MAX_BINS = 6


@dataclass(frozen=True)
class Bin:
    """One band of a distribution: [low, high), either end open when None."""

    low: float | None
    high: float | None
    label: str  # "1000–2000", "95%–98%", "98%及以上"
    exact: int  # records whose figure lies in the band as stated
    qualified: tuple[str, ...]  # figures in the band that carry a qualifier, as the source states them: 95%以上

    @property
    def count(self) -> int:
        return self.exact + len(self.qualified)

    def qualified_summary(self, limit: int = 4) -> str:
        """The qualified figures of the band, alike ones counted: "95%以上 ×2、超过90%" (the most frequent first)."""
        counted = Counter(self.qualified).most_common()
        shown = "、".join(text if n == 1 else f"{text} ×{n}" for text, n in counted[:limit])
        return shown + ("等" if len(counted) > limit else "")


@dataclass(frozen=True)
class Distribution:
    """How one metric's figures spread over some records."""

    key: str
    label: str  # 业主满意度
    unit: str  # %
    records: int  # how many records have the figure: what the chart rests on
    bins: tuple[Bin, ...]

    @property
    def qualified(self) -> int:
        return sum(len(b.qualified) for b in self.bins)

    @property
    def largest(self) -> int:
        return max((b.count for b in self.bins), default=0)


@dataclass(frozen=True)
class Middle:
    """A median as it may honestly be stated: "95%以上" when the middle figure is a lower bound."""

    text: str  # 95%以上
    records: int


@dataclass(frozen=True)
class Total:
    """A sum as it may honestly be stated: "约1.2万" when a figure under it is approximate."""

    text: str  # without the unit: the label says it (1.2万 户居民)
    records: int


def figures_of(entries: Iterable[Entry], key: str) -> list[QualifiedValue]:
    """The figures the records state for `key`, in catalogue order."""
    # A comprehension over the bound method: the charts of the home, province and theme pages read
    # some 200,000 figures at 10,000 records, and a loop with a call per entry was most of their time.
    return [value for value in map(Record.metric, (entry.record for entry in entries), repeat(key)) if value is not None]


def enough(records: int, config: CatalogueConfig) -> bool:
    """Whether a statistic resting on `records` records may be shown (site_config: statistics.min_records)."""
    return records >= config.statistics.min_records


def distribution(entries: Sequence[Entry], definition: MetricDefinition) -> Distribution | None:
    """The spread of one metric over `entries`; None when no record has the figure."""
    stated = [raw for raw in (entry.record.metrics.get(definition.key) for entry in entries) if raw is not None]
    return distribution_of(stated, definition)


def distribution_of(stated: Sequence[MetricValue], definition: MetricDefinition) -> Distribution | None:
    """The spread of figures as records hold them (a number or a QualifiedValue; Catalogue.stated_figures)."""
    if not stated:
        return None
    # Split by kind in a few passes rather than a QualifiedValue made and banded in a loop for each:
    # the home, province and theme pages chart some 200,000 figures at 10,000 records.
    exact = [raw for raw in stated if type(raw) is not QualifiedValue]
    exact += [raw.value for raw in stated if type(raw) is QualifiedValue and raw.qualifier is None]
    qualified = [raw for raw in stated if type(raw) is QualifiedValue and raw.qualifier is not None]
    numbers = exact + [value.value for value in qualified]
    open_ends = definition.type == "percent"
    edges = list(PERCENT_EDGES) if open_ends else nice_edges(min(numbers), max(numbers))
    bounds = _bounds(edges, open_ends=open_ends)
    band = partial(_band, edges=edges, open_ends=open_ends)
    exact_counts = Counter(map(band, exact))
    qualified_texts: list[list[str]] = [[] for _ in bounds]
    for value in qualified:  # in catalogue order
        qualified_texts[band(value.value)].append(format_metric(value, definition))
    bins = tuple(
        Bin(low, high, band_label(low, high, definition), exact_counts[i], tuple(qualified_texts[i]))
        for i, (low, high) in enumerate(bounds)
    )
    return Distribution(definition.key, definition.label, definition.unit, len(stated), bins)


def nice_edges(smallest: float, largest: float) -> list[float]:
    """Band edges from a "nice" sequence (…, 500, 1000, 2000, 5000, …) that cover [smallest, largest]
    in at most MAX_BINS bands: the first edge ≤ smallest, the last > largest."""
    smallest = max(smallest, 1e-9)
    for steps in _NICE_STEPS:
        edges = _nice_sequence(smallest, largest, steps)
        if len(edges) - 1 <= MAX_BINS:
            return edges
    # Even decades are too many (figures spanning more than six orders of magnitude): every other decade.
    edges = _nice_sequence(smallest, largest, (1,))
    return edges[::2] if edges[-1] in edges[::2] else [*edges[::2], edges[-1]]


def _nice_sequence(smallest: float, largest: float, steps: tuple[int, ...]) -> list[float]:
    exponent = math.floor(math.log10(smallest))
    candidates = [step * 10.0**e for e in range(exponent - 1, exponent + 12) for step in steps]
    start = max(c for c in candidates if c <= smallest)
    edges = [c for c in candidates if start <= c <= largest]
    edges.append(min(c for c in candidates if c > largest))
    return edges


def _bounds(edges: list[float], *, open_ends: bool) -> list[tuple[float | None, float | None]]:
    if open_ends:
        points: list[float | None] = [None, *edges, None]
    else:
        points = list(edges)
    return [(points[i], points[i + 1]) for i in range(len(points) - 1)]


def _band(value: float, edges: list[float], open_ends: bool) -> int:
    """The band of _bounds(edges, open_ends) that holds `value`: bands include their lower edge."""
    above = bisect_right(edges, value)  # edges at or below the value
    if open_ends:
        return above  # band 0 is everything under the first edge
    last = len(edges) - 2
    return above - 1 if 0 < above <= last + 1 else last  # exactly the top edge (100%) is in the last band


def band_label(low: float | None, high: float | None, definition: MetricDefinition) -> str:
    """How a band reads: "不到80%", "90%–95%", "98%及以上", "1000–2000"; counts ≥ 10,000 in 万."""
    percent = definition.type == "percent"

    def number(value: float) -> str:
        return format_number(value) + "%" if percent else format_count(value)

    if low is None:
        return f"不到{number(high)}"  # type: ignore[arg-type]
    if high is None:
        return f"{number(low)}及以上"
    return f"{number(low)}–{number(high)}"


def middle(entries: Sequence[Entry], definition: MetricDefinition) -> Middle | None:
    """The median figure, worded as honestly as the figures allow; None when no record has it.

    The median of stated numbers is exact only when the figures around the
    middle are. When a middle figure is a lower bound (以上, 超过, 超) the true
    median is at least the stated one ("95%以上"); when it is approximate
    (近, 约) the median is approximate ("约95%"). 达 states the figure itself.
    """
    values = sorted(figures_of(entries, definition.key), key=lambda v: v.value)
    if not values:
        return None
    half = len(values) // 2
    around = values[half - 1 : half + 1] if len(values) % 2 == 0 else [values[half]]
    number = sum(v.value for v in around) / len(around)
    qualifiers = {v.qualifier for v in around if v.qualifier is not None}
    lower = {q for q in qualifiers if q.value in ("以上", "超过", "超")}
    approximate = {q for q in qualifiers if q.value in ("近", "约")}
    text = format_number(round(number, 2)) + definition.unit
    if approximate:
        text = "约" + text
    elif lower:
        text += next(iter(SUFFIX_QUALIFIERS)).value
    return Middle(text, len(values))


_AT_LEAST = {Qualifier.yishang, Qualifier.chaoguo, Qualifier.chao}
_AT_MOST = {Qualifier.jin}
_EXACT = {None, Qualifier.da}


def combined_qualifier(qualifiers: Iterable[Qualifier | None]) -> Qualifier | None:
    """The qualifier of a sum of figures with these qualifiers. A sum only grows when a figure does:
    exact figures and lower bounds (以上/超过/超) give a lower bound (以上), exact figures and upper
    bounds (近) an upper bound (近), any other mix an approximation (约); 达 states the figure itself."""
    found = set(qualifiers)
    if found <= _EXACT:
        return None
    if found <= _EXACT | _AT_LEAST:
        return Qualifier.yishang
    if found <= _EXACT | _AT_MOST:
        return Qualifier.jin
    return Qualifier.yue


def total(entries: Sequence[Entry], definition: MetricDefinition) -> Total | None:
    """The sum of a count (households) over the records that state it, qualified as honestly as its
    figures allow, in 万 for large numbers; None when no record has the figure.

    A lower bound is rounded down (12,960 户以上 → "1.2万以上"), so the statement stays true.
    """
    values = figures_of(entries, definition.key)
    if not values:
        return None
    number = math.fsum(v.value for v in values)
    qualifier = combined_qualifier(v.qualifier for v in values)
    if qualifier is Qualifier.yishang and number >= 10_000:
        scale = 100_000_000 if number >= 100_000_000 else 10_000
        number = math.floor(number / scale * 10) / 10 * scale
    text = format_count(number)
    if qualifier is not None:
        text = text + qualifier.value if qualifier in SUFFIX_QUALIFIERS else qualifier.value + text
    return Total(text, len(values))
