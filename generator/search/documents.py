"""Records → search documents: what each record contributes to the index.

Search documents are built from the Catalogue, not scraped from the rendered
pages: the record fields say what is a name, a place or a mechanism (and so
how much a match there weighs), and indexing does not depend on page markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from generator.catalogue import Catalogue, Entry
from generator.present.figures import figures
from generator.present.places import province_short
from generator.schema.record import KIND_LABELS
from generator.text.cjk import join_cjk

# Field classes, lowest first. A match ranks by the best class it occurs in
# (name > headline > place > mechanism name > title/theme > running text);
# assets/search.js holds the weight of each class (CLASS_WEIGHTS).
CLASS_TEXT = 0
CLASS_TITLE = 1
CLASS_MECHANISM = 2
CLASS_PLACE = 3
CLASS_HEADLINE = 4
CLASS_NAME = 5
CLASSES = 6

# Filter keys (also read by assets/search.js, which labels them in Chinese).
FILTER_PROVINCE = "province"
FILTER_THEME = "theme"
FILTER_SERIES = "series"
FILTER_KEYS = (FILTER_PROVINCE, FILTER_THEME, FILTER_SERIES)


@dataclass
class SearchDocument:
    url: str  # site-root relative directory URL, e.g. "records/<slug>/"
    meta: dict[str, str]  # shown in results as text: title, headline, province, place, number…
    filters: dict[str, list[str]]
    fields: list[tuple[str, int]] = field(default_factory=list)  # (text, class) in reading order
    # The record's own sentences, as written, for the excerpt under a result (no keyword lists:
    # names, places and tags are shown above the excerpt or found without one).
    passages: list[str] = field(default_factory=list)

    def add(self, text: str | None, field_class: int = CLASS_TEXT) -> None:
        if text:
            text = text.strip()
            if text:
                self.fields.append((text, field_class))

    def passage(self, text: str | None) -> None:
        if text:
            text = text.strip()
            if text:
                self.passages.append(join_cjk(text))


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
        FILTER_THEME: sorted(dict.fromkeys(theme.name for theme in themes)),
        FILTER_SERIES: [series.short_title],
    }
    doc = SearchDocument(url=url, meta={k: v for k, v in meta.items() if v}, filters=filters)
    doc.add(record.name, CLASS_NAME)
    doc.add(record.headline, CLASS_HEADLINE)
    doc.add(" ".join(dict.fromkeys(p for p in places if p)), CLASS_PLACE)
    doc.add(record.summary)
    doc.passage(record.summary)
    # Figures as the pages word them ("业主满意度 95%以上"): a reader searching 满意度 or 95% finds
    # every record with the figure, not only those whose prose happens to repeat it.
    for figure in figures(record, catalogue.config):
        doc.add(f"{figure.label} {figure.text}")
        doc.passage(f"{figure.label}：{figure.text}" + (f"（{figure.note}）" if figure.note else ""))
    for mechanism in record.mechanisms:
        doc.add(mechanism.name, CLASS_MECHANISM)
        doc.add(mechanism.what)
        doc.add(mechanism.how)
        doc.passage(f"{mechanism.name}：{mechanism.what}" + (f" {mechanism.how}" if mechanism.how else ""))
    for highlight in record.highlights:
        doc.add(highlight.title, CLASS_TITLE)
        doc.add(highlight.text)
        doc.passage(f"{highlight.title}：{highlight.text}")
    doc.add(" ".join(dict.fromkeys([*record.themes, *(t.name for t in themes)])), CLASS_TITLE)
    for recognition in record.recognitions:
        doc.add(recognition.title)
        doc.passage(f"荣誉：{recognition.title}")
    facts = record.facts
    doc.add(" ".join(p for p in (facts.property_company, facts.developer, facts.estate_type) if p))
    doc.add(f"{series.short_title} {KIND_LABELS[record.kind]}" + (f" 第{record.number}号" if record.number else ""))
    return doc
