"""WeChat (公众号) articles: HTML that survives the WeChat editor.

The editor keeps only inline styles. The look lives in templates/wechat.css
as one rule per class; `styles()` turns each class into the style="" text
css-inline gives it, once, and templates/wechat.html.j2 writes those styles
straight into the elements. (Inlining and then stripping the classes of
each finished article did the same work per element and was most of the
time of a 10,000-record build.) External links cannot be clicked in an
article, so URLs become numbered notes listed at the end.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import css_inline
from jinja2 import Template, pass_context
from markupsafe import Markup, escape

from generator.catalogue import Catalogue
from generator.exporters.selection import Selected
from generator.exporters.templating import environment, template_text
from generator.exporters.views import entry_view

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


def _mark(number: int) -> Markup:
    return Markup('<sup style="{}">[{}]</sup>').format(styles().ref, number)


@pass_context
def _with_notes(context, text: str) -> Markup:
    """Escape text and replace each URL in it by a note mark."""
    if "http" not in text:  # nearly always: no URL to turn into a note
        return escape(text)
    notes: LinkNotes = context["notes"]
    parts: list[Markup] = []
    position = 0
    for match in URL.finditer(text):
        parts.append(escape(text[position : match.start()]))
        parts.append(_mark(notes.number(match.group(), "链接")))
        position = match.end()
    parts.append(escape(text[position:]))
    return Markup("").join(parts)


@pass_context
def _note_mark(context, url: str, label: str) -> Markup:
    return _mark(context["notes"].number(url, label))


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
    """class name (with "_" for "-") → its inline style, as attributes: the template reads `s.figure_label`.

    A namespace rather than a dict subclass with __getattr__: Jinja tries
    attribute access first, and a failed lookup per element was most of an
    article's render time. A class wechat.css lacks is undefined, which the
    exporters' StrictUndefined environment turns into an error.
    """


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


@cache
def _template() -> Template:
    env = environment().overlay()
    env.filters["with_notes"] = _with_notes
    env.filters["note_mark"] = _note_mark
    return env.get_template("wechat.html.j2")


def render_article(catalogue: Catalogue, selected: Selected, image_base: str = "") -> str:
    """The article as one <section> with inline styles only, ready to paste."""
    return _template().render(
        s=styles(),
        intro=intro_line(catalogue, selected),
        province=" ".join(selected.province) if selected.province else None,
        entries=[entry_view(catalogue, e) for e in selected.entries],
        notes=LinkNotes(),
        image_base=image_base,
    ).strip()


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
