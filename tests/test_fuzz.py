"""Property-based fuzzing of the load stage: no input, however odd, gives a traceback.

Hypothesis generates random YAML structures, random Unicode and bytes, YAML-ish
punctuation soup, valid records with one field replaced by a value of another
type, and truncations. For each, `load_catalogue` (what `showcase check` runs)
must return a Report whose problems all point at a real line. Runs are
derandomized and keep no example database, so CI sees the same inputs every time.
"""

from __future__ import annotations

import copy
import datetime as dt
import os
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.schema.site_config import load_site_config
from generator.errors import Report
from generator.build.records import load_catalogue

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import make_invalid  # noqa: E402

CONFIG = load_site_config(ROOT / "site_config.yml")
FIELD_PATHS = [path for path, _, _ in make_invalid.field_kinds() if make_invalid.present(path)]
# CI: 150 fixed examples per property. A deeper, random search before a release:
#   FUZZ_EXAMPLES=5000 FUZZ_RANDOM=1 .venv/bin/pytest tests/test_fuzz.py -s
FUZZ = settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "150")),
    deadline=None,
    derandomize=not os.environ.get("FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
TALLY: Counter[str] = Counter()  # inputs tried and problems found, printed with `pytest -s`

_workdir = tempfile.TemporaryDirectory(prefix="showcase-fuzz-")
WORKDIR = Path(_workdir.name)


@pytest.fixture(scope="module", autouse=True)
def _report_tally():
    yield
    print(f"\nfuzz: {TALLY['inputs']} inputs, {TALLY['problems']} problems, {TALLY['failed']} refused, {TALLY['tracebacks']} tracebacks")
    _workdir.cleanup()


def check_bytes(data: bytes, name: str = "fuzz.yml") -> Report:
    """Write one input as a record file and check it; any exception fails the test."""
    path = WORKDIR / name
    path.write_bytes(data)
    TALLY["inputs"] += 1
    try:
        report = load_catalogue(CONFIG, paths=[path]).report
    except BaseException:
        TALLY["tracebacks"] += 1
        raise
    assert isinstance(report, Report)
    last_line = data.count(b"\n") + 1
    for problem in report.problems:
        assert 1 <= problem.line <= last_line, problem.format()
        assert problem.column >= 1, problem.format()
        assert problem.message and problem.code != "E299", problem.format()
    TALLY["problems"] += len(report.problems)
    TALLY["failed"] += report.failed()
    return report


# ---- strategies ----------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=-(10**120), max_value=10**120),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.dates(min_value=dt.date(1, 1, 1)),
    st.datetimes(),
    st.sampled_from(["yes", "no", "on", "off", "~", "null", "1:20", "0x1F", ".inf", "2022-13-45", "<script>", "&a", "*a", "!!python/object"]),
)
keys = st.one_of(st.text(max_size=20), st.sampled_from(list(make_invalid.base_record())), st.integers(), st.none(), st.booleans())
structures = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=5), st.dictionaries(keys, children, max_size=5)),
    max_leaves=30,
)


def dump(value: Any) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True, sort_keys=False).encode("utf-8", errors="surrogatepass")


def valid_record_bytes() -> bytes:
    return make_invalid.dump(make_invalid.base_record("fuzz-record")).encode()


# ---- properties ------------------------------------------------------------------------------


@FUZZ
@given(structures)
def test_random_yaml_structures(value: Any) -> None:
    check_bytes(dump(value))


@FUZZ
@given(st.dictionaries(st.sampled_from(list(make_invalid.base_record())), structures, max_size=12))
def test_random_values_under_real_field_names(record: dict[str, Any]) -> None:
    check_bytes(dump(record))


@FUZZ
@given(st.text())
def test_random_unicode_text(text: str) -> None:
    # surrogatepass writes lone surrogates as the bytes ED A0 80…, which UTF-8 forbids.
    check_bytes(text.encode("utf-8", errors="surrogatepass"))


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes(data: bytes) -> None:
    check_bytes(data)


@FUZZ
@given(st.text(alphabet=":-[]{}#&*!|>'\"%@`,?\\ \n\t\r\ufeff\u2028abcxyz测试0123.", max_size=200))
def test_yaml_punctuation_soup(text: str) -> None:
    check_bytes(text.encode())


