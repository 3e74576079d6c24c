"""Exporters: the same catalogue, written for other channels.

Every format sits in one table, `EXPORTER_BY_NAME` (name → Exporter), behind
one `showcase export --format` command, the way check-jsonschema keeps its
reporters. An exporter receives the model stage's `Catalogue` and a resolved
`Selected` and writes files under an output folder; it never reads YAML, so
WeChat, the magazine and the open data show exactly what the website shows.
Every exporter reads a record through generator.present.record (RecordView),
the presentation the site's record page reads too, and groups a selection
as the publication does (generator.present.publication).

An exporter writes only under the folder it is given. What the editor
should know about a file (a WeChat article near the editor's length limit)
goes to `ExportJob.warn`, and the command prints it after the files.

Format modules are imported only when used: python-docx and Typst are not
needed to export a CSV.

Nothing an export writes is ever half-written, and no file already in the
output folder is lost (`export`): every exporter writes into a fresh work
folder inside the output folder (`.showcase-export-…`, generator.files.WorkFolder)
and only when it has finished are its files renamed into place, one by one,
each replacing the file of the same name in one step. An exporter therefore
just writes its files under the folder it is given, in any way it likes (and
may make subfolders); it never needs temporary names of its own. A full
disk or a read-only folder ends in a UserError with the old files untouched;
what an export killed midway left is removed by the next export there.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from generator.errors import UserError, printable
from generator.exporters.selection import Selected, Selection, select
from generator.files import WorkFolder, remove_abandoned, write_error

if TYPE_CHECKING:
    from generator.catalogue import Catalogue

__all__ = ["EXPORTER_BY_NAME", "ExportJob", "Exporter", "Selected", "Selection", "export", "select"]

Layout = Literal["flow", "page"]
CsvHeader = Literal["labels", "keys"]


@dataclass
class ExportJob:
    """How to export (the command's options) and what the editor should be told afterwards."""

    # PDF: "flow" sets records one after another (full pages), "page" starts each record on a new page.
    layout: Layout = "flow"
    crop_marks: bool = False  # PDF: crop marks outside the bleed
    csv_header: CsvHeader = "labels"  # CSV: Chinese column labels, or the stable machine keys
    progress: bool = False  # show progress bars (the command turns this on when stderr is a terminal)
    warnings: list[str] = field(default_factory=list)

    def warn(self, message: str) -> None:
        self.warnings.append(message)


WriteFunction = Callable[["Catalogue", "Selected", Path, ExportJob], list[Path]]


@dataclass(frozen=True)
class Exporter:
    name: str
    description: str  # shown in `showcase export --help`
    target: str  # "module:function", imported on first use

    def load(self) -> WriteFunction:
        module_name, _, function_name = self.target.partition(":")
        return getattr(importlib.import_module(module_name), function_name)


EXPORTER_BY_NAME: dict[str, Exporter] = {
    exporter.name: exporter
    for exporter in (
        Exporter("wechat", "公众号文章（只含行内样式的 HTML，每个选择一篇）", "generator.exporters.wechat:write"),
        Exporter("icml", "InDesign/InCopy 文章（ICML，每条记录一个）", "generator.exporters.icml:write"),
        Exporter("docx", "Word 审校稿（命名样式、中文字体、数据表格）", "generator.exporters.docx_export:write"),
        Exporter("pdf", "杂志版式校样 PDF（210×285 mm，出血 3 mm）", "generator.exporters.pdf_export:write"),
        Exporter("csv", "开放数据 CSV（UTF-8 带 BOM，Excel 可直接打开）", "generator.exporters.csv_export:write"),
        Exporter("json", "开放数据 JSON（符合发布的记录 JSON Schema）", "generator.exporters.json_export:write"),
        Exporter("sheet", "可编辑的表格 CSV（每行一条记录、含全部字段，改后可用 showcase import 导回）", "generator.exporters.sheet_export:write"),
    )
}


WORK_PREFIX = ".showcase-export-"


def export(
    catalogue: Catalogue, format_name: str, selection: Selection, out_dir: Path, job: ExportJob | None = None
) -> list[Path]:
    """Resolve the selection, run one exporter and return the files it wrote (in out_dir).

    The selection is resolved before anything is written, so a typo in
    `--province` never leaves a half-filled output folder behind; the
    exporter writes into a work folder whose files are renamed into place
    once it has finished (see the module's docstring). Warnings for the
    editor are left in `job.warnings`.
    """
    exporter = EXPORTER_BY_NAME[format_name]
    selected = select(catalogue, selection)
    write = exporter.load()
    try:
        _refuse_unusable(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        remove_abandoned(out_dir, (f"{WORK_PREFIX}*",))
        with WorkFolder(out_dir, WORK_PREFIX) as work:
            written = write(catalogue, selected, work.path, job or ExportJob())
            return _move_into_place(work.path, out_dir, written)
    except OSError as exc:
        where = Path(exc.filename) if isinstance(exc.filename, str) else out_dir
        raise write_error(where, exc) from None


def _refuse_unusable(out_dir: Path) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise UserError(f"{printable(str(out_dir))}: 已存在同名的文件，不是文件夹；请给出一个文件夹")


def _move_into_place(work: Path, out_dir: Path, written: list[Path]) -> list[Path]:
    """Every file the exporter wrote, renamed from the work folder to the same place in out_dir
    (each replacing the old file in one step); the written paths as they now are."""
    for path in sorted(work.rglob("*")):
        if path.is_dir() and not path.is_symlink():
            continue
        target = out_dir / path.relative_to(work)
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink():
            raise UserError(f"{printable(str(target))}: 已存在同名的文件夹，导出的文件放不进去；请先移走它")
        os.replace(path, target)
    moved = []
    for path in written:
        try:
            moved.append(out_dir / Path(path).relative_to(work))
        except ValueError:
            moved.append(Path(path))  # written elsewhere on purpose: left as it is
    return moved
