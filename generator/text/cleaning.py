"""Clean text that came through the article converter.

The source articles reach us in traditional script with the converter's
artifacts: pinyin in parentheses after characters (`活動(dòng)`), garbled
characters (`??钤`, `?稐l例`, `怡?;▓@`) and half-width punctuation between
Chinese characters. `clean_text` undoes what can be undone safely and flags
the rest; it never drops or guesses a garbled character, because only the
editor, holding the original, can tell what it was.

The detectors (`find_pinyin_annotations`, `find_garbled`, `to_simplified`) are
public: `generator.checks.hygiene` uses them for validation warnings, so the importer
and `showcase check` see the same artifacts.

Every step keeps the line structure, so a line number in the cleaned text is
the line number in the article.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from typing import NamedTuple

# ---- character classes --------------------------------------------------------

_CJK_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
CJK = f"[{_CJK_RANGES}]"
_CJK_RE = re.compile(CJK)
# Full-width punctuation that marks Chinese context as surely as a character does.
_CJK_PUNCT = set("，。、；：！？（）“”‘’《》〈〉【】「」『』…—·")


def is_cjk(char: str) -> bool:
    return bool(char) and bool(_CJK_RE.match(char))


def _chinese_context(char: str) -> bool:
    return is_cjk(char) or char in _CJK_PUNCT


# ---- traditional → simplified -------------------------------------------------


@lru_cache(maxsize=1)
def _converter():
    import opencc  # imported lazily: only cleaning and hygiene checks need it

    return opencc.OpenCC("t2s")


# Traditional texts write 著 for both 著 (著名) and 着 (跟着, 皱着眉, 着力); OpenCC's t2s keeps 著.
# Modern usage keeps 著 only in these words (with the character before or after it):
_ZHU_BEFORE = "名作称述者录书有文说译"  # 著名 著作 著称 著述 著者 著录 著书 著有 著文 著说 著译
_ZHU_AFTER = "显卓昭名原编专巨论土遗译合新拙撰彰杰所"  # 显著 卓著 … 土著 遗著 所著
_ZHE = re.compile(f"(?<![{_ZHU_AFTER}])著(?![{_ZHU_BEFORE}])")


def to_simplified(text: str) -> str:
    """Traditional → Simplified Chinese with OpenCC's t2s table (character level), and 著 → 着
    where modern usage writes 着 (跟著 → 跟着, 著力 → 着力; 著名, 显著 stay)."""
    if not text:
        return text
    simplified = _converter().convert(text)
    return _ZHE.sub("着", simplified) if "著" in simplified else simplified


# ---- pinyin annotations -------------------------------------------------------
#
# Conversion tools annotate characters with their reading in many shapes: half- or
# full-width parentheses, spaces inside them or not, one syllable or several (joined,
# or apart by spaces, hyphens, apostrophes), tone marks (dòng) or tone numbers (dong4),
# capitals at a sentence start, ü written v. One pattern takes them all; what tells an
# annotation from real parentheses is that every word in it is a pinyin syllable and
# that it follows a character: "(QQ)", "(APP)", "(1+1+X)" and "(A1)" stay.

_TONED_LOWER = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
_TONED = _TONED_LOWER + _TONED_LOWER.upper()
_INITIAL = r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
_FINAL = (
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|üan|van|ai|ei|ao|ou|an|en|in|un|ün|vn"
    r"|ia|ie|iu|ua|uo|ui|üe|ve|ue|er|a|o|e|i|u|ü|v)"
)
_PLAIN_SYLLABLE = _INITIAL + _FINAL
# One word of an annotation: up to four syllables written together (kāizhǎn), each with an optional
# tone number (kai1zhan3). Tone marks are folded to plain letters before the word is matched.
_WORD = re.compile(rf"(?:{_PLAIN_SYLLABLE}[0-5]?){{1,4}}")
_LETTERS = f"a-zA-ZüÜɑɡ{_TONED}"
_SEPARATORS = re.compile(r"[ \u3000'’\-·]+")
_OPEN, _CLOSE = "[(（]", "[)）]"
# Characters a lost character leaves behind: an annotation can follow them too ("日?(qǐng)").
_GARBAGE = "?？\ufffd\ue000-\uf8ff"
# Parentheses around letters, tone digits and separators, after a character that is neither a space
# nor a Latin letter or digit; a space before the parenthesis goes with it. Whether the inside is
# pinyin is decided by `_is_pinyin`: a bounded pattern and a check, never nested repetition.
_CANDIDATE = re.compile(
    rf"(?<=[^\sA-Za-z0-9])[ \u3000]?{_OPEN}[ \u3000]*(?P<inside>[{_LETTERS}][{_LETTERS}0-5 \u3000'’\-·]{{0,40}}?)[ \u3000]*{_CLOSE}"
)
_AFTER_CHARACTER = re.compile(f"[{_CJK_RANGES}{_GARBAGE}]")
_TONE_MARKS = {
    **{c: "a" for c in "āáǎàĀÁǍÀɑ"}, **{c: "e" for c in "ēéěèĒÉĚÈ"}, **{c: "i" for c in "īíǐìĪÍǏÌ"},
    **{c: "o" for c in "ōóǒòŌÓǑÒ"}, **{c: "u" for c in "ūúǔùŪÚǓÙ"}, **{c: "ü" for c in "ǖǘǚǜǕǗǙǛÜ"},
    **{c: "n" for c in "ńňǹ"}, "ḿ": "m", "ɡ": "g",
}
_FOLD = str.maketrans(_TONE_MARKS)
_NUMBERED = re.compile(r"[a-zü][0-5](?![0-9])")


def _is_pinyin(inside: str, before: str) -> bool:
    """Whether the text inside the parentheses is a reading: every word pinyin, and either marked
    (a tone mark or tone number) or right after a Chinese character (plain lowercase letters)."""
    marked = any(c in _TONE_MARKS for c in inside) or bool(_NUMBERED.search(inside))
    if not marked and (not inside.islower() or not _AFTER_CHARACTER.match(before)):
        return False
    words = _SEPARATORS.split(inside.strip(" \u3000").translate(_FOLD).lower())
    return all(word and _WORD.fullmatch(word) for word in words)


# Every annotation is parentheses around letters (after optional spaces): a cheap test that most
# texts with parentheses fail, before the pattern above runs.
# A capital starts a reading only when a small or toned letter follows ("(Xī'ān)"; not "(QQ)", "(A1)").
_SMALL = f"a-züɑɡ{_TONED}"
_ANNOTATION_SHAPE = re.compile(rf"{_OPEN}[ \u3000]*[A-ZÜ]?[{_SMALL}][{_LETTERS}0-5 \u3000'’\-·]*{_CLOSE}")


def find_pinyin_annotations(text: str) -> list[tuple[int, int, str]]:
    """(start, end, "(dòng)") for every pinyin annotation; real parentheses are not matched.

    A space before the annotation is part of it ("活动 (dòng)" → "活动").
    """
    if not _ANNOTATION_SHAPE.search(text):
        return []
    found = []
    for m in _CANDIDATE.finditer(text):
        start = m.start() + (1 if text[m.start()] in " \u3000" else 0)
        if _is_pinyin(m.group("inside"), text[start - 1]):
            found.append((m.start(), m.end(), m.group()))
    return found


# Pinyin that lost one of its parentheses to the garbling, next to the lost character:
# "日?qǐng)?bào)" (opening eaten) or "活?(dòng?" (closing eaten). Only tone-marked words count.
_ORPHAN_CANDIDATE = re.compile(
    rf"(?<=[{_GARBAGE}])(?P<closed>[{_LETTERS}][{_LETTERS}0-5 '’\-·]{{0,30}}?){_CLOSE}"
    rf"|{_OPEN}(?P<open>[{_LETTERS}][{_LETTERS}0-5 '’\-·]{{0,30}}?)(?=[{_GARBAGE}])"
)


def _orphan(match: re.Match[str]) -> str:
    inside = match.group("closed") or match.group("open")
    toned = any(c in _TONE_MARKS and c not in "ɑɡ" for c in inside)
    return "" if toned and _is_pinyin(inside, "?") else match.group()


def remove_pinyin_annotations(text: str) -> str:
    return _remove_annotations(text)[0]


def _remove_annotations(text: str) -> tuple[str, int]:
    """The text without annotations, including those that lost a parenthesis; and how many went."""
    pieces, last = [], 0
    found = find_pinyin_annotations(text)
    for start, end, _ in found:
        pieces.append(text[last:start])
        last = end
    pieces.append(text[last:])
    text = "".join(pieces)
    removed = [0]
    if any(c in text for c in _TONED):

        def orphan(match: re.Match[str]) -> str:
            kept = _orphan(match)
            removed[0] += not kept
            return kept

        text = _ORPHAN_CANDIDATE.sub(orphan, text)
    return text, len(found) + removed[0]


# ---- garbled characters -------------------------------------------------------


class Garbled(NamedTuple):
    """A run of characters the converter mangled, as it stands in the text."""

    index: int
    snippet: str


_QUESTION_WORDS = re.compile(r"吗|呢|什么|怎么|怎样|能否|是否|如何|为什么|為什麼|哪|谁|誰|几|幾|多少|难道|難道|何")
_CLAUSE_END = set("，。；：！？,.;:!?\n“”\"")
# Characters that appear inside converter garbage but never next to a Chinese
# character in real text.
_BLOCKS = {chr(c) for c in range(0x2500, 0x25A0)}  # box drawing, block elements: never in our prose
_JUNK = set("^@") | _BLOCKS


def _is_private_use(char: str) -> bool:
    code = ord(char)
    return 0xE000 <= code <= 0xF8FF or 0xF0000 <= code <= 0x10FFFF


def _is_real_question(text: str, index: int) -> bool:
    """A question mark ending a question (能否接受?) rather than a lost character."""
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if not (is_cjk(before) or before in "”’）)"):
        return False
    if after in ("?", "？") or after in _JUNK or (after.isascii() and after.isalnum()):
        return False
    start = index
    while start > 0 and text[start - 1] not in _CLAUSE_END and index - start < 30:
        start -= 1
    return bool(_QUESTION_WORDS.search(text[start:index]))


def _suspicious(text: str, index: int) -> bool:
    char = text[index]
    before = text[index - 1] if index > 0 else ""
    after = text[index + 1] if index + 1 < len(text) else ""
    if char == "\ufffd" or _is_private_use(char):
        return True
    if char in ("?", "？"):
        near_cjk = is_cjk(before) or is_cjk(after)
        glued = bool(before.strip()) and bool(after.strip())
        return (near_cjk or glued or before in ("?", "？") or after in ("?", "？")) and not _is_real_question(text, index)
    if char in _BLOCKS:
        return True
    if char in _JUNK:
        return _chinese_context(before) or _chinese_context(after) or bool({before, after} & (_JUNK | {"?", "？"}))
    if char in ";!" and before in ("?", "？"):
        return True  # "?;▓@", "?!稐": the tail of a garbled multi-byte sequence
    if char.isascii() and char.isalpha():
        # a lone latin letter wedged between Chinese characters: "稐l例"
        return is_cjk(before) and is_cjk(after)
    return False


# Pinyin whose opening parenthesis was eaten by the garbling: "日?qǐng)?bào)".
_TONED_SYLLABLE = rf"[a-zü{_TONED_LOWER}]*[{_TONED_LOWER}][a-zü{_TONED_LOWER}]*"
_ORPHAN_PINYIN = re.compile(rf"(?<![(（a-zü{_TONED_LOWER}]){_TONED_SYLLABLE}[)）]")


# A superset of what _suspicious flags, found by regex searches: validation
# runs these over the text of every record. Two patterns rather than one
# alternation, each starting with a character set: re then skips ahead to that
# set instead of trying every position (3× faster on record text).
_CANDIDATE_CHARACTER = re.compile("[\ufffd\ue000-\uf8ff\U000f0000-\U0010ffff?？\u2500-\u259f^@]")
_CANDIDATE_LETTER = re.compile("[A-Za-z](?<=[^\x00-\x7f][A-Za-z])(?=[^\x00-\x7f])")  # a lone letter between non-ASCII
# An orphan pinyin fragment has a tone mark: most texts have none.
_TONE_MARK = re.compile(f"[{_TONED_LOWER}]")


def may_be_garbled(text: str) -> bool:
    """False when find_garbled surely finds nothing: a few regex searches, no per-character scan.

    Neither search matches across an ASCII control character nor looks further
    than one character either side, so for texts joined by one (validation
    joins a record's texts with U+0001) it is False for the whole only if it
    is False for every piece.
    """
    return bool(
        _CANDIDATE_CHARACTER.search(text)
        or _CANDIDATE_LETTER.search(text)
        or (_TONE_MARK.search(text) and _ORPHAN_PINYIN.search(text))
    )


# Where `?` and `^` are what they seem. A web address: `?` starts its query (it ends at a
# space, a control character or Chinese punctuation). An emoticon: ^^, ^_^. A run of
# question marks ending a question or an English sentence (真的吗??? / What???), or a
# run of full-width ？ (converters lose characters as ASCII ?) before the end of a clause.
_URL = re.compile(r"(?:https?|ftp)://[^\s\x00-\x1f\x7f<>\"'“”‘’\u3000-\u303f\uff01-\uff5e]+")
_EMOTICON = re.compile(r"\^[_\-.oO]?\^")
_QUESTION_RUN = re.compile(r"[?？]{2,}|？")
_AFTER_CLAUSE = set("，。；：！？、”’）)」』】》…—!,.;:\"'")


def _ordinary_marks(text: str) -> set[int]:
    """Indices of `?` and `^` that are punctuation, not lost characters (see above)."""
    ordinary: set[int] = set()
    for match in _URL.finditer(text):
        ordinary.update(range(match.start(), match.end()))
    for match in _EMOTICON.finditer(text):
        start, end = match.start(), match.end()
        around = {text[start - 1] if start else "", text[end] if end < len(text) else ""}
        if not around & (_JUNK | {"?", "？"}):
            ordinary.update(range(start, end))
    for match in _QUESTION_RUN.finditer(text):
        start, end = match.start(), match.end()
        after = text[end] if end < len(text) else ""
        if not (after == "" or after.isspace() or not after.isprintable() or after in _AFTER_CLAUSE):
            continue  # glued to what follows: 拨出??钤
        before = text[start - 1] if start else ""
        clause = start
        while clause > 0 and text[clause - 1] not in _CLAUSE_END and start - clause < 30:
            clause -= 1
        if (
            "?" not in match.group()  # full-width only
            or before == "" or before.isspace() or (before.isascii() and before.isalnum()) or before in "!！"
            or _QUESTION_WORDS.search(text[clause:start])
        ):
            ordinary.update(range(start, end))
    return ordinary


def find_garbled(text: str) -> list[Garbled]:
    """Every run of garbled characters: U+FFFD, private-use characters, question
    marks standing for lost characters (not real questions, not a web address's
    query, not emphasis), converter junk (not an emoticon), pinyin fragments that
    lost their opening parenthesis.

    Adjacent suspicious characters are reported as one run, at its first index.
    """
    if not may_be_garbled(text):
        return []  # the common case: nothing _suspicious could flag, skip the per-character scan
    orphans = {i for m in _ORPHAN_PINYIN.finditer(text) for i in range(m.start(), m.end())}
    ordinary = _ordinary_marks(text) if "?" in text or "？" in text or "^" in text else set()
    runs: list[Garbled] = []
    start = None
    for index in range(len(text) + 1):
        bad = index < len(text) and index not in ordinary and (index in orphans or _suspicious(text, index))
        if bad and start is None:
            start = index
        elif not bad and start is not None:
            runs.append(Garbled(start, text[start:index]))
            start = None
    return runs


def line_col(text: str, index: int) -> tuple[int, int]:
    """1-based line and column of a character index."""
    line = text.count("\n", 0, index) + 1
    column = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, column


# ---- punctuation --------------------------------------------------------------

_FULLWIDTH_ALNUM = {chr(c): chr(c - 0xFEE0) for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({chr(c): chr(c - 0xFEE0) for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH_ALNUM["％"] = "%"
_TO_FULL = {",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}


def _neighbour(line: str, index: int, step: int) -> str:
    index += step
    while 0 <= index < len(line) and line[index] in " \t\u3000":
        index += step
    return line[index] if 0 <= index < len(line) else ""


def _normalise_line(line: str, protected: set[int]) -> str:
    """Punctuation in Chinese context → full-width; numbers and latin stay half-width."""
    chars = [_FULLWIDTH_ALNUM.get(c, c) for c in line]
    drop: set[int] = set()
    opened: list[tuple[int, bool]] = []  # (index, became full-width) for "(" / "（"
    quote_open = True
    has_cjk = any(is_cjk(c) for c in chars)
    for i, char in enumerate(chars):
        if i in protected:
            continue
        before, after = _neighbour(line, i, -1), _neighbour(line, i, 1)
        chinese = _chinese_context(before) or _chinese_context(after)
        if char in ",:" and before.isdigit() and after.isdigit():
            continue  # 1,439 and 24:00
        if char in "(（":
            full = char == "（" or chinese
            chars[i] = "（" if full else "("
            opened.append((i, full))
            continue
        if char in ")）":
            matched_full = opened.pop()[1] if opened else False
            full = char == "）" or matched_full or (chinese and not opened)
            chars[i] = "）" if full else ")"
            continue
        if char == '"' and has_cjk:
            chars[i] = "“" if quote_open else "”"
            quote_open = not quote_open
            continue
        if char == "." and is_cjk(before) and (is_cjk(after) or after == ""):
            chars[i] = "。"
        elif char in ",:;!?" and chinese:
            chars[i] = _TO_FULL[char]
        else:
            continue
        # Full-width punctuation carries its own spacing: drop spaces around it.
        for step in (-1, 1):
            j = i + step
            while 0 <= j < len(line) and line[j] in " \t":
                drop.add(j)
                j += step
    return "".join(c for i, c in enumerate(chars) if i not in drop)


def normalise_punctuation(text: str, protected: set[int] | None = None) -> str:
    """Normalise every line; characters at `protected` indices (garbled runs) are left alone."""
    protected = protected or set()
    out, offset = [], 0
    for line in text.split("\n"):
        local = {i - offset for i in protected if offset <= i < offset + len(line)}
        out.append(_normalise_line(line, local))
        offset += len(line) + 1
    return "\n".join(out)


# ---- the whole cleaning -------------------------------------------------------


@dataclass(frozen=True)
class CleaningIssue:
    line: int
    column: int
    snippet: str
    context: str

    def format(self, path: str = "") -> str:
        where = f"{path}:" if path else ""
        return (
            f"{where}{self.line}:{self.column} 乱码 “{self.snippet}”（上下文：{self.context}）"
            "：未删除也未猜测，请对照原文核实"
        )


@dataclass
class CleanedText:
    text: str
    garbled: list[CleaningIssue] = field(default_factory=list)
    pinyin_removed: int = 0
    traditional_converted: int = 0


def clean_text(text: str) -> CleanedText:
    """Simplified script, no pinyin annotations, publishing punctuation; garbled runs flagged.

    Order matters: pinyin is removed before garbled characters are looked for,
    so the tone letters of `(qū)` are not mistaken for junk; garbled runs are
    found before punctuation is normalised, so their `?;!` are kept verbatim.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff")
    simplified = to_simplified(text)
    converted = sum(1 for a, b in zip(text, simplified) if a != b)
    simplified = unicodedata.normalize("NFC", simplified)  # tone marks typed as combining accents
    stripped, annotations = _remove_annotations(simplified)
    protected = {run.index + k for run in find_garbled(stripped) for k in range(len(run.snippet))}
    cleaned = normalise_punctuation(stripped, protected)
    issues = []
    for run in find_garbled(cleaned):
        line, column = line_col(cleaned, run.index)
        context = cleaned[max(0, run.index - 4) : run.index + len(run.snippet) + 4].replace("\n", " ")
        issues.append(CleaningIssue(line, column, run.snippet, context))
    return CleanedText(cleaned, issues, annotations, converted)
