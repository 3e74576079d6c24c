"""WeChat (公众号) articles: HTML that survives the WeChat editor.

The editor keeps only inline styles. The look lives in templates/wechat.css
as one rule per class; `styles()` turns each class into the style="" text
css-inline gives it, once, and `render_article` writes those styles straight
into the elements it builds. (Inlining and then stripping the classes of
each finished article did the same work per element, and a template's
per-value calls cost as much again: together most of the time of a
10,000-record build.) Every record value is escaped.

What else keeps the site's 31 province articles quick at 10,000 records
(measured 2026-12-03 with time.process_time on one loaded catalogue: 7.0 →
about 5.0 s CPU, half of what is left being generator.present.record's
record_view): text with nothing to escape or requote is used as it is
(`_text`, generator.text.html: half a million values, where escape()'s Markup objects
cost a sixth of the time), link notes are numbered through a dict (a scan
per URL was quadratic in the article's length) and only URLs that contain
a WeChat host are parsed (`is_wechat_link`).

An article reads like the association's own posts: records grouped by
series and province (generator.present.publication), a province heading
before each province's records, a location line under every name, and
every part the website shows (generator.present.record). Quotation marks
follow one convention, the mainland's curly quotes. Links to other WeChat
articles (mp.weixin.qq.com) stay links, because the editor lets them be
clicked; every other URL becomes a numbered note listed at the end.
"""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlsplit
from typing import Callable

import css_inline
from markupsafe import escape

from generator.catalogue import Catalogue
from generator.exporters import ExportJob
from generator.exporters.selection import Selected
from generator.exporters.templating import template_text
from generator.media import Photo
from generator.present.photos import media_url
from generator.present.photos import PhotoView
from generator.present.record import RecordView, record_view
from generator.text.cjk import curly_quotes
from generator.text.html import text as _escaped  # markupsafe's escape, skipped when nothing needs it

URL = re.compile(r"https?://[^\s<>\"'，。；、）)\]]+")
# wechat.css may use only lone class selectors (".a, .b { … }"): then an
# element's style depends on its class alone and can be worked out once.
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_SELECTOR = re.compile(r"\s*\.([a-z][a-z0-9-]*)\s*")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
# What HTML escaping replaces, and with the corner quotes what curly_quotes replaces: most
# record text has none, and one search costs a third of escape() and its Markup object.
_TEXT_SPECIAL = re.compile(r"[&<>\"'「」『』]")

# The WeChat editor refuses an article body of more than 20,000 characters
# (its API: “不超过2万字符”); the editor is warned from 90% on.
BODY_LIMIT = 20_000
WARN_AT = 0.9
# Hosts whose links the WeChat editor keeps clickable: other 公众号 articles.
WECHAT_HOSTS = ("mp.weixin.qq.com",)


def is_wechat_link(url: str) -> bool:
    # The host is a substring of the lowercased URL (urlsplit lowercases it and decodes nothing), so a
    # URL without it is no WeChat link: most sources are spared urlsplit.
    lowered = url.lower()
    if not any(host in lowered for host in WECHAT_HOSTS):
        return False
    return (urlsplit(url).hostname or "") in WECHAT_HOSTS


@dataclass
class LinkNotes:
    """External links in order of first appearance; the same URL keeps one number."""

    items: list[tuple[str, str]] = field(default_factory=list)  # (label, url)
    # url → its number: a province's article has hundreds, and a scan of `items` for each was quadratic
    _numbers: dict[str, int] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for index, (_, url) in enumerate(self.items, start=1):
            self._numbers.setdefault(url, index)

    def number(self, url: str, label: str) -> int:
        known = self._numbers.get(url)
        if known is None:
            self.items.append((label, url))
            known = self._numbers[url] = len(self.items)
        return known


def _text(text: str) -> str:
    """Record or series text for the article: escaped, in curly quotes (as it is when there is nothing to replace)."""
    return text if _TEXT_SPECIAL.search(text) is None else _escaped(curly_quotes(text))


def _mark(number: int) -> str:
    return f'<sup style="{styles().ref}">[{number}]</sup>'


def _link(url: str, label: str) -> str:
    return f'<a href="{_escaped(url)}" style="{styles().link}">{_text(label)}</a>'


def _with_notes(text: str, notes: LinkNotes) -> str:
    """Escape text; a WeChat article's URL becomes a link, any other URL a note mark."""
    if "http" not in text:  # nearly always: no URL to turn into a note
        return _text(text)
    parts: list[str] = []
    position = 0
    for match in URL.finditer(text):
        parts.append(_text(text[position : match.start()]))
        url = match.group()
        parts.append(_link(url, url) if is_wechat_link(url) else _mark(notes.number(url, "链接")))
        position = match.end()
    parts.append(_text(text[position:]))
    return "".join(parts)


