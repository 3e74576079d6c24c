"""Results of per-record work kept between runs, keyed by everything they depend on.

A record's checks depend only on its bytes, its path (problems name it), the
catalogue vocabulary in site_config.yml and our own code. The key is the
SHA-256 of all four, so a changed file, a renamed file, a changed vocabulary
or an upgraded generator each miss the cache and are checked afresh; an
unchanged file costs one read and one hash. The cache is only ever a
shortcut: a missing, unreadable, corrupt or foreign cache file is ignored
(and rewritten), and a failure to write it never fails the run.

The cache lives in `<repository>/.cache/` (ignored by git). It is a pickle,
like pytest's and mypy's caches: trusted as much as the repository itself.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import pickle
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

from generator.schema.divisions import DIVISIONS_DISTRIBUTION

CACHE_DIR = ".cache"
FORMAT = 1

# The code that decides what a check reports or what a record holds: these packages and modules
# of generator/, every .py file in them (a new check module counts without being listed here).
_CODE = ("errors.py", "text", "load", "schema", "checks", "build/records.py", "build/cache.py")
# The libraries (and data) the checks rely on, by distribution name.
_LIBRARIES = ("pydantic", "pydantic-core", "PyYAML", "OpenCC", DIVISIONS_DISTRIBUTION)


def _code_files() -> list[Path]:
    package = Path(__file__).resolve().parents[1]
    files: list[Path] = []
    for name in _CODE:
        path = package / name
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of our checking code and the versions of the libraries (and data) it relies on."""
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"format {FORMAT}".encode())
    for path in _code_files():
        digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes())
    for library in _LIBRARIES:
        try:
            version = importlib.metadata.version(library)
        except importlib.metadata.PackageNotFoundError:
            version = "-"
        digest.update(f"{library}={version}".encode())
    return digest.hexdigest()


class ResultCache:
    """A dict of key → result, loaded from and saved to one file in one go.

    One file rather than one per record: 10,000 small files cost more to open
    than one pickle costs to read. `save` keeps only the entries this run used
    when `prune` is set (a full run), so deleted records do not pile up.
    """

    def __init__(self, path: Path | None, salt: str) -> None:
        self.path = path
        self.salt = salt
        self._stored: dict[str, Any] = self._read() if path else {}
        self._used: dict[str, Any] = {}
        self._changed = False

    @classmethod
    def for_root(cls, root: Path, name: str, salt: str) -> "ResultCache":
        return cls(root / CACHE_DIR / f"{name}.pickle", salt)

    @classmethod
    def disabled(cls) -> "ResultCache":
        return cls(None, "")

    def __len__(self) -> int:
        """How many results are stored (0 for a disabled, missing or outdated cache)."""
        return len(self._stored)

    def key(self, *parts: bytes | str) -> str:
        digest = hashlib.sha256(self.salt.encode())
        for part in parts:
            data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
            digest.update(len(data).to_bytes(8, "little"))
            digest.update(data)
        return digest.hexdigest()

    def get(self, key: str) -> Any | None:
        value = self._stored.get(key)
        if value is not None:
            self._used[key] = value
        return value

    def put(self, key: str, value: Any) -> None:
        self._used[key] = value
        self._stored[key] = value
        self._changed = True

    def save(self, *, prune: bool) -> None:
        if self.path is None:
            return
        entries = self._used if prune else self._stored
        if not self._changed and len(entries) == len(self._stored):
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
            try:
                with os.fdopen(handle, "wb") as out:
                    pickle.dump((FORMAT, self.salt, entries), out, protocol=pickle.HIGHEST_PROTOCOL)
                os.replace(temporary, self.path)
            except BaseException:
                Path(temporary).unlink(missing_ok=True)
                raise
        except OSError:
            return  # a read-only checkout still checks; it just checks from scratch next time
        self._stored = dict(entries)
        self._changed = False

    def _read(self) -> dict[str, Any]:
        assert self.path is not None
        try:
            with open(self.path, "rb") as source:
                stored_format, salt, entries = pickle.load(source)
        except Exception:  # noqa: BLE001 - missing, truncated, corrupt or from another version: start over
            return {}
        if stored_format != FORMAT or salt != self.salt or not isinstance(entries, dict):
            return {}
        return entries
