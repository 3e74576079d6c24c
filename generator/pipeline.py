"""The one conductor: load → validate → model → render → write.

`build` checks everything before it writes anything: records are loaded and
validated, the index pages, WeChat articles and downloads are rendered in
memory, and only then does MkDocs write the site — into a staging folder
next to the target, which replaces the previous site in one step at the end.
Record pages are rendered where they are written (forked workers, with the
chrome MkDocs rendered once), and the search index is built alongside in a
worker of its own. A build that fails at any stage leaves the previous site
exactly as it was.
"""

from __future__ import annotations

import gc
import io
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from generator.catalogue import Catalogue
from generator.config import SiteConfig
from generator.errors import Report, UserError
from generator.site import Page, SiteOptions, SitePages, render_site

if TYPE_CHECKING:
    from generator.records import RecordLoader

log = logging.getLogger(__name__)


# From this many record pages (folders in records/) on, the previous site is deleted by a background process after the
# swap (a 10,000-record site took 4 s to delete: ext4 mounted with `discard` waits on each delete).
BACKGROUND_REMOVAL_MIN = 500


@dataclass
class Prepared:
    """Everything a build needs, gathered before writing: `site` is None when validation failed."""

    catalogue: Catalogue
    report: Report
    site: SitePages | None


@dataclass
class BuildResult:
    ok: bool
    report: Report
    site_dir: Path | None = None
    pages: int = 0
    records: int = 0
    # What `showcase serve` needs to patch single record pages without a full build.
    catalogue: Catalogue | None = None
    site: SitePages | None = None
    record_html: Callable[[Page], str] | None = None


def site_options(config: SiteConfig) -> SiteOptions:
    return SiteOptions(site_name=str(config.mkdocs.get("site_name", "美好家园")), edit_url=config.catalogue.edit_url)


def prepare(
    config: SiteConfig, *, include_drafts: bool = False, strict: bool = False, loader: RecordLoader | None = None
) -> Prepared:
    """Load, validate, model and render — nothing is written here."""
    from generator.records import RecordLoader

    catalogue = (loader or RecordLoader(config)).load(include_drafts=include_drafts)
    if catalogue.report.failed(strict):
        return Prepared(catalogue, catalogue.report, None)
    return Prepared(catalogue, catalogue.report, render_site(catalogue, site_options(config)))


def build(
    config: SiteConfig,
    *,
    out_dir: Path | None = None,
    include_drafts: bool = False,
    strict: bool = False,
    loader: RecordLoader | None = None,
) -> BuildResult:
    """Build the website into `out_dir` (default: site_config's site_dir).

    Returns ok=False with the report when records do not validate (nothing is
    written); raises UserError when MkDocs fails (the previous site is kept).
    """
    with _settled_heap():
        return _build(config, out_dir, include_drafts, strict, loader)


@contextmanager
def _settled_heap():
    """Keep the garbage collector off the loaded catalogue for the rest of the build.

    The build freezes the heap once the records are loaded: the catalogue's
    millions of objects live until the build ends, yet every full collection
    would walk them all again, and rendering allocates enough to trigger one
    again and again (at 10,000 records that was over half of the WeChat
    articles' time). Frozen objects are also not touched by the collector in
    the forked render workers, so their pages stay shared. Unfreezing at the
    end hands them back, so a long `showcase serve` does not pile them up.
    """
    try:
        yield
    finally:
        gc.unfreeze()


def _build(config, out_dir, include_drafts, strict, loader) -> BuildResult:
    from generator.records import RecordLoader
    from generator.search.background import BackgroundIndex

    catalogue = (loader or RecordLoader(config)).load(include_drafts=include_drafts, freeze=True)  # see _settled_heap
    if catalogue.report.failed(strict):
        return BuildResult(ok=False, report=catalogue.report)
    target = Path(out_dir or config.site_dir).resolve()
    _check_replaceable(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    # The search index needs only the records: it is built alongside the
    # pages, and put in before the swap, so a failure there also leaves the
    # previous site (and its search) in place.
    with BackgroundIndex(catalogue, beside=target.parent) as search:
        site = render_site(catalogue, site_options(config))
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))
        try:
            plugin = _run_mkdocs(config, site, staging, strict=strict)
            search.finish(staging)
        except OSError as exc:  # disk full, no permission, … (also from a worker process)
            shutil.rmtree(staging, ignore_errors=True)
            where = f"：{exc.filename}" if exc.filename else ""
            raise UserError(f"写入网站时出错（之前的网站保持不变）：{exc.strerror or exc}{where}") from None
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
    _swap_into_place(staging, target)
    return BuildResult(
        ok=True,
        report=catalogue.report,
        site_dir=target,
        pages=len(site.indexes) + len(site.records),
        records=len(site.records),
        catalogue=catalogue,
        site=site,
        record_html=plugin.record_html if plugin.shell is not None else None,
    )


