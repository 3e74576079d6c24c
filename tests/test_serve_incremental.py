"""`showcase serve` shows an edited record at once, then catches up with a full build.

The Rebuilder is driven directly (the server only calls it): a record edit is
patched into the served folder without a full build, the background build
then brings the index pages up to date, and the end result is byte for byte
the site a fresh `showcase build` makes.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.schema.site_config import load_site_config
from generator.build.pipeline import build
from generator.build.incremental import Rebuilder
from site_support import make_project, tree_digest, write_records


def serving(config) -> tuple[Path, Rebuilder]:
    """A Rebuilder for the project's site_config.yml, serving into <root>/served/site."""
    served = config.root / "served" / "site"
    served.parent.mkdir()
    return served, Rebuilder(config.path, served, include_drafts=False)


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
    served, rebuild = serving(config)
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
    served, rebuild = serving(config)
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


# ---- with a watcher: the file events say which records changed --------------

LANWAN = "048-ceshi-lanwan.yml"
# A fourth record, neighbour of 048, sharing only a theme (红色物业) with 047: when 048 stops sharing
# its mechanism with 047, the two tie on 047's related list and the order there changes.
HONGSE = {
    "kind": "estate", "series": "national-2022", "number": 50, "status": "published",
    "name": "测试红色家园", "headline": "红色引领", "slug": "ceshi-hongse",
    "location": {"province": "湖北省", "city": "武汉市"},
    "summary": "测试红色家园的概况。",
    "themes": ["红色物业"],
    "sources": [{"publisher": "测试日报", "title": "红色家园报道", "date": "2023-03-02"}],
}
# The edited record and its neighbours: what a patch writes.
PATCHED_PAGES = ("records/ceshi-lanwan/index.html", "records/ceshi-huayuan/index.html", "records/ceshi-hongse/index.html")


def watched(tmp_path: Path, monkeypatch) -> tuple[Rebuilder, Path, Path]:
    """A Rebuilder after its first build, told of changes the way serve()'s watcher tells it.

    The background build is switched off (it would replace the patched pages with its
    own): these tests look at what the patch alone shows.
    """
    config = make_project(tmp_path, {"050-ceshi-hongse.yml": HONGSE})
    served, rebuild = serving(config)
    monkeypatch.setattr(rebuild, "_run_build", lambda *args: None)
    rebuild.watch_records(config.projects_dir)
    rebuild()
    return rebuild, config.projects_dir, served


def saved(rebuild: Rebuilder, path: Path, event: str = "modified") -> None:
    assert rebuild.note_event(event, [str(path)])


def files_listed(monkeypatch) -> list[list[Path] | None]:
    """Every `paths` CatalogueLoader was asked to load (None: all of projects/)."""
    from generator.build.records import CatalogueLoader

    calls: list[list[Path] | None] = []
    original = CatalogueLoader.load

    def spy(self, paths=None, *args, **options):
        calls.append(None if paths is None else list(paths))
        return original(self, paths, *args, **options)

    monkeypatch.setattr(CatalogueLoader, "load", spy)
    return calls


@pytest.mark.parametrize(
    ("edit_from", "edit_to"),
    [
        ("联起来 暖起来", "改过的标题语"),  # text only: the related index is carried over
        ("社区党委领导下的月度联席会议。", "改过的机制说明。"),  # a mechanism's text
        ("业委会建设", "红色物业"),  # a theme: related lists are computed afresh
        ("name: “1+1+X”联席会议制度", "name: 新的机制"),  # no longer shared with 047: its related list reorders
    ],
)
def test_a_watched_edit_reads_only_that_file_and_patches_exactly(tmp_path: Path, monkeypatch, edit_from, edit_to) -> None:
    rebuild, projects, served = watched(tmp_path, monkeypatch)
    listed = files_listed(monkeypatch)
    path = projects / LANWAN
    edit(path, edit_from, edit_to)
    saved(rebuild, path)
    rebuild()
    assert rebuild.patches == 1
    assert listed == [[path]], "only the edited file is listed, read and checked"

    fresh = build(load_site_config(tmp_path / "site_config.yml"), out_dir=tmp_path / "fresh")
    assert fresh.ok
    for page in PATCHED_PAGES:  # the same bytes a full build writes
        assert (served / page).read_bytes() == (tmp_path / "fresh" / page).read_bytes(), page


