"""The load stage: read every record file, validate it, gather a Catalogue.

`load_catalogue` never raises for bad records: each file yields either a
Record or Problems, and the Report says at the end whether the run failed.
Only valid records enter the Catalogue, so later stages can trust them.

Speed at 10,000 records comes from not repeating work, never from skipping
checks:
- a file's single-file checks are cached by the hash of its bytes, path,
  the vocabulary and our code (generator.cache), so an unchanged record costs
  one read and one hash;
- files that do need checking are checked in worker processes, one per core,
  and the results are put back in file order;
- `RecordLoader` keeps its results in memory, so `showcase serve` re-reads
  only the files whose size or modification time changed.
Image paths and cross-record duplicates are checked on every run: they depend
on other files, not on the record's own bytes.
"""

from __future__ import annotations

import gc
import hashlib
import os
import pickle
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, NamedTuple

from generator.cache import ResultCache, code_version
from generator.catalogue import Catalogue, Entry
from generator.cleaning import to_simplified
from generator.config import SiteConfig
from generator.divisions import DIVISIONS
from generator.errors import Problem, Report, Severity
from generator.forking import can_fork, cores, fork_pool
from generator.hygiene import hygiene_problems
from generator.models import Record
from generator.validate import (
    cross_record_problems,
    image_problems,
    location_problems,
    schema_problems,
    vocabulary_problems,
)
from generator.yaml_source import Loc, SourceDocument, parse_bytes, read_source

RECORD_SUFFIXES = (".yml", ".yaml")
CACHE_NAME = "records"
# Below this many files to check, starting worker processes costs more than it saves.
PARALLEL_MIN = 200
# Set to "0" to check every file from scratch (comparing runs, debugging the cache).
CACHE_SWITCH = "SHOWCASE_CACHE"


def record_files(config: SiteConfig, paths: list[Path] | None = None) -> list[Path]:
    """The files to check: the given ones (folders expanded) or all of projects/."""
    roots = paths or [config.projects_dir]
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            found = _flat_listing(root)
            if found is None:
                found = sorted(p for p in root.rglob("*") if p.suffix in RECORD_SUFFIXES and not p.name.startswith("."))
            files.extend(found)
        else:
            files.append(root)
    return files


def _flat_listing(root: Path) -> list[Path] | None:
    """What the rglob above finds when the folder has no subfolders (the usual projects/), in a
    fraction of the time; None when there are subfolders to walk."""
    names = []
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    return None
                names.append(entry.name)
    except OSError:
        return None
    # name.endswith is Path(name).suffix for names that do not start with a dot, without a Path each.
    return [root / name for name in sorted(names) if name.endswith(RECORD_SUFFIXES) and not name.startswith(".")]


def check_document(doc: SourceDocument, config: SiteConfig) -> tuple[Record | None, list[Problem]]:
    """All single-file checks for one parsed document."""
    if doc.data is None:
        return None, []
    record, problems = schema_problems(doc)
    if record is None:
        return None, problems
    problems += vocabulary_problems(record, doc, config.catalogue)
    problems += location_problems(record, doc)
    problems += image_problems(record, doc, config.docs_dir)
    problems += hygiene_problems(record, doc)
    return record, problems


class ImageFacts(NamedTuple):
    path: str


class RecordFacts(NamedTuple):
    """The fields the image and cross-record checks read: enough to check without the whole Record."""

    slug: str
    series: str
    number: int | None
    images: tuple[ImageFacts, ...]

    @classmethod
    def of(cls, record: Record) -> "RecordFacts":
        return cls(record.slug, record.series, record.number, tuple(ImageFacts(i.path) for i in record.images))


@dataclass
class Checked:
    """One file's results that depend on nothing but its bytes and path: what the cache keeps.

    `before` are the problems check_document finds before the image check,
    `after` those it finds after it, so re-running the image check in between
    gives the problems in the same order as an uncached run.

    The Record itself stays pickled until a build asks for it. A build's
    workers pickle the Record (`record_pickle`), which this process unpickles
    fastest. `showcase check` never needs the Record, so its workers pickle the
    file's data instead (`data_pickle`, a quarter of the cost); a later build
    that finds such an entry in the cache validates the data again.
    """

    parse_problems: list[Problem]
    facts: RecordFacts | None = None
    before: list[Problem] = field(default_factory=list)
    after: list[Problem] = field(default_factory=list)
    # Line and column of the places later checks point at (slug, number, image paths).
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    record_pickle: bytes = b""
    data_pickle: bytes = b""  # the file's data, known to validate (when record_pickle is empty)

    @property
    def parsed(self) -> bool:
        return not any(p.severity is Severity.error for p in self.parse_problems)

    def record(self) -> Record:
        record = self.__dict__.get("_record")
        if record is None:
            if self.record_pickle:
                record = pickle.loads(self.record_pickle)
            else:
                record = Record.model_validate(pickle.loads(self.data_pickle))
            self.__dict__["_record"] = record
        return record

    def __getstate__(self) -> dict[str, Any]:
        return {key: value for key, value in self.__dict__.items() if key != "_record"}


