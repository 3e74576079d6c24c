"""Index a built site: a static, sharded search index + the search UI, written into the site folder.

`index_site` runs after the pages are written and before the staging folder
replaces the live site, so a failed indexing run leaves the previous site
(and its search) in place like any other failed build.

The index (BUNDLE_DIR) is a few thousand small gzip files, so that a search
downloads only what its query needs:

    index.json            manifest: record count, shard count, class regions, version
    s/<n>.bin             shard n: every key whose key_hash % shards == n, with its
                          posting inline, or a pointer to k/ when the posting is large
    k/<code points>.bin   one large posting (a frequent bigram: 小区, 业委)
    m/<n>.json            display metadata of records n*CHUNK … (url, name, headline, place…)
    t/<n>.json            normalized text of records n*TEXT_CHUNK …, for excerpts on /search/
    filters.json          filter values (province, theme, series) and their records

Files hold gzip data (search.js inflates them with DecompressionStream), so
any static host serves them compressed; the names carry no hash and
search.js asks for them with ?v=<version> so a new build is never mixed with
a cached old one. See postings.py for the posting format.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.catalogue import Catalogue, Entry
from generator.errors import UserError
from generator.search.documents import CLASS_PLACE, FILTER_KEYS, SearchDocument, record_document
from generator.search.postings import Postings, build_postings
from generator.search.synonyms import SYNONYM_GROUPS
from generator.search.tokens import key_hash, normalize

ASSETS_DIR = Path(__file__).parent / "assets"
UI_DIR = "assets/search"  # our search box script and styles, relative to the site root
BUNDLE_DIR = "assets/search/index"  # the index, relative to the site root
UI_FILES = ("search.js", "search.css")
SYNONYMS_PLACEHOLDER = "/*@synonyms*/[]"
FORMAT = 1  # bump when the file layout changes (search.js checks it)

META_CHUNK = 32  # records per metadata file
TEXT_CHUNK = 4  # records per text file (only the /search/ page loads them, for excerpts)
SHARD_TARGET_BYTES = 4096  # aim for shards of about this size before gzip
HEAVY_BYTES = 2048  # postings larger than this get a file of their own
MAX_SHARDS = 4096
GZIP_LEVEL = 6


@dataclass(frozen=True)
class SearchStats:
    pages: int  # records indexed (published, or all with drafts)
    words: int  # distinct keys (bigrams, characters, word prefixes)
    files: int  # files in the index
    bytes: int  # size of the index on disk (gzip)
    seconds: float
    deterministic: bool = True  # always: the output depends only on the records


def default_record_url(entry: Entry) -> str:
    from generator.site.urls import record_url

    return record_url(entry.slug)


def index_site(
    site_dir: Path,
    catalogue: Catalogue,
    *,
    record_url: Callable[[Entry], str] = default_record_url,
) -> SearchStats:
    """Index every record the catalogue publishes into `site_dir`/BUNDLE_DIR and add the search UI.

    `record_url` gives a record page's site-root relative directory URL
    (default: generator.site.urls.record_url). The output depends only on the
    records, so two runs on the same records write identical files.
    """
    started = time.perf_counter()
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise UserError(f"{site_dir}: 网站目录不存在，无法建立搜索索引")
    documents = [record_document(entry, catalogue, record_url(entry)) for entry in catalogue.visible]
    bundle = site_dir / BUNDLE_DIR
    if bundle.exists():
        shutil.rmtree(bundle)
    writer = _Writer(bundle)
    postings = build_postings(documents)
    shards = _write_postings(writer, postings)
    _write_records(writer, documents)
    _write_filters(writer, documents)
    manifest = {
        "format": FORMAT,
        "records": len(documents),
        "shards": shards,
        "chunk": META_CHUNK,
        "textChunk": TEXT_CHUNK,
        "regions": postings.regions,
        "ridBytes": postings.rid_bytes,
        "posBytes": postings.pos_bytes,
        "version": writer.digest.hexdigest()[:16],
    }
    (bundle / "index.json").write_text(json.dumps(manifest, separators=(",", ":")) + "\n", encoding="utf-8")
    _install_ui(site_dir / UI_DIR)
    return SearchStats(
        pages=len(documents),
        words=len(postings.payloads),
        files=writer.files + 1,
        bytes=writer.bytes,
        seconds=time.perf_counter() - started,
    )


class _Writer:
    """Writes gzip files (no timestamps) under the bundle and hashes them in write order for the version."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.digest = hashlib.sha256()
        self.files = 0
        self.bytes = 0
        self._made: set[str] = set()

    def write(self, name: str, data: bytes) -> None:
        folder = name.rpartition("/")[0]
        if folder not in self._made:
            (self.root / folder).mkdir(parents=True, exist_ok=True)
            self._made.add(folder)
        packed = gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0)
        (self.root / name).write_bytes(packed)
        self.digest.update(name.encode() + b"\0" + data)
        self.files += 1
        self.bytes += len(packed)


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


