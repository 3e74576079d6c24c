"""DraftEntry → the fields of a `status: draft` record, plus what the editor must review.

Descriptive text (summary, mechanism `what`, highlight text) is the source's
own wording marked 【待改写】: the editor rewrites it in their own words
before publishing. The cleaned source paragraphs go to `review`, which is
never published.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.text.cleaning import CleaningIssue
from generator.schema.site_config import CatalogueConfig
from generator.importers import DraftEntry, Paragraph
from generator.importers.figures import Figure, find_figures, sentences
from generator.importers.mechanisms import MechanismFinding, find_mechanisms, suggest_themes
from generator.importers.places import PlaceFindings, find_place
from generator.schema.placeholders import REWRITE_MARK, TO_VERIFY, placeholder
from generator.text.slugs import slugify

REWRITE = REWRITE_MARK
_HIGHLIGHT_TITLE_MAX = 20
LOCATION_ORDER = ("province", "city", "district", "area", "street", "community")


@dataclass
class Draft:
    """One entry's draft record fields and the material for the review list."""

    entry: DraftEntry
    fields: dict
    place: PlaceFindings
    figures: list[Figure]
    mechanisms: list[MechanismFinding]
    themes: list[tuple[str, int]]
    garbled: list[CleaningIssue] = field(default_factory=list)
    undecided: list[str] = field(default_factory=list)
    # For the top of the file and the review list: what kind of draft this is, when not the usual one.
    notice: str | None = None

    @property
    def file_name(self) -> str:
        prefix = f"{self.entry.number:03d}-" if self.entry.number is not None else ""
        return f"{prefix}{self.fields['slug']}.yml"


