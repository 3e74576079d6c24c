"""`showcase serve`: MkDocs' live-reload server over the Rebuilder (generator.build.incremental).

The server serves the folder the Rebuilder builds into, watches the records,
content/ and site_config.yml, calls the Rebuilder after each change and then
reloads open tabs — all public LiveReloadServer API. A background build
that finishes later asks for a reload the same way an edit does: it touches
a file in a folder the server watches.
"""

from __future__ import annotations

import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from typing import Any
from pathlib import Path
from urllib.parse import urlsplit

from generator.build.incremental import ChangeWatcher, Rebuilder, Status, native_observer
from generator.mkdocs_adapter.overlay import Overlay, no_site_page
from generator.schema.site_config import load_site_config


def serve(config_path: Path, *, include_drafts: bool = False, host: str = "127.0.0.1", port: int = 8000) -> None:
    config = load_site_config(config_path)
    workspace = Path(tempfile.mkdtemp(prefix="showcase-serve-"))
    out_dir, signals = workspace / "site", workspace / "signals"
    signals.mkdir()
    rebuild = Rebuilder(config.path, out_dir, include_drafts)
    mount_path = urlsplit(str(config.mkdocs.get("site_url") or "/")).path or "/"
    server = preview_server(
        rebuild, out_dir, host=host, port=port, mount_path=mount_path, status=lambda: rebuild.status, root=config.root
    )
    watcher = ChangeWatcher(native_observer() or server.observer, rebuild)
    server.observer = watcher
    rebuild.reload_browsers = lambda: (signals / "reload").write_text(str(time.time_ns()), encoding="utf-8")
    # Stopped by a process manager (SIGTERM) or Ctrl+C alike: both end in the cleanup below.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        # Watching starts before the first build, so an edit made while it runs is not missed:
        # the server's build loop takes it up as soon as it starts.
        rebuild.watch_records(config.projects_dir)
        for watched in (config.projects_dir, config.docs_dir, config.path, signals):
            if watched.exists():
                server.watch(str(watched))
        watcher.start()
        rebuild()
        _say(f"预览地址：{server.url}  （Ctrl+C 退出；修改记录、content/ 或 site_config.yml 后自动刷新）")
        try:
            server.serve()
        except KeyboardInterrupt:
            _say("已停止。")
        finally:
            server.shutdown()
    finally:
        rebuild.close()
        watcher.stop()
        shutil.rmtree(workspace, ignore_errors=True)


def preview_server(
    builder: Callable[[], None], out_dir: Path, *, host: str, port: int, mount_path: str,
    status: Callable[[], Status] | None = None, root: Path | None = None,
) -> Any:
    """MkDocs' LiveReloadServer over out_dir, with our error pages, malformed paths answered 400 and,
    given the Rebuilder's `status`, the problems of the last rebuild over every page (overlay.py)."""
    from mkdocs.livereload import LiveReloadServer

    server = LiveReloadServer(builder=builder, host=host, port=port, root=str(out_dir), mount_path=mount_path)

    def error_page(code: int) -> bytes | None:
        page = out_dir / f"{code}.html"
        if code in (404, 500) and page.is_file():
            return page.read_bytes()
        # No site yet (the first build failed): every URL shows why.
        return no_site_page(status(), root or out_dir) if status is not None and not status().ok else None

    server.error_handler = error_page
    app = server.get_app()  # wsgiref's public get_app/set_app
    if status is not None:
        app = Overlay(app, status, root or out_dir)
    server.set_app(refusing_malformed_paths(app))
    return server


# A path no file can have: NUL (open() raises ValueError, which MkDocs answers with a 500 and a
# traceback in the terminal) and the other control characters.
_MALFORMED_PATH = re.compile("[\x00-\x1f\x7f]")


def refusing_malformed_paths(app: Callable[..., Iterable[bytes]]) -> Callable[..., Iterable[bytes]]:
    """The server's WSGI app, answering a request for a malformed path (/%00) with 400 itself."""

    def guarded(environ: dict, start_response: Callable[..., object]) -> Iterable[bytes]:
        if _MALFORMED_PATH.search(environ.get("PATH_INFO", "")):
            start_response("400 Bad Request", [("Content-Type", "text/plain; charset=utf-8")])
            return ["400 Bad Request：网址中含有控制字符".encode("utf-8")]
        return app(environ, start_response)

    return guarded


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
