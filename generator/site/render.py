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
from functools import cache, cached_property, lru_cache
from pathlib import Path
from typing import Any, Callable
from urllib.parse import quote

import jinja2
from markupsafe import Markup

from generator.catalogue import Catalogue, Entry
from generator.present import statistics, urls
from generator.present.dates import day
from generator.present.figures import format_count, format_number, grouped, grouped_figures, number_label, table_cell
from generator.present.pages import Page, PageKind
from generator.present.photos import CARD_SIZES, GALLERY_SIZES, LEAD_SIZES
from generator.present.places import province_short
from generator.present.record import paragraphs, record_view
from generator.schema.record import KIND_LABELS
from generator.site import overview, views
from generator.site.template_cache import bytecode_cache
from generator.text.html import text as _e
from generator.site.record_page import record_html
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
    site_url: str = ""  # the published address (WeChat articles link the site's photos by it)


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
    env.globals.update(u=urls, province_short=province_short, kind_labels=KIND_LABELS, cards_html=_cards_html,
                       number_label=number_label)
    env.filters.update(count=format_count, number=format_number, cjk=join_cjk, paragraphs=paragraphs)
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
    number = f'<span class="sc-badge">{_e(number_label(card.number))}</span>' if card.number is not None else ""
    thumb = ""
    if card.thumb is not None:
        t, prefix = card.thumb, _e(root)
        srcset = ", ".join(f"{prefix}{_e(part)}" for part in t.srcset.split(", "))
        # Decorative (alt=""): the card's link text names the record. Lazy: lists can hold hundreds of cards.
        thumb = (
            f'    <picture class="sc-card__thumb"><source type="image/webp" srcset="{srcset}" sizes="{CARD_SIZES}">'
            f'<img src="{prefix}{_e(t.fallback)}" width="{t.width}" height="{t.height}" alt="" loading="lazy" decoding="async"></picture>\n'
        )
    figures = ""
    if card.figures:
        spans = "".join(f"<span>{_e(f.label)} <b>{_e(f.text)}</b></span>" for f in card.figures)
        figures = f'    <span class="sc-card__figures">\n{spans}    </span>\n'
    return Markup(
        f'<li class="sc-card{" sc-card--draft" if card.draft else ""}">\n'
        f'  <a class="sc-card__link{" sc-card__link--photo" if thumb else ""}" href="{_e(root)}{_e(card.url)}">\n'
        f"{thumb}"
        f'    <span class="sc-card__meta">\n'
        f'{number}      <span class="sc-card__place">{_e(card.place)}</span>\n'
        f'{_CARD_DRAFT_MARK if card.draft else ""}    </span>\n'
        f'    <span class="sc-card__name">{_e(card.name)}</span>\n'
        f'    <span class="sc-card__headline">{_e(card.headline)}</span>\n'
        f"{figures}"
        "  </a>\n"
        "</li>\n"
    )


def _render(template: str, page_url: str, **context: Any) -> str:
    return environment().get_template(template).render(root=urls.depth_prefix(page_url), **context)


