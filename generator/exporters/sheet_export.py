"""The editable sheet: the selected records one row each, with every field, for `showcase import`.

Unlike the open-data CSV (csv_export: a published table whose columns join
lists with “；” and stay fixed for scripts), this sheet has the columns of
generator.schema.sheet — the template's: 机制1·名称, 机制1·是什么 … as many
as the records need — so that editing it in Excel and importing it again
gives the same records. Row 1 is the Chinese headers, row 2 the machine keys.
UTF-8 with a BOM, as Excel on Windows needs; formula-like text is protected
as in the open data.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.catalogue import Catalogue
from generator.exporters import ExportJob
from generator.exporters.csv_export import spreadsheet_safe
from generator.exporters.selection import Selected
from generator.schema.record import Record
from generator.schema.sheet import Vocabulary, columns, row_of, slots_needed


def sheet_bytes(catalogue: Catalogue, records: list[Record]) -> bytes:
    table = columns(catalogue.config, slots_needed(records))
    vocabulary = Vocabulary(catalogue.config)
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.label for column in table])
    writer.writerow([column.key for column in table])
    for record in records:
        writer.writerow([spreadsheet_safe(cell) for cell in row_of(record, table, vocabulary)])
    return buffer.getvalue().encode("utf-8-sig")


def write(catalogue: Catalogue, selected: Selected, out_dir: Path, job: ExportJob) -> list[Path]:
    path = out_dir / f"sheet-{selected.slug}.csv"
    path.write_bytes(sheet_bytes(catalogue, [entry.record for entry in selected.entries]))
    return [path]
