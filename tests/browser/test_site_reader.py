"""The reader's site in Chromium: accessibility (axe-core) on every page type at phone and desktop width,
the map and charts without JavaScript, keyboard use, the catalogue's rough edges.

axe runs on each page once per width in the same tab (the viewport is resized between runs, the
script is injected once): loading every page twice would double the time for the same answer.
Screenshots of the home page at both widths go to the test's tmp_path (printed with -s) for a
person to look at.
"""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
# One page of every type the site makes (generated, hand-written, channel, search, error).
PAGE_TYPES = {
    "home": "",
    "catalogue": "catalogue/",
    "provinces": "provinces/",
    "province": "provinces/hubei/",
    "themes": "themes/",
    "theme": "themes/ban-shishi/",
    "tag": "themes/ban-shishi/" + quote("电动车充电") + "/",
    "mechanisms": "mechanisms/",
    "series index": "series/",
    "series": "series/national-2022/",
    "record": "records/ceshi-huayuan/",
    "search": "search/?q=" + quote("电动车"),
    "wechat": "wechat/hubei/",
    "about (Markdown)": "about/",
    "404": "404.html",  # served where site_url puts the site (404.html links by absolute path)
}
MOUNT = "meihao-jiayuan/"  # the path of site_url in the test project (tests/site_support.py)


@pytest.fixture(scope="module")
def site_url(tmp_path_factory):
    """The test project served under the path its site_url names, as a project page is deployed:
    every page links relatively, and 404.html (which may be shown at any address) by that path."""
    from bench.search_harness import serve
    from generator.build.pipeline import build
    from site_support import make_project

    root = tmp_path_factory.mktemp("reader-site")
    result = build(make_project(root))
    assert result.ok, result.report.as_text()
    (root / "mount").mkdir()
    (root / "mount" / MOUNT.strip("/")).symlink_to(result.site_dir, target_is_directory=True)
    with serve(root / "mount") as url:
        yield url + MOUNT


@pytest.fixture(scope="module")
def axe_script():
    axe = pytest.importorskip("axe_playwright_python.sync_playwright")
    return axe.Axe().axe_script


def serious(page) -> list[str]:
    results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_no_serious_accessibility_violations_at_either_width(browser, site_url, axe_script, name):
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + PAGE_TYPES[name])
    page.wait_for_load_state("networkidle")
    if name == "search":
        page.wait_for_selector(".sc-search-result")
    page.evaluate(axe_script)
    found = {}
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        found[width] = serious(page)
    context.close()
    assert found == {width: [] for width in WIDTHS}, json.dumps(found, ensure_ascii=False, indent=1)


def test_map_and_charts_read_without_javascript(browser, site_url, tmp_path):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url)
    tiles = page.locator(".sc-map__tile")
    assert tiles.count() == 34
    hubei = page.locator(".sc-map__tile", has_text="湖北")
    assert hubei.locator("a").get_attribute("href").endswith("provinces/hubei/")
    assert page.locator(".sc-map__tile--0", has_text="西藏").is_visible()  # no project yet, still there
    chart = page.locator(".sc-chart").first
    assert chart.locator("svg[role=img]").is_visible()
    assert "依据 3 个项目的数据" in chart.locator("figcaption").inner_text()
    table = chart.locator("table")
    assert not table.is_visible()
    chart.locator("summary").click()
    assert table.is_visible() and table.locator("tbody tr").count() >= 2
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        shot = tmp_path / f"home-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        print(f"screenshot: {shot}")
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    context.close()


def test_keyboard_skip_link_and_visible_focus(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + "records/ceshi-huayuan/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "跳到正文"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "sc-content"
    box = page.locator("form[data-showcase-search] input")
    box.focus()
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard: :focus-visible applies
    assert box.evaluate("e => getComputedStyle(e).outlineStyle") != "none"
    context.close()


def test_site_name_is_not_clipped_on_a_phone(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + "records/ceshi-huayuan/")
    name = page.locator(".md-header__topic").first.locator(".md-ellipsis")
    assert name.inner_text().strip() == "美好家园 · 项目展示"
    assert name.evaluate("e => e.scrollWidth <= e.clientWidth")
    context.close()


def test_catalogue_unknown_filter_value_says_so(browser, site_url):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + "catalogue/?province=atlantis")
    notice = page.locator("[data-catalogue-notice]")
    assert notice.is_visible() and "atlantis" in notice.inner_text()
    assert page.locator("table[data-catalogue] tbody tr:not([hidden])").count() == 3
    assert page.locator("[data-catalogue-count]").inner_text() == "共 3 个项目"
    # Every column fits at 1280 px (the 主题 column used to be cut off) and the header row sticks.
    wrap = page.locator(".sc-table-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")
    assert page.locator(".sc-catalogue th").first.evaluate("e => getComputedStyle(e).position") == "sticky"
    assert "（1）" in page.locator("select[name=theme] option[value=ban-shishi]").inner_text()
    context.close()


def test_search_page_does_not_shift_as_results_arrive(browser, site_url):
    context = browser.new_context(viewport={"width": 390, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.add_init_script(
        "window.__shift = 0; new PerformanceObserver((list) => { for (const e of list.getEntries())"
        " if (!e.hadRecentInput) window.__shift += e.value; }).observe({type: 'layout-shift', buffered: true});"
    )
    page.goto(site_url + "search/?q=" + quote("电动车"))
    page.wait_for_selector(".sc-search-result")
    page.wait_for_timeout(300)
    assert page.evaluate("window.__shift") == 0
    assert page.locator("h1", has_text="搜索").count() == 1
    context.close()
