"""One way to run work on every core: forked workers, one policy, the same results either way.

Every stage with enough work to share out asks this module — checking
record files, rendering the WeChat articles and data downloads, writing the
record pages, building the search index next to the pages — and none of
them knows about processes, pickling or thresholds:

    with Workers(shared, records=len(entries)) as workers:
        pages = workers.map(render_slice, slices)    # function(shared, item), results in order
        here = render_index_pages()                  # meanwhile, in this process
        for page in pages: …

The policy, in one place: work is shared out when a run has at least
MIN_RECORDS records, the system can fork and this process may use more than
one core; otherwise the same functions run in this process, in the same
order, when their results are asked for. Output never depends on which way
it ran (tests build both ways and compare bytes).

Fork, not spawn: a forked worker starts at once and reads what the parent
holds — the config, file bytes, the loaded catalogue — as `shared`, instead
of receiving it pickled; only each item and each result cross a pipe.
Everything allocated before the fork is frozen out of the garbage
collector's reach (generator.build.heap), so a collection in a worker does
not touch, and thereby copy, the parent's pages.

Measured against the same build on one core (bench/, 10,000 records): the
record checks, the record pages and the search index each take about half
the wall time with two workers; below a few hundred records starting the
workers costs more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from contextlib import ExitStack
from multiprocessing.pool import Pool
from typing import Any, Callable, Generic, Iterable, Iterator, TypeVar

from generator.build import heap

T = TypeVar("T")
R = TypeVar("R")

# Fewer records than this: one process does everything (measured: forking costs more).
MIN_RECORDS = 300
# Most workers worth starting: the stages are partly bound by the disk and by this process.
MAX_WORKERS = 8
# What one photo to process weighs against MIN_RECORDS: making its renditions takes 0.1–0.8 s of CPU
# (generator.media.process), checking and rendering a record a few milliseconds. Callers pass
# records=photos * RECORDS_PER_PHOTO, so three photos to process are worth a second core.
RECORDS_PER_PHOTO = 100
# Reading, hashing and probing a photo the library does not know yet (generator.media.library): about 20 ms
# of CPU for a 12-megapixel phone JPEG, a few records' worth: thirty new photos are worth a second core.
RECORDS_PER_PROBE = 10

# What the workers read, set in this process just before they fork (they inherit it).
_SHARED: Any = None


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker_count(records: int) -> int:
    """How many processes a stage handling `records` records should use (1: this process only)."""
    if records < MIN_RECORDS or "fork" not in multiprocessing.get_all_start_methods():
        return 1
    return max(1, min(cores(), MAX_WORKERS))


class Pending(Generic[R]):
    """The result of a task given to the workers (or run here, when it is asked for)."""

    def __init__(self, get: Callable[[], R]) -> None:
        self._get = get

    def get(self) -> R:
        return self._get()


class Workers:
    """Forked workers for one stage, or this process alone when the policy says so.

    `processes` caps the count (1 for a single task alongside this process).
    On leaving the block the workers are joined; after an exception they are
    stopped at once.
    """

    def __init__(self, shared: Any, *, records: int, processes: int | None = None) -> None:
        count = worker_count(records)
        self.processes = min(count, processes) if processes else count
        # A single task beside this process is worth a worker once the policy allows workers at all.
        self.parallel = count > 1
        self._shared = shared
        self._pool: Pool | None = None
        self._stack = ExitStack()

    def __enter__(self) -> Workers:
        if self.parallel:
            global _SHARED
            self._stack.enter_context(heap.settled())
            heap.freeze()
            _SHARED = self._shared
            try:
                self._pool = multiprocessing.get_context("fork").Pool(self.processes, initializer=_worker_start)
            finally:
                _SHARED = None  # the workers have their copy; this process keeps no extra reference
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            if error is None:
                pool.close()
            else:
                pool.terminate()
            pool.join()
        self._stack.close()

    def stop(self) -> None:
        """End the workers at once, whatever they are doing (as on leaving the block after an exception)."""
        self.__exit__(None, True, None)

    def map(self, function: Callable[[Any, T], R], items: Iterable[T]) -> Iterator[R]:
        """function(shared, item) for every item; the results in item order, each as soon as it is ready.

        With workers the items are handed out at once (the caller can do other
        work meanwhile); without, each runs here when its result is read.
        """
        items = list(items)
        if self._pool is None:
            return (function(self._shared, item) for item in items)
        return self._pool.imap(_call, [(function, item) for item in items])

    def submit(self, function: Callable[[Any, T], R], item: T) -> Pending[R]:
        """One task; `Pending.get()` waits for it (or runs it here, then)."""
        if self._pool is None:
            return Pending(lambda: function(self._shared, item))
        result = self._pool.apply_async(_call, ((function, item),))
        return Pending(result.get)


def _worker_start() -> None:
    """Workers inherit `showcase serve`'s SIGTERM handler; when their pool ends them they should just stop."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _call(task: tuple[Callable[[Any, T], R], T]) -> R:
    function, item = task
    return function(_SHARED, item)
