"""Search in headless Chromium: the issue's queries, the header box, filters, hostile text.

Builds a search bundle from the records in tests/search_support.py (and, in
the last test, from the shipped projects/), serves it on 127.0.0.1 with
minimal pages that carry the search box, and drives it with Playwright.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import quote, urlsplit

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.search import index_site  # noqa: E402
from bench.search_harness import CHROMIUM, chromium, serve, write_shell_pages  # noqa: E402
from generator.search.tokens import key_hash, normalize, query_parts  # noqa: E402
from generator.present.urls import record_url  # noqa: E402
from search_support import EXPECTED, SEARCH_SETTLED, XSS_NAME, make_catalogue  # noqa: E402

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs /usr/bin/chromium"),
]
pytest.importorskip("playwright")


def build_site(site: Path, catalogue) -> None:
    index_site(site, catalogue)
    write_shell_pages(site, {record_url(e.slug): e.record.name for e in catalogue.visible})


@pytest.fixture(scope="module")
def browser():
    with chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def base(tmp_path_factory):
    site = tmp_path_factory.mktemp("search-site")
    build_site(site, make_catalogue())
    with serve(site) as url:
        yield url


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    assert page.errors == []
    context.close()


def search_page(page, base: str, query: str, extra: str = "") -> list[str]:
    """Open /search/?q=…, wait for the outcome, return the result paths."""
    page.goto(f"{base}search/?q={quote(query)}{extra}")
    page.wait_for_function(SEARCH_SETTLED)
    return [urlsplit(h).path for h in page.eval_on_selector_all(".sc-search-result__title", "els => els.map(e => e.href)")]


def open_search_api(page, base: str) -> None:
    """Open the home page and wait for window.showcaseSearch."""
    page.goto(base)
    page.wait_for_function("window.showcaseSearch !== undefined")


def index_requests(page) -> list[str]:
    """The search index files the page asks for from now on, as paths below /index/ (filled as they go)."""
    fetched: list[str] = []
    page.on(
        "request",
        lambda request: fetched.append(urlsplit(request.url).path.split("/index/")[1]) if "/assets/search/index/" in request.url else None,
    )
    return fetched


def slugs(paths: list[str]) -> set[str]:
    return {p.strip("/").split("/")[-1] for p in paths}


@pytest.mark.parametrize("query", sorted(EXPECTED))
def test_query_finds_exactly_the_right_records(page, base, query):
    paths = search_page(page, base, query)
    assert slugs(paths) == EXPECTED[query]
    status = page.text_content(".sc-search-page__status")
    if EXPECTED[query]:
        assert f"找到 {len(EXPECTED[query])} 个项目" in status
    else:
        assert "没有找到" in status


def test_name_match_ranks_first(page, base):
    assert search_page(page, base, "金域")[0] == "/records/wuhan-jinyu-lanwan/"


def test_header_box_on_a_record_page(page, base):
    page.goto(f"{base}records/zaoyuan-shangcheng/")
    page.fill("form[data-showcase-search] input[name=q]", "电瓶车")
    page.wait_for_selector(".sc-search__panel .sc-search-result")
    names = page.eval_on_selector_all(".sc-search__panel .sc-search-result__name", "els => els.map(e => e.textContent)")
    assert sorted(names) == sorted(["葛洲坝·城市花园", "枣园尚城社区"])
    places = page.eval_on_selector_all(".sc-search__panel .sc-search-result__place", "els => els.map(e => e.textContent)")
    assert any(p.startswith("湖北") for p in places) and any(p.startswith("北京") for p in places)
    assert page.text_content(".sc-search__all") == "查看全部 2 个结果 →"
    page.press("form[data-showcase-search] input[name=q]", "Enter")
    page.wait_for_url("**/search/?q=*")
    assert slugs(search_page(page, base, "电瓶车")) == EXPECTED["电瓶车"]


def test_typing_starts_the_downloads_before_the_search(page, base):
    """The header box searches when typing pauses (a timer), but what is typed is downloaded at once."""
    page.clock.install()
    page.goto(base)
    page.wait_for_function("window.showcaseSearch !== undefined")
    page.evaluate("window.showcaseSearch.loadIndex()")
    page.clock.pause_at(page.evaluate("Date.now()") + 60_000)  # timers now wait for the test: no search by itself
    index_files = index_requests(page)
    with page.expect_request(lambda request: "/assets/search/index/y/0.bin" in request.url):
        page.fill("form[data-showcase-search] input[name=q]", "电动车")
    assert page.query_selector(".sc-search__panel .sc-search-result") is None
    page.clock.run_for(200)
    page.wait_for_selector(".sc-search__panel .sc-search-result")
    assert index_files.count("y/0.bin") == 1  # the search found the download in flight


def test_hostile_record_text_is_shown_as_text(page, base):
    paths = search_page(page, base, "花园")
    assert "/records/hostile-name/" in paths
    names = page.eval_on_selector_all(".sc-search-result__name", "els => els.map(e => e.textContent)")
    assert XSS_NAME in names
    headlines = page.eval_on_selector_all(".sc-search-result__headline", "els => els.map(e => e.textContent)")
    assert "<b>粗体</b>标语" in headlines
    assert page.query_selector(".sc-search-results img, .sc-search-results b") is None
    assert page.evaluate("window.__xss") is None


def test_excerpt_marks_the_word_the_record_uses(page, base):
    search_page(page, base, "电动车")
    marks = page.eval_on_selector_all(".sc-search-result__excerpt mark", "els => els.map(e => e.textContent)")
    assert "电瓶车" in marks and "电动车" in marks  # one record says each


def test_province_filter_with_counts_and_shareable_url(page, base):
    search_page(page, base, "电动车")
    options = page.eval_on_selector_all(
        ".sc-search-filter__option",
        "els => els.map(e => [e.querySelector('input').dataset.filter, e.querySelector('.sc-search-filter__value').textContent,"
        " e.querySelector('.sc-search-filter__count').textContent])",
    )
    assert ["province", "湖北", "1"] in options and ["province", "北京", "1"] in options
    page.check("input[data-filter=province][value=北京]")
    page.wait_for_function("document.querySelectorAll('.sc-search-result').length === 1")
    assert "province=%E5%8C%97%E4%BA%AC" in page.url
    shared = page.url
    assert slugs(search_page(page, shared.split("search/")[0], "电动车", "&province=" + quote("北京"))) == {"zaoyuan-shangcheng"}
    assert page.is_checked("input[data-filter=province][value=北京]")


def test_filter_without_query_lists_a_province(page, base):
    page.goto(f"{base}search/?province={quote('湖北')}")
    page.wait_for_function("document.querySelectorAll('.sc-search-result').length > 0")
    assert slugs(
        [urlsplit(h).path for h in page.eval_on_selector_all(".sc-search-result__title", "els => els.map(e => e.href)")]
    ) == {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"}


@pytest.mark.parametrize(
    "query", ["电动车", "业委会 武汉", "湾", "H5月报", "“四公开一监督”", "ＡＰＰ平台", "，。", "面积12㎡", "哈哈哈哈哈", "¼块"]
)
def test_browser_splits_queries_like_python(page, base, query):
    open_search_api(page, base)
    parts = page.evaluate("(q) => window.showcaseSearch.queryParts(q)", query)
    assert parts == [{"kind": p.kind, "text": p.text, "keys": list(p.keys), "offsets": list(p.offsets)} for p in query_parts(query)]


@pytest.mark.parametrize("text", ["葛洲坝·城市花园", "每月推送H5月报，“四公开一监督”", "“1+1+X”联席  会议", "ＡＰＰ\n平台", "¼ ²", "𠀀𠀁"])
def test_browser_normalizes_and_hashes_like_python(page, base, text):
    open_search_api(page, base)
    assert page.evaluate("(t) => window.showcaseSearch.normalize(t)", text) == normalize(text)
    keys = [text[i : i + 2] for i in range(len(text) - 1)] + list(text)
    hashes = page.evaluate("(keys) => keys.map((k) => window.showcaseSearch.keyHash(k))", keys)
    assert hashes == [key_hash(k) for k in keys]


def test_search_loads_only_a_few_files(page, base):
    """The first search fetches the manifest, its keys' shards and the shown records' metadata: not the index."""
    index_files = index_requests(page)
    open_search_api(page, base)
    count = page.evaluate("async () => (await window.showcaseSearch.findRecords('四公开一监督')).results.length")
    assert count == 2
    assert any("index.json" in u for u in index_files)
    assert 1 < len(index_files) <= 1 + 3  # manifest + at most one shard per key (四公, 开一, 监督)


def test_browser_lists_group_keys_like_python(page, base):
    from generator.search.synonyms import SYNONYM_GROUPS, group_keys

    open_search_api(page, base)
    groups = [list(group) for group in SYNONYM_GROUPS]
    found = page.evaluate("(groups) => groups.map((g) => [...window.showcaseSearch.groupKeys(g)].sort())", groups)
    assert found == [group_keys(group) for group in SYNONYM_GROUPS]


def test_a_synonym_query_reads_its_groups_keys_from_one_file(page, base):
    """电动车 and its variants' keys come from the group's file y/0.bin: one request, no shard."""
    index_files = index_requests(page)
    open_search_api(page, base)
    ids = page.evaluate("async () => (await window.showcaseSearch.findRecords('电动车')).results.map((r) => r.id)")
    assert len(ids) == len(EXPECTED["电动车"])
    # t2s.json: every query is read in simplified script first (suggestions.py).
    assert [f for f in index_files if not f.startswith("m/")] == ["index.json", "t2s.json", "y/0.bin"]


def test_works_under_a_mount_path(browser, tmp_path):
    """The site served from /some/path/ (a project page): the index is found relative to the script."""
    mounted = tmp_path / "some" / "path"
    mounted.mkdir(parents=True)
    build_site(mounted, make_catalogue())
    with serve(tmp_path) as url:
        context = browser.new_context()
        page = context.new_page()
        paths = search_page(page, url + "some/path/", "金域蓝湾")
        assert paths == ["/some/path/records/wuhan-jinyu-lanwan/"]
        context.close()


SHIPPED = {
    "四公开一监督": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},
    "电动车": {"gezhouba-chengshi-huayuan", "zaoyuan-shangcheng-shequ"},
    "电瓶车": {"gezhouba-chengshi-huayuan", "zaoyuan-shangcheng-shequ"},
    "业委会": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan", "xiangshan-jinyuan", "jiaming-huayuan"},
    "武汉": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},
    "金域蓝湾": {"wuhan-jinyu-lanwan"},
    "葛洲坝": {"gezhouba-chengshi-huayuan"},
}


def test_shipped_records(browser, tmp_path):
    """The issue's queries on the real projects/: each finds (at least) the records known to match."""
    from generator.schema.site_config import load_site_config
    from generator.build.records import load_catalogue

    root = Path(__file__).resolve().parents[2]
    catalogue = load_catalogue(load_site_config(root / "site_config.yml"))
    present = {e.slug for e in catalogue.visible}
    needed = set().union(*SHIPPED.values())
    if not needed <= present:
        pytest.skip(f"shipped records changed: missing {sorted(needed - present)}")
    build_site(tmp_path, catalogue)
    with serve(tmp_path) as url:
        context = browser.new_context()
        page = context.new_page()
        for query, expected in SHIPPED.items():
            found = slugs(search_page(page, url, query))
            assert expected <= found, query
        assert search_page(page, url, "金域蓝湾")[0] == "/records/wuhan-jinyu-lanwan/"
        assert search_page(page, url, "葛洲坝")[0] == "/records/gezhouba-chengshi-huayuan/"
        context.close()


