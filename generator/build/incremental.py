"""Rebuilding a served site after every edit: what `showcase serve` calls, with no server in it.

The site is built with the same pipeline as `showcase build`, into a folder
the server serves (generator.mkdocs_adapter.serve watches the records, the
content pages and site_config.yml, calls the Rebuilder when one changes and
reloads open browser tabs). A rebuild whose records do not validate prints
the problems and keeps serving the last good site.

An edit to records is shown in two steps, so the editor sees it at once even
with 10,000 records:
1. patch: re-check only the changed files, re-render the changed records'
   pages and their series neighbours with the chrome of the last build, write
   just those files, reload the browser;
2. full build in the background (index pages, related lists, search), in its
   own lower-priority process so it never delays a patch, put in place in one
   step, pages patched meanwhile written again, reload again.
Anything a patch cannot show exactly — a record added, removed, renamed,
moved in its series, published or unpublished; content/ or site_config.yml
changed — gets a full build straight away.

Which files changed comes from the file watcher's events (inotify), so a
patch reads and stats only those files, not the other 9,999. When the events
cannot be trusted to be complete (records moved as a folder, after a failed
full build, or when the Rebuilder is called without a watcher) the patch
looks at every file instead; CatalogueLoader still re-checks only changed ones.
Events of mere reads (opening a file, closing it unchanged) are not even
asked for: the background build reads every record, and each read would
otherwise wake the server and restart its wait for the edits to settle.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from generator.build.pipeline import BuildResult, build
from generator.build.records import CatalogueLoader
from generator.build.swap import swap_into_place
from generator.catalogue import Catalogue, Entry
from generator.errors import Problem, Report, Severity, UserError, relative
from generator.load.files import is_record_name
from generator.present.pages import Page
from generator.schema.site_config import SiteConfig, load_site_config
from generator.site import SiteRenderer


def _to_stderr(message: str) -> None:
    print(message, file=sys.stderr, flush=True)

# How much lower the background build's scheduling priority (nice) is than the server's: on
# 2 cores it would otherwise take the CPU a patch needs, and a patch is what the editor waits for.
BACKGROUND_NICENESS = 10
# File events that say nothing changed: not asked for from the kernel, ignored if they come.
READ_EVENTS = frozenset({"opened", "closed_no_write"})

# What a patch found: the new catalogue and the visible records whose pages changed;
# FULL_BUILD when only a full build can show the change; BROKEN when records have
# errors (printed) and the last good site stays.
FULL_BUILD = "full build"
BROKEN = "broken"
Found = tuple[Catalogue, list[Entry]] | str


@dataclass(frozen=True)
class Status:
    """What the editor should see of the last attempt: its problems, or why the build failed.

    The server shows it over every page (generator.mkdocs_adapter.overlay) until a
    build or patch succeeds; `version` counts the changes, so a page redraws only then.
    """

    problems: tuple[Problem, ...] = ()
    message: str | None = None  # a failure that is not about one record (site_config.yml, content/, disk)
    version: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems and self.message is None


class Rebuilder:
    """Builds and patches the site for the server."""

    def __init__(self, config_path: Path, out_dir: Path, include_drafts: bool, *, say: Callable[[str], None] = _to_stderr) -> None:
        self.config_path = config_path
        self.out_dir = out_dir
        self.include_drafts = include_drafts
        self.say = say  # tells the editor what happened (the terminal, by default)
        self.reload_browsers = lambda: None  # set by the server: tells open tabs to reload
        self._lock = threading.RLock()  # one writer of out_dir at a time
        self._last: BuildResult | None = None  # the last full build: its chrome writes patched pages
        self._config: SiteConfig | None = None  # of the last full build (the signature says it still holds)
        self._catalogue: Catalogue | None = None  # what the served record pages show
        self._loader: CatalogueLoader | None = None
        self._inputs: object = None  # signature of site_config.yml and content/
        self._patched: dict[str, Page] = {}  # url → page patched since the background build started
        self._pending = threading.Event()  # a background build is wanted
        self._worker: threading.Thread | None = None
        self._background: subprocess.Popen[str] | None = None  # the running background build
        self._closed = False
        self._generation = 0  # counts full builds in the foreground: a background build older than one is dropped
        self.patches = 0  # counted for tests and logs
        self.status = Status()  # what the server shows over the pages (see Status)
        # Record files changed since self._catalogue was made; None: not known, look at every file.
        # Only a watcher (watch_records) makes them known; its news waits in _news until the next call.
        self._projects_dir: Path | None = None
        self._news_lock = threading.Lock()
        self._news: set[Path] | None = None
        self._unapplied: set[Path] | None = None

    def __call__(self) -> None:
        with self._lock:
            files = self._take_news()
            inputs = _signature_of(self.config_path, self._docs_dir())
            if self._last is None or self._catalogue is None or inputs != self._inputs:
                self._full_build(inputs)
            elif not self._patch(files):
                self._full_build(inputs)

    # ---- what changed -------------------------------------------------------

    def watch_records(self, projects_dir: Path) -> None:
        """From now on note_event() is told of every change under projects_dir: patches read only those files."""
        with self._news_lock:
            self._projects_dir = Path(os.path.abspath(projects_dir))
            self._news = set()

    def note_event(self, event_type: str, paths: Iterable[str], is_directory: bool = False) -> bool:
        """Remember what a file event changed; False when it changed nothing the site shows.

        Called on the watcher's thread, so it only takes notes; the next call does the work.
        Events outside projects/ (content/, site_config.yml) count: the signature sorts them out.
        """
        if event_type in READ_EVENTS or (is_directory and event_type == "modified"):
            return False  # a directory's "modified" accompanies the event of the file that changed
        relevant = False
        with self._news_lock:
            for raw in paths:
                path = Path(raw)
                if self._projects_dir is None or not path.is_relative_to(self._projects_dir):
                    relevant = True
                elif is_directory:  # records moved as a folder: look at every file once
                    self._news, relevant = None, True
                elif is_record_name(path.name):
                    if self._news is not None:
                        self._news.add(path)
                    relevant = True
                elif path.suffix.lower() in PHOTO_SUFFIXES:  # a record's photo: its renditions change
                    self._news, relevant = None, True
        return relevant

    def _take_news(self) -> set[Path] | None:
        """The record files to look at: changes not shown yet plus the watcher's news; None = every file."""
        with self._news_lock:
            news = self._news
            self._news = None if self._projects_dir is None else set()
        if news is None or self._unapplied is None:
            self._unapplied = None
        else:
            self._unapplied |= news
        return None if self._unapplied is None else set(self._unapplied)

    def _applied(self) -> None:
        """The served pages now show every change looked at: from here on only the watcher's news counts."""
        self._unapplied = None if self._projects_dir is None else set()

    # ---- full builds --------------------------------------------------------

    def _full_build(self, inputs: object) -> None:
        # Whatever this build read is the new starting point; if it fails, later patches look at every file.
        self._unapplied = None
        try:
            config = load_site_config(self.config_path)
            self._loader = CatalogueLoader(config)
            result = build(config, out_dir=self.out_dir, include_drafts=self.include_drafts, loader=self._loader)
        except UserError as exc:
            self.say(f"构建失败，继续显示上一版网站：\n{exc.format_message()}")
            self._show(message=exc.format_message())
            return
        if not self._report(result):
            self._show(problems=result.report.errors)
            return
        self._show()
        self._last, self._config, self._catalogue, self._inputs = result, config, result.catalogue, inputs
        self._patched.clear()
        self._generation += 1
        self._applied()

    def _background_builds(self) -> None:
        """Full builds after patches, one at a time, until no patch is newer than the last build."""
        while True:
            with self._lock:
                if not self._pending.is_set() or self._closed:
                    self._worker = None
                    return
                self._pending.clear()
                self._patched.clear()
                config_path, include_drafts, generation = self.config_path, self.include_drafts, self._generation
            next_dir = Path(tempfile.mkdtemp(prefix="next-", dir=self.out_dir.parent))
            finished = self._run_build(config_path, next_dir / "site", include_drafts)
            if finished is None:  # the server is stopping
                shutil.rmtree(next_dir, ignore_errors=True)
                continue
            returncode, output = finished
            if returncode != 0:
                self.say(f"后台构建失败，继续显示当前网站：\n{output}")
                self._show(message=output.strip())
                shutil.rmtree(next_dir, ignore_errors=True)
                continue
            with self._lock:
                if generation != self._generation or self._closed:  # a foreground build already showed newer inputs
                    shutil.rmtree(next_dir, ignore_errors=True)
                    continue
                # The chrome is unchanged (site_config.yml and content/ changes get foreground builds),
                # so the last build's shell still fills pages exactly as this build did.
                swap_into_place(next_dir / "site", self.out_dir)
                shutil.rmtree(next_dir, ignore_errors=True)
                # Pages patched while this build ran are newer than it: write them again.
                for page in self._patched.values():
                    self._write(page)
            self.reload_browsers()

    def _run_build(self, config_path: Path, site_dir: Path, include_drafts: bool) -> tuple[int, str] | None:
        """`showcase build` in a separate, lower-priority process; None when stopped by close().

        A separate process: a build in a thread of this one would hold the GIL for seconds
        and slow down the very patches it follows. Its own session, so close() can stop it
        together with the worker processes it starts.
        """
        command = [sys.executable, "-m", "generator", "build", "--config", str(config_path), "--out", str(site_dir)]
        with self._lock:
            if self._closed:
                return None
            process = subprocess.Popen(
                command + (["--drafts"] if include_drafts else []),
                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
            )
            self._background = process
        try:
            # Before it has imported anything, long before it starts its workers: they inherit this.
            # Relative to ours: lowering a priority needs no privileges, raising one would.
            niceness = min(19, os.getpriority(os.PRIO_PROCESS, 0) + BACKGROUND_NICENESS)
            os.setpriority(os.PRIO_PROCESS, process.pid, niceness)
        except (AttributeError, OSError):  # not on this platform, or already finished
            pass
        output, _ = process.communicate()
        with self._lock:
            self._background = None
            return None if self._closed else (process.returncode, output)

    def close(self) -> None:
        """Stop a running background build (the server is stopping; its folder is about to go)."""
        with self._lock:
            self._closed = True
            process = self._background
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except (AttributeError, OSError):
                process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()

    # ---- patches ------------------------------------------------------------

    def _patch(self, files: set[Path] | None) -> bool:
        """Show edited records at once; False when only a full build can show the change."""
        assert self._loader is not None and self._catalogue is not None and self._last is not None
        if self._last.shell is None or self._last.options is None:
            return False
        found = self._every_file() if files is None else self._these_files(files)
        if found == FULL_BUILD:
            return False
        if found == BROKEN:
            return True
        catalogue, changed = found  # type: ignore[misc]
        self._show()
        self._catalogue = catalogue
        self._applied()
        if not changed:
            return True
        affected: dict[str, Entry] = {}
        for entry in changed:
            affected[entry.slug] = entry
            for neighbour in catalogue.neighbours(entry):
                if neighbour is not None:
                    affected[neighbour.slug] = neighbour
        renderer = SiteRenderer(catalogue, self._last.options)
        for entry in affected.values():
            page = renderer.record_page(entry)
            self._write(page)
            self._patched[page.url] = page
        self.patches += 1
        names = "、".join(e.record.name for e in changed[:3])
        self.say(f"已更新：{names}（首页、目录、相关项目和搜索在后台重新生成）")
        self._pending.set()
        if self._worker is None and not self._closed:
            self._worker = threading.Thread(target=self._background_builds, name="showcase-full-build", daemon=True)
            self._worker.start()
        return True

    def _every_file(self) -> Found:
        """Load the whole catalogue again (CatalogueLoader re-checks only files whose size or time changed)."""
        assert self._loader is not None and self._catalogue is not None
        catalogue = self._loader.load(include_drafts=self.include_drafts)
        if catalogue.report.failed():
            self.say("记录有错误，继续显示上一版网站：\n" + catalogue.report.as_text())
            self._show(problems=catalogue.report.errors)
            return BROKEN
        if catalogue.photos != self._catalogue.photos:  # a photo's bytes changed: its renditions are new
            return FULL_BUILD
        changed = _changed_entries(self._catalogue, catalogue)
        return FULL_BUILD if changed is None else (catalogue, changed)

    def _these_files(self, files: set[Path]) -> Found:
        """Check only the given record files and put their records in place of the old ones.

        The rest of the catalogue is unchanged, so checks across records (duplicate slugs
        and numbers) still hold as long as no slug, series, number or status changed;
        when one did, or a record appeared or went, only a full build can tell.
        """
        assert self._loader is not None and self._catalogue is not None and self._config is not None
        before = self._catalogue
        old = {entry.path: entry for entry in before.entries}
        fresh: dict[str, Entry] = {}
        failed, warned = Report(), Report()
        for path in sorted(files):
            display = relative(path, self._config.root)
            if not path.exists():
                if display in old:  # a record removed or renamed
                    return FULL_BUILD
                continue  # e.g. a broken new file given up: nothing to show
            single = self._loader.load([path], include_drafts=self.include_drafts)
            report = failed if single.report.failed() else warned
            report.extend(single.report.problems)
            report.files_checked += single.report.files_checked
            if single.report.failed():
                continue
            if not single.entries:  # no record in the file (e.g. emptied)
                if display in old:
                    return FULL_BUILD
                continue
            entry = single.entries[0]
            previous = old.get(entry.path)
            if previous is None or _identity(previous) != _identity(entry) or previous.record.images != entry.record.images:
                return FULL_BUILD  # a new place among the pages, or photos to process
            if previous.record != entry.record:
                fresh[entry.path] = entry
        if failed.problems:
            self.say("记录有错误，继续显示上一版网站：\n" + failed.as_text())
            self._show(problems=failed.errors)
            return BROKEN
        if warned.problems:
            self.say(warned.as_text())
        if not fresh:
            return before, []
        # Same slugs, series, numbers and statuses: the new catalogue orders its pages as the old one.
        catalogue = before.with_changed_records(fresh)
        changed = [entry for entry in fresh.values() if catalogue.by_slug(entry.slug) is not None]
        return catalogue, changed

    def _write(self, page: Page) -> None:
        """Replace one record page in the served folder; a reader sees the old file or the new one."""
        assert self._last is not None and self._last.shell is not None
        target = self.out_dir / page.output_path
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_text(self._last.shell.page_html(page), encoding="utf-8")
        os.replace(temporary, target)

    # ---- helpers ------------------------------------------------------------

    def _show(self, *, problems: list[Problem] | None = None, message: str | None = None) -> None:
        """Set what the browser shows over the pages; no arguments: all is well again."""
        shown = tuple(sorted(set(p for p in problems or [] if p.severity is Severity.error)))
        if (shown, message) != (self.status.problems, self.status.message):
            self.status = Status(shown, message, self.status.version + 1)

    def _docs_dir(self) -> Path | None:
        try:
            return load_site_config(self.config_path).docs_dir
        except Exception:  # noqa: BLE001 - a broken site_config.yml is reported by the full build
            return None

    def _report(self, result: BuildResult) -> bool:
        if not result.ok:
            self.say("记录有错误，继续显示上一版网站：\n" + result.report.as_text())
            return False
        if result.report.warnings:
            self.say(result.report.as_text())
        drafts = "（含草稿）" if self.include_drafts else ""
        self.say(f"已重新生成：{result.records} 个项目页{drafts}")
        return True


