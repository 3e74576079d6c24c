"""Place check: province → city → district must exist and nest (GB/T 2260, generator.schema.divisions)."""

from __future__ import annotations

from generator.checks.fields import refused
from generator.errors import Problem
from generator.load.yaml_reader import SourceDocument
from generator.schema.divisions import DIVISIONS
from generator.schema.placeholders import find_placeholders
from generator.schema.record import Record
from generator.schema.site_config import SiteConfig
from generator.text.suggest import did_you_mean, romanized_matches


def location_problems(record: Record, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    """Province → city → district must exist and nest, checked against GB/T 2260."""
    location = record.location
    if find_placeholders(location.province):
        return []  # unfinished, not wrong: E260 stops it from being published
    provinces = DIVISIONS.provinces
    if location.province not in provinces:
        full = DIVISIONS.province_short_names.get(location.province)
        hint = f"；请写全称 {full}" if full else did_you_mean(location.province, provinces) or _place_elsewhere(location.province)
        return [doc.problem(("location", "province"), "E230", f"未知省份 {location.province}{hint}")]
    problems: list[Problem] = []
    if location.city is None:
        if location.district and not refused(doc, ("location", "city")):
            problems.append(doc.problem(("location", "city"), "E231", "填写了区县就要填写城市（直辖市的城市填省级名称，如 北京市）"))
        return problems
    cities = DIVISIONS.cities_of(location.province)
    if location.city not in cities:
        problems.append(doc.problem(("location", "city"), "E231", f"{location.province} 没有 {location.city}{did_you_mean(location.city, cities)}"))
        return problems
    if location.district is not None:
        counties = DIVISIONS.counties_of(location.province, location.city)
        if location.district not in counties:
            partial = DIVISIONS.counties_ending(location.district, location.province, location.city)
            hint = (
                f"；来源可能脱字，你是不是想写 {'、'.join(d.name for d in partial)}？"
                if partial
                else did_you_mean(location.district, counties)
            )
            problems.append(doc.problem(("location", "district"), "E232", f"{location.city} 没有 {location.district}{hint}"))
    return problems


def _place_elsewhere(word: str) -> str:
    """A Latin name that is no province but a city or county (`Wuhan`): where it is, in Chinese."""
    if not word.isascii():
        return ""
    cities = {name: province for province in DIVISIONS.provinces for name in DIVISIONS.cities_of(province)}
    found = romanized_matches(word, cities)
    if not found:
        return ""
    where = "、".join(f"{cities[name]}{name}" for name in found)
    return f"；{word} 像是 {where}：省份请写 {cities[found[0]]}，城市写 {found[0]}"
