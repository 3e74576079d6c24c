"""Make Pagefind's output byte-identical across runs.

Pagefind 1.5 writes each filter file's values, and the list of filter files
in its metadata file, in hash-map order, which changes from run to run. Every
other file (index chunks, fragments, scripts) is already stable. Here we sort
those lists, re-compress without timestamps, and rename the rewritten files by
their content, patching the references (filter files → metadata file →
pagefind-entry.json).

The files are gzip-compressed "pagefind_dcd" + CBOR. The small CBOR codec
below covers what Pagefind writes (integers, strings, arrays, maps); each
file is first checked to re-encode to the exact bytes we read, and if any
does not, nothing is changed (`canonicalize` returns False) — a Pagefind
upgrade can then cost determinism but never a broken index.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import struct
from pathlib import Path
from typing import Any

MAGIC = b"pagefind_dcd"


class _Unsupported(Exception):
    pass


# ---- CBOR (subset) ----------------------------------------------------------


def _decode(data: bytes, pos: int = 0) -> tuple[Any, int]:
    head = data[pos]
    major, info = head >> 5, head & 0x1F
    pos += 1
    if info < 24:
        arg = info
    elif info in (24, 25, 26, 27):
        size = 1 << (info - 24)
        arg = int.from_bytes(data[pos : pos + size], "big")
        pos += size
    else:
        raise _Unsupported(f"CBOR additional info {info}")
    if major == 0:
        return arg, pos
    if major == 1:
        return -1 - arg, pos
    if major == 2:
        return bytes(data[pos : pos + arg]), pos + arg
    if major == 3:
        return data[pos : pos + arg].decode("utf-8"), pos + arg
    if major == 4:
        items = []
        for _ in range(arg):
            item, pos = _decode(data, pos)
            items.append(item)
        return items, pos
    if major == 5:
        pairs = []
        for _ in range(arg):
            key, pos = _decode(data, pos)
            value, pos = _decode(data, pos)
            pairs.append((key, value))
        return _Map(pairs), pos
    raise _Unsupported(f"CBOR major type {major}")


class _Map(list):
    """A CBOR map kept as ordered pairs, so re-encoding keeps the original order."""


def _head(major: int, arg: int) -> bytes:
    if arg < 24:
        return bytes([major << 5 | arg])
    for info, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if arg < 1 << (8 * size):
            return bytes([major << 5 | info]) + arg.to_bytes(size, "big")
    raise _Unsupported("integer too large")


def _encode(value: Any) -> bytes:
    if isinstance(value, bool) or value is None or isinstance(value, float):
        raise _Unsupported(type(value).__name__)
    if isinstance(value, int):
        return _head(0, value) if value >= 0 else _head(1, -1 - value)
    if isinstance(value, bytes):
        return _head(2, len(value)) + value
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _head(3, len(raw)) + raw
    if isinstance(value, _Map):
        return _head(5, len(value)) + b"".join(_encode(k) + _encode(v) for k, v in value)
    if isinstance(value, list):
        return _head(4, len(value)) + b"".join(_encode(v) for v in value)
    raise _Unsupported(type(value).__name__)


# ---- files ------------------------------------------------------------------


def _read(path: Path) -> Any:
    raw = gzip.decompress(path.read_bytes())
    if not raw.startswith(MAGIC):
        raise _Unsupported(f"{path.name}: not a Pagefind data file")
    body = raw[len(MAGIC) :]
    value, end = _decode(body)
    if end != len(body) or _encode(value) != body:
        raise _Unsupported(f"{path.name}: does not round-trip")
    return value


def _write(directory: Path, prefix: str, suffix: str, hash_length: int, value: Any) -> str:
    """Write gzip(MAGIC + CBOR) named by its content; returns the new hash ("und_1a2b3c4")."""
    raw = MAGIC + _encode(value)
    digest = prefix + hashlib.sha256(raw).hexdigest()[:hash_length]
    compressed = gzip.compress(raw, compresslevel=9, mtime=0)
    (directory / f"{digest}{suffix}").write_bytes(compressed)
    return digest


def canonicalize(bundle: Path) -> bool:
    """Sort the unordered lists in a Pagefind bundle in place. False if the format was not understood."""
    entry_path = bundle / "pagefind-entry.json"
    try:
        entry = json.loads(entry_path.read_text(encoding="utf-8"))
        plans = []
        for language, info in entry["languages"].items():
            meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
            meta = _read(meta_path)
            filters = meta[3]
            if not (isinstance(filters, list) and all(isinstance(f, list) and len(f) == 2 for f in filters)):
                raise _Unsupported("unexpected metadata layout")
            filter_files = [(key, bundle / "filter" / f"{digest}.pf_filter") for key, digest in filters]
            contents = [(key, path, _read(path)) for key, path in filter_files]
            plans.append((language, info, meta_path, meta, contents))
    except (_Unsupported, OSError, KeyError, IndexError, ValueError, struct.error):
        return False

    for language, info, meta_path, meta, contents in plans:
        new_filters = []
        for key, path, content in contents:
            name, values = content
            content = [name, sorted(values, key=lambda pair: pair[0])]
            path.unlink()
            prefix, length = _hash_shape(path.name.removesuffix(".pf_filter"))
            new_filters.append([key, _write(path.parent, prefix, ".pf_filter", length, content)])
        meta[3] = sorted(new_filters)
        meta_path.unlink()
        prefix, length = _hash_shape(info["hash"])
        info["hash"] = _write(bundle, "pagefind." + prefix, ".pf_meta", length, meta).removeprefix("pagefind.")
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
    return True


def _hash_shape(digest: str) -> tuple[str, int]:
    """'und_4377d2d' → ('und_', 7): keep Pagefind's naming so its loader finds the files."""
    prefix, _, tail = digest.rpartition("_")
    return prefix + "_", len(tail)
