"""Records → search documents: what each record contributes to the index.

Search documents are built from the Catalogue, not scraped from the rendered
pages: the record fields say what is a name, a place or a mechanism (and so
how much a match there weighs), and indexing does not depend on page markup.
Each document is written as a small HTML file in a scratch folder at the
record page's URL, so Pagefind's result URLs are the record pages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from generator.catalogue import Catalogue, Entry, province_short
from generator.models import KIND_LABELS
from generator.search.tokens import FIELD_BREAK, index_tokens

# Pagefind weights (0–10): a match in the name ranks above one in a mechanism
# name, which ranks above one in running text.
WEIGHT_NAME = 10.0
WEIGHT_HEADLINE = 6.0
WEIGHT_PLACE = 5.0
WEIGHT_MECHANISM = 4.0
WEIGHT_TITLE = 2.0
WEIGHT_TEXT = 1.0

# Filter keys (also read by assets/search.js, which labels them in Chinese).
FILTER_PROVINCE = "province"
FILTER_THEME = "theme"
FILTER_SERIES = "series"


@dataclass
class SearchDocument:
    url: str  # site-root relative directory URL, e.g. "records/<slug>/"
    meta: dict[str, str]
    filters: dict[str, list[str]]
    fields: list[tuple[str, float]] = field(default_factory=list)

    def add(self, text: str | None, weight: float = WEIGHT_TEXT) -> None:
        if text and text.strip():
            self.fields.append((text.strip(), weight))


def record_document(entry: Entry, catalogue: Catalogue, url: str) -> SearchDocument:
    """One record's searchable text, display metadata and filter values."""
    record = entry.record
    series = catalogue.series_of(entry)
    location = record.location
    places = [location.province, location.city, location.district, location.area, location.street, location.community]
    meta = {
        "title": record.name,
        "headline": record.headline,
        "province": province_short(location.province),
        "place": " · ".join(dict.fromkeys(p for p in places[1:4] if p and p != location.province)),
        "series": series.short_title,
        "kind": KIND_LABELS[record.kind],
    }
    if record.number is not None:
        meta["number"] = str(record.number)
    themes = catalogue.themes_of(entry)
    filters = {
        FILTER_PROVINCE: [province_short(location.province)],
        FILTER_THEME: [theme.name for theme in themes],
        FILTER_SERIES: [series.short_title],
    }
    doc = SearchDocument(url=url, meta={k: v for k, v in meta.items() if v}, filters=filters)
    doc.add(record.name, WEIGHT_NAME)
    doc.add(record.headline, WEIGHT_HEADLINE)
    doc.add(" ".join(dict.fromkeys(p for p in places if p)), WEIGHT_PLACE)
    doc.add(record.summary)
    for mechanism in record.mechanisms:
        doc.add(mechanism.name, WEIGHT_MECHANISM)
        doc.add(mechanism.what)
        doc.add(mechanism.how)
    for highlight in record.highlights:
        doc.add(highlight.title, WEIGHT_TITLE)
        doc.add(highlight.text)
    doc.add(" ".join(dict.fromkeys([*record.themes, *(t.name for t in themes)])), WEIGHT_TITLE)
    for recognition in record.recognitions:
        doc.add(recognition.title)
    facts = record.facts
    doc.add(" ".join(p for p in (facts.property_company, facts.developer, facts.estate_type) if p))
    doc.add(f"{series.short_title} {KIND_LABELS[record.kind]}" + (f" No.{record.number}" if record.number else ""))
    return doc


def document_html(doc: SearchDocument, language: str) -> str:
    """The HTML Pagefind reads: tokens in the body, metadata and filters beside it.

    All fields share one paragraph (one span each, for its weight) with ¶
    between them: Pagefind appends "." to every block it reads, and a single
    block keeps the stored content decodable. Metadata and filters sit outside
    the body: Pagefind reads them anywhere, and does not index them as content.
    """
    parts = [f'<!doctype html><html lang="{language}"><head><meta charset="utf-8"></head><body>']
    for key, value in doc.meta.items():
        parts.append(f'<span data-pagefind-meta="{key}">{escape(value)}</span>')
    for key, values in doc.filters.items():
        for value in values:
            parts.append(f'<span data-pagefind-filter="{key}">{escape(value)}</span>')
    spans = []
    for text, weight in doc.fields:
        tokens = " ".join(escape(t) for t in index_tokens(text))
        spans.append(f'<span data-pagefind-weight="{weight:g}">{tokens}</span>')
    parts.append(f"<main data-pagefind-body><p>{f' {FIELD_BREAK} '.join(spans)}</p></main>")
    parts.append("</body></html>\n")
    return "\n".join(parts)
