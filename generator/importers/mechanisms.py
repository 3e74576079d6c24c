"""Named mechanisms (quoted names such as “1+1+X”联席会议制度) and suggested themes.

A quoted name counts as a mechanism when the words after the closing quote
say so (制度, 机制, 平台, 模式 …) or its own last word does (“消费支持社区计划”),
when it is a formula (“1+4+N”), or when it is a numbered slogan
(“四公开一监督”) in a clause that speaks of 制度/机制. Without quotes, a name
that a verb sets up (建立/深化/推行 … 三方联动机制) counts too. The quoted
campaign names and slogans that are not mechanisms (“红色物业”, “最后一公里”)
are left out.

Each mechanism is named once, however often and however the article names
it: mentions with the same key (generator.text.mechanism_names) are one
mechanism, named the fullest way but without a generic word right after the
quotes (“四公开一监督”, not “四公开一监督”工作机制).

Themes are suggested from a keyword table over the vocabulary in
site_config.yml; a tag is suggested when at least one keyword occurs, and the
strongest five (by number of mentions) are kept. Tags missing from the
configured vocabulary are never suggested.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.importers import Paragraph
from generator.importers.figures import sentences
from generator.text.mechanism_names import mechanism_key, plain_name

_SUFFIX = (
    r"(?:联席会议制度|联席会议|民主协商议事平台|议事协商平台|协商议事平台|议事平台|工作机制|服务机制|联动机制|"
    r"改造模式|治理模式|工作法|工作模式|制度|机制|模式|平台|"
    # a few words of its own before the kind of thing: “四位一体”联管机制, “物业+”亲民化服务中心
    r"(?:(?![等的和及与])[\u4e00-\u9fff]){1,4}?(?:机制|制度|模式|平台|工作法|领导小组|工作小组|服务中心)|评选)"
)
_QUOTED_WITH_SUFFIX = re.compile(rf"“([^“”]{{1,20}})”(?:和“[^“”]{{1,20}}”)?({_SUFFIX})")
_QUOTED = re.compile(r"“([^“”]{1,20})”")
_FORMULA = re.compile(r"^[0-9A-Za-z]+(?:\+[0-9A-Za-z]+)+$")
_NUMERAL = "一二三四五六七八九十两"
_SLOGAN = re.compile(rf"^[{_NUMERAL}][\u4e00-\u9fff]{{1,4}}[{_NUMERAL}][\u4e00-\u9fff]{{1,4}}$")
_CLAUSE = re.compile(r"[^，；。]+")
_CLAUSE_SAYS_MECHANISM = re.compile(r"制度|机制|平台|模式")
_NAMED_INSIDE = re.compile(r"(?:计划|机制|制度|模式|平台|工作法)$")
# An unquoted name a verb sets up: 深化三方联动机制, 建立联席会议机制 (not 健全工作机制: nothing is named).
_UNQUOTED = re.compile(
    r"(?:建立|深化|推行|实行|完善|健全|构建|形成|探索|创新|实施|落实|履行|推广|打造)"
    r"(?P<name>[\u4e00-\u9fff0-9A-Za-z+]{2,8}?(?:联动机制|服务机制|工作机制|议事机制|协商机制|机制|制度))(?![\u4e00-\u9fff])"
)
_NOT_A_NAME = re.compile(r"^(?:工作|相关|各项|各类|规章|管理|长效|小区|治理|有关|一系列|一套)?(?:机制|制度)$|^(?:长效|工作|规章|管理)")


@dataclass(frozen=True)
class MechanismFinding:
    name: str
    sentence: str
    line: int
    theme: str | None = None


# Mechanism keyword → the vocabulary tag it belongs to (first hit wins).
MECHANISM_THEMES: list[tuple[str, str]] = [
    ("联席会议", "联席会议"),
    ("公开", "收费信息公开"),
    ("议事", "协商议事机制"),
    ("协商", "协商议事机制"),
    ("业委会", "业委会建设"),
    ("党", "社区物业党建"),
]

# Vocabulary tag or theme → keywords that suggest it.
THEME_KEYWORDS: dict[str, tuple[str, ...]] = {
    "红色物业": ("红色物业", "红色力量", "红色业委会", "党建引领", "党支部"),
    "党员示范": ("党员示范", "党员模范", "党员先锋", "党员带头", "党员志愿"),
    "社区文化": ("文化活动", "文化节", "文艺演出", "文体活动", "道德讲堂"),
    "志愿服务": ("志愿服务", "志愿者"),
    "垃圾分类": ("垃圾分类",),
    "协商议事机制": ("议事协商", "协商议事", "民主协商"),
    "网格化管理": ("网格",),
    "老旧小区改造": ("老旧小区", "改造资金", "加装电梯", "外挂电梯"),
    "连片管理": ("连片",),
    "联席会议": ("联席会议",),
    "业委会建设": ("业委会", "业主委员会"),
    "居民自治": ("自治",),
    "收费信息公开": ("四公开", "公共收益", "公示", "财务"),
    "服务标准": ("服务标准",),
    "智慧物业": ("智慧",),
    "法治": ("法治", "诉讼", "法律", "法官", "律师"),
    "电动车充电": ("充电", "电瓶车", "电动车"),
    "停车管理": ("停车",),
    "便民服务": ("便民",),
    "适老化服务": ("适老", "敬老", "加装电梯", "外挂电梯"),
}

MAX_THEMES = 8


def _theme_of(name: str, vocabulary: set[str]) -> str | None:
    for keyword, tag in MECHANISM_THEMES:
        if keyword in name and tag in vocabulary:
            return tag
    return None


def find_mechanisms(paragraphs: list[Paragraph], vocabulary: set[str]) -> list[MechanismFinding]:
    """Mechanisms in order of first mention, each once (the fullest name wins)."""
    found: dict[str, MechanismFinding] = {}

    def add(name: str, sentence: str, line: int) -> None:
        name = plain_name(name)
        # “1+1+X” and “1+1+X”联席会议制度 in one article are one mechanism: keyed by the quoted words
        quoted = _QUOTED.search(name)
        key = quoted.group(1) if quoted else mechanism_key(name)
        existing = found.get(key)
        if existing is None or len(name) > len(existing.name):
            kept = existing or MechanismFinding(name, sentence.strip(), line)
            found[key] = MechanismFinding(name, kept.sentence, kept.line, _theme_of(name, vocabulary))

    for paragraph in paragraphs:
        for sentence in sentences(paragraph):
            for match in _QUOTED_WITH_SUFFIX.finditer(sentence):
                # “客户分级”和“定期访谈”制度 is one mechanism with a two-part name
                add(match.group(0), sentence, paragraph.line)
            for clause in _CLAUSE.findall(sentence):
                for match in _QUOTED.finditer(clause):
                    core = match.group(1)
                    formula = _FORMULA.match(core) or _NAMED_INSIDE.search(core)
                    if formula or (_SLOGAN.match(core) and _CLAUSE_SAYS_MECHANISM.search(clause)):
                        add(f"“{core}”", sentence, paragraph.line)
                for match in _UNQUOTED.finditer(clause):
                    if "“" not in match.group("name") and not _NOT_A_NAME.search(match.group("name")):
                        add(match.group("name"), sentence, paragraph.line)
    return list(found.values())


def suggest_themes(paragraphs: list[Paragraph], vocabulary: set[str]) -> list[tuple[str, int]]:
    """(tag, mentions) for the strongest tags, most mentioned first."""
    text = "\n".join(p.text for p in paragraphs)
    counts = []
    for tag, keywords in THEME_KEYWORDS.items():
        if tag not in vocabulary:
            continue
        mentions = sum(text.count(keyword) for keyword in keywords)
        if mentions:
            counts.append((tag, mentions))
    counts.sort(key=lambda item: -item[1])
    return counts[:MAX_THEMES]
