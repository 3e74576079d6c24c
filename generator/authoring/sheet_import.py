"""`showcase import 表格.xlsx|.csv`: one draft record per row, every problem named by its cell.

Like the article import (importing.py), everything is read and checked before
the first file is written: a sheet with any error writes nothing, and the
editor gets every problem at once as “表格 第 N 行 第 M 列（列名）：…”. Each
row goes through the same checks as a record file (generator.checks), with
the row and column of every value in place of a line and column. Drafts are
written by the one record writer (authoring.writer) and never over a record
that exists (same series and number, or same file name), by the article
import's rule (importing.py): an identical one is left as it is; a published
one is never changed (protected); a differing draft, or a file that cannot be
read as a record, is listed and left alone for the editor.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from generator.authoring.importing import REFUSALS, Action, _existing_records, _read_record, _read_text
from generator.authoring.scaffold import record_filename
from generator.authoring.writer import record_yaml, write_new_file
from generator.checks import check_document
from generator.errors import Severity, UserError, relative
from generator.importers.sheet import SUFFIXES as SHEET_SUFFIXES
from generator.importers.sheet import Sheet, read_cells, sheet_rows
from generator.load.yaml_reader import SourceDocument, parse_text
from generator.schema.record import Record
from generator.schema.site_config import SiteConfig


@dataclass
class PlannedRow:
    row: int
    path: Path
    text: str
    action: Action
    name: str


@dataclass
class SheetImport:
    sheet: Path
    rows: list[PlannedRow] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def refused(self) -> list[PlannedRow]:
        """Rows whose record exists and differs: left alone (the command then exits with 1)."""
        return [row for row in self.rows if row.action in REFUSALS]


def where(sheet: Sheet, row: int, column: int) -> str:
    """表格 第 3 行 第 5 列（省份）, or 表格 第 3 行 for the row as a whole."""
    if column <= 0:
        return f"表格 第 {row} 行"
    return f"表格 第 {row} 行 第 {column} 列（{sheet.headers.get(column, '')}）"


def plan_sheet_import(path: Path, config: SiteConfig, series: str | None, out_dir: Path) -> SheetImport:
    """Read and check every row; decide each draft's file and action. Writes nothing."""
    if series is not None and series not in config.catalogue.series_by_id:
        raise UserError(f"未知的系列 “{series}”；site_config.yml 中的系列有：{'、'.join(config.catalogue.series_by_id)}")
    sheet = sheet_rows(read_cells(path), config.catalogue, series)
    if not sheet.rows:
        raise UserError(f"{path}: 表格中没有数据行（第一行是列名，从下一行起每行一条记录）")
    result = SheetImport(path)
    existing = _existing_records(out_dir)
    taken: dict[Path, int] = {}
    for row in sheet.rows:
        for problem in row.problems:
            result.errors.append(f"{where(sheet, problem.row, problem.column)}：{problem.message}")
        fields = row.fields
        number = fields.get("number")
        target = existing.get((fields.get("series"), number)) if number is not None else None
        if target is None and isinstance(fields.get("slug"), str):
            target = out_dir / record_filename(fields["slug"], number if isinstance(number, int) else None)
        target = target or out_dir / f"表格第{row.row}行.yml"
        # Checked as the file it will be: photo paths are relative to the record's own folder.
        display = relative(target, config.root)
        doc = SourceDocument(display, data=row.fields, positions=dict(row.positions))
        checked = check_document(doc, config).problems(display, config)
        unreadable = {(p.row, p.column) for p in row.problems}  # already told, in words for a sheet
        checked = [p for p in checked if (p.line, p.column) not in unreadable]
        for problem in checked:
            line = f"{where(sheet, problem.line, problem.column)}：{problem.message} [{problem.code}]"
            (result.errors if problem.severity is Severity.error else result.warnings).append(line)
        if row.problems or any(p.severity is Severity.error for p in checked):
            continue
        if target in taken:
            result.errors.append(f"表格 第 {row.row} 行：与第 {taken[target]} 行是同一条记录（{target.name}）")
            continue
        taken[target] = row.row
        text = record_yaml(fields)
        _same_as_a_file(text, relative(target, config.root), config)
        result.rows.append(PlannedRow(row.row, target, text, _action(target, text, fields), str(fields.get("name", ""))))
    return result


def _action(target: Path, text: str, fields: dict) -> Action:
    """The article import's rule for an existing file: published records and editors' drafts are never replaced."""
    if not os.path.lexists(target):
        return Action.new
    data = _read_record(target)
    if _read_text(target) == text or _same_record(data, fields):
        return Action.unchanged
    if not isinstance(data, dict):
        return Action.unreadable
    return Action.protected if data.get("status") == "published" else Action.conflict


def _same_as_a_file(text: str, display: str, config: SiteConfig) -> None:
    """The written YAML reads back as the checked fields did: an error here is our bug, never the editor's."""
    problems = check_document(parse_text(text, display), config).problems(display, config)
    errors = [p.format() for p in problems if p.severity is Severity.error]
    if errors:
        raise UserError("生成的草稿没有通过校验，未写入任何文件：\n" + "\n".join(errors))


def _same_record(data: object, fields: dict) -> bool:
    """An existing record with the same content (whatever its layout, status or review notes) is not a
    conflict: compared as the schema reads both, so a sentence the file wraps over two lines is the same."""
    if not isinstance(data, dict):
        return False
    try:
        old, new = (Record.model_validate(d).model_dump(exclude={"status", "review"}) for d in (data, fields))
    except ValidationError:
        return False
    return old == new


def apply_sheet_import(result: SheetImport) -> list[Path]:
    """Write the new drafts (only when the sheet had no error); never over an existing file."""
    if result.errors:
        return []
    written = []
    for row in result.rows:
        if row.action is Action.new:
            write_new_file(row.path, row.text)
            written.append(row.path)
    return written


def sheet_report(result: SheetImport, root: Path) -> str:
    lines = [f"导入表格 {result.sheet}：{len(result.rows)} 行"]
    if result.errors:
        lines = [f"表格 {result.sheet} 有 {len(result.errors)} 个问题，未写入任何文件：", *result.errors]
    lines += [f"警告：{w}" for w in result.warnings]
    if not result.errors:
        for row in result.rows:
            lines.append(f"表格 第 {row.row} 行 {row.name} → {relative(row.path, root)}：{row.action.value}")
        actions = {row.action for row in result.rows}
        if actions & {Action.conflict, Action.unreadable}:
            lines.append("已存在且内容不同的草稿没有覆盖：请对照表格和记录文件，手工合并。")
        if Action.protected in actions:
            lines.append("已发布的记录从不由导入改动：要修改，请直接编辑记录文件。")
        lines.append("导入的记录是草稿（status: draft）；审校后改为 published。")
    return "\n".join(lines)
