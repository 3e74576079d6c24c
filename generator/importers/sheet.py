"""Spreadsheets → draft records: one row per record, columns as generator.schema.sheet declares them.

`read_cells` reads an .xlsx (the template from the website, or any sheet
saved from Excel or WPS) or a .csv (the open-data export, UTF-8 or the GBK
that Excel on Chinese Windows saves) into rows of cells. `sheet_rows` finds
the header — Chinese headers, machine keys, or both rows as the template and
the CSV export have them — and turns every other non-empty row into the
fields of a record, with the (row, column) of every value, so that the checks
can point at the cell a problem is in. Cells whose text cannot be what the
column holds (a word in a number column) are problems here; everything else
is left to the same checks as a record file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator.errors import UserError
from generator.schema.sheet import NO, TEMPLATE_SLOTS, YES, Column, Loc, Vocabulary, columns
from generator.schema.site_config import CatalogueConfig
from generator.text.slugs import slugify

MAX_SHEET_BYTES = 20_000_000
SUFFIXES = (".xlsx", ".xlsm", ".csv")
# The open-data CSV protects text that spreadsheets would run as a formula with a leading apostrophe.
_PROTECTED = re.compile(r"^'(?=[=+\-@\t\r])")
# Columns only the open-data CSV has (its Chinese and its key header): that table cannot be imported.
OPEN_DATA_MARKERS = {"系列标识", "series_id", "行政区划代码", "division_code"}
_NUMBERED = re.compile(r"^(?P<label>[^0-9]+)(?P<n>[0-9]+)(?P<rest>(·.*)?)$")  # 机制3·名称, 主题2


@dataclass(frozen=True)
class CellProblem:
    row: int  # 1-based, as the spreadsheet shows it
    column: int  # 1-based; 0: the row as a whole
    message: str


@dataclass
class SheetRow:
    """One record's row: its fields, where each came from, and what could not be read."""

    row: int
    fields: dict[str, Any]
    positions: dict[Loc, tuple[int, int]]
    problems: list[CellProblem] = field(default_factory=list)


@dataclass
class Sheet:
    rows: list[SheetRow]
    headers: dict[int, str]  # column number → its header, for messages


