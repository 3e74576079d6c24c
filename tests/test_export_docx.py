"""Word proofs: named styles, East Asian fonts, figures as a table, same bytes every time."""

from __future__ import annotations

import pytest
from docx import Document
from docx.oxml.ns import qn
from export_support import fixture_catalogue, project_catalogue

from generator.exporters import Selection, export
from generator.exporters.docx_export import PARAGRAPH_STYLES, SANS, SERIF


@pytest.fixture(scope="module")
def document_path(tmp_path_factory):
    out = tmp_path_factory.mktemp("docx")
    (path,) = export(fixture_catalogue(), "docx", Selection(provinces=("湖北",)), out)
    return path


def east_asian_font(style) -> str | None:
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def test_named_styles_with_east_asian_fonts(document_path):
    assert document_path.name == "proof-hubei.docx"
    document = Document(str(document_path))
    for name in ("编号", "标题", "副标题", "小标题", "正文", "数据", "来源"):
        assert name in PARAGRAPH_STYLES
        assert east_asian_font(document.styles[name]) in (SERIF, SANS), name
    assert east_asian_font(document.styles["正文"]) == SERIF
    assert east_asian_font(document.styles["标题"]) == SANS
    assert east_asian_font(document.styles["Normal"]) == SERIF
    used = {p.style.name for p in document.paragraphs if p.text}
    assert {"编号", "标题", "副标题", "小标题", "正文", "来源"} <= used
    assert [p.text for p in document.paragraphs if p.style.name == "编号"] == ["47", "48"]


def test_figures_are_a_table(document_path):
    document = Document(str(document_path))
    first = document.tables[0]
    rows = [[cell.text for cell in row.cells] for row in first.rows]
    assert rows == [
        ["指标", "数值", "说明"],
        ["住户", "1439户", ""],
        ["建筑面积", "228394.93平方米", ""],
        ["业主满意度", "95%以上", "2022年业主评议"],
    ]
    assert len(document.tables) == 2  # one per record with figures


def test_text_is_kept_verbatim_and_review_is_dropped(document_path):
    text = "\n".join(p.text for p in Document(str(document_path)).paragraphs)
    assert "第一段：含有 <script>alert('x')</script> 与 & 符号。" in text
    assert "审校专用段落" not in text and "核对建筑面积" not in text


def test_same_records_give_same_bytes(document_path, tmp_path):
    (again,) = export(fixture_catalogue(), "docx", Selection(provinces=("湖北",)), tmp_path)
    assert again.read_bytes() == document_path.read_bytes()
    properties = Document(str(again)).core_properties
    assert properties.created.year == 2022 and properties.title == "湖北 · 审校稿"


def test_shipped_records_open_in_word_form(tmp_path):
    catalogue = project_catalogue()
    (path,) = export(catalogue, "docx", Selection(), tmp_path)
    document = Document(str(path))
    assert len([p for p in document.paragraphs if p.style.name == "标题"]) == len(catalogue.visible)
