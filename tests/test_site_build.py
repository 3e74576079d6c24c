"""The website built end to end from throwaway records: real HTML, real links, real failures.

Each test builds a project written by tests/site_support.py into tmp_path,
through `generator.build.pipeline.build` with MkDocs strict mode on.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from generator.build import parallel
from click.testing import CliRunner

from generator.cli import main
from generator.build.pipeline import build
from site_support import DRAFT_NAME, HOSTILE_NAME, REVIEW_SECRET, make_project, tree_digest, write_records

PUBLISHED = ["ceshi-huayuan", "ceshi-lanwan", "beijing-shequ"]
INDEX_PAGES = [
    "index.html", "about/index.html", "catalogue/index.html", "provinces/index.html",
    "provinces/hubei/index.html", "provinces/beijing/index.html", "themes/index.html",
    "themes/dangjian/index.html", "mechanisms/index.html", "series/index.html",
    "series/national-2022/index.html", "series/local-practices/index.html", "404.html",
]


@pytest.fixture(scope="module")
def public_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("public")
    result = build(make_project(root), strict=True)
    assert result.ok, result.report.as_text()
    assert result.records == len(PUBLISHED)
    return result.site_dir


@pytest.fixture(scope="module")
def draft_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("drafts")
    result = build(make_project(root), out_dir=root / "preview", include_drafts=True, strict=True)
    assert result.ok, result.report.as_text()
    return result.site_dir


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def html_files(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


# ---- pages exist ---------------------------------------------------------------


@pytest.mark.parametrize("path", INDEX_PAGES + [f"records/{slug}/index.html" for slug in PUBLISHED])
def test_page_exists(public_site, path):
    assert (public_site / path).is_file()


def test_shell_page_is_not_published(public_site):
    assert not (public_site / "records" / "_shell_").exists()
    assert "SHOWCASESLOT" not in "".join(read(public_site, str(p.relative_to(public_site))) for p in html_files(public_site))


# ---- record page content ---------------------------------------------------------


@pytest.mark.parametrize(
    "expected",
    [
        "第 47 号", "测试·城市花园", "延伸测试触角 满足测试需求",
        "1439户", "228,394.93平方米", "95%以上", "超过90%", "近5000人", "2021年",  # figures as the source states them
        "“1+1+X”联席会议制度", "解决电瓶车难题", "测试示范小区", "测试物业服务有限公司",
        "小区入口", "摄影：测试物业", "区名在来源中脱字。", "编辑此记录",
        "https://example.org/meihao-jiayuan/repo/edit/main/projects/047-ceshi-huayuan.yml",
        "以“红色物业”带动治理：建立小区党组织",  # the YAML line break between Chinese text leaves no space
    ],
)
def test_record_page_shows(public_site, expected):
    assert expected in read(public_site, "records/ceshi-huayuan/index.html")


def test_record_page_breadcrumb_links_province(public_site):
    page = read(public_site, "records/ceshi-huayuan/index.html")
    crumbs = re.search(r'<nav class="sc-crumbs".*?</nav>', page, re.S).group(0)
    assert 'href="../../provinces/hubei/"' in crumbs and "武汉市" in crumbs and "硚口区" in crumbs


def test_record_page_links_series_neighbours_and_related(public_site):
    page = read(public_site, "records/ceshi-huayuan/index.html")
    assert re.search(r'href="../../records/ceshi-lanwan/" rel="next"', page)
    related = page.split('id="related"')[1]
    assert "../../records/ceshi-lanwan/" in related  # shares a mechanism


def test_share_previews_and_canonical(public_site):
    page = read(public_site, "records/ceshi-huayuan/index.html")
    assert '<link rel="canonical" href="https://example.org/meihao-jiayuan/records/ceshi-huayuan/">' in page
    assert '<meta property="og:title" content="第 47 号 测试·城市花园">' in page
    # The lead photo's JPEG (content-addressed under media/) is the share image.
    assert re.search(r'<meta property="og:image" content="https://example.org/meihao-jiayuan/media/[0-9a-f]{2}/[0-9a-f]{24}-1080\.jpg">', page)
    assert re.search(r'<meta property="og:description" content="延伸测试触角 满足测试需求。小区有住户1439户', page)
    assert "<title>第 47 号 测试·城市花园 - 美好家园 · 项目展示</title>" in page
    home = read(public_site, "index.html")
    assert '<meta property="og:image" content="https://example.org/meihao-jiayuan/assets/showcase/share.jpg">' in home


def test_share_images_exist(public_site):
    site_url = "https://example.org/meihao-jiayuan/"
    for path in html_files(public_site):
        for image in re.findall(r'<meta property="og:image" content="([^"]+)"', path.read_text(encoding="utf-8")):
            assert image.startswith(site_url), (path, image)
            assert (public_site / image[len(site_url):]).is_file(), (path, image)


def test_record_page_stays_small(public_site):
    # Issue 6: a record page weighs at most 30 KB of HTML; the nav is pruned, the chrome shared.
    for slug in PUBLISHED:
        assert (public_site / "records" / slug / "index.html").stat().st_size <= 30_000


# ---- index pages ---------------------------------------------------------------


def test_home_headline_figures_come_from_records(public_site):
    home = read(public_site, "index.html")
    assert "<b>3</b><span>个项目</span>" in home
    assert "<b>2</b><span>个省份</span>" in home
    assert "<b>5439</b><span>户居民<small>依据 3 个项目的户数</small>" in home  # 1439 + 3200 + 800
    # 95以上, 98.5 and 90以上: the median is 95, and only known to be at least that.
    assert "<b>95%以上</b><span>业主满意度中位数<small>依据 3 个项目</small>" in home
    assert "“加强物业管理 共建美好家园”活动" in home  # the hand-written intro from content/index.md


def test_province_pages(public_site):
    assert "湖北 · 2 个项目" in read(public_site, "provinces/hubei/index.html")
    overview = read(public_site, "provinces/index.html")
    assert re.search(r"<b>湖北</b><span>2 个项目</span>.*<b>北京</b><span>1 个项目</span>", overview, re.S)


def test_series_page_counts_published_slots(public_site):
    page = read(public_site, "series/national-2022/index.html")
    assert "已发布 <b>2 / 100</b>" in page
    assert page.index("测试·城市花园") < page.index("测试蓝湾")  # number order


def test_theme_page_lists_records_and_mechanisms(public_site):
    page = read(public_site, "themes/xieshang-yishi/index.html")
    assert "测试·城市花园" in page and "测试蓝湾" in page
    assert "“1+1+X”联席会议制度" in page.split('id="mechanisms"')[1]


def test_mechanism_index_lists_users(public_site):
    page = read(public_site, "mechanisms/index.html")
    # A readable anchor: the name with its signs made hyphens; the record pages link to it.
    # The trailing generic word (制度) is not part of it: “1+1+X”联席会议 is the same mechanism.
    item = re.search(r'<div id="1-1-X-联席会议" class="sc-mechindex__item">\s*<dt>“1\+1\+X”联席会议制度.*?</div>', page, re.S).group(0)
    assert "第 47 号 测试·城市花园" in item and "第 48 号 测试蓝湾" in item
    assert 'href="../../mechanisms/#1-1-X-联席会议"' in read(public_site, "records/ceshi-huayuan/index.html")
    assert '<nav class="sc-toc"' in page and 'href="#xieshang-yishi"' in page


def test_catalogue_table_rows_and_sort_values(public_site):
    page = read(public_site, "catalogue/index.html")
    rows = re.findall(r"<tr data-province=\"(\w+)\" data-themes=\"([\w -]*)\"", page)
    assert [r[0] for r in rows] == ["hubei", "hubei", "beijing"]
    assert '<td class="sc-num" data-value="228394.93">228,394.93</td>' in page
    assert '<td class="sc-num" data-value="95">95%以上</td>' in page
    assert '<td class="sc-num" data-value="">—</td>' in page
    assert "<th" in page and 'data-sort="households"' in page


def test_sitemap_lists_records_and_no_drafts(public_site):
    sitemap = read(public_site, "sitemap.xml")
    for slug in PUBLISHED:
        # Each record page with the day its record file last changed (tests/test_site_overview.py: which day).
        assert re.search(rf"<loc>https://example.org/meihao-jiayuan/records/{slug}/</loc><lastmod>\d{{4}}-\d\d-\d\d</lastmod>", sitemap)
    assert "caogao" not in sitemap and "_shell_" not in sitemap


# ---- what must never be published -------------------------------------------------


def test_drafts_and_review_never_in_public_build(public_site):
    assert not (public_site / "records" / "caogao-huayuan").exists()
    for path in public_site.rglob("*"):
        if path.is_file() and path.suffix in {".html", ".xml", ".js", ".json"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            assert DRAFT_NAME not in text, path
            assert REVIEW_SECRET not in text, path


def test_drafts_build_marks_drafts_and_still_hides_review(draft_site):
    page = read(draft_site, "records/caogao-huayuan/index.html")
    assert "草稿" in page and DRAFT_NAME in page and "<title>［草稿］第 49 号" in page
    assert 'class="sc-row--draft"' in read(draft_site, "catalogue/index.html")
    for path in html_files(draft_site):
        assert REVIEW_SECRET not in path.read_text(encoding="utf-8"), path


def test_record_text_is_escaped_everywhere(public_site):
    for path in html_files(public_site):
        text = path.read_text(encoding="utf-8")
        assert '<script>alert("x")' not in text, path
        assert "<b>不是标签</b>" not in text, path
    assert "&lt;script&gt;" in read(public_site, "records/beijing-shequ/index.html")


# ---- links resolve --------------------------------------------------------------


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "id" in attributes:
            self.ids.add(attributes["id"])
        for name in ("href", "src"):
            if attributes.get(name) and tag in {"a", "link", "img", "script"}:
                self.links.append(attributes[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_every_internal_link_resolves(public_site):
    broken = []
    parsed = {path: _parse(path) for path in html_files(public_site)}
    for path, page in parsed.items():
        if path.name == "404.html":
            continue  # absolute links to the site_url mount, by design
        for link in page.links:
            parts = urlsplit(link)
            if parts.scheme or link.startswith("//"):
                continue
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{path.relative_to(public_site)} → {link}")
            elif parts.fragment and target.suffix == ".html" and parts.fragment not in parsed.get(target, _parse(target)).ids:
                broken.append(f"{path.relative_to(public_site)} → {link} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_source_links_are_external_and_escaped(public_site):
    page = read(public_site, "records/ceshi-huayuan/index.html")
    assert 'href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow"' in page


# ---- pipeline guarantees --------------------------------------------------------------


def test_two_builds_are_byte_identical(tmp_path):
    config = make_project(tmp_path)
    first = build(config, out_dir=tmp_path / "one")
    second = build(config, out_dir=tmp_path / "two")
    assert first.ok and second.ok
    assert tree_digest(tmp_path / "one") == tree_digest(tmp_path / "two")


# The project and its site; `.site.media-spare` is the media/ of the site before the live one (generator.build.photos).
EXPECTED_BESIDE = [".site.media-spare", "content", "projects", "site", "site_config.yml"]


def test_failed_validation_writes_nothing_and_keeps_the_previous_site(tmp_path):
    config = make_project(tmp_path)
    assert build(config).ok
    before = tree_digest(config.site_dir)
    write_records(tmp_path, {"bad.yml": {"kind": "estate", "name": "缺字段"}})
    result = build(config)
    assert not result.ok and result.report.errors
    assert tree_digest(config.site_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == EXPECTED_BESIDE


def test_rebuild_replaces_the_site_in_place(tmp_path):
    config = make_project(tmp_path)
    assert build(config).ok
    (tmp_path / "projects" / "048-ceshi-lanwan.yml").unlink()
    assert build(config).ok
    assert not (config.site_dir / "records" / "ceshi-lanwan").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == EXPECTED_BESIDE


def test_refuses_to_replace_a_folder_that_is_not_a_site(tmp_path):
    config = make_project(tmp_path)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep me", encoding="utf-8")
    with pytest.raises(Exception, match="不覆盖"):
        build(config, out_dir=precious)
    assert (precious / "notes.txt").read_text(encoding="utf-8") == "keep me"


def test_hand_written_page_under_records_is_refused(tmp_path):
    config = make_project(tmp_path)
    (tmp_path / "content" / "records").mkdir()
    (tmp_path / "content" / "records" / "mine.md").write_text("# 手写\n", encoding="utf-8")
    with pytest.raises(Exception, match="content/records/"):
        build(config)
    assert not config.site_dir.exists()


# ---- command line -----------------------------------------------------------------------


def test_cli_build(tmp_path):
    make_project(tmp_path)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--config", str(tmp_path / "site_config.yml"), "--out", str(out), "--strict"])
    assert result.exit_code == 0, result.output
    assert "项目页 3 页" in result.output
    assert (out / "records" / "ceshi-huayuan" / "index.html").is_file()


def test_cli_build_reports_every_problem_and_writes_nothing(tmp_path):
    make_project(tmp_path, {"bad-1.yml": {"kind": "estate"}, "bad-2.yml": {"kind": "nope", "name": "x"}})
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", "--config", str(tmp_path / "site_config.yml"), "--out", str(out)])
    assert result.exit_code == 1
    assert "projects/bad-1.yml" in result.output and "projects/bad-2.yml" in result.output
    assert not out.exists()


def test_cli_drafts_need_an_explicit_out_folder(tmp_path):
    make_project(tmp_path)
    result = CliRunner().invoke(main, ["build", "--config", str(tmp_path / "site_config.yml"), "--drafts"])
    assert result.exit_code == 2 and "--out" in result.output
    assert not (tmp_path / "site").exists()


# ---- the shipped records ------------------------------------------------------------


def test_shipped_records_build_strict_with_working_links(tmp_path):
    from generator.schema.site_config import load_site_config
    from site_support import ROOT

    config = load_site_config(ROOT / "site_config.yml")
    result = build(config, out_dir=tmp_path / "site", strict=True)
    if not result.ok:
        pytest.skip("projects/ does not validate right now (showcase check reports it): " + result.report.as_text()[-300:])
    if result.records == 0:
        pytest.skip("projects/ has no published records yet")
    site = result.site_dir
    assert len(list((site / "records").iterdir())) == result.records
    test_every_internal_link_resolves(site)


@pytest.mark.parametrize(
    "workers, error, words",
    [(False, "ENOSPC", "磁盘已满"), (True, "EROFS", "文件系统是只读的")],
    ids=["one-process", "workers"],
)
def test_a_write_error_is_a_clear_message_and_keeps_the_previous_site(tmp_path, monkeypatch, workers, error, words):
    import errno
    import os

    from generator.build import site as site_stage
    from generator.errors import UserError

    config = make_project(tmp_path)
    assert build(config).ok
    before = tree_digest(config.site_dir)
    code = getattr(errno, error)

    def disk_full(*args):
        raise OSError(code, os.strerror(code), "records/ceshi-huayuan/index.html")

    monkeypatch.setattr(site_stage, "_write_page", disk_full)
    monkeypatch.setattr(parallel, "MIN_RECORDS", 1 if workers else 10**9)
    with pytest.raises(UserError, match=f"写入网站 .*site 时出错（之前的网站保持不变）：{words}"):
        build(config)
    assert tree_digest(config.site_dir) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == EXPECTED_BESIDE
