"""A second Python process for half of the indexing work, so the search step uses both cores.

A fresh interpreter (not a fork) runs `serve()`: it reads pickled jobs —
(function name, arguments) — from stdin and writes pickled results to
stdout, until stdin closes. It is started first thing, so its imports
overlap the main process's own work, and it holds only the data of its half:
a fork would share the whole build's memory (and be counted twice by
anything that adds up the memory of a process tree), and is unsafe while
other threads run (`showcase serve`).

`Helper.both(left, job)` runs `left()` here and `job` there, and returns both
results in that order; if the helper cannot start or breaks, the job runs
here afterwards, so the output never depends on the helper.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
from typing import Any, BinaryIO, Callable, TypeVar

L = TypeVar("L")

# Jobs the helper runs, by name: module-level functions with picklable arguments and results.
JOBS = {
    "normalize": ("generator.search.postings", "normalize_fields"),
    "collect": ("generator.search.postings", "collect"),
    "write": ("generator.search.indexer", "write_files"),
}


def run_job(name: str, args: tuple) -> Any:
    import importlib

    module, function = JOBS[name]
    return getattr(importlib.import_module(module), function)(*args)


# The helper's stdout carries the results: keep it for them, and send anything
# printed while importing (a library's notice) to stderr instead.
_START = (
    "import os, sys; results = os.fdopen(os.dup(1), 'wb'); os.dup2(2, 1); "
    "from generator.search.helper import serve; serve(results)"
)


class Helper:
    def __init__(self, enabled: bool = True) -> None:
        self.process: subprocess.Popen | None = None
        if not enabled:
            return
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
        try:
            self.process = subprocess.Popen(
                [sys.executable, "-c", _START],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                env=env,
            )
        except OSError:
            self.process = None

    def both(self, left: Callable[[], L], job: tuple[str, tuple]) -> tuple[L, Any]:
        sent = self._send(job)
        here = left()
        if sent:
            try:
                ok, value = pickle.load(self.process.stdout)  # type: ignore[union-attr]
            except (EOFError, OSError, pickle.UnpicklingError):
                self.close()
            else:
                if not ok:
                    raise RuntimeError(f"搜索索引的辅助进程出错：\n{value}")
                return here, value
        return here, run_job(*job)

    def _send(self, job: tuple[str, tuple]) -> bool:
        if self.process is None:
            return False
        try:
            pickle.dump(job, self.process.stdin, protocol=pickle.HIGHEST_PROTOCOL)  # type: ignore[arg-type]
            self.process.stdin.flush()  # type: ignore[union-attr]
            return True
        except (BrokenPipeError, OSError):
            self.close()
            return False

    def close(self) -> None:
        if self.process is None:
            return
        process, self.process = self.process, None
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()  # type: ignore[union-attr]
            except OSError:
                pass
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def serve(stdout: BinaryIO) -> None:
    """The helper's loop: job in, (ok, result or traceback) out, until stdin closes."""
    import traceback

    stdin = sys.stdin.buffer
    while True:
        try:
            name, args = pickle.load(stdin)
        except EOFError:
            return
        try:
            reply = (True, run_job(name, args))
        except Exception:  # noqa: BLE001 - every failure goes back to the main process
            reply = (False, traceback.format_exc())
        pickle.dump(reply, stdout, protocol=pickle.HIGHEST_PROTOCOL)
        stdout.flush()
