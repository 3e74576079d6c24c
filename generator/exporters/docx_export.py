"""Word documents for proofreading and for layout tools that import Word.

Every paragraph carries a named style (编号, 标题, 副标题, 小标题, 正文,
数据, 来源) so a layout tool can map them, and every style names an East
Asian font in w:rFonts/@w:eastAsia: Word otherwise renders Chinese in the
template's Latin font's fallback. Figures are a real table, not tab stops.

The file is deterministic: fixed core-property dates and fixed ZIP entry
times, so re-exporting unchanged records gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.styles.style import BaseStyle

from generator.catalogue import Catalogue
from generator.exporters.selection import Selected
from generator.present.record import RecordView, record_view

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
FIXED_DATE = dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc)
ZIP_DATE = (2022, 1, 1, 0, 0, 0)
ACCENT = RGBColor(0xC6, 0x28, 0x28)

# name → (font, size in pt, bold, colour, space before, space after, alignment)
PARAGRAPH_STYLES: dict[str, tuple[str, float, bool, RGBColor | None, float, float, WD_ALIGN_PARAGRAPH]] = {
    "编号": (SANS, 28, True, ACCENT, 0, 0, WD_ALIGN_PARAGRAPH.LEFT),
    "标题": (SANS, 18, True, None, 0, 4, WD_ALIGN_PARAGRAPH.LEFT),
    "副标题": (SANS, 13, False, ACCENT, 0, 12, WD_ALIGN_PARAGRAPH.LEFT),
    "小标题": (SANS, 12, True, ACCENT, 12, 6, WD_ALIGN_PARAGRAPH.LEFT),
    "正文": (SERIF, 10.5, False, None, 0, 6, WD_ALIGN_PARAGRAPH.JUSTIFY),
    "数据": (SERIF, 10, False, None, 0, 0, WD_ALIGN_PARAGRAPH.LEFT),
    "来源": (SERIF, 9, False, RGBColor(0x77, 0x77, 0x77), 12, 0, WD_ALIGN_PARAGRAPH.LEFT),
}
CHARACTER_STYLES = {"强调": (SANS, True)}


def set_fonts(style: BaseStyle, font: str) -> None:
    """Name the font for Latin and East Asian text; python-docx sets only the former."""
    style.font.name = font
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), font)


def add_styles(document: DocumentObject) -> None:
    set_fonts(document.styles["Normal"], SERIF)
    for name, (font, size, bold, colour, before, after, alignment) in PARAGRAPH_STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = document.styles["Normal"]
        style.quick_style = True
        set_fonts(style, font)
        style.font.size = Pt(size)
        style.font.bold = bold
        if colour is not None:
            style.font.color.rgb = colour
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(before), Pt(after)
        fmt.alignment = alignment
        if name == "正文":
            fmt.first_line_indent = Pt(size * 2)  # two characters, as Chinese body text is set
            fmt.line_spacing = 1.5
        if name in ("编号", "标题", "副标题", "小标题"):
            fmt.keep_with_next = True
    for name, (font, bold) in CHARACTER_STYLES.items():
        style = document.styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
        set_fonts(style, font)
        style.font.bold = bold


def add_entry(document: DocumentObject, view: RecordView) -> None:
    if view.number:
        document.add_paragraph(view.number, style="编号")
    document.add_paragraph(view.name, style="标题")
    document.add_paragraph(view.headline, style="副标题")
    document.add_paragraph(f"{view.series_title} · {view.location}", style="来源")
    document.add_paragraph("概况及亮点", style="小标题")
    for text in view.summary:
        document.add_paragraph(text, style="正文")
    if view.figures:
        document.add_paragraph("数据", style="小标题")
        table = document.add_table(rows=1, cols=3)
        table.style = document.styles["Table Grid"]
        for cell, heading in zip(table.rows[0].cells, ("指标", "数值", "说明")):
            cell.paragraphs[0].style = document.styles["数据"]
            cell.paragraphs[0].add_run(heading, style="强调")
        for figure in view.figures:
            cells = table.add_row().cells
            for cell, text in zip(cells, (figure.label, figure.text, figure.note or "")):
                cell.paragraphs[0].style = document.styles["数据"]
                cell.paragraphs[0].add_run(text)
    if view.mechanisms:
        document.add_paragraph("机制做法", style="小标题")
        for mechanism in view.mechanisms:
            paragraph = document.add_paragraph(style="正文")
            paragraph.add_run(mechanism.name, style="强调")
            paragraph.add_run("：" + mechanism.what + (mechanism.how or ""))
    if view.highlights:
        document.add_paragraph("亮点", style="小标题")
        for highlight in view.highlights:
            paragraph = document.add_paragraph(style="正文")
            paragraph.add_run(highlight.title, style="强调")
            paragraph.add_run("：" + highlight.text)
    for note in view.notes:
        document.add_paragraph(f"编者注：{note}", style="正文")
    for source in view.sources:
        document.add_paragraph("来源：" + source.label + (f" {source.url}" if source.url else ""), style="来源")


def build(catalogue: Catalogue, selected: Selected) -> DocumentObject:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(25)
    add_styles(document)
    for index, entry in enumerate(selected.entries):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        add_entry(document, record_view(catalogue, entry))
    properties = document.core_properties
    properties.title = f"{selected.label} · 审校稿"
    properties.author = properties.last_modified_by = "美好家园项目展示"
    properties.created = properties.modified = properties.last_printed = FIXED_DATE
    properties.revision = 1
    properties.comments = ""
    return document


def deterministic_zip(data: bytes) -> bytes:
    """Rewrite the package with fixed entry times (python-docx stamps the current time)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            target.writestr(fixed, source.read(info.filename))
    return output.getvalue()


def write(catalogue: Catalogue, selected: Selected, out_dir: Path) -> list[Path]:
    buffer = io.BytesIO()
    build(catalogue, selected).save(buffer)
    path = out_dir / f"proof-{selected.slug}.docx"
    path.write_bytes(deterministic_zip(buffer.getvalue()))
    return [path]
