"""The photos of a build: missing renditions made in the workers, the new site's media/ filled without touching the live one.

    RenditionWork(catalogue)          from before the pages until before media/ is filled: every rendition
                                      not in the cache, in workers, while the pages are rendered and written
    MediaFolder.fill(staging)         before the swap: the spare media/ moves into the new site and is
                                      brought up to date (only what changed is linked or removed)
    MediaFolder.keep(previous)        after the swap: the previous site's media/ becomes the next spare

Work is proportional to what changed. An unchanged photo costs one stat
call (the library's index) and no file operation: its renditions are in the
cache and already in the spare media/ folder, which moves into the new site
in one rename instead of 30,000 links.

The spare (`.<site>.media-spare/` beside the site) is the media/ folder of
the site before the live one, kept when that site was retired: double
buffering, so the live site's media/ is never moved or changed while it is
published. A SIGKILL at any moment leaves the live site whole (old or new,
generator.build.swap) and the cache as it was; at worst the spare is lost
with an abandoned staging folder, and the next build links every rendition
from the cache again. Files in media/ are hard links into the cache: the
cache can be deleted without harming any site.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from generator.build.parallel import RECORDS_PER_PHOTO, Workers
from generator.catalogue import Catalogue
from generator.media import Photo, PhotoLibrary, Rendition
from generator.media.probe import SIDEWAYS
from generator.media.process import make

MEDIA_DIR = "media"  # the site's folder of renditions (generator.present.photos builds the URLs)


@dataclass(frozen=True)
class _Job:
    source: Path
    photo: Photo
    renditions: tuple[Rendition, ...]


def unique_photos(catalogue: Catalogue) -> list[Photo]:
    """Every photo the visible records show, once (the same file may serve two records)."""
    found: dict[str, Photo] = {}
    for entry in catalogue.visible:
        for photo in catalogue.photos_of(entry):
            found.setdefault(photo.digest, photo)
    return list(found.values())


def make_renditions(catalogue: Catalogue, library: PhotoLibrary, *, printed: bool = False) -> int:
    """Make every missing rendition of the catalogue's photos (web, or print); returns how many photos were processed."""
    with RenditionWork(catalogue, library, printed=printed) as work:
        return work.wait()


class RenditionWork:
    """The missing renditions, made in workers from entering the block until `wait()`: the caller renders
    and writes pages meanwhile (they need only the planned names and sizes), so the cores stay busy
    to the last photo instead of idling while this process renders alone.

    Photos are handed out largest first (pixels decoded; a sideways photo is decoded at full size,
    generator.media.process), so the last ones to finish are short and both workers end together.

    Measured (2026-12-03, cold build of 10 and 30 bench records × 3 phone photos, bench/images.py's set,
    our processes' states sampled every 20 ms on the shared 2-core machine): samples with only one of
    our processes runnable fell from 7–22 % to 2–7 % (before: imports, checking and probing alone at the
    start, pages alone at the end; new photos are also probed in workers now, generator.build.records);
    CPU per photo unchanged (0.9 s: the renditions are made exactly as before).
    """

    def __init__(self, catalogue: Catalogue, library: PhotoLibrary, *, printed: bool = False) -> None:
        self.library = library
        self.jobs: list[_Job] = []
        for photo in unique_photos(catalogue):
            missing = library.missing(photo, printed=printed)
            if missing:
                self.jobs.append(_Job(library.root / photo.source, photo, tuple(missing)))
        self.jobs.sort(key=_cost, reverse=True)
        self._workers = Workers(library.folder, records=len(self.jobs) * RECORDS_PER_PHOTO)
        self._results: Iterator[int] | None = None

    def __enter__(self) -> RenditionWork:
        if self.jobs:
            self._workers.__enter__()
            self._results = self._workers.map(_process, self.jobs)
        return self

    def wait(self) -> int:
        """Wait for every rendition (raising what making one raised); returns how many photos were processed."""
        if self._results is not None:
            for job, _ in zip(self.jobs, self._results):
                self.library.made(job.renditions)
            self._results = None
        self.library.save()  # what is in the cache now: the next build need not look
        return len(self.jobs)

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        if self.jobs:
            self._workers.__exit__(kind, error, traceback)


