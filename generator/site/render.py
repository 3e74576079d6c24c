"""The render stage for the website: Catalogue → pages, with Jinja2 and nothing engine-specific.

`SiteRenderer` renders every page the site makes of the catalogue: a page
per record (`record_page`; `record_pages` renders them lazily, as they are
written) and the pages about the whole catalogue (`index_pages`). It keeps
each record's card, because a record is listed on many pages. A record page
depends only on (record, catalogue), so it renders the same in any order
and any process.

Autoescaping is on for every template and no record text is ever marked
safe, so whatever an editor types is shown as text, never run as markup.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Callable

import jinja2
from markupsafe import Markup, escape

from generator.catalogue import Catalogue, Entry
from generator.present import urls
from generator.present.figures import format_count, format_number, table_cell
from generator.present.pages import Page, PageKind
from generator.present.places import province_short
from generator.present.record import record_view
from generator.schema.record import KIND_LABELS
from generator.site import views
from generator.site.template_cache import bytecode_cache
from generator.text.cjk import join_cjk

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS_DIR = Path(__file__).parent / "assets"
ASSETS_URL = "assets/showcase/"  # where the site serves ASSETS_DIR
SHARE_IMAGE = "share.jpg"  # the share preview of pages without an image of their own, in ASSETS_DIR


@dataclass(frozen=True)
class SiteOptions:
    """Settings from site_config.yml the pages need (kept apart from any engine's config)."""

    site_name: str = "美好家园"
    edit_url: str | None = None  # "https://…/edit/main/{path}"


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES_DIR),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,  # package files: no stat() per render to see whether a template changed
        bytecode_cache=bytecode_cache(),
    )
    env.globals.update(u=urls, province_short=province_short, kind_labels=KIND_LABELS, card_html=_card_html)
    env.filters.update(count=format_count, number=format_number, cjk=join_cjk)
    return env


_CARD_DRAFT_MARK = '<span class="sc-draft" title="草稿：不会出现在公开网站上">草稿</span>'


@lru_cache(maxsize=1 << 16)
def _card_html(card: views.Card, root: str) -> Markup:
    """A card's HTML, built once per (card, root): cards are plain values, so equal cards give equal HTML.

    String building rather than a Jinja macro: a record page shows several
    cards and list pages show thousands, and a macro's per-value calls were
    a fifth of a record page's render time. The markup (and its whitespace)
    is what the former `card` macro in _macros.html produced under
    trim_blocks/lstrip_blocks; every value is escaped.
    """
    number = f'<span class="sc-badge">No. {escape(card.number)}</span>' if card.number is not None else ""
    figures = ""
    if card.figures:
        spans = "".join(f"<span>{escape(f.label)} <b>{escape(f.text)}</b></span>" for f in card.figures)
        figures = f'    <span class="sc-card__figures">\n{spans}    </span>\n'
    return Markup(
        f'<li class="sc-card{" sc-card--draft" if card.draft else ""}">\n'
        f'  <a class="sc-card__link" href="{escape(root)}{escape(card.url)}">\n'
        f'    <span class="sc-card__meta">\n'
        f'{number}      <span class="sc-card__place">{escape(card.place)}</span>\n'
        f'{_CARD_DRAFT_MARK if card.draft else ""}    </span>\n'
        f'    <span class="sc-card__name">{escape(card.name)}</span>\n'
        f'    <span class="sc-card__headline">{escape(card.headline)}</span>\n'
        f"{figures}"
        "  </a>\n"
        "</li>\n"
    )


def _render(template: str, page_url: str, **context: Any) -> str:
    return environment().get_template(template).render(root=urls.depth_prefix(page_url), **context)


def edit_link(entry: Entry, options: SiteOptions) -> str | None:
    return options.edit_url.replace("{path}", entry.path) if options.edit_url else None


