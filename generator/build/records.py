"""Load, check and gather the catalogue: the load and validate stages, run for a whole projects/.

`CatalogueLoader.load` never raises for bad records: each file yields either
a record or problems, and the Report says at the end whether the run failed.
Only valid records enter the Catalogue, so later stages can trust them.

Speed at 10,000 records comes from not repeating work, never from skipping
checks:
- a file's own checks (generator.checks, all but those that read other
  files) are cached by the hash of its bytes, path, the vocabulary and our
  code (generator.build.cache), so an unchanged record costs one read and
  one hash;
- files that do need checking are checked in worker processes
  (generator.build.parallel), and the results are put back in file order;
- a loader keeps its results in memory, so `showcase serve` re-reads only
  the files whose size or modification time changed.
The checks that read other files (photos, through the stat-keyed photo
library of generator.media) and the cross-record checks
run on every load.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

from generator.build import heap
from generator.build.cache import ResultCache, code_version
from generator.build.parallel import RECORDS_PER_PROBE, Workers, worker_count
from generator.catalogue import Catalogue, Entry
from generator.checks import FileCheck, check_document, cross_record_problems
from generator.errors import Problem, Report, Severity, relative_to_root
from generator.files import unportable_name
from generator.load.history import last_changed
from generator.load.files import Signature, read_source, record_files, signature
from generator.load.yaml_reader import parse_bytes
from generator.checks.images import record_folder
from generator.media import Photo, PhotoLibrary, Probe
from generator.media.library import probe_file
from generator.schema.divisions import DIVISIONS
from generator.schema.record import Record
from generator.schema.site_config import SiteConfig
from generator.text.cleaning import to_simplified

CACHE_NAME = "records"
# Set to "0" to check every file from scratch (comparing runs, debugging the cache).
CACHE_SWITCH = "SHOWCASE_CACHE"


@dataclass
class CheckedFile:
    """One file's checks as the cache keeps them: the results, and the record still pickled.

    A build's workers pickle the Record (`record_pickle`), which this process
    unpickles fastest. `showcase check` never needs the Record, so its workers
    pickle the file's data instead (`data_pickle`, a quarter of the cost); a
    later build that finds such an entry validates the data again.
    """

    check: FileCheck  # with check.record None: the record travels pickled
    record_pickle: bytes = b""
    data_pickle: bytes = b""

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


def check_bytes(raw: bytes, display: str, config: SiteConfig, *, for_build: bool = True) -> CheckedFile:
    """Parse and check one file's bytes, leaving the checks that read other files for later."""
    doc = parse_bytes(raw, display)
    check = check_document(doc, config, defer_other_files=True)
    record, check.record = check.record, None
    if record is None:
        return CheckedFile(check)
    if for_build:
        return CheckedFile(check, record_pickle=_pickled(record))
    return CheckedFile(check, data_pickle=_pickled(doc.data))


def cache_salt(config: SiteConfig) -> str:
    vocabulary = config.catalogue.model_dump_json().encode("utf-8")
    return code_version() + hashlib.sha256(vocabulary).hexdigest()


@dataclass
class _Slot:
    """One file of the run, in file order: its checks, or why it could not be read (neither: missing)."""

    display: str
    checked: CheckedFile | None = None
    unreadable: list[Problem] | None = None


@dataclass
class _Job:
    """A file to check: its bytes, or None when the worker is to read it (and take its signature)."""

    slot: int
    display: str
    path: Path
    raw: bytes | None = None
    key: str = ""
    signature: Signature | None = None


@dataclass
class _Done:
    """What a worker sends back: the pickled CheckedFile, or why the file could not be read, or neither (missing)."""

    key: str = ""
    checked: bytes | None = None
    unreadable: list[Problem] | None = None
    signature: Signature | None = None


@dataclass
class _Run:
    """What the workers share (they inherit it when they fork)."""

    config: SiteConfig
    disk: ResultCache
    for_build: bool
    jobs: list[_Job] = field(default_factory=list)


