"""The printed shape of a record, shared by WeChat, ICML, DOCX and PDF.

Every channel shows the same parts in the same order (number, name,
headline, 概况及亮点, figures, mechanisms, highlights, sources), so the
wording of figures and locations is decided once here and not four times.
Text is cleaned of control characters that XML cannot carry; escaping for a
particular markup is left to that format's writer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.catalogue import Catalogue, Entry
from generator.present.figures import Figure, figures
from generator.present.places import location_line, province_short
from generator.schema.record import KIND_LABELS

# XML 1.0 allows tab, newline and carriage return among the C0 controls and
# nothing else. Record text is already free of them (generator.schema.record rejects
# them) and of folded-line spaces; this is a last guard for the XML formats.
_NON_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")


def clean(text: str) -> str:
    return _NON_XML.sub("", text)


def paragraphs(text: str) -> list[str]:
    """Split a text field into paragraphs at blank lines or line breaks."""
    return [clean(p).strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


@dataclass(frozen=True)
class Mechanism:
    name: str
    what: str
    how: str | None


@dataclass(frozen=True)
class Highlight:
    title: str
    text: str


@dataclass(frozen=True)
class SourceNote:
    label: str  # 示例协会《标题》 2022-11-30
    url: str | None


@dataclass(frozen=True)
class Picture:
    path: str  # relative to content/, as in the record
    caption: str
    credit: str


@dataclass(frozen=True)
class RecordView:
    slug: str
    number: str | None  # "47"
    kind: str  # 小区 / 社区 / 区域做法
    name: str
    headline: str
    province: str  # 湖北 (short, as the association writes it)
    location: str  # 湖北省武汉市硚口区
    series_title: str
    series_short: str
    summary: list[str]
    figures: list[Figure]
    mechanisms: list[Mechanism]
    highlights: list[Highlight]
    sources: list[SourceNote]
    notes: list[str]
    images: list[Picture]

    @property
    def file_stem(self) -> str:
        """047-shili-huayuan for numbered records, the slug otherwise."""
        return f"{int(self.number):03d}-{self.slug}" if self.number else self.slug


def record_view(catalogue: Catalogue, entry: Entry) -> RecordView:
    record = entry.record
    series = catalogue.series_of(entry)
    location = record.location
    return RecordView(
        slug=record.slug,
        number=str(record.number) if record.number is not None else None,
        kind=KIND_LABELS[record.kind],
        name=clean(record.name),
        headline=clean(record.headline),
        province=province_short(location.province),
        location=location_line(location),
        series_title=series.title,
        series_short=series.short_title,
        summary=paragraphs(record.summary),
        figures=[Figure(f.key, f.label, f.text, clean(f.note) if f.note else None) for f in figures(record, catalogue.config)],
        mechanisms=[
            Mechanism(clean(m.name), clean(m.what), clean(m.how) if m.how else None) for m in record.mechanisms
        ],
        highlights=[Highlight(clean(h.title), clean(h.text)) for h in record.highlights],
        sources=[_source_note(s) for s in record.sources],
        notes=[clean(n) for n in record.notes],
        images=[Picture(i.path, clean(i.caption), clean(i.credit)) for i in record.images],
    )


def _source_note(source) -> SourceNote:
    label = f"{clean(source.publisher)}《{clean(source.title)}》"
    if source.date:
        label += f" {source.date.isoformat()}"
    return SourceNote(label, source.url)