@pytest.mark.parametrize(
    ("event", "where", "is_directory", "counts"),
    [
        ("opened", "projects/048-ceshi-lanwan.yml", False, False),  # reads change nothing
        ("closed_no_write", "projects/048-ceshi-lanwan.yml", False, False),
        ("modified", "projects", True, False),  # comes with the file's own event
        ("modified", "projects/notes.txt", False, False),  # not a record
        ("modified", "projects/.048-ceshi-lanwan.yml.swp", False, False),  # an editor's temporary file
        ("modified", "projects/048-ceshi-lanwan.yml", False, True),
        ("closed", "projects/048-ceshi-lanwan.yml", False, True),
        ("deleted", "projects/048-ceshi-lanwan.yml", False, True),
        ("moved", "projects/sub", True, True),  # records moved as a folder
        ("modified", "content/index.md", False, True),  # content/ and site_config.yml: the signature decides
        ("modified", "site_config.yml", False, True),
    ],
)
def test_which_file_events_count(tmp_path: Path, event, where, is_directory, counts) -> None:
    rebuild = Rebuilder(tmp_path / "site_config.yml", tmp_path / "site", include_drafts=False)
    rebuild.watch_records(tmp_path / "projects")
    assert rebuild.note_event(event, [str(tmp_path / where)], is_directory) is counts


def test_records_moved_as_a_folder_are_looked_for_everywhere(tmp_path: Path, monkeypatch) -> None:
    rebuild, projects, _ = watched(tmp_path, monkeypatch)
    listed = files_listed(monkeypatch)
    edit(projects / LANWAN, "联起来 暖起来", "改过的标题语")
    assert rebuild.note_event("moved", [str(projects / "old"), str(projects / "new")], is_directory=True)
    rebuild()
    assert listed == [None]  # every file of projects/ (CatalogueLoader still re-checks only the changed one)
    assert rebuild.patches == 1


def test_a_broken_edit_keeps_the_page_and_a_broken_new_file_holds_patches_back(tmp_path: Path, monkeypatch, capsys) -> None:
    rebuild, projects, served = watched(tmp_path, monkeypatch)
    page = served / PATCHED_PAGES[0]
    before = page.read_bytes()
    path = projects / LANWAN

    edit(path, "households: 3200", "households: -5")
    saved(rebuild, path)
    rebuild()
    printed = capsys.readouterr().err
    assert "记录有错误，继续显示上一版网站" in printed and "048-ceshi-lanwan.yml:" in printed
    assert "Traceback" not in printed
    assert page.read_bytes() == before
    # What the browser overlay shows (generator.mkdocs_adapter.overlay): the same problem, with its place.
    assert [(p.path, p.code) for p in rebuild.status.problems] == [("projects/048-ceshi-lanwan.yml", "E226")]
    broken_version = rebuild.status.version

    edit(path, "households: -5", "households: 3300")
    saved(rebuild, path)
    rebuild()
    assert "3300" in page.read_text(encoding="utf-8")
    assert rebuild.status.ok and rebuild.status.version == broken_version + 1

    write_records(tmp_path, {"bad.yml": {"kind": "estate", "name": "缺字段"}})
    saved(rebuild, projects / "bad.yml", "created")
    edit(path, "联起来 暖起来", "改过的标题语")
    saved(rebuild, path)
    rebuild()
    assert "bad.yml" in capsys.readouterr().err
    assert "改过的标题语" not in page.read_text(encoding="utf-8")  # nothing is patched while a record is broken
    assert {p.path for p in rebuild.status.problems} == {"projects/bad.yml"}

    (projects / "bad.yml").unlink()
    saved(rebuild, projects / "bad.yml", "deleted")
    rebuild()
    assert "改过的标题语" in page.read_text(encoding="utf-8")  # the edit made meanwhile is not lost
    assert rebuild.patches == 2 and rebuild.status.ok


