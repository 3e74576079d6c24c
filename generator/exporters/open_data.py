"""Open data: every published record as one CSV row or one JSON object.

CSV and JSON share the choice of records (published only, even in a
preview built with drafts) and drop the `review` block, which exists for
editors and is never published on any channel. Metric columns follow the
order of `catalogue.metrics` in site_config.yml, so adding a metric there
adds its columns here.
"""

from __future__ import annotations

from typing import Any

from generator.catalogue import Catalogue, Entry
from generator.present.figures import format_number
from generator.present.places import province_short
from generator.exporters.selection import Selected
from generator.schema.record import KIND_LABELS, Record, Status

# Excluded from every published form of a record.
UNPUBLISHED_FIELDS = {"review"}

BASE_COLUMNS = (
    "系列", "编号", "名称", "标题语", "类型", "省份", "城市", "区县", "街道", "社区", "概况",
)
TAIL_COLUMNS = (
    "物业服务企业", "建成年份", "主题", "机制", "亮点", "来源", "来源链接", "网址标识",
)


def published(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.record.status is Status.published]


def selected_records(selected: Selected) -> list[Record]:
    return [e.record for e in published(selected.entries)]


def catalogue_records(catalogue: Catalogue) -> list[Record]:
    return [e.record for e in published(catalogue.visible)]


def record_object(record: Record) -> dict[str, Any]:
    """The record as published: schema-shaped, without review material or empty fields."""
    data = record.model_dump(mode="json", exclude_none=True, exclude=UNPUBLISHED_FIELDS)
    # 1439.0 → 1439: the schema says "number" either way; integers read better.
    for key, value in data.get("metrics", {}).items():
        if isinstance(value, float) and value.is_integer():
            data["metrics"][key] = int(value)
        elif isinstance(value, dict) and float(value["value"]).is_integer():
            value["value"] = int(value["value"])
    return data


def columns(catalogue: Catalogue) -> list[str]:
    metric_columns = []
    for metric in catalogue.config.metrics:
        metric_columns += [f"{metric.label}（{metric.unit}）", f"{metric.label}限定词"]
    return [*BASE_COLUMNS, *metric_columns, *TAIL_COLUMNS]


def row(catalogue: Catalogue, record: Record) -> list[str]:
    location = record.location
    series = catalogue.config.series_by_id[record.series]
    cells = [
        series.title,
        str(record.number) if record.number is not None else "",
        record.name,
        record.headline,
        KIND_LABELS[record.kind],
        province_short(location.province),
        location.city or "",
        location.district or "",
        location.street or "",
        location.community or "",
        record.summary,
    ]
    for metric in catalogue.config.metrics:
        value = record.metric(metric.key)
        cells.append(format_number(value.value) if value else "")
        cells.append(value.qualifier.value if value and value.qualifier else "")
    cells += [
        record.facts.property_company or "",
        str(record.facts.year_built) if record.facts.year_built else "",
        "；".join(record.themes),
        "；".join(m.name for m in record.mechanisms),
        "；".join(h.title for h in record.highlights),
        "；".join(f"{s.publisher}《{s.title}》" for s in record.sources),
        " ".join(s.url for s in record.sources if s.url),
        record.slug,
    ]
    return cells
