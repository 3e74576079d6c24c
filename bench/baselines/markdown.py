"""One record as a Markdown page: the content every peer builds.

The peers get what a record page shows on our site — badge, headline,
breadcrumb, figures as the source states them, summary, mechanisms,
highlights, themes, recognitions, sources and notes — as plain Markdown, so
each engine renders the same text and its own page chrome around it.
"""

from __future__ import annotations

from generator.catalogue import Catalogue, Entry
from generator.present.figures import format_metric
from generator.present.places import province_short
from generator.schema.record import KIND_LABELS


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def record_body(entry: Entry, catalogue: Catalogue) -> str:
    """The page body without its title (engines print the title from front matter or the H1)."""
    record = entry.record
    config = catalogue.config
    series = config.series_by_id[record.series]
    badge = f"No. {record.number} · {series.short_title}" if record.number is not None else series.short_title
    location = record.location
    place = " › ".join(p for p in (province_short(location.province), location.city, location.district) if p)
    lines = [f"**{badge}** · {KIND_LABELS[record.kind]}", "", f"*{record.headline}*", "", place, ""]

    if record.metrics:
        lines += ["| 数据 | 数值 |", "| --- | --- |"]
        for key in record.metrics:
            definition = config.metric_by_key[key]
            lines.append(f"| {definition.label} | {_cell(format_metric(record.metric(key), definition))} |")
        lines.append("")
    lines += ["## 概况", "", record.summary, ""]
    facts = record.facts
    if facts.property_company:
        lines += [f"物业服务企业：{facts.property_company}", ""]

    if record.mechanisms:
        lines += ["## 机制", ""]
        for mechanism in record.mechanisms:
            lines += [f"### {mechanism.name}", ""]
            if mechanism.theme:
                lines += [f"主题：{mechanism.theme}", ""]
            lines += [mechanism.what, ""]
            if mechanism.how:
                lines += [mechanism.how, ""]
    if record.highlights:
        lines += ["## 亮点", ""]
        for highlight in record.highlights:
            lines += [f"### {highlight.title}", "", highlight.text, ""]
    if record.themes:
        lines += ["## 主题", "", "、".join(record.themes), ""]
    if record.recognitions:
        lines += ["## 荣誉", ""]
        lines += [f"- {r.title}" + (f"（{r.level.value}，{r.year}年）" if r.level and r.year else "") for r in record.recognitions]
        lines.append("")
    lines += ["## 来源", ""]
    for source in record.sources:
        title = f"[{source.title}]({source.url})" if source.url else source.title
        date = f"，{source.date.isoformat()}" if source.date else ""
        lines.append(f"- {source.publisher}：{title}{date}")
    lines.append("")
    if record.notes:
        lines += ["## 编者说明", ""] + [f"- {note}" for note in record.notes] + [""]
    return "\n".join(lines)


def home_body(catalogue: Catalogue) -> str:
    return (
        f"{len(catalogue.visible)} 个项目（合成数据，仅用于性能测试）。\n\n"
        "本站由基准测试生成，用来比较不同生成器处理同一批记录的速度和页面大小。\n"
    )
