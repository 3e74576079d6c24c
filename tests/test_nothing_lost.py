"""Nothing lost, nothing half-done, and the same bytes every time.

A failed build leaves the previous site exactly as it was; a build killed with
SIGKILL at any moment leaves either the whole old site or the whole new one;
two builds of the same records are byte-identical whatever the clock or
SOURCE_DATE_EPOCH says; the importer never overwrites a record without --force.
Sites are compared by the sha256 of every file (site_support.tree_digest).
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from site_support import make_project, records, tree_digest, write_records  # noqa: E402

from generator.build import pipeline, swap

EXTRA = {
    "zz-xinjia.yml": {
        **records()["048-ceshi-lanwan.yml"],
        "number": 60, "name": "新加花园", "slug": "xinjia-huayuan",
        "location": {"province": "湖北省", "city": "武汉市", "district": "江岸区"},
    }
}


def build_cli(config_path: Path, out: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "generator", "build", "--config", str(config_path), "--out", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=600, env={**os.environ, **(env or {})},
    )


def leftovers(out: Path) -> list[str]:
    """What builds left beside the site, but the spare media/ that every build keeps (generator.build.photos)."""
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}.") and p.name != f".{out.name}.media-spare")


@pytest.fixture
def project(tmp_path: Path):
    (tmp_path / "project").mkdir()
    return make_project(tmp_path / "project")


def test_failed_validation_keeps_the_previous_site(project, tmp_path: Path) -> None:
    out = tmp_path / "site"
    assert pipeline.build(project, out_dir=out).ok
    before = tree_digest(out)
    write_records(project.root, {"broken.yml": {"kind": "estate", "name": 1}})
    result = pipeline.build(project, out_dir=out)
    assert not result.ok and result.report.errors
    assert tree_digest(out) == before
    assert leftovers(out) == []


def test_failed_mkdocs_build_keeps_the_previous_site(project, tmp_path: Path) -> None:
    from generator.errors import UserError

    out = tmp_path / "site"
    assert pipeline.build(project, out_dir=out, strict=True).ok
    before = tree_digest(out)
    about = project.docs_dir / "about.md"
    about.write_text(about.read_text(encoding="utf-8") + "\n[坏链接](no-such-page.md)\n", encoding="utf-8")
    with pytest.raises(UserError):
        pipeline.build(project, out_dir=out, strict=True)
    assert tree_digest(out) == before
    assert leftovers(out) == []


@pytest.fixture(scope="module")
def references(tmp_path_factory):
    """The old site (records A) and the new site (records A + one more), built to completion."""
    root = tmp_path_factory.mktemp("kill")
    (root / "project").mkdir()
    project = make_project(root / "project")
    old = root / "old"
    assert build_cli(project.path, old).returncode == 0
    write_records(project.root, EXTRA)
    new = root / "new"
    started = time.perf_counter()
    assert build_cli(project.path, new).returncode == 0
    return project, tree_digest(old), tree_digest(new), old, time.perf_counter() - started


def kill_build(project, out: Path, *, after: float = 0.0, after_staging: float | None = None) -> None:
    """Start a build into `out` and SIGKILL it `after` seconds, or `after_staging` seconds after its staging folder appears."""
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--config", str(project.path), "--out", str(out)],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        if after_staging is None:
            time.sleep(after)
        else:
            deadline = time.monotonic() + 60
            while not [n for n in leftovers(out) if ".building-" in n] and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.002)
            time.sleep(after_staging)
        process.send_signal(signal.SIGKILL)
    finally:
        process.wait(timeout=60)


# Kill points: fractions of a full build, plus moments just after the staging folder appears.
@pytest.mark.parametrize("when", [0.1, 0.3, 0.5, 0.7, 0.85, 0.95, "staging+0", "staging+20ms", "staging+80ms", "staging+200ms"])
def test_kill_9_mid_build_leaves_the_old_or_the_new_site(references, tmp_path: Path, when) -> None:
    project, old_digest, new_digest, old_site, duration = references
    assert old_digest != new_digest
    out = tmp_path / "site"
    shutil.copytree(old_site, out)
    if isinstance(when, float):
        kill_build(project, out, after=duration * when)
    else:
        kill_build(project, out, after_staging=float(when.split("+")[1].rstrip("ms")) / 1000)
    digest = tree_digest(out) if out.exists() else None
    assert digest in (old_digest, new_digest), f"killed at {when}: the site is neither the old nor the new one ({'missing' if digest is None else 'mixed'})"


@pytest.mark.parametrize("moment", ["before the swap", "after the swap"])
def test_a_crash_around_the_swap_leaves_old_or_new_site(project, tmp_path: Path, monkeypatch, moment: str) -> None:
    """The swap is one atomic exchange: killed just before it, the old site stays; just after, the new one is there."""
    out = tmp_path / "site"
    assert pipeline.build(project, out_dir=out).ok
    before = tree_digest(out)
    write_records(project.root, EXTRA)
    real_exchange = swap._exchange

    def exchange(first: Path, second: Path) -> bool:
        if moment == "after the swap":
            assert real_exchange(first, second), "renameat2(RENAME_EXCHANGE) is not available here"
        raise KeyboardInterrupt(f"simulated SIGKILL {moment}")

    monkeypatch.setattr(swap, "_exchange", exchange)
    monkeypatch.setattr(swap, "_retired_path", lambda target: pytest.fail("two-rename fallback used"))
    with pytest.raises(KeyboardInterrupt):
        pipeline.build(project, out_dir=out)
    monkeypatch.undo()
    reference = tmp_path / "reference"
    assert pipeline.build(project, out_dir=reference).ok
    assert out.exists(), "the site folder is gone"
    expected = before if moment == "before the swap" else tree_digest(reference)
    assert tree_digest(out) == expected


def test_builds_are_byte_identical_whatever_the_clock_says(project, tmp_path: Path) -> None:
    """No date from the clock reaches the site: SOURCE_DATE_EPOCH, set or not, changes nothing.

    The only dates a page carries are the records' last changes (their files' times here, outside
    git: 2019-06-01). SOURCE_DATE_EPOCH caps those, so it is set later than them.
    """
    for record in (project.root / "projects").iterdir():
        os.utime(record, (1559347200, 1559347200))  # 2019-06-01
    first = tmp_path / "first"
    second = tmp_path / "second"
    third = tmp_path / "third"
    assert build_cli(project.path, first, {"SOURCE_DATE_EPOCH": "1600000000"}).returncode == 0
    assert build_cli(project.path, second, {"SOURCE_DATE_EPOCH": "2000000000"}).returncode == 0
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    result = subprocess.run([sys.executable, "-m", "generator", "build", "--config", str(project.path), "--out", str(third)],
                            cwd=ROOT, capture_output=True, text=True, timeout=600, env=env)
    assert result.returncode == 0, result.stderr
    digest = tree_digest(first)
    assert tree_digest(second) == digest
    assert tree_digest(third) == digest
    today = dt.date.today()
    stamps = [today.isoformat(), f"{today.year}年{today.month}月{today.day}日", "1970-01-01", "2020-09-13", "2033-05-18"]
    assert "2019年6月1日" in (first / "records" / "ceshi-huayuan" / "index.html").read_text(encoding="utf-8")
    for path in first.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".json", ".txt"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert not [s for s in stamps if s in text], path


def test_exports_are_byte_identical(project, tmp_path: Path) -> None:
    from generator.exporters import EXPORTER_BY_NAME, Selection, export
    from generator.build.records import load_catalogue

    catalogue = load_catalogue(project)
    for name in EXPORTER_BY_NAME:
        first = export(catalogue, name, Selection((), (), ()), tmp_path / f"{name}-1")
        os.environ["SOURCE_DATE_EPOCH"] = "2000000000"
        try:
            second = export(catalogue, name, Selection((), (), ()), tmp_path / f"{name}-2")
        finally:
            del os.environ["SOURCE_DATE_EPOCH"]
        assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second], name


# ---- the importer --------------------------------------------------------------------------------


ARTICLE = ROOT / "tests" / "fixtures" / "articles" / "series_zhejiang.txt"


def run_import(out: Path, *extra: str):
    from click.testing import CliRunner

    from generator.cli import main

    return CliRunner().invoke(main, ["import", str(ARTICLE), "--config", str(ROOT / "site_config.yml"), "--out", str(out), *extra])


@pytest.mark.skipif(not ARTICLE.exists(), reason="the importer's article fixtures are not there yet")
def test_import_never_overwrites_a_hand_edited_record_without_force(tmp_path: Path) -> None:
    assert run_import(tmp_path).exit_code == 0
    target = sorted(tmp_path.glob("*.yml"))[0]
    edited = "# 编辑的注释\n" + target.read_text(encoding="utf-8").replace("status: draft", "status: published")
    target.write_text(edited, encoding="utf-8")
    for _ in range(2):
        refused = run_import(tmp_path)
        assert refused.exit_code == 1 and "--force" in refused.output
        assert target.read_text(encoding="utf-8") == edited


@pytest.mark.skipif(not ARTICLE.exists(), reason="the importer's article fixtures are not there yet")
def test_import_does_not_write_through_a_symlink(tmp_path: Path) -> None:
    assert run_import(tmp_path / "probe").exit_code == 0
    name = sorted((tmp_path / "probe").glob("*.yml"))[0].name
    outside = tmp_path / "outside.yml"
    outside.write_text("不属于项目的文件\n", encoding="utf-8")
    out = tmp_path / "projects"
    out.mkdir()
    (out / name).symlink_to(outside)
    refused = run_import(out)
    assert refused.exit_code == 1
    run_import(out, "--force")
    assert outside.read_text(encoding="utf-8") == "不属于项目的文件\n"
    assert yaml.safe_load(outside.read_text(encoding="utf-8")) == "不属于项目的文件"


def test_a_large_previous_site_is_deleted_in_the_background(tmp_path: Path) -> None:
    """The new site is in place at once; the old one, and what an interrupted removal left, go afterwards."""
    out = tmp_path / "site"
    for number in range(swap.BACKGROUND_REMOVAL_MIN):
        (out / "records" / f"r{number}").mkdir(parents=True)
        (out / "records" / f"r{number}" / "index.html").write_text("旧", encoding="utf-8")
    interrupted = tmp_path / ".site.old-interrupted"
    (interrupted / "records" / "a").mkdir(parents=True)
    other_build = tmp_path / ".site.building-other"  # another build's staging: not ours to delete
    other_build.mkdir()
    staging = tmp_path / ".site.building-mine"
    staging.mkdir()
    (staging / "new.html").write_text("新", encoding="utf-8")
    swap.swap_into_place(staging, out)
    assert sorted(p.name for p in out.iterdir()) == ["new.html"]
    deadline = time.monotonic() + 30
    while [n for n in leftovers(out) if ".old-" in n] and time.monotonic() < deadline:
        time.sleep(0.05)
    assert leftovers(out) == [".site.building-other"]


def test_a_small_previous_site_is_deleted_before_the_build_returns(tmp_path: Path) -> None:
    out = tmp_path / "site"
    for number in range(swap.BACKGROUND_REMOVAL_MIN - 1):
        (out / "records" / f"r{number}").mkdir(parents=True)
    staging = tmp_path / ".site.building-mine"
    staging.mkdir()
    swap.swap_into_place(staging, out)
    assert leftovers(out) == []


# ---- never a user's file: the build's target ------------------------------------------------------


def test_build_replaces_only_a_folder_our_build_made(project, tmp_path: Path, monkeypatch) -> None:
    """A folder that merely holds a sitemap.xml is not ours: it once lost the user's other files."""
    from generator.errors import UserError

    theirs = tmp_path / "theirs"
    theirs.mkdir()
    (theirs / "sitemap.xml").write_text("<urlset/>", encoding="utf-8")
    (theirs / "论文.docx").write_bytes(b"the user's work")
    with pytest.raises(UserError, match=swap.MARKER):
        pipeline.build(project, out_dir=theirs)
    assert sorted(p.name for p in theirs.iterdir()) == ["sitemap.xml", "论文.docx"]
    ours = tmp_path / "ours"
    assert pipeline.build(project, out_dir=ours).ok
    assert (ours / swap.MARKER).read_text(encoding="utf-8") == swap.MARKER_TEXT
    (ours / "stray.txt").write_text("放错了地方", encoding="utf-8")
    assert pipeline.build(project, out_dir=ours).ok  # ours, marked: replaced as a whole
    assert not (ours / "stray.txt").exists()
    monkeypatch.setattr(swap.os.path, "ismount", lambda path: Path(path) == ours)
    with pytest.raises(UserError, match="挂载点"):
        pipeline.build(project, out_dir=ours)


