"""The bigram token scheme (generator.search.tokens) and the synonym table."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.search.synonyms import SYNONYM_GROUPS, variants
from generator.search.tokens import code, decode, index_tokens, query_parts, uncode


def contains_run(tokens: list[str], run: tuple[str, ...]) -> bool:
    return any(tuple(tokens[i : i + len(run)]) == run for i in range(len(tokens) - len(run) + 1))


def found(query: str, text: str) -> bool:
    """What the browser does with the index of `text`: every part matches (phrase or prefix)."""
    tokens = index_tokens(text)
    for part in query_parts(query):
        if part.phrase:
            if not contains_run(tokens, part.tokens):
                return False
        elif not any(t.startswith(part.tokens[0]) for t in tokens):
            return False
    return True


@pytest.mark.parametrize("char", ["电", "a", "0", "𠀀", "\U0010ffff", "，"])
def test_code_is_fixed_width_and_reversible(char):
    assert len(code(char)) == 4
    assert uncode(code(char)) == char


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("武汉金域蓝湾", "武汉金域蓝湾"),
        ("葛洲坝·城市花园", "葛洲坝·城市花园"),
        ("每月推送H5月报，“四公开一监督”", "每月推送h5月报，“四公开一监督”"),
        ("ＡＰＰ  平台\n上线", "app 平台 上线"),
        ("“1+1+X”联席会议", "“1+1+x”联席会议"),
        ("No.47 满意度95%以上", "no.47 满意度95%以上"),
        ("<img src=x>", "<img src=x>"),
    ],
)
def test_index_tokens_decode_to_the_normalized_text(text, decoded):
    assert decode(index_tokens(text)) == decoded


def test_tokens_are_ascii_or_untouched_punctuation():
    for token in index_tokens("武汉金域蓝湾 H5，电瓶车！"):
        assert token.isascii() or not any(ch.isalnum() for ch in token)


@pytest.mark.parametrize(
    ("query", "texts", "phrases"),
    [
        ("电动车", ["电动车"], [True]),
        ("业委会 武汉", ["业委会", "武汉"], [True, False]),
        ("湾", ["湾"], [False]),
        ("H5月报", ["h5", "月报"], [False, False]),
        ("“四公开一监督”", ["四公开一监督"], [True]),
        ("  ，。 ", [], []),
    ],
)
def test_query_parts(query, texts, phrases):
    parts = query_parts(query)
    assert [p.text for p in parts] == texts
    assert [p.phrase for p in parts] == phrases


@pytest.mark.parametrize(
    ("query", "text", "expected"),
    [
        ("电动车", "小区一个晚上丢了11辆电动车三轮车", True),
        ("电动车", "加装电梯，组织文体活动，规范停车", False),  # same characters, not the word
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
        ("pp", "智慧平台APP", False),
        ("武汉 金域", "武汉市沌口 金域蓝湾", True),
        ("武汉 长沙", "武汉金域蓝湾", False),
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
@given(text=st.text(alphabet="电动车瓶业委会", min_size=1, max_size=30), query=st.text(alphabet="电动车瓶业委会", min_size=3, max_size=6))
def test_phrase_found_only_if_substring(text, query):
    assert found(query, text) is (query in text)


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
