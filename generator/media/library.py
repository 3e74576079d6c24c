"""The photos of one repository: what each file is (remembered by its stat) and where its renditions are kept.

Two caches, both under `<repository>/.cache/media/` (ignored by git, safe to
delete at any time: everything in it is made again from the editors' files):

- the index: path → ((size, mtime, inode), Probe, Photo). A file whose
  stat is unchanged is not read again, and its planned renditions (the
  Photo) come with it, so checking or building 30,000 unchanged photos costs
  30,000 stat calls; a changed file is read, hashed and probed once. The index is one pickle, like the record cache (generator.build.cache).
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
from dataclasses import dataclass
from pathlib import Path
from stat import S_ISLNK, S_ISREG
from typing import Iterable

from generator.media.probe import Probe, probe_bytes
from generator.media.renditions import Photo, Rendition, plan

CACHE_FOLDER = Path(".cache") / "media"
INDEX_NAME = "index.pickle"
INDEX_FORMAT = 3
# Photos larger than this are refused before reading: no camera file comes near it.
MAX_FILE_BYTES = 200 * 1024 * 1024

Signature = tuple[int, int, int]


@dataclass(frozen=True)
class Found:
    """A listed photo as found on disk: `probe` None means no regular file there (or none that stat can see)."""

    path: str  # with every symbolic link resolved
    inside: bool = True  # inside the repository
    probe: Probe | None = None
    error: OSError | None = None  # there, but could not be read
    photo: Photo | None = None  # its planned renditions, when it is usable


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
        self._index: dict[str, tuple[Signature, Probe, Photo | None]] = {}
        self._made: set[str] = set()  # renditions known to be in the cache folder
        if self.persist:
            self._read_index()
        self._changed = False
        self._prefix = str(self.root) + os.sep
        self._found: dict[str, Found] = {}  # listed path → what it is, in this run (each file is stat-ed once per run)
        self._located: dict[str, tuple[str, os.stat_result | None]] = {}  # looked at by `unknown`, not yet by `find`
        self._real: dict[str, str] = {}  # folder → its real path, in this run (see `_locate`)

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
        self._found.clear()
        self._located.clear()
        self._real.clear()

    # ---- finding ------------------------------------------------------------

    def find(self, folder: str | Path, relative: str) -> Found:
        """The photo listed as `relative` in a record of `folder`: where it really is and what it is.

        Asked by the photo check and again by the catalogue for every photo of a
        valid record: the answer is kept for the run, so each photo is resolved,
        stat-ed and (when its stat is not in the index) read only once.
        Measured (2026-12-03, 100 bench records × 3 photos, nothing changed, CPU of
        loading with photos minus without): 0.09–0.10 s before (every photo located,
        stat-ed and planned twice), 0.03 s with this and the plan kept in the index.
        """
        key = os.path.join(folder, relative)
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._find(key)
        return found

    def _find(self, path: str) -> Found:
        located = self._located.pop(path, None)
        target, stat = located if located is not None else self._locate(path)
        if not self._inside(target):
            return Found(target, inside=False)
        if stat is None or not S_ISREG(stat.st_mode):
            return Found(target)
        try:
            probed, photo = self._known(target, stat)
        except OSError as error:
            return Found(target, error=error)
        return Found(target, probe=probed, photo=photo)

    def _locate(self, path: str) -> tuple[str, os.stat_result | None]:
        """`path` with every symbolic link resolved (as os.path.realpath) and its stat (None: nothing there)."""
        if not os.path.isabs(path):
            path = os.path.join(os.getcwd(), path)
        folder, name = os.path.split(path)
        if name in ("", ".", ".."):
            target = os.path.realpath(path)
            return target, _stat(target)
        # Each folder is resolved once per run (os.path.realpath would lstat every component of every
        # photo's path: measured, a third of a rebuild's photo cost); the photo itself costs one lstat,
        # which is also its stat unless it is a symbolic link.
        target = os.path.join(self._real_folder(folder), name)
        stat = _stat(target, follow=False)
        if stat is not None and S_ISLNK(stat.st_mode):
            target = os.path.realpath(target)
            stat = _stat(target)
        return target, stat

    def unknown(self, listed: Iterable[tuple[str | Path, str]]) -> list[tuple[str, os.stat_result]]:
        """Of the listed photos (as `find` takes them), the files `find` would have to read: not in the index
        with their present stat. The caller may probe them elsewhere (`probe_file`) and tell `learn`."""
        wanted: dict[str, os.stat_result] = {}
        for folder, relative in listed:
            key = os.path.join(folder, relative)
            if key in self._found or key in self._located:
                continue
            target, stat = self._located[key] = self._locate(key)  # `find` takes it from here
            if stat is None or not S_ISREG(stat.st_mode) or stat.st_size > MAX_FILE_BYTES or target in wanted:
                continue
            known = self._index.get(target)
            if self._inside(target) and (known is None or known[0] != _signature(stat)):
                wanted[target] = stat
        return list(wanted.items())

    def _inside(self, target: str) -> bool:
        return (target + os.sep).startswith(self._prefix)  # (the repository folder itself is inside: not a file)

    def learn(self, path: str, stat: os.stat_result, probed: Probe) -> None:
        """The probe of `path` (from `unknown`), made from its bytes read after `stat` was taken."""
        self._remember(path, stat, probed)

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
        return self._known(str(path), os.stat(path))[0]

    def _known(self, key: str, stat: os.stat_result) -> tuple[Probe, Photo | None]:
        """The probe of the file at `key` (resolved) and, when usable, its planned renditions: from the index
        while size, modification time (ns) and inode are unchanged, else read, hashed and probed now."""
        known = self._index.get(key)
        if known is not None and known[0] == _signature(stat):
            return known[1], known[2]
        if stat.st_size > MAX_FILE_BYTES:
            probed = Probe(problem=("E245", f"文件过大（{stat.st_size // 1024 // 1024} MB，上限 {MAX_FILE_BYTES // 1024 // 1024} MB）"))
        else:
            probed = _read_probe(key)
        return self._remember(key, stat, probed)

    def _remember(self, key: str, stat: os.stat_result, probed: Probe) -> tuple[Probe, Photo | None]:
        photo = None
        if probed.problem is None:
            source = key[len(self._prefix) :].replace(os.sep, "/") if key.startswith(self._prefix) else key
            photo = plan(source, probed.digest, probed.width, probed.height, probed.orientation)
        self._index[key] = (_signature(stat), probed, photo)
        self._changed = True
        return probed, photo

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


def _stat(path: str, *, follow: bool = True) -> os.stat_result | None:
    """The file's stat, or None when there is nothing to stat (missing, a name too long for the file system, …)."""
    try:
        return os.stat(path, follow_symlinks=follow)
    except (OSError, ValueError):  # ValueError: a NUL in the name
        return None


def _signature(stat: os.stat_result) -> Signature:
    """What must be unchanged for a remembered probe to hold: size, modification time (ns) and inode."""
    return stat.st_size, stat.st_mtime_ns, stat.st_ino


def _read_probe(path: str) -> Probe:
    with open(path, "rb") as source:
        return probe_bytes(source.read())


def probe_file(path: str) -> Probe | None:
    """The probe of one file read whole (for a worker process); None when it cannot be read (`find` will say why)."""
    try:
        return _read_probe(path)
    except OSError:
        return None
