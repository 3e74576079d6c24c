"""Where an entry is: province, city, district, area, street, community.

Articles write places their own way: "长沙市雨花区东塘街道" without the
province, "岳塘区" without city or province, "江华县" for 江华瑶族自治县,
"黄陂经济开发区" for a zone in 黄陂区, "经开（汉南）区" for two names at once.
Names are only accepted when the administrative divisions table knows them
(`generator.schema.divisions`), and a level the article leaves out is
inferred only when the table makes it unique: 岳塘区 is in one city of one
province, so city and province follow; 鼓楼区 is in four cities, so the
candidates are listed for the editor. Every inference is stated in the
evidence, and those that rest on a name's likeness (a zone or a street named
after its district) also in the list of things to check.

A district the table does not know is never fixed silently: when one missing
character explains it ("武汉市口区" → 硚口区) the candidate is reported for the
editor and the draft leaves `district` out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.importers import Paragraph
from generator.text.place_names import short_name

_NOT_NAME = r"\s，。、；：“”（）()《》"
_AFTER_CITY = re.compile(rf"^([^{_NOT_NAME}]{{1,4}}?[区县旗])")
_AREA = re.compile(
    rf"([^{_NOT_NAME}市区县于]{{2,10}}?(?:经济技术开发区|高新技术产业开发区|经济开发区|开发区|高新区|新区))"
)
_STREET = re.compile(rf"(?:^|(?<=[区县市于属{_NOT_NAME}]))([^{_NOT_NAME}区县市于属]{{2,5}}街道)")
_COMMUNITY = re.compile(rf"街道([^{_NOT_NAME}区]{{2,6}}?社区)")
# Two district names written as one, the second in parentheses: 经开（汉南）区.
_JOINT = re.compile(r"([\u4e00-\u9fff]{2,4})（([\u4e00-\u9fff]{2,4})）([区县])")
_AREA_SUFFIX = re.compile(r"(?:经济技术开发区|高新技术产业开发区|经济开发区|开发区|高新区|新区|新城|街道)$")


@dataclass
class PlaceFindings:
    location: dict[str, str] = field(default_factory=dict)
    evidence: list[str] = field(default_factory=list)  # "city 武汉市 ← sentence (第 7 行)"
    undecided: list[str] = field(default_factory=list)  # what the editor must decide


@dataclass(frozen=True)
class _Hit:
    form: str  # as written
    divisions: tuple  # what it may mean
    paragraph: Paragraph
    position: int


def _first(forms, text: str) -> tuple[str, int] | None:
    """The name that occurs first in text (longest wins at the same position)."""
    best: tuple[str, int] | None = None
    for name in forms:
        pos = text.find(name)
        if pos != -1 and (best is None or pos < best[1] or (pos == best[1] and len(name) > len(best[0]))):
            best = (name, pos)
    return best


def _first_hit(forms: dict, paragraphs: list[Paragraph], accept=lambda form, text, pos: True) -> _Hit | None:
    """The first written form in the paragraphs (in order), with what it may mean."""
    for paragraph in paragraphs:
        candidates = dict(forms)
        while candidates:
            hit = _first(candidates, paragraph.text)
            if hit is None:
                break
            form, position = hit
            if accept(form, paragraph.text, position):
                return _Hit(form, tuple(forms[form]), paragraph, position)
            del candidates[form]  # written only inside a longer word here: look further
    return None


def find_place(province_heading: str | None, paragraphs: list[Paragraph]) -> PlaceFindings:
    """Location from the overview paragraph (the first), falling back to the others."""
    from generator.schema.divisions import DIVISIONS

    found = PlaceFindings()
    if not paragraphs:
        found.undecided.append("没有正文段落，无法确定地址")
        return found
    province, where = province_heading, "省份标题"
    for paragraph in paragraphs:
        named = _first(DIVISIONS.provinces, paragraph.text)
        if named:
            if province and named[0] != province:
                found.undecided.append(f"省份：标题为{province}，正文第 {paragraph.line} 行写作{named[0]}，请核对")
            province, where = province or named[0], where if province else f"第 {paragraph.line} 行"
            break
    if province:
        found.location["province"] = province
        found.evidence.append(f"省份 {province} ← {where}")

    place_paragraph = paragraphs[0]
    city_hit = _first_hit(DIVISIONS.city_forms(province), paragraphs, _not_inside_longer_name)
    if city_hit and len(city_hit.divisions) == 1:
        city = city_hit.divisions[0]
        if province is None:
            province = found.location["province"] = DIVISIONS.province_of(city).name
            found.evidence.append(f"省份 {province} ← 由城市 {city.name} 推断（第 {city_hit.paragraph.line} 行）")
        found.location["city"] = city.name
        written = f"（原文作“{city_hit.form}”）" if city_hit.form != city.name else ""
        found.evidence.append(f"城市 {city.name} ← 第 {city_hit.paragraph.line} 行{written}")
        place_paragraph = city_hit.paragraph
        _district(found, province, city.name, [place_paragraph] + [p for p in paragraphs if p is not place_paragraph], city_hit)
    else:
        if city_hit:  # one written form, cities of several provinces
            found.undecided.append(f"城市：第 {city_hit.paragraph.line} 行的“{city_hit.form}”可指{_places(city_hit.divisions)}，请确定省份和城市")
        place_paragraph = _district_without_city(found, province, paragraphs) or place_paragraph
    if "province" not in found.location:
        found.undecided.append("省份：文章没有省份标题，正文中也没有能确定省份的地名，请填写 province")
        return found
    if "city" not in found.location and not any(item.startswith(("城市", "区县")) for item in found.undecided):
        found.undecided.append(f"城市：正文中没有找到{found.location['province']}的地级行政区名称，请填写 city")
    _street_and_area(found, place_paragraph)
    _district_from_area_or_street(found)
    found.location = {key: found.location[key] for key in ("province", "city", "district", "area", "street", "community") if key in found.location}
    return found


def _places(divisions) -> str:
    from generator.schema.divisions import DIVISIONS

    shown = []
    for division in divisions:
        province = DIVISIONS.province_of(division).name
        city = DIVISIONS.city_of(division)
        parts = [province] + ([city.name] if city is not division and city.name != province else []) + ([division.name] if division.name != province else [])
        shown.append("".join(dict.fromkeys(parts)))
    return "、".join(shown)


def _not_inside_longer_name(form: str, text: str, position: int) -> bool:
    """A two-character name (城区, 东区) counts only right after a city's name; others anywhere."""
    if len(form) > 2:
        return True
    return position > 0 and text[max(0, position - 1)] in "市州盟"


