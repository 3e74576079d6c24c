"""The printed shape of a record: one presentation that the website and every channel read.

The site's record page, WeChat, ICML, DOCX and the PDF proof all show a
record through `RecordView`, in the same parts and the same order: number,
name, headline, place, 概况, figures, facts (基本信息), mechanisms,
highlights, pictures, themes, honours, editor's notes (the address note
among them) and sources. Wording is decided here once — “2008年”, “市级，
2021年”, a source's citation — so a fact added to `facts()` below shows on
the site and in every channel without touching them (tests/test_channels_
show_everything.py fails when a record field reaches the site but not a
channel).

Text is cleaned of control characters that XML cannot carry and of the
spaces YAML's folded lines leave between Chinese characters; escaping for a
particular markup is left to that format's writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.catalogue import Catalogue, Entry
from generator.present.figures import Figure, figures, number_label
from generator.present.photos import PhotoView, record_photos
from generator.present.places import place_parts, province_short
from generator.schema.record import KIND_LABELS, Recognition, Record, Source
from generator.text.cjk import join_cjk

# XML 1.0 allows tab, newline and carriage return among the C0 controls and
# nothing else. Record text is already free of them (generator.schema.record rejects
# them); this is a last guard for the XML formats.
_NON_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# A source title the editor wrote in 〔…〕 (no published title) is not a title in 《》.
_OPENING_BRACKETS = ("〔", "【", "《", "［", "(", "（")


def clean(text: str) -> str:
    """A name, a title, a label: as written (the space in 延伸党建触角 满足业主需求 is meant)."""
    # isprintable() is false for every character _NON_XML removes: most texts skip the regular expression.
    return text if text.isprintable() else _NON_XML.sub("", text)


def prose(text: str) -> str:
    """Running text: cleaned, and without the spaces YAML's folded lines leave between Chinese characters."""
    return join_cjk(clean(text))