@FUZZ
@given(st.sampled_from(FIELD_PATHS), structures)
def test_one_field_replaced_by_any_value(path: tuple[Any, ...], value: Any) -> None:
    record = make_invalid.with_image(make_invalid.base_record("fuzz-mutant"))
    target: Any = record
    for part in path[:-1]:
        target = target[part]
    original = copy.deepcopy(target[path[-1]])
    target[path[-1]] = value
    report = check_bytes(dump(record))
    if value != original and type(value) is not type(original) and not report.failed():
        # Only a value the schema may coerce can pass: a number for a number, text for text.
        assert isinstance(value, (int, float, str)) or value is None, (path, value)


@FUZZ
@given(st.data())
def test_truncations_of_a_valid_record(data: st.DataObject) -> None:
    full = valid_record_bytes()
    cut = data.draw(st.integers(min_value=0, max_value=len(full) - 1))
    check_bytes(full[:cut])


@FUZZ
@given(st.data())
def test_random_insertions_into_a_valid_record(data: st.DataObject) -> None:
    full = valid_record_bytes().decode()
    where = data.draw(st.integers(min_value=0, max_value=len(full)))
    inserted = data.draw(st.text(min_size=1, max_size=8))
    check_bytes((full[:where] + inserted + full[where:]).encode("utf-8", errors="surrogatepass"))


def test_valid_record_used_by_the_fuzzers_is_valid() -> None:
    """Otherwise every mutation would fail for the wrong reason."""
    report = load_catalogue(CONFIG, paths=[_write("valid.yml", valid_record_bytes())]).report
    assert not report.errors, report.as_text()


def _write(name: str, data: bytes) -> Path:
    path = WORKDIR / name
    path.write_bytes(data)
    return path


# ---- nothing silently changes: number forms and file names ------------------------------------

# Each example checks a whole record file (and loads it again when it passes): fewer of them.
FUZZ_FILES = settings(FUZZ, max_examples=max(1, FUZZ.max_examples // 3))

_NUMBER_ISH = st.text(alphabet="0123456789_:.xobeE+-", min_size=1, max_size=12)
_DECIMAL = __import__("re").compile(r"[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?")


@FUZZ_FILES
@given(_NUMBER_ISH, st.sampled_from([("metrics", "households"), ("metrics", "building_area"), ("number",), ("facts", "year_built"), ("name",)]))
def test_a_number_is_read_as_written_or_refused(literal: str, path: tuple[str, ...]) -> None:
    """047 must never become 39, nor 1_439 become 1439 unnoticed: a value the check accepts is the
    plain decimal it spells (or, in a text field, the text itself)."""
    record = make_invalid.base_record("fuzz-number")
    text = make_invalid.dump(make_invalid.with_value(path, make_invalid.RAW, "fuzz-number"), literal)
    report = check_bytes(text.encode())
    if report.errors:
        return
    catalogue = load_catalogue(CONFIG, paths=[WORKDIR / "fuzz.yml"])
    value: Any = catalogue.entries[0].record.model_dump()
    for part in path:
        value = value[part]
    if isinstance(value, str):
        assert value == literal.strip(), (literal, value)
    else:
        assert _DECIMAL.fullmatch(literal.strip()), (literal, value)
        assert float(value) == float(literal), (literal, value)
    del record


@FUZZ_FILES
@given(st.binary(min_size=1, max_size=24).filter(lambda raw: b"/" not in raw and b"\x00" not in raw and raw not in (b".", b"..")))
def test_any_file_name_is_checked_and_printed_on_one_line(raw: bytes) -> None:
    folder = WORKDIR / "names"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    path = folder / os.fsdecode(raw + b".yml")
    path.write_bytes(valid_record_bytes())
    TALLY["inputs"] += 1
    report = load_catalogue(CONFIG, paths=[folder]).report
    for line in report.as_text().splitlines():
        line.encode("utf-8")  # printable: no lone surrogates
    assert len(report.as_text().splitlines()) == len(set(report.problems)) + 1
