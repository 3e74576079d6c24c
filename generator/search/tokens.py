"""What the search index is keyed by: normalized text, its letter runs, and the keys of a query.

Chinese has no spaces, and a word segmenter splits the indexed text and the
reader's query differently (电动车 is one word in a record but 电|动|车 in the
query), so the index needs no dictionary at all. Text is normalized one
character at a time (NFKC, lower case; full-width Ａ１ → a1) and then seen as:

- runs of non-ASCII letters (CJK and others): every character is a key
  (*unigram*, record level) and every two neighbouring characters are a key
  (*bigram*, with positions);
- runs of ASCII letters/digits (*words*: h5, app, 2015, and 95% — a percent
  sign ends a word, so 95% finds "95%以上" and not "950户"): every prefix of a
  word is a key (record level), so a query word is matched from a word's start;
- anything else (punctuation, spaces) separates runs and is never matched.

A query part of n ≥ 2 characters is found exactly where it occurs as written:
its *cover* — bigrams at offsets 0, 2, 4, … and n-2 — must all occur at
those offsets from one start position in the same record. Any substring of
a record's text is thus found, and a phrase never matches across
punctuation or between fields. `assets/search.js` mirrors `query_parts` and
`key_hash`; tests/browser/test_search_browser.py checks they agree.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

MAX_WORD_PREFIX = 16  # longer query words are matched by their first 16 letters

_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
# In normalized text every letter/digit satisfies str.isalnum() and no separator does.
LETTER_RUN = re.compile(r"[^\W_0-9a-z]+")
ASCII_WORD = re.compile(r"[0-9a-z]+%?")
_SPACES = re.compile(r" {2,}")

PartKind = Literal["char", "run", "word"]


@lru_cache(maxsize=None)
def normalize_char(char: str) -> str:
    """One character as the index sees it.

    Letters/digits → NFKC lower case (may be several letters: ㎡ → m2); ％ → %;
    whitespace → " "; other characters stay as written (，stays full-width, so
    excerpts keep the punctuation) unless they are themselves alphanumeric
    without normalizing to letters (¼ → 1⁄4), which become a space so they can
    never join a run.
    """
    if char.isspace():
        return " "
    normalized = unicodedata.normalize("NFKC", char).lower()
    if normalized and all(_is_letter(n) for n in normalized):
        return normalized
    if normalized == "%":  # ％ → %: a percent sign can end a word (95%)
        return "%"
    return " " if char.isalnum() else char


def _is_letter(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


class _Table(dict):
    """str.translate table that classifies each new character once (a cache the size of the alphabet)."""

    def __missing__(self, code: int) -> str:
        value = normalize_char(chr(code))
        self[code] = value
        return value


_TABLE = _Table()


# Characters normalize_char leaves as they are, written as ranges a regular expression scans
# at C speed: CJK ideographs, printable ASCII but capitals, common Chinese punctuation
# (tests/test_search_tokens.py checks every one of them). Nearly all record text is made
# of these, and translate() looks up each character in a Python dict: 6× slower.
_UNCHANGED_CHARS = "\u4e00-\u9fff\x20-\x40\x5b-\x7e，。、；：？！“”‘’（）《》【】…—·"
UNCHANGED = re.compile(f"[{_UNCHANGED_CHARS}]*")


def normalize(text: str) -> str:
    """Normalized text: letters normalized, whitespace runs → one space, punctuation kept."""
    if UNCHANGED.fullmatch(text) is None:
        text = text.translate(_TABLE)
    return _SPACES.sub(" ", text) if "  " in text else text  # the check is a C scan; sub() costs more


_UNCHANGED_LINES = re.compile(f"[{_UNCHANGED_CHARS}\n]*")  # UNCHANGED, or a line break


def normalize_lines(texts: list[str]) -> str:
    """"\n".join(normalize(t) for t in texts), with one scan of the joined text where no character
    needs normalizing (nearly always): a field's own line break must still become a space, so the
    fast way is taken only when the joins are the text's only line breaks. A run of spaces never
    spans a line break, so collapsing them in the joined text is the same as in each text."""
    joined = "\n".join(texts)
    if joined.count("\n") == len(texts) - 1 and _UNCHANGED_LINES.fullmatch(joined) is not None:
        return _SPACES.sub(" ", joined) if "  " in joined else joined
    return "\n".join(map(normalize, texts))


@lru_cache(maxsize=1 << 16)
def key_hash(key: str) -> int:
    """FNV-1a (32 bit) over the key's code points: which shard file holds a key (search.js does the same)."""
    value = 0x811C9DC5
    for char in key:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def word_keys(word: str) -> list[str]:
    """The keys an indexed ASCII word is found by: its prefixes (h, h5)."""
    return [word[:i] for i in range(1, min(len(word), MAX_WORD_PREFIX) + 1)]


def cover(length: int) -> list[int]:
    """Offsets of the bigrams that pin down a run of `length` ≥ 2 characters: 0, 2, 4, …, length-2."""
    offsets = list(range(0, length - 1, 2))
    if offsets[-1] != length - 2:
        offsets.append(length - 2)
    return offsets


@dataclass(frozen=True)
class QueryPart:
    """One piece of a query that must be found: a run of letters or one ASCII word.

    `keys` are what to look up: for a run, its cover bigrams (at `offsets`);
    for one character, the character; for a word, its first 16 letters.
    """

    kind: PartKind
    text: str
    keys: tuple[str, ...]
    offsets: tuple[int, ...] = (0,)


def _part(kind: PartKind, text: str) -> QueryPart:
    if kind == "word":
        return QueryPart("word", text, (text[:MAX_WORD_PREFIX],))
    if len(text) == 1:
        return QueryPart("char", text, (text,))
    offsets = cover(len(text))
    return QueryPart("run", text, tuple(text[o : o + 2] for o in offsets), tuple(offsets))


def query_parts(query: str) -> list[QueryPart]:
    """A query → the parts that must all occur (punctuation and spaces split parts)."""
    parts: list[QueryPart] = []
    text = normalize(query)
    for match in re.finditer(r"[0-9a-z]+%?|[^\W_0-9a-z]+", text):
        piece = match.group()
        parts.append(_part("word" if piece[0] in _ASCII_ALNUM else "run", piece))
    return parts
