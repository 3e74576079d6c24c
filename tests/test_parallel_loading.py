"""A check with nothing remembered reads the files in the worker processes: same report.

With an empty cache (a fresh clone, SHOWCASE_CACHE=0) every file is checked,
so CatalogueLoader leaves reading and hashing to the workers instead of reading
10,000 files in the main process first. Files that cannot be read (links,
folders named *.yml, files over the size limit) must still be reported
exactly as a serial run reports them, in file order, and the cache the cold
run writes must serve the next run.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from generator.build import parallel

from generator.build import records
from generator.schema.site_config import load_site_config
from generator.build.records import CatalogueLoader
from generator.load.files import MAX_BYTES

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
from site_support import make_project  # noqa: E402


@pytest.fixture
def project(tmp_path: Path):
    """The shipped records and every fixture, plus files no worker can read."""
    (tmp_path / "site").mkdir()
    config = make_project(tmp_path / "site")
    folder = config.projects_dir
    for path in sorted((ROOT / "tests" / "fixtures").glob("*/*.yml")) + sorted((ROOT / "projects").glob("*.yml")):
        shutil.copyfile(path, folder / f"{path.parent.name}-{path.name}")
    (folder / "a-folder.yml").mkdir()
    (folder / "b-link.yml").symlink_to(ROOT / "projects" / "047-gezhouba-chengshi-huayuan.yml")
    (folder / "c-dangling.yml").symlink_to(tmp_path / "nowhere.yml")
    (folder / "d-huge.yml").write_bytes(b"#" * (MAX_BYTES + 1))
    return load_site_config(config.path)


def report_of(config, **options) -> tuple[str, int]:
    loader = CatalogueLoader(config, **options)
    return loader.load(include_drafts=True).report.as_json(), loader.checked_last


def test_reading_in_workers_reports_what_a_serial_run_reports(project, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_RECORDS", 10**9)
    serial, serial_checked = report_of(project, cache=False)
    monkeypatch.setattr(parallel, "MIN_RECORDS", 2)
    cold, cold_checked = report_of(project, cache=False)
    assert cold == serial
    assert cold_checked == serial_checked > 500
    for code in ('"E108"', '"E109"'):
        assert code in serial


def test_the_cache_a_cold_run_writes_serves_the_next_run(project, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_RECORDS", 2)
    cold, cold_checked = report_of(project, cache=True)
    warm, warm_checked = report_of(project, cache=True)
    assert warm == cold
    assert cold_checked > 500 and warm_checked == 0


def test_named_files_that_do_not_exist_are_reported_as_missing_by_the_workers_too(project, monkeypatch) -> None:
    files = sorted(project.projects_dir.glob("*.yml"))
    named = files[:3] + [project.projects_dir / "gone.yml"] + files[3:] + [project.projects_dir / "also-gone.yml"]

    def report(parallel_min: int) -> str:
        monkeypatch.setattr(parallel, "MIN_RECORDS", parallel_min)
        return CatalogueLoader(project, cache=False).check(named).as_json()

    serial = report(10**9)
    assert report(2) == serial
    assert serial.count("文件不存在") == 2


def test_the_workers_signatures_let_the_same_loader_skip_unchanged_files(project, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_RECORDS", 2)
    loader = CatalogueLoader(project, cache=False)
    first = loader.load(include_drafts=True).report.as_json()
    assert loader.checked_last > 500
    edited = sorted(project.projects_dir.glob("valid-*.yml"))[0]
    assert edited.exists()
    edited.write_text(edited.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    second = loader.load(include_drafts=True).report.as_json()
    assert loader.checked_last == 1
    assert second == first


@pytest.mark.parametrize("parallel_min", [2, 10**9])
def test_a_build_after_a_check_reads_the_same_records_from_the_checks_cache(project, monkeypatch, parallel_min: int) -> None:
    """`showcase check` caches each file's data rather than its pickled Record; a build validates it again."""
    monkeypatch.setattr(parallel, "MIN_RECORDS", parallel_min)
    fresh = CatalogueLoader(project, cache=False).load(include_drafts=True)
    checker = CatalogueLoader(project, cache=True)
    report = checker.check()
    assert checker.checked_last > 500
    builder = CatalogueLoader(project, cache=True)
    built = builder.load(include_drafts=True)
    assert builder.checked_last == 0  # everything came from the check's cache
    assert built.report.as_json() == fresh.report.as_json() == report.as_json()
    assert [(e.path, e.record) for e in built.entries] == [(e.path, e.record) for e in fresh.entries]
    assert len(built.entries) >= 20  # the fixtures repeat slugs: most clash and are left out


@pytest.mark.parametrize("min_records", [2, 10**9], ids=["workers", "one-process"])
@pytest.mark.parametrize("cache", [False, True], ids=["cold", "warm"])
def test_what_a_build_does_meanwhile_runs_once_while_the_files_are_checked(project, monkeypatch, min_records, cache) -> None:
    """pipeline.build imports the site's stages through `meanwhile` while the workers check: it must run
    exactly once, whether the files are checked in workers, in this process or come from the cache."""
    monkeypatch.setattr(parallel, "MIN_RECORDS", min_records)
    loader = CatalogueLoader(project, cache=cache)
    if cache:
        loader.load(include_drafts=True)  # fills the cache: the next load checks nothing
        loader = CatalogueLoader(project, cache=cache)
    calls: list[int] = []
    catalogue = loader.load(include_drafts=True, meanwhile=lambda: calls.append(loader.checked_last))
    assert calls == [0]  # before any file was filed
    assert catalogue.entries and (loader.checked_last == 0) == cache
