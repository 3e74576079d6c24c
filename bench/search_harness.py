"""A bare site around the search bundle, a local server and Chromium: for browser tests and measurements.

The published site gets its pages from generator.site; this module only writes
minimal stand-ins (the header search box on a home page and on each record
page, and the /search/ page) so the search can be driven in a real browser
without building the whole site. Nothing here is published.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import os
import socketserver
import subprocess
import sys
from html import escape
from pathlib import Path
from typing import Iterator

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]  # fmt: skip

_PAGE = """<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title><link rel="stylesheet" href="{root}assets/search/search.css"></head>
<body><header class="md-header"><div class="md-header__inner">
<form class="sc-search" role="search" action="{root}search/" method="get" data-showcase-search>
<input class="sc-search__input" type="search" name="q" placeholder="搜索项目、地名、机制" autocomplete="off" aria-label="搜索项目">
</form></div></header>
<main>{body}</main>
<script src="{root}assets/search/search.js" defer></script></body></html>
"""


def write_shell_pages(site_dir: Path, record_urls: dict[str, str]) -> None:
    """Home, /search/ and one page per record URL ({url: name}), each with the header box."""
    pages = {"": ("首页", "<h1>美好家园</h1>"), "search/": ("搜索", "<div data-showcase-search-page></div>")}
    for url, name in record_urls.items():
        pages.setdefault(url, (name, f"<article><h1>{escape(name)}</h1></article>"))
    for url, (title, body) in pages.items():
        root = "../" * url.strip("/").count("/") + ("../" if url.strip("/") else "")
        path = site_dir / url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(_PAGE.format(title=escape(title), root=root, body=body), encoding="utf-8")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    # Keep-alive, as every real static host does: one connection per file would
    # measure this little server's connection set-up rather than the search.
    protocol_version = "HTTP/1.1"
    # Headers and body leave in separate writes: with Nagle's algorithm on, the
    # body waits for the browser's delayed ACK (~40 ms) on every keep-alive
    # response. Static servers send with TCP_NODELAY (nginx's default).
    disable_nagle_algorithm = True
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, ".js": "text/javascript"}

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


_TEXT_TYPES = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _GzipHandler(_QuietHandler):
    """Sends text compressed, as every real static host does (nginx gzip, Pages): what Lighthouse
    measures must be what a reader's phone downloads. Files that are gzip data already (the
    search index) go as they are."""

    def send_head(self):  # type: ignore[override]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        ctype = self.guess_type(path)
        wants = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants and os.path.isfile(path) and ctype.startswith(_TEXT_TYPES)):
            return super().send_head()
        if os.path.isdir(self.translate_path(self.path)) and not self.path.split("?")[0].endswith("/"):
            return super().send_head()  # the redirect to the folder URL
        with open(path, "rb") as source:
            body = source.read()
        if body[:2] != b"\x1f\x8b":
            body = gzip.compress(body, compresslevel=6, mtime=0)
            self.send_response(200)
            self.send_header("Content-Encoding", "gzip")
        else:
            self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)


@contextlib.contextmanager
def serve(site_dir: Path, *, compress: bool = False) -> Iterator[str]:
    """Serve `site_dir` on a free 127.0.0.1 port; yields the base URL ("http://127.0.0.1:PORT/").

    The server is a process of its own, as a real static host is: in this
    process it would wait for the interpreter lock while Playwright's client
    runs, and timings measured in the browser would include that wait.
    """
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.search_harness", str(site_dir), *(["--gzip"] if compress else [])],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        port = process.stdout.readline().strip()  # type: ignore[union-attr]
        if not port.isdigit():
            raise RuntimeError(f"the local web server did not start (exit code {process.poll()})")
        yield f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)
        process.stdout.close()  # type: ignore[union-attr]


def _serve_forever(site_dir: str, compress: bool = False) -> None:
    """The server process: print the port it listens on, then serve until terminated."""
    import mimetypes

    mimetypes.init()  # reads the system's type tables: once here, not inside the first request
    handler = functools.partial(_GzipHandler if compress else _QuietHandler, directory=site_dir)
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """Headless Debian Chromium through Playwright (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


if __name__ == "__main__":
    _serve_forever(sys.argv[1], compress="--gzip" in sys.argv[2:])
