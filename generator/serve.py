"""`showcase serve`: build, serve, and rebuild + reload the browser on every edit.

The site is built with the same pipeline as `showcase build`, into a
temporary folder. MkDocs' LiveReloadServer watches the records, the content
pages and site_config.yml, calls `rebuild` when one changes and reloads open
browser tabs. A rebuild whose records do not validate prints the problems
and keeps serving the last good site.
"""

from __future__ import annotations

import shutil
import signal
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import click

from generator.config import load_site_config
from generator.errors import UserError
from generator.pipeline import build


class Rebuilder:
    """Builds the site for the server; re-reads site_config.yml every time, since it is watched too."""

    def __init__(self, config_path: Path, out_dir: Path, include_drafts: bool) -> None:
        self.config_path = config_path
        self.out_dir = out_dir
        self.include_drafts = include_drafts

    def __call__(self) -> None:
        try:
            config = load_site_config(self.config_path)
            result = build(config, out_dir=self.out_dir, include_drafts=self.include_drafts)
        except UserError as exc:
            click.echo(f"构建失败，继续显示上一版网站：\n{exc.format_message()}", err=True)
            return
        if not result.ok:
            click.echo("记录有错误，继续显示上一版网站：\n" + result.report.as_text(), err=True)
            return
        if result.report.warnings:
            click.echo(result.report.as_text(), err=True)
        drafts = "（含草稿）" if self.include_drafts else ""
        click.echo(f"已重新生成：{result.records} 个项目页{drafts}", err=True)


def serve(config_path: Path, *, include_drafts: bool = False, host: str = "127.0.0.1", port: int = 8000) -> None:
    from mkdocs.livereload import LiveReloadServer

    config = load_site_config(config_path)
    workspace = Path(tempfile.mkdtemp(prefix="showcase-serve-"))
    out_dir = workspace / "site"
    rebuild = Rebuilder(config.path, out_dir, include_drafts)
    mount_path = urlsplit(str(config.mkdocs.get("site_url") or "/")).path or "/"
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(out_dir), mount_path=mount_path)

    def error_page(code: int) -> bytes | None:
        page = out_dir / f"{code}.html"
        return page.read_bytes() if code in (404, 500) and page.is_file() else None

    server.error_handler = error_page
    # Stopped by a process manager (SIGTERM) or Ctrl+C alike: both end in the cleanup below.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        rebuild()
        for watched in (config.projects_dir, config.docs_dir, config.path):
            if watched.exists():
                server.watch(str(watched))
        click.echo(f"预览地址：{server.url}  （Ctrl+C 退出；修改记录、content/ 或 site_config.yml 后自动刷新）", err=True)
        try:
            server.serve()
        except KeyboardInterrupt:
            click.echo("已停止。", err=True)
        finally:
            server.shutdown()
    finally:
        shutil.rmtree(workspace, ignore_errors=True)


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
