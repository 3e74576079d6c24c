"""The website's parts joined and written: pages from the site, search and channel stages, record pages in parallel.

After the records are loaded, one set of workers (generator.build.parallel)
serves the rest of a build — forked once, so that each copies the pages of
the loaded catalogue it touches once, not once per stage:

- the search index is built in one of them from the start (it depends only
  on the catalogue), into a folder beside the staging site, and moved in at
  the end;
- the data downloads are written there too, by the other worker, and moved in
  with the index: 75 MB at 10,000 records that would otherwise be pickled to
  this process, unpickled while it renders, and written by it again;
- the WeChat articles render there while this process renders the index
  pages (`SiteWork.pages`): every page is in memory before anything is
  written;
- once the engine has rendered the record chrome, the workers render, fill
  and write the record pages, a slice each (`SiteWork.start_records`), while
  the engine writes the index pages (`SiteWork.write_records` waits).
"""

from __future__ import annotations

import os
import shutil
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

from generator.build import heap
from generator.build.parallel import Pending, Workers
from generator.build.vendor import DECAP_CMS, package_files
from generator.catalogue import Catalogue
from generator.cms import ADMIN_DIR, admin_pages
from generator.exporters.website import SITE_FILE_PATHS, data_page, site_files, wechat_index, wechat_pages
from generator.files import WorkFolder
from generator.present.pages import Page, SitePages
from generator.search import SearchStats, install_ui, search_page, write_bundle
from generator.search.indexer import BUNDLE_DIR
from generator.site import SiteOptions, SiteRenderer
from generator.site.shell import Shell


@dataclass
class _Shared:
    """What the workers inherit when they fork."""

    catalogue: Catalogue | None
    records: Sequence[Page]  # the record pages, rendered when read
    beside: Path | None = None  # the work folder beside the site: search index and downloads
    site_url: str = ""  # the WeChat pages link the site's photos by their absolute URL


