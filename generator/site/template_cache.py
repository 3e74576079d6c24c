"""Compiled templates kept between runs, the way Python keeps .pyc files.

Every build compiles the Jinja templates it uses, ours and Material's (about
fifty), from source: some 0.4 s of CPU per build whatever the number of
records, as much as rendering every index page of a 1,000-record site.
Jinja's bytecode cache keeps each compiled template under its name and the
hash of its source, so an edited or upgraded template is compiled afresh.
What is cached depends only on the installed templates, never on the
records, so it lives in the user's cache folder (like pip's), not in the
project's `.cache`.
"""

from __future__ import annotations

import os
from pathlib import Path

import jinja2

# The records cache's switch (generator.build.records.CACHE_SWITCH): "0" compiles every template afresh too.
SWITCH = "SHOWCASE_CACHE"


class _Tolerant(jinja2.FileSystemBytecodeCache):
    """A bytecode cache that never fails a build: a damaged entry or an unwritable folder
    only means the template is compiled, as it would be without the cache."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a truncated or foreign file is a miss
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)  # written to a temporary file and renamed: safe for parallel builds
        except OSError:
            pass


def folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "showcase" / "templates"


def bytecode_cache() -> jinja2.BytecodeCache | None:
    """The cache for a Jinja environment, or None when switched off or the folder cannot be made."""
    if os.environ.get(SWITCH, "1") == "0":
        return None
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _Tolerant(str(where))
