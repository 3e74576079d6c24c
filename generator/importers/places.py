"""Where an entry is: province, city, district, area, street, community.

Names are only accepted when the administrative divisions table knows them
(`generator.schema.divisions`). A district the table does not know is never fixed
silently: when one missing character explains it ("武汉市口区" → 硚口区) the
candidate is reported for the editor and the draft leaves `district` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.importers import Paragraph

_NOT_NAME = r"\s，。、；：“”（）()《》"
_AFTER_CITY = re.compile(rf"^([^{_NOT_NAME}]{{1,4}}?[区县旗])")
_AREA = re.compile(
    rf"([^{_NOT_NAME}市区县于]{{2,10}}?(?:经济技术开发区|高新技术产业开发区|经济开发区|开发区|高新区|新区))"
)
_STREET = re.compile(rf"(?:^|(?<=[区县市于属{_NOT_NAME}]))([^{_NOT_NAME}区县市于属]{{2,5}}街道)")
_COMMUNITY = re.compile(rf"街道([^{_NOT_NAME}区]{{2,6}}?社区)")


@dataclass
class PlaceFindings:
    location: dict[str, str] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)  # "city 武汉市 ← sentence (第 7 行)"
    undecided: list[str] = field(default_factory=list)  # what the editor must decide


def _first(names, text: str) -> tuple[str, int] | None:
    """The name that occurs first in text (longest wins at the same position)."""
    best: tuple[str, int] | None = None
    for name in names:
        pos = text.find(name)
        if pos != -1 and (best is None or pos < best[1] or (pos == best[1] and len(name) > len(best[0]))):
            best = (name, pos)
    return best


def find_place(province_heading: str | None, paragraphs: list[Paragraph]) -> PlaceFindings:
    """Location from the overview paragraph (the first), falling back to the others."""
    from generator.schema.divisions import DIVISIONS

    found = PlaceFindings()
    if not paragraphs:
        found.undecided.append("没有正文段落，无法确定地址")
        return found
    ordered = [paragraphs[0]] + paragraphs[1:]
    province = province_heading
    for paragraph in ordered:
        named = _first(DIVISIONS.provinces, paragraph.text)
        if named:
            if province and named[0] != province:
                found.undecided.append(
                    f"省份：标题为{province}，正文第 {paragraph.line} 行写作{named[0]}，请核对"
                )
            province = province or named[0]
            break
    if not province:
        found.undecided.append("省份：文章没有省份标题，正文中也没有省级行政区名称")
        return found
    found.location["province"] = province
    found.evidence.append(f"省份 {province} ← 省份标题" if province_heading else f"省份 {province} ← 正文")

    city = None
    for paragraph in ordered:
        hit = _first(DIVISIONS.cities_of(province), paragraph.text)
        if hit:
            city, city_pos = hit
            found.location["city"] = city
            found.evidence.append(f"城市 {city} ← 第 {paragraph.line} 行")
            _district(found, province, city, paragraph, city_pos + len(city))
            _street_and_area(found, paragraph)
            break
    if city is None:
        found.undecided.append(f"城市：正文中没有找到{province}的地级行政区名称，请填写 city")
    return found


def _district(found: PlaceFindings, province: str, city: str, paragraph: Paragraph, after_city: int) -> None:
    from generator.schema.divisions import DIVISIONS

    counties = DIVISIONS.counties_of(province, city)
    hit = _first((name for name in counties if name != city), paragraph.text)
    if hit:
        found.location["district"] = hit[0]
        found.evidence.append(f"区县 {hit[0]} ← 第 {paragraph.line} 行")
        return
    written = _AFTER_CITY.match(paragraph.text[after_city:])
    if not written:
        return  # the source names no district: nothing to decide
    partial = written.group(1)
    candidates = [d.name for d in DIVISIONS.counties_ending(partial, province, city)]
    one_missing = [name for name in candidates if len(name) == len(partial) + 1]
    if one_missing:
        guess = "、".join(one_missing)
        found.undecided.append(
            f"区县：第 {paragraph.line} 行写作“{city}{partial}”，{city}没有“{partial}”，"
            f"疑为“{guess}”（来源脱字）。草稿未填 district，请核对后填写并在 location.note 说明更正"
        )
    else:
        found.undecided.append(
            f"区县：第 {paragraph.line} 行写作“{city}{partial}”，行政区划中{city}没有这个区县，请核对"
        )


def _street_and_area(found: PlaceFindings, paragraph: Paragraph) -> None:
    for key, pattern, label in (("area", _AREA, "功能区"), ("street", _STREET, "街道"), ("community", _COMMUNITY, "社区")):
        match = pattern.search(paragraph.text)
        if match:
            found.location[key] = match.group(1)
            found.evidence.append(f"{label} {match.group(1)} ← 第 {paragraph.line} 行")
