"""The search token scheme: Chinese text → ASCII tokens that Pagefind indexes verbatim.

Why not let Pagefind segment Chinese itself: its extended indexer splits words
with a jieba-style dictionary, while the browser splits the query with ICU
(`Intl.Segmenter`). The two disagree on exactly the words this catalogue is
searched for — 电动车 is one indexed word but three query words (电|动|车), so a
record saying 电动车 is not found by 电动车, and 业委会 misses records. A
user dictionary cannot fix the query side.

So we index overlapping character bigrams, which need no dictionary at all:
every position of a run of letters starts a token, so any substring of the
text is found (a one-character query prefix-matches the bigrams that start
with it; a longer one is an exact phrase of its bigrams). The tokens are
written in ASCII (c + base-36 code points) so that neither the indexer nor the
browser's segmenter can split or merge them. `assets/search.js` implements the
same scheme for queries; `tests/test_search_tokens.py` pins both to shared
examples.

Token kinds (every token is one Pagefind word):
- ``c`` + 4 base-36 digits per character: one character ("tail") or two
  characters (bigram) of a run of non-ASCII letters/digits (CJK and others);
- ``w`` + word: a run of ASCII letters/digits, lowercased (h5, app, 12345);
- punctuation and symbols are written as themselves and whitespace as ``␣``:
  Pagefind does not index them, but keeps them in the stored content, so the
  browser can decode a record's text for excerpts (``decode``).

A phrase never matches across two runs of letters: the last character of a
run is a one-character token, and a phrase query is made of bigrams only.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterator, Literal

DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"
CODE_WIDTH = 4  # 36**4 = 1,679,616 > 0x10FFFF: every code point fits
SPACE = "\u2423"  # ␣: not a word character, so Pagefind stores it without indexing it
FIELD_BREAK = "\u00b6"  # ¶: written between fields; decoded as a line break
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")

UnitKind = Literal["word", "char", "sep", "space"]


def code(char: str) -> str:
    """A character's code point as 4 base-36 digits: 电 → '0fst'."""
    value = ord(char)
    out = []
    for _ in range(CODE_WIDTH):
        value, digit = divmod(value, 36)
        out.append(DIGITS[digit])
    return "".join(reversed(out))


def uncode(digits: str) -> str:
    return chr(int(digits, 36))


def normalize_char(char: str) -> str:
    """NFKC (full-width Ａ１ → a1, compatibility forms) and lower case, one character at a time.

    Per character rather than per string so that punctuation keeps its original
    form for excerpts (，stays full-width) and the browser side can do the same.
    """
    return unicodedata.normalize("NFKC", char).lower()


@dataclass(frozen=True)
class Unit:
    kind: UnitKind
    text: str


def _is_letter_or_digit(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def _letters(text: str) -> Iterator[tuple[UnitKind, str]]:
    """Per character: ("char", letter) for each normalized letter/digit, else space or separator."""
    for char in text:
        if char.isspace():
            yield "space", " "
            continue
        normalized = normalize_char(char)
        if normalized and all(_is_letter_or_digit(n) for n in normalized):
            for letter in normalized:
                yield "char", letter
        else:
            yield "sep", char


def units(text: str) -> Iterator[Unit]:
    """Split text into ASCII words, single letters (CJK…), separators and spaces (runs merged)."""
    word: list[str] = []
    previous: UnitKind | None = None
    for kind, letter in _letters(text):
        if kind == "char" and letter in _ASCII_ALNUM:
            word.append(letter)
            continue
        if word:
            yield Unit("word", "".join(word))
            word.clear()
            previous = "word"
        if kind == "space" and previous == "space":
            continue
        yield Unit(kind, letter)
        previous = kind
    if word:
        yield Unit("word", "".join(word))


def index_tokens(text: str) -> list[str]:
    """The tokens indexed for a piece of text, in text order (one per unit)."""
    seq = list(units(text))
    tokens: list[str] = []
    for i, unit in enumerate(seq):
        if unit.kind == "char":
            following = seq[i + 1] if i + 1 < len(seq) else None
            if following is not None and following.kind == "char":
                tokens.append("c" + code(unit.text) + code(following.text))
            else:
                tokens.append("c" + code(unit.text))
        elif unit.kind == "word":
            tokens.append("w" + unit.text)
        elif unit.kind == "sep":
            tokens.append(unit.text)
        else:
            tokens.append(SPACE)
    return tokens


def decode(tokens: list[str]) -> str:
    """Tokens back to (normalized) text: the browser does this to show excerpts."""
    out: list[str] = []
    previous_word = False
    for token in tokens:
        kind, body = token[:1], token[1:]
        is_word = kind == "w" and body.isascii() and body.isalnum()
        if kind == "c" and len(body) in (CODE_WIDTH, 2 * CODE_WIDTH) and body.isascii() and body.isalnum():
            out.append(uncode(body[:CODE_WIDTH]))
        elif is_word:
            out.append((" " if previous_word else "") + body)
        elif token == SPACE:
            out.append(" ")
        elif token == FIELD_BREAK:
            out.append("\n")
        else:
            out.append(token)
        previous_word = is_word
    return "".join(out)


@dataclass(frozen=True)
class QueryPart:
    """One piece of a query that must be found: a run of letters or one ASCII word.

    `tokens` is what to search: a single token is prefix-matched by Pagefind;
    several tokens (bigrams of a run of 3+ characters) must be an exact phrase.
    """

    text: str
    tokens: tuple[str, ...]

    @property
    def phrase(self) -> bool:
        return len(self.tokens) > 1


def query_parts(query: str) -> list[QueryPart]:
    """A query → the parts that must all occur (separators and spaces split parts).

    A run of n ≥ 2 characters becomes its n-1 bigrams (the last character is
    inside the last bigram, whatever follows it in the text); one character is
    a prefix of every bigram that starts with it.
    """
    parts: list[QueryPart] = []
    run: list[str] = []

    def flush() -> None:
        if len(run) == 1:
            parts.append(QueryPart(run[0], ("c" + code(run[0]),)))
        elif run:
            bigrams = tuple("c" + code(a) + code(b) for a, b in zip(run, run[1:]))
            parts.append(QueryPart("".join(run), bigrams))
        run.clear()

    for unit in units(query):
        if unit.kind == "char":
            run.append(unit.text)
            continue
        flush()
        if unit.kind == "word":
            parts.append(QueryPart(unit.text, ("w" + unit.text,)))
    flush()
    return parts