def mkdocs_config(config: SiteConfig, site_dir: Path, *, strict: bool = False, **overrides):
    """The MkDocs configuration: site_config.yml without its `catalogue:` key."""
    from mkdocs.config import load_config

    return load_config(
        io.BytesIO(config.mkdocs_config_text().encode("utf-8")),
        config_file_path=str(config.path),
        site_dir=str(site_dir),
        strict=strict,
        **overrides,
    )


def _run_mkdocs(config: SiteConfig, site: SitePages, site_dir: Path, *, strict: bool):
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.exceptions import MkDocsException

    errors = _ErrorCollector()
    logger = logging.getLogger("mkdocs")
    logger.addHandler(errors)
    try:
        mkdocs_settings = mkdocs_config(config, site_dir, strict=strict)
        plugin = mkdocs_settings.plugins.get("showcase")
        if plugin is None:
            raise UserError(f"{config.path}: plugins 中缺少 showcase，网站页面无从生成")
        plugin.site = site
        mkdocs_build(mkdocs_settings)
        return plugin
    except MkDocsException as exc:
        # MkDocs logs the cause and raises a generic Abort: show the cause.
        details = "\n".join(errors.messages) or str(exc)
        raise UserError(f"网站构建失败（之前的网站保持不变）：\n{details}") from None
    finally:
        logger.removeHandler(errors)


class _ErrorCollector(logging.Handler):
    """Keeps MkDocs' error and warning messages of one build for the UserError."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _check_replaceable(target: Path) -> None:
    """Only ever replace an empty folder or a site we built: never someone's other files."""
    if not target.exists():
        return
    if not target.is_dir():
        raise UserError(f"{target}: 已存在同名文件，不是网站目录")
    if any(target.iterdir()) and not (target / "sitemap.xml").exists():
        raise UserError(f"{target}: 目录不为空，也不像之前生成的网站（没有 sitemap.xml），为安全起见不覆盖")


def _swap_into_place(staging: Path, target: Path) -> None:
    """Put the new site in place in one atomic step: a reader (or a crash) sees the old site or the new one.

    On Linux renameat2(RENAME_EXCHANGE) swaps the two folders atomically; where
    it is missing we fall back to two renames, which leave a short moment
    with no site at all (but never a mix of old and new pages).

    A large previous site is deleted by a background process: at 10,000
    records deleting it took 4 s after the new site was already in place.
    """
    staging.chmod(0o755)  # mkdtemp makes 0700 folders; a web server must be able to read the site
    if not target.exists():
        staging.rename(target)
        return
    large = _record_pages(target) >= BACKGROUND_REMOVAL_MIN
    if _exchange(staging, target):
        retired = staging  # now holds the previous site
    else:
        retired = _retired_path(target)
        target.rename(retired)
        staging.rename(target)
    if not large:
        shutil.rmtree(retired, ignore_errors=True)
        return
    if retired == staging:  # named .old- so that a removal cut short is finished by the next build
        staging.rename(_retired_path(target))
    # Also whatever an interrupted removal left (never a .building- folder: another build may own it).
    _remove_in_background(sorted(target.parent.glob(f".{target.name}.old-*")))


def _record_pages(site: Path) -> int:
    try:
        with os.scandir(site / "records") as entries:
            return sum(1 for _ in entries)
    except OSError:
        return 0


def _retired_path(target: Path) -> Path:
    """A fresh .<site>.old-… name beside the site (made and removed at once: a name nobody else holds)."""
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    retired.rmdir()
    return retired


# Removers still running: kept so they can be reaped (a long `showcase serve` builds many times).
_REMOVERS: list[subprocess.Popen] = []
_REMOVER_SCRIPT = "import os, shutil, sys\nos.nice(10)\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)\n"


def _remove_in_background(folders: list[Path]) -> None:
    """Delete folders from a detached, low-priority process that outlives this one."""
    _REMOVERS[:] = [process for process in _REMOVERS if process.poll() is None]
    try:
        _REMOVERS.append(subprocess.Popen(
            [sys.executable, "-I", "-c", _REMOVER_SCRIPT, *map(str, folders)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        ))
    except OSError:  # no process to spare: delete them here
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0