class CatalogueLoader:
    """Loads the catalogue, remembering each file's results for the next load.

    One loader per run for `check` and `build`; `showcase serve` keeps one for
    its whole session, so a rebuild after an edit re-checks only changed files.
    """

    def __init__(self, config: SiteConfig, *, cache: bool | None = None) -> None:
        self.config = config
        self._use_disk = os.environ.get(CACHE_SWITCH, "1") != "0" if cache is None else cache
        self._salt = cache_salt(config)
        # Path → (signature, checked): files unchanged since the last load.
        self._memory: dict[Path, tuple[Signature, CheckedFile]] = {}
        self._displays = relative_to_root(config.root)
        self.checked_last = 0  # how many files the last load parsed and checked (for tests and logs)

    def check(self, paths: list[Path] | None = None) -> Report:
        """Only the report (`showcase check`): records stay pickled, which halves a warm check."""
        return self.load(paths, with_records=False).report

    def load(
        self,
        paths: list[Path] | None = None,
        include_drafts: bool = False,
        *,
        with_records: bool = True,
        freeze: bool = False,
        meanwhile: Callable[[], object] | None = None,
    ) -> Catalogue:
        """The catalogue of the record files (default: all of projects/).

        `freeze` (a build that keeps the catalogue to its end) moves everything
        loaded out of the garbage collector's reach (generator.build.heap).
        `meanwhile` is called once the files are being checked (in workers, when
        there are many): what the caller needs next that does not need them.
        """
        hidden: list[Path] = []
        files = record_files(paths or [self.config.projects_dir], hidden)
        # Explicit files (`showcase check a.yml`) are few: a disk cache read would cost more than it saves.
        disk = ResultCache.for_root(self.config.root, CACHE_NAME, self._salt) if self._use_disk and paths is None else ResultCache.disabled()
        run = _Run(self.config, disk, for_build=with_records)
        slots = [_Slot(self._displays(path)) for path in files]
        # Nothing remembered (a fresh clone, an upgraded generator, SHOWCASE_CACHE=0): every file is
        # checked, so the workers read and hash them too instead of this process, one file after another.
        read_in_workers = not disk and not self._memory and worker_count(len(files)) > 1
        for index, (path, slot) in enumerate(zip(files, slots)):
            unportable = unportable_name(path.name)
            if unportable is not None:  # refused before reading: check and build agree, and nothing is built from it
                slot.unreadable = [Problem(slot.display, 1, 1, "E115", unportable)]
                continue
            if read_in_workers:
                run.jobs.append(_Job(index, slot.display, path))
                continue
            remembered = self._memory.get(path)
            if remembered is not None and remembered[0] == signature(path):
                slot.checked = remembered[1]
                continue
            read = read_source(path, slot.display)
            if read.raw is None:
                if not read.missing:
                    slot.unreadable = read.problems
                continue
            key = disk.key(slot.display, read.raw)
            cached = _unpickle(disk.get(key))
            if cached is not None:
                self._remember(path, read.signature, cached)
                slot.checked = cached
                continue
            run.jobs.append(_Job(index, slot.display, path, read.raw, key, read.signature))
        self.checked_last = 0
        photos = PhotoLibrary.for_root(self.config.root)
        photos.new_run()  # photos may have changed since the last load: each is stat-ed again
        times: dict[str, int] = {}

        def while_checking() -> None:
            if meanwhile is not None:
                meanwhile()
            if with_records:  # every listed file's, while the workers check (one git log, or a stat each)
                times.update(last_changed(self.config.root, [slot.display for slot in slots]))

        with heap.settled(), heap.collection_paused(then_freeze=freeze):
            self._check_pending(run, slots, with_records, while_checking)
            disk.save(prune=True)
            catalogue = self._gather(slots, include_drafts, with_records, times)
        photos.save()
        catalogue.report.extend(self._hidden_problems(hidden))
        return catalogue

    def _hidden_problems(self, hidden: list[Path]) -> list[Problem]:
        return [
            Problem(self._displays(path), 1, 1, "W102", "文件名以点开头，是隐藏文件，不会当作记录读取；若这是一条记录，请去掉开头的点", Severity.warning)
            for path in hidden
        ]

    def _check_pending(self, run: _Run, slots: list[_Slot], with_records: bool, meanwhile: Callable[[], object]) -> None:
        """Check the files not known yet, in workers when there are many; filed in file order."""
        with Workers(run, records=len(run.jobs)) as workers:
            # Small chunks: neither worker idles long at the end.
            size = max(16, len(run.jobs) // (workers.processes * 32))
            chunks = [(start, min(start + size, len(run.jobs))) for start in range(0, len(run.jobs), size)]
            checked = workers.map(_check_chunk, chunks)  # handed out now (with workers)
            if workers.parallel:
                _load_tables()
            meanwhile()
            for done_chunk, bounds in zip(checked, chunks):
                for job, done in zip(run.jobs[bounds[0] : bounds[1]], done_chunk):
                    self._file(job, done, run.disk, slots[job.slot], with_records)

    def _file(self, job: _Job, done: _Done, disk: ResultCache, slot: _Slot, with_records: bool) -> None:
        if done.unreadable is not None:
            slot.unreadable = done.unreadable
            return
        if done.checked is None:  # gone since the listing: reported as a missing file
            return
        checked: CheckedFile = pickle.loads(done.checked)
        if with_records and checked.record_pickle:
            # Now, while the workers still check the rest: once they are done, a core would
            # sit idle while this process unpickled every record on its own.
            checked.record()
        disk.put(done.key, done.checked)  # kept pickled: saving bytes is a copy
        self._remember(job.path, job.signature or done.signature, checked)
        slot.checked = checked
        self.checked_last += 1

    def _gather(self, slots: list[_Slot], include_drafts: bool, with_records: bool, times: dict[str, int]) -> Catalogue:
        """The report and catalogue, from per-file results in file order (as one pass would give them)."""
        report = Report()
        valid: list[tuple[str, CheckedFile]] = []
        self._probe_new_photos(slots)
        for slot in slots:
            if slot.checked is None and slot.unreadable is None:
                report.add(Problem(slot.display, 1, 1, "E108", "文件不存在"))
                continue
            report.files_checked += 1
            if slot.unreadable is not None:
                report.extend(slot.unreadable)
                continue
            check = slot.checked.check
            problems = check.problems(slot.display, self.config)
            report.extend(problems)
            if check.facts is not None and not any(p.severity is Severity.error for p in problems):
                valid.append((slot.display, slot.checked))
        duplicates, clashing = cross_record_problems([(checked.check.located(display), checked.check.facts) for display, checked in valid])
        report.extend(duplicates)
        entries = [Entry(display, checked.record()) for display, checked in valid if display not in clashing] if with_records else []
        changed = {e.path: times[e.path] for e in entries if e.path in times}
        photos = {entry.path: self._photos(entry) for entry in entries if entry.record.images}
        library = PhotoLibrary.for_root(self.config.root)
        return Catalogue(
            config=self.config.catalogue, entries=entries, report=report, include_drafts=include_drafts,
            changed=changed, photos=photos, library=library
        )

    def _probe_new_photos(self, slots: list[_Slot]) -> None:
        """Photos the library does not know yet (a first build, new or changed files) are read, hashed and
        probed in workers before the photo check asks for them one after another in this process."""
        library = PhotoLibrary.for_root(self.config.root)
        listed = []
        for slot in slots:
            facts = slot.checked.check.facts if slot.checked is not None else None
            if facts is not None and facts.images:
                folder = record_folder(slot.display, self.config.root)
                listed += [(folder, image.path) for image in facts.images]
        unknown = library.unknown(listed) if listed else []
        if worker_count(len(unknown) * RECORDS_PER_PROBE) < 2:
            return  # the photo check reads the few there are
        with Workers(None, records=len(unknown) * RECORDS_PER_PROBE) as workers:
            for (path, stat), probed in zip(unknown, workers.map(_probe_file, [path for path, _ in unknown])):
                if probed is not None:
                    library.learn(path, stat, probed)

    def _photos(self, entry: Entry) -> tuple[Photo, ...]:
        """A valid record's photos with their planned renditions (the photo check has probed each one)."""
        library = PhotoLibrary.for_root(self.config.root)
        folder = record_folder(entry.path, self.config.root)
        photos = []
        for image in entry.record.images:
            photo = library.find(folder, image.path).photo  # found by the photo check: nothing is looked up again
            assert photo is not None, f"{entry.path}: {image.path} passed the photo check"
            photos.append(photo)
        return tuple(photos)

    def _remember(self, path: Path, known: Signature | None, checked: CheckedFile) -> None:
        if known is not None:
            self._memory[path] = (known, checked)


def _load_tables() -> None:
    """Load the tables every check reads once, here: forked workers inherit them instead of
    each reading them again (OpenCC's conversion tables, the division table and its indexes)."""
    to_simplified("乾")
    DIVISIONS.counties_of("北京市", "北京市")


def _probe_file(_: None, path: str) -> Probe | None:
    return probe_file(path)


def _check_chunk(run: _Run, bounds: tuple[int, int]) -> list[_Done]:
    return [_check_job(job, run) for job in run.jobs[bounds[0] : bounds[1]]]


def _check_job(job: _Job, run: _Run) -> _Done:
    raw, key, known = job.raw, job.key, None
    if raw is None:
        read = read_source(job.path, job.display)
        if read.raw is None:
            return _Done(unreadable=None if read.missing else read.problems)
        raw, known = read.raw, read.signature  # taken before reading: a file changed meanwhile is read again next time
        key = run.disk.key(job.display, raw)
    return _Done(key, _pickled(check_bytes(raw, job.display, run.config, for_build=run.for_build)), signature=known)


def _pickled(value: Any) -> bytes:
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def _unpickle(stored: Any) -> CheckedFile | None:
    """A cache entry, or None when it is missing or not what we stored (then the file is checked afresh)."""
    if not isinstance(stored, bytes):
        return None
    try:
        checked = pickle.loads(stored)
    except Exception:  # noqa: BLE001 - a damaged entry is a cache miss
        return None
    return checked if isinstance(checked, CheckedFile) else None


def load_catalogue(
    config: SiteConfig, paths: list[Path] | None = None, include_drafts: bool = False, *, cache: bool | None = None
) -> Catalogue:
    """Check the record files (default: all of projects/) and gather the valid ones."""
    return CatalogueLoader(config, cache=cache).load(paths, include_drafts)


def check_records(config: SiteConfig, paths: list[Path] | None = None) -> Report:
    """What `showcase check` reports: every problem of the record files, without building a catalogue."""
    return CatalogueLoader(config).check(paths)
