"""Which files are records, and reading one safely.

Records are the `.yml`/`.yaml` files of projects/ (or the paths given on the
command line, folders expanded), the suffix in any case (`.YML` is what some
Windows tools save). Names starting with a dot are editors' and tools' files,
not records: they are not read, and the listing names them (`hidden`) so
that the checker can say so, except editors' lock files (`.#…`) and macOS's
resource forks (`._…`), which are never records. Reading never follows a
symlink, never opens anything but a regular file (a FIFO or device named
*.yml would hang or never end) and never reads more than MAX_BYTES.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from generator.errors import Problem

RECORD_SUFFIXES = (".yml", ".yaml")
# A real record is under 5 KB. 200 KB leaves 40× room and keeps the pure-Python
# YAML parser well under a second on the worst file that size (bench/hostile.py).
MAX_BYTES = 200_000

# What identifies a file's version for "unchanged since last time": size, modification time, inode.
Signature = tuple[int, int, int]


def _record_suffix(name: str) -> bool:
    return name.endswith(RECORD_SUFFIXES) or name.lower().endswith(RECORD_SUFFIXES)


def is_record_name(name: str) -> bool:
    return _record_suffix(name) and not name.startswith(".")


def is_hidden_record_name(name: str) -> bool:
    """A record's name with a dot in front: not read, but worth a word (lock files and forks excepted)."""
    return name.startswith(".") and not name.startswith((".#", "._")) and _record_suffix(name)


def record_files(roots: list[Path], hidden: list[Path] | None = None) -> list[Path]:
    """The record files under the given paths: folders are expanded (sorted), files kept as given.

    Files in folders that are hidden record names (is_hidden_record_name) go to `hidden`, when given.
    """
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            found = _flat_listing(root, hidden)
            if found is None:
                found = []
                for path in sorted(root.rglob("*")):
                    if is_record_name(path.name):
                        found.append(path)
                    elif hidden is not None and is_hidden_record_name(path.name):
                        hidden.append(path)
            files.extend(found)
        else:
            files.append(root)
    return files


def _flat_listing(root: Path, hidden: list[Path] | None) -> list[Path] | None:
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
    names.sort()
    if hidden is not None:
        hidden.extend(root / name for name in names if name[0] == "." and is_hidden_record_name(name))
    return [root / name for name in names if is_record_name(name)]


def signature(path: Path) -> Signature | None:
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino)


# The errors lstat() gives for "no such file" (pathlib._IGNORED_ERRNOS).
_NO_SUCH_FILE = frozenset({errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP})


@dataclass
class SourceRead:
    """One record file as read: its bytes and signature, or why it could not be read, or `missing`."""

    raw: bytes | None = None
    problems: list[Problem] = field(default_factory=list)
    signature: Signature | None = None

    @property
    def missing(self) -> bool:
        return self.raw is None and not self.problems


def _too_large(display: str, size: int) -> Problem:
    return Problem(display, 1, 1, "E109", f"文件过大（{size:,} 字节，上限 {MAX_BYTES:,}）；一条记录通常只有几 KB")


def read_source(path: Path | str, display: str) -> SourceRead:
    """The file's bytes and signature, or the reason it cannot be read; `missing` when there is no such file.

    One lstat answers "link? regular file? how large? changed since?" (at
    10,000 files pathlib's separate calls added up); the file is opened with
    O_NOFOLLOW, so a link put in its place meanwhile is not followed either.
    """
    name = os.fspath(path)
    try:
        try:
            status = os.lstat(name)
        except OSError as exc:
            if exc.errno in _NO_SUCH_FILE:
                return SourceRead()
            raise
        if stat.S_ISLNK(status.st_mode):
            return SourceRead(problems=[Problem(display, 1, 1, "E108", "记录不能是符号链接；请把文件本身放进 projects/")])
        if not stat.S_ISREG(status.st_mode):  # a folder, FIFO or device named *.yml; reading a FIFO would hang
            return SourceRead(problems=[Problem(display, 1, 1, "E108", "不是普通文件；记录必须是 .yml 文本文件")])
        if status.st_size > MAX_BYTES:
            return SourceRead(problems=[_too_large(display, status.st_size)])
        descriptor = os.open(name, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            raw = b""
            while len(raw) <= MAX_BYTES:  # bounded: a file that grows meanwhile is not read on and on
                chunk = os.read(descriptor, MAX_BYTES + 1 - len(raw))
                if not chunk:
                    break
                raw += chunk
        finally:
            os.close(descriptor)
        if len(raw) > MAX_BYTES:
            return SourceRead(problems=[_too_large(display, len(raw))])
        return SourceRead(raw, signature=(status.st_size, status.st_mtime_ns, status.st_ino))
    except OSError as exc:
        return SourceRead(problems=[Problem(display, 1, 1, "E108", f"无法读取文件：{exc.strerror}")])
