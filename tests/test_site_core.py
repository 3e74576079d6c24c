"""The engine-neutral site core and the record shell, without running MkDocs."""

from __future__ import annotations

import subprocess
import sys

import pytest

from generator.build.records import load_catalogue
from generator.build.site import render_site
from generator.present import urls
from generator.present.figures import format_count, table_cell
from generator.present.pages import PageKind
from generator.schema.record import QualifiedValue, Qualifier
from generator.schema.site_config import MetricDefinition
from generator.site import SiteOptions, SiteRenderer
from generator.site.shell import SHELL_URL, TOKENS, Fill, Shell
from generator.text.cjk import join_cjk, join_cjk_lines
from site_support import REVIEW_SECRET, make_project


@pytest.fixture(scope="module")
def catalogue(tmp_path_factory):
    config = make_project(tmp_path_factory.mktemp("core"))
    loaded = load_catalogue(config)
    assert not loaded.report.errors, loaded.report.as_text()
    return loaded


def test_core_does_not_import_mkdocs():
    code = "import sys, generator.site, generator.build.pipeline, generator.build.incremental; print(sorted(m for m in sys.modules if m.startswith('mkdocs')))"
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"


def test_render_site_gives_every_page_once(catalogue):
    site = render_site(catalogue, SiteOptions(edit_url="https://x/{path}"))
    urls_seen = [p.url for p in site.pages]
    assert len(urls_seen) == len(set(urls_seen))
    assert {p.url for p in site.records} == {"records/ceshi-huayuan/", "records/ceshi-lanwan/", "records/beijing-shequ/"}
    # Every record page at the same depth: the premise of the shared shell.
    assert {p.url.count("/") for p in site.records} == {SHELL_URL.count("/")}
    assert all(p.kind is PageKind.index for p in site.indexes)
    assert not any(REVIEW_SECRET in p.content for p in site.pages)


def test_render_record_is_a_pure_function(catalogue):
    entry = catalogue.by_slug("ceshi-huayuan")
    options = SiteOptions(edit_url="https://x/{path}")
    first = SiteRenderer(catalogue, options).record_page(entry)
    assert SiteRenderer(catalogue, options).record_page(entry) == first
    assert first.edit_url == "https://x/projects/047-ceshi-huayuan.yml"
    assert first.title == "第 47 号 测试·城市花园"


@pytest.mark.parametrize(
    "province, slug",
    [("陕西省", "shaanxi"), ("山西省", "shanxi"), ("广西壮族自治区", "guangxi"), ("北京市", "beijing"),
     ("新疆维吾尔自治区", "xinjiang"), ("内蒙古自治区", "neimenggu")],
)
def test_province_slugs_are_fixed_and_distinct(province, slug):
    from generator.present.places import province_slug

    assert province_slug(province) == slug


@pytest.mark.parametrize(
    "page_url, prefix",
    [("", ""), ("catalogue/", "../"), ("records/a-b/", "../../"), ("provinces/hubei/", "../../")],
)
def test_depth_prefix(page_url, prefix):
    assert urls.depth_prefix(page_url) == prefix


@pytest.mark.parametrize(
    "text, joined",
    [
        ("治理：\n建立", "治理：建立"),
        ("治理： 建立", "治理：建立"),
        ("以“红色物业” 带动", "以“红色物业”带动"),
        ("每月推送 H5 月报", "每月推送 H5 月报"),  # spaces next to Latin letters are kept
        ("择优推荐， 经综合评定", "择优推荐，经综合评定"),  # a folded YAML line after a comma
        ("“加强物业管理 共建美好家园”活动", "“加强物业管理 共建美好家园”活动"),  # a meant space between characters
        ("联起来 暖起来", "联起来 暖起来"),
    ],
)
def test_join_cjk(text, joined):
    assert join_cjk(text) == joined


def test_join_cjk_lines_in_rendered_markdown():
    html = "<p>各地择优推荐，\n经综合评定，公布了\n100 个项目。</p>\n<pre><code>保留，\n原样</code></pre>"
    assert join_cjk_lines(html) == "<p>各地择优推荐，经综合评定，公布了\n100 个项目。</p>\n<pre><code>保留，\n原样</code></pre>"


PERCENT = MetricDefinition(key="owner_satisfaction", label="业主满意度", unit="%", type="percent")
AREA = MetricDefinition(key="building_area", label="建筑面积", unit="平方米", type="number")


@pytest.mark.parametrize(
    "definition, value, shown, sort_value",
    [
        (PERCENT, QualifiedValue(value=95, qualifier=Qualifier.yishang), "95%以上", "95"),
        (PERCENT, QualifiedValue(value=98.5), "98.5%", "98.5"),
        (AREA, QualifiedValue(value=228394.93), "228394.93", "228394.93"),
        (AREA, QualifiedValue(value=120000, qualifier=Qualifier.yue), "约120000", "120000"),
    ],
)
def test_table_cells_keep_the_source_wording_and_sort_by_number(catalogue, definition, value, shown, sort_value):
    entry = catalogue.by_slug("ceshi-lanwan")
    record = entry.record.model_copy(update={"metrics": {definition.key: value}})
    assert table_cell(record, definition) == (shown, sort_value)


def test_missing_figure_is_a_dash_with_an_empty_sort_value(catalogue):
    # catalogue.js sorts empty data-value cells last in either direction.
    assert table_cell(catalogue.by_slug("ceshi-lanwan").record, AREA) == ("—", "")


@pytest.mark.parametrize("value, text", [(980, "980"), (12345, "1.2万"), (50000, "5万"), (230_000_000, "2.3亿")])
def test_format_count(value, text):
    assert format_count(value) == text


SHELL = (
    f"<title>{TOKENS['title']} - 站</title><meta content=\"{TOKENS['description']}\">"
    f"<link href=\"https://x/{SHELL_URL}\"><a href=\"{TOKENS['edit']}\"></a>"
    f"<meta content=\"{TOKENS['image']}\"><main>{TOKENS['content']}</main>"
)


def test_shell_fills_every_slot_and_escapes_text():
    page = Shell(SHELL).fill(
        Fill(content="<p>正文</p>", title='A<"B">', description="x & y", image="https://x/a.png?b=1&c=2",
             edit="https://x/e?p=1&q=2", url="records/slug/")
    )
    assert page == (
        '<title>A&lt;&quot;B&quot;&gt; - 站</title><meta content="x &amp; y">'
        '<link href="https://x/records/slug/"><a href="https://x/e?p=1&amp;q=2"></a>'
        '<meta content="https://x/a.png?b=1&amp;c=2"><main><p>正文</p></main>'
    )
    assert "SHOWCASESLOT" not in page


def test_shell_without_placeholders_is_refused():
    with pytest.raises(ValueError, match="content"):
        Shell("<html><title>SHOWCASESLOTTITLE</title>records/_shell_/</html>")