# Files in the records' photo folders whose change is a change of the site (generator.media reads them by content).
PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif"}


def _identity(entry: Entry) -> tuple[object, ...]:
    """What decides a record's place among the pages: a change here is a change of lists and neighbours."""
    record = entry.record
    return (record.slug, record.series, record.number, record.status)


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
        if _identity(previous) != _identity(entry):
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


# ---- file events → what changed ---------------------------------------------


def native_observer():
    """inotify (and the like) instead of MkDocs' polling: polling 10,000 records every half second
    costs CPU and up to half a second of the editor's wait. None where unavailable (then MkDocs polls)."""
    try:
        from watchdog.observers import Observer
    except ImportError:
        return None
    observer = Observer()
    return None if type(observer).__name__ == "PollingObserver" else observer


class ChangeWatcher:
    """A watchdog observer for the server to schedule its watches on, with two differences:
    only events of files that changed are asked for, and each is first shown to the
    Rebuilder, which notes what changed and drops the events that change nothing.
    Everything else (unschedule, stop, join…) is the observer's own."""

    def __init__(self, observer, rebuild: Rebuilder) -> None:
        self._observer = observer
        self._rebuild = rebuild
        self._started = self._stopped = False

    def schedule(self, handler, path: str, *, recursive: bool = False, **options):
        handler = _NotingHandler(handler, self._rebuild)
        try:
            return self._observer.schedule(handler, path, recursive=recursive, event_filter=_change_events(), **options)
        except TypeError:  # watchdog without event_filter: the handler drops read events itself
            return self._observer.schedule(handler, path, recursive=recursive, **options)

    def start(self) -> None:
        """Start once: the server may start it again."""
        if not self._started:
            self._started = True
            self._observer.start()

    def stop(self) -> None:
        """Stop once: the server may stop it again."""
        if self._started and not self._stopped:
            self._stopped = True
            self._observer.stop()

    def __getattr__(self, name: str):
        return getattr(self._observer, name)


class _NotingHandler:
    """Passes an event on to the server's handler (which wakes its build loop) only if it changed something."""

    def __init__(self, handler, rebuild: Rebuilder) -> None:
        self._handler = handler
        self._rebuild = rebuild

    def dispatch(self, event) -> None:
        paths = [os.fsdecode(event.src_path)]
        if getattr(event, "dest_path", ""):
            paths.append(os.fsdecode(event.dest_path))
        if self._rebuild.note_event(event.event_type, paths, event.is_directory):
            self._handler.dispatch(event)


def _change_events() -> list[type]:
    from watchdog import events

    return [
        events.FileCreatedEvent, events.FileModifiedEvent, events.FileDeletedEvent, events.FileMovedEvent,
        events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent,
    ]
