"""Index a built site: Pagefind bundle + the search UI assets, written into the site folder.

`index_site` runs after the pages are written and before the staging folder
replaces the live site, so a failed indexing run leaves the previous site
(and its search) in place like any other failed build.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from generator.catalogue import Catalogue, Entry
from generator.errors import UserError
from generator.search.canonical import canonicalize
from generator.search.documents import SearchDocument, document_html, record_document
from generator.search.synonyms import SYNONYM_GROUPS

ASSETS_DIR = Path(__file__).parent / "assets"
BUNDLE_DIR = "pagefind"  # Pagefind's bundle, relative to the site root
UI_DIR = "assets/search"  # our search box script and styles, relative to the site root
UI_FILES = ("search.js", "search.css")
SYNONYMS_PLACEHOLDER = "/*@synonyms*/[]"

# The search documents contain ASCII tokens only (see tokens.py), so the index
# language must be one Pagefind neither segments nor stems: "und" (undetermined).
INDEX_LANGUAGE = "und"

# Pagefind also writes its own ready-made UIs; we ship ours, so these are dead weight.
UNUSED_BUNDLE_FILES = (
    "pagefind-ui.js",
    "pagefind-ui.css",
    "pagefind-modular-ui.js",
    "pagefind-modular-ui.css",
    "pagefind-component-ui.js",
    "pagefind-component-ui.css",
    "pagefind-highlight.js",
)


@dataclass(frozen=True)
class SearchStats:
    pages: int  # records indexed (published, or all with drafts)
    words: int  # distinct index tokens, as Pagefind reports them
    files: int  # files in the bundle
    bytes: int  # size of the bundle on disk (uncompressed)
    seconds: float
    deterministic: bool  # False if the bundle format was not understood and left in Pagefind's order


def default_record_url(entry: Entry) -> str:
    from generator.site.urls import record_url

    return record_url(entry.slug)


def index_site(
    site_dir: Path,
    catalogue: Catalogue,
    *,
    record_url: Callable[[Entry], str] = default_record_url,
) -> SearchStats:
    """Index every record the catalogue publishes into `site_dir`/pagefind and add the search UI.

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
    with tempfile.TemporaryDirectory(prefix="showcase-search-") as scratch:
        scratch_dir = Path(scratch)
        _write_documents(scratch_dir, documents)
        output = _run_pagefind(scratch_dir, bundle)
    deterministic = canonicalize(bundle)
    for name in UNUSED_BUNDLE_FILES:
        (bundle / name).unlink(missing_ok=True)
    _install_ui(site_dir / UI_DIR)
    files = [p for p in bundle.rglob("*") if p.is_file()]
    return SearchStats(
        pages=len(documents),
        words=_reported(output, "words"),
        files=len(files),
        bytes=sum(p.stat().st_size for p in files),
        seconds=time.perf_counter() - started,
        deterministic=deterministic,
    )


def _write_documents(root: Path, documents: list[SearchDocument]) -> None:
    if not documents:
        # Pagefind writes no bundle for an empty site; an empty-but-valid page keeps
        # the search box working (it finds nothing) on a catalogue with no records yet.
        # Its one token ("x") is not a form any query takes, so it is never found.
        documents = [SearchDocument(url="", meta={"title": ""}, filters={}, fields=[("x", 1.0)])]
    for doc in documents:
        path = root / doc.url / "index.html"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(document_html(doc, INDEX_LANGUAGE), encoding="utf-8")


def pagefind_executable() -> Path:
    """The Pagefind binary shipped by the pagefind[extended] wheels (or PAGEFIND_BINARY_PATH)."""
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None  # type: ignore[assignment]
    binary = get_executable() if get_executable else None
    if binary is None or not Path(binary).exists():
        raise UserError("找不到 Pagefind 程序：请安装依赖 pagefind[extended]（pip install -r requirements.lock）")
    return Path(binary)


def _run_pagefind(source: Path, bundle: Path) -> str:
    command = [
        str(pagefind_executable()),
        "--site", str(source),
        "--output-path", str(bundle.resolve()),
        "--force-language", INDEX_LANGUAGE,
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, encoding="utf-8", errors="replace")
    if result.returncode != 0 or not (bundle / "pagefind.js").exists():
        detail = (result.stderr or result.stdout).strip()[-2000:]
        raise UserError(f"建立搜索索引失败（Pagefind 退出码 {result.returncode}）：\n{detail}")
    return result.stdout


def _reported(output: str, what: str) -> int:
    """A count from Pagefind's summary, e.g. 'Indexed 1234 pages'."""
    match = re.search(rf"Indexed (\d+) {what}", output)
    return int(match.group(1)) if match else 0


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
