"""Run a build command and measure it: wall time, peak memory, output sizes.

Peak memory is the larger of two readings: the kernel's max RSS of the child
(wait4 rusage, which misses memory spread over worker processes) and the
highest sum of PSS over the whole process tree, sampled from /proc once a
second (which can miss a short spike). PSS (proportional set size) counts a
page shared by n processes as 1/n in each, so forked workers that share the
parent's memory are not counted twice, as a sum of RSS would. Builds that
use both cores show up in the second; single-process builds in the first.
Reading PSS makes the kernel walk every page table: about 20 ms per GB and
process, so sampling it every 100 ms took most of a core from a build of
several 1 GB processes — a cost the build under test would have paid.

Folders a build wrote are moved aside, not deleted, until the whole run is
over: on this machine's ext4 (mounted with `discard`), creating files soon
after deleting a large tree costs seconds of kernel time, which would land
on whichever build runs next.
"""

from __future__ import annotations

import gzip
import os
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

SAMPLE_SECONDS = 1.0
TRASH = ".bench-trash"


@dataclass
class System:
    """One generator set up on the synthetic content, ready to build."""

    name: str  # key: ours, naive, hugo, zensical
    label: str  # column label in the table
    command: list[str]
    cwd: Path
    out_dir: Path
    record_page: Callable[[str], Path]  # slug → the record's HTML file in out_dir
    # Files a browser downloads for its first search, given the output folder (empty: no search).
    search_files: Callable[[Path], list[Path]] = lambda out: []
    caches: list[Path] = field(default_factory=list)  # removed before each run: builds are cold
    env: dict[str, str] = field(default_factory=dict)
    note: str = ""


@dataclass
class Run:
    seconds: float
    peak_bytes: int
    returncode: int
    stderr_tail: str = ""
    cpu_seconds: float = 0.0  # user + system time of the command and the processes it waited for


def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
    except (FileNotFoundError, ProcessLookupError, PermissionError):
        pass
    return found


def _pss(pid: int) -> int:
    """The process's proportional set size in bytes (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) * 1024
    except (FileNotFoundError, ProcessLookupError, PermissionError, ValueError):
        pass
    return 0


def tree_memory(pid: int) -> int:
    """PSS summed over a process and all its descendants: the memory the tree really holds."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        total += _pss(current)
        stack.extend(_children(current))
    return total


def run_measured(command: list[str], cwd: Path, env: dict[str, str] | None = None) -> Run:
    """Run once; stdout is discarded, stderr kept for the error message."""
    full_env = {**os.environ, **(env or {})}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.wait(SAMPLE_SECONDS):
            peak = max(peak, tree_memory(process.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stderr_chunks: list[bytes] = []
    reader = threading.Thread(target=lambda: stderr_chunks.append(process.stderr.read()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    done.set()
    sampler.join()
    reader.join()
    process.returncode = os.waitstatus_to_exitcode(status)
    stderr = b"".join(stderr_chunks).decode("utf-8", "replace")
    return Run(seconds, max(peak, usage.ru_maxrss * 1024), process.returncode, stderr[-2000:], usage.ru_utime + usage.ru_stime)


def directory_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def gzip_bytes(paths: list[Path]) -> int:
    """What the files weigh on the wire with ordinary gzip (level 6, as web servers use)."""
    return sum(len(gzip.compress(p.read_bytes(), compresslevel=6, mtime=0)) for p in paths)


def set_aside(folder: Path) -> None:
    """Move a folder into the trash beside it (emptied by `empty_trash` after the run)."""
    if folder.exists():
        trash = folder.parent / TRASH
        trash.mkdir(exist_ok=True)
        folder.rename(trash / f"{len(os.listdir(trash))}-{folder.name}")


def empty_trash(root: Path) -> None:
    for trash in root.rglob(TRASH):
        shutil.rmtree(trash, ignore_errors=True)


def clean(system: System) -> None:
    """Make the next build cold: no output, no caches; then flush what earlier builds left to write."""
    for folder in [system.out_dir, *system.caches]:
        set_aside(folder)
    os.sync()


@dataclass
class Measurement:
    system: System
    runs: list[Run] = field(default_factory=list)
    output_bytes: int | None = None
    record_page_bytes: float | None = None
    first_search_bytes: int | None = None
    first_search_note: str = ""
    error: str = ""

    @property
    def seconds(self) -> float | None:
        good = [r.seconds for r in self.runs if r.returncode == 0]
        return statistics.median(good) if good else None

    @property
    def peak_bytes(self) -> int | None:
        good = [r.peak_bytes for r in self.runs if r.returncode == 0]
        return int(statistics.median(good)) if good else None


def build_once(system: System) -> Run:
    """One cold build: output folder and caches removed first."""
    clean(system)
    return run_measured(system.command, system.cwd, system.env)


def read_sizes(result: Measurement, slugs: list[str]) -> None:
    """Sizes from the output of the system's last build."""
    system = result.system
    out = system.out_dir
    result.output_bytes = directory_bytes(out)
    pages = [system.record_page(slug) for slug in slugs]
    missing = [p for p in pages if not p.is_file()]
    if missing:
        result.error = f"{len(missing)} 个项目页缺失，例如 {missing[0]}"
    sizes = [p.stat().st_size for p in pages if p.is_file()]
    result.record_page_bytes = statistics.median(sizes) if sizes else None
    search = system.search_files(out)
    if search:
        result.first_search_bytes = gzip_bytes(search)


def measure_interleaved(systems: list[System], slugs: list[str], runs: int, progress=lambda message: None) -> list[Measurement]:
    """K rounds, each building every system once, so load from other work on a
    shared machine spreads over all systems instead of hitting one; sizes are
    read after each system's last build."""
    results = [Measurement(system) for system in systems]
    for round_index in range(runs):
        for result in results:
            if result.error:
                continue
            system = result.system
            progress(f"第 {round_index + 1}/{runs} 轮：{system.label} …")
            run = build_once(system)
            result.runs.append(run)
            if run.returncode != 0:
                last = run.stderr_tail.strip().splitlines()[-1:] or [""]
                result.error = f"构建失败（退出码 {run.returncode}）：{last[0]}"
            elif round_index == runs - 1:
                read_sizes(result, slugs)
            progress(f"  {run.seconds:.2f} s，峰值 {run.peak_bytes / 1024**2:.0f} MB")
    return results