def _excerpt(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _highlights(paragraphs: list[Paragraph]) -> list[dict]:
    """Paragraphs that open with a short sentence of their own ("完善小区支部架构。") carry a highlight."""
    found = []
    for paragraph in paragraphs[1:]:
        parts = sentences(paragraph)
        if len(parts) < 2:
            continue
        title = parts[0].rstrip("。！？")
        if 2 <= len(title) <= _HIGHLIGHT_TITLE_MAX:
            found.append({"title": title, "text": REWRITE + "".join(parts[1:]).strip()})
    return found


def _source(entry: DraftEntry, article_path: Path, province: str | None) -> tuple[dict, list[str]]:
    todo = []
    info = entry.article
    publisher = info.publisher
    if not publisher:
        publisher = TO_VERIFY
        todo.append("来源：文章中没有找到发布机构，请填写第 1 条来源的发布机构（publisher）")
    title = info.title
    note = None
    if not title and entry.article_format == "news":
        title = placeholder("请填写文章标题")
        todo.append("来源：文章没有标题行，请填写第 1 条来源的标题（title），并补日期和网址")
    elif not title:
        from generator.schema.divisions import province_short

        region = f"{province_short(province)}地区" if province else ""
        title = f"〔{region}“美好家园”项目展示〕"
        note = "存档文本未载明标题、日期和网址。"
        todo.append("来源：文章没有标题行，第 1 条来源的标题（title）是编者拟的〔…〕，有原标题时请替换，并补日期和网址")
    folder = article_path.parent.name
    file = f"{folder}/{article_path.name}" if folder == "seeds" else article_path.name
    source = {"publisher": publisher, "title": title, "file": file}
    if note:
        source["note"] = note
    return source, todo


def entry_lines(entry: DraftEntry) -> set[int]:
    """The article lines an entry covers: its heading lines and its paragraphs."""
    return {p.line for p in entry.paragraphs} | {entry.line, entry.line + 1, entry.line + 2}


def build_draft(
    entry: DraftEntry,
    config: CatalogueConfig,
    series: str,
    article_path: Path,
    garbled: list[CleaningIssue],
) -> Draft:
    vocabulary = set(config.theme_of_tag)
    place = find_place(entry.province_heading, entry.paragraphs)
    figures, others = find_figures(entry.paragraphs)
    figures = [f for f in figures if f.group == "facts" or f.key in config.metric_by_key]
    mechanisms = find_mechanisms(entry.paragraphs, vocabulary)
    themes = suggest_themes(entry.paragraphs, vocabulary)
    lines = entry_lines(entry)
    mine = [issue for issue in garbled if issue.line in lines]

    undecided = list(place.undecided)
    for figure in figures + others:
        if figure.approximate:
            undecided.append(
                f"{figure.label}：原文“{figure.written}”带“多/余”，限定词表里没有对应项，请决定是否写“超过”"
            )
    for figure in others:
        undecided.append(
            f"其他候选（未采用）{figure.label} {figure.written} ← 第 {figure.line} 行：“{_excerpt(figure.sentence)}”"
        )
    for issue in mine:
        undecided.append(f"乱码：第 {issue.line} 行第 {issue.column} 列 “{issue.snippet}”（{issue.context}），请对照原文核实")

    location = {key: place.location[key] for key in LOCATION_ORDER if key in place.location}
    source, source_todo = _source(entry, article_path, location.get("province"))
    undecided.extend(source_todo)
    metrics = {f.key: f.as_yaml_value() for f in figures if f.group == "metrics"}
    facts = {f.key: f.as_yaml_value() for f in figures if f.group == "facts"}
    summary_source = entry.paragraphs[0].text if entry.paragraphs else entry.headline
    news = entry.article_format == "news"
    notice = None
    if news:
        notice = NEWS_NOTICE
        undecided.insert(0, NEWS_NOTICE)
    if "province" not in location:
        location = {"province": placeholder("请填写省份"), **location}
    fields: dict = {
        "kind": "practice" if news else "community" if entry.name.endswith("社区") else "estate",
        "series": series,
        "number": entry.number,
        "name": entry.name or placeholder("请填写项目名称"),
        "headline": entry.headline or placeholder("请填写标题语"),
        "slug": slugify(entry.name) if entry.name else _news_slug(entry, location, article_path),
        "status": "draft",
        "location": location,
        "summary": REWRITE + summary_source,
        "metrics": metrics,
        "facts": facts,
        "mechanisms": [
            {**{"name": m.name}, **({"theme": m.theme} if m.theme else {}), "what": REWRITE + m.sentence}
            for m in mechanisms
        ],
        # A news report's short opening sentences are quotations, not highlights: left to the editor.
        "highlights": [] if news else _highlights(entry.paragraphs),
        "themes": [tag for tag, _ in themes],
        "sources": [source],
        "review": {
            "source_paragraphs": [p.text for p in entry.paragraphs],
            "todo": [
                "summary、mechanisms 的 what、highlights 的 text 是来源原文，标有【待改写】：请用自己的话改写后删去标记",
                *undecided,
            ],
        },
    }
    if entry.number is None:
        del fields["number"]
    for key in ("metrics", "facts", "mechanisms", "highlights", "themes"):
        if not fields[key]:
            del fields[key]
    return Draft(entry, fields, place, figures, mechanisms, themes, mine, undecided, notice)


NEWS_NOTICE = (
    "这篇文章不是系列格式（没有编号条目），整篇导入为一条素材草稿：名称、标题语待填写，数字、地点和机制"
    "可能分属文中的不同项目。请为每个项目用 showcase new 建立记录，把这里核实过的内容移过去；"
    "需要简体全文时用 showcase clean"
)


def _news_slug(entry: DraftEntry, location: dict, article_path: Path) -> str:
    """A news draft's slug: from the article's title, else its places, else the file's name."""
    words = entry.article.title or "".join(location.get(k, "") for k in ("city", "district", "street") if k in location)
    return slugify(words) if words else slugify(article_path.stem)


def evidence_lines(draft: Draft) -> list[str]:
    """The review list's "what was extracted, from which sentence" part for one draft."""
    lines = [f"  标题语：{draft.entry.headline}"]
    location = " ".join(draft.fields["location"].get(k, "") for k in LOCATION_ORDER if k in draft.fields["location"])
    lines.append(f"  地址：{location or '（未确定）'}")
    lines.extend(f"    {item}" for item in draft.place.evidence)
    for figure in draft.figures:
        shown = figure.as_yaml_value()
        value = shown if not isinstance(shown, dict) else " ".join(str(v) for v in shown.values())
        lines.append(f"  {figure.label} {value} ← 第 {figure.line} 行：“{_excerpt(figure.sentence)}”")
    for mechanism in draft.mechanisms:
        theme = f"（{mechanism.theme}）" if mechanism.theme else ""
        lines.append(f"  机制 {mechanism.name}{theme} ← 第 {mechanism.line} 行")
    if draft.themes:
        lines.append("  主题建议：" + "、".join(f"{tag}（{count} 处）" for tag, count in draft.themes))
    return lines

