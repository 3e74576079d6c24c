"""The record page's photos in Chromium: the lightbox by keyboard, the rendition a phone picks, no layout shift."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser
RECORD = "records/ceshi-huayuan/"


def test_lightbox_works_by_keyboard(site_url, page) -> None:
    page.goto(site_url + RECORD)
    first = page.locator("a[data-lightbox]").first
    first.focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog.sc-lightbox")
    assert dialog.evaluate("d => d.open")
    assert page.locator(".sc-lightbox__count").inner_text() == "1 / 3"
    page.keyboard.press("ArrowRight")
    assert page.locator(".sc-lightbox__count").inner_text() == "2 / 3"
    assert page.locator(".sc-lightbox__caption").inner_text() == "小区入口（摄影：测试物业）"
    page.keyboard.press("ArrowLeft")
    page.keyboard.press("ArrowLeft")
    assert page.locator(".sc-lightbox__count").inner_text() == "3 / 3"
    page.keyboard.press("Escape")
    assert not dialog.evaluate("d => d.open")
    assert page.evaluate("document.activeElement.hasAttribute('data-lightbox')")  # focus is back on the photo


def test_a_phone_downloads_no_wider_photo_than_it_shows_and_nothing_shifts(browser, site_url) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="zh-CN")
    tab = context.new_page()
    tab.add_init_script("""
        window.__shift = 0;
        new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) window.__shift += e.value; })
            .observe({type: 'layout-shift', buffered: true});
    """)
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url) if "/media/" in request.url else None)
    tab.goto(site_url + RECORD)
    tab.wait_for_load_state("networkidle")
    lead = tab.locator(".sc-photo--lead img")
    chosen = lead.evaluate("img => img.currentSrc")
    shown = lead.evaluate("img => img.getBoundingClientRect().width")
    width = int(chosen.rsplit("-", 1)[1].split(".")[0])
    assert chosen.endswith(".webp") and shown * 2 <= width < 1600, (chosen, shown)  # 2× the CSS width, not the largest
    assert all(not url.endswith("-1600.webp") for url in requested), requested
    tab.mouse.wheel(0, 4000)
    tab.wait_for_timeout(300)
    assert tab.evaluate("window.__shift") < 0.01
    context.close()
