"""The website's parts joined and written: pages from the site, search and channel stages, record pages in parallel.

`render_site` gathers everything the site shows, in memory, before anything
is written: the site stage's index pages, the search page, and what the
exporters give the site (a WeChat article page per province, the data
downloads). The WeChat articles and downloads render in workers while this
process renders the index pages. `write_record_pages` fills the page chrome
with every record page, in workers, a slice each; `SearchIndex` builds the
search index in a worker of its own while all that happens.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Sequence

from generator.build.parallel import Pending, Workers
from generator.catalogue import Catalogue
from generator.exporters.website import site_files, wechat_pages
from generator.present.pages import Page, SitePages
from generator.search import SearchStats, install_ui, search_page, write_bundle
from generator.search.indexer import BUNDLE_DIR
from generator.site import SiteOptions, SiteRenderer
from generator.site.shell import Shell


def render_site(catalogue: Catalogue, options: SiteOptions) -> SitePages:
    """Every page of the site, in memory; record pages are rendered when read (SiteRenderer.record_pages)."""
    renderer = SiteRenderer(catalogue, options)
    catalogue.build_indexes()  # before the workers fork: each would build its own
    provinces = list(catalogue.by_province)
    with Workers(catalogue, records=len(catalogue.visible)) as workers:
        # A few provinces a task (the longest tasks first), the downloads last.
        step = max(1, len(provinces) // (workers.processes * 3))
        articles = workers.map(wechat_pages, [provinces[start : start + step] for start in range(0, len(provinces), step)])
        files = workers.submit(_site_files, None)
        site = SitePages(renderer.index_pages())  # meanwhile, in this process
        site.indexes.append(search_page())
        for chunk in articles:
            site.indexes.extend(chunk)
        site.files.update(files.get())
    site.records = renderer.record_pages()
    seen: set[str] = set()
    for url in [*(page.url for page in site.indexes), *site.records.urls]:  # type: ignore[attr-defined]
        if url in seen:  # slugs are unique after validation; this guards the URL scheme
            raise ValueError(f"two pages at {url}")
        seen.add(url)
    return site


def _site_files(catalogue: Catalogue, _: None) -> dict[str, bytes | str]:
    return site_files(catalogue)


def write_record_pages(site_dir: Path, shell: Shell, records: Sequence[Page]) -> None:
    """Render, fill and write every record page, in workers a slice each.

    The records are usually lazy (SiteRenderer.record_pages): each worker
    renders its own pages from the catalogue it inherited, so no page is
    rendered in one process and copied to another.
    """
    with Workers((site_dir, shell, records), records=len(records)) as workers:
        size = max(50, -(-len(records) // (workers.processes * 4)))
        slices = [(start, min(start + size, len(records))) for start in range(0, len(records), size)]
        for _ in workers.map(_write_slice, slices):
            pass


def _write_slice(shared: tuple[Path, Shell, Sequence[Page]], bounds: tuple[int, int]) -> None:
    site_dir, shell, records = shared
    for index in range(*bounds):
        _write_page(site_dir, shell, records[index])


def _write_page(site_dir: Path, shell: Shell, page: Page) -> None:
    target = site_dir / page.output_path
    try:
        os.mkdir(target.parent)  # one system call: records/ itself almost always exists
    except FileExistsError:
        pass
    except FileNotFoundError:
        os.makedirs(target.parent, exist_ok=True)
    with open(target, "w", encoding="utf-8") as file:
        file.write(shell.page_html(page))


class SearchIndex:
    """The search index, built in a worker of its own while the pages render and the engine writes them.

    The index depends only on the catalogue, not on the written pages, so it
    need not wait for them. The worker writes into a folder of its own beside
    the staging site (the engine empties the site folder when it starts), and
    `put_into` moves it into the written site in one rename.

        with SearchIndex(catalogue, beside=target.parent) as search:
            … render pages, run the engine into staging …
            search.put_into(staging)
    """

    def __init__(self, catalogue: Catalogue, *, beside: Path) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix=".search-", dir=beside))
        # One process: the render workers and the engine use the other cores.
        self._workers = Workers(catalogue, records=len(catalogue.visible), processes=1)
        self._pending: Pending[SearchStats] | None = None

    def __enter__(self) -> SearchIndex:
        self._workers.__enter__()
        self._pending = self._workers.submit(_write_index, self._folder / "index")
        return self

    def put_into(self, site_dir: Path) -> SearchStats:
        """Wait for the index and put it, with the search UI, into `site_dir` (the written site)."""
        assert self._pending is not None
        stats = self._pending.get()
        target = site_dir / BUNDLE_DIR
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        (self._folder / "index").rename(target)
        install_ui(site_dir)
        return stats

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        try:
            self._workers.__exit__(kind, error, traceback)
        finally:
            shutil.rmtree(self._folder, ignore_errors=True)


def _write_index(catalogue: Catalogue, bundle: Path) -> SearchStats:
    return write_bundle(bundle, catalogue)
