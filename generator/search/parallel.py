"""Run two pieces of the indexing at once, on both cores, with the same result as running them in turn.

`both(left, right)` forks: the child runs `right` and sends its result back
through a pipe while the parent runs `left`. Results come back in a fixed
order, so the output never depends on which finished first. Where forking is
not safe or not possible (no os.fork, or other threads running — e.g. under
`showcase serve`, whose file watcher is a thread), the two run one after the
other in this process.
"""

from __future__ import annotations

import os
import pickle
import threading
import traceback
from typing import Callable, TypeVar

L = TypeVar("L")
R = TypeVar("R")


def can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def both(left: Callable[[], L], right: Callable[[], R]) -> tuple[L, R]:
    if not can_fork():
        return left(), right()
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: run `right`, send (ok, value), leave without running the parent's cleanup
        os.close(read_end)
        code = 0
        try:
            try:
                message = pickle.dumps((True, right()), protocol=pickle.HIGHEST_PROTOCOL)
            except BaseException:  # noqa: BLE001 - every failure goes back to the parent
                message = pickle.dumps((False, traceback.format_exc()))
                code = 1
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(message)
        finally:
            os._exit(code)
    os.close(write_end)
    try:
        left_result = left()
    except BaseException:
        os.close(read_end)
        os.waitpid(pid, 0)
        raise
    with os.fdopen(read_end, "rb") as pipe:
        data = pipe.read()
    os.waitpid(pid, 0)
    if not data:
        raise RuntimeError("search indexing: the helper process ended without a result")
    ok, value = pickle.loads(data)
    if not ok:
        raise RuntimeError(f"search indexing failed in the helper process:\n{value}")
    return left_result, value
