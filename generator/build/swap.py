"""Putting a new site in place: only over a site we built, in one step, with the old one removed out of the way.

A build writes into a staging folder beside the target and, once everything
is written, swaps it in: a reader (or a crash) sees the old site or the new
one, never a mix. A large previous site is deleted by a detached background
process: at 10,000 records deleting it took 4 s after the new site was
already in place (ext4 mounted with `discard` waits on each delete).

Only a folder our build made is ever replaced: every site carries a marker
file (`MARKER`), written by the build, and a non-empty folder without it is
refused whatever it holds (a sitemap.xml proves nothing). Staging folders
are locked while their build runs (generator.files.WorkFolder), so the
ones a killed build left are removed by the next build (`remove_abandoned`),
never one another build is writing.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from generator.errors import UserError, printable
from generator.files import WorkFolder, remove_abandoned

# From this many record pages (folders in records/) on, the previous site is deleted in the background.
BACKGROUND_REMOVAL_MIN = 500


# Written into every site a build makes; its presence is what lets a later build replace the folder.
MARKER = ".showcase-site"
MARKER_TEXT = "这个文件夹由 showcase build 生成，每次生成时整个替换；请不要在这里存放其他文件。\n"


def staging_folder(target: Path) -> WorkFolder:
    """A fresh, locked folder beside the target to build into (named .<site>.building-…)."""
    return WorkFolder(target.parent, f".{target.name}.building-")


def work_patterns(target: Path) -> tuple[str, ...]:
    """The names of the folders builds make beside `target`: staging, search index, retired sites."""
    return (f".{target.name}.building-*", f".{target.name}.search-*", f".{target.name}.old-*")


def remove_abandoned_work(target: Path) -> list[Path]:
    """What killed builds left beside `target` (only folders no running build holds)."""
    return remove_abandoned(target.parent, work_patterns(target))


def mark(site: Path) -> None:
    (site / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def check_replaceable(target: Path) -> None:
    """Only ever replace an empty folder or a site we built (it has our MARKER): never someone's
    other files, never a mount point (it cannot be renamed)."""
    shown = printable(str(target))
    if not target.exists():
        return
    if not target.is_dir():
        raise UserError(f"{shown}: 已存在同名文件，不是网站目录；请换一个 --out 文件夹")
    if os.path.ismount(target):
        raise UserError(f"{shown}: 这是一个挂载点，不能整体替换；请用它里面的一个子文件夹，如 {shown}/site")
    try:
        empty = not any(target.iterdir())
    except OSError as exc:
        raise UserError(f"{shown}: 无法读取这个文件夹（{exc.strerror}）") from None
    if not empty and not (target / MARKER).is_file():
        raise UserError(
            f"{shown}: 文件夹不为空，又不是本程序生成的网站（没有标记文件 {MARKER}），为免删掉其中的文件，不覆盖；"
            "请换一个空文件夹或新的路径（若这是旧版本生成的网站，请删除后重新生成）"
        )


def swap_into_place(staging: Path, target: Path, keep: Callable[[Path | None], None] | None = None) -> None:
    """Put the new site in place in one atomic step: a reader (or a crash) sees the old site or the new one.

    `keep` is called once the new site is in place, with the retired site's
    folder (None when there was none), before that is removed: what it moves
    out survives (generator.build.photos keeps the old media/ as a spare).

    On Linux renameat2(RENAME_EXCHANGE) swaps the two folders atomically; where
    it is missing we fall back to two renames, which leave a short moment
    with no site at all (but never a mix of old and new pages).

    A large previous site is deleted by a background process: at 10,000
    records deleting it took 4 s after the new site was already in place.
    """
    staging.chmod(0o755)  # mkdtemp makes 0700 folders; a web server must be able to read the site
    if not target.exists():
        staging.rename(target)
        if keep is not None:
            keep(None)
        return
    large = _record_pages(target) >= BACKGROUND_REMOVAL_MIN
    if _exchange(staging, target):
        retired = staging  # now holds the previous site
    else:
        retired = _retired_path(target)
        target.rename(retired)
        staging.rename(target)
    if keep is not None:
        keep(retired)
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