class SiteWork:
    """The workers of one build after loading, and what they make.

        with SiteWork(catalogue, options, beside=target.parent) as work:
            site = work.pages()
            … the engine renders the shell (work.start_records(staging, shell, site.records)) and writes the index pages …
            work.write_records(staging, shell, site.records)
            work.finish_into(staging)

    Without `beside` (a preview, a plain `mkdocs build`) nothing is written
    here: the downloads are in `pages().files` and there is no search index.
    """

    def __init__(self, catalogue: Catalogue, options: SiteOptions, *, beside: Path | None = None, prefix: str = ".search-") -> None:
        self.catalogue = catalogue
        self.renderer = SiteRenderer(catalogue, options)
        # Locked while the build runs: what a killed build left is removed by the next one (generator.build.swap).
        self._work = WorkFolder(beside, prefix) if beside else None
        self._beside = self._work.path if self._work else None
        shared = _Shared(catalogue, self.renderer.record_pages(), self._beside, options.site_url)
        self._workers = Workers(shared, records=len(catalogue.visible))
        self._search: Pending[SearchStats] | None = None
        self._files: Pending[None] | None = None  # the downloads being written beside
        self._records: Iterator[None] | None = None  # the record pages being written (start_records)

    def __enter__(self) -> SiteWork:
        self.catalogue.build_indexes()  # before the workers fork: each would build its own
        with ExitStack() as stack:
            # Rendering makes next to no reference cycles, and the collector's passes over what it makes
            # were most of a second of CPU at 10,000 records (generator.build.heap): off in the workers
            # (they fork with it off) and here, until the work is done.
            stack.enter_context(heap.collection_paused())
            stack.enter_context(self._workers)
            self._running = stack.pop_all()
        if self._beside is not None:
            self._search = self._workers.submit(_write_index, None)  # first: the longest task
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        try:
            self._running.__exit__(kind, error, traceback)  # the workers joined (or stopped), then the collector back
        finally:
            if self._work is not None:
                self._work.remove()

    def pages(self) -> SitePages:
        """Every page of the site, in memory; record pages are rendered when read (SiteRenderer.record_pages)."""
        provinces = list(self.catalogue.by_province)
        step = max(1, len(provinces) // (self._workers.processes * 3))
        chunks = [provinces[start : start + step] for start in range(0, len(provinces), step)]
        files: Pending[dict[str, bytes | str]] | None = None
        if self._beside is None:
            # The downloads come back to this process: the one long task that cannot be split goes
            # first, so the worker free last shares the articles instead of leaving the downloads to
            # run alone at the end (this process waited ~3 s for them at 10,000 records).
            files = self._workers.submit(_site_files, None)
            articles = self._workers.map(_wechat_pages, chunks)
        else:
            # The downloads are written beside the site and moved in at the end (finish_into): the
            # articles, which this process needs as soon as its index pages are done, go first.
            articles = self._workers.map(_wechat_pages, chunks)
            self._files = self._workers.submit(_write_site_files, None)
        site = SitePages(self.renderer.index_pages())  # meanwhile, in this process
        site.indexes.append(search_page())
        site.indexes.append(data_page(self.catalogue))
        site.indexes.append(wechat_index(self.catalogue))
        for chunk in articles:
            site.indexes.extend(chunk)
        if files is not None:
            site.files.update(files.get())
        if files is None:  # written beside the site: the engine only needs to know they will be there
            site.placed = list(SITE_FILE_PATHS)
        site.files.update(admin_files(self.catalogue))
        site.records = self.renderer.record_pages()
        _check_unique_urls(site)
        return site

    def start_records(self, site_dir: Path, shell: Shell, records: Sequence[Page]) -> None:
        """Hand the record pages to the workers, who start at once (this process goes on); `write_records` waits."""
        # `records` are this SiteWork's own (pages().records): the workers inherited them.
        if self._records is None:
            slices = [(bounds, site_dir, shell) for bounds in _bounds(len(records), self._workers.processes)]
            self._records = self._workers.map(_write_slice, slices)

    def write_records(self, site_dir: Path, shell: Shell, records: Sequence[Page]) -> None:
        """Render, fill and write every record page (started here unless `start_records` did): each worker
        renders its own slice from the catalogue it inherited, so no page is rendered in one process and
        copied to another."""
        self.start_records(site_dir, shell, records)
        pending, self._records = self._records, None
        for _ in pending or ():
            pass

    def stop(self) -> None:
        """Stop the workers now (a failed build: nothing they still write may land in a folder being removed)."""
        self._workers.stop()

    def finish_into(self, site_dir: Path) -> SearchStats:
        """Wait for the index and the downloads and put them, with the search UI, into `site_dir` (the written site)."""
        assert self._search is not None and self._beside is not None, "SiteWork was made without beside"
        stats = self._search.get()
        target = site_dir / BUNDLE_DIR
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        (self._beside / "index").rename(target)
        install_ui(site_dir)
        if self._files is not None:
            self._files.get()
            for path in SITE_FILE_PATHS:
                (site_dir / path).parent.mkdir(parents=True, exist_ok=True)
                os.replace(self._beside / _FILES / path, site_dir / path)
        return stats


def admin_files(catalogue: Catalogue) -> dict[str, bytes | str]:
    """The web editor at /admin/: its page and configuration (generator.cms) and Decap CMS's script from npm."""
    files: dict[str, bytes | str] = dict(admin_pages(catalogue.config, catalogue.config.projects_dir))
    for name, data in package_files(DECAP_CMS).items():
        files[f"{ADMIN_DIR}/{name}"] = data
    return files


def render_site(catalogue: Catalogue, options: SiteOptions) -> SitePages:
    """Every page of the site, in memory (the search index and record pages are not written)."""
    with SiteWork(catalogue, options) as work:
        return work.pages()


def write_record_pages(site_dir: Path, shell: Shell, records: Sequence[Page]) -> None:
    """Record pages written outside a build's SiteWork (a plain `mkdocs build`): workers of their own."""
    with Workers(_Shared(None, records), records=len(records)) as workers:
        for _ in workers.map(_write_slice, [(bounds, site_dir, shell) for bounds in _bounds(len(records), workers.processes)]):
            pass


def _check_unique_urls(site: SitePages) -> None:
    seen: set[str] = set()
    for url in [*(page.url for page in site.indexes), *site.records.urls]:  # type: ignore[attr-defined]
        if url in seen:  # slugs are unique after validation; this guards the URL scheme
            raise ValueError(f"two pages at {url}")
        seen.add(url)


def _bounds(count: int, processes: int) -> list[tuple[int, int]]:
    # Small slices: the worker that finishes last waits at most one slice (about 0.5 s at 10,000 records).
    size = max(50, -(-count // (processes * 16)))
    return [(start, min(start + size, count)) for start in range(0, count, size)]


# ---- what the workers run (function(shared, item)) -----------------------------------------


def _write_index(shared: _Shared, _: None) -> SearchStats:
    assert shared.beside is not None
    return write_bundle(shared.beside / "index", shared.catalogue)


def _wechat_pages(shared: _Shared, provinces: list[str]) -> list[Page]:
    return wechat_pages(shared.catalogue, provinces, shared.site_url)


def _site_files(shared: _Shared, _: None) -> dict[str, bytes | str]:
    return site_files(shared.catalogue)


_FILES = "files"  # the downloads' folder in the work folder beside the site


def _write_site_files(shared: _Shared, _: None) -> None:
    """The downloads written beside the site (moved in by `finish_into`)."""
    assert shared.beside is not None
    for path, content in site_files(shared.catalogue).items():
        target = shared.beside / _FILES / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)


def _write_slice(shared: _Shared, task: tuple[tuple[int, int], Path, Shell]) -> None:
    bounds, site_dir, shell = task
    for index in range(*bounds):
        _write_page(site_dir, shell, shared.records[index])


# A new file, written once: os.open and one os.write are three system calls; open() in text mode
# adds an fstat, an isatty ioctl and an lseek, and a Python file object and its encoder, for each
# of 10,000 pages.
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _write_page(site_dir: Path, shell: Shell, page: Page) -> None:
    target = f"{site_dir}/{page.output_path}"  # no Path objects: two per page, for a string join
    folder = target.rpartition("/")[0]
    try:
        os.mkdir(folder)  # one system call: records/ itself almost always exists
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(folder, exist_ok=True)
    data = shell.page_html(page).encode("utf-8")
    descriptor = os.open(target, _NEW_FILE, 0o666)
    try:
        view = memoryview(data)
        while view:  # os.write may write less than asked (a signal, a full pipe): the rest follows
            view = view[os.write(descriptor, view) :]
    finally:
        os.close(descriptor)
