"""JSON open data and the JSON Schema that documents it.

The file is one object: the licence and provenance (site_config.yml's
catalogue.open_data), the series and metric definitions from
site_config.yml (so a reader knows what `households` means and its unit)
and `records`, each shaped like a record in projects/ minus the review
block, with every metric in one shape — {"value", "qualifier", "note"},
whole numbers as integers — however the editor wrote it. Each record
validates against the published record schema (schema/record.schema.json,
generated from generator.schema.record); the wrapper's own schema,
`records.schema.json`, is written next to the data, embeds that record
schema and says that metrics take the one shape.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from generator.catalogue import Catalogue
from generator.exporters import ExportJob, open_data
from generator.exporters.selection import Selected
from generator.schema.record import Record

FILE_NAME = "records.json"  # on the site: data/records.json
SCHEMA_FILE_NAME = "records.schema.json"

_METRIC_SCHEMA = {
    "type": "object",
    "description": "每个指标同一形状：数值、限定词（无则 null）、说明（无则 null）",
    "required": ["value", "qualifier", "note"],
    "additionalProperties": False,
    "properties": {
        "value": {"type": "number"},
        "qualifier": {"anyOf": [{"$ref": "#/$defs/Qualifier"}, {"type": "null"}]},
        "note": {"type": ["string", "null"]},
    },
}


def catalogue_document(catalogue: Catalogue, records: list[Record]) -> dict[str, Any]:
    return {
        "$schema": f"./{SCHEMA_FILE_NAME}",
        **open_data.provenance(catalogue.config),
        "series": [s.model_dump(mode="json", exclude_none=True) for s in catalogue.config.series],
        "metrics": [_whole_numbers(m.model_dump(mode="json", exclude_none=True)) for m in catalogue.config.metrics],
        "records": [open_data.record_object(r) for r in records],
    }


def _whole_numbers(data: dict[str, Any]) -> dict[str, Any]:
    """min: 1.0 → 1: a whole number is written as an integer (the schema says "number" either way)."""
    return {key: int(value) if isinstance(value, float) and value.is_integer() else value for key, value in data.items()}


def catalogue_schema() -> dict[str, Any]:
    """JSON Schema of the data file; the record part comes from the pydantic models."""
    record_schema = Record.model_json_schema(ref_template="#/$defs/{model}")
    definitions = record_schema.pop("$defs", {})
    # Published records never carry review material: the schema says so, so a
    # consumer (or a test) can rely on it.
    for field in open_data.UNPUBLISHED_FIELDS:
        record_schema["properties"].pop(field, None)
    definitions.pop("Review", None)
    # Published metrics take one shape (open_data.metric_object), a narrowing of what editors may write.
    record_schema["properties"]["metrics"] = {**record_schema["properties"]["metrics"], "additionalProperties": {"$ref": "#/$defs/Metric"}}
    definitions["Metric"] = _METRIC_SCHEMA
    definitions["Record"] = record_schema
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "美好家园项目展示：开放数据",
        "description": "records.json 的结构。records 中每一项与 projects/*.yml 中的记录结构相同（不含审校信息 review）。",
        "type": "object",
        "required": ["license", "provenance", "series", "metrics", "records"],
        "properties": {
            "$schema": {"type": "string"},
            "license": {
                "type": "object",
                "description": "使用条件（site_config.yml 的 catalogue.open_data）",
                "required": ["name", "url"],
                "properties": {"name": {"type": "string"}, "url": {"type": ["string", "null"]}},
            },
            "provenance": {
                "type": "object",
                "description": "发布者与整理方法；每条记录的来源见其 sources",
                "required": ["publisher", "method"],
                "properties": {"publisher": {"type": "string"}, "method": {"type": "string"}, "generator": {"type": "string"}},
            },
            "series": {"type": "array", "items": {"type": "object"}, "description": "系列定义（site_config.yml）"},
            "metrics": {
                "type": "array",
                "description": "指标定义（site_config.yml）：key、名称、单位、类型",
                "items": {
                    "type": "object",
                    "required": ["key", "label", "unit", "type"],
                    "properties": {
                        "key": {"type": "string"},
                        "label": {"type": "string"},
                        "unit": {"type": "string"},
                        "type": {"enum": ["integer", "number", "percent"]},
                    },
                },
            },
            "records": {"type": "array", "items": {"$ref": "#/$defs/Record"}},
        },
        "$defs": definitions,
    }


def dumps(document: dict[str, Any]) -> bytes:
    """Indented JSON, except that each item of a top-level "records" list takes one line.

    One record a line keeps the file easy to grep and diff, and quick to
    write at 10,000 records: Python's C encoder writes each line, while
    indenting everything runs the pure-Python encoder (3× slower). Any
    JSON reader sees the same document.
    """
    records = document.get("records")
    if not isinstance(records, list) or not records:
        return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return _with_record_lines({**document, "records": []}, records)


def catalogue_bytes(catalogue: Catalogue, records: list[Record]) -> bytes:
    """dumps(catalogue_document(catalogue, records)), one record's dict at a time: at 10,000
    records all the dicts at once were a few hundred MB at the peak of a build."""
    if not records:
        return dumps(catalogue_document(catalogue, records))
    return _with_record_lines(catalogue_document(catalogue, []), (open_data.record_object(r) for r in records))


def _with_record_lines(head_document: dict[str, Any], records: Iterable[Any]) -> bytes:
    """The document (its "records" empty) indented, with the records filled in one a line."""
    head = json.dumps(head_document, ensure_ascii=False, indent=2)
    # Only the top-level key sits at this indent; a "records" inside a value
    # would be deeper, and inside a string its quotes would be escaped.
    slot = '\n  "records": []'
    assert head.count(slot) == 1
    encode = json.JSONEncoder(ensure_ascii=False).encode  # json.dumps(record, ensure_ascii=False), one encoder for all
    lines = ",\n".join("    " + encode(record) for record in records)
    return (head.replace(slot, '\n  "records": [\n' + lines + "\n  ]") + "\n").encode("utf-8")


def write(catalogue: Catalogue, selected: Selected, out_dir: Path, job: ExportJob) -> list[Path]:
    data_path = out_dir / f"records-{selected.slug}.json"
    schema_path = out_dir / SCHEMA_FILE_NAME
    data_path.write_bytes(catalogue_bytes(catalogue, open_data.selected_records(selected)))
    schema_path.write_bytes(dumps(catalogue_schema()))
    return [data_path, schema_path]
