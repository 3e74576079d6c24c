"""The photos of one repository: what each file is (remembered by its stat) and where its renditions are kept.

Two caches, both under `<repository>/.cache/media/` (ignored by git, safe to
delete at any time: everything in it is made again from the editors' files):

- the index: path → (size, mtime, inode, Probe). A file whose stat is
  unchanged is not read again, so checking or building 30,000 unchanged
  photos costs 30,000 stat calls; a changed file is read, hashed and probed
  once. The index is one pickle, like the record cache (generator.build.cache).
- the renditions, named by content (generator.media.renditions): a photo
  that is already there is not processed again, whichever record, path or
  slug it is listed under; a changed photo gets new names, so only it is made.
  The index also lists the renditions made, so a rebuild does not stat
  150,000 files to learn that they are there; a file deleted from the cache
  by hand is made again when a build needs it (generator.build.photos).

`SHOWCASE_CACHE=0` (the switch of the record cache) makes every run start
from nothing here too: the index is neither read nor written, and
renditions are made in one temporary folder per process, removed when the
process ends, so nothing appears in the repository.
"""

from __future__ import annotations

import atexit
import os
import pickle
import shutil
import tempfile
from pathlib import Path
from typing import Iterable

from generator.media.probe import Probe, probe_bytes
from generator.media.renditions import Photo, Rendition, plan

CACHE_FOLDER = Path(".cache") / "media"
INDEX_NAME = "index.pickle"
INDEX_FORMAT = 2
# Photos larger than this are refused before reading: no camera file comes near it.
MAX_FILE_BYTES = 200 * 1024 * 1024

Signature = tuple[int, int, int]


_temporary: Path | None = None


def _temporary_folder() -> Path:
    """One folder of renditions for the whole process when nothing may be kept (removed at exit).

    Shared by every repository the process builds: names are content-addressed, so a
    rendition made for one is right for any other (the tests build many small projects).
    """
    global _temporary
    if _temporary is None or not _temporary.is_dir():
        _temporary = Path(tempfile.mkdtemp(prefix="showcase-media-"))
        atexit.register(shutil.rmtree, _temporary, True)
    return _temporary