def _district(found: PlaceFindings, province: str, city: str, ordered: list[Paragraph], city_hit: _Hit) -> None:
    from generator.schema.divisions import DIVISIONS

    forms = {form: found_ for form, found_ in DIVISIONS.county_forms(province, city).items() if form != city}
    hit = _first_hit(forms, ordered, _not_inside_longer_name)
    if hit:
        name = hit.divisions[0].name
        found.location["district"] = name
        written = f"（原文作“{hit.form}”）" if hit.form != name else ""
        found.evidence.append(f"区县 {name} ← 第 {hit.paragraph.line} 行{written}")
        return
    for paragraph in ordered:
        for joint in _JOINT.finditer(paragraph.text):
            for stem in (joint.group(2), joint.group(1)):
                if stem + joint.group(3) in forms:
                    name = forms[stem + joint.group(3)][0].name
                    found.location["district"] = name
                    found.evidence.append(f"区县 {name} ← 第 {paragraph.line} 行“{joint.group()}”")
                    found.undecided.append(f"区县：据第 {paragraph.line} 行“{joint.group()}”记为{name}，请核对并在 location.note 说明")
                    return
    paragraph, after_city = city_hit.paragraph, city_hit.position + len(city_hit.form)
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
        found.undecided.append(f"区县：第 {paragraph.line} 行写作“{city}{partial}”，行政区划中{city}没有这个区县，请核对")


def _district_without_city(found: PlaceFindings, province: str | None, paragraphs: list[Paragraph]) -> Paragraph | None:
    """No city named: a district the article names may give it (and the province), when unique.
    Returns the paragraph that names the district."""
    from generator.schema.divisions import DIVISIONS

    forms = {form: counties for form, counties in DIVISIONS.county_forms(province).items() if len(form) > 2}
    hit = _first_hit(forms, paragraphs)
    if hit is None:
        return None
    if len(hit.divisions) > 1:
        found.undecided.append(f"区县：第 {hit.paragraph.line} 行的“{hit.form}”可指{_places(hit.divisions)}，请确定后填写 city 和 district")
        return hit.paragraph
    county = hit.divisions[0]
    city = DIVISIONS.city_of(county)
    inferred_province = DIVISIONS.province_of(county).name
    if province is None:
        found.location["province"] = inferred_province
        found.evidence.append(f"省份 {inferred_province} ← 由区县 {county.name} 推断（第 {hit.paragraph.line} 行）")
    found.location["city"] = city.name
    found.evidence.append(f"城市 {city.name} ← 由区县 {county.name} 推断（第 {hit.paragraph.line} 行）")
    found.location["district"] = county.name
    written = f"（原文作“{hit.form}”）" if hit.form != county.name else ""
    found.evidence.append(f"区县 {county.name} ← 第 {hit.paragraph.line} 行{written}")
    return hit.paragraph


def _street_and_area(found: PlaceFindings, paragraph: Paragraph) -> None:
    """Zone, street and community, from the paragraph that names the place."""
    for key, pattern, label in (("area", _AREA, "功能区"), ("street", _STREET, "街道"), ("community", _COMMUNITY, "社区")):
        match = pattern.search(paragraph.text)
        if match:
            found.location[key] = match.group(1)
            found.evidence.append(f"{label} {match.group(1)} ← 第 {paragraph.line} 行")


def _district_from_area_or_street(found: PlaceFindings) -> None:
    """A zone or street named after its district (黄陂经济开发区, 西陵街道) gives the district when
    exactly one district of the city has that name; the editor is asked to confirm."""
    from generator.schema.divisions import DIVISIONS

    location = found.location
    if "district" in location or "city" not in location:
        return
    counties = DIVISIONS.counties_of(location["province"], location["city"])
    for key, label in (("area", "功能区"), ("street", "街道")):
        if key not in location:
            continue
        stem = _AREA_SUFFIX.sub("", location[key])
        stem = stem[len(short_name(location["city"])):] if stem.startswith(short_name(location["city"])) else stem
        matches = [d.name for d in counties.values() if len(stem) >= 2 and short_name(d.name) == stem and d.name != location["city"]]
        if len(matches) == 1:
            location["district"] = matches[0]
            found.evidence.append(f"区县 {matches[0]} ← 由{label}“{location[key]}”推断")
            found.undecided.append(f"区县：来源未写区县，据{label}“{location[key]}”记为{matches[0]}，请核对并在 location.note 说明")
            return
