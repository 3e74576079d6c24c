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
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Literal

from generator.exporters.selection import Selected, Selection, select

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
    )
}


def export(
    catalogue: Catalogue, format_name: str, selection: Selection, out_dir: Path, job: ExportJob | None = None
) -> list[Path]:
    """Resolve the selection, run one exporter and return the files it wrote.

    The selection is resolved before anything is written, so a typo in
    `--province` never leaves a half-filled output folder behind. Warnings
    for the editor are left in `job.warnings`.
    """
    exporter = EXPORTER_BY_NAME[format_name]
    selected = select(catalogue, selection)
    write = exporter.load()
    out_dir.mkdir(parents=True, exist_ok=True)
    return write(catalogue, selected, out_dir, job or ExportJob())
