"""`showcase serve` shows an edited record at once, then catches up with a full build.

The Rebuilder is driven directly (the server only calls it): a record edit is
patched into the served folder without a full build, the background build
then brings the index pages up to date, and the end result is byte for byte
the site a fresh `showcase build` makes.
"""

from __future__ import annotations

import time
from pathlib import Path

from generator.pipeline import build
from generator.serve import Rebuilder
from site_support import make_project, tree_digest, write_records


def wait_for_background(rebuild: Rebuilder, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while rebuild._worker is not None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert rebuild._worker is None, "the background build did not finish"


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_is_patched_then_the_full_site_catches_up(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    served = tmp_path / "served" / "site"
    served.parent.mkdir()
    rebuild = Rebuilder(config.path, served, include_drafts=False)
    reloads = []
    rebuild.reload_browsers = lambda: reloads.append(time.monotonic())
    rebuild()
    page = served / "records" / "ceshi-lanwan" / "index.html"
    assert "测试蓝湾" in page.read_text(encoding="utf-8")

    edit(config.projects_dir / "048-ceshi-lanwan.yml", "测试蓝湾", "改名蓝湾")
    rebuild()
    assert rebuild.patches == 1
    assert "改名蓝湾" in page.read_text(encoding="utf-8")  # shown before any full build
    wait_for_background(rebuild)
    assert reloads, "browsers are told to reload after the background build"
    assert "改名蓝湾" in (served / "catalogue" / "index.html").read_text(encoding="utf-8")

    fresh = build(config, out_dir=tmp_path / "fresh")
    assert fresh.ok
    assert tree_digest(served) == tree_digest(tmp_path / "fresh")


def test_added_record_and_broken_record(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    served = tmp_path / "served" / "site"
    served.parent.mkdir()
    rebuild = Rebuilder(config.path, served, include_drafts=False)
    rebuild()
    before = tree_digest(served)

    write_records(tmp_path, {"bad.yml": {"kind": "estate", "name": "缺字段"}})
    rebuild()
    assert tree_digest(served) == before  # the last good site stays
    (config.projects_dir / "bad.yml").unlink()

    source = (config.projects_dir / "048-ceshi-lanwan.yml").read_text(encoding="utf-8")
    copy = source.replace("ceshi-lanwan", "ceshi-xinlan").replace("测试蓝湾", "测试新蓝").replace("number: 48", "number: 50")
    (config.projects_dir / "049-ceshi-xinlan.yml").write_text(copy, encoding="utf-8")
    rebuild()
    assert rebuild.patches == 0  # a new page changes lists and neighbours: a full build, at once
    assert (served / "records" / "ceshi-xinlan" / "index.html").is_file()
    fresh = build(config, out_dir=tmp_path / "fresh")
    assert tree_digest(served) == tree_digest(tmp_path / "fresh")
