"""`showcase serve` shows a broken record in the browser, over the page, and clears it when fixed.

One server for the whole story, as an editor lives it: the preview started
with a broken record (no site yet), the record fixed, broken again while its
page is open, fixed again.
"""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from site_support import make_project, records, write_records
from test_site_serve import MOUNT, free_port, stop

pytestmark = pytest.mark.browser

GOOD = records()["048-ceshi-lanwan.yml"]
BROKEN = {**GOOD, "metrics": {"households": 3200, "owner_satisfaction": 120}}


def test_problems_show_over_the_page_until_fixed(browser, tmp_path):
    make_project(tmp_path)
    write_records(tmp_path, {"048-ceshi-lanwan.yml": BROKEN})
    port = free_port()
    with open(tmp_path / "serve.log", "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--config", str(tmp_path / "site_config.yml"), "--port", str(port)],
            stdout=log, stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}{MOUNT}"
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    try:
        _wait_until_listening(base)
        # The first build failed: instead of "404 Not Found", the problem with file:line and the line itself.
        page.goto(base, timeout=60_000)
        panel = page.wait_for_selector("#showcase-problems", timeout=60_000)
        text = panel.inner_text()
        assert "网站未能生成" in text and "projects/048-ceshi-lanwan.yml:" in text
        assert "业主满意度（owner_satisfaction）应在 0–100% 之间，现在是 120" in text and "owner_satisfaction: 120" in text

        write_records(tmp_path, {"048-ceshi-lanwan.yml": GOOD})  # fixed: the page becomes the site
        page.wait_for_selector(".md-header", timeout=60_000)
        assert page.locator("#showcase-problems").count() == 0

        page.goto(base + "records/ceshi-lanwan/")
        write_records(tmp_path, {"048-ceshi-lanwan.yml": BROKEN})  # broken while its page is open
        panel = page.wait_for_selector("#showcase-problems", timeout=60_000)
        assert "上一次成功生成的版本" in panel.inner_text() and "[E226]" in panel.inner_text()
        assert "98.5%" in page.locator(".sc-figure", has_text="业主满意度").inner_text()  # the last good page below

        write_records(tmp_path, {"048-ceshi-lanwan.yml": GOOD})
        page.wait_for_selector("#showcase-problems", state="detached", timeout=60_000)
    finally:
        context.close()
        stop(process)


def _wait_until_listening(url: str, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return
        except urllib.error.HTTPError:  # answering (the 404 of a site not built yet)
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)
    pytest.fail(f"showcase serve did not answer at {url}")
