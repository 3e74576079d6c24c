"""WeChat articles: only what the 公众号 editor keeps, escaped, with the series' wording."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from export_support import fixture_catalogue, project_catalogue

from generator.catalogue import Catalogue, Entry
from generator.exporters import Selection, export, select
from generator.exporters.website import COPY_SCRIPT_PATH, site_files, wechat_pages
from generator.exporters import ExportJob
from generator.exporters.wechat import BODY_LIMIT, body_length, is_wechat_link, render_article, site_photo
from generator.media.renditions import plan
from generator.schema.record import Image


class Collector(HTMLParser):
    """Every start tag with its attributes, and the text, of an HTML string."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag

    def handle_data(self, data):
        self.text.append(data)

    @property
    def plain(self) -> str:
        return "".join(self.text)


def parse(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


def wechat_violations(html: str) -> list[str]:
    """What the WeChat editor would strip or choke on, found by parsing."""
    parsed = parse(html)
    problems = []
    for tag, attrs in parsed.tags:
        if tag in ("style", "script", "link", "iframe", "form", "input", "button"):
            problems.append(f"<{tag}>")
        for name in ("class", "id"):
            if name in attrs:
                problems.append(f"{name} on <{tag}>")
        if any(name.startswith("on") for name in attrs):
            problems.append(f"event handler on <{tag}>")
        style = attrs.get("style") or ""
        if "var(" in style or re.search(r"(^|;)\s*--", style) or "@media" in style:
            problems.append(f"CSS variable or at-rule in <{tag}> style")
        if tag == "a" and not is_wechat_link(attrs.get("href") or ""):
            problems.append(f"link {attrs.get('href')}")  # external links become numbered notes
        if tag == "img" and "max-width: 100%" not in style:
            problems.append("image without max-width:100%")
    if "@media" in html:
        problems.append("@media")
    return problems


@pytest.fixture(scope="module")
def catalogue():
    return fixture_catalogue()


@pytest.fixture(scope="module")
def hubei_article(catalogue):
    return render_article(catalogue, select(catalogue, Selection(provinces=("湖北",))))


def test_article_has_only_inline_styles(hubei_article):
    assert wechat_violations(hubei_article) == []
    styled = [tag for tag, attrs in parse(hubei_article).tags if attrs.get("style")]
    assert len(styled) > 20  # the stylesheet really was inlined


def test_article_follows_the_series_wording(hubei_article):
    text = parse(hubei_article).plain
    assert "今天一起看看湖北地区“美好家园”项目有哪些特色和亮点" in text
    order = [
        text.index(s)
        for s in ("湖 北", "第 47 号", "示例花园（示例）", "延伸党建触角 满足业主需求", "湖北省武汉市硚口区", "概况及亮点", "1439户",
                  "基本信息", "示例物业服务有限公司", "“1+1+X”联席会议制度", "红色业委会", "主题：", "来源：", "第 48 号")
    ]
    assert order == sorted(order)
    assert "95%以上" in text and "超过1000户" in text and "（2022年业主评议）" in text


def test_one_quotation_mark_convention(catalogue):
    entry = catalogue.by_slug("shili-huayuan")
    cornered = Catalogue(catalogue.config, [Entry(entry.path, entry.record.model_copy(update={"summary": "推行「红色物业」和『四公开』。"}))])
    text = parse(render_article(cornered, select(cornered, Selection()))).plain
    assert "推行“红色物业”和‘四公开’。" in text
    assert not set("「」『』") & set(text)


def test_the_font_stack_is_the_wechat_readers_own(hubei_article):
    article = parse(hubei_article).tags[0][1]["style"]
    assert article.startswith("font-family: -apple-system, BlinkMacSystemFont, 'Helvetica Neue', 'PingFang SC'")
    assert "'Microsoft YaHei'" in article and article.split(";")[0].endswith("sans-serif")


def test_multi_province_articles_have_a_heading_per_province_in_series_order(catalogue):
    html = render_article(catalogue, select(catalogue, Selection()))
    headings = [text for text in re.findall(r"<h2[^>]*>([^<]*)</h2>", html)]
    assert headings == ["2022年“美好家园”项目（全国100个）", "北 京", "湖 北", "地方实践", "湖 南"]
    text = parse(html).plain
    assert text.index("北京市东城区") < text.index("湖北省武汉市硚口区") < text.index("湖南省湘潭市岳塘区")  # a location line on every record


def test_wechat_article_links_stay_clickable(catalogue):
    entry = catalogue.by_slug("shili-huayuan")
    source = entry.record.sources[0].model_copy(update={"url": "https://mp.weixin.qq.com/s/AbC123"})
    linked = Catalogue(catalogue.config, [Entry(entry.path, entry.record.model_copy(update={"sources": [source]}))])
    html = render_article(linked, select(linked, Selection()))
    links = [attrs["href"] for tag, attrs in parse(html).tags if tag == "a"]
    assert links == ["https://mp.weixin.qq.com/s/AbC123"]
    assert "mp.weixin.qq.com" not in parse(html).plain.split("参考链接")[-1]
    assert wechat_violations(html) == []


def test_long_articles_warn_before_wechat_refuses_them(catalogue, tmp_path):
    entry = catalogue.by_slug("shili-huayuan")
    long_text = "示例" * (BODY_LIMIT // 2)
    long = Catalogue(catalogue.config, [Entry(entry.path, entry.record.model_copy(update={"summary": long_text}))])
    job = ExportJob()
    export(long, "wechat", Selection(), tmp_path, job)
    (warning,) = job.warnings
    assert "超过了公众号正文上限 20000 字" in warning and "--province" in warning
    job = ExportJob()
    export(catalogue, "wechat", Selection(), tmp_path, job)
    assert job.warnings == []
    assert 1000 < body_length(render_article(catalogue, select(catalogue, Selection()))) < BODY_LIMIT


def test_record_text_is_escaped_not_markup(hubei_article):
    parsed = parse(hubei_article)
    assert not any(tag in ("script", "b", "Content", "br") for tag, _ in parsed.tags)
    assert "<script>alert('x')</script>" in parsed.plain
    assert "<b>不是标签</b>" in parsed.plain
    assert "审校专用段落" not in parsed.plain  # review material is never published


def test_external_links_become_numbered_notes(hubei_article):
    text = parse(hubei_article).plain
    notes = text[text.index("参考链接"):]
    assert re.findall(r"\[(\d+)\]", notes) == ["1", "2", "3"]
    assert "[1] 示例协会《今天一起看看湖北地区“美好家园”项目（示例）》，2022年11月30日：https://example.org/articles/hubei?id=47&lang=zh" in notes
    assert "[2] 链接：https://example.org/not-a-link" in notes
    body = text[: text.index("参考链接")]
    assert "https://" not in body  # the URL in the highlight was replaced by its mark
    assert "参见 [2] 的说明" in body


def test_images_fit_the_phone_screen(catalogue):
    entry = catalogue.by_slug("shili-huayuan")
    picture = Image(path="shili/gate.jpg", alt="小区大门", caption="小区大门", credit="示例摄影")
    photo = plan("projects/shili/gate.jpg", "ab" * 32, 2400, 1800)
    with_image = Catalogue(
        catalogue.config, [Entry(entry.path, entry.record.model_copy(update={"images": [picture]}))], photos={entry.path: (photo,)}
    )
    html = render_article(with_image, select(with_image, Selection()), site_photo("https://example.org/"))
    images = [attrs for tag, attrs in parse(html).tags if tag == "img"]
    assert [i["src"] for i in images] == [f"https://example.org/media/{photo.fallback.path}"]
    assert "小区大门（示例摄影）" in parse(html).plain
    assert wechat_violations(html) == []


@pytest.mark.parametrize(
    ("selection", "intro"),
    [
        (Selection(series=("local-practices",)), "今天一起看看这个“地方实践”案例有哪些特色和亮点。"),
        (Selection(), "今天一起看看这些项目有哪些特色和亮点。"),
        (Selection(numbers=(47,)), "今天一起看看这个“美好家园”项目有哪些特色和亮点。"),
        (Selection(provinces=("湖北",), numbers=(47,)), "今天一起看看湖北地区的这个“美好家园”项目有哪些特色和亮点。"),
        (Selection(provinces=("湖北", "北京")), "今天一起看看北京、湖北地区“美好家园”项目有哪些特色和亮点。"),
    ],
)
def test_intro_line_fits_the_selection(catalogue, selection, intro):
    assert intro in parse(render_article(catalogue, select(catalogue, selection))).plain


def test_write_produces_one_openable_page(catalogue, tmp_path):
    written = export(catalogue, "wechat", Selection(provinces=("湖北",)), tmp_path)
    assert written == [tmp_path / "wechat-hubei.html"]
    page = written[0].read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert wechat_violations(page) == []


def test_site_pages_one_per_province_with_copy_button(catalogue):
    pages = {page.url: page.content for page in wechat_pages(catalogue)}
    assert sorted(pages) == ["wechat/beijing/", "wechat/hubei/", "wechat/hunan/"]
    page = parse(pages["wechat/hubei/"])
    buttons = [attrs for tag, attrs in page.tags if tag == "button"]
    assert len(buttons) == 1 and "data-wechat-copy-button" in buttons[0]
    assert "复制到公众号" in page.plain
    article = pages["wechat/hubei/"].split("data-wechat-article>", 1)[1].rsplit("</div>\n</div>", 1)[0]
    assert wechat_violations(article) == []
    assert site_files(catalogue)[COPY_SCRIPT_PATH].startswith(b"/*")


def test_shipped_records_make_clean_articles():
    catalogue = project_catalogue()
    for page in wechat_pages(catalogue):
        article = page.content.split("data-wechat-article>", 1)[1]
        assert wechat_violations(article.rsplit("</div>\n</div>", 1)[0]) == [], page.url


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ('<p class="x">a</p>', "class on <p>"),
        ('<p id="x">a</p>', "id on <p>"),
        ("<style>p { color: red }</style>", "<style>"),
        ("<script>alert(1)</script>", "<script>"),
        ('<p style="color: var(--accent)">a</p>', "CSS variable or at-rule in <p> style"),
        ('<p style="--accent: red">a</p>', "CSS variable or at-rule in <p> style"),
        ('<a href="#top">a</a>', "link #top"),
        ('<img src="a.jpg" style="width: 600px">', "image without max-width:100%"),
    ],
)
def test_violation_checker_sees_what_wechat_strips(html, problem):
    assert problem in wechat_violations(html)


def test_class_styles_cascade_as_css_inline_does():
    from generator.exporters.wechat import class_styles

    styles = class_styles("/* a, b */ .a, .b-c { color: red; margin: 0; } .a { color: blue; }")
    assert styles.a == "color: blue;margin: 0;"
    assert styles.b_c == "color: red;margin: 0;"


@pytest.mark.parametrize("css", [".a p { color: red; }", "p { color: red; }", ".a:hover { color: red; }", "#id { color: red; }"])
def test_class_styles_refuse_selectors_that_depend_on_more_than_the_class(css):
    from generator.exporters.wechat import class_styles

    with pytest.raises(ValueError, match="only class selectors"):
        class_styles(css)
