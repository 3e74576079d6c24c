"""Open data: every published record as one CSV row or one JSON object.

CSV and JSON share the choice of records (published only, even in a
preview built with drafts, in print order: series, then province) and drop
the `review` block, which exists for editors and is never published on any
channel.

The CSV's columns are declared once, in `columns()`: a stable machine key
(`id`, `series_id`, `households_note` …) and a Chinese label (网址标识,
系列标识, 住户说明 …) each, so the same table gives the Excel-friendly file
(Chinese header) and the machine one (key header), and documents both on
the site's data page. Metric columns follow `catalogue.metrics` in
site_config.yml — value, qualifier and note for each — so adding a metric
there adds its columns here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from generator.catalogue import Catalogue, Entry
from generator.exporters.selection import Selected
from generator.present.figures import format_number
from generator.present.places import division_code, province_short
from generator.present.publication import publication
from generator.present.record import honour, source_note
from generator.schema.record import KIND_LABELS, QualifiedValue, Record, Status
from generator.schema.site_config import CatalogueConfig
from generator.text.cjk import join_cjk

# Excluded from every published form of a record.
UNPUBLISHED_FIELDS = {"review"}


@dataclass(frozen=True)
class Column:
    key: str  # stable, machine-readable: never renamed once published
    label: str  # the Chinese heading Excel users see
    description: str  # for the data page
    cell: Callable[[Record, CatalogueConfig], str]


def published(entries: list[Entry]) -> list[Entry]:
    return [e for e in entries if e.record.status is Status.published]


def selected_records(selected: Selected) -> list[Record]:
    return [e.record for e in published(selected.entries)]


def catalogue_records(catalogue: Catalogue) -> list[Record]:
    """Every published record, in print order (series, then province in the series' order)."""
    return [e.record for e in published(publication(catalogue, catalogue.visible).entries)]


def _integer_if_whole(value: float | int) -> float | int:
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _stated(record: Record, key: str) -> tuple[float, str | None, str | None] | None:
    """A metric's value, qualifier and note as record.metric() gives them, without building its
    QualifiedValue for a plain number (float(), as its validation does): three CSV cells and one JSON
    object per metric and record made record.metric most of the open data's time at 10,000 records."""
    raw = record.metrics.get(key)
    if raw is None:
        return None
    if type(raw) is QualifiedValue:
        return raw.value, raw.qualifier.value if raw.qualifier else None, raw.note
    return float(raw), None, None


def metric_object(record: Record, key: str) -> dict[str, Any] | None:
    """Every metric in one shape, {value, qualifier, note}: 1439 → {"value": 1439, "qualifier": null, "note": null}."""
    stated = _stated(record, key)
    if stated is None:
        return None
    value, qualifier, note = stated
    return {"value": _integer_if_whole(value), "qualifier": qualifier, "note": note}


def record_object(record: Record) -> dict[str, Any]:
    """The record as published: schema-shaped, without review material or empty fields, every metric
    as {value, qualifier, note} (which the record schema accepts) and whole numbers as integers."""
    data = record.model_dump(mode="json", exclude_none=True, exclude=UNPUBLISHED_FIELDS)
    if record.metrics:
        data["metrics"] = {key: metric_object(record, key) for key in record.metrics}
    return data


def _join(items: list[str]) -> str:
    return "；".join(items)


def _metric_columns(config: CatalogueConfig) -> list[Column]:
    columns = []
    for metric in config.metrics:
        key = metric.key

        def value(record: Record, _: CatalogueConfig, key: str = key) -> str:
            stated = _stated(record, key)
            return format_number(stated[0]) if stated else ""

        def qualifier(record: Record, _: CatalogueConfig, key: str = key) -> str:
            stated = _stated(record, key)
            return stated[1] or "" if stated else ""

        def note(record: Record, _: CatalogueConfig, key: str = key) -> str:
            stated = _stated(record, key)
            return stated[2] or "" if stated else ""

        columns += [
            Column(key, f"{metric.label}（{metric.unit}）", f"{metric.label}，单位{metric.unit}，与来源一致", value),
            Column(f"{key}_qualifier", f"{metric.label}限定词", "以上、超过、近、约、达等限定词，空表示来源未加限定", qualifier),
            Column(f"{key}_note", f"{metric.label}说明", "统计口径、时间等说明", note),
        ]
    return columns


def _year(value: int | None) -> str:
    return str(value) if value else ""


BASE_COLUMNS = (
    Column("id", "网址标识", "记录的稳定标识，也是网页地址 records/<id>/ 的一部分，发布后不变", lambda r, c: r.slug),
    Column("series_id", "系列标识", "系列 id，见 site_config.yml 的 catalogue.series", lambda r, c: r.series),
    Column("series", "系列", "系列名称", lambda r, c: c.series_by_id[r.series].title),
    Column("number", "编号", "系列内编号（不编号的系列为空）", lambda r, c: str(r.number) if r.number is not None else ""),
    Column("name", "名称", "项目名称", lambda r, c: r.name),
    Column("headline", "标题语", "标题语", lambda r, c: r.headline),
    Column("kind", "类型", "小区、社区或区域做法", lambda r, c: KIND_LABELS[r.kind]),
    Column("estate_type", "小区类型", "如 商品房小区、老旧小区", lambda r, c: r.facts.estate_type or ""),
    Column("province", "省份", "省级行政区简称", lambda r, c: province_short(r.location.province)),
    Column("division_code", "行政区划代码", "GB/T 2260 六位代码，到记录所写的最细一级（区县、城市或省）", lambda r, c: division_code(r.location) or ""),
    Column("city", "城市", "地级行政区", lambda r, c: r.location.city or ""),
    Column("district", "区县", "县级行政区", lambda r, c: r.location.district or ""),
    Column("area", "片区", "功能区或片区（非行政区划）", lambda r, c: r.location.area or ""),
    Column("street", "街道", "街道或乡镇", lambda r, c: r.location.street or ""),
    Column("community", "社区", "社区（居委会）", lambda r, c: r.location.community or ""),
    Column("address_note", "地址说明", "编者关于地址的说明，如来源脱字的更正", lambda r, c: r.location.note or ""),
    Column("summary", "概况", "概况（编辑概括）", lambda r, c: join_cjk(r.summary)),  # no folded-line spaces
)
TAIL_COLUMNS = (
    Column("property_company", "物业服务企业", "物业服务企业", lambda r, c: r.facts.property_company or ""),
    Column("developer", "开发建设单位", "开发建设单位", lambda r, c: r.facts.developer or ""),
    Column("year_built", "建成年份", "建成年份", lambda r, c: _year(r.facts.year_built)),
    Column("year_delivered", "交付年份", "交付年份", lambda r, c: _year(r.facts.year_delivered)),
    Column("committee_founded", "业委会成立年份", "业主委员会成立年份", lambda r, c: _year(r.facts.committee_founded)),
    Column("themes", "主题", "主题或细分标签，以“；”分隔", lambda r, c: _join(list(r.themes))),
    Column("mechanisms", "机制", "机制名称，以“；”分隔", lambda r, c: _join([m.name for m in r.mechanisms])),
    Column("highlights", "亮点", "亮点标题，以“；”分隔", lambda r, c: _join([h.title for h in r.highlights])),
    Column("recognitions", "荣誉", "荣誉名称（级别，年份），以“；”分隔", lambda r, c: _join([honour(x).text for x in r.recognitions])),
    Column("notes", "编者说明", "编者说明，以“；”分隔", lambda r, c: _join(list(r.notes))),
    Column("sources", "来源", "发布机构《标题》，以“；”分隔", lambda r, c: _join([source_note(s).reference for s in r.sources])),
    Column("source_dates", "来源日期", "各来源的发布日期 YYYY-MM-DD，与“来源”一一对应，未知为空", lambda r, c: _join([s.date.isoformat() if s.date else "" for s in r.sources])),
    Column("source_urls", "来源链接", "各来源的网址，以空格分隔", lambda r, c: " ".join(s.url for s in r.sources if s.url)),
)


def columns(config: CatalogueConfig) -> list[Column]:
    return [*BASE_COLUMNS, *_metric_columns(config), *TAIL_COLUMNS]


def row(columns_: list[Column], config: CatalogueConfig, record: Record) -> list[str]:
    return [column.cell(record, config) for column in columns_]


def provenance(config: CatalogueConfig) -> dict[str, Any]:
    """Who publishes the data, under which terms, and where each record's facts come from."""
    open_data = config.open_data
    return {
        "license": {"name": open_data.license, "url": open_data.license_url},
        "provenance": {
            "publisher": open_data.publisher,
            "method": "编辑部依据公开报道整理：数字与来源一致（保留限定词），概况、机制和亮点由编辑概括；每条记录的 sources 列出其来源，notes 说明更正。",
            "generator": "美好家园项目展示（showcase）",
        },
    }
