"""A record page's HTML, built as strings: the one page a large build renders ten thousand times.

Index pages are Jinja templates (templates/); the record page was one too,
and at 10,000 records its template was the largest single cost of a build:
every `{{ value }}` is a Python call to markupsafe's escape plus Jinja's
attribute lookup, about a hundred per page. Measured against that template
(templates/record.html until December 2026; git history has it): the 4,054
record pages of the test project, the shipped records and the 1,000-record
synthetic catalogue (public and --drafts, with and without an edit link)
come out byte for byte the same, and a whole record page (its RecordView,
related cards and all) takes 0.71 ms instead of 1.15 ms in one process
(medians of four passes over the synthetic pages, December 2026).

The rule that keeps it safe is the template's: every value from a record is
escaped (`_e`, generator.text.html), nothing from a record is trusted as markup; the only
pre-built markup passed in is the related cards' HTML (render._cards_html,
escaped there).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from generator.present.figures import Figure, number_label
from generator.present.photos import PhotoView
from generator.present.record import RecordView, ThemeTag
from generator.text.html import text as _e

DRAFT_MARK = '<span class="sc-draft" title="草稿：不会出现在公开网站上">草稿</span>'


def _photo(p: PhotoView, sizes: str, lead: bool, root: str) -> str:
    """One photo: a link to the large JPEG (the lightbox, lightbox.js, takes it over), WebP by srcset, a JPEG
    fallback, width/height so nothing moves while it loads; the lead photo loads at once, the gallery when scrolled to."""
    fallback = _e(root + p.fallback_url)
    srcset = _e(p.srcset(root))
    alt = _e(p.alt)
    loading = ' fetchpriority="high"' if lead else ' loading="lazy"'
    caption = ""
    if p.caption or p.credit:
        caption = "<figcaption>" + (_e(p.caption) if p.caption else "")
        caption += f'<span class="sc-photo__credit">{_e(p.credit)}</span>' if p.credit else ""
        caption += "</figcaption>"
    return (
        f'<figure class="sc-photo{" sc-photo--lead" if lead else ""}">\n'
        f'    <a class="sc-photo__open" href="{fallback}" data-lightbox data-srcset="{srcset}"'
        f' data-caption="{_e(p.caption or "")}" data-credit="{_e(p.credit or "")}" aria-label="查看大图：{alt}">\n'
        f'      <picture><source type="image/webp" srcset="{srcset}" sizes="{_e(sizes)}"><img src="{fallback}"'
        f' width="{_e(p.width)}" height="{_e(p.height)}" alt="{alt}"'
        f'{loading} decoding="async"></picture>\n'
        "    </a>\n"
        f"{caption}  </figure>\n"
    )


def record_html(
    view: RecordView,
    *,
    root: str,
    path: str,
    href: Any,
    figures: Sequence[Figure],
    themes: Sequence[tuple[ThemeTag, str]],
    tags: Sequence[tuple[ThemeTag, str]],
    before: Any,
    after: Any,
    related_html: str,
    edit_url: str | None,
    draft: bool,
    changed: Any,
    sizes: dict[str, str],
) -> str:
    """The record page's content (the part inside the site's shell). Never shows the record's review."""
    out: list[str] = []
    add = out.append
    add(f'<div class="sc-record{" sc-record--draft" if draft else ""}">\n<header class="sc-record__head">\n  <p class="sc-record__kicker">\n')
    if view.number is not None:
        add(f'<span class="sc-badge sc-badge--large">{_e(number_label(view.number))}</span>')
    add(f'    <a class="sc-record__series" href="{_e(href.series)}">{_e(view.series_short)}</a>\n')
    if draft:
        add(DRAFT_MARK)
    add(
        "  </p>\n"
        f'  <h1 class="sc-record__name">{_e(view.name)}</h1>\n'
        f'  <p class="sc-record__headline">{_e(view.headline)}</p>\n'
        '  <nav class="sc-crumbs" aria-label="所在地">\n'
        f'    <a href="{_e(href.province)}">{_e(view.province_name)}</a>\n'
    )
    for part in view.place[1:]:
        add(f'<span class="sc-crumbs__sep" aria-hidden="true">›</span><span>{_e(part)}</span>')
    add("  </nav>\n</header>\n\n")
    if view.images:
        add(_photo(view.images[0], sizes["lead"], True, root) + "\n")
    add("\n")
    if figures:
        add('<section class="sc-figures" aria-label="数据">\n  <dl>\n')
        for f in figures:
            note = f"<small>{_e(f.note)}</small>" if f.note else ""
            add(
                f'    <div class="sc-figure{" sc-figure--wide" if len(f.text) > 9 else ""}">\n'
                f"      <dt>{_e(f.label)}</dt>\n"
                f"      <dd>{_e(f.text)}{note}</dd>\n"
                "    </div>\n"
            )
        add("  </dl>\n</section>\n")
    add("\n")
    for paragraph in view.summary:
        add(f'<p class="sc-summary">{_e(paragraph)}</p>')
    add("\n")
    if view.mechanisms:
        add('<h2 id="mechanisms">机制与做法</h2>\n<div class="sc-mechanisms">\n')
        for mech, mech_href in zip(view.mechanisms, href.mechanisms):
            add(
                '  <section class="sc-mechanism">\n'
                f'    <h3><a href="{_e(mech_href)}" title="在机制索引中查看">{_e(mech.name)}</a></h3>\n'
            )
            if mech.theme:
                add(f'<p class="sc-mechanism__theme">{_e(mech.theme)}</p>')
            add(f"    <p>{_e(mech.what)}</p>\n")
            if mech.how:
                add(f'<p class="sc-mechanism__how"><span>怎么做</span>{_e(mech.how)}</p>')
            add("  </section>\n")
        add("</div>\n")
    add("\n")
    if view.highlights:
        add('<h2 id="highlights">亮点</h2>\n<ul class="sc-highlights">\n')
        for h in view.highlights:
            add(f"  <li><strong>{_e(h.title)}</strong><span>{_e(h.text)}</span></li>\n")
        add("</ul>\n")
    add("\n")
    if len(view.images) > 1:
        add('<section class="sc-gallery" aria-labelledby="photos">\n<h2 id="photos">照片</h2>\n<ul class="sc-gallery__list">\n')
        for p in view.images[1:]:
            add("  <li>" + _photo(p, sizes["gallery"], False, root) + "</li>\n")
        add("</ul>\n</section>\n")
    add('\n<h2 id="facts">基本信息</h2>\n<dl class="sc-facts">\n')
    for fact in view.facts:
        add(f"<div><dt>{_e(fact.label)}</dt><dd>{_e(fact.text)}</dd></div>\n")
    add(f'  <div><dt>系列</dt><dd><a href="{_e(href.series)}">{_e(view.series_title)}</a></dd></div>\n</dl>\n\n')
    if tags or themes:
        add('<h2 id="themes">主题</h2>\n<p class="sc-chips">\n')
        for theme, theme_href in themes:
            add(f'<a class="sc-chip sc-chip--theme" href="{_e(theme_href)}">{_e(theme.name)}</a>')
        for tag, tag_href in tags:
            add(f'<a class="sc-chip" href="{_e(tag_href)}" title="{_e(tag.theme)} › {_e(tag.name)}">{_e(tag.name)}</a>')
        add("</p>\n")
    add("\n")
    if view.honours:
        add('<h2 id="recognitions">荣誉</h2>\n<ul class="sc-recognitions">\n')
        for h in view.honours:
            detail = f'<span class="sc-muted">（{_e(h.detail)}）</span>' if h.detail else ""
            add(f"  <li>{_e(h.title)}{detail}</li>\n")
        add("</ul>\n")
    add("\n")
    if view.notes:
        add('<aside class="sc-notes" aria-label="编者说明">\n  <h2 id="notes">编者说明</h2>\n  <ul>\n')
        for note in view.notes:
            add(f"<li>{_e(note)}</li>")
        add("  </ul>\n</aside>\n")
    add('\n<h2 id="sources">来源</h2>\n<ol class="sc-sources">\n')
    for s in view.sources:
        add(f'  <li>\n    <span class="sc-sources__publisher">{_e(s.publisher)}</span>\n')
        if s.url:
            add(f'<a href="{_e(s.url)}" rel="noopener noreferrer nofollow">{_e(s.title)}</a>')
        else:
            add(f"<span>{_e(s.title)}</span>")
        if s.date:
            add(f'<time datetime="{_e(s.iso_date)}">{_e(s.date)}</time>')
        if s.note:
            add(f'<span class="sc-muted">{_e(s.note)}</span>')
        add("  </li>\n")
    add("</ol>\n\n")
    if before or after:
        add('<nav class="sc-pager" aria-label="同一系列中的上一个和下一个项目">\n')
        if before:
            add(f'<a class="sc-pager__prev" href="{_e(href.before)}" rel="prev"><span>上一个</span>{_pager_name(before)}</a>')
        else:
            add("<span></span>")
        if after:
            add(f'<a class="sc-pager__next" href="{_e(href.after)}" rel="next"><span>下一个</span>{_pager_name(after)}</a>')
        add("</nav>\n")
    add("\n")
    if related_html:
        add(f'<h2 id="related">相关项目</h2>\n{related_html}\n')
    add("\n")
    if changed:
        add(f'<p class="sc-changed sc-muted">最后更新：<time datetime="{_e(changed.iso)}">{_e(changed.label)}</time></p>')
    add("\n")
    if view.images:
        add(f'<script src="{_e(root)}assets/showcase/lightbox.js" defer></script>')
    if edit_url:
        add(f'<p class="sc-edit"><a href="{_e(edit_url)}" rel="nofollow">编辑此记录</a><span class="sc-muted">（{_e(path)}）</span></p>\n')
    add("</div>")
    return "".join(out)


def _pager_name(card: Any) -> str:
    number = f"{_e(number_label(card.number))} " if card.number is not None else ""
    return number + _e(card.name)
