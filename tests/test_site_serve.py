"""`showcase serve`: the preview rebuilds when a record changes, and shows drafts with --drafts."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

from pathlib import Path

import pytest

from site_support import DRAFT_NAME, make_project

MOUNT = "/meihao-jiayuan/"  # the path of site_url in site_config.yml


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, needle: str, seconds: float = 60) -> str:
    """Poll until the page contains `needle` (a generous bound for a loaded 2-core machine, not a speed test)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = fetch(url)
        if text is not None and needle in text:
            return text
        time.sleep(0.3)
    pytest.fail(f"{url} never contained {needle!r}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture
def serving(tmp_path):
    """(project folder, site URL, the serve process)."""
    make_project(tmp_path)
    port = free_port()
    with open(tmp_path / "serve.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--config", str(tmp_path / "site_config.yml"), "--port", str(port), "--drafts"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        yield tmp_path, f"http://127.0.0.1:{port}{MOUNT}", process
        stop(process)


@pytest.fixture
def server(serving):
    root, base, _ = serving
    return root, base


def test_serve_shows_drafts_and_rebuilds_on_edit(server):
    root, base = server
    draft = wait_for(base + "records/caogao-huayuan/", DRAFT_NAME)
    assert 'class="sc-draft"' in draft
    page = wait_for(base + "records/ceshi-lanwan/", "联起来 暖起来")
    assert "livereload" in page  # the server injects its reload script

    record = root / "projects" / "048-ceshi-lanwan.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("联起来 暖起来", "改过的标题语"), encoding="utf-8")
    wait_for(base + "records/ceshi-lanwan/", "改过的标题语")


def test_serve_keeps_the_last_good_site_when_a_record_breaks(server):
    root, base = server
    wait_for(base + "records/ceshi-lanwan/", "联起来 暖起来")
    (root / "projects" / "broken.yml").write_text("kind: estate\nname: 坏记录\n", encoding="utf-8")
    record = root / "projects" / "048-ceshi-lanwan.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("联起来 暖起来", "不会出现"), encoding="utf-8")
    time.sleep(3)  # give the watcher time to react; the page must stay the last good one
    assert "联起来 暖起来" in (fetch(base + "records/ceshi-lanwan/") or "")


def test_the_browser_reloads_after_the_page_changed(server):
    """What the page's reload script does: ask /livereload/<its epoch>/… and reload when the answer is newer."""
    root, base = server
    page = wait_for(base + "records/ceshi-lanwan/", "联起来 暖起来")
    epoch = int(re.search(r"livereload\((\d+), \d+\);", page)[1])
    record = root / "projects" / "048-ceshi-lanwan.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("联起来 暖起来", "改过的标题语"), encoding="utf-8")
    poll = base.replace(MOUNT, f"/livereload/{epoch}/1")
    deadline = time.monotonic() + 120
    answer = epoch
    while answer <= epoch and time.monotonic() < deadline:  # the server answers at once when the site changed, else after a minute
        with urllib.request.urlopen(poll, timeout=90) as response:
            answer = int(response.read())
    assert answer > epoch, "the browser was never told to reload"
    assert "改过的标题语" in (fetch(base + "records/ceshi-lanwan/") or "")  # told after the page changed, not before


def test_stopping_serve_stops_its_background_build(serving):
    root, base, process = serving
    wait_for(base + "records/ceshi-lanwan/", "联起来 暖起来")
    record = root / "projects" / "048-ceshi-lanwan.yml"
    record.write_text(record.read_text(encoding="utf-8").replace("联起来 暖起来", "改过的标题语"), encoding="utf-8")
    wait_for(base + "records/ceshi-lanwan/", "改过的标题语")  # patched; the full build now runs in the background
    stop(process)
    proc = Path("/proc")
    if not proc.is_dir():
        pytest.skip("no /proc to list processes")
    config = str(root / "site_config.yml").encode()
    left = []
    for entry in proc.iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"build" in command and config in command:
            left.append(entry.name)
    assert not left, "the background build outlived the server"


def test_the_bench_measures_an_edit_through_the_reload_signal(tmp_path):
    """bench.ours.measure_edit (make bench) against the real server: each edit is seen through the reload."""
    from bench.ours import measure_edit
    from bench.synthetic import generate

    site = generate(30, tmp_path / "synthetic")
    seconds, note = measure_edit(site, edits=2, timeout=60)
    assert seconds is not None, note
    assert "刷新信号" in note and note.count(" / ") == 1  # both edits, each timed


def test_an_open_tab_reloads_itself_with_the_edit(server):
    """In Chromium: the page's own reload script brings in the patched page, nobody navigates."""
    chromium = Path("/usr/bin/chromium")
    if not chromium.exists():
        pytest.skip("/usr/bin/chromium is not installed")
    playwright_api = pytest.importorskip("playwright.sync_api")
    root, base = server
    url = base + "records/ceshi-lanwan/"
    wait_for(url, "联起来 暖起来")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    with playwright_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(chromium), args=args)
        try:
            tab = browser.new_page()
            tab.goto(url, wait_until="load")  # the reload script starts asking the server on load
            record = root / "projects" / "048-ceshi-lanwan.yml"
            record.write_text(record.read_text(encoding="utf-8").replace("联起来 暖起来", "改过的标题语"), encoding="utf-8")
            # Asked again and again, also while the tab reloads (then there is no body yet).
            tab.wait_for_function("document.body !== null && document.body.innerText.includes('改过的标题语')", timeout=60_000)
        finally:
            browser.close()


def test_a_malformed_path_is_a_400_without_a_traceback(tmp_path, caplog):
    """/%00 made open() raise ValueError inside MkDocs' server: a 500 and a traceback in the terminal."""
    import io
    import logging

    from generator.mkdocs_adapter.serve import preview_server

    (tmp_path / "index.html").write_text("<p>首页</p>", encoding="utf-8")
    server = preview_server(lambda: None, tmp_path, host="127.0.0.1", port=0, mount_path="/")
    try:
        app = server.get_app()
        for path in ["/\x00", "/a\x00b/", "/index.html\x00.png", "/\x1b[2J", "/%00"]:
            answers: list[str] = []
            environ = {"PATH_INFO": path, "REQUEST_METHOD": "GET", "wsgi.input": io.BytesIO(), "SERVER_NAME": "x", "SERVER_PORT": "0"}
            with caplog.at_level(logging.ERROR, logger="mkdocs"):
                body = b"".join(app(environ, lambda status, headers, *rest: answers.append(status)))
            expected = "404 Not Found" if path == "/%00" else "400 Bad Request"  # wsgiref has decoded %00 before PATH_INFO
            assert answers == [expected], path
            assert body
        assert "Traceback" not in caplog.text and not [r for r in caplog.records if r.exc_info]
    finally:
        server.server_close()

