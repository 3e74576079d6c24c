"""Our system under the benchmark: build, check, edit-while-serving, first search.

Everything runs through the real command line (`python -m generator …`) in a
subprocess, so start-up and imports are counted as an editor would feel them.
"""

from __future__ import annotations

import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench.measure import System, run_measured
from bench.synthetic import SyntheticSite

PYTHON = sys.executable


def prepare(site: SyntheticSite, work: Path) -> System:
    # Our package's .pyc, as `pip install` writes them (the peers' are in their venvs already):
    # under PYTHONDONTWRITEBYTECODE every run would otherwise compile our modules again.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(__file__).resolve().parents[1] / "generator")], check=True)
    out = work / "ours" / "site"
    out.parent.mkdir(parents=True, exist_ok=True)
    return System(
        name="ours",
        label="ours (showcase build)",
        command=[PYTHON, "-m", "generator", "build", "--config", str(site.config_path), "--out", str(out)],
        cwd=site.root,
        out_dir=out,
        record_page=lambda slug: out / "records" / slug / "index.html",
        # Any build cache next to the config is dropped before each run: these are cold builds.
        caches=[site.root / ".cache"],
        note="完整流程：读取、校验、渲染、写出（含搜索索引，如已接入）",
    )


def measure_check(site: SyntheticSite, runs: int) -> tuple[float | None, float | None, str]:
    """Median wall time of `showcase check`: cold (cache removed) and warm (run again, nothing changed).

    check caches single-file results by content hash in <root>/.cache, so an
    editor's second check is the warm one; the cold one is a fresh clone.
    """
    import shutil

    command = [PYTHON, "-m", "generator", "check", "--config", str(site.config_path)]
    cold, warm = [], []
    for _ in range(runs):
        shutil.rmtree(site.root / ".cache", ignore_errors=True)
        for times in (cold, warm):
            run = run_measured(command, site.root)
            if run.returncode != 0:
                return None, None, f"showcase check 失败（退出码 {run.returncode}）"
            times.append(run.seconds)
    return statistics.median(cold), statistics.median(warm), f"冷（无缓存）；再次运行（有缓存）{statistics.median(warm):.2f} s"


def measure_first_search(out_dir: Path) -> tuple[int | None, float | None, str]:
    """(median compressed bytes, median cold ms, note) of the first search, in Chromium.

    Uses the search module's own measurement (bench.search_measure) when
    the build has a search folder; otherwise says what is missing.
    """
    try:
        from bench.search_measure import measure_site
    except ImportError:
        return None, None, "bench.search_measure 不存在"
    if not ((out_dir / "search").is_dir() or (out_dir / "pagefind").is_dir()):
        return None, None, "构建结果中没有 search/ 或 pagefind/（搜索尚未接入 showcase build）"
    try:
        measured = measure_site(out_dir)
    except Exception as exc:  # a broken measurement must not lose the rest of the table
        return None, None, f"搜索测量失败：{type(exc).__name__}: {exc}"
    if not measured:
        return None, None, "没有测量到查询"
    return (
        int(statistics.median(m.bytes_compressed for m in measured)),
        statistics.median(m.cold_ms for m in measured),
        f"Chromium 实测 {len(measured)} 个查询的中位数（{'、'.join(m.query for m in measured)}）",
    )


# ---- edit while `showcase serve` runs ---------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _fetch(url: str, timeout: float = 5) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def _wait_for(url: str, marker: str | None, deadline: float, poll: float = 0.02) -> bool:
    while time.monotonic() < deadline:
        body = _fetch(url)
        if body is not None and (marker is None or marker in body):
            return True
        time.sleep(poll)
    return False


# The reload script `showcase serve` (MkDocs' LiveReloadServer) puts in every page: livereload(<epoch>, <request id>).
_RELOAD_SCRIPT = re.compile(r"livereload\((\d+), (\d+)\);")


def _reloaded(origin: str, url: str, page: str, marker: str, deadline: float) -> bool:
    """What an open browser tab does, without the browser: ask the server whether the site changed
    since `page` was served (/livereload/<epoch>/<id> answers at once when it did, else when it does),
    and when told so, load the page again. True once the reloaded page shows `marker`.

    A page without the reload script (a server that cannot reload tabs) is polled instead.
    """
    while time.monotonic() < deadline:
        script = _RELOAD_SCRIPT.search(page)
        if script is None:
            return _wait_for(url, marker, deadline)
        epoch = int(script[1])
        answer = _fetch(f"{origin}/livereload/{epoch}/{script[2]}", timeout=max(0.1, deadline - time.monotonic()))
        if answer is None or not answer.strip().isdigit():
            return False
        if int(answer) <= epoch:  # the server's minute without news: ask again
            continue
        reloaded = _fetch(url)
        if reloaded is None:
            return False
        if marker in reloaded:
            return True
        page = reloaded  # told to reload by something older than the edit: wait for the next signal
    return False


def measure_edit(site: SyntheticSite, edits: int, timeout: float) -> tuple[float | None, str]:
    """Median seconds from saving one record to an open tab showing the changed page.

    Starts `showcase serve`, waits for the first build, then edits the headline
    of one record `edits` times. Each time the clock runs from the file write
    until the page, loaded again after the server's reload signal (as the
    page's reload script does it), shows the new text. The browser's own
    rendering of that page is not counted.
    """
    import yaml

    config = yaml.safe_load(site.config_path.read_text(encoding="utf-8"))
    mount = urlsplit(str(config.get("site_url") or "/")).path or "/"
    slug = site.slugs[len(site.slugs) // 2]
    path = next(site.projects_dir.glob(f"*{slug}.yml"))
    original = path.read_text(encoding="utf-8")
    port = _free_port()
    origin = f"http://127.0.0.1:{port}"
    url = f"{origin}{mount.rstrip('/')}/records/{slug}/"
    server = subprocess.Popen(
        [PYTHON, "-m", "generator", "serve", "--config", str(site.config_path), "--port", str(port)],
        cwd=site.root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    times: list[float] = []
    try:
        if not _wait_for(url, None, time.monotonic() + timeout, poll=0.25):
            return None, f"showcase serve 在 {timeout:.0f} 秒内没有提供 {url}"
        time.sleep(1.0)  # let the watcher settle after the first build
        for attempt in range(edits):
            page = _fetch(url)  # the open tab, as it was before the edit
            if page is None:
                return None, f"showcase serve 不再提供 {url}"
            marker = f"编辑测试{attempt}{time.time_ns()}"
            edited = re.sub(r"^headline: (.*)$", lambda m: f"headline: {m.group(1)}{marker}", original, count=1, flags=re.M)
            started = time.monotonic()
            path.write_text(edited, encoding="utf-8")
            if not _reloaded(origin, url, page, marker, started + timeout):
                return None, f"改动后 {timeout:.0f} 秒内页面没有刷新出新内容"
            times.append(time.monotonic() - started)
            time.sleep(0.5)
    finally:
        path.write_text(original, encoding="utf-8")
        server.send_signal(signal.SIGINT)  # like Ctrl+C: serve stops its background build and removes its temp folder
        try:
            server.wait(timeout=60)  # a 10,000-page folder takes seconds to remove; killed earlier, it would stay
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
    each = " / ".join(f"{t:.2f}" for t in times)
    return statistics.median(times), f"改一条记录的标题语到页面按刷新信号重新载入并显示新内容，{edits} 次的中位数（各次 {each} s；不含浏览器渲染）"
