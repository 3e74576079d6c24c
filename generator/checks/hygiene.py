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
from generator.schema.record import Record
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


# Format characters that belong to an emoji: the joiner between two pictographs (👨‍👩‍👧) and
# the tag characters of a subdivision flag (🏴 + tags + cancel tag).
_ZWJ = "\u200d"
_EMOJI_TAG_SEQUENCE = re.compile("\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F")
_EMOJI_MODIFIERS = frozenset("\ufe0f\U0001F3FB\U0001F3FC\U0001F3FD\U0001F3FE\U0001F3FF")


def _pictograph(char: str) -> bool:
    code = ord(char) if char else 0
    return 0x1F000 <= code <= 0x1FAFF or 0x2600 <= code <= 0x27BF or 0x2B00 <= code <= 0x2BFF or 0x2190 <= code <= 0x23FF


def _emoji_joiners_removed(text: str) -> str:
    """text without the joiners inside emoji sequences (and their flags' tags): those are drawn, not hidden."""
    text = _EMOJI_TAG_SEQUENCE.sub("", text)
    if _ZWJ not in text:
        return text
    kept = []
    for index, char in enumerate(text):
        if char == _ZWJ:
            before = index - 1
            while before >= 0 and text[before] in _EMOJI_MODIFIERS:
                before -= 1
            after = text[index + 1] if index + 1 < len(text) else ""
            if before >= 0 and _pictograph(text[before]) and _pictograph(after):
                continue
        kept.append(char)
    return "".join(kept)


def _invisible_characters(text: str) -> list[str]:
    """Zero-width and bidi-control characters (Unicode category Cf): invisible on the page,
    they break search and can reorder what a reader sees (RLO U+202E)."""
    rest = ORDINARY_TEXT.sub("", text)
    if not rest:
        return []
    if _ZWJ in rest or "\U000E007F" in rest:  # in the whole text: dropping the ordinary text could bring a joiner next to an emoji
        rest = ORDINARY_TEXT.sub("", _emoji_joiners_removed(text))
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


def _identifiers(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    """The texts _strings leaves out (web addresses, paths, notes…) but review material: an
    invisible character hides in a link as well as in prose."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not loc and key == "review":
                continue
            if key in _NOT_PROSE:
                yield from _all_strings(item, loc + (key,))
            else:
                yield from _identifiers(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _identifiers(item, loc + (index,))


def _all_strings(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _all_strings(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _all_strings(item, loc + (index,))


def _identifiers_have_invisible(data: Any) -> bool:
    return any(_invisible_characters(text) for _, text in _identifiers(data, ()))


def _invisible_problem(doc: SourceDocument, loc: Loc, found: list[str]) -> Problem:
    return doc.problem(loc, "W304", f"含有看不见的格式字符 {'、'.join(found[:5])}（零宽字符或文字方向控制符）；请删除", Severity.warning)


def _listed(snippets: list[str]) -> str:
    """“?”、“^”（共 5 处）: the distinct snippets, a few of them, and how many there are."""
    distinct = list(dict.fromkeys(snippets))
    shown = "、".join(f"“{snippet}”" for snippet in distinct[:3])
    return shown + (f"（共 {len(snippets)} 处）" if len(snippets) > 1 else "")


def hygiene_problems(record: Record, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    # The per-text pass runs only the detectors that found something in the joined texts.
    texts: list[str] = []
    _prose(doc.data, texts)
    joined = _JOINER.join(texts)
    # The whole file at once (its prose, links, paths and review material): most files have no
    # format character anywhere, and then neither walk below looks for one. A double-quoted
    # escape ("\u200b") is a character only once read: then the texts are looked at.
    if doc.text and "\\" not in doc.text:
        invisible = bool(_invisible_characters(doc.text))
    else:
        invisible = bool(_invisible_characters(joined)) or _identifiers_have_invisible(doc.data)
    problems = [
        _invisible_problem(doc, loc, found)
        for loc, text in (_identifiers(doc.data, ()) if invisible else ())
        if (found := _invisible_characters(text))
    ]
    simplified = to_simplified(joined) == joined
    pinyin = bool(_pinyin_annotations(joined))
    invisible = invisible and bool(_invisible_characters(joined))
    garbled = may_be_garbled(joined)
    if simplified and not pinyin and not invisible and not garbled:
        return problems
    for loc, text in _strings(doc.data, ()):
        traditional = [] if simplified else _traditional_characters(text)
        if traditional:
            chars = "".join(traditional[:10])
            problems.append(doc.problem(loc, "W301", f"含有繁体字 {chars}；记录应使用简体中文（showcase clean 可转换）", Severity.warning))
        # One line per text and kind, however many findings (a name with three ? once said “3 个警告”
        # and printed one line).
        annotations = [match for _, _, match in _pinyin_annotations(text)] if pinyin else []
        if annotations:
            problems.append(doc.problem(loc, "W302", f"含有拼音注音 {_listed(annotations)}，像是转换残留；请删掉括号中的拼音", Severity.warning))
        found = _invisible_characters(text) if invisible else []
        if found:
            problems.append(_invisible_problem(doc, loc, found))
        runs = [snippet for _, snippet in find_garbled(text)] if garbled else []
        if runs:
            problems.append(doc.problem(loc, "W303", f"含有乱码 {_listed(runs)}；请对照原文核实，无法核实时在 notes 中说明", Severity.warning))
    return problems
