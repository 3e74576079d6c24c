"""Pictures of the whole and the reader's rough edges, on a built site: map, charts, series plan, tags, dates.

The statistics and the chart library are tested directly; the pages of one
public build and one --drafts build (module fixtures) are read as HTML. The
same pages in a browser (axe, both widths, without JavaScript) are in
tests/browser/test_site_reader.py.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generator.build.pipeline import build  # noqa: E402
from generator.catalogue import Catalogue, Entry  # noqa: E402
from generator.load.history import last_changed  # noqa: E402
from generator.present.places import PROVINCE_TILES  # noqa: E402
from generator.present.statistics import distribution, middle, nice_edges  # noqa: E402
from generator.schema.record import Record  # noqa: E402
from generator.schema.site_config import CatalogueConfig, MetricDefinition, load_site_config  # noqa: E402
from generator.site.charts import distribution_svg  # noqa: E402
from generator.site.overview import province_map, shade_limits  # noqa: E402
from site_support import ROOT, make_project, records  # noqa: E402

PERCENT = MetricDefinition(key="owner_satisfaction", label="业主满意度", unit="%", type="percent")
HOUSEHOLDS = MetricDefinition(key="households", label="住户", unit="户", type="integer")


def entries(*figures: dict) -> list[Entry]:
    """Records with the given metrics (the rest of each record is filler)."""
    base = records()["048-ceshi-lanwan.yml"]
    found = []
    for n, metrics in enumerate(figures):
        found.append(Entry(f"projects/r{n}.yml", Record.model_validate({**base, "slug": f"r{n}", "number": n + 1, "metrics": metrics})))
    return found


# ---- statistics ---------------------------------------------------------------------


def test_distribution_keeps_qualified_figures_apart_and_counts_its_records():
    spread = distribution(
        entries({"owner_satisfaction": {"value": 95, "qualifier": "以上"}}, {"owner_satisfaction": 96},
                {"owner_satisfaction": 99}, {"owner_satisfaction": {"value": 95, "qualifier": "以上"}}, {}),
        PERCENT,
    )
    assert spread.records == 4 and spread.qualified == 2
    bands = {b.label: (b.exact, b.qualified) for b in spread.bins}
    assert bands["95%–98%"] == (1, ("95%以上", "95%以上"))
    assert bands["98%及以上"] == (1, ())
    assert bands["不到80%"] == (0, ())
    assert spread.bins[3].qualified_summary() == "95%以上 ×2"


def test_count_bands_come_from_the_figures_range():
    assert nice_edges(800, 3200) == [500, 1000, 2000, 5000]
    assert nice_edges(12, 190000)[0] == 10 and nice_edges(12, 190000)[-1] > 190000
    assert len(nice_edges(1, 10**9)) - 1 <= 6
    spread = distribution(entries({"households": 800}, {"households": 1439}, {"households": 123456}), HOUSEHOLDS)
    assert [b.label for b in spread.bins][-1].endswith("万")
    assert sum(b.count for b in spread.bins) == 3


@pytest.mark.parametrize(
    "values, text",
    [
        ([{"value": 95, "qualifier": "以上"}], "95%以上"),  # one lower bound: the median is at least it
        ([90, {"value": 95, "qualifier": "以上"}, 99], "95%以上"),
        ([90, 96, 99], "96%"),
        ([90, {"value": 96, "qualifier": "约"}, 99], "约96%"),
        ([90, 96, 98, 99], "97%"),
    ],
)
def test_median_says_what_the_figures_allow(values, text):
    found = middle(entries(*({"owner_satisfaction": v} for v in values)), PERCENT)
    assert (found.text, found.records) == (text, len(values))


def test_min_records_is_configurable_and_unknown_chart_metrics_are_refused():
    document = {"series": [{"id": "s", "title": "S", "short_title": "S"}], "themes": [{"name": "T", "slug": "t"}],
                "metrics": [PERCENT.model_dump()]}
    assert CatalogueConfig.model_validate(document).statistics.min_records == 3
    assert [m.key for m in CatalogueConfig.model_validate(document).chart_metrics] == ["owner_satisfaction"]
    with pytest.raises(ValueError, match="未在 metrics 中定义：households"):
        CatalogueConfig.model_validate({**document, "statistics": {"charts": ["households"]}})


def test_a_chart_is_finished_svg_a_strict_csp_allows_and_builds_identically():
    spread = distribution(entries({"owner_satisfaction": 95}, {"owner_satisfaction": {"value": 90, "qualifier": "超过"}}), PERCENT)
    svg = str(distribution_svg(spread))
    assert svg.startswith("<svg") and 'role="img"' in svg and 'aria-label="业主满意度分布（2 个项目）' in svg
    for forbidden in ("<style", "<script", "<!--", " style=", "Pygal", "<title"):
        assert forbidden not in svg
    from generator.site import charts

    charts._chart.cache_clear()
    assert str(distribution_svg(spread)) == svg


def test_map_shades_and_keeps_empty_provinces():
    assert len(PROVINCE_TILES) == 34 and len(set(PROVINCE_TILES.values())) == 34
    assert shade_limits(2) == [(1, 1), (2, 2)]
    assert shade_limits(40) == [(1, 10), (11, 20), (21, 30), (31, 40)]


# ---- built pages --------------------------------------------------------------------


@pytest.fixture(scope="module")
def sites(tmp_path_factory):
    """One public build and one --drafts build of the test project."""
    root = tmp_path_factory.mktemp("overview")
    config = make_project(root)
    public = build(config, out_dir=root / "public")
    drafts = build(config, out_dir=root / "drafts", include_drafts=True)
    assert public.ok and drafts.ok
    return public.site_dir, drafts.site_dir


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def test_home_and_provinces_show_the_tile_map(sites):
    for path in ("index.html", "provinces/index.html"):
        page = read(sites[0], path)
        tiles = re.findall(r'<li class="sc-map__tile sc-map__tile--(\d)[^"]*">(.*?)</li>', page, re.S)
        assert len(tiles) == 34
        shaded = {re.search(r'sc-map__name">(.*?)<', t).group(1): (int(s), t) for s, t in tiles}
        assert shaded["湖北"][0] == 2 and 'href="' in shaded["湖北"][1] and "provinces/hubei/" in shaded["湖北"][1]
        assert shaded["西藏"][0] == 0 and "href" not in shaded["西藏"][1] and "暂无" in shaded["西藏"][1]


def test_charts_with_their_tables_and_record_counts(sites):
    home = read(sites[0], "index.html")
    assert home.count('<figure class="sc-chart">') == 2  # households and satisfaction: 3 records each; area 1, fees 2
    assert "依据 3 个项目的数据，其中 2 个带限定词" in home
    assert "<th scope=\"row\">90%–95%</th><td class=\"sc-num\">1</td><td>90%以上</td>" in home
    assert "业主满意度中位数" in home and "95%以上" in home.split("业主满意度中位数")[0][-200:]
    # A province with two records is under the minimum of three: no chart, no empty heading.
    assert "sc-chart" not in read(sites[0], "provinces/hubei/index.html")


def test_series_page_counts_drafts_apart_and_plans_the_numbers(sites):
    page = read(sites[1], "series/national-2022/index.html")
    assert "已发布 <b>2 / 100</b>" in page and "另有草稿 1 个" in page
    assert re.search(r'<a class="sc-slot sc-slot--draft"[^>]*>49<', page)
    assert re.search(r'<a class="sc-slot sc-slot--published"[^>]*>47<', page)
    assert '<th scope="row">湖北</th><td>47–49</td><td class="sc-num">2</td><td class="sc-num">1</td>' in page
    assert "尚无记录的编号：1–46、50–100" in page
    assert "另有草稿" not in read(sites[0], "series/national-2022/index.html")


def test_a_fine_tag_has_its_own_list(sites):
    record = read(sites[0], "records/ceshi-huayuan/index.html")
    assert 'href="../../themes/ban-shishi/电动车充电/"' in record
    tag = read(sites[0], "themes/ban-shishi/电动车充电/index.html")
    assert "<h1>电动车充电</h1>" in tag and "测试·城市花园" in tag and "测试蓝湾" not in tag
    assert 'href="../../themes/ban-shishi/电动车充电/">电动车充电 <span class="sc-muted">1</span>' in read(sites[0], "themes/ban-shishi/index.html")


def test_no_english_left_in_the_chrome(sites):
    for path in ("index.html", "records/ceshi-huayuan/index.html", "404.html"):
        page = read(sites[0], path)
        assert "Made with" not in page and "No. " not in page and "Not found" not in page
    assert "本站使用" in read(sites[0], "index.html")
    assert "第 47 号" in read(sites[0], "records/ceshi-huayuan/index.html")


def test_hand_written_pages_join_chinese_lines(sites):
    home = read(sites[0], "index.html")
    assert "择优推荐，经综合评定" in home  # content/index.md breaks the line after the comma


def test_skip_link_and_content_target(sites):
    page = read(sites[0], "records/ceshi-huayuan/index.html")
    assert '<a href="#sc-content" class="md-skip">跳到正文</a>' in page and 'id="sc-content"' in page


def test_last_changed_from_git_and_clamped_by_source_date_epoch(tmp_path, monkeypatch):
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (tmp_path / "projects").mkdir()
    for name in ("a.yml", "b.yml"):
        (tmp_path / "projects" / name).write_text("x: 1\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    env = {"GIT_AUTHOR_DATE": "2023-05-02T18:30:00+00:00", "GIT_COMMITTER_DATE": "2023-05-02T18:30:00+00:00"}
    subprocess.run([*git, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([*git, "-C", str(tmp_path), "commit", "-qm", "r"], check=True, env={**__import__("os").environ, **env})
    (tmp_path / "projects" / "b.yml").write_text("x: 2\n", encoding="utf-8")  # changed since: its file time
    times = last_changed(tmp_path, ["projects/a.yml", "projects/b.yml"])
    assert times["projects/a.yml"] == 1683052200
    assert times["projects/b.yml"] > 1683052200
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert last_changed(tmp_path, ["projects/b.yml"]) == {"projects/b.yml": 1700000000}


def test_record_page_and_sitemap_carry_the_day(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-15 06:13 in Beijing
    result = build(make_project(tmp_path))
    assert '最后更新：<time datetime="2023-11-15">2023年11月15日</time>' in read(result.site_dir, "records/ceshi-huayuan/index.html")
    sitemap = read(result.site_dir, "sitemap.xml")
    assert "records/ceshi-huayuan/</loc><lastmod>2023-11-15</lastmod>" in sitemap
    assert "catalogue/</loc><lastmod>2023-11-15</lastmod>" in sitemap


def test_the_shipped_site_config_charts_defined_metrics():
    config = load_site_config(ROOT / "site_config.yml").catalogue
    assert [m.key for m in config.chart_metrics] == ["households", "building_area", "owner_satisfaction", "fee_collection_rate"]