def read_cells(path: Path) -> list[list[Any]]:
    """Every row of the sheet's first worksheet (or the CSV), as cell values."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise UserError(f"{path}: 表格请用 .xlsx 或 .csv 格式（在 Excel/WPS 中“另存为”即可）")
    try:
        if not path.is_file():
            raise UserError(f"{path}: 找不到表格文件")
        if path.stat().st_size > MAX_SHEET_BYTES:
            raise UserError(f"{path}: 文件过大（上限 {MAX_SHEET_BYTES:,} 字节）")
        raw = path.read_bytes()
    except OSError as exc:
        raise UserError(f"{path}: 无法读取：{exc.strerror}") from None
    return _xlsx_cells(raw, path) if suffix != ".csv" else _csv_cells(raw, path)


def _xlsx_cells(raw: bytes, path: Path) -> list[list[Any]]:
    import zipfile

    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        raise UserError(f"{path}: 不是有效的 .xlsx 文件；请在 Excel/WPS 中打开后另存为 .xlsx") from None
    try:
        sheet = book.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()


def _csv_cells(raw: bytes, path: Path) -> list[list[Any]]:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UserError(f"{path}: 无法识别文件编码；请另存为“CSV UTF-8”")
    if "\x00" in text:
        raise UserError(f"{path}: 这不像是 CSV 文本文件")
    return [list(row) for row in csv.reader(io.StringIO(text, newline=""))]


# ---- headers ----------------------------------------------------------------------


def _table(catalogue: CatalogueConfig, headers: list[str]) -> dict[str, Column]:
    """key → column and label → column, with as many numbered columns as the headers ask for."""
    lists = {name: 1 for name in TEMPLATE_SLOTS}
    prefixes = {}  # "机制" → "mechanisms": the Chinese header of a list before its number
    for column in columns(catalogue, lists):
        if len(column.loc) >= 2 and isinstance(column.loc[1], int):
            prefixes[column.label.split("1", 1)[0]] = str(column.loc[0])
    counts = dict(lists)
    for header in headers:
        parts = header.split(".")
        if len(parts) >= 2 and parts[0] in counts and parts[1].isdigit():
            counts[parts[0]] = max(counts[parts[0]], int(parts[1]))
        match = _NUMBERED.match(header)
        if match and match["label"] in prefixes:
            name = prefixes[match["label"]]
            counts[name] = max(counts[name], int(match["n"]))
    table: dict[str, Column] = {}
    for column in columns(catalogue, counts):
        table[column.key] = column
        table[column.label] = column
    return table


def _header_rows(cells: list[list[Any]], table: dict[str, Column]) -> tuple[int, dict[int, Column]]:
    """The last header row's index and each column's Column; UserError when no row names our columns."""
    mapping: dict[int, Column] = {}
    last = -1
    for index, row in enumerate(cells[:5]):
        texts = [str(cell).strip() if cell is not None else "" for cell in row]
        known = {number: table[text] for number, text in enumerate(texts) if text in table}
        if known and len(known) * 2 >= len([t for t in texts if t]):
            for number, column in known.items():
                mapping.setdefault(number, column)
            last = index
        elif last >= 0:
            break
    if last < 0:
        raise UserError("表格第 1 行应是列名（如 名称、省份、概况）；请从网站下载模板表格，按模板的列填写")
    return last, mapping


# ---- rows → fields ------------------------------------------------------------------


def sheet_rows(cells: list[list[Any]], catalogue: CatalogueConfig, default_series: str | None = None) -> Sheet:
    # Before the headers are read: most of the open data's columns are not ours, and its own words help more.
    if {str(text).strip() for row in cells[:2] for text in row if text is not None} & OPEN_DATA_MARKERS:
        raise UserError(
            "这是开放数据表格（网站的 data/records.csv）：它的机制、亮点、来源等列只有名称，不能导回为记录。"
            "要修改已有记录，请用 showcase export --format sheet 导出可编辑的表格；新增记录请用网站上的模板 records-template.xlsx"
        )
    table = _table(catalogue, [str(c).strip() for row in cells[:5] for c in row if c is not None])
    last, mapping = _header_rows(cells, table)
    headers = {n + 1: column.label for n, column in mapping.items()}
    unknown = sorted({
        f"第 {n + 1} 列（{str(text).strip()}）"
        for row in cells[: last + 1] for n, text in enumerate(row) if n not in mapping and str(text or "").strip()
    })
    if unknown:
        raise UserError("表格中有不认识的列：" + "、".join(unknown) + "；列名请与模板一致（不用的列可以删去，但不要改名）")
    vocabulary = Vocabulary(catalogue)
    rows = []
    for index in range(last + 1, len(cells)):
        row = cells[index]
        if all(cell is None or str(cell).strip() == "" for cell in row):
            continue
        rows.append(_row(index + 1, row, mapping, vocabulary, default_series))
    return Sheet(rows, headers)


def _row(number: int, row: list[Any], mapping: dict[int, Column], vocabulary: Vocabulary, default_series: str | None) -> SheetRow:
    result = SheetRow(number, {}, {(): (number, 0)})
    for index, column in sorted(mapping.items()):
        raw = row[index] if index < len(row) else None
        value, message = _value(column, raw, vocabulary)
        if message:
            # Kept as written, so the record's other checks see the field as given (not as missing);
            # what they say about this cell is left out for ours (see authoring.sheet_import).
            result.problems.append(CellProblem(number, index + 1, message))
            value = _text(raw)
        if value is None:
            continue
        _put(result.fields, column.loc, value)
        for depth in range(1, len(column.loc) + 1):
            result.positions.setdefault(column.loc[:depth], (number, index + 1))
    _tidy(result, default_series)
    return result


def _value(column: Column, raw: Any, vocabulary: Vocabulary) -> tuple[Any, str | None]:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, None
    if column.kind == "integer":
        if isinstance(raw, bool):
            return None, "应为整数"
        if isinstance(raw, float) and raw.is_integer():
            return int(raw), None
        if isinstance(raw, int):
            return raw, None
        text = str(raw).strip()
        if re.fullmatch(r"-?[0-9]+", text):
            return int(text), None
        if re.fullmatch(r"-?[0-9]+\.0+", text):
            return int(float(text)), None
        return None, f"应为整数，现在是“{text}”"
    if column.kind == "number":
        if isinstance(raw, (int, float)) and not isinstance(raw, bool):
            return (int(raw) if isinstance(raw, float) and raw.is_integer() else raw), None
        text = str(raw).strip()
        if re.fullmatch(r"-?[0-9]+(\.[0-9]+)?", text):
            number = float(text)
            return (int(number) if number.is_integer() and "." not in text else number), None
        return None, f"应为数字，现在是“{text}”（限定词如“以上”请填在旁边的“限定词”列）"
    if column.kind == "boolean":
        if isinstance(raw, bool):
            return raw, None
        text = str(raw).strip().lower()
        if text in (YES, "true", "1", "yes", "y", "对"):
            return True, None
        if text in (NO, "false", "0", "no", "n"):
            return False, None
        return None, f"应填“{YES}”或“{NO}”，现在是“{str(raw).strip()}”"
    if column.kind == "date":
        if isinstance(raw, dt.datetime):
            return raw.date(), None
        if isinstance(raw, dt.date):
            return raw, None
        text = str(raw).strip()
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, f"应为日期，格式 YYYY-MM-DD，现在是“{text}”"
    text = _text(raw)
    if column.kind == "choice":
        text = vocabulary.read(column.loc, text)
    return text, None


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, dt.datetime):
        raw = raw.date()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    return _PROTECTED.sub("", str(raw).strip().replace("\r\n", "\n"))


def _put(fields: dict[str, Any], loc: Loc, value: Any) -> None:
    target: Any = fields
    for part, following in zip(loc, loc[1:]):
        container: Any = [] if isinstance(following, int) else {}
        if isinstance(part, int):
            while len(target) <= part:
                target.append(None)
            if target[part] is None:
                target[part] = container
            target = target[part]
        else:
            target = target.setdefault(part, container)
    last = loc[-1]
    if isinstance(last, int):
        while len(target) <= last:
            target.append(None)
    target[last] = value


def _tidy(row: SheetRow, default_series: str | None) -> None:
    """Lists without gaps (an empty 机制2 between 机制1 and 机制3), plain figures plain, status draft."""
    fields = row.fields
    for name, value in list(fields.items()):
        if isinstance(value, list):
            kept = [(index, item) for index, item in enumerate(value) if item not in (None, {}, "")]
            fields[name] = [item for _, item in kept]
            for new, (old, _) in enumerate(kept):  # positions follow the items they belong to
                if new != old:
                    for loc in [loc for loc in row.positions if loc[:2] == (name, old)]:
                        row.positions[(name, new, *loc[2:])] = row.positions[loc]
    for key, figure in list(fields.get("metrics", {}).items()):
        if set(figure) == {"value"}:
            fields["metrics"][key] = figure["value"]
    if "series" not in fields and default_series:
        fields["series"] = default_series
    if "slug" not in fields and isinstance(fields.get("name"), str):
        fields["slug"] = slugify(fields["name"])  # as `showcase new` makes it
        row.positions[("slug",)] = row.positions.get(("name",), row.positions[()])
    fields["status"] = "draft"
