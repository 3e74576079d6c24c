"""The cheap tests hygiene and cleaning run first never hide a finding.

`showcase check` looks for pinyin, garbled text, invisible characters and
traditional characters in all of a record's texts joined into one, and the
detectors skip their full search when a cheap pattern finds nothing. Both are
only shortcuts: with or without them the findings must be the same.
"""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.text import cleaning
from generator.checks import hygiene
from generator.checks.hygiene import ORDINARY_TEXT

# The characters the detectors care about, and some they should not.
ALPHABET = "abgnhdòngqǐàüv15 XQ()（）?？@^文字活動乾测\ufffd\ue000\u200b\u202e“”,.。，\n\x01"
PIECES = st.text(alphabet=ALPHABET, max_size=30)
SETTINGS = settings(max_examples=1500, deadline=None, derandomize=True, database=None)


@SETTINGS
@given(PIECES)
def test_pinyin_shape_test_hides_no_annotation(text: str) -> None:
    expected = _without_shape_test(text)
    assert cleaning.find_pinyin_annotations(text) == expected


def _without_shape_test(text: str) -> list[tuple[int, int, str]]:
    saved = cleaning._ANNOTATION_SHAPE
    cleaning._ANNOTATION_SHAPE = re.compile("")
    try:
        return cleaning.find_pinyin_annotations(text)
    finally:
        cleaning._ANNOTATION_SHAPE = saved


@SETTINGS
@given(PIECES)
def test_garbled_pretest_hides_nothing(text: str) -> None:
    found = cleaning.find_garbled(text)
    saved = cleaning.may_be_garbled
    cleaning.may_be_garbled = lambda _: True  # type: ignore[assignment]
    try:
        assert cleaning.find_garbled(text) == found
    finally:
        cleaning.may_be_garbled = saved


@pytest.mark.parametrize(
    "text, expected",
    [("日?qǐng)报", True), ("中a文", True), ("中ab文", False), ("活动(dòng)", False), ("日dòng)报", True), ("普通文字", False), ("Q?", True)],
)
def test_garbled_pretest_examples(text: str, expected: bool) -> None:
    assert cleaning.may_be_garbled(text) is expected


@SETTINGS
@given(st.lists(PIECES.map(lambda piece: piece.replace("\x01", "")), min_size=1, max_size=5))
def test_a_finding_in_one_text_is_a_finding_in_the_joined_texts(pieces: list[str]) -> None:
    joined = hygiene._JOINER.join(pieces)
    detectors = {
        "pinyin": hygiene._pinyin_annotations,
        "garbled": cleaning.may_be_garbled,
        "invisible": hygiene._invisible_characters,
        "traditional": lambda text: cleaning.to_simplified(text) != text,
    }
    for name, detect in detectors.items():
        if any(detect(piece) for piece in pieces):
            assert detect(joined), (name, pieces)


def test_ordinary_text_has_no_format_characters() -> None:
    """hygiene skips these characters before looking for category Cf: none of them may be Cf."""
    ordinary = [chr(c) for c in range(0x110000) if ORDINARY_TEXT.fullmatch(chr(c))]
    assert len(ordinary) > 20000
    assert not [c for c in ordinary if unicodedata.category(c) == "Cf"]
