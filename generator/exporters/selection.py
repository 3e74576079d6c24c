"""Which records an export covers: --province, --series, --number.

Options of different kinds narrow the selection (province AND series AND
number); repeating one option widens it (湖北 OR 湖南). Anything the editor
asks for that the catalogue does not have is a UserError with a suggestion,
never an empty file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.catalogue import Catalogue, Entry
from generator.errors import UserError
from generator.present.places import province_short, province_slug
from generator.present.publication import Publication, publication
from generator.schema.site_config import Series
from generator.text.suggest import did_you_mean


_HINT = "你是不是要找：{}？"


@dataclass(frozen=True)
class Selection:
    """What the editor asked for; empty tuples mean “no restriction”."""

    provinces: tuple[str, ...] = ()
    series: tuple[str, ...] = ()
    numbers: tuple[int, ...] = ()


@dataclass(frozen=True)
class Selected:
    """A resolved selection: the entries in print order (generator.present.publication) and how to name them."""

    selection: Selection
    publication: Publication
    series: list[Series] = field(default_factory=list)  # the series asked for (--series), if any

    @property
    def entries(self) -> list[Entry]:
        return self.publication.entries

    @property
    def provinces(self) -> list[str]:
        """Short province names in print order."""
        return self.publication.provinces

    @property
    def province(self) -> str | None:
        """The one province every entry is in (湖北), if there is exactly one."""
        return self.provinces[0] if len(self.provinces) == 1 else None

    @property
    def label(self) -> str:
        """Human title of the selection, e.g. 湖北 · 全国美好家园."""
        parts = ["、".join(self.provinces) if self.selection.provinces else ""]
        if self.selection.series:
            parts.append("、".join(s.short_title for s in self.series))
        if self.selection.numbers:
            parts.append("第" + "、".join(str(n) for n in sorted(self.selection.numbers)) + "号")
        label = " · ".join(p for p in parts if p)
        return label or "全部记录"

    @property
    def slug(self) -> str:
        """File-name stem: hubei, national-2022, n047-n048, hubei_national-2022, all."""
        parts = []
        if self.selection.provinces:
            parts.append("-".join(province_slug(p) for p in self.provinces))
        if self.selection.series:
            parts.append("-".join(s.id for s in self.series))
        if self.selection.numbers:
            parts.append("-".join(f"n{n:03d}" for n in sorted(set(self.selection.numbers))))
        return "_".join(parts) or "all"


def _pinyin(text: str) -> list[str]:
    from pypinyin import lazy_pinyin  # loads its dictionaries; only needed for the sorted hint

    return lazy_pinyin(text)


def select(catalogue: Catalogue, selection: Selection) -> Selected:
    """Resolve a Selection against the visible records, or explain what is wrong."""
    entries = list(catalogue.visible)
    if not entries:
        raise UserError("没有可导出的记录：projects/ 中还没有已发布（status: published）的记录")

    wanted_provinces = [_resolve_province(catalogue, p) for p in selection.provinces]
    wanted_series = [_resolve_series(catalogue, s) for s in selection.series]
    if wanted_provinces:
        # From the catalogue's province index (its lists are in catalogue order): the site asks
        # for one province at a time, 31 times, and scanning all 10,000 records each time adds up.
        groups = [members for province, members in catalogue.by_province.items() if province_short(province) in wanted_provinces]
        entries = list(groups[0]) if len(groups) == 1 else _in_order(entries, groups)
    if wanted_series:
        ids = {s.id for s in wanted_series}
        entries = [e for e in entries if e.record.series in ids]
    if selection.numbers:
        _check_numbers(entries, selection.numbers)
        entries = [e for e in entries if e.record.number in selection.numbers]
    if not entries:
        raise UserError("所选范围内没有记录：请检查 --province、--series 与 --number 的组合")

    return Selected(selection, publication(catalogue, entries), wanted_series)


def _in_order(entries: list[Entry], groups: list[list[Entry]]) -> list[Entry]:
    chosen = {id(entry) for group in groups for entry in group}
    return [entry for entry in entries if id(entry) in chosen]


def _resolve_province(catalogue: Catalogue, asked: str) -> str:
    known = [province_short(p) for p in catalogue.by_province]
    short = province_short(asked.strip())
    if short in known:
        return short
    raise UserError(
        f"没有省份“{asked}”的已发布记录。{did_you_mean(short, known, _HINT)}"
        f"可选省份：{'、'.join(sorted(known, key=_pinyin))}"
    )


def _resolve_series(catalogue: Catalogue, asked: str) -> Series:
    for series in catalogue.config.series:
        if asked in (series.id, series.title, series.short_title):
            return series
    names = [s.id for s in catalogue.config.series] + [s.short_title for s in catalogue.config.series]
    raise UserError(
        f"没有系列“{asked}”。{did_you_mean(asked, names, _HINT)}"
        f"可选系列（site_config.yml 的 catalogue.series）：{'、'.join(s.id for s in catalogue.config.series)}"
    )


def _check_numbers(entries: list[Entry], numbers: tuple[int, ...]) -> None:
    available = sorted({e.record.number for e in entries if e.record.number is not None})
    missing = [n for n in numbers if n not in available]
    if not missing:
        return
    if not available:
        raise UserError("所选范围内没有带编号的记录，--number 只适用于编号系列")
    by_distance = sorted(available, key=lambda n: (abs(n - missing[0]), n))
    nearest = [n for n in by_distance[:3] if abs(n - missing[0]) <= 10] or by_distance[:1]
    raise UserError(
        f"没有编号为 {'、'.join(str(n) for n in missing)} 的已发布记录。"
        f"最接近的编号：{'、'.join(str(n) for n in sorted(nearest))}"
    )
