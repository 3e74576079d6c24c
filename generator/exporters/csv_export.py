"""CSV open data: UTF-8 with a BOM, because Excel on Windows reads a CSV
without one as GBK and shows the Chinese as mojibake."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from generator.catalogue import Catalogue
from generator.exporters import open_data
from generator.exporters.selection import Selected
from generator.schema.record import Record

FILE_NAME = "records.csv"

# A cell starting with one of these is run as a formula by Excel and other
# spreadsheets ("CSV injection"); a leading apostrophe makes it plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """Text that spreadsheets show as written: '=cmd|…' → \"'=cmd|…\"; numbers such as -3 stay numbers."""
    if cell.startswith(_FORMULA_START):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def csv_bytes(catalogue: Catalogue, records: list[Record]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180 line ends, as Excel writes them
    writer.writerow(open_data.columns(catalogue))
    for record in records:
        writer.writerow([spreadsheet_safe(cell) for cell in open_data.row(catalogue, record)])
    return buffer.getvalue().encode("utf-8-sig")


def write(catalogue: Catalogue, selected: Selected, out_dir: Path) -> list[Path]:
    path = out_dir / FILE_NAME
    path.write_bytes(csv_bytes(catalogue, open_data.selected_records(selected)))
    return [path]