def intro_line(catalogue: Catalogue, selected: Selected) -> str:
    """The series' opening sentence, e.g. 今天一起看看湖北地区“美好家园”项目有哪些特色和亮点。

    One record is “这个” project, several are “这些”; an article about named
    provinces says so, as the association's posts do.
    """
    single = len(selected.entries) == 1
    series = [group.series for group in selected.publication.series]
    if all(s.numbered for s in series):
        what = "“美好家园”项目"
    elif len(series) == 1:
        what = f"“{series[0].short_title}”案例"
    else:
        what = "项目"
    if selected.selection.provinces:
        where = "、".join(selected.provinces) + "地区" + ("的这个" if single else "")
    else:
        where = "这个" if single else "这些"
    return f"今天一起看看{where}{what}有哪些特色和亮点。"


class Styles(SimpleNamespace):
    """class name (with "_" for "-") → its inline style, as attributes: `s.figure_label`."""


@cache
def styles() -> Styles:
    """Each class of wechat.css → the style="" text css-inline writes for an element of that class."""
    return class_styles(template_text("wechat.css"))


def class_styles(css: str) -> Styles:
    """Each class of a stylesheet of lone class selectors → its inline style, as css-inline cascades it."""
    names: list[str] = []
    for selectors, _ in _RULE.findall(_COMMENT.sub("", css)):
        for selector in selectors.split(","):
            match = _CLASS_SELECTOR.fullmatch(selector)
            if match is None:
                raise ValueError(f"wechat.css: only class selectors can be inlined once per class, not {selector.strip()!r}")
            names.append(match.group(1))
    result = {}
    for name in dict.fromkeys(names):
        probe = css_inline.inline_fragment(f'<p class="{name}"></p>', css)
        result[name.replace("-", "_")] = _STYLE_ATTRIBUTE.search(probe).group(1)
    return Styles(**result)


# A photo → the src the article gives it (a file beside the export, or the site's absolute URL).
PhotoSource = Callable[[RecordView, int, PhotoView], str]


def site_photo(base: str) -> PhotoSource:
    """Photos as the website publishes them: `base` + media/… (the site's URL, so a pasted article loads them)."""
    return lambda entry, number, picture: base + media_url(picture.photo.fallback)


def render_article(catalogue: Catalogue, selected: Selected, photo_src: PhotoSource | None = None) -> str:
    """The article as one <section> with inline styles only, ready to paste.

    Built as strings, every record value escaped: at 10,000 records the
    per-value calls of a template were most of the articles' time.
    """
    source = photo_src or site_photo("")
    s = styles()
    notes = LinkNotes()
    publication = selected.publication
    out = [f'<section style="{s.article}">\n<p style="{s.intro}">{_text(intro_line(catalogue, selected))}</p>']
    for series_group in publication.series:
        if not publication.single_series:
            out.append(f'\n<h2 style="{s.series}">{_text(series_group.series.title)}</h2>')
        for province_group in series_group.provinces:
            out.append(f'\n<h2 style="{s.province}">{_text(" ".join(province_group.province))}</h2>')
            for entry in province_group.entries:
                out.append(_entry_html(record_view(catalogue, entry), notes, source, s))
    if notes.items:
        out.append(f'\n<section style="{s.notes}">\n<p style="{s.notes_title}">参考链接</p>')
        for number, (label, url) in enumerate(notes.items, start=1):
            out.append(f'\n<p style="{s.note}">[{number}] {_text(label)}：{_escaped(url)}</p>')
        out.append("\n</section>")
    out.append("\n</section>")
    return "".join(out)


def _photo_html(entry: RecordView, number: int, picture: PhotoView, photo_src: PhotoSource, s: Styles) -> str:
    line = picture.caption_line
    caption = f'<figcaption style="{s.caption}">{_escaped(line)}</figcaption>' if line else ""
    return (
        f'\n<figure style="{s.picture}"><img style="{s.image}" src="{_escaped(photo_src(entry, number, picture))}" '
        f'alt="{_escaped(picture.alt)}" width="{picture.photo.fallback.width}">{caption}</figure>'
    )


def _rows(rows: list[tuple[str, str, str | None]], s: Styles, value_style: str) -> str:
    """A two-column table of (label, value, note) rows: the figures, the facts."""
    out = [f'\n<table style="{s.figures}">\n<tbody>']
    for label, value, note in rows:
        small = f'<span style="{s.figure_note}">（{_text(note)}）</span>' if note else ""
        out.append(f'\n<tr><td style="{s.figure_label}">{_text(label)}</td><td style="{value_style}">{_text(value)}{small}</td></tr>')
    out.append("\n</tbody>\n</table>")
    return "".join(out)


