"""The search index, built in a forked process while the pages render and MkDocs writes them.

The index depends only on the catalogue, not on the written pages, so it
need not wait for them: at 10,000 records it is seconds of work that would
otherwise run after everything else. The worker writes the index into a
folder of its own next to the staging site (MkDocs empties the site folder
when it starts, so the index cannot go there early), and `finish` moves it
into the site in one rename once the pages are written.

    with BackgroundIndex(catalogue, beside=staging.parent) as search:
        … render pages, run MkDocs into staging …
        search.finish(staging)

Small catalogues (and systems without fork) index in `finish` itself: a
process start would cost more than it saves.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from generator.catalogue import Catalogue
from generator.forking import can_fork, fork_pool
from generator.search import indexer
from generator.search.indexer import BUNDLE_DIR, SearchStats, index_site, install_ui, write_bundle

# Set in the parent just before the worker forks: it inherits the catalogue instead of receiving it pickled.
_CATALOGUE: Catalogue | None = None


class BackgroundIndex:
    def __init__(self, catalogue: Catalogue, *, beside: Path) -> None:
        global _CATALOGUE
        self.catalogue = catalogue
        self.pool = None
        self.pending = None
        self.folder: Path | None = None
        if len(catalogue.visible) < indexer.HELPER_MIN_RECORDS or not can_fork():
            return
        self.folder = Path(tempfile.mkdtemp(prefix=".search-", dir=beside))
        _CATALOGUE = catalogue
        try:
            self.pool = fork_pool(1)
        finally:
            _CATALOGUE = None
        # One process, no helper of its own: the render workers and MkDocs use the other core.
        self.pending = self.pool.apply_async(_write_bundle, (self.folder / "index",))

    def finish(self, site_dir: Path) -> SearchStats:
        """Wait for the index and put it, with the search UI, into `site_dir` (the written site)."""
        if self.pending is None:
            return index_site(site_dir, self.catalogue)
        stats = self.pending.get()
        self._stop()
        target = site_dir / BUNDLE_DIR
        if target.exists():
            shutil.rmtree(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        (self.folder / "index").rename(target)
        install_ui(site_dir)
        return stats

    def _stop(self) -> None:
        if self.pool is not None:
            self.pool.close()
            self.pool.join()
            self.pool = None

    def __enter__(self) -> BackgroundIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.pool is not None:  # the build failed before finish: stop the worker at once
            self.pool.terminate()
            self.pool.join()
            self.pool = None
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


def _write_bundle(bundle: Path) -> SearchStats:
    assert _CATALOGUE is not None
    return write_bundle(bundle, _CATALOGUE, helper=False)