def _later_locations(record: Record) -> list[Loc]:
    locations: list[Loc] = [(), ("slug",), ("number",)]
    locations += [("images", index, "path") for index in range(len(record.images))]
    return locations


def check_source(raw: bytes, display: str, config: SiteConfig, *, for_build: bool = True) -> Checked:
    """Parse and check one file's bytes, keeping what the image and cross-record checks need,
    and the Record: pickled for a build, as the file's data otherwise (see Checked)."""
    doc = parse_bytes(raw, display)
    if not doc.ok or doc.data is None:
        return Checked(doc.problems)
    record, problems = schema_problems(doc)
    if record is None:
        return Checked(doc.problems, None, problems)
    problems += vocabulary_problems(record, doc, config.catalogue)
    problems += location_problems(record, doc)
    after = hygiene_problems(record, doc)
    positions = {loc: doc.position(loc) for loc in _later_locations(record)}
    facts = RecordFacts.of(record)
    if for_build:
        return Checked(doc.problems, facts, problems, after, positions, record_pickle=_pickled(record))
    return Checked(doc.problems, facts, problems, after, positions, data_pickle=_pickled(doc.data))


def cache_salt(config: SiteConfig) -> str:
    vocabulary = config.catalogue.model_dump_json().encode("utf-8")
    return code_version() + hashlib.sha256(vocabulary).hexdigest()


