"""index_site: the Pagefind bundle built from records (runs the Pagefind binary, no browser)."""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from generator.errors import UserError
from generator.search import index_site
from generator.search.canonical import canonicalize
from generator.search.indexer import SYNONYMS_PLACEHOLDER, UNUSED_BUNDLE_FILES
from generator.search.tokens import decode
from search_support import RECORDS, XSS_NAME, make_catalogue


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def fragments(site: Path) -> list[dict]:
    out = []
    for path in sorted((site / "pagefind" / "fragment").glob("*.pf_fragment")):
        raw = gzip.decompress(path.read_bytes())
        out.append(json.loads(raw[len(b"pagefind_dcd") :]))
    return out


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    stats = index_site(site, make_catalogue())
    return site, stats


def test_indexes_published_records_only(indexed):
    site, stats = indexed
    published = [r for r in RECORDS if r["status"] == "published"]
    assert stats.pages == len(published)
    urls = sorted(f["url"] for f in fragments(site))
    assert urls == sorted(f"/records/{r['slug']}/" for r in published)


def test_fragments_keep_display_metadata_raw_and_content_decodable(indexed):
    site, _ = indexed
    by_url = {f["url"]: f for f in fragments(site)}
    hostile = by_url["/records/hostile-name/"]
    assert hostile["meta"]["title"] == XSS_NAME  # raw: the UI must insert it as text
    assert hostile["filters"]["province"] == ["广东"]
    gezhouba = by_url["/records/gezhouba-chengshi-huayuan/"]
    text = decode(gezhouba["content"].rstrip(".").split(" "))
    assert text.startswith("葛洲坝·城市花园\n")
    assert "电瓶车管理难题" in text
    assert gezhouba["meta"]["place"] == "武汉市 · 硚口区"


def test_bundle_has_our_ui_and_not_pagefinds(indexed):
    site, stats = indexed
    bundle = site / "pagefind"
    assert (bundle / "pagefind.js").is_file()
    assert not any((bundle / name).exists() for name in UNUSED_BUNDLE_FILES)
    script = (site / "assets" / "search" / "search.js").read_text(encoding="utf-8")
    assert SYNONYMS_PLACEHOLDER not in script
    assert '["业委会","业主委员会"]' in script
    assert (site / "assets" / "search" / "search.css").is_file()
    assert stats.deterministic
    assert stats.files == len([p for p in bundle.rglob("*") if p.is_file()])


def test_two_runs_write_identical_files(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    index_site(first, make_catalogue())
    index_site(second, make_catalogue())
    assert tree_digest(first) == tree_digest(second)


def test_reindexing_replaces_the_old_bundle(tmp_path):
    index_site(tmp_path, make_catalogue())
    stats = index_site(tmp_path, make_catalogue(RECORDS[:1]))
    assert stats.pages == 1
    assert len(fragments(tmp_path)) == 1


def test_empty_catalogue_still_gives_a_working_bundle(tmp_path):
    stats = index_site(tmp_path, make_catalogue([]))
    assert stats.pages == 0
    assert (tmp_path / "pagefind" / "pagefind.js").is_file()


def test_missing_site_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="网站目录不存在"):
        index_site(tmp_path / "nope", make_catalogue())


def test_canonicalize_leaves_an_unknown_format_alone(tmp_path):
    index_site(tmp_path, make_catalogue())
    bundle = tmp_path / "pagefind"
    meta = next(bundle.glob("pagefind.*.pf_meta"))
    meta.write_bytes(gzip.compress(b"not pagefind data"))
    before = tree_digest(bundle)
    assert canonicalize(bundle) is False
    assert tree_digest(bundle) == before