def test_the_overlay_adds_its_script_to_pages_and_tells_the_status(tmp_path: Path) -> None:
    import json

    from generator.build.incremental import Status
    from generator.errors import Problem
    from generator.mkdocs_adapter.overlay import SCRIPT_URL, STATUS_URL, Overlay

    (tmp_path / "projects").mkdir()
    (tmp_path / "projects" / "a.yml").write_text("name: 甲\nnumber: -5\n", encoding="utf-8")
    status = Status((Problem("projects/a.yml", 2, 9, "E208", "编号（number）不能小于 1"),), None, 3)

    def site(environ, start_response):
        kind = "text/html" if environ["PATH_INFO"].endswith("/") else "text/css"
        start_response("200 OK", [("Content-Type", kind), ("Content-Length", "27")])
        return [b"<html><body>page</body></html>"]

    app = Overlay(site, lambda: status, tmp_path)
    answers = []
    call = lambda path: b"".join(app({"PATH_INFO": path}, lambda s, h, e=None: answers.append((s, dict(h)))))
    page = call("/x/")
    assert page == b'<html><body>page<script src="/__showcase__/overlay.js" defer></script></body></html>'
    assert answers[-1][1]["Content-Length"] == str(len(page))
    assert call("/x/a.css") == b"<html><body>page</body></html>"  # only pages get the script
    data = json.loads(call(STATUS_URL))
    assert data["version"] == 3 and data["problems"] == [
        {"where": "projects/a.yml:2:9", "code": "E208", "message": "编号（number）不能小于 1", "excerpt": "number: -5"}
    ]
    assert b"showcase-problems" in call(SCRIPT_URL)


@pytest.mark.parametrize("change", ["rename", "slug", "number", "new record"])
def test_changes_of_the_page_list_get_a_full_build(tmp_path: Path, monkeypatch, change) -> None:
    rebuild, projects, served = watched(tmp_path, monkeypatch)
    path = projects / LANWAN
    if change == "rename":
        renamed = projects / "048-lanwan.yml"
        path.rename(renamed)
        assert rebuild.note_event("moved", [str(path), str(renamed)])
    elif change == "slug":
        edit(path, "slug: ceshi-lanwan", "slug: ceshi-lanwan-xin")
        saved(rebuild, path)
    elif change == "number":
        edit(path, "number: 48", "number: 52")
        saved(rebuild, path)
    else:
        copy = path.read_text(encoding="utf-8").replace("ceshi-lanwan", "ceshi-xinlan").replace("number: 48", "number: 51")
        (projects / "051-ceshi-xinlan.yml").write_text(copy, encoding="utf-8")
        saved(rebuild, projects / "051-ceshi-xinlan.yml", "created")
    rebuild()
    assert rebuild.patches == 0
    fresh = build(load_site_config(tmp_path / "site_config.yml"), out_dir=tmp_path / "fresh")
    assert tree_digest(served) == tree_digest(tmp_path / "fresh")


def test_close_stops_a_running_background_build(tmp_path: Path) -> None:
    config = make_project(tmp_path)
    served, rebuild = serving(config)
    rebuild.watch_records(config.projects_dir)
    rebuild()
    before = tree_digest(served)
    path = config.projects_dir / LANWAN
    edit(path, "联起来 暖起来", "改过的标题语")
    saved(rebuild, path)
    rebuild()
    deadline = time.monotonic() + 60
    while rebuild._background is None and rebuild._worker is not None and time.monotonic() < deadline:
        time.sleep(0.01)
    process = rebuild._background
    if process is not None:
        try:  # it yields the CPU to the server's patches
            assert os.getpriority(os.PRIO_PROCESS, process.pid) > os.getpriority(os.PRIO_PROCESS, 0)
        except ProcessLookupError:  # already finished
            pass
    rebuild.close()
    wait_for_background(rebuild)
    if process is not None:  # caught running (the usual case): it was stopped, not left to write
        assert process.poll() is not None
    after = tree_digest(served)
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed <= {"records/ceshi-lanwan/index.html", "records/ceshi-huayuan/index.html"}  # only the patch