class PhotoLibrary:
    """Probes and renditions of one repository's photos (one per root and process: `for_root`)."""

    _shared: dict[Path, PhotoLibrary] = {}

    def __init__(self, root: Path, *, persist: bool | None = None) -> None:
        self.root = root.resolve()
        self.persist = os.environ.get("SHOWCASE_CACHE", "1") != "0" if persist is None else persist
        self.folder = self.root / CACHE_FOLDER if self.persist else _temporary_folder()
        self._index: dict[str, tuple[Signature, Probe]] = {}
        self._made: set[str] = set()  # renditions known to be in the cache folder
        if self.persist:
            self._read_index()
        self._changed = False
        self._seen: dict[str, Probe] = {}  # probed in this run (each file is stat-ed once per run)
        self._real: dict[str, str] = {}  # folder → its real path, in this run (see `locate`)

    @classmethod
    def for_root(cls, root: Path) -> PhotoLibrary:
        library = cls._shared.get(root)  # asked for every record with photos: resolved only the first time
        if library is None:
            resolved = root.resolve()
            library = cls._shared.get(resolved)
            if library is None:
                library = cls._shared[resolved] = cls(resolved)
            if root.is_absolute():
                cls._shared[root] = library
        return library

    @classmethod
    def forget(cls) -> None:
        """Start the next run afresh (tests; `showcase serve` between builds keeps the index)."""
        cls._shared.clear()

    def new_run(self) -> None:
        """Files may have changed since the last run: stat them again."""
        self._seen.clear()
        self._real.clear()

    # ---- finding ------------------------------------------------------------

    def locate(self, path: Path) -> Path:
        """`path` with every symbolic link resolved, as Path.resolve() gives it, in about one lstat call.

        Path.resolve() checks every component of every photo's path on each
        run (measured: a third of a rebuild's photo cost, 30 % of which is ten
        lstat calls per photo); here each folder is resolved once per run and
        a photo costs one lstat of its own name.
        """
        folder, name = os.path.split(os.path.join(os.getcwd(), path))
        if name in ("", ".", ".."):
            return Path(os.path.realpath(path))
        candidate = os.path.join(self._real_folder(folder), name)
        return Path(os.path.realpath(candidate) if os.path.islink(candidate) else candidate)

    def _real_folder(self, folder: str) -> str:
        known = self._real.get(folder)
        if known is None:
            parent, name = os.path.split(folder)
            if name in ("", ".", "..") or parent == folder:
                known = os.path.realpath(folder)
            else:
                candidate = os.path.join(self._real_folder(parent), name)
                known = os.path.realpath(candidate) if os.path.islink(candidate) else candidate
            self._real[folder] = known
        return known

    # ---- probing ------------------------------------------------------------

    def probe(self, path: Path) -> Probe:
        """What the file at `path` (resolved, inside the repository) is; from the index when its stat is unchanged."""
        key = str(path)
        seen = self._seen.get(key)
        if seen is not None:
            return seen
        stat = os.stat(path)
        signature = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        known = self._index.get(key)
        if known is not None and known[0] == signature:
            result = known[1]
        else:
            if stat.st_size > MAX_FILE_BYTES:
                result = Probe(problem=("E245", f"文件过大（{stat.st_size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）"))
            else:
                with open(path, "rb") as source:
                    result = probe_bytes(source.read())
            self._index[key] = (signature, result)
            self._changed = True
        self._seen[key] = result
        return result

    def photo(self, path: Path, source: str) -> Photo | None:
        """The photo at `path` with its planned renditions, or None when it is not usable."""
        probed = self.probe(path)
        if probed.problem is not None:
            return None
        return plan(source, probed.digest, probed.width, probed.height, probed.orientation)

    # ---- renditions -----------------------------------------------------------

    def cached(self, relative: str) -> Path:
        return self.folder / relative

    def missing(self, photo: Photo, *, printed: bool = False) -> list[Rendition]:
        """The renditions of `photo` not in the cache folder yet."""
        wanted = [photo.print] if printed else list(photo.renditions)
        missing = [r for r in wanted if r.path not in self._made and not (self.folder / r.path).is_file()]
        self.made([r for r in wanted if r not in missing])
        return missing

    def made(self, renditions: Iterable[Rendition]) -> None:
        """These renditions are in the cache folder now."""
        for rendition in renditions:
            if rendition.path not in self._made:
                self._made.add(rendition.path)
                self._changed = True

    def files(self, photo: Photo, renditions: list[Rendition]) -> list[Path]:
        """The renditions as files in the cache, made here first where missing (the exporters' few photos)."""
        wanted = [r for r in renditions if not (self.folder / r.path).is_file()]
        if wanted:
            from generator.media.process import make  # Pillow's codecs: imported when a photo is made, not for a check

            with open(self.root / photo.source, "rb") as source:
                make(source.read(), photo, wanted, self.folder)
        return [self.folder / r.path for r in renditions]

    # ---- the index on disk ------------------------------------------------------

    def save(self) -> None:
        if not self.persist or not self._changed:
            return
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{INDEX_NAME}.", dir=self.folder)
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump((INDEX_FORMAT, self._index, self._made), out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.folder / INDEX_NAME)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return  # a read-only checkout still works; it just reads the photos again next time
        self._changed = False

    def _read_index(self) -> None:
        try:
            with open(self.folder / INDEX_NAME, "rb") as source:
                stored_format, index, made = pickle.load(source)
        except Exception:  # noqa: BLE001 - missing, damaged or from another version: start over
            return
        if stored_format == INDEX_FORMAT and isinstance(index, dict) and isinstance(made, set):
            self._index, self._made = index, made
