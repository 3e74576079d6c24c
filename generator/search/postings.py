"""Search documents → posting lists: which records hold each key, and where.

Record ids (rids) are the documents' positions in catalogue order. Each
document's fields are laid out in one *virtual* text by class, best class
first (all names in one region, then headlines, places, mechanism names,
titles, running text); the region starts are the same for every record, so a
position alone says which class a match is in, and the browser ranks by it
without a per-record table. Fields of a class are joined with a line break,
which no key spans.

A posting is a sorted list of fixed-width big-endian numbers, stored as byte
*planes* (all first bytes, then all second bytes, …) so that gzip sees long
runs of alike bytes:

- bigram keys: one entry per occurrence, rid then position
  (RID_BYTES + POS_BYTES wide; the browser counts occurrences per rid);
- character and word-prefix keys: one entry per record, rid then best class.

Speed: at 10,000 records there are ~9 million bigram occurrences. Every loop
over them runs inside map/deque over C methods (str +, dict lookup,
array.append), never as a Python statement per character, and occurrences
are kept in one array per key (4 bytes each) instead of lists of objects.
"""

from __future__ import annotations

import sys
from array import array
from collections import deque
from dataclasses import dataclass
from itertools import islice, repeat
from operator import add

from generator.search.documents import CLASSES, SearchDocument
from generator.search.tokens import ASCII_WORD, LETTER_RUN, normalize, word_keys

_REGION_ORDER = tuple(range(CLASSES - 1, -1, -1))  # name region first
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")
_APPEND = array.append


@dataclass(frozen=True)
class Layout:
    regions: list[int]  # region start per class (index = class)
    rid_bytes: int
    pos_bytes: int

    @property
    def pair_code(self) -> str:
        return "I" if self.rid_bytes + self.pos_bytes <= 4 else "Q"

    @property
    def single_code(self) -> str:
        return "I" if self.rid_bytes + 1 <= 4 else "Q"


@dataclass
class Postings:
    records: int
    regions: list[int]
    rid_bytes: int
    pos_bytes: int
    payloads: dict[str, bytes]  # key → byte planes (see module docstring)

    def positional(self, key: str) -> bool:
        return len(key) == 2 and key[0] not in _ASCII_ALNUM


# Occurrences of one range of records: key → packed numbers (native byte order), pairs and singles.
Collected = tuple[dict[str, bytes], dict[str, bytes]]


Fields = list[tuple[str, int]]  # (text, class) of one document


def normalize_fields(documents: list[Fields]) -> list[Fields]:
    """Each document's fields with normalized text (tokens.normalize): for the index and the excerpts."""
    return [[(normalize(text), field_class) for text, field_class in fields] for fields in documents]


def class_texts(fields: Fields) -> list[str]:
    """A document's normalized text per class ("" where it has none)."""
    groups: list[list[str]] = [[] for _ in range(CLASSES)]
    for text, field_class in fields:
        groups[field_class].append(text)
    return ["\n".join(g) for g in groups]


def layout(texts: list[list[str]]) -> Layout:
    """Region start per class (each region as long as its longest text, plus a separator) and number widths."""
    starts = [0] * CLASSES
    at = 0
    for field_class in _REGION_ORDER:
        starts[field_class] = at
        at += max((len(t[field_class]) for t in texts), default=0) + 1
    return Layout(starts, _width(max(len(texts) - 1, 0)), _width(at))


def _width(largest: int) -> int:
    """Bytes a number needs (at least 2: the common case, and what gzip handles best)."""
    return max(2, (largest.bit_length() + 7) // 8)


class _Arrays(dict):
    """key → array of packed numbers, created on first use (dict lookups stay in C)."""

    def __init__(self, typecode: str) -> None:
        super().__init__()
        self.typecode = typecode

    def __missing__(self, key: str) -> array:
        value = self[key] = array(self.typecode)
        return value


def collect(texts: list[list[str]], shape: Layout, first_rid: int) -> Collected:
    """Every adjacent pair of characters (rid, position) and every letter/word prefix (rid, class) of the records
    `texts` (class texts), whose rids start at `first_rid`."""
    pos_shift = 8 * shape.pos_bytes
    pairs = _Arrays(shape.pair_code)  # letters or not: the non-keys are dropped per distinct pair in `merge`
    singles = _Arrays(shape.single_code)
    letters = _Letters()
    for rid, groups in enumerate(texts, first_rid):
        seen: set[str] = set()
        words: dict[str, int] = {}
        for field_class in _REGION_ORDER:
            text = groups[field_class]
            if not text:
                continue
            first = (rid << pos_shift) + shape.regions[field_class]
            keys = map(add, text, islice(text, 1, None))
            deque(map(_APPEND, map(pairs.__getitem__, keys), range(first, first + len(text) - 1)), maxlen=0)
            fresh = letters.of(text) - seen
            seen |= fresh
            deque(map(_APPEND, map(singles.__getitem__, fresh), repeat(rid << 8 | field_class)), maxlen=0)
            for word in ASCII_WORD.findall(text):
                for key in word_keys(word):
                    words.setdefault(key, field_class)
        for key, field_class in words.items():
            singles[key].append(rid << 8 | field_class)
    return (
        {key: numbers.tobytes() for key, numbers in pairs.items() if LETTER_RUN.fullmatch(key)},
        {key: numbers.tobytes() for key, numbers in singles.items()},
    )


def merge(records: int, shape: Layout, parts: list[Collected]) -> Postings:
    """Collected ranges, in rid order → one posting per key, as byte planes."""
    payloads: dict[str, bytes] = {}
    for index, (typecode, width) in enumerate(((shape.pair_code, shape.rid_bytes + shape.pos_bytes), (shape.single_code, shape.rid_bytes + 1))):
        keys = sorted(set().union(*(part[index] for part in parts)))
        for key in keys:
            numbers = array(typecode, b"".join(part[index].get(key, b"") for part in parts))
            payloads[key] = _planes(numbers, width)
    return Postings(records, shape.regions, shape.rid_bytes, shape.pos_bytes, payloads)


def build_postings(documents: list[SearchDocument]) -> Postings:
    """All in this process (indexer.py splits the work over two)."""
    texts = [class_texts(fields) for fields in normalize_fields([doc.fields for doc in documents])]
    shape = layout(texts)
    return merge(len(texts), shape, [collect(texts, shape, 0)])


def _planes(numbers: array, width: int) -> bytes:
    """The low `width` bytes of each number, big-endian, as byte planes."""
    if sys.byteorder == "little":
        numbers.byteswap()
    raw = numbers.tobytes()
    size = numbers.itemsize
    return b"".join(raw[i::size] for i in range(size - width, size))


class _Letters:
    """The non-ASCII letters/digits of a text, as a set (each character classified once)."""

    def __init__(self) -> None:
        self.known: set[str] = set()
        self.letters: set[str] = set()

    def of(self, text: str) -> set[str]:
        chars = set(text)
        for char in chars - self.known:
            self.known.add(char)
            if char.isalnum() and char not in _ASCII_ALNUM and char != "_":
                self.letters.add(char)
        return chars & self.letters
