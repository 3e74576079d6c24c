"""Writing files so that nothing is ever half-written or lost.

Every file a command writes goes to a temporary file in the target's folder
and is renamed into place when complete: a reader, a crash or a full disk
leaves the old file or the new one, never a truncated mix. `write_new_file`
also refuses to replace a file that already exists.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from generator.errors import UserError


def write_atomically(path: Path, content: str | bytes) -> None:
    """Write to a temporary file in the same folder, then rename over `path`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_new_file(path: Path, content: str | bytes) -> None:
    """Create `path` atomically; refuse to replace anything already there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content.encode("utf-8") if isinstance(content, str) else content)
        os.link(temporary, path)  # fails if path exists, unlike os.replace
    except FileExistsError:
        raise UserError(f"{path} 已存在；不会覆盖已有文件") from None
    finally:
        os.unlink(temporary)
