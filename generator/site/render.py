"""The render stage: Catalogue → SitePages, with Jinja2 and nothing engine-specific.

Autoescaping is on for every template and no record text is ever marked
safe, so whatever an editor types is shown as text, never run as markup.
`render_record` depends only on (record, catalogue), which keeps it
cacheable by content hash and safe to run in worker processes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup, escape

from generator.catalogue import Catalogue, Entry, format_number, province_short
from generator.forking import can_fork, cores, fork_pool
from generator.models import KIND_LABELS
from generator.site import urls, views
from generator.site.pages import Page, PageKind, SitePages
from generator.template_cache import bytecode_cache

TEMPLATES_DIR = Path(__file__).parent / "templates"
ASSETS_DIR = Path(__file__).parent / "assets"


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
    env.filters.update(count=views.format_count, number=format_number, cjk=views.join_cjk)
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


def _card(entry: Entry, catalogue: Catalogue) -> views.Card:
    """views.card, once per record and catalogue (a record appears on a province, theme and series page…)."""
    cards = catalogue.__dict__.setdefault("_site_cards", {})
    found = cards.get(entry.slug)
    if found is None or found[0] is not entry:
        found = cards[entry.slug] = (entry, views.card(entry, catalogue))
    return found[1]


def _render(template: str, page_url: str, **context: Any) -> str:
    return environment().get_template(template).render(root=urls.depth_prefix(page_url), **context)


def edit_link(entry: Entry, options: SiteOptions) -> str | None:
    return options.edit_url.replace("{path}", entry.path) if options.edit_url else None


def render_record(entry: Entry, catalogue: Catalogue, options: SiteOptions) -> Page:
    """One record's page. Never shows `record.review`: that is for editors only."""
    record = entry.record
    url = urls.record_url(record.slug)
    before, after = catalogue.neighbours(entry)
    content = _render(
        "record.html",
        url,
        record=record,
        entry=entry,
        series=catalogue.series_of(entry),
        figures=views.figures(entry, catalogue),
        tags=views.tag_links(entry, catalogue),
        themes=catalogue.themes_of(entry),
        before=before and _card(before, catalogue),
        after=after and _card(after, catalogue),
        related=[_card(e, catalogue) for e in catalogue.related(entry)],
        edit_url=edit_link(entry, options),
        draft=views.is_draft(entry),
    )
    title = f"No. {record.number} {record.name}" if record.number is not None else record.name
    return Page(
        url=url,
        title=("［草稿］" if views.is_draft(entry) else "") + title,
        content=content,
        kind=PageKind.record,
        description=views.description(f"{record.headline}。{views.join_cjk(record.summary)}"),
        image=record.images[0].path if record.images else None,
        edit_url=edit_link(entry, options),
        draft=views.is_draft(entry),
    )


def render_home(catalogue: Catalogue, options: SiteOptions) -> Page:
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
            newest=[_card(e, catalogue) for e in views.newest(catalogue)],
        ),
        description=f"{figures['records']} 个项目，覆盖 {figures['provinces']} 个省份。",
    )


def render_catalogue(catalogue: Catalogue) -> Page:
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
            text, value = views.table_cell(entry, definition)
            add(f'<td class="sc-num" data-value="{escape(value)}">{escape(text)}</td>')
        add(f'      <td class="sc-catalogue__themes">{"、".join(escape(t.name) for t in themes)}</td>\n    </tr>\n')
    return Markup("".join(parts))


def render_provinces(catalogue: Catalogue) -> list[Page]:
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
                    cards=[_card(e, catalogue) for e in entries],
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


def render_themes(catalogue: Catalogue) -> list[Page]:
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
                    cards=[_card(e, catalogue) for e in entries],
                    mechanisms=grouped.get(theme.name, []),
                ),
                description=theme.description or theme.name,
            )
        )
    return pages


def render_mechanisms(catalogue: Catalogue) -> Page:
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


def render_series(catalogue: Catalogue) -> list[Page]:
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
                    cards=[_card(e, catalogue) for e in entries],
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


def render_index_pages(catalogue: Catalogue, options: SiteOptions) -> list[Page]:
    """The handful of pages about the whole catalogue (they go through the engine's full pipeline)."""
    return [
        render_home(catalogue, options),
        render_catalogue(catalogue),
        *render_provinces(catalogue),
        *render_themes(catalogue),
        render_mechanisms(catalogue),
        *render_series(catalogue),
    ]