def heavy_name(key: str) -> str:
    """File of a large posting: k/ + the key's code points in hex (search.js builds the same name)."""
    return "k/" + "-".join(f"{ord(c):x}" for c in key) + ".bin"


def _write_postings(writer: _Writer, postings: Postings) -> int:
    """Shards and large postings; returns the shard count."""
    payloads = postings.payloads
    inline = sum(len(p) for p in payloads.values() if len(p) <= HEAVY_BYTES)
    shards = 1
    while shards < MAX_SHARDS and shards * SHARD_TARGET_BYTES < inline:
        shards *= 2
    buckets: list[list[str]] = [[] for _ in range(shards)]
    for key in sorted(payloads):
        buckets[key_hash(key) % shards].append(key)
    for n, keys in enumerate(buckets):
        out = bytearray()
        _varint(len(keys), out)
        for key in keys:
            payload = payloads[key]
            _varint(len(key), out)
            for char in key:
                _varint(ord(char), out)
            heavy = len(payload) > HEAVY_BYTES
            out.append(1 if heavy else 0)
            _varint(len(payload), out)
            if heavy:
                writer.write(heavy_name(key), payload)
            else:
                out += payload
        writer.write(f"s/{n}.bin", bytes(out))
    return shards


def _write_records(writer: _Writer, documents: list[SearchDocument]) -> None:
    """Display metadata in chunks of META_CHUNK records, and each record's text for excerpts."""
    for start in range(0, max(len(documents), 1), META_CHUNK):
        chunk = [{"url": doc.url, **doc.meta} for doc in documents[start : start + META_CHUNK]]
        writer.write(f"m/{start // META_CHUNK}.json", _json(chunk))
    for start in range(0, len(documents), TEXT_CHUNK):
        # Name, headline and place are shown above the excerpt: the excerpt comes from the rest.
        bodies = [
            "\n".join(normalize(text) for text, field_class in doc.fields if field_class < CLASS_PLACE)
            for doc in documents[start : start + TEXT_CHUNK]
        ]
        writer.write(f"t/{start // TEXT_CHUNK}.json", _json(bodies))


def _write_filters(writer: _Writer, documents: list[SearchDocument]) -> None:
    """{key: [[value, [record id deltas…]], …]}: the records of every filter value."""
    table: dict[str, list] = {}
    for key in FILTER_KEYS:
        members: dict[str, list[int]] = {}
        for rid, doc in enumerate(documents):
            for value in doc.filters.get(key, []):
                members.setdefault(value, []).append(rid)
        table[key] = [[value, [b - a for a, b in zip([0, *rids], rids)]] for value, rids in sorted(members.items())]
    writer.write("filters.json", _json(table))


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


def _install_ui(target: Path) -> None:
    """Copy the search UI, with the synonym table filled into the script."""
    target.mkdir(parents=True, exist_ok=True)
    for name in UI_FILES:
        text = (ASSETS_DIR / name).read_text(encoding="utf-8")
        if name == "search.js":
            if SYNONYMS_PLACEHOLDER not in text:
                raise AssertionError("search.js lost its synonyms placeholder")
            groups = json.dumps([list(g) for g in SYNONYM_GROUPS], ensure_ascii=False, separators=(",", ":"))
            text = text.replace(SYNONYMS_PLACEHOLDER, groups)
        (target / name).write_text(text, encoding="utf-8")

