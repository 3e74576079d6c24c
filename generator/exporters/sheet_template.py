"""The spreadsheet template editors download from the site (data/records-template.xlsx).

Generated from the record schema and site_config.yml (generator.schema.sheet):
one column per field with its Chinese header and, below it, the machine key;
a note on every header saying what to write; drop-down lists wherever the
vocabulary is closed (kinds, series, provinces, themes and tags, qualifiers,
honour levels), taken from a hidden sheet of lists. `showcase import` reads a
filled-in copy back. The bytes depend only on the configuration: the zip
entries carry a fixed date, so two builds give the same file.
"""

from __future__ import annotations

import io
import zipfile

from generator.schema.sheet import columns
from generator.schema.site_config import CatalogueConfig

FILE_NAME = "records-template.xlsx"
DATA_ROWS = 1000  # rows the drop-downs reach
FIXED_DATE = (2020, 1, 1, 0, 0, 0)

GUIDE = [
    "每行一条记录；第 1 行是列名，第 2 行是列的代码，请都不要改动，从第 3 行开始填写。",
    "标红的列必须填写；其余的列不知道就空着，不用的列可以整列删除。",
    "类型、系列、省份、主题、限定词、级别等列有下拉选项，请从中选择。",
    "数字与来源完全一致；“95%以上”写作 业主满意度（%）= 95，业主满意度·限定词 = 以上。",
    "概况、机制、亮点请用自己的话概括，不要整段照抄来源。",
    "填好后保存为 .xlsx（或 CSV UTF-8），交给网站编辑，或运行：showcase import 表格.xlsx",
    "导入的每条记录都是草稿；表格中的每个问题都会指明“第几行第几列”，改正后再导入即可。",
]


def template_bytes(config: CatalogueConfig) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    table = columns(config)
    book = Workbook()
    sheet = book.active
    sheet.title = "记录"
    lists = book.create_sheet("选项")
    guide = book.create_sheet("填写说明")
    header_font, key_font = Font(bold=True), Font(color="808080", size=9)
    required_fill = PatternFill("solid", fgColor="F8D7DA")
    optional_fill = PatternFill("solid", fgColor="E8EEF7")
    list_columns: dict[tuple[str, ...], str] = {}
    for number, column in enumerate(table, 1):
        letter = get_column_letter(number)
        head = sheet.cell(row=1, column=number, value=column.label)
        head.font, head.fill = header_font, required_fill if column.required else optional_fill
        if column.hint:
            head.comment = Comment(column.hint + ("（必填）" if column.required else ""), "showcase")
        sheet.cell(row=2, column=number, value=column.key).font = key_font
        sheet.column_dimensions[letter].width = max(10, min(40, len(column.label) * 2 + 4))
        if column.choices:
            if column.choices not in list_columns:
                list_letter = get_column_letter(len(list_columns) + 1)
                lists.cell(row=1, column=len(list_columns) + 1, value=column.label)
                for row, choice in enumerate(column.choices, 2):
                    lists.cell(row=row, column=len(list_columns) + 1, value=choice)
                list_columns[column.choices] = f"'选项'!${list_letter}$2:${list_letter}${len(column.choices) + 1}"
            validation = DataValidation(type="list", formula1=list_columns[column.choices], allow_blank=True)
            validation.error, validation.errorTitle = "请从下拉列表中选择", column.label
            validation.prompt, validation.promptTitle = "从下拉列表中选择", column.label
            validation.add(f"{letter}3:{letter}{DATA_ROWS + 2}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A3"
    lists.sheet_state = "hidden"
    guide.column_dimensions["A"].width = 100
    for row, text in enumerate(GUIDE, 1):
        guide.cell(row=row, column=1, value=f"{row}. {text}")
    book.properties.creator = "showcase"
    book.properties.lastModifiedBy = "showcase"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_dates(buffer.getvalue())


def _fixed_dates(xlsx: bytes) -> bytes:
    """The same zip with every entry dated FIXED_DATE and the document's own dates fixed (reproducible builds)."""
    source = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _fixed_core(data)
            entry = zipfile.ZipInfo(info.filename, FIXED_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            target.writestr(entry, data)
    return out.getvalue()


def _fixed_core(core: bytes) -> bytes:
    import re

    return re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)", rb"\g<1>2020-01-01T00:00:00Z\3", core)