def test_what_a_killed_build_left_is_removed_and_what_a_running_one_holds_is_not(tmp_path: Path) -> None:
    from generator.files import WorkFolder

    target = tmp_path / "site"
    abandoned = [tmp_path / ".site.building-killed", tmp_path / ".site.search-killed", tmp_path / ".site.old-killed"]
    for folder in abandoned:
        (folder / "records").mkdir(parents=True)
        (folder / "records" / "index.html").write_text("旧", encoding="utf-8")
    other = tmp_path / ".other.building-x"  # another site's: not matched
    other.mkdir()
    running = WorkFolder(tmp_path, ".site.building-")  # a build still writing (it holds the lock)
    try:
        old = time.time() - 60
        for folder in [*abandoned, other, running.path]:
            os.utime(folder, (old, old))
        removed = swap.remove_abandoned_work(target)
        assert sorted(removed) == sorted(abandoned)
        assert running.path.exists() and other.exists()
    finally:
        running.remove()
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8")
    assert all(pattern in ignored for pattern in (".*.building-*/", ".*.search-*/", ".*.old-*/", ".showcase-export-*/"))


def test_a_build_after_a_sigkill_leaves_nothing_behind(references, tmp_path: Path) -> None:
    project, old_digest, new_digest, old_site, _ = references
    out = tmp_path / "site"
    shutil.copytree(old_site, out)
    kill_build(project, out, after_staging=0.05)
    stale = leftovers(out)
    assert [name for name in stale if ".building-" in name], "the kill came too late to leave anything"
    old = time.time() - 60
    for name in stale:
        os.utime(out.parent / name, (old, old))
    assert pipeline.build(project, out_dir=out).ok
    assert leftovers(out) == []
    assert tree_digest(out) == new_digest