def test_large_postings_are_fetched_without_their_shard(browser, tmp_path, monkeypatch):
    """With every posting in a file of its own, a search asks for those files and no shard."""
    from generator.search import indexer

    monkeypatch.setattr(indexer, "HEAVY_BYTES", 0)
    build_site(tmp_path, make_catalogue())
    with serve(tmp_path) as url:
        context = browser.new_context()
        page = context.new_page()
        fetched = []
        page.on("request", lambda request: fetched.append(request.url))
        assert slugs(search_page(page, url, "四公开一监督")) == EXPECTED["四公开一监督"]
        assert not [u for u in fetched if "/index/s/" in u]
        assert len([u for u in fetched if "/index/k/" in u]) == 3
        context.close()


def test_wide_numbers_find_the_same(browser, tmp_path, monkeypatch):
    """Record ids and positions of 4 bytes each (past 65,536 records or positions): numbers beyond 2^32, same results."""
    from generator.search import postings

    monkeypatch.setattr(postings, "_width", lambda largest: 4)
    build_site(tmp_path, make_catalogue())
    index = (tmp_path / "assets" / "search" / "index" / "index.json").read_text(encoding="utf-8")
    assert '"ridBytes":4' in index and '"posBytes":4' in index
    with serve(tmp_path) as url:
        context = browser.new_context()
        page = context.new_page()
        for query in ("四公开一监督", "业委会", "北京 电动车", "武汉"):
            assert slugs(search_page(page, url, query)) == EXPECTED[query], query
        context.close()


