"""CSV open data: UTF-8 with a BOM, because Excel on Windows reads a CSV
without one as GBK and shows the Chinese as mojibake.

The header row is the Chinese labels (for Excel) or, with `--csv-header
keys`, the stable machine keys (for scripts); the columns are the same,
declared once in generator.exporters.open_data, id first.

The site publishes both headers: the rows are made, written and encoded
once and put below each (measured 2026-12-03 at 10,000 records: 2.6 → 2.2 s
CPU for both files; the cells themselves are most of what is left).
"""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path
from typing import Iterable

from generator.catalogue import Catalogue
from generator.exporters import CsvHeader, ExportJob, open_data
from generator.exporters.selection import Selected
from generator.schema.record import Record

FILE_NAME = "records.csv"  # on the site: data/records.csv
KEYS_FILE_NAME = "records-keys.csv"  # on the site: the same table under machine keys

# A cell starting with one of these is run as a formula by Excel and other
# spreadsheets ("CSV injection"); a leading apostrophe makes it plain text.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA_FIRST = frozenset(_FORMULA_START)  # a set: "" is in every string, not in this


def spreadsheet_safe(cell: str) -> str:
    """Text that spreadsheets show as written: '=cmd|…' → \"'=cmd|…\"; numbers such as -3 stay numbers."""
    if cell.startswith(_FORMULA_START):
        try:
            float(cell)
        except ValueError:
            return "'" + cell
    return cell


def csv_bytes(catalogue: Catalogue, records: list[Record], header: CsvHeader = "labels") -> bytes:
    return csv_tables(catalogue, records, (header,))[0]


def csv_tables(catalogue: Catalogue, records: list[Record], headers: tuple[CsvHeader, ...]) -> list[bytes]:
    """One CSV file per header kind, the rows made once (the site publishes both kinds)."""
    config = catalogue.config
    columns = open_data.columns(config)
    # Most cells start with no formula character (or are empty): tested by their first character
    # before a call (660,000 cells at 10,000 records).
    rows = (
        [spreadsheet_safe(cell) if cell[:1] in _FORMULA_FIRST else cell for cell in open_data.row(columns, config, record)]
        for record in records
    )
    body = _csv_text(rows).encode("utf-8")  # written and encoded once, below each header (as utf-8-sig would)
    return [
        codecs.BOM_UTF8 + _csv_text([[column.key if header == "keys" else column.label for column in columns]]).encode("utf-8") + body
        for header in headers
    ]


def _csv_text(rows: Iterable[list[str]]) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)  # RFC 4180 line ends, as Excel writes them
    return buffer.getvalue()


def file_name(selected: Selected, header: CsvHeader) -> str:
    """records-hubei.csv, records-all-keys.csv: the selection (and header) in the name."""
    return f"records-{selected.slug}{'-keys' if header == 'keys' else ''}.csv"


def write(catalogue: Catalogue, selected: Selected, out_dir: Path, job: ExportJob) -> list[Path]:
    path = out_dir / file_name(selected, job.csv_header)
    path.write_bytes(csv_bytes(catalogue, open_data.selected_records(selected), job.csv_header))
    return [path]
