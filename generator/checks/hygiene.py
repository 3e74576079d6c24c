"""Text hygiene warnings: what the article converter leaves behind.

Records are Simplified Chinese. Text pasted from the converted articles can
still carry traditional characters, pinyin annotations such as `活动(dòng)`
and garbled characters (`??钤`). These are warnings, not errors: the record is
still usable, but `showcase check --strict` fails on them. The detectors are
the importer's (generator.text.cleaning), so both see the same artifacts.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, Iterator

from generator.text.cleaning import find_garbled, find_pinyin_annotations, may_be_garbled, to_simplified
from generator.errors import Problem, Severity
from generator.schema.record import REWRITE_MARK, Record, Status
from generator.load.yaml_reader import Loc, SourceDocument
from generator.schema.site_config import SiteConfig

# Identifiers and addresses are not prose; editor notes quote garbled source
# text on purpose ("原文作‘口区’"), so they are not checked either.
_NOT_PROSE = {"slug", "url", "path", "series", "kind", "status", "file", "notes", "note"}


def _strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in _NOT_PROSE or (not loc and key == "review"):
                continue  # review material is the raw source on purpose
            yield from _strings(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(item, loc + (index,))


# Characters OpenCC turns into another outside a few phrases although they are
# standard simplified characters in names: 乾县 (陕西), 乾安县 (吉林), 乾隆.
_ALSO_SIMPLIFIED = frozenset("乾")


def _traditional_characters(text: str) -> list[str]:
    simplified = to_simplified(text)
    if simplified == text:
        return []
    if len(simplified) != len(text):
        changed = {c for c in text if to_simplified(c) != c}
    else:
        changed = {a for a, b in zip(text, simplified) if a != b}
    return sorted(changed - _ALSO_SIMPLIFIED)


# Characters most record text is made of (with the joiner below and curly quotes), none of
# them in category Cf (tests/test_cache.py checks that): dropping them first leaves a few
# characters for the category lookup.
ORDINARY_TEXT = re.compile("[\x01\n\x20-\x7e\u2018-\u201f\u3000-\u303f\u4e00-\u9fff\uff01-\uff5e]+")


def _invisible_characters(text: str) -> list[str]:
    """Zero-width and bidi-control characters (Unicode category Cf): invisible on the page,
    they break search and can reorder what a reader sees (RLO U+202E)."""
    rest = ORDINARY_TEXT.sub("", text)
    return sorted({f"U+{ord(c):04X}" for c in rest if unicodedata.category(c) == "Cf"})


# Each detector first reads all of a record's texts joined by this character.
# Joining can add a match but never hide one: no OpenCC table entry contains a
# control character (its segmentation restarts there, and conversion never
# produces one), and the other detectors' patterns neither cross it nor look
# further than one character either side (it is neither CJK, a letter, a
# parenthesis nor Cf). So a detector that finds nothing in the joined texts
# finds nothing in any one of them.
_JOINER = "\x01"


def _pinyin_annotations(text: str) -> list[tuple[int, int, str]]:
    # Every annotation has an opening parenthesis: most texts have none.
    return find_pinyin_annotations(text) if "(" in text or "（" in text else []


def _prose(value: Any, texts: list[str], top: bool = True) -> None:
    """The texts _strings yields, in the same order, without their locations (which are only
    needed for a problem, and most records have none)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key in _NOT_PROSE or (top and key == "review"):
                continue
            if type(item) is str:  # most values: no call
                texts.append(item)
            else:
                _prose(item, texts, False)
    elif isinstance(value, list):
        for item in value:
            if type(item) is str:
                texts.append(item)
            else:
                _prose(item, texts, False)
    elif isinstance(value, str):
        texts.append(value)


def hygiene_problems(record: Record, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    # The per-text pass runs only the detectors that found something in the joined texts.
    texts: list[str] = []
    _prose(doc.data, texts)
    joined = _JOINER.join(texts)
    rewrite = REWRITE_MARK in joined and record.status is Status.published
    simplified = to_simplified(joined) == joined
    pinyin = bool(_pinyin_annotations(joined))
    invisible = bool(_invisible_characters(joined))
    garbled = may_be_garbled(joined)
    if not rewrite and simplified and not pinyin and not invisible and not garbled:
        return []
    problems = []
    for loc, text in _strings(doc.data, ()):
        if rewrite and REWRITE_MARK in text:
            problems.append(doc.problem(loc, "E260", f"已发布的记录仍有{REWRITE_MARK}标记：这是导入时照搬的来源原文，请用自己的话改写后删去标记"))
        traditional = [] if simplified else _traditional_characters(text)
        if traditional:
            chars = "".join(traditional[:10])
            problems.append(doc.problem(loc, "W301", f"含有繁体字 {chars}；记录应使用简体中文（showcase clean 可转换）", Severity.warning))
        for _, _, match in (_pinyin_annotations(text)[:3] if pinyin else ()):
            problems.append(doc.problem(loc, "W302", f"含有拼音注音 {match}，像是转换残留；请删掉括号中的拼音", Severity.warning))
        found = _invisible_characters(text) if invisible else []
        if found:
            problems.append(doc.problem(loc, "W304", f"含有看不见的格式字符 {'、'.join(found[:5])}（零宽字符或文字方向控制符）；请删除", Severity.warning))
        for _, snippet in (find_garbled(text)[:3] if garbled else ()):
            problems.append(doc.problem(loc, "W303", f"含有乱码 “{snippet}”；请对照原文核实，无法核实时在 notes 中说明", Severity.warning))
    return problems