# ---- what readers type (issue 17): figures, traditional script, near-misses, English ----------

READER_QUERIES = {
    "满意度": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},  # records with the figure, not only prose
    "95%": {"gezhouba-chengshi-huayuan"},  # 95%以上; not 98%, not 950户
    "四公開一監督": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},  # traditional script
    "業委會": {"gezhouba-chengshi-huayuan", "wuhan-jinyu-lanwan"},  # traditional, through the synonym 业主委员会
}


@pytest.mark.parametrize("query", sorted(READER_QUERIES))
def test_reader_queries_find_their_records(page, base, query):
    assert slugs(search_page(page, base, query)) == READER_QUERIES[query]


@pytest.mark.parametrize(
    "query, suggested",
    [("桥口", "硚口"), ("wuhan", "武汉"), ("Wuhan City", "武汉"), ("satisfaction", "满意度"), ("owners committee", "业委会")],
)
def test_a_query_that_finds_nothing_gets_a_suggestion(page, base, query, suggested):
    assert search_page(page, base, query) == []
    page.wait_for_selector(".sc-search-page__suggestion")
    words = page.eval_on_selector_all(".sc-search-page__suggestion a", "els => els.map(e => e.textContent)")
    assert suggested in words
    page.click(f".sc-search-page__suggestion a:text-is('{suggested}')")
    page.wait_for_selector(".sc-search-result__title")
    assert page.locator(".sc-search-result").count() >= 1


