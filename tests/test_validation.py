"""Data-driven validation tests.

tests/fixtures/valid/*.yml must pass a strict check;
tests/fixtures/invalid/NAME.yml must produce exactly the lines in NAME.expected.
The fixtures go through the library (generator.build.records.check_records,
what `showcase check` runs); a few cases go through the command line too.
Refresh an .expected file on purpose with:
  .venv/bin/python -m generator check tests/fixtures/invalid/NAME.yml | grep -v '^检查了' > tests/fixtures/invalid/NAME.expected
and read the diff before committing it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.build.records import check_records
from generator.cli import main
from generator.schema.site_config import load_site_config

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
VALID = sorted((FIXTURES / "valid").glob("*.yml"))
INVALID = sorted((FIXTURES / "invalid").glob("*.yml"))
CONFIG = load_site_config(ROOT / "site_config.yml")


def run_check(*args: str):
    return CliRunner().invoke(main, ["check", "--config", str(ROOT / "site_config.yml"), *args], catch_exceptions=False)


def problem_lines(report) -> list[str]:
    """What `showcase check` prints, without its closing count line."""
    return report.as_text().splitlines()[:-1]


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_passes_strict(path: Path) -> None:
    report = check_records(CONFIG, paths=[path.relative_to(ROOT)])
    assert not report.failed(strict=True), report.as_text()
    assert report.files_checked == 1


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_invalid_fixture_reports_expected_lines(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert expected, f"{path.name} needs a non-empty .expected file"
    report = check_records(CONFIG, paths=[path.relative_to(ROOT)])
    assert problem_lines(report) == expected
    has_error = any("警告]" not in line for line in expected)
    assert report.failed() is has_error
    assert report.failed(strict=True)


@pytest.mark.parametrize("name", ["metric-out-of-range.yml", "tab-indent.yml", "duplicate-key.yml", "gbk-encoding.yml"])
def test_the_command_line_prints_what_the_library_reports(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    path = FIXTURES / "invalid" / name
    result = run_check(str(path.relative_to(ROOT)))
    lines = [line for line in result.output.splitlines() if not line.startswith("检查了")]
    assert lines == path.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    assert result.exit_code == 1
    assert run_check("--strict", str(path.relative_to(ROOT))).exit_code == 1


def test_every_invalid_fixture_has_expected_file() -> None:
    orphans = [p.name for p in (FIXTURES / "invalid").glob("*.expected") if not p.with_suffix(".yml").exists()]
    assert not orphans


def test_all_problems_of_all_files_in_one_run(monkeypatch: pytest.MonkeyPatch) -> None:
    """One run over the whole folder reports every file's problems, not just the first."""
    monkeypatch.chdir(ROOT)
    result = run_check("tests/fixtures/invalid")
    expected = set()
    for path in INVALID:
        expected.update(path.with_suffix(".expected").read_text(encoding="utf-8").splitlines())
    lines = {line for line in result.output.splitlines() if not line.startswith("检查了")}
    assert lines == expected
    assert result.exit_code == 1
    assert f"检查了 {len(INVALID)} 个文件" in result.output


def test_json_format_is_machine_readable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_check("--format", "json", "tests/fixtures/invalid/metric-out-of-range.yml")
    report = json.loads(result.output)
    assert report["errors"] == 2
    first = report["problems"][0]
    assert first == {
        "path": "tests/fixtures/invalid/metric-out-of-range.yml",
        "line": 14,
        "column": 23,
        "code": "E226",
        "message": "业主满意度（owner_satisfaction）应在 0–100% 之间，现在是 120",
        "severity": "error",
    }
    assert result.exit_code == 1


def test_cross_record_duplicates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    base = (FIXTURES / "valid" / "minimal.yml").read_text(encoding="utf-8")
    (tmp_path / "a.yml").write_text(base, encoding="utf-8")
    (tmp_path / "b.yml").write_text(base, encoding="utf-8")
    (tmp_path / "c.yml").write_text(base.replace("slug: ceshi-huayuan", "slug: ceshi-c"), encoding="utf-8")
    result = run_check(str(tmp_path))
    out = result.output
    assert result.exit_code == 1
    a, b, c = (str(tmp_path / n) for n in ("a.yml", "b.yml", "c.yml"))
    # Once per group, at its first file, naming the others; the same name is only a warning.
    assert f"{a}:7:7 [E250] 网址标识 ceshi-huayuan 也用在 {b}；" in out
    assert f"{a}:4:9 [E251] 系列 national-2022 的编号 1 也用在 {b}、{c}；" in out
    assert f"{a}:5:7 [W252 警告] 湖北省的名称 测试花园 也用在 {b}、{c}；" in out
    assert f"{b}:" not in out and f"{c}:" not in out
    assert "检查了 3 个文件：2 个错误，1 个警告。" in out
    assert len(out.splitlines()) == 4  # as many lines as the count says


def test_a_conflict_shared_by_two_thousand_files_is_one_line() -> None:
    """2,000 files with one number once printed 2,000 lists of 1,999 paths (117 MB)."""
    from generator.checks import RecordFacts, cross_record_problems
    from generator.load.yaml_reader import SourceDocument

    items = [
        (SourceDocument(f"projects/{i:04d}-x.yml", positions={("number",): (3, 9)}), RecordFacts(f"slug-{i}", "national-2022", 7, (), name=f"名称{i}", place="湖北省"))
        for i in range(2000)
    ]
    problems, clashing = cross_record_problems(items)
    assert [p.code for p in problems] == ["E251"]
    assert len(clashing) == 2000  # none of them is published
    assert len(problems[0].message) < 400
    assert "等另外 1,999 个文件（共 2,000 个）" in problems[0].message


def test_missing_file_and_config_errors_have_no_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_check("projects/does-not-exist.yml")
    assert result.exit_code == 1 and "文件不存在" in result.output
    bad_config = tmp_path / "site_config.yml"
    bad_config.write_text("site_name: x\ncatalogue:\n  series: []\n  themes: []\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--config", str(bad_config)])
    assert result.exit_code == 1
    assert "catalogue 配置有误" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_shipped_records_validate(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = run_check("--strict")
    assert result.exit_code == 0, result.output
    assert len(list((ROOT / "projects").glob("*.yml"))) >= 10
