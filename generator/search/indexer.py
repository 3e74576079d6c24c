"""Index a built site: a static, sharded search index + the search UI, written into the site folder.

`index_site` runs after the pages are written and before the staging folder
replaces the live site, so a failed indexing run leaves the previous site
(and its search) in place like any other failed build.

The index (BUNDLE_DIR) is a few thousand small gzip files, so that a search
downloads only what its query needs:

    index.json            manifest: record count, shard count, class regions, large keys, version
    s/<n>.bin             shard n: every key whose key_hash % shards == n, with its
                          posting inline, or a pointer to k/ when the posting is large
    y/<g>.bin             synonym group g (synonyms.py): the entries of every key inside
                          the group's words, as in their shards (one request for them all)
    k/<code points>.bin   one large posting (a frequent bigram: 小区, 业委)
                          s/, y/ and k/ files end with the m/ metadata of their keys'
                          lead records (leads.py): a query's first screen comes with its keys
    m/<n>.json            display metadata of records n*CHUNK … (url, name, headline, place…)
    t/<n>.json            the own sentences of records n*TEXT_CHUNK … as written, for excerpts on /search/
    filters.json          filter values (province, theme, series) and their records
    t2s.json              traditional → simplified characters, applied to every query
    pinyin.json           syllable → characters, and
    suggest.json          words worth suggesting: read after a query found nothing (suggestions.py)

Files hold gzip data (search.js inflates them with DecompressionStream), so
any static host serves them compressed; the names carry no hash and
search.js asks for them with ?v=<version> so a new build is never mixed with
a cached old one. See postings.py for the posting format.

Measured against the search of a plain MkDocs + Material site (bench/): the
first search there downloads the whole lunr index (9.7 MB gzip at 10,000
records), here 20–110 KB (bench/results.md; Chromium-timed first results
well under 100 ms).
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable

from generator.catalogue import Catalogue, Entry
from generator.present import urls
from generator.present.pages import Page
from generator.errors import UserError
from generator.search.documents import FILTER_KEYS, SearchDocument, record_document
from generator.search.packing import gzip_bytes
from generator.search.postings import Postings, build_postings
from generator.search.suggestions import PINYIN_TABLE, t2s_table, vocabulary
from generator.search.synonyms import SYNONYM_GROUPS, group_keys
from generator.search.tokens import key_hash

ASSETS_DIR = Path(__file__).parent / "assets"
UI_DIR = "assets/search"  # our search box script and styles, relative to the site root
BUNDLE_DIR = "assets/search/index"  # the index, relative to the site root
UI_FILES = ("search.js", "search.css")
SYNONYMS_PLACEHOLDER = "/*@synonyms*/[]"
FORMAT = 4  # bump when the file layout changes (search.js checks it); 3: 95% is a word, t2s/pinyin/suggest, passages; 4: leads

META_CHUNK = 32  # records per metadata file
TEXT_CHUNK = 8  # records per text file (only the /search/ page loads them, for excerpts)
# Files are few enough to write quickly (each costs a file creation, and at
# 10,000 records the index was a quarter of the site's files) and small
# enough that a query downloads little: a shard of ~32 KB (before gzip, ~12 KB
# after) per key, plus the key's own file when its posting is larger than 16 KB.
SHARD_TARGET_BYTES = 32768
HEAVY_BYTES = 16384
MAX_SHARDS = 4096


@dataclass(frozen=True)
class SearchStats:
    pages: int  # records indexed (published, or all with drafts)
    words: int  # distinct keys (bigrams, characters, word prefixes)
    files: int  # files in the index
    bytes: int  # size of the index on disk (gzip)
    seconds: float


def default_record_url(entry: Entry) -> str:
    return urls.record_url(entry.slug)


def index_site(
    site_dir: Path,
    catalogue: Catalogue,
    *,
    record_url: Callable[[Entry], str] = default_record_url,
) -> SearchStats:
    """Index every record the catalogue publishes into `site_dir`/BUNDLE_DIR and add the search UI.

    `record_url` gives a record page's site-root relative directory URL
    (default: generator.present.urls.record_url). The output depends only on the
    records, so two runs on the same records write identical files.
    """
    site_dir = Path(site_dir)
    if not site_dir.is_dir():
        raise UserError(f"{site_dir}: 网站目录不存在，无法建立搜索索引")
    stats = write_bundle(site_dir / BUNDLE_DIR, catalogue, record_url=record_url)
    install_ui(site_dir)
    return stats


def write_bundle(
    bundle: Path,
    catalogue: Catalogue,
    *,
    record_url: Callable[[Entry], str] = default_record_url,
) -> SearchStats:
    """Write the index files of every record the catalogue publishes into the folder `bundle` (replaced)."""
    started = time.perf_counter()
    documents = [record_document(entry, catalogue, record_url(entry)) for entry in catalogue.visible]
    postings = build_postings(documents)
    if bundle.exists():
        shutil.rmtree(bundle)
    bundle.mkdir(parents=True)
    metadata = _record_metadata(documents)
    shards, posting_files = _posting_files(postings, metadata)
    files = posting_files.shards + posting_files.heavy
    files += _metadata_files(metadata) + [_filters_file(documents)] + _text_files(documents)
    files += [
        ("t2s.json", _json(t2s_table())),
        ("pinyin.json", PINYIN_TABLE.read_bytes()),
        ("suggest.json", _json(vocabulary(catalogue))),
    ]
    written = write_files(bundle, files)
    manifest = {
        "format": FORMAT,
        "records": len(documents),
        "shards": shards,
        "chunk": META_CHUNK,
        "textChunk": TEXT_CHUNK,
        "regions": postings.regions,
        "ridBytes": postings.rid_bytes,
        "posBytes": postings.pos_bytes,
        # Keys with a file of their own: a search fetches those at once, without asking their shard first.
        "heavy": posting_files.heavy_keys,
        "synonyms": len(SYNONYM_GROUPS),  # y/ files, one a group (search.js reads them only if it knows as many)
        "version": hashlib.sha256(b"".join(name.encode() + b"\0" + digest for name, digest, _ in sorted(written))).hexdigest()[:16],
    }
    (bundle / "index.json").write_text(json.dumps(manifest, separators=(",", ":")) + "\n", encoding="utf-8")
    return SearchStats(
        pages=len(documents),
        words=len(postings.payloads),
        files=len(written) + 1,
        bytes=sum(size for _, _, size in written),
        seconds=time.perf_counter() - started,
    )


File = tuple[str, bytes]  # (name under the bundle, data before gzip)


def write_files(bundle: Path, files: list[File]) -> list[tuple[str, bytes, int]]:
    """Write gzip files (no timestamps); returns (name, sha256 of the data, bytes written) for each."""
    made: set[str] = set()
    written = []
    for name, data in files:
        folder = name.rpartition("/")[0]
        if folder not in made:
            (bundle / folder).mkdir(parents=True, exist_ok=True)
            made.add(folder)
        packed = gzip_bytes(data)
        (bundle / name).write_bytes(packed)
        written.append((name, hashlib.sha256(data).digest(), len(packed)))
    return written


def _varint(value: int, out: bytearray) -> None:
    while value >= 0x80:
        out.append(value & 0x7F | 0x80)
        value >>= 7
    out.append(value)


class _CodePoints(dict):
    """Character → its code point as varint bytes, worked out once a character: the shard files
    name some 44,000 keys at 10,000 records, of a few thousand distinct characters."""

    def __missing__(self, char: str) -> bytes:
        out = bytearray()
        _varint(ord(char), out)
        self[char] = value = bytes(out)
        return value


_CODE_POINTS = _CodePoints()


def heavy_name(key: str) -> str:
    """File of a large posting: k/ + the key's code points in hex (search.js builds the same name)."""
    return "k/" + "-".join(f"{ord(c):x}" for c in key) + ".bin"


