"""Writing files so that nothing is ever half-written or lost.

Every file a command writes goes to a temporary file in the target's folder
and is renamed into place when complete: a reader, a crash or a full disk
leaves the old file or the new one, never a truncated mix. `write_new_file`
also refuses to replace a file that already exists.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

try:
    import fcntl
except ImportError:  # not on Windows: abandoned folders are then left for the editor to delete
    fcntl = None  # type: ignore[assignment]

from generator.errors import UserError, printable

def write_atomically(path: Path, content: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename over `path`.

    Never over something that is not a file (a device such as /dev/full, a FIFO, a folder);
    a full disk or a read-only folder is a UserError and leaves the old file as it was.
    """
    with writing_atomically(path) as stream:
        stream.write(content.encode("utf-8") if isinstance(content, str) else content)


@contextmanager
def writing_atomically(path: Path) -> Iterator[BinaryIO]:
    """A stream to write `path` through piece by piece (a file too large to hold in memory),
    renamed into place only when the block ends without an error; as write_atomically."""
    _refuse_special(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            yield stream
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise write_error(path, exc) from None
        raise


def write_new_file(path: Path, content: str | bytes) -> None:
    """Create `path` atomically; refuse to replace anything already there."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_error(path, exc) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.link(temporary, path)  # fails if path exists, unlike os.replace
    except FileExistsError:
        raise UserError(f"{printable(str(path))} 已存在；不会覆盖已有文件") from None
    except OSError as exc:
        raise write_error(path, exc) from None
    finally:
        os.unlink(temporary)


def write_error(path: Path, error: OSError) -> UserError:
    """An OSError while writing, as the editor reads it: what happened, where, and that nothing was lost."""
    return UserError(f"{printable(str(path))}: 无法写入（{os_reason(error)}）；原有文件保持不变")


def os_reason(error: OSError) -> str:
    """What an OSError means, in the editor's words (磁盘已满, 文件系统是只读的 …)."""
    return _REASONS.get(error.errno or 0, error.strerror or str(error))


_REASONS = {
    errno.ENOSPC: "磁盘已满", errno.EDQUOT: "超出磁盘配额", errno.EROFS: "文件系统是只读的",
    errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENAMETOOLONG: "文件名太长",
    errno.EISDIR: "同名的是一个文件夹", errno.ENOTDIR: "路径中有一段不是文件夹", errno.EXDEV: "不在同一个文件系统上",
    errno.EBUSY: "正在使用（挂载点？）", errno.EIO: "磁盘读写错误",
}


def _refuse_special(path: Path) -> None:
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return  # nothing there (or nothing we can see): the write itself will tell
    if stat.S_ISDIR(mode):
        raise UserError(f"{printable(str(path))}: 这是一个文件夹，不能当作文件写入；请给出文件名")
    if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        raise UserError(f"{printable(str(path))}: 不是普通文件（设备、管道或套接字），不会写入；请给出一个普通文件的路径")


def read_regular_file(path: Path, limit: int) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or a UserError saying why not.

    Asked for up front (before opening): /dev/zero never ends, /dev/urandom
    neither, and opening a FIFO waits for a writer. Opened without blocking and
    asked again (the name may have changed meanwhile), then read to the limit
    and no further, whatever the file claims its size is.
    """
    shown = printable(str(path))
    try:
        status = os.stat(path)
    except FileNotFoundError:
        raise UserError(f"{shown}: 找不到文件") from None
    except OSError as exc:
        raise UserError(f"{shown}: 无法读取：{exc.strerror}") from None
    _require_regular(status.st_mode, shown)
    if status.st_size > limit:
        raise UserError(f"{shown}: 文件过大（{status.st_size:,} 字节，上限 {limit:,} 字节）")
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
        try:
            _require_regular(os.fstat(descriptor).st_mode, shown)
            chunks, size = [], 0
            while size <= limit:
                chunk = os.read(descriptor, min(1 << 20, limit + 1 - size))
                if not chunk:
                    break
                chunks.append(chunk)
                size += len(chunk)
        finally:
            os.close(descriptor)
    except OSError as exc:
        raise UserError(f"{shown}: 无法读取：{exc.strerror}") from None
    if size > limit:
        raise UserError(f"{shown}: 文件过大（超过 {limit:,} 字节）")
    return b"".join(chunks)


def _require_regular(mode: int, shown: str) -> None:
    if stat.S_ISDIR(mode):
        raise UserError(f"{shown}: 这是文件夹，请给出一个文件")
    if not stat.S_ISREG(mode):
        raise UserError(f"{shown}: 不是普通文件（设备、管道或套接字），不会读取；请给出一个文本文件")


# Names Windows keeps for devices, with or without an extension (con.yml too): a
# repository holding one cannot be checked out there. Compared in lower case.
WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{digit}" for digit in range(10)), *(f"lpt{digit}" for digit in range(10))]
)
# Characters Windows refuses in a file name (and control characters, which also break a
# `path:line:col` line in a terminal), or a name ending in a dot or a space.
_UNPORTABLE = re.compile(r'[<>:"|?*\\\x00-\x1f\x7f]|[. ]$')
# A byte the file system's name was not valid UTF-8 at (os.fsdecode's surrogateescape).
_UNDECODED = re.compile("[\udc80-\udcff]")


def unportable_name(name: str) -> str | None:
    """Why a file name would break elsewhere (another system, a checkout on Windows), or None."""
    if not name.isascii() and _UNDECODED.search(name):
        raw = os.fsencode(name)
        try:
            decoded = raw.decode("gb18030")
            guess = f"，按 GBK 解读是 “{decoded}”" if decoded.isprintable() else ""
        except UnicodeDecodeError:
            guess = ""
        return (
            f"文件名不是 UTF-8 编码（常见于解压 Windows 上打包的 zip）{guess}；"
            "请在文件管理器中重新命名它（新名字会以 UTF-8 保存）"
        )
    if name.split(".")[0].lower() in WINDOWS_DEVICE_NAMES:
        return f"文件名 {name} 是 Windows 保留的设备名，仓库在 Windows 上无法检出；请改名"
    match = _UNPORTABLE.search(name)
    if match:
        what = match.group()
        shown = "结尾的点或空格" if what in ". " else (f"字符 {what}" if what.isprintable() else f"控制字符 U+{ord(what):04X}")
        return f"文件名含有{shown}，在 Windows 上无法检出；请改名（只用字母、数字、连字符和中文）"
    return None


def undecodable_names(root: Path) -> list[Path]:
    """Files and folders under root whose names are not valid UTF-8 (MkDocs cannot write a page or
    a link for them: UnicodeEncodeError), sorted; symlinked folders are not followed."""
    found = []
    for folder, folders, files in os.walk(root):
        for name in sorted(folders + files):
            if not name.isascii() and _UNDECODED.search(name):
                found.append(Path(folder) / name)
        folders[:] = [name for name in folders if not _UNDECODED.search(name)]
    return sorted(found)


# ---- work folders: temporary folders of ours beside a target, never left behind ----------------


class WorkFolder:
    """A fresh temporary folder in `parent`, locked (flock) for as long as it is open.

    A command writes into one beside its target (a build's staging site, an
    export's files) and renames the result into place. A process killed with
    SIGKILL cannot remove its folder, but the kernel releases its lock:
    `remove_abandoned`, run by the next command that writes there, removes
    every such folder nobody holds, and never one a running command holds.
    Forked workers share the lock (it belongs to the open folder).
    """

    def __init__(self, parent: Path, prefix: str) -> None:
        self.path = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
        self._descriptor: int | None = os.open(self.path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        if fcntl is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_EX)  # a fresh name: nobody else can hold it

    def release(self) -> None:
        """Give up the lock, keeping the folder (it has been renamed into place)."""
        if self._descriptor is not None:
            os.close(self._descriptor)
            self._descriptor = None

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        self.release()

    def __enter__(self) -> WorkFolder:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


# A folder this young may be one another command made a moment ago and is about to lock.
_ABANDONED_AFTER_SECONDS = 2.0


def remove_abandoned(parent: Path, patterns: tuple[str, ...]) -> list[Path]:
    """Remove the folders in `parent` matching `patterns` that no running command holds
    (WorkFolder's lock): what builds and exports killed midway left. Returns what it removed."""
    removed: list[Path] = []
    if fcntl is None:
        return removed  # no way to tell a running command's folder from an abandoned one
    for pattern in patterns:
        for path in sorted(parent.glob(pattern)):
            try:
                status = os.lstat(path)
                if not stat.S_ISDIR(status.st_mode) or time.time() - status.st_mtime < _ABANDONED_AFTER_SECONDS:
                    continue
                descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0))
            except OSError:
                continue
            try:
                fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                continue  # a running command holds it
            else:
                shutil.rmtree(path, ignore_errors=True)
                removed.append(path)
            finally:
                os.close(descriptor)
    return removed