def _record_page(entry: Entry, catalogue: Catalogue, options: SiteOptions, card: _Cards) -> Page:
    """One record's page. Never shows `record.review`: that is for editors only.

    Its links are joined here, not in the template: every call and every
    escaped value of a Jinja template costs a Python call, and a record page
    is rendered 10,000 times in a large build.
    """
    record = entry.record
    url = urls.record_url(record.slug)
    root = urls.depth_prefix(url)
    view = record_view(catalogue, entry)
    before, after = catalogue.neighbours(entry)
    before_card, after_card = before and card(before), after and card(after)
    href = _RecordLinks(
        series=root + urls.series_url(view.series_id),
        province=root + urls.province_url(record.location.province),
        mechanisms=[root + _mechanism_href(m.name) for m in view.mechanisms],
        before=root + before_card.url if before_card else "",
        after=root + after_card.url if after_card else "",
    )
    related = [card(e) for e in catalogue.related(entry)]
    content = _render(
        "record.html",
        url,
        view=view,
        entry=entry,
        href=href,
        themes=[(theme, root + urls.theme_url(theme.theme_slug)) for theme in view.themes],
        tags=[(tag, root + urls.theme_url(tag.theme_slug)) for tag in view.tags],
        before=before_card,
        after=after_card,
        related_html=_cards_html(related, root) if related else "",
        edit_url=edit_link(entry, options),
        draft=views.is_draft(entry),
    )
    title = f"No. {record.number} {record.name}" if record.number is not None else record.name
    return Page(
        url=url,
        title=("［草稿］" if views.is_draft(entry) else "") + title,
        content=content,
        kind=PageKind.record,
        description=views.description(f"{record.headline}。{join_cjk(record.summary)}"),
        image=record.images[0].path if record.images else None,
        edit_url=edit_link(entry, options),
        draft=views.is_draft(entry),
    )


@dataclass(frozen=True)
class _RecordLinks:
    """A record page's links, relative to the page."""

    series: str
    province: str
    mechanisms: list[str]
    before: str
    after: str


@lru_cache(maxsize=1 << 16)
def _mechanism_href(name: str) -> str:
    """A mechanism's place in the index (a hash of its name): the same few hundred names on thousands of pages."""
    return urls.mechanisms_url(name)


def _cards_html(cards: list[views.Card], root: str) -> Markup:
    """What the `cards` macro in _macros.html writes, for a record page's related cards (no macro call per page)."""
    return Markup('<ul class="sc-cards">\n' + "".join(_card_html(c, root) for c in cards) + "</ul>\n")


def _home(catalogue: Catalogue, options: SiteOptions, card: _Cards) -> Page:
    figures = catalogue.headline_figures
    return Page(
        url=urls.home_url(),
        title=options.site_name,
        content=_render(
            "home.html",
            urls.home_url(),
            figures=figures,
            series=[(s, catalogue.by_series.get(s.id, [])) for s in catalogue.config.series],
            themes=catalogue.config.themes,
            newest=[card(e) for e in views.newest(catalogue)],
        ),
        description=f"{figures['records']} 个项目，覆盖 {figures['provinces']} 个省份。",
    )


def _catalogue_page(catalogue: Catalogue) -> Page:
    url = urls.catalogue_url()
    metrics = catalogue.config.metric_by_key
    columns = [(metrics[key], heading) for key, heading in views.TABLE_METRICS if key in metrics]
    rows_html = _catalogue_rows(catalogue, [definition for definition, _ in columns], urls.depth_prefix(url))
    count = len(catalogue.visible)
    provinces = [(urls.province_slug(p), province_short(p), len(es)) for p, es in catalogue.by_province.items()]
    return Page(
        url=url,
        title="项目目录",
        content=_render(
            "catalogue.html",
            url,
            rows_html=rows_html,
            count=count,
            columns=[heading for _, heading in columns],
            column_keys=[d.key for d, _ in columns],
            provinces=sorted(provinces, key=lambda p: p[0]),
            themes=catalogue.config.themes,
        ),
        description=f"全部 {count} 个项目一览：按省份、主题筛选，按户数、面积、满意度排序。",
    )


_DRAFT_ROW = ' class="sc-row--draft"'
_DRAFT_MARK = ' <span class="sc-draft">草稿</span>'