@dataclass
class _PostingFiles:
    shards: list[tuple[str, bytes]]  # (name, data) of every shard and synonym group file
    heavy: list[tuple[str, bytes]]  # (name, data) of every large posting's own file
    heavy_keys: list[str]  # their keys, sorted


def _posting_files(postings: Postings, metadata: list[str]) -> tuple[int, _PostingFiles]:
    """The shard count, and the shard, synonym group and large posting files' contents."""
    payloads = postings.payloads
    inline = sum(len(p) for p in payloads.values() if len(p) <= HEAVY_BYTES)
    shards = 1
    while shards < MAX_SHARDS and shards * SHARD_TARGET_BYTES < inline:
        shards *= 2
    buckets: list[list[str]] = [[] for _ in range(shards)]
    for key in sorted(payloads):
        buckets[key_hash(key) % shards].append(key)
    files = _PostingFiles(shards=[], heavy=[], heavy_keys=sorted(key for key, payload in payloads.items() if len(payload) > HEAVY_BYTES))
    for n, keys in enumerate(buckets):
        files.shards.append((f"s/{n}.bin", _entries(keys, payloads) + _leads(_inline(keys, payloads), postings, metadata)))
    for g, group in enumerate(SYNONYM_GROUPS):
        keys = [key for key in group_keys(group) if key in payloads]
        files.shards.append((f"y/{g}.bin", _entries(keys, payloads) + _leads(_inline(keys, payloads), postings, metadata)))
    for key in files.heavy_keys:
        head = bytearray()
        _varint(len(payloads[key]), head)
        files.heavy.append((heavy_name(key), bytes(head) + payloads[key] + _leads([key], postings, metadata)))
    return shards, files


