"""Record and catalogue pages at phone and desktop widths: screenshots, overflow, print.

Screenshots go to the test's tmp_path (printed with -s) for a person to look at;
the assertions catch what a person would: content wider than the phone, the
figures card missing, page chrome on paper.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = {"phone": 390, "desktop": 1280}


@pytest.mark.parametrize("device", WIDTHS)
@pytest.mark.parametrize("path", ["records/ceshi-huayuan/", "catalogue/", ""])
def test_page_fits_the_screen(browser, site_url, tmp_path, device, path):
    width = WIDTHS[device]
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.goto(site_url + path)
    page.wait_for_load_state("load")
    shot = tmp_path / f"{(path.strip('/').replace('/', '-') or 'home')}-{device}.png"
    page.screenshot(path=str(shot), full_page=True)
    print(f"screenshot: {shot}")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{path} is {overflow}px wider than a {width}px screen"
    context.close()


def test_record_page_figures_card(page, site_url):
    page.goto(site_url + "records/ceshi-huayuan/")
    figures = page.locator(".sc-figure")
    assert figures.count() == 5
    texts = figures.all_inner_texts()
    assert any("业主满意度" in t and "95%以上" in t for t in texts)
    assert page.locator(".sc-badge", has_text="第 47 号").is_visible()


def test_print_hides_page_chrome(page, site_url):
    page.goto(site_url + "records/ceshi-huayuan/")
    page.emulate_media(media="print")
    assert not page.locator(".md-header").is_visible()
    assert not page.locator(".sc-pager").is_visible()
    assert page.locator(".sc-record__name").is_visible()