def _cost(job: _Job) -> tuple[int, bool]:
    return job.photo.width * job.photo.height, job.photo.orientation in SIDEWAYS


def _process(folder: Path, job: _Job) -> int:
    with open(job.source, "rb") as source:
        data = source.read()
    return make(data, job.photo, job.renditions, folder)


class MediaFolder:
    """The site's media/ for one build, made from the spare media/ folder (or from the cache) beside the site."""

    def __init__(self, photos: list[Photo], library: PhotoLibrary, target: Path) -> None:
        self.photo_of = {r.path: photo for photo in photos for r in photo.renditions}
        self.needed = set(self.photo_of)
        self.library = library
        self.spare = spare_folder(target)

    def fill(self, staging: Path) -> None:
        """Put media/ into the staging site (or the folder a plain `mkdocs build` writes): the spare moved in
        and updated, or every file linked from the cache."""
        folder = staging / MEDIA_DIR
        if not folder.exists():  # (a plain `mkdocs build --dirty` may have left one: then that is brought up to date)
            try:
                os.rename(self.spare, folder)  # not published: no reader sees it change
            except FileNotFoundError:  # the first build, or the spare went with a killed build
                pass
        present = _listing(folder) if folder.is_dir() else set()
        if not self.needed:
            shutil.rmtree(folder, ignore_errors=True)
            return
        folder.mkdir(exist_ok=True)
        for relative in present - self.needed:
            os.unlink(folder / relative)
        self._link_all(sorted(self.needed - present), folder)

    def keep(self, previous: Path | None) -> None:
        """After the swap, `previous` holds the retired site (None: there was none): its media/ is the next spare.

        Without one (the first build) the spare is linked from the cache now,
        while the build has just processed every photo anyway, so that the
        first rebuild already finds it. Nothing here can harm the new site: a
        failure only leaves no spare.
        """
        if previous is not None:
            try:
                os.rename(previous / MEDIA_DIR, self.spare)
                return
            except FileNotFoundError:
                pass
            except OSError:  # a spare is there already (two builds side by side): this one goes with the old site
                return
        if not self.needed or self.spare.exists():
            return
        partial = self.spare.with_name(self.spare.name + ".part")
        try:
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir()
            self._link_all(sorted(self.needed), partial)
            os.rename(partial, self.spare)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)

    def _link_all(self, relatives: list[str], folder: Path) -> None:
        shards = {entry.name for entry in os.scandir(folder) if entry.is_dir()}
        for relative in relatives:
            shard = relative.partition("/")[0]
            if shard not in shards:
                (folder / shard).mkdir(exist_ok=True)
                shards.add(shard)
            self._link(relative, folder / relative)

    def _link(self, relative: str, target: Path) -> None:
        """A hard link to the cached file (no copy, and the site keeps the file if the cache is deleted)."""
        source = self.library.cached(relative)
        try:
            os.link(source, target)
        except FileExistsError:
            pass
        except FileNotFoundError:  # deleted from the cache behind the library's back: made again
            photo = self.photo_of[relative]
            self.library.files(photo, [r for r in photo.renditions if r.path == relative])
            os.link(source, target)
        except OSError:  # another file system
            shutil.copyfile(source, target)


def spare_folder(target: Path) -> Path:
    """Where the media/ of the site before `target`'s live one is kept (same file system: renamed, never copied)."""
    return target.parent / f".{target.name}.media-spare"


def _listing(folder: Path) -> set[str]:
    """Every file under media/<shard>/, as "shard/name" (two levels, as the renditions are laid out)."""
    found: set[str] = set()
    with os.scandir(folder) as shards:
        for shard in shards:
            if shard.is_dir(follow_symlinks=False):
                with os.scandir(shard.path) as names:
                    found.update(f"{shard.name}/{entry.name}" for entry in names)
    return found