def paragraphs(text: str) -> list[str]:
    """Split a text field into paragraphs at blank lines or line breaks."""
    return [prose(p).strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def year_text(year: int) -> str:
    return f"{year}年"


def date_text(date) -> str:
    """2022-11-30 → 2022年11月30日, as Chinese print and the site write a date."""
    return f"{date.year}年{date.month}月{date.day}日"


@dataclass(frozen=True)
class Fact:
    """One line of 基本信息: 物业服务企业 · 示例物业服务有限公司."""

    label: str
    text: str


@dataclass(frozen=True)
class Mechanism:
    name: str
    theme: str | None
    what: str
    how: str | None

    @property
    def text(self) -> str:
        """What and how as one run of text (the channels print them as one paragraph)."""
        return self.what + (self.how or "")


@dataclass(frozen=True)
class Highlight:
    title: str
    text: str


@dataclass(frozen=True)
class Honour:
    title: str
    detail: str | None  # 市级，2021年 · 所属评选

    @property
    def text(self) -> str:
        return self.title + (f"（{self.detail}）" if self.detail else "")


@dataclass(frozen=True)
class SourceNote:
    publisher: str
    title: str
    date: str | None  # 2022年11月30日
    iso_date: str | None  # 2022-11-30
    url: str | None
    note: str | None

    @property
    def reference(self) -> str:
        """示例协会《标题》 (a title the editor wrote in 〔…〕 keeps its brackets)."""
        title = self.title if self.title.startswith(_OPENING_BRACKETS) else f"《{self.title}》"
        return f"{self.publisher}{title}"

    @property
    def label(self) -> str:
        """示例协会《标题》，2022年11月30日 — the citation every channel prints."""
        return self.reference + (f"，{self.date}" if self.date else "")

    @property
    def citation(self) -> str:
        """The label with the editor's note on the source, if any: …，2022年11月30日（存档文本未载明网址。）"""
        return self.label + (f"（{self.note}）" if self.note else "")


@dataclass(frozen=True)
class ThemeTag:
    name: str  # 社区物业党建, or a finer tag such as 红色物业
    theme: str  # the top-level theme it belongs to (itself for a theme)
    theme_slug: str  # the top-level theme's slug (its page)


@dataclass(frozen=True)
class RecordView:
    slug: str
    number: str | None  # "47"
    kind: str  # 小区 / 社区 / 区域做法
    name: str
    headline: str
    series_id: str
    series_title: str
    series_short: str
    province: str  # 湖北 (short, as the association writes it)
    province_name: str  # 湖北省
    place: tuple[str, ...]  # (湖北省, 武汉市, 硚口区[, 功能区]): the site's crumbs
    location: str  # 湖北省武汉市硚口区: the location line of every channel
    summary: list[str]
    figures: list[Figure]
    facts: list[Fact]
    mechanisms: list[Mechanism]
    highlights: list[Highlight]
    images: list[PhotoView]  # lead first (generator.present.photos)
    themes: list[ThemeTag]  # top-level themes
    tags: list[ThemeTag]  # the record's finer tags (those that are not a theme's own name)
    honours: list[Honour]
    notes: list[str]  # editor's notes, the address note last (“地址：…”)
    sources: list[SourceNote]

    @property
    def file_stem(self) -> str:
        """047-shili-huayuan for numbered records, the slug otherwise."""
        return f"{int(self.number):03d}-{self.slug}" if self.number else self.slug

    @property
    def number_label(self) -> str | None:
        """第 47 号: the number as the site's badge and every channel print it."""
        return number_label(int(self.number)) if self.number else None

    @property
    def title(self) -> str:
        """第 47 号 示例花园: how a list, an outline or a story title names the record (as the site's page title)."""
        return f"{self.number_label} {self.name}" if self.number else self.name

    @property
    def subjects(self) -> list[str]:
        """Themes, tags and the mechanisms' own themes, each once, in the site's order: for
        channels that print them as one line (the site shows a mechanism's theme under it)."""
        names = [t.name for t in self.themes] + [t.name for t in self.tags] + [m.theme for m in self.mechanisms if m.theme]
        return list(dict.fromkeys(names))

    @property
    def pull_quote(self) -> Highlight | None:
        """The highlight a layout can set large: the one whose text is nearest a two-line quote."""
        fitting = [h for h in self.highlights if 12 <= len(h.text) <= 80]
        if not fitting:
            return None
        return min(fitting, key=lambda h: (abs(len(h.text) - 40), self.highlights.index(h)))


def facts(record: Record) -> list[Fact]:
    """基本信息 in the site's order. Add a record field here and every channel prints it."""
    facts_ = record.facts
    location = record.location
    kind = KIND_LABELS[record.kind] + (f"（{clean(facts_.estate_type)}）" if facts_.estate_type else "")
    rows = [Fact("类型", kind)]
    optional = (
        ("街道", location.street),
        ("社区", location.community),
        ("物业服务企业", facts_.property_company),
        ("开发建设单位", facts_.developer),
        ("建成年份", year_text(facts_.year_built) if facts_.year_built else None),
        ("交付年份", year_text(facts_.year_delivered) if facts_.year_delivered else None),
        ("业委会成立", year_text(facts_.committee_founded) if facts_.committee_founded else None),
    )
    return rows + [Fact(label, clean(text)) for label, text in optional if text]


def honour(recognition: Recognition) -> Honour:
    parts = [p for p in (recognition.level.value if recognition.level else None, year_text(recognition.year) if recognition.year else None) if p]
    detail = "，".join(parts)
    if recognition.series:
        detail = f"{detail} · {clean(recognition.series)}" if detail else clean(recognition.series)
    return Honour(clean(recognition.title), detail or None)


def editor_notes(record: Record) -> list[str]:
    """The editor's notes as published; the address note is one of them, so a note that says
    “见地址说明” always has that explanation printed next to it."""
    notes = [prose(n) for n in record.notes]
    if record.location.note:
        notes.append("地址：" + prose(record.location.note))
    return notes


def source_note(source: Source) -> SourceNote:
    return SourceNote(
        publisher=clean(source.publisher),
        title=clean(source.title),
        date=date_text(source.date) if source.date else None,
        iso_date=source.date.isoformat() if source.date else None,
        url=source.url,
        note=clean(source.note) if source.note else None,
    )


def record_view(catalogue: Catalogue, entry: Entry) -> RecordView:
    record = entry.record
    series = catalogue.series_of(entry)
    location = record.location
    place = place_parts(location)
    themes = catalogue.themes_of(entry)
    tags = []
    for name in record.themes:
        theme = catalogue.config.theme_of_tag.get(name)
        if theme is not None and name != theme.name:
            tags.append(ThemeTag(name, theme.name, theme.slug))
    return RecordView(
        slug=record.slug,
        number=str(record.number) if record.number is not None else None,
        kind=KIND_LABELS[record.kind],
        name=clean(record.name),
        headline=clean(record.headline),
        series_id=series.id,
        series_title=series.title,
        series_short=series.short_title,
        province=province_short(location.province),
        province_name=location.province,
        place=tuple(place),
        location="".join(place),  # location_line(location), from the parts at hand
        summary=paragraphs(record.summary),
        figures=[_cleaned_figure(f) for f in figures(record, catalogue.config)],
        facts=facts(record),
        mechanisms=[
            Mechanism(clean(m.name), clean(m.theme) if m.theme else None, prose(m.what), prose(m.how) if m.how else None)
            for m in record.mechanisms
        ],
        highlights=[Highlight(clean(h.title), prose(h.text)) for h in record.highlights],
        images=[
            PhotoView(clean(p.alt), _cleaned(p.caption), _cleaned(p.credit), p.lead, p.photo) for p in record_photos(catalogue, entry)
        ],
        themes=[ThemeTag(t.name, t.name, t.slug) for t in themes],
        tags=tags,
        honours=[honour(r) for r in record.recognitions],
        notes=editor_notes(record),
        sources=[source_note(s) for s in record.sources],
    )


def _cleaned_figure(figure: Figure) -> Figure:
    """The figure with its note cleaned; the same figure when there is nothing to clean (most are: no copy)."""
    if figure.note is None:
        return figure
    note = clean(figure.note) if figure.note else None
    return figure if note is figure.note else Figure(figure.key, figure.label, figure.text, note)


def _cleaned(text: str | None) -> str | None:
    return clean(text) if text else None
