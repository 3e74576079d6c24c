"""The catalogue table in a real browser: sorting, filtering, the URL as shareable state."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

pytestmark = pytest.mark.browser

HOSTILE = '<script>alert("x")</script>花园'


def visible_names(page) -> list[str]:
    return page.locator("table[data-catalogue] tbody tr:not([hidden]) td:nth-child(2) a").all_inner_texts()


def query(page) -> dict[str, list[str]]:
    return parse_qs(urlsplit(page.url).query)


def open_catalogue(page, site_url, search=""):
    page.goto(site_url + "catalogue/" + search)
    page.wait_for_selector("form[data-catalogue-filters]:not([data-pending])")


def sort_by(page, heading: str) -> None:
    page.locator("table[data-catalogue] th button", has_text=heading).click()


def test_sort_by_a_figure_column_and_back(page, site_url):
    open_catalogue(page, site_url)
    assert visible_names(page) == ["测试·城市花园", "测试蓝湾", HOSTILE]  # catalogue order
    sort_by(page, "户数")
    assert visible_names(page) == ["测试蓝湾", "测试·城市花园", HOSTILE]  # 3200, 1439, 800
    assert query(page) == {"sort": ["households"], "order": ["desc"]}
    assert page.locator('th[data-sort="households"]').get_attribute("aria-sort") == "descending"
    sort_by(page, "户数")
    assert visible_names(page) == [HOSTILE, "测试·城市花园", "测试蓝湾"]
    assert query(page)["order"] == ["asc"]


def test_qualified_figures_sort_by_their_number(page, site_url):
    open_catalogue(page, site_url, "?sort=owner_satisfaction&order=desc")
    # 98.5 > 95 (shown as 95%以上) > 90 (shown as 90%以上)
    assert visible_names(page) == ["测试蓝湾", "测试·城市花园", HOSTILE]


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_missing_figures_sort_last_either_way(page, site_url, order):
    open_catalogue(page, site_url, f"?sort=building_area&order={order}")
    assert visible_names(page)[0] == "测试·城市花园"  # the only record with a building area


def test_filter_by_province_updates_rows_count_and_url(page, site_url):
    open_catalogue(page, site_url)
    page.select_option("select[name=province]", "beijing")
    assert visible_names(page) == [HOSTILE]
    assert query(page) == {"province": ["beijing"]}
    assert page.locator("[data-catalogue-count]").inner_text() == "显示 1 / 3 个项目"


def test_shared_url_restores_filters_and_sort(page, site_url):
    open_catalogue(page, site_url, "?province=hubei&theme=xieshang-yishi&sort=households&order=asc")
    assert page.locator("select[name=province]").input_value() == "hubei"
    assert page.locator("select[name=theme]").input_value() == "xieshang-yishi"
    assert visible_names(page) == ["测试·城市花园", "测试蓝湾"]
    assert page.locator('th[data-sort="households"]').get_attribute("aria-sort") == "ascending"


def test_filters_that_match_nothing_say_so_and_reset_clears(page, site_url):
    open_catalogue(page, site_url, "?province=beijing&theme=xieshang-yishi")
    assert visible_names(page) == []
    assert page.locator("[data-catalogue-empty]").is_visible()
    page.locator("form[data-catalogue-filters] button[type=reset]").click()
    assert len(visible_names(page)) == 3
    assert query(page) == {}


def test_without_javascript_it_is_a_plain_table(browser, site_url):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(site_url + "catalogue/")
    assert page.locator("table[data-catalogue] tbody tr").count() == 3
    assert not page.locator("form[data-catalogue-filters]").is_visible()
    context.close()


_COLUMNS = "() => [...document.querySelectorAll('table[data-catalogue] th')].map((th) => th.getBoundingClientRect().width)"


def test_sort_buttons_change_no_column_width(browser, site_url):
    """catalogue.js turns the headings into buttons after the table is shown: nothing may move (a layout shift)."""
    widths = {}
    for scripts in (False, True):
        context = browser.new_context(java_script_enabled=scripts, viewport={"width": 412, "height": 800})
        page = context.new_page()
        page.goto(site_url + "catalogue/")
        if scripts:
            page.wait_for_selector("table[data-catalogue] th button")
        widths[scripts] = page.evaluate(_COLUMNS)
        context.close()
    assert widths[True] == pytest.approx(widths[False], abs=0.5)
