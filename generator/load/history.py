"""When each record file last changed: from git history when the project is a repository, else the file's time.

A record page says when it was last changed and the sitemap gives it as
<lastmod>. The commit time is the true answer for a file as committed; a
file with uncommitted changes, or outside any repository, has only its
modification time. Under SOURCE_DATE_EPOCH (reproducible builds) no time is
later than it, so a fresh checkout, whose files are all new, builds the same
site on any day.

One `git log` for all files (not one per file): at 10,000 records a call
per file would take minutes.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path


def last_changed(root: Path, paths: list[str]) -> dict[str, int]:
    """Each path (relative to `root`, as records are displayed) → Unix time of its last change."""
    if not paths:
        return {}
    committed, dirty = _git_times(root, paths)
    times: dict[str, int] = {}
    for path in paths:
        when = committed.get(path) if path not in dirty else None
        if when is None:
            try:
                when = int(os.stat(os.path.join(root, path)).st_mtime)  # no Path per record: 10,000 of them
            except OSError:
                continue
        times[path] = when
    ceiling = _source_date_epoch()
    if ceiling is not None:
        times = {path: min(when, ceiling) for path, when in times.items()}
    return times


def _source_date_epoch() -> int | None:
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    return int(value) if value.isdigit() else None


def _git_times(root: Path, paths: list[str]) -> tuple[dict[str, int], set[str]]:
    """(path → time of the last commit that touched it, paths with uncommitted changes); empty outside git."""
    folders = sorted({os.path.dirname(p) or "." for p in paths})  # as str(Path(p).parent), without a Path per record
    try:
        log = subprocess.run(
            ["git", "-C", str(root), "log", "--format=%x00%ct", "--name-only", "--no-renames", "--relative", "--", *folders],
            capture_output=True, text=True, timeout=60, check=False,
        )
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain=v1", "-z", "--untracked-files=all", "--", *folders],
            capture_output=True, text=True, timeout=60, check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return {}, set()
    if log.returncode != 0 or status.returncode != 0:
        return {}, set()  # not a repository (or no commit yet): file times
    committed: dict[str, int] = {}
    when = 0
    for line in log.stdout.splitlines():
        if line.startswith("\0"):
            when = int(line[1:])
        elif line and line not in committed:
            committed[line] = when  # newest commit first: the first time a path is seen
    # Porcelain paths are relative to the repository's top; ours to root.
    prefix = subprocess.run(["git", "-C", str(root), "rev-parse", "--show-prefix"], capture_output=True, text=True, check=False).stdout.strip()
    dirty = set()
    for item in status.stdout.split("\0"):
        if len(item) > 3:
            path = item[3:]
            dirty.add(path[len(prefix):] if prefix and path.startswith(prefix) else path)
    return committed, dirty
