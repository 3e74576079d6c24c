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

Speed: at 10,000 records there are ~9 million bigram occurrences. They are
found with numpy, never with a Python step per character: every character of
a range of records becomes a small integer, each pair of them one integer
key, and one sort groups the occurrences by key (in their original order
within a key). At 10,000 records that takes 1.7 s of CPU where the
dict-and-array loop it replaced took 3.7 s, most of the search index's time.
ASCII word prefixes go the same way (Python only finds and numbers the words,
once for all records), and each class's fields are normalized in one scan
(tokens.normalize_lines): with these, write_bundle took 9.1–9.6 s of CPU at
10,000 records where it took 11.0–12.5 s (best of 3 runs, each way twice, on
a busy shared machine, 2026-12-03).
"""

from __future__ import annotations

import sys
from array import array
from dataclasses import dataclass

import numpy as np

from generator.search.documents import CLASSES, SearchDocument
from generator.search import leads as lead_rules
from generator.search.tokens import ASCII_WORD, LETTER_RUN, normalize, normalize_lines, word_keys

_REGION_ORDER = tuple(range(CLASSES - 1, -1, -1))  # name region first
_ASCII_ALNUM = frozenset("0123456789abcdefghijklmnopqrstuvwxyz")


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
    leads: dict[str, list[int]]  # key → the records a query of the key alone shows first (leads.py)

    def positional(self, key: str) -> bool:
        return len(key) == 2 and key[0] not in _ASCII_ALNUM


# Occurrences of one range of records: key → packed numbers (native byte order), pairs and singles.
Collected = tuple[dict[str, bytes], dict[str, bytes]]


Fields = list[tuple[str, int]]  # (text, class) of one document


def normalize_fields(documents: list[Fields]) -> list[Fields]:
    """Each document's fields with normalized text (tokens.normalize): with class_texts, what
    normalized_class_texts does in fewer steps (the tests' plain definition)."""
    return [[(normalize(text), field_class) for text, field_class in fields] for fields in documents]


def class_texts(fields: Fields) -> list[str]:
    """A document's normalized text per class ("" where it has none)."""
    return ["\n".join(g) for g in _by_class(fields)]


def normalized_class_texts(fields: Fields) -> list[str]:
    """class_texts of the document's fields as written, normalized (tokens.normalize_lines): the index's texts."""
    return [normalize_lines(g) for g in _by_class(fields)]


def _by_class(fields: Fields) -> list[list[str]]:
    groups: list[list[str]] = [[] for _ in range(CLASSES)]
    for text, field_class in fields:
        groups[field_class].append(text)
    return groups


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


# Records collected at a time: the arrays of a thousand records are reused by the allocator,
# where those of 10,000 at once were fresh memory each time (the kernel's page faults took most
# of a second; the results are the same).
COLLECT_RANGE = 1000


def collect(texts: list[list[str]], shape: Layout) -> list[Collected]:
    """Every adjacent pair of characters (rid, position) and every letter/word prefix (rid, class) of the
    records' class texts: one Collected per range of records (merge joins them), and the word prefixes
    of all records in one more (their keys are never letters, so no key is in two kinds of part)."""
    parts = [_collect_range(texts[start : start + COLLECT_RANGE], shape, start) for start in range(0, len(texts), COLLECT_RANGE)]
    parts.append(({}, _word_prefixes(texts, shape.single_code)))
    return parts


def _collect_range(texts: list[list[str]], shape: Layout, first_rid: int) -> Collected:
    chars = _Characters.of(texts, shape, first_rid)
    # Pairs: both characters letters (LETTER_RUN), not across two texts; one entry per occurrence.
    first, second = chars.ids[:-1], chars.ids[1:]
    keep = chars.pair_letter[first]
    keep &= chars.pair_letter[second]
    keep[chars.text_ends[:-1]] = False  # a text's last character and the next text's first
    keys = first[keep].astype(np.uint64)
    keys <<= np.uint64(chars.id_bits)
    keys |= second[keep]
    pairs = _grouped(
        keys, 2 * chars.id_bits, chars.values[:-1][keep], 8 * (shape.rid_bytes + shape.pos_bytes), shape.pair_code,
        lambda key: chars.text[key >> chars.id_bits] + chars.text[key & chars.id_mask],
    )
    del first, second, keep, keys
    # Letters: one entry per record and letter, with the best class it occurs in (the highest).
    letter = chars.single_letter[chars.ids]
    singles = _best_classes(chars.ids[letter], chars.rid_classes[letter], chars.id_bits, shape.single_code, chars.text.__getitem__)
    del letter
    return pairs, singles


# Key and value share one unsigned integer for sorting where both fit (tests lower it to try the other way).
_PACKED_BITS = 64
# array typecodes → numpy types of the same width, in native byte order (array.tobytes() writes native order).
_NUMPY_CODES = {"I": np.dtype("=u4"), "Q": np.dtype("=u8")}


class _Characters:
    """Every character of a range of records' class texts as numbers, in text order.

    `ids` numbers the distinct characters densely (`text[id]` is the character),
    so a pair of them fits in one integer; `values` is each character's posting
    value (rid << position bits | position in the virtual text), ascending;
    `rid_classes` is rid << 8 | class of the text it is in; `text_ends` are the
    indexes of each text's last character.
    """

    def __init__(self, ids, text: list[str], values, rid_classes, text_ends) -> None:
        self.ids, self.text, self.values, self.rid_classes, self.text_ends = ids, text, values, rid_classes, text_ends
        self.id_bits = max(1, (len(text) - 1).bit_length())
        self.id_mask = (1 << self.id_bits) - 1
        # Per distinct character: can it be in a pair key (LETTER_RUN), is it a letter key of its own.
        self.pair_letter = np.array([bool(LETTER_RUN.fullmatch(c)) for c in text] or [False], dtype=bool)
        self.single_letter = np.array(
            [c.isalnum() and c not in _ASCII_ALNUM and c != "_" for c in text] or [False], dtype=bool
        )

    @classmethod
    def of(cls, texts: list[list[str]], shape: Layout, first_rid: int) -> "_Characters":
        pos_shift = 8 * shape.pos_bytes
        pieces: list[str] = []
        starts: list[int] = []  # posting value of each text's first character
        rid_classes: list[int] = []
        for rid, groups in enumerate(texts, first_rid):
            for field_class in _REGION_ORDER:
                text = groups[field_class]
                if text:
                    pieces.append(text)
                    starts.append((rid << pos_shift) + shape.regions[field_class])
                    rid_classes.append(rid << 8 | field_class)
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        points = np.frombuffer("".join(pieces).encode("utf-32-le", "surrogatepass"), dtype="<u4")
        offsets = np.cumsum(lengths) - lengths
        values = np.repeat(np.array(starts, dtype=np.int64) - offsets, lengths)
        values += np.arange(len(points), dtype=np.int64)
        present = np.zeros(0x110000, dtype=bool)
        present[points] = True
        distinct = np.flatnonzero(present)
        dense = np.zeros(0x110000, dtype=np.uint32)
        dense[distinct] = np.arange(len(distinct), dtype=np.uint32)
        return cls(
            dense[points],
            [chr(c) for c in distinct.tolist()],
            values.astype(np.uint64),
            np.repeat(np.array(rid_classes, dtype=np.uint64), lengths),
            offsets + lengths - 1,
        )


def _grouped(keys, key_bits: int, values, value_bits: int, code: str, key_text) -> dict[str, bytes]:
    """key text → its values as bytes of array `code`, ascending (`values` come ascending, `keys` are
    unsigned integers of `key_bits`). Both go into one integer and one sort where they fit in 64 bits
    (a third of a stable argsort's time)."""
    if key_bits + value_bits <= _PACKED_BITS:
        keys <<= np.uint64(value_bits)
        keys |= values
        keys.sort()
        return _runs(keys >> np.uint64(value_bits), keys & np.uint64((1 << value_bits) - 1), code, key_text)
    order = np.argsort(keys, kind="stable")
    return _runs(keys[order], values[order], code, key_text)


def _runs(keys, values, code: str, key_text) -> dict[str, bytes]:
    """Sorted keys and their values → key text → values as bytes of array `code`."""
    if not len(keys):
        return {}
    numbers = values.astype(_NUMPY_CODES[code])
    cuts = np.flatnonzero(keys[1:] != keys[:-1]) + 1
    bounds = [0, *cuts.tolist(), len(keys)]
    firsts = keys[bounds[:-1]].tolist()
    return {key_text(key): numbers[start:stop].tobytes() for key, start, stop in zip(firsts, bounds, bounds[1:])}


def _best_classes(ids, rid_classes, id_bits: int, code: str, key_text) -> dict[str, bytes]:
    """Occurrences (key id of `id_bits`, rid << 8 | class) → key text → one rid << 8 | class per record,
    with the highest class the key occurs in there, as bytes of array `code` (ascending)."""
    ids = ids.astype(np.uint64)
    rid_class_bits = max(8, int(rid_classes.max(initial=0)).bit_length())  # the class is always the low 8 bits
    if id_bits + rid_class_bits <= _PACKED_BITS:
        ids <<= np.uint64(rid_class_bits)
        ids |= rid_classes
        ids.sort()  # key, then rid, then class
        highest = np.ones(len(ids), dtype=bool)  # the last (highest) class of each (key, rid)
        highest[:-1] = (ids[:-1] >> np.uint64(8)) != (ids[1:] >> np.uint64(8))
        ids = ids[highest]
        return _runs(ids >> np.uint64(rid_class_bits), ids & np.uint64((1 << rid_class_bits) - 1), code, key_text)
    order = np.lexsort((rid_classes, ids))
    ids, rid_classes = ids[order], rid_classes[order]
    highest = np.ones(len(ids), dtype=bool)
    highest[:-1] = (ids[:-1] != ids[1:]) | ((rid_classes[:-1] >> np.uint64(8)) != (rid_classes[1:] >> np.uint64(8)))
    return _runs(ids[highest], rid_classes[highest], code, key_text)


def _word_prefixes(texts: list[list[str]], code: str) -> dict[str, bytes]:
    """ASCII word prefixes (h, h5 …) → (rid, best class) entries, one per record.

    Python only finds the words (numbering the distinct ones); each word's
    prefixes are listed once, and numpy expands every occurrence into its
    prefixes and keeps the best class per record (_best_classes).
    """
    words: dict[str, int] = {}  # distinct word → its number
    found: list[int] = []  # the number of every word occurrence, in text order
    counts: list[int] = []  # words in each text that has any
    rid_classes: list[int] = []  # rid << 8 | class of each such text
    for rid, groups in enumerate(texts):
        for field_class in _REGION_ORDER:
            text = groups[field_class]
            if text:
                in_text = ASCII_WORD.findall(text)
                if in_text:
                    found += [words.setdefault(word, len(words)) for word in in_text]
                    counts.append(len(in_text))
                    rid_classes.append(rid << 8 | field_class)
    if not found:
        return {}
    prefixes: dict[str, int] = {}  # distinct prefix → its number
    flat: list[int] = []  # the prefixes of each distinct word, word after word
    widths: list[int] = []  # how many prefixes each distinct word has
    for word in words:
        keys = word_keys(word)
        flat += [prefixes.setdefault(key, len(prefixes)) for key in keys]
        widths.append(len(keys))
    occurrences = np.array(found, dtype=np.int64)
    width = np.array(widths, dtype=np.int64)[occurrences]
    first = (np.cumsum(widths) - widths)[occurrences]
    # Prefix i of occurrence j is flat[first[j] + i].
    total = int(width.sum())
    starts = np.cumsum(width) - width
    at = np.arange(total, dtype=np.int64) - np.repeat(starts - first, width)
    ids = np.array(flat, dtype=np.uint64)[at]
    occurrence_rid_classes = np.repeat(np.array(rid_classes, dtype=np.uint64), counts)
    text = list(prefixes)
    return _best_classes(ids, np.repeat(occurrence_rid_classes, width), max(1, (len(text) - 1).bit_length()), code, text.__getitem__)


def merge(records: int, shape: Layout, parts: list[Collected]) -> Postings:
    """Collected ranges, in rid order → one posting per key, as byte planes (and each key's leads)."""
    payloads: dict[str, bytes] = {}
    leads: dict[str, list[int]] = {}
    for index, (typecode, width) in enumerate(((shape.pair_code, shape.rid_bytes + shape.pos_bytes), (shape.single_code, shape.rid_bytes + 1))):
        chunks: dict[str, list[bytes]] = {}  # key → its numbers of each range that has it, in rid order
        for part in parts:
            for key, numbers in part[index].items():
                found = chunks.get(key)
                if found is None:
                    chunks[key] = [numbers]
                else:
                    found.append(numbers)
        size = array(typecode).itemsize
        planes = _plane_offsets(size, width)
        keys = sorted(chunks)
        raws = [b"".join(chunks[key]) for key in keys]
        del chunks
        for key, raw in zip(keys, raws):
            payloads[key] = b"".join([raw[i::size] for i in planes])
        leads.update(_leads(keys, raws, typecode, shape, positional=index == 0))
    return Postings(records, shape.regions, shape.rid_bytes, shape.pos_bytes, payloads, leads)


# Entries whose leads are worked out at a time: arrays of this size are reused by the allocator
# where those of all 9 million entries at 10,000 records were fresh memory, each step paying for
# the kernel's page faults (the leads took 1.4 s of CPU at once, 0.3 s in batches).
LEAD_BATCH = 1 << 18


def _leads(keys: list[str], raws: list[bytes], typecode: str, shape: Layout, *, positional: bool) -> dict[str, list[int]]:
    """leads.lead_records of one kind of key, its numbers as collected (raws): bigram values are
    rid, position (the position's region is its class); character and word values are rid, class."""
    size = array(typecode).itemsize
    low_bits = 8 * shape.pos_bytes if positional else 8
    dtype = _NUMPY_CODES[typecode]
    shift, mask = dtype.type(low_bits), dtype.type((1 << low_bits) - 1)
    starts = sorted((start, field_class) for field_class, start in enumerate(shape.regions))
    class_at = np.zeros(starts[-1][0] + 1, dtype=np.int64)  # field class of each position up to the last region's start
    for (start, field_class), (end, _) in zip(starts, [*starts[1:], (len(class_at), None)]):
        class_at[start:end] = field_class
    last = dtype.type(len(class_at) - 1)
    leads: dict[str, list[int]] = {}
    first = 0
    while first < len(keys):
        stop, entries = first, 0
        while stop < len(keys) and (entries == 0 or entries + len(raws[stop]) // size <= LEAD_BATCH):
            entries += len(raws[stop]) // size
            stop += 1
        batch = raws[first:stop]
        values = np.frombuffer(b"".join(batch), dtype=dtype)
        lengths = np.fromiter(map(len, batch), dtype=np.int64, count=len(batch)) // size
        if positional:
            classes = lambda firsts: class_at[np.minimum(values[firsts] & mask, last)]  # noqa: E731
        else:
            classes = lambda firsts: (values[firsts] & mask).astype(np.int64)  # noqa: E731
        leads.update(lead_rules.lead_records(keys[first:stop], lengths, values >> shift, classes, lead_rules.LEAD_RECORDS))
        first = stop
    return leads


def build_postings(documents: list[SearchDocument]) -> Postings:
    """The postings of search documents (their fields as written; normalized here)."""
    texts = [normalized_class_texts(doc.fields) for doc in documents]
    shape = layout(texts)
    return merge(len(texts), shape, collect(texts, shape))


def _plane_offsets(size: int, width: int) -> range:
    """Where the low `width` bytes of a native number of `size` bytes are, most significant first:
    a posting's byte planes (big-endian) are its raw numbers sliced at these offsets."""
    if sys.byteorder == "little":
        return range(width - 1, -1, -1)
    return range(size - width, size)
