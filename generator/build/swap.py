"""Putting a new site in place: only over a site we built, in one step, with the old one removed out of the way.

A build writes into a staging folder beside the target and, once everything
is written, swaps it in: a reader (or a crash) sees the old site or the new
one, never a mix. A large previous site is deleted by a detached background
process: at 10,000 records deleting it took 4 s after the new site was
already in place (ext4 mounted with `discard` waits on each delete).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from generator.errors import UserError

# From this many record pages (folders in records/) on, the previous site is deleted in the background.
BACKGROUND_REMOVAL_MIN = 500


def staging_folder(target: Path) -> Path:
    """A fresh folder beside the target to build into (named .<site>.building-…)."""
    return Path(tempfile.mkdtemp(prefix=f".{target.name}.building-", dir=target.parent))


def check_replaceable(target: Path) -> None:
    """Only ever replace an empty folder or a site we built: never someone's other files."""
    if not target.exists():
        return
    if not target.is_dir():
        raise UserError(f"{target}: 已存在同名文件，不是网站目录")
    if any(target.iterdir()) and not (target / "sitemap.xml").exists():
        raise UserError(f"{target}: 目录不为空，也不像之前生成的网站（没有 sitemap.xml），为安全起见不覆盖")


def swap_into_place(staging: Path, target: Path) -> None:
    """Put the new site in place in one atomic step: a reader (or a crash) sees the old site or the new one.

    On Linux renameat2(RENAME_EXCHANGE) swaps the two folders atomically; where
    it is missing we fall back to two renames, which leave a short moment
    with no site at all (but never a mix of old and new pages).

    A large previous site is deleted by a background process: at 10,000
    records deleting it took 4 s after the new site was already in place.
    """
    staging.chmod(0o755)  # mkdtemp makes 0700 folders; a web server must be able to read the site
    if not target.exists():
        staging.rename(target)
        return
    large = _record_pages(target) >= BACKGROUND_REMOVAL_MIN
    if _exchange(staging, target):
        retired = staging  # now holds the previous site
    else:
        retired = _retired_path(target)
        target.rename(retired)
        staging.rename(target)
    if not large:
        shutil.rmtree(retired, ignore_errors=True)
        return
    if retired == staging:  # named .old- so that a removal cut short is finished by the next build
        staging.rename(_retired_path(target))
    # Also whatever an interrupted removal left (never a .building- folder: another build may own it).
    _remove_in_background(sorted(target.parent.glob(f".{target.name}.old-*")))


def _record_pages(site: Path) -> int:
    try:
        with os.scandir(site / "records") as entries:
            return sum(1 for _ in entries)
    except OSError:
        return 0


def _retired_path(target: Path) -> Path:
    """A fresh .<site>.old-… name beside the site (made and removed at once: a name nobody else holds)."""
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=target.parent))
    retired.rmdir()
    return retired


# Removers still running: kept so they can be reaped (a long `showcase serve` builds many times).
_REMOVERS: list[subprocess.Popen] = []
_REMOVER_SCRIPT = "import os, shutil, sys\nos.nice(10)\nfor path in sys.argv[1:]:\n    shutil.rmtree(path, ignore_errors=True)\n"


def _remove_in_background(folders: list[Path]) -> None:
    """Delete folders from a detached, low-priority process that outlives this one."""
    _REMOVERS[:] = [process for process in _REMOVERS if process.poll() is None]
    try:
        _REMOVERS.append(subprocess.Popen(
            [sys.executable, "-I", "-c", _REMOVER_SCRIPT, *map(str, folders)],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        ))
    except OSError:  # no process to spare: delete them here
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths with Linux renameat2(RENAME_EXCHANGE); False where unsupported."""
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    result = renameat2(at_fdcwd, os.fsencode(first), at_fdcwd, os.fsencode(second), rename_exchange)
    return result == 0