def _entry_html(view: RecordView, notes: LinkNotes, photo_src: PhotoSource, s: Styles) -> str:
    """One record's part of the article, in the order of the record page (generator.present.record)."""
    out = [f'\n<section style="{s.entry}">']
    if view.number:
        # 第 47 号 as the site words it, the numeral large and 第, 号 at half its size
        word = f'<span style="{s.number_word}">{{}}</span>'
        out.append(f'\n<p style="{s.number}">{word.format("第")} {_escaped(view.number)} {word.format("号")}</p>')
    out.append(
        f'\n<h3 style="{s.name}">{_text(view.name)}</h3>\n<p style="{s.headline}">{_text(view.headline)}</p>'
        f'\n<p style="{s.location}">{_text(view.location)}</p>'
    )
    if view.images:  # the lead photo right after the title
        out.append(_photo_html(view, 1, view.images[0], photo_src, s))
    out.append(f'\n<h4 style="{s.section}">概况及亮点</h4>')
    for paragraph in view.summary:
        out.append(f'\n<p style="{s.body}">{_with_notes(paragraph, notes)}</p>')
    if view.figures:
        out.append(f'\n<h4 style="{s.section}">数据</h4>')
        out.append(_rows([(f.label, f.text, f.note) for f in view.figures], s, s.figure_value))
    out.append(f'\n<h4 style="{s.section}">基本信息</h4>')
    out.append(_rows([(f.label, f.text, None) for f in view.facts], s, s.fact_value))
    if view.mechanisms:
        out.append(f'\n<h4 style="{s.section}">机制做法</h4>')
        for mechanism in view.mechanisms:
            out.append(
                f'\n<p style="{s.body}"><strong style="{s.mechanism}">{_text(mechanism.name)}：</strong>'
                f"{_with_notes(mechanism.text, notes)}</p>"
            )
    if view.highlights:
        out.append(f'\n<h4 style="{s.section}">亮点</h4>')
        for highlight in view.highlights:
            out.append(
                f'\n<p style="{s.body}"><strong style="{s.highlight}">{_text(highlight.title)}：</strong>'
                f"{_with_notes(highlight.text, notes)}</p>"
            )
    for number, picture in enumerate(view.images[1:], start=2):
        out.append(_photo_html(view, number, picture, photo_src, s))
    if view.honours:
        out.append(f'\n<h4 style="{s.section}">荣誉</h4>')
        for honour in view.honours:
            out.append(f'\n<p style="{s.honour}">{_text(honour.text)}</p>')
    subjects = view.subjects  # a property that works them out
    if subjects:
        out.append(f'\n<p style="{s.subjects}">主题：{_text("、".join(subjects))}</p>')
    for note in view.notes:
        out.append(f'\n<p style="{s.editor_note}">编者注：{_with_notes(note, notes)}</p>')
    sources = []
    for source in view.sources:
        if source.url and is_wechat_link(source.url):
            sources.append(_link(source.url, source.citation))
        else:
            sources.append(_text(source.citation) + (_mark(notes.number(source.url, source.label)) if source.url else ""))
    out.append(f'\n<p style="{s.source}">来源：{"；".join(sources)}</p>\n</section>')
    return "".join(out)


def body_length(article: str) -> int:
    """Characters of the article's text as the WeChat editor counts them (markup and line breaks aside)."""
    return sum(len(line.strip()) for line in html.unescape(_TAG.sub("", article)).splitlines())


def length_warning(article: str, label: str) -> str | None:
    """A warning when the article nears or passes WeChat's body limit, with what to do about it."""
    length = body_length(article)
    if length < BODY_LIMIT * WARN_AT:
        return None
    state = "超过了" if length > BODY_LIMIT else "接近"
    return (
        f"{label}：正文约 {length} 字，{state}公众号正文上限 {BODY_LIMIT} 字；"
        "请分篇发布（导出时用 --province 或 --number 缩小范围）。"
    )


def article_document(title: str, article: str) -> str:
    """A minimal page around the article: open it in a browser, select all, copy."""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{article}\n</body>\n</html>\n"
    )


def write(catalogue: Catalogue, selected: Selected, out_dir: Path, job: ExportJob) -> list[Path]:
    """The article and, in a folder beside it, the photos it uses: the designer pastes the one and uploads the other."""
    path = out_dir / f"wechat-{selected.slug}.html"
    folder = f"wechat-{selected.slug}-photos"
    title = f"{selected.label} · 公众号文章"
    photos: dict[str, Photo] = {}  # file name in the folder → the photo whose JPEG it is

    def beside(entry: RecordView, number: int, picture: PhotoView) -> str:
        name = f"{entry.file_stem}-{number}.jpg"  # 047-gezhouba-chengshi-huayuan-1.jpg: the designer sees whose it is
        photos[name] = picture.photo
        return f"{folder}/{name}"

    article = render_article(catalogue, selected, beside)
    warning = length_warning(article, path.name)
    if warning:
        job.warn(warning)
    written = []
    if photos:
        assert catalogue.library is not None
        (out_dir / folder).mkdir(exist_ok=True)
        for name, photo in photos.items():
            [cached] = catalogue.library.files(photo, [photo.fallback])
            target = out_dir / folder / name
            shutil.copyfile(cached, target)
            written.append(target)
    path.write_text(article_document(title, article), encoding="utf-8")
    return [path, *written]