def _catalogue_rows(catalogue: Catalogue, definitions: list, root: str) -> Markup:
    """The catalogue table's rows as one string, every value escaped.

    Plain string building instead of a Jinja loop: at 10,000 rows the loop's
    per-value calls made this the slowest page. The output is byte for byte
    what the former `{% for row in rows %}` block in catalogue.html produced.
    """
    parts: list[str] = []
    add = parts.append
    root_html = escape(root)
    for position, entry in enumerate(catalogue.visible):
        record = entry.record
        province = record.location.province
        short = escape(province_short(province))
        themes = catalogue.themes_of(entry)
        draft = views.is_draft(entry)
        name = escape(record.name)
        city = record.location.city
        add(
            f'    <tr data-province="{escape(urls.province_slug(province))}"'
            f' data-themes="{" ".join(escape(t.slug) for t in themes)}"'
            f'{_DRAFT_ROW if draft else ""}>\n'
        )
        add(f'      <td data-value="{position}">{escape(record.number) if record.number is not None else "—"}</td>\n')
        add(
            f'      <td data-value="{name}"><a href="{root_html}{escape(urls.record_url(record.slug))}">{name}</a>'
            f'{_DRAFT_MARK if draft else ""}</td>\n'
        )
        add(f'      <td data-value="{short}">{short}</td>\n')
        add(f'      <td data-value="{escape(city or "")}">{escape(city or "—")}</td>\n')
        for definition in definitions:
            text, value = table_cell(record, definition)
            add(f'<td class="sc-num" data-value="{escape(value)}">{escape(text)}</td>')
        add(f'      <td class="sc-catalogue__themes">{"、".join(escape(t.name) for t in themes)}</td>\n    </tr>\n')
    return Markup("".join(parts))


def _province_pages(catalogue: Catalogue, card: _Cards) -> list[Page]:
    pages = [
        Page(
            url=urls.provinces_url(),
            title="按省份",
            content=_render(
                "provinces.html",
                urls.provinces_url(),
                provinces=[(p, len(es)) for p, es in catalogue.by_province.items()],
            ),
            description=f"{len(catalogue.by_province)} 个省份的项目。",
        )
    ]
    for province, entries in catalogue.by_province.items():
        url = urls.province_url(province)
        title = f"{province_short(province)} · {len(entries)} 个项目"
        pages.append(
            Page(
                url=url,
                title=title,
                content=_render(
                    "province.html", url, title=title, province=province,
                    cards=[card(e) for e in entries],
                ),
                description=f"{province}的“美好家园”项目：" + "、".join(e.record.name for e in entries[:8]),
            )
        )
    return pages


def _mechanisms_by_theme(catalogue: Catalogue) -> list[tuple[str | None, list]]:
    """Mechanisms grouped under their top-level theme, in site_config order; unthemed last."""
    groups: dict[str | None, list] = {t.name: [] for t in catalogue.config.themes}
    groups[None] = []
    for use in catalogue.mechanisms.values():
        theme = catalogue.config.theme_of_tag.get(use.theme) if use.theme else None
        groups[theme.name if theme else None].append(use)
    return [(name, uses) for name, uses in groups.items() if uses]


def _theme_pages(catalogue: Catalogue, card: _Cards) -> list[Page]:
    grouped = dict(_mechanisms_by_theme(catalogue))
    pages = [
        Page(
            url=urls.themes_url(),
            title="按主题",
            content=_render(
                "themes.html",
                urls.themes_url(),
                themes=[(t, len(catalogue.by_theme[t.name]), len(grouped.get(t.name, []))) for t in catalogue.config.themes],
            ),
            description="活动的七个方面：" + "、".join(t.name for t in catalogue.config.themes),
        )
    ]
    for theme in catalogue.config.themes:
        url = urls.theme_url(theme.slug)
        entries = catalogue.by_theme[theme.name]
        pages.append(
            Page(
                url=url,
                title=theme.name,
                content=_render(
                    "theme.html", url, theme=theme,
                    cards=[card(e) for e in entries],
                    mechanisms=grouped.get(theme.name, []),
                ),
                description=theme.description or theme.name,
            )
        )
    return pages


