"""Writing files so that nothing is ever half-written or lost.

Every file a command writes goes to a temporary file in the target's folder
and is renamed into place when complete: a reader, a crash or a full disk
leaves the old file or the new one, never a truncated mix. `write_new_file`
also refuses to replace a file that already exists.
"""

from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

from generator.errors import UserError

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
            guess = f"，按 GBK 解读是 “{raw.decode('gb18030')}”"
        except UnicodeDecodeError:
            guess = ""
        return (
            f"文件名不是 UTF-8 编码（常见于解压 Windows 上打包的 zip）{guess}；"
            "请把文件改名为 UTF-8 的名字，如 047-gezhouba-chengshi-huayuan.yml"
        )
    if name.split(".")[0].lower() in WINDOWS_DEVICE_NAMES:
        return f"文件名 {name} 是 Windows 保留的设备名，仓库在 Windows 上无法检出；请改名"
    match = _UNPORTABLE.search(name)
    if match:
        what = match.group()
        shown = "结尾的点或空格" if what in ". " else (f"字符 {what}" if what.isprintable() else f"控制字符 U+{ord(what):04X}")
        return f"文件名含有{shown}，在 Windows 上无法检出；请改名（只用字母、数字、连字符和中文）"
    return None
