"""Inert text in a real browser: the payload record's pages run nothing, and show the payload as text.

The site is built with tests/fixtures/hostile/payload.yml (see tests/test_inert_text.py)
and opened in headless Chromium. Before any page script runs, an init script
installs a trap: assigning `window.__pwned` (what every payload does), calling
alert/confirm/prompt, or opening a window is recorded. Each test then checks
that the trap recorded nothing, that no element carries an event handler or a
javascript: link from the payload, and that the payload's text is on screen.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from search_support import SEARCH_SETTLED  # noqa: E402
from test_inert_text import FIELD_TEXTS, FRAGMENTS, make_payload_project, squash  # noqa: E402

pytestmark = pytest.mark.browser

TRAP = """
(() => {
  const seen = [];
  Object.defineProperty(window, "__executions", { value: seen, configurable: false });
  Object.defineProperty(window, "__pwned", {
    configurable: false,
    get() { return undefined; },
    set(value) { seen.push("window.__pwned=" + value); },
  });
  for (const name of ["alert", "confirm", "prompt", "open", "print"]) {
    window[name] = (...args) => { seen.push(name + "(" + args.join(",") + ")"); };
  }
})();
"""

# Every element and attribute a payload could have produced, found from inside the page.
DOM_SCAN = """
() => {
  const found = [];
  for (const el of document.querySelectorAll("*")) {
    for (const attr of el.attributes) {
      const value = attr.value || "";
      if (attr.name.startsWith("on") && value.includes("pwned")) found.push(el.tagName + " " + attr.name);
      if (["href", "src", "action", "formaction", "xlink:href"].includes(attr.name)
          && /^\\s*(javascript|vbscript|data:text\\/html)/i.test(value)) found.push(el.tagName + " " + attr.name + "=" + value.slice(0, 40));
      if (attr.name === "srcdoc") found.push(el.tagName + " srcdoc");
    }
    if (el.tagName === "SCRIPT" && !/json/i.test(el.type || "") && (el.textContent || "").includes("pwned")) found.push("SCRIPT with payload");
    if (["IFRAME", "PLAINTEXT"].includes(el.tagName)) found.push(el.tagName);
  }
  return found;
}
"""


@pytest.fixture(scope="module")
def payload_project(tmp_path_factory):
    return make_payload_project(tmp_path_factory.mktemp("payload-browser"))


@pytest.fixture(scope="module")
def payload_site(payload_project):
    from generator.build.pipeline import build
    from bench.search_harness import serve

    result = build(payload_project)
    assert result.ok, result.report.as_text()
    assert (result.site_dir / "search" / "index.html").is_file()
    with serve(result.site_dir) as url:
        yield url, result.site_dir


@pytest.fixture(scope="module")
def search_site(payload_site):
    """The built site, whose /search/ page and header box search the payload records."""
    return payload_site[0]


@pytest.fixture
def trapped(browser):
    """A page with the execution trap installed; after the test, nothing may have run."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.add_init_script(TRAP)
    page = context.new_page()
    page.errors = []
    page.dialogs = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    executions = page.evaluate("window.__executions")
    context.close()
    assert executions == [], f"payload executed: {executions}"
    assert page.dialogs == []
    assert not [e for e in page.errors if "pwned" in e]


def assert_inert(page) -> None:
    page.wait_for_load_state("load")
    assert page.evaluate(DOM_SCAN) == []
    assert page.evaluate("window.__executions") == []


def shown(page) -> str:
    return squash(page.evaluate("document.body.innerText"))


def test_record_page(trapped, payload_site) -> None:
    url, _ = payload_site
    trapped.goto(url + "records/payload-xss/")
    assert_inert(trapped)
    text = shown(trapped)
    for label in ("name", "headline", "what", "how", "highlight-text", "caption", "source-title"):
        assert squash(FIELD_TEXTS[label]) in text, label
    assert trapped.title().count("<script>window.__pwned=1</script>") >= 1  # the title holds it as text
    for link in trapped.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        assert not link.lower().startswith("javascript:")


@pytest.mark.parametrize("path", ["", "catalogue/", "provinces/beijing/", "provinces/", "mechanisms/", "themes/", "series/local-practices/"])
def test_listing_pages(trapped, payload_site, path: str) -> None:
    url, _ = payload_site
    trapped.goto(url + path)
    assert_inert(trapped)
    if path in {"catalogue/", "provinces/beijing/"}:
        assert squash(FIELD_TEXTS["name"]) in shown(trapped)


def test_catalogue_filter_and_sort_keep_the_payload_as_text(trapped, payload_site) -> None:
    url, _ = payload_site
    trapped.goto(url + "catalogue/?province=beijing&sort=name&order=desc")
    assert_inert(trapped)
    assert squash(FIELD_TEXTS["name"]) in shown(trapped)
    for button in trapped.query_selector_all("th button")[:4]:
        button.click()
        assert_inert(trapped)
    assert squash(FIELD_TEXTS["name"]) in shown(trapped)


def test_search_results_show_the_payload_as_text(trapped, search_site) -> None:
    trapped.goto(search_site + "search/?q=" + quote("模板"))
    trapped.wait_for_function(SEARCH_SETTLED)
    assert_inert(trapped)
    results = trapped.eval_on_selector_all(".sc-search-result", "els => els.map(e => e.textContent)")
    assert any("<script>window.__pwned=1</script>" in r for r in results), results


@pytest.mark.parametrize("query", FRAGMENTS[:6])
def test_typing_a_payload_into_search_runs_nothing(trapped, search_site, query: str) -> None:
    trapped.goto(search_site + "search/")
    trapped.fill("input[type=search]", query)
    trapped.keyboard.press("Enter")
    trapped.wait_for_function(SEARCH_SETTLED)
    assert_inert(trapped)
    trapped.goto(search_site + "search/?q=" + quote(query))
    trapped.wait_for_timeout(300)
    assert_inert(trapped)


def test_the_trap_notices_a_payload(trapped, browser) -> None:
    """The trap and the DOM scan would see an unescaped payload (so the tests above can fail)."""
    context = browser.new_context()
    context.add_init_script(TRAP)
    page = context.new_page()
    page.set_content('<p><img src=x onerror="window.__pwned=1"><a href="javascript:alert(1)">x</a></p><script>window.__pwned=2</script>')
    page.wait_for_timeout(200)
    executions = page.evaluate("window.__executions")
    scan = page.evaluate(DOM_SCAN)
    context.close()
    assert "window.__pwned=2" in executions and "window.__pwned=1" in executions
    assert any("onerror" in s for s in scan) and any("javascript" in s for s in scan)
