"""`showcase serve`: build, serve, and rebuild + reload the browser on every edit.

The site is built with the same pipeline as `showcase build`, into a
temporary folder. MkDocs' LiveReloadServer watches the records, the content
pages and site_config.yml, calls the Rebuilder when one changes and reloads
open browser tabs. A rebuild whose records do not validate prints the
problems and keeps serving the last good site.

An edit to records is shown in two steps, so the editor sees it at once even
with 10,000 records:
1. patch: re-check only the changed files (RecordLoader remembers the rest),
   re-render the changed records' pages and their series neighbours with the
   chrome of the last build, write just those files, reload the browser;
2. full build in the background (index pages, related lists, search), put in
   place in one step, pages patched meanwhile written again, reload again.
Anything a patch cannot show exactly — a record added, removed, renamed,
moved in its series, published or unpublished; content/ or site_config.yml
changed — gets a full build straight away.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

import click

from generator.catalogue import Catalogue, Entry
from generator.config import load_site_config
from generator.errors import UserError
from generator.pipeline import BuildResult, _swap_into_place, build, site_options
from generator.records import RecordLoader
from generator.site import Page, render_record


class Rebuilder:
    """Builds and patches the site for the server."""

    def __init__(self, config_path: Path, out_dir: Path, include_drafts: bool) -> None:
        self.config_path = config_path
        self.out_dir = out_dir
        self.include_drafts = include_drafts
        self.reload_browsers = lambda: None  # set by serve(): tells open tabs to reload
        self._lock = threading.RLock()  # one writer of out_dir at a time
        self._last: BuildResult | None = None  # the last full build: its chrome writes patched pages
        self._catalogue: Catalogue | None = None  # what the served record pages show
        self._loader: RecordLoader | None = None
        self._inputs: object = None  # signature of site_config.yml and content/
        self._patched: dict[str, Page] = {}  # url → page patched since the background build started
        self._pending = threading.Event()  # a background build is wanted
        self._worker: threading.Thread | None = None
        self._generation = 0  # counts full builds in the foreground: a background build older than one is dropped
        self.patches = 0  # counted for tests and logs

    def __call__(self) -> None:
        with self._lock:
            inputs = _signature_of(self.config_path, self._docs_dir())
            if self._last is None or self._catalogue is None or inputs != self._inputs:
                self._full_build(inputs)
            elif not self._patch():
                self._full_build(inputs)

    # ---- full builds --------------------------------------------------------

    def _full_build(self, inputs: object) -> None:
        try:
            config = load_site_config(self.config_path)
            self._loader = RecordLoader(config)
            result = build(config, out_dir=self.out_dir, include_drafts=self.include_drafts, loader=self._loader)
        except UserError as exc:
            click.echo(f"构建失败，继续显示上一版网站：\n{exc.format_message()}", err=True)
            return
        if not self._report(result):
            return
        self._last, self._catalogue, self._inputs = result, result.catalogue, inputs
        self._patched.clear()
        self._generation += 1

    def _background_builds(self) -> None:
        """Full builds after patches, one at a time, until no patch is newer than the last build."""
        while True:
            with self._lock:
                if not self._pending.is_set():
                    self._worker = None
                    return
                self._pending.clear()
                self._patched.clear()
                config_path, include_drafts, generation = self.config_path, self.include_drafts, self._generation
            next_dir = Path(tempfile.mkdtemp(prefix="next-", dir=self.out_dir.parent))
            # A separate process: a build in a thread of this one would hold the GIL for seconds
            # and slow down the very patches it follows.
            command = [sys.executable, "-m", "generator", "build", "--config", str(config_path), "--out", str(next_dir / "site")]
            finished = subprocess.run(command + (["--drafts"] if include_drafts else []), capture_output=True, text=True)
            if finished.returncode != 0:
                click.echo(f"后台构建失败，继续显示当前网站：\n{finished.stdout}{finished.stderr}", err=True)
                shutil.rmtree(next_dir, ignore_errors=True)
                continue
            with self._lock:
                if generation != self._generation:  # a foreground build already showed newer inputs
                    shutil.rmtree(next_dir, ignore_errors=True)
                    continue
                # The chrome is unchanged (site_config.yml and content/ changes get foreground builds),
                # so the last build's record_html still fills pages exactly as this build did.
                _swap_into_place(next_dir / "site", self.out_dir)
                shutil.rmtree(next_dir, ignore_errors=True)
                # Pages patched while this build ran are newer than it: write them again.
                for page in self._patched.values():
                    self._write(page)
            self.reload_browsers()

    # ---- patches ------------------------------------------------------------

    def _patch(self) -> bool:
        """Show edited records at once; False when only a full build can show the change."""
        assert self._loader is not None and self._catalogue is not None and self._last is not None
        if self._last.record_html is None:
            return False
        catalogue = self._loader.load(include_drafts=self.include_drafts)
        if catalogue.report.failed():
            click.echo("记录有错误，继续显示上一版网站：\n" + catalogue.report.as_text(), err=True)
            return True
        changed = _changed_entries(self._catalogue, catalogue)
        if changed is None:
            return False
        if not changed:
            return True
        affected: dict[str, Entry] = {}
        for entry in changed:
            affected[entry.slug] = entry
            for neighbour in catalogue.neighbours(entry):
                if neighbour is not None:
                    affected[neighbour.slug] = neighbour
        config = load_site_config(self.config_path)
        options = site_options(config)
        for entry in affected.values():
            page = render_record(entry, catalogue, options)
            self._write(page)
            self._patched[page.url] = page
        self._catalogue = catalogue
        self.patches += 1
        names = "、".join(e.record.name for e in changed[:3])
        click.echo(f"已更新：{names}（首页、目录、相关项目和搜索在后台重新生成）", err=True)
        self._pending.set()
        if self._worker is None:
            self._worker = threading.Thread(target=self._background_builds, name="showcase-full-build", daemon=True)
            self._worker.start()
        return True

    def _write(self, page: Page) -> None:
        """Replace one record page in the served folder; a reader sees the old file or the new one."""
        assert self._last is not None and self._last.record_html is not None
        target = self.out_dir / page.output_path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(self._last.record_html(page), encoding="utf-8")
        os.replace(temporary, target)

    # ---- helpers ------------------------------------------------------------

    def _docs_dir(self) -> Path | None:
        try:
            return load_site_config(self.config_path).docs_dir
        except Exception:  # noqa: BLE001 - a broken site_config.yml is reported by the full build
            return None

    def _report(self, result: BuildResult) -> bool:
        if not result.ok:
            click.echo("记录有错误，继续显示上一版网站：\n" + result.report.as_text(), err=True)
            return False
        if result.report.warnings:
            click.echo(result.report.as_text(), err=True)
        drafts = "（含草稿）" if self.include_drafts else ""
        click.echo(f"已重新生成：{result.records} 个项目页{drafts}", err=True)
        return True


def _changed_entries(before: Catalogue, after: Catalogue) -> list[Entry] | None:
    """Visible records whose content changed, or None when the set or order of pages changed."""
    old = {e.path: e for e in before.visible}
    new = {e.path: e for e in after.visible}
    if old.keys() != new.keys():
        return None
    changed = []
    for path, entry in new.items():
        previous = old[path]
        if previous.record == entry.record:
            continue
        a, b = previous.record, entry.record
        if (a.slug, a.series, a.number, a.status) != (b.slug, b.series, b.number, b.status):
            return None
        changed.append(entry)
    return changed


def _signature_of(config_path: Path, docs_dir: Path | None) -> object:
    """Size and modification time of site_config.yml and every file under content/."""
    files = [config_path]
    if docs_dir is not None and docs_dir.is_dir():
        files += sorted(p for p in docs_dir.rglob("*") if p.is_file())
    signature = []
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            continue
        signature.append((str(path), stat.st_size, stat.st_mtime_ns))
    return tuple(signature)


def serve(config_path: Path, *, include_drafts: bool = False, host: str = "127.0.0.1", port: int = 8000) -> None:
    from mkdocs.livereload import LiveReloadServer

    config = load_site_config(config_path)
    workspace = Path(tempfile.mkdtemp(prefix="showcase-serve-"))
    out_dir = workspace / "site"
    rebuild = Rebuilder(config.path, out_dir, include_drafts)
    mount_path = urlsplit(str(config.mkdocs.get("site_url") or "/")).path or "/"
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(out_dir), mount_path=mount_path)
    _use_native_file_events(server)
    rebuild.reload_browsers = lambda: _reload_browsers(server)

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


def _use_native_file_events(server) -> None:
    """inotify (and the like) instead of MkDocs' polling: polling 10,000 records every half second
    costs CPU and up to half a second of the editor's wait. Falls back to polling where unavailable."""
    try:
        from watchdog.observers import Observer
    except ImportError:
        return
    observer = Observer()
    if type(observer).__name__ != "PollingObserver":
        server.observer = observer


def _reload_browsers(server) -> None:
    """Tell open tabs the site changed after a background build (what LiveReloadServer does after
    its own builds; MkDocs 1.6 keeps this state in private attributes, so degrade to no reload)."""
    condition = getattr(server, "_epoch_cond", None)
    if condition is None or not hasattr(server, "_visible_epoch"):
        return
    from mkdocs.livereload import _timestamp

    with condition:
        server._wanted_epoch = server._visible_epoch = _timestamp()
        condition.notify_all()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt
