"""index_site: the static search index built from records (no browser)."""

from __future__ import annotations

import gc

import gzip
import hashlib
import json
from pathlib import Path

import pytest

from generator.build import parallel
from generator.build import site as site_stage
from generator.site import SiteOptions
from generator.errors import UserError
from generator.search import index_site, indexer
from generator.search.documents import record_document
from generator.search.indexer import BUNDLE_DIR, SYNONYMS_PLACEHOLDER
from generator.search.postings import build_postings
from generator.search.synonyms import SYNONYM_GROUPS, group_keys
from generator.search.tokens import key_hash
from generator.present.urls import record_url
from search_support import EXPECTED, RECORDS, XSS_NAME, make_catalogue, read_gzip_json, search


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def manifest(site: Path) -> dict:
    return json.loads((site / BUNDLE_DIR / "index.json").read_text(encoding="utf-8"))


def metadata(site: Path) -> list[dict]:
    info = manifest(site)
    chunks = (info["records"] + info["chunk"] - 1) // info["chunk"]
    return [m for n in range(chunks) for m in read_gzip_json(site / BUNDLE_DIR / "m" / f"{n}.json")]


def texts(site: Path) -> list[str]:
    info = manifest(site)
    chunks = (info["records"] + info["textChunk"] - 1) // info["textChunk"]
    return [t for n in range(chunks) for t in read_gzip_json(site / BUNDLE_DIR / "t" / f"{n}.json")]


@pytest.fixture(scope="module")
def indexed(tmp_path_factory):
    site = tmp_path_factory.mktemp("site")
    stats = index_site(site, make_catalogue())
    return site, stats


def test_indexes_published_records_only(indexed):
    site, stats = indexed
    published = [r for r in RECORDS if r["status"] == "published"]
    assert stats.pages == manifest(site)["records"] == len(published)
    assert sorted(m["url"] for m in metadata(site)) == sorted(f"records/{r['slug']}/" for r in published)
    assert not any("草稿" in t for t in texts(site))


def test_metadata_is_raw_text_and_texts_are_normalized(indexed):
    site, _ = indexed
    by_url = {m["url"]: m for m in metadata(site)}
    hostile = by_url["records/hostile-name/"]
    assert hostile["title"] == XSS_NAME  # raw: the UI must insert it as text
    assert hostile["headline"] == "<b>粗体</b>标语"
    gezhouba = by_url["records/gezhouba-chengshi-huayuan/"]
    assert gezhouba["place"] == "武汉市 · 硚口区"
    assert gezhouba["province"] == "湖北"
    body = texts(site)[list(by_url).index("records/gezhouba-chengshi-huayuan/")]
    assert body.startswith("小区不断探索")  # name, headline and place are shown apart
    assert "电瓶车管理难题" in body