# A build that SIGKILLs itself at a chosen moment of the photo folder's hand-over (no handler, no atexit runs).
KILL_AT = """
import os, signal, sys
from generator.build import photos
from generator.cli import main

moment, real = sys.argv[1], {"fill": photos.MediaFolder.fill, "keep": photos.MediaFolder.keep}

def killed(name):
    def step(self, *args):
        if name == "fill":
            real["fill"](self, *args)  # the spare media/ is in the staging site now, the swap still to come
        os.kill(os.getpid(), signal.SIGKILL)  # keep: the new site is in place, the old one not yet retired
    return step

setattr(photos.MediaFolder, moment, killed(moment))
main(["build", "--config", sys.argv[2], "--out", sys.argv[3]])
"""


@pytest.mark.parametrize("moment", ["fill", "keep"])
def test_sigkill_while_media_changes_hands_loses_neither_site_nor_cache(references, tmp_path: Path, moment: str) -> None:
    """The live site's media/ is never moved: killed with the spare in the staging site, the old site is
    whole; killed after the swap, the new one is. The cache keeps every file, so the next build processes nothing."""
    from generator.build.photos import spare_folder

    project, old_digest, new_digest, old_site, _ = references
    out = tmp_path / "site"
    shutil.copytree(old_site, out)
    shutil.copytree(old_site / "media", spare_folder(out))  # as the build before the old one would have left it
    cache = project.root / ".cache"
    persistent = {**os.environ, "SHOWCASE_CACHE": "1"}  # the cache in the project, as editors have it
    try:
        killed = subprocess.run([sys.executable, "-c", KILL_AT, moment, str(project.path), str(out)],
                                cwd=ROOT, capture_output=True, text=True, timeout=600, env=persistent)
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert tree_digest(out) == (old_digest if moment == "fill" else new_digest)
        published = {p.name for p in (out / "media").rglob("*.*")}
        assert published and published <= {p.name for p in (cache / "media").rglob("*.*")}
        for name in leftovers(out):
            os.utime(out.parent / name, (time.time() - 60,) * 2)  # abandoned, as by a build long gone
        rebuilt = build_cli(project.path, out, env={"SHOWCASE_CACHE": "1"})
        assert rebuilt.returncode == 0 and "本次处理 0 张" in rebuilt.stdout, rebuilt.stdout + rebuilt.stderr
        assert tree_digest(out) == new_digest
        assert leftovers(out) == []
    finally:
        shutil.rmtree(cache, ignore_errors=True)  # the module's other builds run without a cache


