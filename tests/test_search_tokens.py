"""The key scheme (generator.search.tokens), the postings built from it, and the synonym table.

`found` indexes a text and searches it the way assets/search.js does
(search_support.search), so these tests pin what any query finds.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search.documents import CLASS_NAME, CLASS_TEXT, SearchDocument
from generator.search import postings
from generator.search.postings import build_postings, class_texts, collect, layout, merge, normalize_fields
from generator.search.synonyms import SYNONYM_GROUPS, group_keys, variants
from generator.search.tokens import cover, key_hash, normalize, query_parts
from search_support import entries, search


def document(*fields: tuple[str, int]) -> SearchDocument:
    doc = SearchDocument(url="", meta={}, filters={})
    for text, field_class in fields:
        doc.add(text, field_class)
    return doc


def index(*texts: str):
    return build_postings([document((t, CLASS_TEXT)) for t in texts])


def found(query: str, text: str) -> bool:
    return search(index(text), query) == {0}


@pytest.mark.parametrize(
    ("text", "normalized"),
    [
        ("武汉金域蓝湾", "武汉金域蓝湾"),
        ("每月推送H5月报，“四公开一监督”", "每月推送h5月报，“四公开一监督”"),
        ("ＡＰＰ  平台\n上线", "app 平台 上线"),
        ("“1+1+X”联席会议", "“1+1+x”联席会议"),
        ("面积12㎡", "面积12m2"),
        ("¼", " "),
        ("<img src=x>", "<img src=x>"),
    ],
)
def test_normalize(text, normalized):
    assert normalize(text) == normalized


@pytest.mark.parametrize(
    ("query", "kinds", "texts", "keys"),
    [
        ("电动车", ["run"], ["电动车"], [("电动", "动车")]),
        ("四公开一监督", ["run"], ["四公开一监督"], [("四公", "开一", "监督")]),
        ("业委会 武汉", ["run", "run"], ["业委会", "武汉"], [("业委", "委会"), ("武汉",)]),
        ("湾", ["char"], ["湾"], [("湾",)]),
        ("H5月报", ["word", "run"], ["h5", "月报"], [("h5",), ("月报",)]),
        ("“四公开一监督”", ["run"], ["四公开一监督"], [("四公", "开一", "监督")]),
        ("  ，。 ", [], [], []),
    ],
)
def test_query_parts(query, kinds, texts, keys):
    parts = query_parts(query)
    assert [p.kind for p in parts] == kinds
    assert [p.text for p in parts] == texts
    assert [p.keys for p in parts] == keys


@pytest.mark.parametrize("length", range(2, 12))
def test_cover_touches_every_character(length):
    offsets = cover(length)
    assert offsets[0] == 0 and offsets[-1] == length - 2
    assert all(b - a in (1, 2) for a, b in zip(offsets, offsets[1:]))


def test_key_hash_is_fnv1a_over_code_points():
    assert key_hash("") == 0x811C9DC5
    assert key_hash("a") == 0xE40C292C  # the published FNV-1a test vector
    assert key_hash("电动") != key_hash("动电")


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("电动车", "小区一个晚上丢了11辆电动车三轮车", True),
        ("电动车", "加装电梯，组织文体活动，规范停车", False),  # same characters, not the word
        ("电动车", "电动自行车和机动车", False),  # both bigrams, never together
        ("四公开一监督", "严格履行“四公开一监督”工作机制", True),
        ("四公开一监督", "定期公开账目，接受居民监督", False),
        ("业委会", "著力打造“红色业委会”", True),
        ("业委会", "居民委员会牵头", False),
        ("金域蓝湾", "武汉金域蓝湾", True),
        ("蓝湾小区", "金域蓝湾，小区", False),  # never across punctuation
        ("湾", "金域蓝湾", True),
        ("金", "金域蓝湾", True),
        ("h5", "推送H5月报", True),
        ("app", "智慧平台APP", True),
        ("ap", "智慧平台APP", True),
        ("pp", "智慧平台APP", False),
        ("武汉 金域", "武汉市沌口 金域蓝湾", True),
        ("武汉 长沙", "武汉金域蓝湾", False),
        ("哈哈哈哈", "哈哈哈", False),
        ("哈哈哈", "哈哈哈哈", True),
    ],
)
def test_found_exactly_when_the_text_contains_the_query(query, text, expected):
    assert found(query, text) is expected


# Chinese is matched anywhere (any substring); ASCII words only from their start (h5 finds H5月报).
@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet="电动车瓶业委会主员武汉金域蓝湾，。 ", min_size=1, max_size=40),
    data=st.data(),
)
def test_every_substring_is_found(text, data):
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    query = text[start:end]
    if query_parts(query):
        assert found(query, text)


@settings(max_examples=200, deadline=None)
@given(text=st.text(alphabet="电动车瓶业委会", min_size=1, max_size=30), query=st.text(alphabet="电动车瓶业委会", min_size=2, max_size=7))
def test_phrase_found_only_if_substring(text, query):
    assert found(query, text) is (query in text)


def test_phrases_never_span_two_fields_or_records():
    doc = document(("金域", CLASS_NAME), ("蓝湾", CLASS_TEXT), ("金域", CLASS_TEXT))
    other = document(("蓝湾", CLASS_NAME))
    postings = build_postings([doc, other])
    assert search(postings, "金域蓝湾") == set()
    assert search(postings, "金域") == {0}
    assert search(postings, "蓝湾") == {0, 1}


def class_at(regions: list[int], position: int) -> int:
    """What search.js does: the class whose region starts last at or before the position."""
    return max(range(len(regions)), key=lambda c: (regions[c] <= position, regions[c] if regions[c] <= position else -1))


def test_positions_say_the_field_class():
    doc = document(("金域蓝湾", CLASS_NAME), ("金域花园", CLASS_TEXT))
    postings = build_postings([doc])
    assert sorted(class_at(postings.regions, p) for _, p in entries(postings, "金域")) == [CLASS_TEXT, CLASS_NAME]
    assert entries(postings, "湾") == [(0, CLASS_NAME)]
    assert entries(postings, "花") == [(0, CLASS_TEXT)]


def test_long_texts_use_wider_positions():
    postings = build_postings([document(("电" * 70000 + "动车", CLASS_TEXT))])
    assert postings.pos_bytes == 3
    assert search(postings, "电动车") == {0}
    assert search(postings, "电电电电") == {0}


@pytest.mark.parametrize("records_a_range", [1, 2, 3])
def test_ranges_of_records_merge_into_the_same_postings(monkeypatch, records_a_range: int):
    docs = [document((t, CLASS_TEXT)) for t in ["电动车", "业委会电动车", "电瓶车", "H5电动"]]
    texts = [class_texts(f) for f in normalize_fields([d.fields for d in docs])]
    shape = layout(texts)
    whole = merge(4, shape, collect(texts, shape))
    assert whole == build_postings(docs)
    monkeypatch.setattr(postings, "COLLECT_RANGE", records_a_range)
    assert len(collect(texts, shape)) == -(-4 // records_a_range) + 1  # and one of every record's word prefixes
    assert merge(4, shape, collect(texts, shape)) == whole


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("电动车", {"电动车", "电瓶车", "电动自行车", "电单车"}),
        ("电瓶车充电", {"电动车充电", "电瓶车充电", "电动自行车充电", "电单车充电"}),
        ("业主委员会", {"业委会", "业主委员会"}),
        ("武汉", {"武汉"}),
    ],
)
def test_synonym_variants(query, expected):
    assert set(variants(query)) == expected
    assert variants(query)[0] == query


def test_synonym_groups_are_disjoint_and_real_groups():
    words = [w for group in SYNONYM_GROUPS for w in group]
    assert len(words) == len(set(words))
    assert all(len(group) >= 2 for group in SYNONYM_GROUPS)


def test_group_keys_are_every_key_inside_the_groups_words():
    assert group_keys(("业委会", "业主委员会")) == sorted({"业委", "委会", "业主", "主委", "委员", "员会"})
    # Every cover key of every variant's own word is among them (the browser reads those from the group's file).
    for group in SYNONYM_GROUPS:
        inside = set(group_keys(group))
        assert {key for word in group for part in query_parts(word) for key in part.keys} <= inside


def test_the_characters_normalize_skips_are_left_unchanged_by_it():
    """tokens.UNCHANGED lets normalize skip its per-character table: every character it admits must map to itself."""
    from generator.search.tokens import UNCHANGED, normalize_char

    admitted = [chr(c) for c in range(0x110000) if UNCHANGED.fullmatch(chr(c))]
    assert len(admitted) > 20000
    assert [c for c in admitted if normalize_char(c) != c] == []