class RecordLoader:
    """Loads the catalogue, remembering each file's results for the next load.

    One loader per run for `check` and `build`; `showcase serve` keeps one for
    its whole session, so a rebuild after an edit re-checks only changed files.
    """

    def __init__(self, config: SiteConfig, *, cache: bool | None = None) -> None:
        self.config = config
        self._use_disk = os.environ.get(CACHE_SWITCH, "1") != "0" if cache is None else cache
        self._salt = cache_salt(config)
        # Path → ((size, mtime_ns, inode), checked): files unchanged since the last load.
        self._memory: dict[Path, tuple[tuple[int, int, int], Checked]] = {}
        self._display_parents: dict[Path, str | None] = {}  # folder as given → display prefix
        self._displays: dict[Path, str] = {}
        self.checked_last = 0  # how many files the last load parsed and checked (for tests and logs)

    def check(self, paths: list[Path] | None = None) -> Report:
        """Only the report (`showcase check`): records stay unpickled, which halves a warm check."""
        return self.load(paths, with_records=False).report

    def load(
        self, paths: list[Path] | None = None, include_drafts: bool = False, *, with_records: bool = True, freeze: bool = False
    ) -> Catalogue:
        """The catalogue of the record files (default: all of projects/).

        `freeze` (a build that keeps the catalogue to its end, see pipeline._settled_heap) moves
        everything loaded out of the garbage collector's reach before collection resumes.
        """
        files = record_files(self.config, paths)
        # Explicit files (`showcase check a.yml`) are few: a disk cache read would cost more than it saves.
        disk = ResultCache.for_root(self.config.root, CACHE_NAME, self._salt) if self._use_disk and paths is None else ResultCache.disabled()
        report = Report()
        slots: list[tuple[str, Checked | None, SourceDocument | None]] = []
        pending: list[tuple[int, str, bytes | None, str, Path, tuple[int, int, int] | None]] = []
        # Nothing remembered (a fresh clone, an upgraded generator, SHOWCASE_CACHE=0): every file is
        # checked, so the workers read and hash them too instead of this process, one file after another.
        read_in_workers = not disk and not self._memory and len(files) >= PARALLEL_MIN
        for path in files:
            display = self._display(path)
            if read_in_workers:  # the worker also stats it, and tells a missing file
                pending.append((len(slots), display, None, "", path, None))
                slots.append((display, None, None))  # filled in below
                continue
            signature = _signature(path)
            if _missing(path, signature):
                slots.append((display, None, None))  # counted as a problem, not as a checked file
                continue
            remembered = self._memory.get(path)
            if remembered is not None and signature is not None and remembered[0] == signature:
                slots.append((display, remembered[1], None))
                continue
            raw, unreadable = read_source(path, display)
            if raw is None:
                slots.append((display, None, unreadable))
                continue
            key = disk.key(display, raw)
            cached = _unpickle(disk.get(key))
            if cached is not None:
                self._remember(path, signature, cached)
                slots.append((display, cached, None))
                continue
            pending.append((len(slots), display, raw, key, path, signature))
            slots.append((display, None, None))  # filled in below
        self.checked_last = 0
        with _collector_paused(freeze):
            return self._file_results(slots, pending, disk, report, include_drafts, with_records)

    def _file_results(self, slots, pending, disk, report: Report, include_drafts: bool, with_records: bool) -> Catalogue:
        results = self._check_all(pending, disk, with_records)
        # strict: the last next() lets the worker pool close before the cache is saved.
        for (index, display, _, _, path, known), (key, stored, signature) in zip(pending, results, strict=True):
            signature = known or signature
            if stored is None:  # gone since the listing: reported as a missing file
                continue
            if isinstance(stored, SourceDocument):  # a worker could not read the file
                slots[index] = (display, None, stored)
                continue
            # Kept pickled: workers pickle their results anyway, and saving bytes is a copy.
            checked = pickle.loads(stored)
            if with_records and checked.record_pickle:
                # Now, while the workers still check the rest: once they are done, a core would
                # sit idle while this process unpickled every record on its own.
                checked.record()
            disk.put(key, stored)
            self._remember(path, signature, checked)
            slots[index] = (display, checked, None)
            self.checked_last += 1
        disk.save(prune=True)
        return self._gather(slots, report, include_drafts, with_records)

    # ---- steps --------------------------------------------------------------

    def _gather(
        self, slots: list[tuple[str, Checked | None, SourceDocument | None]], report: Report, include_drafts: bool,
        with_records: bool = True,
    ) -> Catalogue:
        """The report and catalogue, from per-file results in file order (as one pass would give them)."""
        valid: list[tuple[SourceDocument, RecordFacts, Checked]] = []
        docs_dir = self.config.docs_dir  # a property that builds a Path: once, not once per record
        for display, checked, failed in slots:
            if checked is None and failed is None:
                report.add(Problem(display, 1, 1, "E108", "文件不存在"))
                continue
            if failed is not None:
                report.files_checked += 1
                report.extend(failed.problems)
                continue
            assert checked is not None
            report.files_checked += 1
            report.extend(checked.parse_problems)
            if not checked.parsed:
                continue
            problems = list(checked.before)
            facts = checked.facts
            if facts is not None:
                doc = SourceDocument(display, positions=checked.positions)
                problems += image_problems(facts, doc, docs_dir)  # type: ignore[arg-type]
                problems += checked.after
            report.extend(problems)
            if facts is not None and not any(p.severity is Severity.error for p in problems):
                valid.append((doc, facts, checked))
        duplicates = cross_record_problems([(doc, facts) for doc, facts, _ in valid])  # type: ignore[misc]
        report.extend(duplicates)
        clashing = {p.path for p in duplicates}
        entries = [Entry(doc.path, checked.record()) for doc, _, checked in valid if doc.path not in clashing] if with_records else []
        return Catalogue(config=self.config.catalogue, entries=entries, report=report, include_drafts=include_drafts)

    def _check_all(
        self, pending: list[tuple[int, str, bytes | None, str, Path, Any]], disk: ResultCache, for_build: bool
    ) -> Iterator[_Result]:
        """Check the files in worker processes (one per core) when there are many; results in input order.

        Results are yielded as each chunk arrives, so this process files the first ones
        while the workers still check the rest.
        """
        jobs = [(display, raw, key, path) for _, display, raw, key, path, _ in pending]
        workers = cores()
        if len(jobs) < PARALLEL_MIN or workers < 2 or not can_fork():
            for job in jobs:
                yield _check_job(job, self.config, disk, for_build)
            return
        global _JOBS
        _JOBS = (self.config, disk, jobs, for_build)
        _load_before_fork()
        # Inherited objects out of the workers' garbage collection: a collection would touch
        # every one of them and make the kernel copy their pages (the gc module's advice for fork).
        gc.freeze()
        try:
            # fork: the workers inherit the config and the bytes instead of receiving them pickled.
            with fork_pool(workers) as pool:
                size = max(16, len(jobs) // (workers * 32))  # small chunks: neither worker idles long at the end
                for chunk in pool.imap(_check_range, [(start, min(start + size, len(jobs))) for start in range(0, len(jobs), size)]):
                    yield from chunk
        finally:
            gc.unfreeze()
            _JOBS = None

    def _remember(self, path: Path, signature: tuple[int, int, int] | None, checked: Checked) -> None:
        if signature is not None:
            self._memory[path] = (signature, checked)

    def _display(self, path: Path) -> str:
        """generator.errors.relative, resolving each folder once instead of once per file."""
        known = self._displays.get(path)
        if known is None:
            known = self._displays[path] = self._display_uncached(path)
        return known

    def _display_uncached(self, path: Path) -> str:
        folder = path.parent
        if folder not in self._display_parents:
            self._display_parents[folder] = self._display_prefix(folder)
        prefix = self._display_parents[folder]
        return path.as_posix() if prefix is None else prefix + path.name

    def _display_prefix(self, folder: Path) -> str | None:
        """What goes before a file's name in its display path: the folder relative to the
        project root ("projects/"), or None when it is outside the root (then the path is shown as given)."""
        try:
            relative = folder.absolute().resolve().relative_to(self._root)
        except (OSError, ValueError):
            return None
        return "" if relative == Path(".") else relative.as_posix() + "/"

    @property
    def _root(self) -> Path:
        root = self.__dict__.get("_resolved_root")
        if root is None:
            root = self.__dict__["_resolved_root"] = self.config.root.resolve()
        return root


@contextmanager
def _collector_paused(freeze: bool = False):
    """No garbage collection while results are filed and records unpickled.

    Everything made here lives on in the catalogue, so a collection finds
    nothing to free, yet the growing heap made the collector walk it again
    and again: half the time of unpickling 10,000 records. With `freeze`, it
    is all frozen before collection resumes; otherwise the first allocation
    after would start a full collection over the whole catalogue (0.2 s at
    10,000 records) just before the build freezes it anyway.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


# A file's cache key and its pickled Checked, the reason it could not be read, or None when
# it does not exist; and its signature when the worker took it.
_Result = tuple[str, "bytes | SourceDocument | None", "tuple[int, int, int] | None"]
_Job = tuple[str, "bytes | None", str, Path]  # display, bytes (None: still to be read), cache key, path
_JOBS: tuple[SiteConfig, ResultCache, list[_Job], bool] | None = None


def _load_before_fork() -> None:
    """Load the tables every check reads once, here: forked workers inherit them instead of
    each reading them again (OpenCC's conversion tables, the division table and its indexes)."""
    to_simplified("乾")
    DIVISIONS.counties_of("北京市", "北京市")


def _check_range(bounds: tuple[int, int]) -> list[_Result]:
    assert _JOBS is not None
    config, disk, jobs, for_build = _JOBS
    return [_check_job(job, config, disk, for_build) for job in jobs[bounds[0] : bounds[1]]]


def _check_job(job: _Job, config: SiteConfig, disk: ResultCache, for_build: bool) -> _Result:
    display, raw, key, path = job
    signature = None
    if raw is None:
        signature = _signature(path)  # before reading: a file changed meanwhile is read again next time
        if _missing(path, signature):
            return "", None, None
        raw, unreadable = read_source(path, display)
        if raw is None:
            assert unreadable is not None
            return "", unreadable, None
        key = disk.key(display, raw)
    return key, _pickled(check_source(raw, display, config, for_build=for_build)), signature


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle(stored: Any) -> Checked | None:
    """A cache entry, or None when it is missing or not what we stored (then the file is checked afresh)."""
    if not isinstance(stored, bytes):
        return None
    try:
        checked = pickle.loads(stored)
    except Exception:  # noqa: BLE001 - a damaged entry is a cache miss
        return None
    return checked if isinstance(checked, Checked) else None


def _missing(path: Path, signature: tuple[int, int, int] | None) -> bool:
    """No such file (a dangling link is not missing: read_source reports it as a link)."""
    return signature is None and not path.exists() and not path.is_symlink()


def _signature(path: Path) -> tuple[int, int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def load_catalogue(
    config: SiteConfig, paths: list[Path] | None = None, include_drafts: bool = False, *, cache: bool | None = None
) -> Catalogue:
    """Check the record files (default: all of projects/) and gather the valid ones."""
    return RecordLoader(config, cache=cache).load(paths, include_drafts)


def check_records(config: SiteConfig, paths: list[Path] | None = None) -> Report:
    """What `showcase check` reports: every problem of the record files, without building a catalogue."""
    return RecordLoader(config).check(paths)

