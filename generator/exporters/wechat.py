"""WeChat (公众号) articles: HTML that survives the WeChat editor.

The editor keeps only inline styles. The look lives in templates/wechat.css
as one rule per class; `styles()` turns each class into the style="" text
css-inline gives it, once, and `render_article` writes those styles straight
into the elements it builds. (Inlining and then stripping the classes of
each finished article did the same work per element, and a template's
per-value calls cost as much again: together most of the time of a
10,000-record build.) Every record value is escaped. External links cannot
be clicked in an article, so URLs become numbered notes listed at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import css_inline
from markupsafe import escape

from generator.catalogue import Catalogue
from generator.exporters.selection import Selected
from generator.exporters.templating import template_text
from generator.present.record import RecordView, record_view

URL = re.compile(r"https?://[^\s<>\"'，。；、）)\]]+")
# wechat.css may use only lone class selectors (".a, .b { … }"): then an
# element's style depends on its class alone and can be worked out once.
_RULE = re.compile(r"([^{}]+)\{([^{}]*)\}")
_CLASS_SELECTOR = re.compile(r"\s*\.([a-z][a-z0-9-]*)\s*")
_COMMENT = re.compile(r"/\*.*?\*/", re.S)
_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')


@dataclass
class LinkNotes:
    """External links in order of first appearance; the same URL keeps one number."""

    items: list[tuple[str, str]] = field(default_factory=list)  # (label, url)

    def number(self, url: str, label: str) -> int:
        for index, (_, known) in enumerate(self.items, start=1):
            if known == url:
                return index
        self.items.append((label, url))
        return len(self.items)


def _mark(number: int) -> str:
    return f'<sup style="{styles().ref}">[{number}]</sup>'


def _with_notes(text: str, notes: LinkNotes) -> str:
    """Escape text and replace each URL in it by a note mark."""
    if "http" not in text:  # nearly always: no URL to turn into a note
        return escape(text)
    parts: list[str] = []
    position = 0
    for match in URL.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(_mark(notes.number(match.group(), "链接")))
        position = match.end()
    parts.append(escape(text[position:]))
    return "".join(parts)


def intro_line(catalogue: Catalogue, selected: Selected) -> str:
    """The series' opening sentence, e.g. 今天一起看看湖北地区「美好家园」项目有哪些特色和亮点。"""
    where = "、".join(selected.provinces) + "地区" if selected.selection.provinces else "这些"
    series = {catalogue.series_of(e).id: catalogue.series_of(e) for e in selected.entries}
    if all(s.numbered for s in series.values()):
        what = "「美好家园」项目"
    elif len(series) == 1:
        what = f"「{next(iter(series.values())).short_title}」案例"
    else:
        what = "项目"
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


def render_article(catalogue: Catalogue, selected: Selected, image_base: str = "") -> str:
    """The article as one <section> with inline styles only, ready to paste.

    Built as strings, every record value escaped: at 10,000 records the
    per-value calls of a template were most of the articles' time.
    """
    s = styles()
    notes = LinkNotes()
    out = [f'<section style="{s.article}">\n<p style="{s.intro}">{escape(intro_line(catalogue, selected))}</p>']
    if selected.province:
        out.append(f'\n<h2 style="{s.province}">{escape(" ".join(selected.province))}</h2>')
    for entry in selected.entries:
        out.append(_entry_html(record_view(catalogue, entry), notes, image_base, s))
    if notes.items:
        out.append(f'\n<section style="{s.notes}">\n<p style="{s.notes_title}">参考链接</p>')
        for number, (label, url) in enumerate(notes.items, start=1):
            out.append(f'\n<p style="{s.note}">[{number}] {escape(label)}：{escape(url)}</p>')
        out.append("\n</section>")
    out.append("\n</section>")
    return "".join(out)


def _entry_html(entry: RecordView, notes: LinkNotes, image_base: str, s: Styles) -> str:
    """One record's part of the article: number, name, headline, text, figures, mechanisms, highlights, sources."""
    out = [f'\n<section style="{s.entry}">']
    if entry.number:
        out.append(f'\n<p style="{s.number}">{escape(entry.number)}</p>')
    out.append(f'\n<h3 style="{s.name}">{escape(entry.name)}</h3>\n<p style="{s.headline}">{escape(entry.headline)}</p>')
    out.append(f'\n<h4 style="{s.section}">概况及亮点</h4>')
    for paragraph in entry.summary:
        out.append(f'\n<p style="{s.body}">{_with_notes(paragraph, notes)}</p>')
    if entry.figures:
        out.append(f'\n<h4 style="{s.section}">数据</h4>\n<table style="{s.figures}">\n<tbody>')
        for figure in entry.figures:
            note = f'<span style="{s.figure_note}">（{escape(figure.note)}）</span>' if figure.note else ""
            out.append(
                f'\n<tr><td style="{s.figure_label}">{escape(figure.label)}</td>'
                f'<td style="{s.figure_value}">{escape(figure.text)}{note}</td></tr>'
            )
        out.append("\n</tbody>\n</table>")
    if entry.mechanisms:
        out.append(f'\n<h4 style="{s.section}">机制做法</h4>')
        for mechanism in entry.mechanisms:
            how = _with_notes(mechanism.how, notes) if mechanism.how else ""
            out.append(
                f'\n<p style="{s.body}"><strong style="{s.mechanism}">{escape(mechanism.name)}</strong>：'
                f"{_with_notes(mechanism.what, notes)}{how}</p>"
            )
    if entry.highlights:
        out.append(f'\n<h4 style="{s.section}">亮点</h4>')
        for highlight in entry.highlights:
            out.append(
                f'\n<p style="{s.body}"><strong style="{s.highlight}">{escape(highlight.title)}</strong>：'
                f"{_with_notes(highlight.text, notes)}</p>"
            )
    for image in entry.images:
        out.append(
            f'\n<figure style="{s.picture}"><img style="{s.image}" src="{escape(image_base)}{escape(image.path)}" '
            f'alt="{escape(image.caption)}"><figcaption style="{s.caption}">{escape(image.caption)}'
            f"（{escape(image.credit)}）</figcaption></figure>"
        )
    for note in entry.notes:
        out.append(f'\n<p style="{s.editor_note}">编者注：{_with_notes(note, notes)}</p>')
    sources = "；".join(
        f"{escape(source.label)}{_mark(notes.number(source.url, source.label)) if source.url else ''}" for source in entry.sources
    )
    out.append(f'\n<p style="{s.source}">来源：{sources}</p>\n</section>')
    return "".join(out)


def article_document(title: str, article: str) -> str:
    """A minimal page around the article: open it in a browser, select all, copy."""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(title)}</title>\n</head>\n<body>\n{article}\n</body>\n</html>\n"
    )


def write(catalogue: Catalogue, selected: Selected, out_dir: Path) -> list[Path]:
    path = out_dir / f"wechat-{selected.slug}.html"
    title = f"{selected.label} · 公众号文章"
    path.write_text(article_document(title, render_article(catalogue, selected)), encoding="utf-8")
    return [path]