# ---- never a user's file: exports ---------------------------------------------------------------


@pytest.fixture(scope="module")
def export_catalogue():
    sys.path.insert(0, str(ROOT / "tests"))
    from export_support import fixture_catalogue

    return fixture_catalogue()


@pytest.mark.parametrize("error, words", [(errno.ENOSPC, "磁盘已满"), (errno.EROFS, "只读"), (errno.EDQUOT, "配额")])
def test_a_failed_export_leaves_the_previous_file_whole(export_catalogue, tmp_path: Path, monkeypatch, error: int, words: str) -> None:
    """On a full disk a good proof-all.docx once became a truncated file: exports are renamed into place when complete."""
    from generator.errors import UserError
    from generator.exporters import EXPORTER_BY_NAME, Selection, csv_export, export

    first = export(export_catalogue, "csv", Selection(), tmp_path)
    good = first[0].read_bytes()

    def half_then_full(catalogue, selected, out_dir: Path, job) -> list[Path]:
        (out_dir / first[0].name).write_bytes(good[: len(good) // 2])  # the disk fills up midway
        raise OSError(error, os.strerror(error), str(out_dir / first[0].name))

    monkeypatch.setattr(csv_export, "write", half_then_full)
    with pytest.raises(UserError, match=words) as raised:
        export(export_catalogue, "csv", Selection(), tmp_path)
    assert "原有文件保持不变" in raised.value.format_message()
    assert first[0].read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == [first[0].name]
    assert set(EXPORTER_BY_NAME) >= {"csv", "json", "docx", "pdf", "icml", "wechat"}


def test_every_export_is_renamed_into_place_from_a_work_folder(export_catalogue, tmp_path: Path, monkeypatch) -> None:
    """Central in export(): whatever an exporter writes goes to a work folder first (so a rewritten exporter needs nothing of its own)."""
    from generator.exporters import EXPORTER_BY_NAME, WORK_PREFIX, Exporter, Selection, export

    seen: list[Path] = []

    def writer(catalogue, selected, out_dir: Path, job) -> list[Path]:
        seen.append(out_dir)
        (out_dir / "sub").mkdir()
        (out_dir / "sub" / "a.txt").write_text("甲", encoding="utf-8")
        (out_dir / "b.txt").write_text("乙", encoding="utf-8")
        return [out_dir / "b.txt", out_dir / "sub" / "a.txt"]

    monkeypatch.setitem(EXPORTER_BY_NAME, "probe", Exporter("probe", "测试", "x:y"))
    monkeypatch.setattr(Exporter, "load", lambda self: writer)
    abandoned = tmp_path / f"{WORK_PREFIX}killed"
    abandoned.mkdir()
    os.utime(abandoned, (time.time() - 60, time.time() - 60))
    written = export(export_catalogue, "probe", Selection(), tmp_path)
    assert seen[0].parent == tmp_path and seen[0].name.startswith(WORK_PREFIX)
    assert written == [tmp_path / "b.txt", tmp_path / "sub" / "a.txt"]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*")) == ["b.txt", "sub", "sub/a.txt"]


def test_export_with_invalid_records_fails_unless_asked_to_skip_them(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    root = tmp_path / "project"
    root.mkdir()
    config = make_project(root)
    write_records(root, {"broken.yml": {"kind": "estate", "name": 1}, "broken-too.yml": {"kind": "nothing"}})
    out = tmp_path / "out"
    args = ["export", "--format", "csv", "--config", str(config.path), "--out", str(out)]
    refused = CliRunner().invoke(main, args)
    assert refused.exit_code == 1
    assert "没有导出：2 个记录文件有错误" in refused.output and "--skip-invalid" in refused.output
    assert not out.exists()
    skipped = CliRunner().invoke(main, [*args, "--skip-invalid"])
    assert skipped.exit_code == 0, skipped.output
    assert "2 个有错误的记录文件已略过" in skipped.output
    assert [p.suffix for p in out.iterdir()] == [".csv"]


# ---- never hang on, fill up with, or write to a special file ------------------------------------


@pytest.mark.parametrize("special", ["/dev/zero", "/dev/urandom", "fifo", "folder", "socket"])
def test_articles_that_are_not_files_are_refused_at_once(tmp_path: Path, special: str) -> None:
    """/dev/zero once filled 9.4 GB in 8 s; /dev/urandom and a FIFO hung (`import` and `clean` read through read_article)."""
    import socket
    import threading

    from generator.authoring.importing import read_article
    from generator.errors import UserError

    path = Path(special) if special.startswith("/") else tmp_path / "article.txt"
    if special == "fifo":
        os.mkfifo(path)
    elif special == "folder":
        path.mkdir()
    elif special == "socket":
        with socket.socket(socket.AF_UNIX) as listener:
            listener.bind(str(path))  # the name stays behind as a socket file
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_article(path)
        except BaseException as error:  # noqa: BLE001 - handed to the test below
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive() and special == "fifo":
        with open(path, "wb"):
            pass  # unblock it, so the test process can end
    assert not reader.is_alive(), f"reading {special} did not end"
    assert [type(error) for error in outcome] == [UserError]
    assert "不是普通文件" in outcome[0].format_message() or "文件夹" in outcome[0].format_message()


def test_import_of_dev_zero_ends_at_once_without_a_traceback(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "generator", "import", "/dev/zero", "--config", str(ROOT / "site_config.yml"), "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 1 and "不是普通文件" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("target", ["/dev/full", "/dev/null", "fifo"])
def test_clean_never_writes_over_a_device_or_fifo(tmp_path: Path, target: str) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    article = tmp_path / "article.txt"
    article.write_text("活動(dòng)開展\n", encoding="utf-8")
    out = Path(target) if target.startswith("/") else tmp_path / "out.txt"
    if target == "fifo":
        os.mkfifo(out)
    before = os.stat(out)
    result = CliRunner().invoke(main, ["clean", str(article), "-o", str(out), "--force"])
    assert result.exit_code == 1 and "不是普通文件" in result.output
    after = os.stat(out)
    assert (after.st_ino, after.st_mode, after.st_rdev) == (before.st_ino, before.st_mode, before.st_rdev)


@pytest.mark.parametrize("number", ["-5", "0", "101"])
def test_new_refuses_a_number_outside_the_series(tmp_path: Path, number: str) -> None:
    from click.testing import CliRunner

    from generator.cli import main

    root = tmp_path / "project"
    root.mkdir()
    config = make_project(root)
    before = sorted(p.name for p in config.projects_dir.iterdir())
    result = CliRunner().invoke(main, ["new", "负数花园", f"--number={number}", "--province", "湖北省", "--config", str(config.path)])
    assert result.exit_code == 1 and "1–100" in result.output
    assert sorted(p.name for p in config.projects_dir.iterdir()) == before
