"""The photos of a build: missing renditions made in the workers, the site's media/ folder kept in step.

    make_renditions(catalogue)       before the pages: every rendition not in the cache, in workers
    MediaFolder.move_into(staging)    just before the swap: the previous site's media/ moves over,
                                      only new files are linked in from the cache
    MediaFolder.prune()               after the swap: files no page uses any more are removed

Work is proportional to what changed. An unchanged photo is one stat call
(the library's index) and no file operation: its renditions are already in
the cache and in the previous site's media/, which moves into the new site
in one rename instead of 30,000 links. A changed photo has new
content-addressed names, so it alone is processed and linked. Should the
build fail between the move and the swap, media/ is moved back, and the
previous site is as it was.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

from generator.build.parallel import RECORDS_PER_PHOTO, Workers
from generator.catalogue import Catalogue
from generator.media import Photo, PhotoLibrary, Rendition
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
    jobs = []
    for photo in unique_photos(catalogue):
        missing = library.missing(photo, printed=printed)
        if missing:
            jobs.append(_Job(library.root / photo.source, photo, tuple(missing)))
    if not jobs:
        return 0
    with Workers(library.folder, records=len(jobs) * RECORDS_PER_PHOTO) as workers:
        for _ in workers.map(_process, jobs):
            pass
    return len(jobs)


def _process(folder: Path, job: _Job) -> int:
    with open(job.source, "rb") as source:
        data = source.read()
    return make(data, job.photo, job.renditions, folder)


class MediaFolder:
    """The site's media/ for one build: what the pages use, reused from the previous site where it can be."""

    def __init__(self, photos: list[Photo], library: PhotoLibrary, target: Path) -> None:
        self.needed = {r.path for photo in photos for r in photo.renditions}
        self.library = library
        self.target = target
        self._moved_to: Path | None = None
        self._extra: set[str] = set()

    def move_into(self, staging: Path) -> None:
        """Put media/ into the staging site: the previous one moved over, new files linked from the cache."""
        previous = self.target / MEDIA_DIR
        folder = staging / MEDIA_DIR
        if not self.needed and not previous.is_dir():
            return
        if previous.is_dir() and not folder.exists():
            os.rename(previous, folder)
            self._moved_to = folder
        folder.mkdir(exist_ok=True)
        present = _listing(folder)
        for relative in sorted(self.needed - present):
            _link(self.library.cached(relative), folder / relative)
        self._extra = present - self.needed

    def give_back(self) -> None:
        """The build failed before the swap: the previous site gets its media/ back."""
        if self._moved_to is not None and self._moved_to.is_dir() and not (self.target / MEDIA_DIR).exists():
            os.rename(self._moved_to, self.target / MEDIA_DIR)
        self._moved_to = None

    def prune(self) -> None:
        """After the swap: remove what no page of the new site uses."""
        folder = self.target / MEDIA_DIR
        for relative in self._extra:
            try:
                os.unlink(folder / relative)
            except OSError:
                pass
        if not self.needed:
            shutil.rmtree(folder, ignore_errors=True)


def _listing(folder: Path) -> set[str]:
    """Every file under media/<shard>/, as "shard/name" (two levels, as the renditions are laid out)."""
    found: set[str] = set()
    with os.scandir(folder) as shards:
        for shard in shards:
            if shard.is_dir(follow_symlinks=False):
                with os.scandir(shard.path) as names:
                    found.update(f"{shard.name}/{entry.name}" for entry in names)
    return found


def _link(source: Path, target: Path) -> None:
    """A hard link (no copy, and the site keeps the file if the cache is deleted); a copy across file systems."""
    target.parent.mkdir(exist_ok=True)
    try:
        os.link(source, target)
    except FileExistsError:
        pass
    except OSError:
        shutil.copyfile(source, target)