class RecordPages(Sequence[Page]):
    """The record pages of a catalogue, each rendered when it is read (nothing is kept).

    The URLs are known without rendering, so the engine can plan its files
    and the sitemap first; forked workers that inherit this object render
    their share of the pages themselves (mkdocs_plugin writes them that way).
    """

    def __init__(self, catalogue: Catalogue, options: SiteOptions) -> None:
        self.catalogue = catalogue
        self.options = options
        self.entries = list(catalogue.visible)

    def __len__(self) -> int:
        return len(self.entries)

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return [render_record(entry, self.catalogue, self.options) for entry in self.entries[index]]
        return render_record(self.entries[index], self.catalogue, self.options)

    @property
    def urls(self) -> list[str]:
        return [urls.record_url(entry.slug) for entry in self.entries]

    def prepare_to_fork(self) -> None:
        """Build the catalogue's lazy indexes now, so each forked worker does not build its own."""
        _warm_indexes(self.catalogue)


# Below this many records, starting worker processes costs more than it saves.
PARALLEL_MIN = 500


def render_site(catalogue: Catalogue, options: SiteOptions) -> SitePages:
    """Every page of the site, in memory, except that record pages are rendered when read (RecordPages).

    With many records, worker processes render the WeChat articles and the
    data downloads while this process renders the index pages. The result is
    the same as a single-process run.
    """
    from generator.site.channels import channel_files, search_page, wechat_site_pages

    if _workers(len(catalogue.visible)) < 2:
        site = SitePages(render_index_pages(catalogue, options))
        site.indexes.append(search_page())
        site.indexes.extend(wechat_site_pages(catalogue))
        site.files.update(channel_files(catalogue))
    else:
        site = _render_in_parallel(catalogue, options)
    site.records = RecordPages(catalogue, options)
    seen: set[str] = set()
    for url in [*(page.url for page in site.indexes), *site.records.urls]:
        if url in seen:  # slugs are unique after validation; this guards the URL scheme
            raise ValueError(f"two pages at {url}")
        seen.add(url)
    return site


def _workers(records: int) -> int:
    if records < PARALLEL_MIN or not can_fork():
        return 1
    return cores()


# Set in the parent just before the workers fork: they inherit it instead of receiving it pickled.
_SHARED: Catalogue | None = None


def _render_in_parallel(catalogue: Catalogue, options: SiteOptions) -> SitePages:
    from generator.site.channels import search_page

    global _SHARED
    _warm_indexes(catalogue)
    provinces = len(catalogue.by_province)
    workers = cores()
    step = max(1, provinces // (workers * 3))
    # The WeChat articles first (the longest tasks), the data downloads last.
    tasks = [("wechat", start, min(start + step, provinces)) for start in range(0, provinces, step)] + [("files", 0, 0)]
    _SHARED = catalogue
    try:
        with fork_pool(workers) as pool:
            pending = pool.map_async(_render_task, tasks, chunksize=1)
            site = SitePages(render_index_pages(catalogue, options))  # meanwhile, in this process
            results = pending.get()
    finally:
        _SHARED = None
    site.indexes.append(search_page())
    for chunk in results[:-1]:
        site.indexes.extend(chunk)
    site.files.update(results[-1])
    return site


def _render_task(task: tuple[str, int, int]):
    from generator.site.channels import channel_files, wechat_site_pages

    assert _SHARED is not None
    kind, start, stop = task
    if kind == "wechat":
        return wechat_site_pages(_provinces_only(_SHARED, start, stop))
    return channel_files(_SHARED)


def _provinces_only(catalogue: Catalogue, start: int, stop: int) -> Catalogue:
    """The catalogue cut down to some provinces: a province's WeChat article reads only its own records."""
    chosen = set(list(catalogue.by_province)[start:stop])
    entries = [e for e in catalogue.visible if e.record.location.province in chosen]
    return Catalogue(config=catalogue.config, entries=entries, include_drafts=catalogue.include_drafts)


def _warm_indexes(catalogue: Catalogue) -> None:
    """Build the catalogue's lazy indexes before forking, so each worker does not build its own."""
    catalogue.by_province, catalogue.by_series, catalogue.by_theme, catalogue.mechanisms  # noqa: B018
    catalogue._series_position, catalogue._related_index, catalogue.headline_figures  # noqa: B018
