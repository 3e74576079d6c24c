"""Work shared out to worker processes gives exactly what one process gives.

generator.build.parallel decides when a stage uses workers (MIN_RECORDS);
these tests lower the threshold so that small projects take the worker
route too, and compare with the one-process route: the check reports and
loaded records, the rendered pages and files, and the whole built site byte
for byte. (Reading files in the workers when nothing is remembered:
tests/test_parallel_loading.py.)
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from generator.build import parallel
from generator.build.pipeline import build, site_options
from generator.build.records import load_catalogue
from generator.build.site import render_site
from site_support import make_project, tree_digest

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
    return config


def snapshot(config, **options):
    catalogue = load_catalogue(config, include_drafts=True, **options)
    return catalogue.report.as_json(), [(e.path, e.record.model_dump(mode="json")) for e in catalogue.entries]


def test_checking_in_workers_gives_the_same_results_in_the_same_order(corpus, monkeypatch) -> None:
    monkeypatch.setattr(parallel, "MIN_RECORDS", 10**9)
    serial = snapshot(corpus, cache=False)
    monkeypatch.setattr(parallel, "MIN_RECORDS", 2)
    assert snapshot(corpus, cache=False) == serial


def test_rendering_in_workers_gives_the_same_pages(tmp_path: Path, monkeypatch) -> None:
    config = make_project(tmp_path)
    catalogue = load_catalogue(config, include_drafts=True, cache=False)
    monkeypatch.setattr(parallel, "MIN_RECORDS", 10**9)
    serial = render_site(catalogue, site_options(config))
    monkeypatch.setattr(parallel, "MIN_RECORDS", 1)
    fresh = load_catalogue(config, include_drafts=True, cache=False)
    workers = render_site(fresh, site_options(config))
    assert workers.pages == serial.pages
    assert workers.files == serial.files
    assert len(serial.records) >= 3 and any("wechat/" in p.url for p in serial.pages)


def test_the_parallel_route_builds_the_same_site(tmp_path, monkeypatch):
    """Big catalogues render in workers, index in the background and write record pages from forked workers."""
    config = make_project(tmp_path)
    monkeypatch.setattr(parallel, "MIN_RECORDS", 10**9)
    assert build(config, out_dir=tmp_path / "serial").ok
    monkeypatch.setattr(parallel, "MIN_RECORDS", 1)
    assert build(config, out_dir=tmp_path / "parallel").ok
    assert tree_digest(tmp_path / "parallel") == tree_digest(tmp_path / "serial")
    # No worker folders left; each site keeps only its spare media/ (generator.build.photos).
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == [".parallel.media-spare", ".serial.media-spare"]