def _mechanism_page(catalogue: Catalogue) -> Page:
    url = urls.mechanisms_url()
    return Page(
        url=url,
        title="机制索引",
        content=_render(
            "mechanisms.html",
            url,
            groups=_mechanisms_by_theme(catalogue),
            total=len(catalogue.mechanisms),
            users_html=lambda use: _mechanism_users(use.entries, urls.depth_prefix(url)),
        ),
        description=f"{len(catalogue.mechanisms)} 项有名称的机制：是什么、哪些项目在用。",
    )


def _mechanism_users(entries: list[Entry], root: str) -> Markup:
    """Links to the records using a mechanism, joined with 、: plain string building, every value escaped.

    A Jinja loop here made the mechanism index one of the slowest pages at
    10,000 records; the markup is what that loop produced.
    """
    root_html = escape(root)
    links = []
    for entry in entries:
        record = entry.record
        number = f"No. {escape(record.number)} " if record.number is not None else ""
        links.append(f'<a href="{root_html}{escape(urls.record_url(record.slug))}">{number}{escape(record.name)}</a>')
    return Markup("、".join(links))


def _series_pages(catalogue: Catalogue, card: _Cards) -> list[Page]:
    listing = [(s, catalogue.by_series.get(s.id, [])) for s in catalogue.config.series]
    pages = [
        Page(
            url=urls.series_index_url(),
            title="系列",
            content=_render("series_index.html", urls.series_index_url(), listing=listing),
            description="、".join(s.title for s in catalogue.config.series),
        )
    ]
    for series, entries in listing:
        url = urls.series_url(series.id)
        pages.append(
            Page(
                url=url,
                title=series.title,
                content=_render(
                    "series.html", url, series=series, count=len(entries),
                    cards=[card(e) for e in entries],
                    slots=_slots(series.size, entries) if series.numbered else None,
                ),
                description=series.description or series.title,
            )
        )
    return pages


def _slots(size: int | None, entries: list[Entry]) -> list[tuple[int, str | None]]:
    """Numbered series: every slot 1..size with the record URL when that number is published."""
    by_number = {e.record.number: urls.record_url(e.record.slug) for e in entries if e.record.number}
    return [(n, by_number.get(n)) for n in range(1, (size or 0) + 1)]


_Cards = Callable[[Entry], views.Card]


class SiteRenderer:
    """Renders the site's pages of one catalogue."""

    def __init__(self, catalogue: Catalogue, options: SiteOptions) -> None:
        self.catalogue = catalogue
        self.options = options
        self._cards: dict[str, tuple[Entry, views.Card]] = {}

    def card(self, entry: Entry) -> views.Card:
        """A record's card, made once per record (it shows on its province, theme and series pages…)."""
        found = self._cards.get(entry.slug)
        if found is None or found[0] is not entry:
            found = self._cards[entry.slug] = (entry, views.card(entry, self.catalogue))
        return found[1]

    def record_page(self, entry: Entry) -> Page:
        return _record_page(entry, self.catalogue, self.options, self.card)

    def record_pages(self) -> RecordPages:
        return RecordPages(self)

    def index_pages(self) -> list[Page]:
        """The handful of pages about the whole catalogue (they go through the engine's full pipeline)."""
        catalogue, card = self.catalogue, self.card
        return [
            _home(catalogue, self.options, card),
            _catalogue_page(catalogue),
            *_province_pages(catalogue, card),
            *_theme_pages(catalogue, card),
            _mechanism_page(catalogue),
            *_series_pages(catalogue, card),
        ]


class RecordPages(Sequence[Page]):
    """The record pages of a catalogue, each rendered when it is read (nothing is kept).

    The URLs are known without rendering, so the engine can plan its files and
    the sitemap first, and whoever writes the pages renders each one where it
    writes it (generator.build writes them in several processes).
    """

    def __init__(self, renderer: SiteRenderer) -> None:
        self.renderer = renderer
        self.entries = list(renderer.catalogue.visible)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [self.renderer.record_page(entry) for entry in self.entries[index]]
        return self.renderer.record_page(self.entries[index])

    def __iter__(self) -> Iterator[Page]:
        return (self.renderer.record_page(entry) for entry in self.entries)

    @property
    def urls(self) -> list[str]:
        return [urls.record_url(entry.slug) for entry in self.entries]