def edit_link(entry: Entry, options: SiteOptions) -> str | None:
    """The "edit this record" address: the record's path percent-encoded (a # or ? in a file name
    would otherwise end the path; edit_url itself is an http(s) address, schema.site_config)."""
    return options.edit_url.replace("{path}", quote(entry.path, safe="/")) if options.edit_url else None


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
    edit_url = edit_link(entry, options)
    draft = views.is_draft(entry)
    content = record_html(
        view,
        root=root,
        path=entry.path,
        href=href,
        figures=grouped_figures(tuple(view.figures)),  # 228,394.93平方米 on the site; the channels print it as the source
        themes=[(theme, root + urls.theme_url(theme.theme_slug)) for theme in view.themes],
        tags=[(tag, root + urls.tag_url(tag.theme_slug, tag.name)) for tag in view.tags],  # a fine tag's own list
        before=before_card,
        after=after_card,
        related_html=_cards_html(related, root) if related else "",
        edit_url=edit_url,
        draft=draft,
        changed=views.changed(entry, catalogue),
        sizes={"lead": LEAD_SIZES, "gallery": GALLERY_SIZES},
    )
    title = f"{number_label(record.number)} {record.name}" if record.number is not None else record.name
    return Page(
        url=url,
        title=("［草稿］" if draft else "") + title,
        content=content,
        kind=PageKind.record,
        description=views.description(f"{record.headline}。{join_cjk(record.summary)}"),
        image=view.images[0].fallback_url if view.images else None,  # the lead photo is the share image
        edit_url=edit_url,
        draft=draft,
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
    """A mechanism's place in the index (its readable anchor): the same few hundred names on thousands of pages."""
    return urls.mechanisms_url(name)


def _cards_html(cards: list[views.Card], root: str) -> Markup:
    """A list of cards: the `cards` macro in _macros.html calls it once per list (a province page lists
    hundreds, and a Jinja loop made two calls and an escape per card); record pages call it directly."""
    return Markup('<ul class="sc-cards">\n' + "".join(_card_html(c, root) for c in cards) + "</ul>\n")


def _home(catalogue: Catalogue, options: SiteOptions, card: _Cards) -> Page:
    figures = catalogue.headline_figures
    satisfaction = catalogue.config.metric_by_key.get("owner_satisfaction")
    middle = statistics.middle(catalogue.visible, satisfaction) if satisfaction else None
    households = catalogue.config.metric_by_key.get("households")
    summed = statistics.total(catalogue.visible, households) if households else None
    return Page(
        url=urls.home_url(),
        title=options.site_name,
        content=_render(
            "home.html",
            urls.home_url(),
            figures=figures,
            satisfaction=middle if middle and statistics.enough(middle.records, catalogue.config) else None,
            households=summed if summed and statistics.enough(summed.records, catalogue.config) else None,
            series=[views.series_count(s, catalogue.by_series.get(s.id, [])) for s in catalogue.config.series],
            themes=catalogue.config.themes,
            newest=[card(e) for e in views.newest(catalogue)],
            province_map=overview.province_map(catalogue),
            charts=overview.charts(catalogue.visible, catalogue),
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
            themes=[(t, len(catalogue.by_theme[t.name])) for t in catalogue.config.themes],
        ),
        description=f"全部 {count} 个项目一览：按省份、主题筛选，按户数、面积、满意度排序。",
        wide=True,
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
    root_html = _e(root)
    for position, entry in enumerate(catalogue.visible):
        record = entry.record
        province = record.location.province
        short = _e(province_short(province))
        themes = catalogue.themes_of(entry)
        draft = views.is_draft(entry)
        name = _e(record.name)
        city = record.location.city
        add(
            f'    <tr data-province="{_e(urls.province_slug(province))}"'
            f' data-themes="{" ".join(_e(t.slug) for t in themes)}"'
            f'{_DRAFT_ROW if draft else ""}>\n'
        )
        add(f'      <td data-value="{position}">{_e(record.number) if record.number is not None else "—"}</td>\n')
        add(
            f'      <td data-value="{name}"><a href="{root_html}{_e(urls.record_url(record.slug))}">{name}</a>'
            f'{_DRAFT_MARK if draft else ""}</td>\n'
        )
        add(f'      <td data-value="{short}">{short}</td>\n')
        add(f'      <td data-value="{_e(city or "")}">{_e(city or "—")}</td>\n')
        for definition in definitions:
            text, value = table_cell(record, definition)
            add(f'<td class="sc-num" data-value="{_e(value)}">{_e(grouped(text))}</td>')
        add(f'      <td class="sc-catalogue__themes">{"、".join(_e(t.name) for t in themes)}</td>\n    </tr>\n')
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
                province_map=overview.province_map(catalogue),
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
                    charts=overview.charts(entries, catalogue),
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
    mechanisms_of = dict(_mechanisms_by_theme(catalogue))
    pages = [
        Page(
            url=urls.themes_url(),
            title="按主题",
            content=_render(
                "themes.html",
                urls.themes_url(),
                themes=[(t, len(catalogue.by_theme[t.name]), len(mechanisms_of.get(t.name, []))) for t in catalogue.config.themes],
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
                    mechanisms=mechanisms_of.get(theme.name, []),
                    charts=overview.charts(entries, catalogue),
                    tag_counts={tag: len(catalogue.by_tag.get(tag, [])) for tag in theme.tags},
                ),
                description=views.description(theme.description or theme.name),
            )
        )
        for tag in theme.tags:
            tagged = catalogue.by_tag.get(tag)
            if not tagged:
                continue
            url = urls.tag_url(theme.slug, tag)
            pages.append(
                Page(
                    url=url,
                    title=tag,
                    content=_render("tag.html", url, theme=theme, tag=tag, cards=[card(e) for e in tagged]),
                    description=f"标有“{tag}”的 {len(tagged)} 个项目：" + "、".join(e.record.name for e in tagged[:8]),
                )
            )
    return pages


def _mechanism_page(catalogue: Catalogue) -> Page:
    url = urls.mechanisms_url()
    groups = _mechanisms_by_theme(catalogue)
    slugs = {t.name: t.slug for t in catalogue.config.themes}
    # Anchors: readable (urls.mechanism_anchor); two names that differ only in their signs would
    # share one, so the second keeps its readable part and a short stable suffix.
    anchors: dict[str, str] = {}
    taken: set[str] = set()
    for _, uses in groups:
        for use in uses:
            anchor = urls.mechanism_anchor(use.name)
            if anchor in taken:
                anchor = f"{anchor}-{urls.stable_id(use.name)}"
            taken.add(anchor)
            anchors[use.name] = anchor
    return Page(
        url=url,
        title="机制索引",
        content=_render(
            "mechanisms.html",
            url,
            groups=[(name, slugs.get(name, "other") if name else "other", uses) for name, uses in groups],
            anchors=anchors,
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
    root_html = _e(root)
    links = []
    for entry in entries:
        record = entry.record
        number = f"{_e(number_label(record.number))} " if record.number is not None else ""
        links.append(f'<a href="{root_html}{_e(urls.record_url(record.slug))}">{number}{_e(record.name)}</a>')
    return Markup("、".join(links))


def _series_pages(catalogue: Catalogue, card: _Cards) -> list[Page]:
    listing = [views.series_count(s, catalogue.by_series.get(s.id, [])) for s in catalogue.config.series]
    pages = [
        Page(
            url=urls.series_index_url(),
            title="系列",
            content=_render("series_index.html", urls.series_index_url(), listing=listing),
            description="、".join(s.title for s in catalogue.config.series),
        )
    ]
    for count in listing:
        series = count.series
        entries = catalogue.by_series.get(series.id, [])
        url = urls.series_url(series.id)
        slots = views.slots(series.size, entries) if series.numbered else None
        pages.append(
            Page(
                url=url,
                title=series.title,
                content=_render(
                    "series.html", url, series=series, count=count,
                    cards=[card(e) for e in entries],
                    slots=slots,
                    holdings=views.holdings(slots) if slots else None,
                    open_numbers=views.number_ranges([s.number for s in slots if s.url is None]) if slots else "",
                ),
                description=views.description(series.description or series.title),
            )
        )
    return pages


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

    @cached_property
    def urls(self) -> list[str]:
        return [urls.record_url(entry.slug) for entry in self.entries]

    @property
    def lastmods(self) -> list[str | None]:
        """Each page's last change as YYYY-MM-DD (its record file's), for the sitemap."""
        changed = self.renderer.catalogue.changed
        return [day(changed[e.path]).isoformat() if e.path in changed else None for e in self.entries]

    @property
    def newest(self) -> str | None:
        """The newest change of any record: when the pages about the whole catalogue last changed."""
        changed = self.renderer.catalogue.changed
        times = [changed[e.path] for e in self.entries if e.path in changed]
        return day(max(times)).isoformat() if times else None
