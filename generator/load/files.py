"""Which files are records, and reading one safely.

Records are the `.yml`/`.yaml` files of projects/ (or the paths given on the
command line, folders expanded); names starting with a dot are editors' and
tools' files, not records. Reading never follows a symlink, never opens
anything but a regular file (a FIFO or device named *.yml would hang or never
end) and never reads more than MAX_BYTES.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

from generator.errors import Problem

RECORD_SUFFIXES = (".yml", ".yaml")
# A real record is under 5 KB. 200 KB leaves 40× room and keeps the pure-Python
# YAML parser well under a second on the worst file that size (bench/hostile.py).
MAX_BYTES = 200_000

# What identifies a file's version for "unchanged since last time": size, modification time, inode.
Signature = tuple[int, int, int]


def is_record_name(name: str) -> bool:
    return name.endswith(RECORD_SUFFIXES) and not name.startswith(".")


def record_files(roots: list[Path]) -> list[Path]:
    """The record files under the given paths: folders are expanded (sorted), files kept as given."""
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            found = _flat_listing(root)
            if found is None:
                found = sorted(p for p in root.rglob("*") if is_record_name(p.name))
            files.extend(found)
        else:
            files.append(root)
    return files


def _flat_listing(root: Path) -> list[Path] | None:
    """What the rglob above finds when the folder has no subfolders (the usual projects/), in a
    fraction of the time; None when there are subfolders to walk."""
    names = []
    try:
        with os.scandir(root) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    return None
                names.append(entry.name)
    except OSError:
        return None
    return [root / name for name in sorted(names) if is_record_name(name)]


def signature(path: Path) -> Signature | None:
    try:
        status = path.stat()
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def missing(path: Path, known: Signature | None) -> bool:
    """No such file (a dangling link is not missing: read_source reports it as a link)."""
    return known is None and not path.exists() and not path.is_symlink()


# The errors pathlib's is_symlink() and is_file() take for "no such file" (pathlib._IGNORED_ERRNOS).
_NO_SUCH_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


def _too_large(display: str, size: int) -> Problem:
    return Problem(display, 1, 1, "E109", f"文件过大（{size:,} 字节，上限 {MAX_BYTES:,}）；一条记录通常只有几 KB")


def read_source(path: Path, display: str) -> tuple[bytes | None, list[Problem]]:
    """The file's bytes, or (None, the reason it cannot be read)."""
    try:
        # One lstat answers what is_symlink(), is_file() and stat() would (10,000 files: it adds up).
        try:
            status: os.stat_result | None = os.lstat(path)
        except OSError as exc:
            if exc.errno not in _NO_SUCH_FILE:
                raise
            status = None  # pathlib's is_symlink() and is_file() answer False to these
        if status is not None and stat.S_ISLNK(status.st_mode):
            return None, [Problem(display, 1, 1, "E108", "记录不能是符号链接；请把文件本身放进 projects/")]
        if status is None or not stat.S_ISREG(status.st_mode):  # a folder, FIFO or device named *.yml; reading a FIFO would hang
            return None, [Problem(display, 1, 1, "E108", "不是普通文件；记录必须是 .yml 文本文件")]
        if status.st_size > MAX_BYTES:
            return None, [_too_large(display, status.st_size)]
        with open(path, "rb") as source:
            raw = source.read(MAX_BYTES + 1)  # bounded: a file that grew since the lstat is not read on and on
        if len(raw) > MAX_BYTES:
            return None, [_too_large(display, len(raw))]
        return raw, []
    except OSError as exc:
        return None, [Problem(display, 1, 1, "E108", f"无法读取文件：{exc.strerror}")]
