"""A record as one spreadsheet row: the columns, declared once and derived from the record schema.

Editors who keep their lists in Excel fill one row per record; the open-data
CSV writes one row per record; `showcase import` reads either back into
records. All three use these columns, so a CSV exported, edited in Excel and
imported again gives the same records, and a field added to the schema gets
its columns everywhere.

Each column has a machine key (`location.province`, `metrics.households.value`,
`mechanisms.2.what`: the record path with lists numbered from 1) and a
Chinese header (`省份`, `住户（户）`, `机制2·是什么`). A sheet names its
columns by either; lists get as many numbered columns as a sheet needs
(`slots`). Values are listed, not typed into a cell's free text, where the
vocabulary is closed: kinds, series, themes and tags, provinces, qualifiers,
honour levels.
"""

from __future__ import annotations

import datetime as dt
import re
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel

from generator.schema.divisions import DIVISIONS
from generator.schema.messages import FIELD_LABELS
from generator.schema.record import KIND_LABELS, Kind, Qualifier, Record
from generator.schema.site_config import CatalogueConfig

Loc = tuple[str | int, ...]
ValueKind = Literal["text", "integer", "number", "date", "choice", "boolean"]
YES, NO = "是", "否"  # how a sheet writes true and false (a drop-down offers both)

# Fields a sheet does not carry: every imported row is a draft, and review notes are for editors only.
LEFT_OUT = {"status", "review"}
# Numbered columns in the template sheet (a sheet may have more or fewer).
TEMPLATE_SLOTS = {"mechanisms": 6, "highlights": 6, "themes": 8, "recognitions": 3, "sources": 3, "images": 3, "notes": 3}
# Metric sub-columns: the number, the source's qualifier (以上, 近 …), a note.
METRIC_PARTS = {"value": "", "qualifier": "·限定词", "note": "·说明"}
# Labels of fields FIELD_LABELS words for messages, reworded for a column header.
HEADER_LABELS = {"kind": "类型", "name": "名称", "note": "说明", "what": "是什么", "how": "怎么做"}
# Headers that need the name of the object they belong to.
KEY_LABELS = {"location.note": "地址说明"}


@dataclass(frozen=True)
class Column:
    key: str  # machine key, e.g. "mechanisms.2.what"
    label: str  # Chinese header, e.g. "机制2·是什么"
    loc: Loc  # where the value goes in a record, e.g. ("mechanisms", 1, "what")
    kind: ValueKind = "text"
    choices: tuple[str, ...] = ()  # the values a drop-down offers (choice columns)
    required: bool = False
    hint: str = ""  # what to write (the schema's description)


def _label(name: str, field: Any) -> str:
    if name in HEADER_LABELS:
        return HEADER_LABELS[name]
    description = (field.description or "") if field is not None else ""
    head = re.split(r"[，,（(：: /]", description, maxsplit=1)[0]
    if name not in FIELD_LABELS and head and len(head) <= 10:
        return head
    return FIELD_LABELS.get(name, head or name)


def _unwrap(annotation: Any) -> tuple[Any, bool]:
    """(the type inside Optional/Annotated, whether it is a list)."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            inner = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = inner[0] if len(inner) == 1 else str
        elif origin is list:
            return _unwrap(typing.get_args(annotation)[0])[0], True
        else:
            return annotation, False


def _kind(annotation: Any) -> ValueKind:
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "choice"
    if annotation is bool:
        return "boolean"
    if annotation is str:
        return "text"
    if annotation is int:
        return "integer"
    if annotation is float:
        return "number"
    if annotation is dt.date:
        return "date"
    return "text"


class Vocabulary:
    """The closed lists of a catalogue: what the drop-downs offer and how a cell's word is read."""

    def __init__(self, config: CatalogueConfig) -> None:
        self.config = config
        self.themes = tuple(config.theme_of_tag)
        self.series = tuple(s.id for s in config.series)
        self.provinces = tuple(sorted(DIVISIONS.provinces, key=lambda name: DIVISIONS.provinces[name].code))  # GB/T 2260 order
        self.kinds = tuple(KIND_LABELS.values())

    def choices(self, loc: Loc, annotation: Any) -> tuple[str, ...]:
        name = loc[-1] if isinstance(loc[-1], str) else loc[0]
        if loc[:1] == ("themes",) or name == "theme":
            return self.themes
        if name == "series" and len(loc) == 1:
            return self.series
        if loc == ("location", "province"):
            return self.provinces
        if name == "kind":
            return self.kinds
        if isinstance(annotation, type) and issubclass(annotation, Enum):
            return tuple(member.value for member in annotation)
        return ()

    def read(self, loc: Loc, text: str) -> str:
        """A cell's word as the record writes it: 小区 → estate, 湖北 → 湖北省, a series' title → its id."""
        if loc == ("kind",):
            by_label = {label: kind.value for kind, label in KIND_LABELS.items()}
            return by_label.get(text, text)
        if loc == ("series",):
            for series in self.config.series:
                if text in (series.title, series.short_title):
                    return series.id
        if loc == ("location", "province"):
            return DIVISIONS.province_short_names.get(text, text)
        return text

    def show(self, loc: Loc, value: Any) -> str:
        """A record's value as the sheet shows it (the reverse of `read` where the sheet has words)."""
        if loc == ("kind",):
            return KIND_LABELS[Kind(value)]
        if isinstance(value, bool):
            return YES if value else NO
        return value.value if isinstance(value, Enum) else str(value)


