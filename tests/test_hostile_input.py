"""Hostile input: whatever an editor saves, `showcase check` answers with a clear error, never a traceback.

tests/test_validation.py checks each fixture's exact output against its .expected
file. This file checks what must hold for *every* bad input, hand-written or
generated (tests/fixtures/make_invalid.py): an error that points at file:line,
a message in Chinese, no untranslated fallback, a non-zero exit; and the inputs
that cannot be committed as files — symlinks, FIFOs, a 50 MB file — made here
at run time.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import tracemalloc
from pathlib import Path

import pytest
import yaml

from generator.schema.site_config import load_site_config
from generator.errors import Report, Severity
from generator.build.records import load_catalogue
from generator.load.files import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
INVALID_DIR = ROOT / "tests" / "fixtures" / "invalid"
INVALID = sorted(INVALID_DIR.glob("*.yml"))
CONFIG = load_site_config(ROOT / "site_config.yml")
MINIMAL = (ROOT / "tests" / "fixtures" / "valid" / "minimal.yml").read_text(encoding="utf-8")
CJK = re.compile("[\u4e00-\u9fff]")

sys.path.insert(0, str(ROOT / "tests" / "fixtures"))
import make_invalid  # noqa: E402


def check_paths(paths: list[Path], config=CONFIG) -> Report:
    return load_catalogue(config, paths=paths).report


def line_count(path: Path) -> int:
    return path.read_bytes().count(b"\n") + 1


def test_corpus_has_at_least_200_bad_inputs() -> None:
    assert len(INVALID) >= 200


def test_generated_corpus_matches_its_script(tmp_path: Path) -> None:
    """The committed gen-*.yml files are exactly what make_invalid.py writes (rerun it after edits)."""
    written = {p.name: p.read_bytes() for p in make_invalid.write(tmp_path, with_expected=False)}
    committed = {p.name: p.read_bytes() for p in INVALID_DIR.glob(f"{make_invalid.PREFIX}*.yml")}
    assert sorted(committed) == sorted(written)
    stale = [name for name in written if written[name] != committed[name]]
    assert not stale, f"run tests/fixtures/make_invalid.py: {stale[:5]}"


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.name)
def test_every_bad_input_gets_a_clear_located_message(path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    report = check_paths([path.relative_to(ROOT)])
    assert report.problems, "a bad input must produce at least one problem"
    assert report.files_checked == 1
    last_line = line_count(path)
    for problem in report.problems:
        assert problem.path == path.relative_to(ROOT).as_posix()
        assert 1 <= problem.line <= last_line, problem.format()
        assert problem.column >= 1
        assert re.fullmatch(r"[EW]\d{3}", problem.code)
        assert problem.code != "E299", f"untranslated pydantic message: {problem.format()}"
        assert CJK.search(problem.message), f"message should be in Chinese: {problem.format()}"
        assert "Traceback" not in problem.message and "object at 0x" not in problem.message
    # Warning-only inputs are still refused by --strict; everything else fails outright.
    assert report.failed(strict=True)


def test_whole_corpus_in_a_real_process_exits_1_without_traceback() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "check", "tests/fixtures/invalid"],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"检查了 {len(INVALID)} 个文件" in result.stdout


# ---- inputs made at run time ----------------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path):
    """A throwaway project: the real site_config.yml with empty content/ and projects/."""
    (tmp_path / "site_config.yml").write_bytes((ROOT / "site_config.yml").read_bytes())
    (tmp_path / "content" / "images").mkdir(parents=True)
    (tmp_path / "projects").mkdir()
    return load_site_config(tmp_path / "site_config.yml")


def codes(report: Report) -> list[str]:
    return [p.code for p in report.sorted()]


def test_fifty_megabyte_file_is_refused_without_reading_it(project, tmp_path: Path) -> None:
    huge = project.projects_dir / "huge.yml"
    chunk = ("name: " + "很长的文字" * 200 + "\n").encode()
    with huge.open("wb") as handle:
        for _ in range(50 * 1024 * 1024 // len(chunk) + 1):
            handle.write(chunk)
    assert huge.stat().st_size > 50 * 1024 * 1024
    tracemalloc.start()
    try:
        report = check_paths([huge], project)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert codes(report) == ["E109"]
    assert "上限" in report.problems[0].message
    assert peak < 20 * 1024 * 1024, f"peak {peak:,} bytes: the file must not be read into memory"


def test_file_just_over_the_limit_is_refused(project) -> None:
    path = project.projects_dir / "limit.yml"
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    assert codes(check_paths([path], project)) == ["E109"]


def test_record_that_is_a_symlink_is_refused(project, tmp_path: Path) -> None:
    outside = tmp_path / "outside.yml"
    outside.write_text(MINIMAL, encoding="utf-8")
    links = {
        "to-valid-record.yml": outside,
        "to-etc-passwd.yml": Path("/etc/passwd"),
        "to-dev-zero.yml": Path("/dev/zero"),
        "dangling.yml": tmp_path / "nowhere.yml",
    }
    for name, target in links.items():
        (project.projects_dir / name).symlink_to(target)
    loop = project.projects_dir / "loop.yml"
    loop.symlink_to(project.projects_dir / "loop2.yml")
    (project.projects_dir / "loop2.yml").symlink_to(loop)
    report = check_paths([], project)
    assert report.files_checked == 6
    assert codes(report) == ["E108"] * 6
    assert all("符号链接" in p.message for p in report.problems)
    # Named as the editor sees them, not by where they point (/etc/passwd, /dev/zero).
    assert sorted(p.path for p in report.problems) == sorted(f"projects/{n}" for n in [*links, "loop.yml", "loop2.yml"])


def test_symlinked_folder_in_projects_is_not_followed_out_of_the_repository(project, tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "secret.yml").write_text("name: [不该被读\n", encoding="utf-8")
    (project.projects_dir / "linked").symlink_to(elsewhere, target_is_directory=True)
    report = check_paths([], project)
    assert report.files_checked == 0
    assert not report.problems


def test_image_symlink_escaping_the_repository_is_refused(project) -> None:
    (project.projects_dir / "evil").mkdir()
    (project.projects_dir / "evil" / "evil.jpg").symlink_to("/etc/passwd")
    record = yaml.safe_load(MINIMAL)
    record["images"] = [{"path": "evil/evil.jpg", "caption": "图注", "credit": "摄影"}]
    path = project.projects_dir / "evil-image.yml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
    report = check_paths([path], project)
    assert codes(report) == ["E240"]
    assert "仓库以外的符号链接" in report.problems[0].message


def test_fifo_named_like_a_record_does_not_hang(project) -> None:
    fifo = project.projects_dir / "pipe.yml"
    os.mkfifo(fifo)
    outcome: list[Report] = []
    worker = threading.Thread(target=lambda: outcome.append(check_paths([fifo], project)), daemon=True)
    worker.start()
    worker.join(timeout=30)
    if worker.is_alive():  # unblock the reader so the test process can exit
        with open(fifo, "wb"):
            pass
        pytest.fail("reading a FIFO blocked the checker")
    assert codes(outcome[0]) == ["E108"]


@pytest.mark.parametrize("name", ["带 空格 的记录.yml", "中文文件名.yml", "name with spaces.yml", "emoji-🏠.yml"])
def test_file_names_are_printed_as_given(project, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    (project.projects_dir / name).write_text(MINIMAL.replace("name: 测试花园", "name: 2022-05-01"), encoding="utf-8")
    monkeypatch.chdir(project.root)
    result = CliRunner().invoke(main, ["check", "--config", "site_config.yml"])
    assert result.exit_code == 1
    assert f"projects/{name}:5:7 [E203]" in result.output


# ---- file names ----------------------------------------------------------------------------------


def _check_cli(project, *args: str):
    from click.testing import CliRunner

    from generator.cli import main

    return CliRunner().invoke(main, [*args, "--config", str(project.path)])


def test_file_name_from_a_gbk_zip_is_refused_by_check_and_build_alike(project, monkeypatch: pytest.MonkeyPatch) -> None:
    """Unzipping a Windows archive leaves GBK bytes in the name: check used to pass and build to crash."""
    gbk_name = os.fsdecode("葛洲坝.yml".encode("gbk"))
    (project.projects_dir / gbk_name).write_text(MINIMAL, encoding="utf-8")
    monkeypatch.chdir(project.root)
    checked = _check_cli(project, "check")
    built = _check_cli(project, "build", "--out", str(project.root / "out"))
    expected = "projects/\\xb8\\xf0\\xd6\\xde\\xb0\\xd3.yml:1:1 [E115] 文件名不是 UTF-8 编码"
    for result in (checked, built):
        assert result.exit_code == 1, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
        assert expected in result.output
        assert "按 GBK 解读是 “葛洲坝.yml”" in result.output
    assert not (project.root / "out").exists()


def test_a_page_name_from_a_gbk_zip_in_content_is_refused_before_building(project, tmp_path: Path) -> None:
    """MkDocs crashed on it with UnicodeEncodeError; the previous site stays."""
    from generator.build.pipeline import build
    from generator.errors import UserError

    (project.projects_dir / "001-ceshi.yml").write_text(MINIMAL, encoding="utf-8")
    (project.docs_dir / os.fsdecode("关于.md".encode("gbk"))).write_text("# 关于\n", encoding="utf-8")
    with pytest.raises(UserError, match="content/\\\\xb9\\\\xd8\\\\xd3\\\\xda.md：文件名不是 UTF-8 编码") as raised:
        build(project, out_dir=tmp_path / "out")
    assert "原有网站保持不变" in raised.value.format_message()
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "name, fragment",
    [("con.yml", "设备名"), ("NUL.yaml", "设备名"), ("lpt1.yml", "设备名"), ("a:b.yml", "字符 :"), ("问题?.yml", "字符 ?"),
     ("line\nbreak.yml", "控制字符 U+000A"), ("ends-in-a-dot.yml.", None), ("tab\there.yml", "控制字符 U+0009")],
)
def test_file_names_that_break_a_windows_checkout_or_a_terminal_are_errors(project, name: str, fragment: str | None) -> None:
    path = project.projects_dir / name
    path.write_text(MINIMAL, encoding="utf-8")
    report = check_paths([], project)
    if fragment is None:  # not a record name at all (it ends in "."): not read, and nothing to say
        assert report.files_checked == 0
        return
    assert codes(report) == ["E115"], report.as_text()
    assert fragment in report.problems[0].message
    assert "\n" not in report.problems[0].path and "\t" not in report.problems[0].path  # one line per problem


def test_capital_suffixes_are_read_and_hidden_files_named(project) -> None:
    for name in ("upper.YML", "mixed.Yaml"):
        (project.projects_dir / name).write_text(MINIMAL.replace("ceshi-huayuan", name.split(".")[0]).replace("number: 1", f"number: {len(name)}"), encoding="utf-8")
    (project.projects_dir / ".hidden.yml").write_text(MINIMAL, encoding="utf-8")
    (project.projects_dir / ".#lock.yml").write_text("", encoding="utf-8")  # an editor's lock file: never a record
    (project.projects_dir / "._fork.yml").write_bytes(b"\x00\x05\x16\x07")  # macOS resource fork
    report = check_paths([], project)
    assert report.files_checked == 2
    hidden = [p for p in report.problems if p.code == "W102"]
    assert [p.path for p in hidden] == ["projects/.hidden.yml"]
    assert "不会当作记录读取" in hidden[0].message
    assert not report.errors


def test_unreadable_file_reports_instead_of_crashing(project) -> None:
    if os.geteuid() == 0:
        pytest.skip("root can read files without read permission")
    path = project.projects_dir / "locked.yml"
    path.write_text(MINIMAL, encoding="utf-8")
    path.chmod(0)
    assert codes(check_paths([path], project)) == ["E108"]


# ---- wrong types the schema must not silently accept -------------------------------------------


BOOLEAN_NUMBERS = {
    "number": "number: true",
    "metric": "metrics:\n  households: true",
    "qualified-metric": "metrics:\n  owner_satisfaction: {value: false, qualifier: 以上}",
}


@pytest.mark.parametrize("case", sorted(BOOLEAN_NUMBERS))
def test_boolean_is_not_accepted_as_a_number(project, case: str) -> None:
    text = MINIMAL.replace("number: 1\n", "") if case == "number" else MINIMAL
    path = project.projects_dir / f"bool-{case}.yml"
    path.write_text(text + BOOLEAN_NUMBERS[case] + "\n", encoding="utf-8")
    report = check_paths([path], project)
    assert any(p.severity is Severity.error and p.code in {"E206", "E207"} for p in report.problems), report.as_text()


# ---- site_config.yml: every address as strict as a record's ------------------------------------


CONFIG_ADDRESSES = {
    "edit-url-javascript": ("  edit_url: https://example.org/meihao-jiayuan/repo/edit/main/{path}", '  edit_url: "javascript:window.__pwned=1//{path}"'),
    "edit-url-without-path": ("  edit_url: https://example.org/meihao-jiayuan/repo/edit/main/{path}", "  edit_url: https://example.org/edit"),
    "site-url-javascript-host": ("site_url: https://example.org/meihao-jiayuan/", 'site_url: "javascript://x%0aalert(1)"'),
    "repo-url-tab-in-scheme": ("repo_url: https://example.org/meihao-jiayuan/repo", 'repo_url: "java\\tscript:alert(1)"'),
    "edit-uri-data": ("edit_uri: edit/main/content/", "edit_uri: data:text/html,x"),
    "nav-javascript": ("  - 关于: about.md", '  - 关于: "javascript:alert(1)"'),
    "copyright-href": ("copyright: 项目资料", "copyright: <a href='javascript:alert(1)'>x</a>项目资料"),
    "social-link": ("plugins:\n", "extra:\n  social:\n    - icon: x\n      link: vbscript:x\nplugins:\n"),
    "extra-css-space": ("plugins:\n", "extra_css:\n  - \"a b.css\"\nplugins:\n"),
}


@pytest.mark.parametrize("case", sorted(CONFIG_ADDRESSES))
def test_every_address_in_the_config_is_checked(tmp_path: Path, case: str) -> None:
    from generator.errors import UserError

    old, new = CONFIG_ADDRESSES[case]
    text = (ROOT / "site_config.yml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "site_config.yml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(UserError) as raised:
        load_site_config(tmp_path / "site_config.yml")
    message = raised.value.format_message()
    assert CJK.search(message) and "site_config.yml" in message


# ---- look-alikes that must not raise a warning ----------------------------------------------------


LOOK_ALIKES = {
    "emoji-family": ("name: 测试花园", "name: 测试花园👨\u200d👩\u200d👧"),
    "emoji-skin-tone-profession": ("name: 测试花园", "name: 测试花园👩🏽\u200d💻"),
    "emoji-heart-on-fire": ("name: 测试花园", "name: 测试花园❤\ufe0f\u200d🔥"),
    "subdivision-flag": ("name: 测试花园", "name: 测试🏴\U000E0067\U000E0062\U000E0073\U000E0063\U000E0074\U000E007F花园"),
    "query-in-a-link-in-prose": ("summary: 仅用于测试的最小记录。", "summary: 详见 https://example.org/a?b=1&c=2 。"),
    "emoticon": ("summary: 仅用于测试的最小记录。", "summary: 居民都说好^^"),
    "emphasis": ("summary: 仅用于测试的最小记录。", "summary: 这还是老小区吗???"),
    "question-in-a-source-url": ("    title: 测试来源", "    title: 测试来源\n    url: https://example.org/a?b=1"),
}


@pytest.mark.parametrize("case", sorted(LOOK_ALIKES))
def test_what_only_looks_odd_raises_no_warning(project, case: str) -> None:
    old, new = LOOK_ALIKES[case]
    assert old in MINIMAL
    path = project.projects_dir / f"{case}.yml"
    path.write_text(MINIMAL.replace(old, new), encoding="utf-8")
    report = check_paths([path], project)
    assert not report.problems, report.as_text()


@pytest.mark.parametrize("text", ["\t\n" * 5000, "a\x01\n" * 5000, "".join(f"k{i}: 0{i % 8}1\n" for i in range(5000))], ids=["tabs", "controls", "octal"])
def test_one_mistake_repeated_thousands_of_times_is_listed_fifty_times(project, text: str) -> None:
    path = project.projects_dir / "pasted.yml"
    path.write_text(text, encoding="utf-8")
    report = check_paths([path], project)
    assert len(report.problems) == 51
    assert "另有 4,950 处同类问题未列出" in report.problems[-1].message
