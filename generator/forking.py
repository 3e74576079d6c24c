"""Worker processes forked from a build: what every pool of them shares.

Builds fork rather than spawn: a forked worker starts at once and reads the
loaded catalogue from the parent's memory (frozen out of the garbage
collector's reach by the pipeline, so those pages stay shared) instead of
receiving it pickled.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from multiprocessing.pool import Pool


def can_fork() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def cores() -> int:
    return min(os.cpu_count() or 1, 8)


def fork_pool(workers: int) -> Pool:
    """A pool of forked workers; globals the parent set before this call are theirs to read."""
    return multiprocessing.get_context("fork").Pool(workers, initializer=_default_signals)


def _default_signals() -> None:
    """Workers inherit `showcase serve`'s SIGTERM handler; when the pool ends them they should just stop."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
