"""`showcase serve` shows problems where the editor looks: over the page in the browser.

Like Hugo's server and Vite, a rebuild that fails does not leave the editor
looking at an old page (or a bare "404 Not Found" when the first build
failed) with the reason only in a terminal: every page the server sends
gets a small script (overlay.js) that shows the Rebuilder's Status — each
problem with its file:line:column, code, Chinese message and the line it
points at — over the page, and takes it away as soon as a rebuild succeeds.
When there is no site yet, any page is a plain page listing the problems.

The server is MkDocs' LiveReloadServer; `Overlay` wraps the WSGI app it
serves (`server.set_app`, standard wsgiref API), so nothing of MkDocs' own
request handling changes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from pathlib import Path

from markupsafe import escape

from generator.build.incremental import Status
from generator.errors import Problem

PREFIX = "/__showcase__/"
STATUS_URL = PREFIX + "status.json"
SCRIPT_URL = PREFIX + "overlay.js"
SCRIPT = (Path(__file__).parent / "overlay.js").read_text(encoding="utf-8")
TAG = f'<script src="{SCRIPT_URL}" defer></script>'.encode()
TITLE = "网站未能重新生成：这里显示的是上一次成功生成的版本"
TITLE_NO_SITE = "网站未能生成"
HINT = "改正并保存后，这个提示会自动消失。"


def status_json(status: Status, root: Path) -> bytes:
    """The status as overlay.js reads it; each problem with the line of the file it points at."""
    return json.dumps(
        {
            "version": status.version,
            "title": TITLE,
            "titleNoSite": TITLE_NO_SITE,
            "hint": HINT,
            "message": status.message,
            "problems": [
                {"where": f"{p.path}:{p.line}:{p.column}", "code": p.code, "message": p.message, "excerpt": _excerpt(p, root)}
                for p in status.problems
            ],
        },
        ensure_ascii=False,
    ).encode("utf-8")


def _excerpt(problem: Problem, root: Path) -> str:
    """The line a problem points at (record files are small: reading one is cheap)."""
    try:
        with open(root / problem.path, encoding="utf-8", errors="replace") as file:
            for number, line in enumerate(file, 1):
                if number == problem.line:
                    return line.rstrip("\n")[:300]
    except OSError:
        pass
    return ""


def no_site_page(status: Status, root: Path) -> bytes:
    """What every URL shows while there is no site yet: the problems, readable without the script too."""
    data = json.loads(status_json(status, root))
    items = "".join(
        f"<li><code>{escape(p['where'])}</code> [{escape(p['code'])}] {escape(p['message'])}</li>" for p in data["problems"]
    )
    message = f"<pre>{escape(data['message'])}</pre>" if data["message"] else ""
    return (
        '<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>网站未能生成</title></head>'
        f"<body data-showcase-no-site><h1>{TITLE_NO_SITE}</h1>"
        f"<p>{escape(HINT)}</p><ul>{items}</ul>{message}"
    ).encode("utf-8") + TAG + b"</body></html>"


class Overlay:
    """WSGI middleware: the status and the script at PREFIX, the script added to every HTML page."""

    def __init__(self, app: Callable, status: Callable[[], Status], root: Path) -> None:
        self.app = app
        self.status = status
        self.root = root  # record paths in problems are relative to it

    def __call__(self, environ: dict, start_response: Callable) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == STATUS_URL:
            return self._send(start_response, "application/json; charset=utf-8", status_json(self.status(), self.root))
        if path == SCRIPT_URL:
            return self._send(start_response, "text/javascript; charset=utf-8", SCRIPT.encode("utf-8"))
        sent: dict = {}

        def keep(status: str, headers: list, exc_info: object = None):
            sent.update(status=status, headers=headers)
            return lambda data: None  # LiveReloadServer never writes this way

        body = self.app(environ, keep)
        headers = sent.get("headers", [])
        content_type = next((value for name, value in headers if name.lower() == "content-type"), "")
        if not content_type.startswith("text/html"):
            start_response(sent["status"], headers)
            return body
        content = b"".join(body)
        if hasattr(body, "close"):
            body.close()
        content = _with_script(content)
        headers = [(name, value) for name, value in headers if name.lower() != "content-length"]
        start_response(sent["status"], [*headers, ("Content-Length", str(len(content))), ("Cache-Control", "no-store")])
        return [content]

    @staticmethod
    def _send(start_response: Callable, content_type: str, content: bytes) -> list[bytes]:
        start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(content))), ("Cache-Control", "no-store")])
        return [content]


def _with_script(content: bytes) -> bytes:
    if TAG in content:
        return content
    end = content.rfind(b"</body>")
    return content[:end] + TAG + content[end:] if end != -1 else content + TAG