def test_filters_list_the_records_of_each_value(indexed):
    site, _ = indexed
    table = read_gzip_json(site / BUNDLE_DIR / "filters.json")
    urls = [m["url"] for m in metadata(site)]

    def records(key: str, value: str) -> set[str]:
        deltas = dict(table[key])[value]
        rids = [sum(deltas[: i + 1]) for i in range(len(deltas))]
        return {urls[r].split("/")[1] for r in rids}

    assert records("province", "湖北") == {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"}
    assert records("province", "北京") == {"zaoyuan-shangcheng"}
    assert set(dict(table["series"])) == {"地方实践"} or len(dict(table["series"])) == 1


@pytest.mark.parametrize("query", sorted(q for q in EXPECTED if " " not in q))
def test_what_each_query_finds_without_synonyms(query):
    """The postings alone (no synonyms): every expected record whose text says the query."""
    catalogue = make_catalogue()
    documents = [record_document(e, catalogue, record_url(e.slug)) for e in catalogue.visible]
    slugs = [e.slug for e in catalogue.visible]
    found = {slugs[rid] for rid in search(build_postings(documents), query)}
    assert found <= EXPECTED[query]
    with_text = {e.slug for e in catalogue.visible if query in str(e.record.model_dump())}
    assert found == with_text & EXPECTED[query] or found == with_text


class _Reader:
    """Varints and byte runs of a posting file, as search.js reads them."""

    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def varint(self) -> int:
        value = shift = 0
        while True:
            byte = self.data[self.at]
            self.at += 1
            value |= (byte & 0x7F) << shift
            if byte < 0x80:
                return value
            shift += 7

    def take(self, size: int) -> bytes:
        self.at += size
        return self.data[self.at - size : self.at]

    def leads(self) -> dict[int, dict]:
        """The file's end: the metadata of its keys' lead records, by record id."""
        return {rid: meta for rid, meta in json.loads(self.data[self.at :])}


def read_shard(data: bytes) -> tuple[dict[str, tuple[bool, int, bytes]], dict[int, dict]]:
    """key → (heavy, size, inline payload), and the lead records' metadata: what search.js reads from s/<n>.bin."""
    reader = _Reader(data)
    out = {}
    for _ in range(reader.varint()):
        key = "".join(chr(reader.varint()) for _ in range(reader.varint()))
        heavy = reader.varint() == 1
        size = reader.varint()
        out[key] = (heavy, size, b"" if heavy else reader.take(size))
    return out, reader.leads()


def read_own_file(data: bytes) -> tuple[bytes, dict[int, dict]]:
    """A large posting's file (k/…): the posting, and its lead records' metadata."""
    reader = _Reader(data)
    return reader.take(reader.varint()), reader.leads()


def test_every_key_is_in_its_shard_or_its_own_file(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer, "HEAVY_BYTES", 16)
    monkeypatch.setattr(indexer, "SHARD_TARGET_BYTES", 64)
    index_site(tmp_path, make_catalogue())
    catalogue = make_catalogue()
    postings = build_postings([record_document(e, catalogue, record_url(e.slug)) for e in catalogue.visible])
    shards = manifest(tmp_path)["shards"]
    assert shards > 1
    bundle = tmp_path / BUNDLE_DIR
    seen = {}
    metadata_of = metadata(tmp_path)
    for n in range(shards):
        entries, leads = read_shard(gzip.decompress((bundle / "s" / f"{n}.bin").read_bytes()))
        for key, (heavy, size, inline) in entries.items():
            assert key_hash(key) % shards == n
            payload, own_leads = read_own_file(gzip.decompress((bundle / indexer.heavy_name(key)).read_bytes())) if heavy else (inline, leads)
            assert heavy is (size > 16) and len(payload) == size
            seen[key] = payload
            # Each key's lead records come with its posting, with the metadata m/ has for them.
            assert {rid: own_leads[rid] for rid in postings.leads[key]} == {rid: metadata_of[rid] for rid in postings.leads[key]}
        assert set(leads) == {rid for key, (heavy, _, _) in entries.items() if not heavy for rid in postings.leads[key]}
    assert seen == postings.payloads
    heavy = sorted(key for key, payload in seen.items() if len(payload) > 16)
    assert manifest(tmp_path)["heavy"] == heavy
    assert any(heavy_file.is_file() for heavy_file in (bundle / "k").iterdir())


def test_each_synonym_group_file_holds_its_keys_as_their_shards_do(tmp_path, monkeypatch):
    monkeypatch.setattr(indexer, "HEAVY_BYTES", 16)
    index_site(tmp_path, make_catalogue())
    bundle = tmp_path / BUNDLE_DIR
    info = manifest(tmp_path)
    assert info["synonyms"] == len(SYNONYM_GROUPS)
    found_any = False
    for g, group in enumerate(SYNONYM_GROUPS):
        entries, leads = read_shard(gzip.decompress((bundle / "y" / f"{g}.bin").read_bytes()))
        for key in group_keys(group):
            shard, shard_leads = read_shard(gzip.decompress((bundle / "s" / f"{key_hash(key) % info['shards']}.bin").read_bytes()))
            assert entries.get(key) == shard.get(key), key
            if key in entries and not entries[key][0]:
                assert all(leads[rid] == shard_leads[rid] for rid in shard_leads if rid in leads)
            found_any |= key in entries
        assert set(entries) <= set(group_keys(group))
    assert found_any  # the fixture's records say 电动车, 电瓶车, 业委会, 业主委员会


def test_ui_is_installed_with_synonyms(indexed):
    site, stats = indexed
    script = (site / "assets" / "search" / "search.js").read_text(encoding="utf-8")
    assert SYNONYMS_PLACEHOLDER not in script
    assert '["业委会","业主委员会"]' in script
    assert (site / "assets" / "search" / "search.css").is_file()
    bundle = site / BUNDLE_DIR
    files = [p for p in bundle.rglob("*") if p.is_file()]
    assert stats.files == len(files)
    assert all(p.read_bytes()[:2] == b"\x1f\x8b" for p in files if p.name != "index.json")


def test_two_runs_write_identical_files(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    index_site(first, make_catalogue())
    index_site(second, make_catalogue())
    assert tree_digest(first) == tree_digest(second)


def test_version_changes_with_the_records(tmp_path):
    index_site(tmp_path, make_catalogue())
    before = manifest(tmp_path)["version"]
    index_site(tmp_path, make_catalogue(RECORDS[:1]))
    assert manifest(tmp_path)["version"] != before


def test_reindexing_replaces_the_old_index(tmp_path):
    index_site(tmp_path, make_catalogue())
    stats = index_site(tmp_path, make_catalogue(RECORDS[:1]))
    assert stats.pages == 1
    assert len(metadata(tmp_path)) == 1
    assert len(list((tmp_path / BUNDLE_DIR / "t").iterdir())) == 1


def test_empty_catalogue_still_gives_a_working_index(tmp_path):
    stats = index_site(tmp_path, make_catalogue([]))
    assert stats.pages == 0
    assert manifest(tmp_path)["records"] == 0
    assert (tmp_path / BUNDLE_DIR / "s" / "0.bin").is_file()


def test_missing_site_folder_is_a_user_error(tmp_path):
    with pytest.raises(UserError, match="网站目录不存在"):
        index_site(tmp_path / "nope", make_catalogue())


@pytest.fixture
def collector_on():
    """The garbage collector on, as a build starts (an in-process `showcase check` earlier in the session
    turns it off for good: generator.build.heap.no_collection_until_exit), and as it was afterwards."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


@pytest.fixture
def in_background(monkeypatch):
    """Make even the small test catalogue take the forked-worker path."""
    monkeypatch.setattr(parallel, "MIN_RECORDS", 1)


def test_the_background_index_writes_the_same_files(tmp_path, in_background):
    alone, beside = tmp_path / "alone", tmp_path / "beside"
    alone.mkdir()
    beside.mkdir()
    index_site(alone, make_catalogue())
    site = beside / "site"
    with site_stage.SiteWork(make_catalogue(), SiteOptions(), beside=beside) as search:
        assert search._workers.parallel
        site.mkdir()  # the pages are written meanwhile
        (site / "index.html").write_text("<p>首页</p>", encoding="utf-8")
        stats = search.finish_into(site)
    assert stats.pages == len(make_catalogue().visible)
    assert tree_digest(alone) == {k: v for k, v in tree_digest(site).items() if k != "index.html"}
    assert sorted(p.name for p in beside.iterdir()) == ["site"]  # its own folder is gone


def test_a_failed_build_stops_the_background_index_and_leaves_nothing(tmp_path, in_background, collector_on):
    with pytest.raises(KeyboardInterrupt), site_stage.SiteWork(make_catalogue(), SiteOptions(), beside=tmp_path) as search:
        worker = search._workers._pool._pool[0]
        raise KeyboardInterrupt
    worker.join(timeout=10)
    assert not worker.is_alive()
    assert list(tmp_path.iterdir()) == []
    assert gc.isenabled()  # paused while the site renders (generator.build.heap), never left off


@pytest.mark.parametrize("workers", [True, False], ids=["worker", "one-process"])
def test_the_collector_is_paused_while_the_site_renders_and_back_after(tmp_path, monkeypatch, collector_on, workers: bool) -> None:
    monkeypatch.setattr(parallel, "MIN_RECORDS", 1 if workers else 10**9)
    with site_stage.SiteWork(make_catalogue(), SiteOptions(), beside=tmp_path) as work:
        assert not gc.isenabled()
        work.pages()
    assert gc.isenabled()


@pytest.mark.parametrize("workers", [True, False], ids=["worker", "one-process"])
def test_an_error_in_the_background_index_reaches_the_build(tmp_path, monkeypatch, workers: bool):
    def broken(bundle, catalogue, **options):
        raise UserError("索引写不下去")

    monkeypatch.setattr(parallel, "MIN_RECORDS", 1 if workers else 10**9)
    monkeypatch.setattr(site_stage, "write_bundle", broken)
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(UserError, match="索引写不下去"), site_stage.SiteWork(make_catalogue(), SiteOptions(), beside=tmp_path) as search:
        search.finish_into(site)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_pages_load_the_search_ui_by_a_version_of_its_files(tmp_path: Path) -> None:
    """A browser holding an older search.js must not read a new index with it: the URL changes with the files."""
    import re

    from generator.build.pipeline import build
    from generator.search import indexer
    from tests.site_support import make_project

    (tmp_path / "project").mkdir()
    result = build(make_project(tmp_path / "project"), out_dir=tmp_path / "site")
    assert result.ok
    version = indexer.ui_version()
    pages = [tmp_path / "site" / "index.html", next((tmp_path / "site" / "records").glob("*/index.html"))]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert re.findall(r'search/search\.(?:js|css)\?v=([0-9a-f]+)"', html) == [version, version]
    installed = {name: (tmp_path / "site" / indexer.UI_DIR / name).read_text(encoding="utf-8") for name in indexer.UI_FILES}
    assert installed == indexer._ui_files()
