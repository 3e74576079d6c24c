"""The “复制到公众号” button in a real browser (Playwright + Debian Chromium).

The page is served from http://localhost (a secure context, so the async
Clipboard API is available) and the clipboard is read back as text/html.
"""

from __future__ import annotations

import shutil

import pytest
from export_support import fixture_catalogue

from generator.exporters.website import COPY_SCRIPT_PATH, site_files, wechat_pages

sync_api = pytest.importorskip("playwright.sync_api")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM):
        pytest.skip("Debian chromium is not installed")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield browser
        browser.close()


def open_page(browser, permissions):
    pages = {page.url: page.content for page in wechat_pages(fixture_catalogue())}
    # The page brings its own script tag (../../assets/…, i.e. /assets/… from /wechat/hubei/).
    html = f'<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>{pages["wechat/hubei/"]}</body></html>'
    script = site_files(fixture_catalogue())[COPY_SCRIPT_PATH]
    context = browser.new_context(permissions=permissions)
    page = context.new_page()
    page.route("http://localhost/wechat/hubei/", lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
    page.route(f"http://localhost/{COPY_SCRIPT_PATH}", lambda route: route.fulfill(body=script, content_type="text/javascript"))
    page.goto("http://localhost/wechat/hubei/")
    return context, page


def test_button_copies_the_article_as_rich_text(browser):
    context, page = open_page(browser, ["clipboard-read", "clipboard-write"])
    try:
        page.get_by_role("button", name="复制到公众号").click()
        page.wait_for_selector("[data-copied]")
        assert page.get_attribute("[data-wechat-copy-button]", "data-copied") == "yes"
        assert "已复制" in page.inner_text("[data-wechat-copy-status]")
        copied = page.evaluate(
            """async () => {
                const [item] = await navigator.clipboard.read();
                return {types: item.types, html: await (await item.getType("text/html")).text()};
            }"""
        )
        assert "text/html" in copied["types"]
        assert "今天一起看看湖北地区“美好家园”项目有哪些特色和亮点" in copied["html"]
        assert 'style="' in copied["html"] and 'class="' not in copied["html"]
        assert "复制到公众号" not in copied["html"]  # only the article, not the button
    finally:
        context.close()
