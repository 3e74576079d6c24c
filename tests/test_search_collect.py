"""postings.collect (numpy) finds exactly what the plain definition says, range by range.

The reference below is the definition written as plainly as possible, one
character at a time: pairs of LETTER_RUN characters within one class text
(value rid << position bits | region start + index), and per record each
letter and ASCII word prefix once, with the highest class it occurs in.
"""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from generator.search import postings
from generator.search.documents import CLASSES
from generator.search.postings import class_texts, collect, layout, merge, normalize_fields
from generator.search.tokens import ASCII_WORD, LETTER_RUN, word_keys

ROOT = Path(__file__).resolve().parents[1]


def reference(texts: list[list[str]], shape: postings.Layout) -> postings.Postings:
    pairs: dict[str, array] = {}
    singles: dict[str, array] = {}
    for rid, groups in enumerate(texts):
        best: dict[str, int] = {}
        for field_class in range(CLASSES - 1, -1, -1):
            text = groups[field_class]
            for index in range(len(text) - 1):
                key = text[index : index + 2]
                if LETTER_RUN.fullmatch(key):
                    value = (rid << 8 * shape.pos_bytes) + shape.regions[field_class] + index
                    pairs.setdefault(key, array(shape.pair_code)).append(value)
            for char in text:
                if char.isalnum() and not (char.isascii() and (char.isdigit() or char.islower())) and char != "_":
                    best.setdefault(char, field_class)
            for word in ASCII_WORD.findall(text):
                for key in word_keys(word):
                    best.setdefault(key, field_class)
        for key, field_class in best.items():
            singles.setdefault(key, array(shape.single_code)).append(rid << 8 | field_class)
    collected = ({k: v.tobytes() for k, v in pairs.items()}, {k: v.tobytes() for k, v in singles.items()})
    return merge(len(texts), shape, [collected])


def _texts(documents: list[list[tuple[str, int]]]) -> list[list[str]]:
    return [class_texts(fields) for fields in normalize_fields(documents)]


def _shipped_documents() -> list[list[tuple[str, int]]]:
    from generator.schema.site_config import load_site_config
    from generator.build.records import CatalogueLoader
    from generator.search.documents import record_document

    catalogue = CatalogueLoader(load_site_config(ROOT / "site_config.yml"), cache=False).load()
    return [record_document(entry, catalogue, f"records/{entry.slug}/").fields for entry in catalogue.visible]


ODD_TEXTS = [
    [("电动车充电桩", 0), ("业委会", 5)],
    [("𠀀𠀁 𪚥𪚥 emoji 😀😀 ＡＢＣ全角", 0), ("“1+1+X”联席会议", 2)],
    [("H5 App 2021年 snake_case Ⅻ ① ²", 1)],
    [("甲", 0), ("乙", 1), ("", 2), ("丙丁", 3)],
    [("电" * 300 + "动车", 0)],
    [],
    [("ÀÉÎ ñandú Ωμέγα кириллица", 4)],
]


@pytest.mark.parametrize("records", [1, 3, 7, 2000])
def test_collect_finds_what_the_definition_says_in_ranges_of_any_size(records: int, monkeypatch) -> None:
    monkeypatch.setattr(postings, "COLLECT_RANGE", records)
    documents = ODD_TEXTS + _shipped_documents()
    texts = _texts(documents)
    shape = layout(texts)
    assert merge(len(texts), shape, collect(texts, shape)) == reference(texts, shape)


def test_the_sort_without_packed_integers_gives_the_same(monkeypatch) -> None:
    documents = ODD_TEXTS + _shipped_documents()
    texts = _texts(documents)
    shape = layout(texts)
    packed = merge(len(texts), shape, collect(texts, shape))
    monkeypatch.setattr(postings, "_PACKED_BITS", 8)  # nothing fits: stable argsort and lexsort
    assert merge(len(texts), shape, collect(texts, shape)) == packed == reference(texts, shape)


@pytest.fixture(scope="module")
def synthetic_texts(tmp_path_factory) -> list[list[str]]:
    """300 synthetic records (names, places and themes repeat, as at 10,000) and a text whose positions need three bytes."""
    from bench.synthetic import generate
    from generator.schema.site_config import load_site_config
    from generator.build.records import CatalogueLoader
    from generator.search.documents import record_document

    folder = tmp_path_factory.mktemp("syn")
    generate(300, folder / "syn")
    catalogue = CatalogueLoader(load_site_config(folder / "syn" / "site_config.yml"), cache=False).load()
    documents = [record_document(e, catalogue, f"records/{e.slug}/").fields for e in catalogue.visible]
    documents.append([("长" * 70000 + "电动车", 0)])
    return _texts(documents)


def test_wide_numbers_and_synthetic_catalogues(synthetic_texts) -> None:
    shape = layout(synthetic_texts)
    assert shape.pos_bytes == 3
    assert merge(len(synthetic_texts), shape, collect(synthetic_texts, shape)) == reference(synthetic_texts, shape)


CLASS_WEIGHTS = [1, 2, 4, 5, 6, 10]  # search.js


def reference_leads(built: postings.Postings, count: int) -> dict[str, set[int]]:
    """Each key's first `count` records as search.js ranks a query of that key alone: the weight of the
    best class it is in, plus 1/20 a match up to ten for a bigram (0.05 for a character or word), then rid."""
    from search_support import entries

    starts = sorted((start, field_class) for field_class, start in enumerate(built.regions))
    leads = {}
    for key in built.payloads:
        scores: dict[int, tuple[int, int]] = {}  # rid → (best class, matches)
        for rid, second in entries(built, key):
            field_class = [c for s, c in starts if s <= second][-1] if built.positional(key) else second
            best, matches = scores.get(rid, (field_class, 0))
            scores[rid] = (best, matches + 1)
        score = {rid: CLASS_WEIGHTS[c] + (min(m, 10) / 20 if built.positional(key) else 0.05) for rid, (c, m) in scores.items()}
        leads[key] = set(sorted(score, key=lambda rid: (-score[rid], rid))[:count])
    return leads


@pytest.mark.parametrize("count", [1, 6])
def test_leads_are_the_records_a_query_of_the_key_shows_first(synthetic_texts, count: int, monkeypatch) -> None:
    from generator.search import leads

    monkeypatch.setattr(leads, "LEAD_RECORDS", count)
    monkeypatch.setattr(postings, "LEAD_BATCH", 5000)  # several batches
    texts = synthetic_texts[:120] + _texts(ODD_TEXTS)
    shape = layout(texts)
    built = merge(len(texts), shape, collect(texts, shape))
    assert {key: set(rids) for key, rids in built.leads.items()} == reference_leads(built, count)
    assert any(len(rids) == count for rids in built.leads.values())


def test_normalized_class_texts_are_the_normalized_fields_joined() -> None:
    """The index normalizes a class's joined text at once where it can (tokens.normalize_lines)."""
    documents = ODD_TEXTS + [
        [("第一行\n第二行", 0), ("甲  乙", 0), ("Ａ 丙\n", 0)],  # a field's own line break becomes a space
        [("业委会  ", 3), ("  物业\t公司", 3), ("", 3)],
        [("\n", 1), ("x", 1)],
    ] + _shipped_documents()
    assert [postings.normalized_class_texts(fields) for fields in documents] == _texts(documents)