def test_the_header_box_suggests_too(page, base):
    open_search_api(page, base)
    page.fill("form[data-showcase-search] input", "桥口")
    page.wait_for_selector(".sc-search__panel .sc-search__suggestion")
    assert page.locator(".sc-search__panel .sc-search__suggestion", has_text="硚口").count() == 1


def test_excerpt_is_the_records_own_sentence_in_its_own_case(page, base):
    search_page(page, base, "h5")
    excerpt = page.locator(".sc-search-result__excerpt").first
    assert excerpt.inner_text() == "物业每月推送H5月报。"
    assert excerpt.locator("mark").inner_text() == "H5"
    # Only the name is a link: the excerpt and headline are text in the text colour.
    assert page.locator("a .sc-search-result__excerpt, a .sc-search-result__headline").count() == 0


def test_excerpt_is_a_sentence_not_the_keyword_list(page, base):
    search_page(page, base, "红色物业")  # in the tags (a keyword list) and in the summary's sentence
    assert page.locator(".sc-search-result__excerpt").first.inner_text() == "小区不断探索“红色物业”融入社区治理新模式，著力打造“红色业委会”。"


def test_show_more_is_not_shown_when_there_is_no_more(page, base):
    search_page(page, base, "武汉")
    more = page.locator(".sc-search-page__more")
    assert more.count() == 1 and not more.is_visible()


# Records in the order the list shows them, each time it changes: installed before the page's scripts run.
_WATCH_LIST = """
window.listStates = [];
new MutationObserver(() => {
  const list = document.querySelector("ol.sc-search-results");
  if (!list) return;
  const items = [...list.children];
  items.forEach((item, i) => { if (!item.dataset.seen) item.dataset.seen = String(window.listStates.length) + ":" + i; });
  window.listStates.push({ count: items.length, seen: items.map((item) => item.dataset.seen), busy: list.hasAttribute("aria-busy") });
}).observe(document, { childList: true, subtree: true });
"""


def test_a_long_list_shows_its_first_screen_first_and_never_moves_it(browser, tmp_path):
    """Sixty matching records: the first five results come first (their excerpts are the only ones waited
    for), the rest of the page is appended below them without replacing them, "显示更多" waits until the
    list is whole, and a click adds the next page."""
    from bench.synthetic import generate
    from generator.build.records import load_catalogue
    from generator.schema.site_config import load_site_config

    synthetic = generate(60, tmp_path / "project")
    catalogue = load_catalogue(load_site_config(synthetic.config_path), cache=False)
    site = tmp_path / "site"
    site.mkdir()
    build_site(site, catalogue)
    with serve(site) as url:
        context = browser.new_context()
        page = context.new_page()
        page.add_init_script(_WATCH_LIST)
        found = search_page(page, url, "合成")
        assert len(found) == 20 and len(set(found)) == 20
        states = page.evaluate("window.listStates")
        filled = [s for s in states if s["count"]]
        assert filled[0]["count"] == 5 and filled[0]["busy"]  # the first screen, alone, while the rest loads
        assert filled[-1]["count"] == 20 and not filled[-1]["busy"]
        # The first five nodes were never replaced: the final list starts with the very items shown first.
        assert filled[-1]["seen"][:5] == filled[0]["seen"]
        more = page.locator(".sc-search-page__more")
        assert more.is_visible()
        more.click()
        page.wait_for_function("document.querySelectorAll('.sc-search-result').length === 40")
        assert page.locator("ol.sc-search-results[aria-busy]").count() == 0
        context.close()
