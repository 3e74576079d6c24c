"""The site mounts the other stages' output: search page, WeChat articles, data downloads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from generator.build import pipeline
from generator.schema.site_config import load_site_config

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site") / "site"
    result = pipeline.build(load_site_config(ROOT / "site_config.yml"), out_dir=out)
    assert result.ok, result.report.as_text()
    return out


def test_search_page_and_bundle_are_built(built: Path) -> None:
    page = (built / "search" / "index.html").read_text(encoding="utf-8")
    assert "data-showcase-search-page" in page
    assert (built / "assets" / "search" / "index" / "index.json").is_file()
    assert (built / "assets" / "search" / "search.js").is_file()
    record = (built / "records" / "gezhouba-chengshi-huayuan" / "index.html").read_text(encoding="utf-8")
    assert "data-showcase-search" in record  # the header box is on record pages too


def test_wechat_pages_per_province_with_copy_button(built: Path) -> None:
    page = (built / "wechat" / "hubei" / "index.html").read_text(encoding="utf-8")
    assert "复制到公众号" in page
    assert "今天一起看看湖北地区" in page
    assert 'src="../../assets/javascripts/wechat-copy.js"' in page
    assert (built / "assets" / "javascripts" / "wechat-copy.js").is_file()
    province = (built / "provinces" / "hubei" / "index.html").read_text(encoding="utf-8")
    assert 'href="../../wechat/hubei/"' in province


def test_data_downloads_are_linked_and_match_the_records(built: Path) -> None:
    catalogue = (built / "catalogue" / "index.html").read_text(encoding="utf-8")
    assert 'href="../data/records.csv"' in catalogue and 'href="../data/records.json"' in catalogue
    raw = (built / "data" / "records.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    published = len(list((ROOT / "projects").glob("*.yml")))
    assert len(rows) == published
    document = json.loads((built / "data" / "records.json").read_text(encoding="utf-8"))
    names = {r["name"] for r in document["records"]}
    assert "葛洲坝·城市花园" in names and len(names) == published


def test_the_files_written_beside_the_site_are_what_the_exporters_give(built: Path) -> None:
    """A build writes the downloads in a worker beside the site and moves them in at the end
    (generator.build.site): byte for byte what site_files makes in memory, none left empty."""
    from generator.build.records import CatalogueLoader
    from generator.exporters.website import SITE_FILE_PATHS, site_files

    expected = site_files(CatalogueLoader(load_site_config(ROOT / "site_config.yml")).load())
    assert sorted(expected) == sorted(SITE_FILE_PATHS)
    for path, content in expected.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        assert data and (built / path).read_bytes() == data, path
    assert not [p.name for p in built.parent.iterdir() if p.name.startswith(".")]  # nothing left beside


def test_data_page_documents_every_column_and_the_json_shape(built: Path) -> None:
    from generator.exporters.open_data import columns

    page = (built / "data" / "index.html").read_text(encoding="utf-8")
    config = load_site_config(ROOT / "site_config.yml").catalogue
    for column in columns(config):
        assert f"<code>{column.key}</code>" in page and column.label in page, column.key
    assert 'href="records-keys.csv"' in page and 'href="records.json"' in page
    assert "qualifier" in page and config.open_data.license in page
    keys = (built / "data" / "records-keys.csv").read_text(encoding="utf-8-sig").splitlines()[0].split(",")
    assert keys == [column.key for column in columns(config)]


def test_an_explanation_is_given_once_and_in_every_channel(built: Path) -> None:
    """047's address note (location.note) on its page and in the WeChat article, once each; notes
    no longer repeat it."""
    note = "来源两处均把区名印作“口区”"
    page = (built / "records" / "gezhouba-chengshi-huayuan" / "index.html").read_text(encoding="utf-8")
    assert page.count(note) == 1 and "见地址说明" not in page
    article = (built / "wechat" / "hubei" / "index.html").read_text(encoding="utf-8")
    assert article.count(note) == 1 and "见地址说明" not in article