def _inline(keys: list[str], payloads: dict[str, bytes]) -> list[str]:
    """The keys whose posting a shard holds (a large posting, and its leads, are in its own file)."""
    return [key for key in keys if len(payloads[key]) <= HEAVY_BYTES]


def _entries(keys: list[str], payloads: dict[str, bytes]) -> bytes:
    """A shard's (or synonym group's) data: its keys, each with its posting inline or marked large."""
    out = bytearray()
    _varint(len(keys), out)
    for key in keys:
        payload = payloads[key]
        _varint(len(key), out)
        out += b"".join(map(_CODE_POINTS.__getitem__, key))
        heavy = len(payload) > HEAVY_BYTES
        out.append(1 if heavy else 0)
        _varint(len(payload), out)
        if not heavy:
            out += payload
    return bytes(out)


def _leads(keys: list[str], postings: Postings, metadata: list[str]) -> bytes:
    """The end of a posting file: [[rid, metadata], …] (JSON, rids ascending) of the keys' lead records."""
    rids = sorted({rid for key in keys for rid in postings.leads[key]})
    return ("[" + ",".join(f"[{rid},{metadata[rid]}]" for rid in rids) + "]").encode("utf-8")


def _record_metadata(documents: list[SearchDocument]) -> list[str]:
    """Each record's display metadata (url, name, headline, place…) as JSON: in m/ and in the leads."""
    return [_json({"url": d.url, **d.meta}).decode("utf-8") for d in documents]


def _metadata_files(metadata: list[str]) -> list[File]:
    """Display metadata in chunks of META_CHUNK records."""
    return [
        (f"m/{start // META_CHUNK}.json", ("[" + ",".join(metadata[start : start + META_CHUNK]) + "]").encode("utf-8"))
        for start in range(0, max(len(metadata), 1), META_CHUNK)
    ]


def _text_files(documents: list[SearchDocument]) -> list[File]:
    """Each record's own sentences as written (original case and script), TEXT_CHUNK records a file:
    the excerpt under a result is the sentence around the match (search.js `excerpt`)."""
    files = []
    for start in range(0, len(documents), TEXT_CHUNK):
        bodies = ["\n".join(d.passages) for d in documents[start : start + TEXT_CHUNK]]
        files.append((f"t/{start // TEXT_CHUNK}.json", _json(bodies)))
    return files


def _filters_file(documents: list[SearchDocument]) -> File:
    """{key: [[value, [record id deltas…]], …]}: the records of every filter value."""
    table: dict[str, list] = {}
    for key in FILTER_KEYS:
        members: dict[str, list[int]] = {}
        for rid, doc in enumerate(documents):
            for value in doc.filters.get(key, []):
                members.setdefault(value, []).append(rid)
        table[key] = [[value, [b - a for a, b in zip([0, *rids], rids)]] for value, rids in sorted(members.items())]
    return ("filters.json", _json(table))


def _json(value: object) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode("utf-8")


SEARCH_URL = "search/"


def search_page() -> Page:
    """The /search/ page: the search UI fills it (assets/search.js) from the index."""
    body = (Path(__file__).parent / "templates" / "search-page.html").read_text(encoding="utf-8")
    return Page(url=SEARCH_URL, title="搜索", content=body, description="按项目名称、地名、机制和关键词搜索全部项目。")


def install_ui(site_dir: Path) -> None:
    """Copy the search UI into `site_dir`/UI_DIR, with the synonym table filled into the script."""
    target = site_dir / UI_DIR
    target.mkdir(parents=True, exist_ok=True)
    for name, text in _ui_files().items():
        (target / name).write_text(text, encoding="utf-8")


def ui_version() -> str:
    """A digest of the UI files as installed: the pages load them as search.js?v=…, so a browser
    never pairs a cached script of an older index format with a new index."""
    digest = hashlib.sha256()
    for name, text in _ui_files().items():
        digest.update(name.encode("utf-8") + b"\0" + text.encode("utf-8") + b"\0")
    return digest.hexdigest()[:12]


@lru_cache(maxsize=1)
def _ui_files() -> dict[str, str]:
    files = {}
    for name in UI_FILES:
        text = (ASSETS_DIR / name).read_text(encoding="utf-8")
        if name == "search.js":
            if SYNONYMS_PLACEHOLDER not in text:
                raise AssertionError("search.js lost its synonyms placeholder")
            groups = json.dumps([list(g) for g in SYNONYM_GROUPS], ensure_ascii=False, separators=(",", ":"))
            text = text.replace(SYNONYMS_PLACEHOLDER, groups)
        files[name] = text
    return files

