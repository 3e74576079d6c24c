"""The fast path for plain records reads exactly what the careful path reads.

generator.load.plain_yaml reads the plain block YAML records are written in without
PyYAML's node objects, and declines everything else. Whenever it answers, the
data (with its types: 1, 1.0, True, "1" and a date all differ) and the line
and column of every key and value must be those of the careful path, and the
careful path must find no problem in the file. These tests feed both paths
the real records, every fixture, synthetic records, a table of YAML corners
and generated documents and mutations.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import yaml_reader as yaml_source
from generator.load.yaml_reader import Loc, _SafeLoader, parse_bytes, parse_text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.synthetic import _vocabulary, record_text, synthetic_record  # noqa: E402

FIXTURES = ROOT / "tests" / "fixtures"
# A deeper, random search: FUZZ_EXAMPLES=20000 FUZZ_RANDOM=1 .venv/bin/pytest tests/test_plain_yaml_reads_like_pyyaml.py
SETTINGS = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "300")), deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"), database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def typed(value: Any) -> Any:
    """value with every scalar's type spelled out, so 1 == 1.0 == True no longer holds."""
    if isinstance(value, dict):
        return ("dict", [(typed(k), typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [typed(item) for item in value])
    return (type(value).__name__, repr(value))


def same_as_careful(text: str) -> bool:
    """True if the fast path read text (and then read it as the careful path does)."""
    fast = parse_text(text, "record.yml")
    careful = parse_text(text, "record.yml", plain=False)
    # parse_text asks the fast path only about text without tabs and control characters.
    read = None if yaml_source._tab_problems(text, "record.yml") else yaml_source._PLAIN_READER.read(text)
    if read is None:
        assert fast.problems == careful.problems
        assert typed(fast.data) == typed(careful.data)
        return False
    assert careful.problems == [], text
    assert typed(read[0]) == typed(careful.data), text
    assert read[1] == careful.positions, text
    assert typed(fast.data) == typed(careful.data)
    # parse_text keeps the top level's positions and finds the rest when one is asked for:
    # asked top level first or deeper first, every answer is the careful path's.
    absent: list[Loc] = [("nowhere",), ("nowhere", "__key__"), ("nowhere", 0), *((loc + ("nowhere",)) for loc in careful.positions)]
    everything = sorted([*careful.positions, *absent], key=len)
    assert [fast.position(loc) for loc in everything] == [careful.position(loc) for loc in everything], text
    deeper_first = parse_text(text, "record.yml")
    assert [deeper_first.position(loc) for loc in reversed(everything)] == [careful.position(loc) for loc in reversed(everything)]
    return True


def _texts(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.yml")) + sorted(folder.glob("*.yaml"))


@pytest.mark.parametrize("folder", ["projects", "tests/fixtures/valid", "tests/fixtures/invalid"])
def test_every_record_and_fixture_reads_the_same(folder: str) -> None:
    paths = _texts(ROOT / folder)
    assert paths
    accepted = 0
    for path in paths:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # an encoding fixture: neither path sees it
        accepted += same_as_careful(text)
    # Most fixtures are plain YAML with a schema problem: the fast path reads them, the schema
    # finds the problem, and its position comes from the fast path.
    assert accepted > len(paths) // 3, accepted


def test_the_real_records_take_the_fast_path() -> None:
    declined = [p.name for p in _texts(ROOT / "projects") if not same_as_careful(p.read_text(encoding="utf-8"))]
    assert declined == []


def test_synthetic_records_take_the_fast_path() -> None:
    vocabulary = _vocabulary(yaml.safe_load((ROOT / "site_config.yml").read_text(encoding="utf-8")))
    for i in range(0, 3000, 7):
        assert same_as_careful(record_text(synthetic_record(i, vocabulary))), i


# Each must be read by the fast path, and read as the careful path reads it.
PLAIN = [
    "a: 1\n",
    "a: 1",  # no final line break
    "# comment\n\na: x\n  # indented comment\nb: z\n",
    "  a: indented root\n  b: 2\n",
    "a:\n- x\n- w\nb: z\n",  # a sequence at its key's column
    "a:\n  - x\n  -   w\nb: z\n",
    "a:\n\n  b:\n    c: d\n  e: f\ng: h\n",
    "s:\n- name: x\n  what: w\n  sub:\n  - 1\n  - 2\n  more: z\n-   name: w\n",
    "a: 'it''s'\nb: \"say 'hi'\"\nc: ''\nd: \"\"\ne: 'x'  \n",
    "a: \"yes\"\nb: 'no'\n",
    "a: >-\n  line one,\n  line two\nb: x\n",
    "a: >\n  folded\n  text\n\nb: x\n",
    "a: |\n  literal\n  text\nb: x\n",
    "a: |-\n    deep\n    text\n",
    "s:\n- >-\n  folded item\n- |\n  literal item\n",
    "m:\n  k: >-\n    nested\n    folded\n  l: 2\n",
    "a: 0\nb: 7\nc: 123456789012345678\nd: 1.5\ne: 555518.59\n",
    "a: true\nb: false\nc: True\nd: null\ne: ~\nf: Null\n",
    "a: 2022-05-01\nb: 2022-13-45\nc: 2001-12-14t21:59:43.10-05:00\n",
    "f: .5\ng: .inf\nh: +.Inf\ni: .nan\nl: +12\nm: 1.0e+3\no: 1.\np: 0.25\n",
    "a: 12345678901234567890123\n",
    "url: https://example.org/a?b=c&d=e#frag\n",
    "a: a#b\nb: 1+1+X\nc: “引号”：全角冒号\nd: a - b\ne: x,y [z] {w}\nf: 50%\ng: a@b`c\nh: 'q: r'\n",
    "a: text with trailing spaces   \n",
    "a: 多个  空格\n",
    "名称: 中文键\nkey-with-dash: 1\nsnake_case: 2\n",
    "yes: 1\nno: 2\non: 3\ny: 4\n",  # YAML 1.1 booleans as keys are text keys
    "a: \u00a0nbsp\u00a0\n",
    "a: \u3000全角空格\u3000\n",
    "a: []\nb: {}\nc:\n- []\n- {}  \n",
]

# Whatever the fast path does with these, it must agree with the careful path;
# most of them it must decline.
CORNERS = [
    "", "\n", "# only a comment\n", "---\na: 1\n", "a: 1\n...\n", "a: -3\n", "%YAML 1.1\n---\na: 1\n", "a: 1\n---\nb: 2\n",
    "- a\n- b\n", "scalar\n", "a:\n", "a:\nb: 1\n", "a: # comment\n  b: 1\n", "a: x # comment\n",
    "a: 1\na: 2\n", "a:\n  b: 1\n  b: 2\n", "null: 1\n", "true: 1\n", "1: x\n", "~: x\n", "<<: {a: 1}\n", "=: x\n",
    "a: yes\n", "a: no\n", "a: on\n", "a: Off\n", "a: y\n", "a: N\n", "s:\n- yes\n",
    "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: !tag x\n", "a: [1, 2]\n", "a: {b: 1}\n", "a: [ ]\n", "a: [] # c\n", "a: []x\n", "a: {}}\n", "a: [1,\n  2]\n",
    "a: multi\n  line\n", "a: multi\n\n  line\n", "- a\n  b\n", "a: x\n  b: y\n", "a: x\nb\n", "a:x\n", "a : x\n",
    "key:value\n", "a: b: c\n", "a: b:\n", "a: 'unclosed\n", "a: \"unclosed\n", "a: \"multi\n  line\"\n",
    "a: 'multi\n  line'\n", "a: \"esc\\n\"\n", "a: \"x\" y\n", "a: 'x' y\n", "a: \"x\" # c\n",
    "a: |+\n  keep\n\nb: 1\n", "a: |2\n  x\n", "a: >-  # c\n  x\n", "a: >\n  x\n\n  y\n", "a: >\n  x\n    y\n  z\n",
    "a: |\n  x  \n", "a: |\n  x\n", "a: |\n  x", "a: >\nb: 1\n", "a: |\n\n  x\n", "a: >-\n  x\n   \nb: 1\n", "a: >-\n  x\n  \nb: 1\n", "a: |\n  x\n \n\nb: 1\n",
    "s:\n- |\n x\n", "a:\n  b: |\n  x\n", "a: >-\n  # not a comment\n  x\n",
    "? a\n: b\n", "? [a]\n: b\n", "- - a\n", "-a: 1\n", "a:\n  -\n    b: 1\n", "a:\n  - \n", "a:\n -x\n",
    "a: -1\n", "a: -.inf\n", "a: -x\n", "a: ?x\n", "a: :x\n", "a: ,x\n", "a: %x\n", "a: @x\n", "a: `x\n", "a: |x\n", "a: >x\n",
    "a: 1\r\nb: 2\r\n", "\ufeffa: 1\n", "a: x\ufeffy\n", "a: 1\n b: 2\n", "a:\n  b: 1\n c: 2\n", "a:\n  - 1\n - 2\n",
    "a:\n- 1\n  - 2\n", "a:\n  - 1\n  b: 2\n", "a: 1\n- 2\n", "a:\n  b: 1\nc:\n", "\n\n  \na: 1\n   \n",
    "a: 'x'\n  b: 1\n", "a: \"\"\n", "a: ''\n", "a: ' '\n", "a: <<\n", "a: =\n", "a: <script>\n",
    "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(25)) + "  " * 25 + "v: 1\n",
    "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(19)) + "  " * 19 + "v: 1\n",
    "a:\n" + "".join(f"{'  ' * depth}- \n" for depth in range(1, 3)),
]


@pytest.mark.parametrize("text", PLAIN)
def test_plain_yaml_is_read_the_same(text: str) -> None:
    assert same_as_careful(text)


@pytest.mark.parametrize("text", CORNERS)
def test_yaml_corners_agree(text: str) -> None:
    same_as_careful(text)


# Number forms YAML 1.1 and 1.2 read differently (or that hide a base): errors that say what to write.
OTHER_NUMBER_FORMS = [
    "0x1F", "0o17", "017", "049", "00", "-047", "00.5", "047.5", "0b101", "1_000", "1_000.5", "1e3", "1.5e3", ".5e3",
    "-.5", "+.5", "1:20", "12:30", "190:20:30.15", "1E5",
]


def test_the_fast_path_declines_every_yaml_trap() -> None:
    """Duplicate keys, YAML 1.1 booleans, anchors, aliases, tags, merge keys, non-text keys and
    depth are reported by the careful path, never read here."""
    traps = [
        "a: 1\na: 2\n", "a: yes\n", "a: off\n", "s:\n- y\n", "a: &x 1\nb: *x\n", "a: !!str 1\n", "<<: 1\n",
        "null: 1\n", *(f"a: {form}\n" for form in OTHER_NUMBER_FORMS), *(f"s:\n- {form}\n" for form in OTHER_NUMBER_FORMS),
        "".join(f"{'  ' * depth}k{depth}:\n" for depth in range(25)) + "  " * 25 + "v: 1\n",
    ]
    for text in traps:
        assert yaml_source._PLAIN_READER.read(text) is None, text
        assert not parse_text(text, "t.yml").ok, text


@pytest.mark.parametrize("form", OTHER_NUMBER_FORMS)
def test_other_number_forms_are_reported_and_never_read_as_numbers(form: str) -> None:
    """047 is not silently 39 (YAML 1.1 octal), nor 1_439 silently 1439: E114 says what to write."""
    doc = parse_text(f"a: {form}\n", "t.yml")
    assert [p.code for p in doc.problems] == ["E114"], doc.problems
    assert doc.problems[0].line == 1 and doc.problems[0].column == 4
    quoted = parse_text(f"a: \"{form}\"\nb: '{form}'\n", "t.yml")
    assert quoted.ok and quoted.data == {"a": form, "b": form}
    assert yaml.load(f"a: {form}\n", Loader=_SafeLoader) == {"a": form}  # text to the loader, never a number


def test_the_fast_path_declines_what_it_does_not_read() -> None:
    """Valid YAML beyond plain block records goes to the careful path too."""
    for text in ["a: x\n  continued\n", "a:\n", "a: [1, 2]\n", "a: x # comment\n", "a: 'two\n  lines'\n", "a: |+\n  x\n"]:
        assert yaml_source._PLAIN_READER.read(text) is None, text
        assert parse_text(text, "t.yml").ok, text


# ---- generated documents ------------------------------------------------------------------

def _mostly(usual: st.SearchStrategy[Any], odd: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """usual nine times in ten: odd values in every key would make almost every document odd."""
    return st.tuples(st.integers(0, 9), usual, odd).map(lambda drawn: drawn[1] if drawn[0] else drawn[2])


_NICE_TEXT = st.text(alphabet="ab xyz测试文字：，。“”（）()1+X-.05", min_size=1, max_size=12)
_ODD_TEXT = st.text(alphabet="ab 测试：:-#'\"|>[]{},&*!%@`?~.0123456789\u00a0\u3000yYnN", max_size=12)
_TEXT = _mostly(_NICE_TEXT, _ODD_TEXT)
_SCALARS = _mostly(_TEXT, st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(10**25), max_value=10**25),
    st.floats(allow_nan=False), st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["yes", "no", "on", "null", "~", "1:20", "0x1F", ".inf", "2022-13-45", "<<", "="]),
))
_KEYS = _mostly(st.from_regex(r"[a-z_][a-z0-9_-]{0,6}", fullmatch=True), st.one_of(st.sampled_from(["名称", "null", "yes", "1", "<<", "a b"]), _ODD_TEXT))
_VALUES = st.recursive(
    _SCALARS,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(_KEYS, children, min_size=1, max_size=4)),
    max_leaves=20,
)


