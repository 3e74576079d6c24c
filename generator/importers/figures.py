"""The figures the series uses, each with its qualifier and source sentence.

Every rule is a regular expression over one sentence. A figure is taken from
the overview paragraph (the first) when it is there, otherwise from the first
sentence anywhere that matches; other matches are listed for the editor as
candidates not used. Numbers with 多/余 ("1000多平方米") have no qualifier in
the schema's list, so they are reported, never converted to 超过.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.importers import Paragraph

# A figure: optional prefix qualifier, number, optional 万, optional 多/余.
_NUM = r"(?P<q>超过|超|近|约|达到|达)?(?P<n>\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?P<wan>万)?(?P<duo>多|余)?"
_SUFFIX = r"(?P<s>以上)?"
_GAP = r"[^，。；！？\d]{0,8}?"  # words between a label and its number: 保持在, 为, 达
_SQM = r"(?:平方米|㎡|平米)"
_YEAR = r"(?P<n>(?:19|20)\d\d)"

QUALIFIER_ALIASES = {"达到": "达"}


@dataclass(frozen=True)
class Rule:
    key: str
    group: str  # "metrics" or "facts"
    label: str
    pattern: re.Pattern[str]


def _rule(key: str, group: str, label: str, pattern: str) -> Rule:
    return Rule(key, group, label, re.compile(pattern))


RULES: list[Rule] = [
    _rule("households", "metrics", "住户（户）", rf"(?:住户|居民|共有|共|总户数|入住){_GAP}{_NUM}户{_SUFFIX}"),
    _rule("population", "metrics", "人口（人）", rf"(?:人口|居民|常住|居住|户籍|户、){_GAP}{_NUM}人(?![次员])"),
    _rule("buildings", "metrics", "楼栋（栋）", rf"{_NUM}(?:栋|幢){_SUFFIX}"),
    _rule("building_area", "metrics", "建筑面积（平方米）", rf"建筑面积{_GAP}{_NUM}{_SQM}{_SUFFIX}"),
    _rule("land_area", "metrics", "占地面积（平方米）", rf"占地(?:面积)?{_GAP}{_NUM}{_SQM}{_SUFFIX}"),
    _rule("service_area", "metrics", "服务面积（平方米）", rf"(?:服务|管理|在管)面积{_GAP}{_NUM}{_SQM}{_SUFFIX}"),
    _rule("estates", "metrics", "小区数量（个）", rf"{_NUM}个(?:住宅)?小区{_SUFFIX}"),
    _rule("green_rate", "metrics", "绿化率（%）", rf"绿化率{_GAP}{_NUM}%{_SUFFIX}"),
    _rule("owner_satisfaction", "metrics", "业主满意度（%）", rf"满意(?:度|率){_GAP}{_NUM}%{_SUFFIX}"),
    _rule("fee_collection_rate", "metrics", "物业费收缴率（%）", rf"(?:收缴率|收费率){_GAP}{_NUM}%{_SUFFIX}"),
    _rule("party_member_share", "metrics", "党员占比（%）", rf"党员(?:比例|占比|比重){_GAP}{_NUM}%{_SUFFIX}"),
    _rule("property_coverage", "metrics", "物业服务覆盖率（%）", rf"覆盖率{_GAP}{_NUM}%{_SUFFIX}"),
    _rule("year_built", "facts", "建成年份", rf"{_YEAR}年(?:\d{{1,2}}月)?(?:建成|竣工|落成)"),
    _rule("year_built", "facts", "建成年份", rf"(?:建成|始建|竣工)于{_YEAR}年"),
    _rule("year_delivered", "facts", "交付年份", rf"{_YEAR}年(?:\d{{1,2}}月)?[^，。；\d]{{0,4}}(?:交付|交房)"),
    _rule(
        "committee_founded",
        "facts",
        "业委会成立年份",
        # the year nearest the founding: no other year in between ("2015年交付，2016年选举产生业委会")
        rf"{_YEAR}年(?:(?!(?:19|20)\d\d年)[^。；]){{0,50}}?(?:成立|选举产生|组建|选举成立)[^，。；]{{0,4}}?(?:业主委员会|业委会)",
    ),
]

_NOTE_BEFORE = re.compile(r"([\u4e00-\u9fff]{2,8}中)党员(?:比例|占比|比重)")


@dataclass(frozen=True)
class Figure:
    key: str
    group: str
    label: str
    value: float
    qualifier: str | None
    sentence: str
    line: int
    written: str  # the figure as the source writes it, e.g. 8.5万平方米
    approximate: bool = False  # 多/余: the editor decides the qualifier
    note: str | None = None

    def as_yaml_value(self) -> object:
        number: object = int(self.value) if float(self.value).is_integer() else self.value
        if self.group == "facts":
            return number
        if self.qualifier is None and self.note is None:
            return number
        value: dict[str, object] = {"value": number}
        if self.qualifier:
            value["qualifier"] = self.qualifier
        if self.note:
            value["note"] = self.note
        return value


def sentences(paragraph: Paragraph) -> list[str]:
    return [s for s in re.findall(r"[^。！？]+[。！？]?", paragraph.text) if s.strip()]


def _figure(rule: Rule, match: re.Match[str], sentence: str, line: int) -> Figure:
    groups = match.groupdict()
    value = float(groups["n"].replace(",", ""))  # 2,300 → 2300
    if groups.get("wan"):
        value = round(value * 10000, 6)
    # 达到95%以上: 达 only says the figure is reached, 以上 says it is a lower bound; the bound is kept.
    prefix, suffix = groups.get("q"), groups.get("s")
    qualifier = suffix if suffix and prefix in (None, "达", "达到") else prefix or suffix
    qualifier = QUALIFIER_ALIASES.get(qualifier, qualifier) if qualifier else None
    note = None
    if rule.key == "party_member_share":
        before = _NOTE_BEFORE.search(sentence)
        note = before.group(1) if before else None
    return Figure(
        rule.key, rule.group, rule.label, value, qualifier, sentence.strip(), line,
        written=match.group(0), approximate=bool(groups.get("duo")), note=note,
    )


def find_figures(paragraphs: list[Paragraph]) -> tuple[list[Figure], list[Figure]]:
    """(chosen figures, one per key in RULES order; other candidates not used)."""
    chosen: list[Figure] = []
    others: list[Figure] = []
    keys = list(dict.fromkeys(rule.key for rule in RULES))
    for key in keys:
        matches = [
            (paragraph_index, sentence_index, m.start(), _figure(rule, m, sentence, paragraph.line))
            for paragraph_index, paragraph in enumerate(paragraphs)
            for sentence_index, sentence in enumerate(sentences(paragraph))
            for rule in RULES
            if rule.key == key
            for m in rule.pattern.finditer(sentence)
        ]
        figures = [figure for *_, figure in sorted(matches, key=lambda item: item[:3])]
        if figures:
            chosen.append(figures[0])  # the overview paragraph comes first
            others.extend(figures[1:])
    return chosen, others