def columns(config: CatalogueConfig, slots: dict[str, int] | None = None) -> list[Column]:
    """Every column of a record row, in the order of the schema; lists get `slots` numbered columns each."""
    counts = {**TEMPLATE_SLOTS, **(slots or {})}
    vocabulary = Vocabulary(config)
    found: list[Column] = []
    for name, field in Record.model_fields.items():
        if name in LEFT_OUT:
            continue
        if name == "metrics":
            found += _metric_columns(config)
            continue
        inner, is_list = _unwrap(field.annotation)
        label = _label(name, field)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            for index in range(counts.get(name, 1) if is_list else 1):
                prefix = f"{label}{index + 1}·" if is_list else ""
                base: Loc = (name, index) if is_list else (name,)
                for sub_name, sub_field in inner.model_fields.items():
                    sub_inner, _ = _unwrap(sub_field.annotation)
                    loc = (*base, sub_name)
                    found.append(_column(loc, prefix + _label(sub_name, sub_field), sub_inner, sub_field, vocabulary,
                                         required=sub_field.is_required() and not (is_list and index > 0) and field.is_required()))
        elif is_list:
            for index in range(counts.get(name, 1)):
                found.append(_column((name, index), f"{label}{index + 1}", inner, field, vocabulary, required=False))
        else:
            found.append(_column((name,), label, inner, field, vocabulary, required=field.is_required() and name != "slug"))
    labels = [c.label for c in found]
    duplicates = {label for label in labels if labels.count(label) > 1}
    assert not duplicates, f"two columns share a header: {duplicates}"
    return found


def _column(loc: Loc, label: str, annotation: Any, field: Any, vocabulary: Vocabulary, *, required: bool) -> Column:
    label = KEY_LABELS.get(key_of(loc), label)
    if _kind(annotation) == "boolean":
        return Column(key=key_of(loc), label=label, loc=loc, kind="boolean", choices=(YES, NO), required=required,
                      hint=(field.description or "") if field is not None else "")
    choices = vocabulary.choices(loc, annotation)
    kind: ValueKind = "choice" if choices else _kind(annotation)
    return Column(key=key_of(loc), label=label, loc=loc, kind=kind, choices=choices, required=required,
                  hint=(field.description or "") if field is not None else "")


def _metric_columns(config: CatalogueConfig) -> list[Column]:
    found = []
    for metric in config.metrics:
        for part, suffix in METRIC_PARTS.items():
            loc: Loc = ("metrics", metric.key, part)
            if part == "value":
                label, kind = f"{metric.label}（{metric.unit}）", "integer" if metric.type == "integer" else "number"
                hint, choices = f"数字，与来源一致（{metric.label}，单位：{metric.unit}）", ()
            elif part == "qualifier":
                label, kind, hint = metric.label + suffix, "choice", "来源中的限定词，如 以上、近、约"
                choices = tuple(q.value for q in Qualifier)
            else:
                label, kind, hint, choices = metric.label + suffix, "text", "统计口径或时间", ()
            found.append(Column(key=key_of(loc), label=label, loc=loc, kind=kind, choices=choices, hint=hint))  # type: ignore[arg-type]
    return found


def key_of(loc: Loc) -> str:
    """("mechanisms", 1, "what") → "mechanisms.2.what" (lists numbered from 1, as people count)."""
    return ".".join(str(part + 1) if isinstance(part, int) else part for part in loc)


def slots_needed(records: Iterable[Record]) -> dict[str, int]:
    """How many numbered columns each list needs for these records (at least one each)."""
    needed = {name: 1 for name in TEMPLATE_SLOTS}
    for record in records:
        for name in needed:
            needed[name] = max(needed[name], len(getattr(record, name)))
    return needed


def row_of(record: Record, table: list[Column], vocabulary: Vocabulary) -> list[str]:
    """A record's cells in the columns' order ("" where it has nothing); the reverse of a sheet import."""
    data = record.model_dump(mode="python", exclude_none=True, exclude=LEFT_OUT)
    for key, raw in list(data.get("metrics", {}).items()):
        data["metrics"][key] = raw if isinstance(raw, dict) else {"value": raw}
    cells = []
    for column in table:
        value: Any = data
        for part in column.loc:
            try:
                value = value[part]
            except (KeyError, IndexError, TypeError):
                value = None
                break
        cells.append("" if value is None else _cell(column, value, vocabulary))
    return cells


def _cell(column: Column, value: Any, vocabulary: Vocabulary) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return vocabulary.show(column.loc, value)