@SETTINGS
@given(
    st.dictionaries(_KEYS, _VALUES, min_size=1, max_size=6),
    _mostly(st.integers(min_value=60, max_value=200), st.integers(min_value=8, max_value=60)),
    st.integers(min_value=2, max_value=4),
    _mostly(st.just(False), st.just(True)),
)
def test_generated_documents_agree(document: dict[Any, Any], width: int, indent: int, flow: bool) -> None:
    text = yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=width, indent=indent, default_flow_style=None if flow else False)
    same_as_careful(text)


_SEED_RECORD = (ROOT / "projects" / "047-gezhouba-chengshi-huayuan.yml").read_text(encoding="utf-8")
_INSERTS = st.sampled_from([" ", "  ", "-", "- ", ":", ": ", "#", " #", "'", '"', "|", ">", "[", "{", "&a ", "*a", "!", "?", "\n", "\n\n", "\n  ", "x", "测", "yes", "~", "1", "<<: ", "\u00a0"])


@SETTINGS
@given(st.data())
def test_mutated_records_agree(data: st.DataObject) -> None:
    text = _SEED_RECORD
    for _ in range(data.draw(st.integers(min_value=1, max_value=3))):
        lines = text.split("\n")
        number = data.draw(st.integers(min_value=0, max_value=len(lines) - 1))
        line = lines[number]
        action = data.draw(st.sampled_from(["insert", "indent", "dedent", "delete", "duplicate"]))
        if action == "insert":
            at = data.draw(st.integers(min_value=0, max_value=len(line)))
            lines[number] = line[:at] + data.draw(_INSERTS) + line[at:]
        elif action == "indent":
            lines[number] = " " * data.draw(st.integers(min_value=1, max_value=3)) + line
        elif action == "dedent":
            lines[number] = line[data.draw(st.integers(min_value=1, max_value=3)):] if line.startswith(" ") else line
        elif action == "delete":
            del lines[number]
        else:
            lines.insert(number, line)
        text = "\n".join(lines)
    same_as_careful(text)


