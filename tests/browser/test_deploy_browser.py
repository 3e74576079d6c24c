"""The site as deployed: served by nginx with the shipped configuration (deploy/), in Chromium.

Every page kind loads without a single Content-Security-Policy violation,
at the root and under a path the site_url does not name; the 404 page is
styled and its links work wherever it is shown.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import deploy_support
from generator.build.pipeline import build
from site_support import make_project

pytestmark = pytest.mark.browser

PAGES = ["", "catalogue/", "records/ceshi-huayuan/", "search/?q=联席会议", "wechat/", "wechat/hubei/",
         "provinces/hubei/", "mechanisms/", "no/such/page/"]
# Collects every violation the page reports, from the first script on.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    if not Path(deploy_support.NGINX).exists():
        pytest.skip("nginx is not installed (make test installs nginx-light)")
    root = tmp_path_factory.mktemp("deployed")
    result = build(make_project(root))
    assert result.ok, result.report.as_text()
    with deploy_support.nginx(result.site_dir, tmp_path_factory.mktemp("nginx")) as urls:
        yield urls


@pytest.mark.parametrize("where", ["root", "sub-path"])
def test_no_csp_violation_on_any_page(browser, served, where):
    base = served[0] if where == "root" else served[1]
    context = browser.new_context(locale="zh-CN")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    found = {}
    # Under the sub-path, the pages whose links depend on where the site is (the CSP does not).
    for path in PAGES if where == "root" else ["", "records/ceshi-huayuan/", "no/such/page/"]:
        page.goto(base + path)
        violations = page.evaluate("window.__violations")
        if violations:
            found[path] = violations
    # The search page really ran its script under the policy (results, not the noscript text).
    page.goto(base + "search/?q=联席会议")
    page.wait_for_selector(".sc-search-page .sc-search-result", timeout=10_000)
    context.close()
    assert not found, found


def test_404_page_under_another_path_is_styled_and_links_home(page, served):
    """site_url names /meihao-jiayuan/; served at /elsewhere/, the 404 page still finds its root."""
    _, sub = served
    page.goto(sub + "a/b/c/missing")
    assert page.title().startswith("页面不存在")
    assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky"  # Material's CSS
    assert page.evaluate("document.baseURI") == sub
    assert page.locator("a", has_text="回到首页").get_attribute("href") == "./"
    page.fill("#sc-not-found-q", "武汉")
    page.locator(".sc-not-found__search button").click()
    page.wait_for_load_state("load")
    assert page.url.startswith(sub + "search/?q=")
