"""The garbage collector and the interpreter's exit, kept out of a build's way.

A build holds the loaded catalogue — millions of objects at 10,000 records —
until it ends. These costs come from that, measured at 10,000 records:

- every full collection walks all of them again, and loading and rendering
  allocate enough to trigger one again and again (half the time of
  unpickling the records; over half of the WeChat articles' time). So the
  collector is paused while records are filed (`collection_paused`), and what
  was loaded is frozen (`freeze`, gc.freeze) until the run ends
  (`settled`). Frozen objects are also left alone by the collector in forked
  workers (generator.build.parallel), so the pages they share stay shared.
- rendering (the index pages here, the search index, channels and record
  pages in the workers) allocates millions of short-lived objects, and the
  collections they trigger walked them again and again: 0.35 s of CPU in one
  worker, 0.27 s in this process, 0.8 s in all, while a collection after each
  stage found no reference cycles to free (3,188 objects after the data
  downloads, none after the index pages; 10,000 synthetic records). So the
  collector is paused while a build renders (generator.build.site), in this
  process and in the workers it forks.
- at exit the interpreter frees the catalogue object by object: over a
  second of a `showcase build` or `check`, after all the output is written.
  `exit_now` ends such a command without that teardown.
- `showcase check` has nothing left to do but print once the records are
  checked, yet resuming collection then started a full collection over every
  file's results: `no_collection_until_exit` keeps it off. Cold check of
  10,000 synthetic records, this 2-core machine under load, 2026-12-03,
  median of 5 runs alternating with main: CPU after the workers end (cache
  save, gather, report) 0.28 → 0.22 s.

Nothing outside generator.build needs to know about any of this.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
from contextlib import contextmanager
from typing import Iterator

_depth = 0


@contextmanager
def settled() -> Iterator[None]:
    """A run (check, build) during which frozen objects stay frozen; the outermost one unfreezes them,
    so a long `showcase serve` does not pile up the catalogues of its rebuilds."""
    global _depth
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()


def freeze() -> None:
    """Move everything allocated so far out of the collector's reach (until the outermost `settled` ends)."""
    gc.freeze()


@contextmanager
def collection_paused(*, then_freeze: bool = False) -> Iterator[None]:
    """No collection while long-lived objects are made. With `then_freeze`, they are frozen before
    collection resumes: otherwise the first allocation after would start a full collection over them."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if then_freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def no_collection_until_exit() -> None:
    """For a command that reads everything, reports and ends with `exit_now` (`showcase check`): no
    collection from here on. Once a paused collection resumes, the next allocations start a full
    collection over every record's results — a tenth of a second at 10,000 records, after the
    work is done, to free memory the exit frees anyway. (A build keeps collecting: its rendering
    makes garbage for minutes.)"""
    gc.disable()


def exit_now(code: int) -> None:
    """End the process at once with `code`, output flushed, without freeing every object first.

    Only for commands that own no temporary folders, threads or child
    processes any more when they end (their library calls have closed them).
    """
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