def test_the_unusual_character_class_is_what_pyyaml_refuses_plus_invisible_line_breaks() -> None:
    """yaml_source lists the characters it reports (a faster search than listing the allowed ones):
    exactly those outside PyYAML's printable set, plus U+2028 and U+2029."""
    allowed = re.compile("[\x09\x0A\x20-\x7E\xA0-\uD7FF\uE000-\uFFFD\U00010000-\U0010ffff]")
    reported = [c for c in range(0x110000) if yaml_source._UNUSUAL_CHARACTERS.match(chr(c))]
    expected = [c for c in range(0x110000) if not allowed.match(chr(c)) or c in (0x2028, 0x2029)]
    assert reported == expected


# ---- the careful path builds what PyYAML builds -----------------------------------


FIXTURE_FILES = sorted((FIXTURES / "valid").glob("*.yml")) + sorted((FIXTURES / "invalid").glob("*.yml"))


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_one_pass_reading_builds_what_pyyaml_builds(path: Path) -> None:
    """The walker builds the data while it walks; PyYAML's constructor must agree on every fixture."""
    doc = parse_bytes(path.read_bytes(), path.name)
    if doc.data is None or any(p.code in ("E103", "E104", "E113") for p in doc.problems):
        return  # the walk reported these keys and left them out (merge keys, keys that are not text, repeats)
    loader = _SafeLoader(doc.text)
    try:
        expected = loader.construct_document(loader.get_single_node())
    finally:
        loader.dispose()
    assert doc.data == expected
    assert _types(doc.data) == _types(expected)


def _types(value):
    if isinstance(value, dict):
        return {key: _types(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_types(item) for item in value]
    return type(value).__name__


@pytest.mark.parametrize(
    "text",
    ["a: =\n", "a: !!set {x}\n", "a: !!binary aGk=\n", "a: 2022-13-45\n", "a: 0x1F\n", "a: .inf\n", "? [a]\n: b\n"],
)
def test_unusual_scalars_fall_back_to_pyyaml(text: str) -> None:
    doc = parse_bytes(text.encode(), "x.yml")
    try:
        expected = yaml.load(text, Loader=_SafeLoader)
    except yaml.YAMLError:
        assert doc.problems
        return
    if doc.ok:
        assert doc.data == expected
