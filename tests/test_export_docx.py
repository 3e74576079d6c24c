"""Word proofs for reviewers: Chinese language and punctuation compression, headers naming series
and province, page numbers, real page breaks, outline levels, fonts with fallbacks, a cover and a
table of contents, our own name in app.xml, the same bytes every time — and a file LibreOffice opens."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn
from export_support import fixture_catalogue, project_catalogue

from generator.exporters import Selection, export
from generator.exporters.docx_export import APPLICATION, FONT_FALLBACKS, PARAGRAPH_STYLES, SANS, SERIF


@pytest.fixture(scope="module")
def hubei(tmp_path_factory):
    (path,) = export(fixture_catalogue(), "docx", Selection(provinces=("湖北",)), tmp_path_factory.mktemp("docx"))
    return path


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    (path,) = export(fixture_catalogue(), "docx", Selection(), tmp_path_factory.mktemp("docx-all"))
    return path


def part(path, name: str) -> str:
    with zipfile.ZipFile(path) as archive:
        return archive.read(name).decode("utf-8")


def east_asian_font(style) -> str | None:
    rfonts = style.element.rPr.find(qn("w:rFonts"))
    return rfonts.get(qn("w:eastAsia")) if rfonts is not None else None


def test_named_styles_with_east_asian_fonts(hubei):
    assert hubei.name == "proof-hubei.docx"
    document = Document(str(hubei))
    for name in ("编号", "标题", "副标题", "小标题", "正文", "数据", "来源", "地点", "编者注"):
        assert east_asian_font(document.styles[name]) in (SERIF, SANS), name
    assert east_asian_font(document.styles["正文"]) == SERIF
    assert east_asian_font(document.styles["标题"]) == SANS
    used = {p.style.name for p in document.paragraphs if p.text}
    assert {"省份标题", "编号", "标题", "副标题", "地点", "小标题", "正文", "来源"} <= used
    assert [p.text for p in document.paragraphs if p.style.name == "编号"] == ["第 47 号", "第 48 号"]


def test_document_language_is_chinese_with_punctuation_compression(hubei):
    styles, settings = part(hubei, "word/styles.xml"), part(hubei, "word/settings.xml")
    assert '<w:lang w:val="en-US" w:eastAsia="zh-CN"' in styles
    assert '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/>' in settings
    assert '<w:characterSpacingControl w:val="compressPunctuation"/>' in settings
    with zipfile.ZipFile(hubei) as archive:
        everything = "".join(archive.read(name).decode("utf-8") for name in archive.namelist())
    assert "ja-JP" not in everything and "Jpan" not in everything


def test_fonts_fall_back_to_ones_windows_and_macos_have(hubei):
    fonts = part(hubei, "word/fontTable.xml")
    for font, (alternative, charset, *_rest) in FONT_FALLBACKS.items():
        assert re.search(rf'<w:font w:name="{font}"><w:altName w:val="{alternative}"/>.*?<w:charset w:val="{charset}"/>', fonts)
    assert set(FONT_FALLBACKS) == {SERIF, SANS}


def test_app_properties_name_only_us(hubei):
    app = part(hubei, "docProps/app.xml")
    assert f"<Application>{APPLICATION}</Application>" in app
    assert "Microsoft" not in app and "Template" not in app
    with zipfile.ZipFile(hubei) as archive:
        assert not [name for name in archive.namelist() if "thumbnail" in name or name.startswith("customXml")]


def test_headers_name_series_and_province_and_footer_numbers_pages(everything):
    with zipfile.ZipFile(everything) as archive:
        headers = [archive.read(n).decode("utf-8") for n in sorted(archive.namelist()) if re.match(r"word/header\d+\.xml", n)]
        footer = archive.read("word/footer1.xml").decode("utf-8")
    texts = [re.sub(r"<[^>]+>", "", h).split("《")[0].strip() for h in headers]
    assert texts == ["全国美好家园 · 北京", "全国美好家园 · 湖北", "地方实践 · 湖南"]
    assert "<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>" in footer
    body = part(everything, "word/document.xml")
    assert body.count("<w:sectPr>") == 4  # cover and contents, then one section per series and province
    assert body.count('<w:pgNumType w:start="1"/>') == 1  # the records start at page 1


def test_records_start_on_a_new_page_without_empty_paragraphs(everything):
    document = Document(str(everything))
    assert not [p for p in document.paragraphs if not p.text.strip() and p.style.name not in ("toc 3",)]
    body = part(everything, "word/document.xml")
    assert "<w:br w:type=\"page\"/>" not in body
    assert body.count("<w:pageBreakBefore/>") == 2  # 48 after 47 (same section), and the contents after the cover


def test_outline_levels_and_a_table_of_contents(everything):
    styles = part(everything, "word/styles.xml")
    levels = {spec.name: spec.outline for spec in PARAGRAPH_STYLES if spec.outline is not None}
    assert levels == {"系列标题": 0, "省份标题": 1, "标题": 2, "小标题": 3}
    for name, level in levels.items():
        assert re.search(rf'<w:name w:val="{name}"/>.*?<w:outlineLvl w:val="{level}"/>', styles)
    document = Document(str(everything))
    texts = [(p.style.name, p.text) for p in document.paragraphs]
    assert texts[0] == ("封面标题", "《中国物业管理》审校稿")
    contents = [text for style, text in texts if style.startswith("toc ") and text]
    assert contents == ["2022年“美好家园”项目（全国100个）", "北京", "第 1 号 北京示例社区（示例）", "湖北", "第 47 号 示例花园（示例）", "第 48 号 符号<测试>&“小区”（示例）", "地方实践", "湖南", "示例区“四联”做法（示例）"]
    assert 'TOC \\o "1-3" \\h \\z \\u' in part(everything, "word/document.xml")


def test_single_record_has_no_cover(tmp_path):
    (path,) = export(fixture_catalogue(), "docx", Selection(numbers=(47,)), tmp_path)
    document = Document(str(path))
    assert document.paragraphs[0].style.name == "系列标题"


def test_figures_and_facts_are_tables(hubei):
    document = Document(str(hubei))
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert rows == [
        ["指标", "数值", "说明"],
        ["住户", "1439户", ""],
        ["建筑面积", "228394.93平方米", ""],
        ["业主满意度", "95%以上", "2022年业主评议"],
    ]
    facts = [[cell.text for cell in row.cells] for row in document.tables[1].rows]
    assert ["物业服务企业", "示例物业服务有限公司"] in facts and ["建成年份", "2008年"] in facts


def test_text_is_kept_verbatim_and_review_is_dropped(hubei):
    text = "\n".join(p.text for p in Document(str(hubei)).paragraphs)
    assert "第一段：含有 <script>alert('x')</script> 与 & 符号。" in text
    assert "审校专用段落" not in text and "核对建筑面积" not in text


def test_source_urls_are_hyperlinks(hubei):
    rels = part(hubei, "word/_rels/document.xml.rels")
    assert 'Target="https://example.org/articles/hubei?id=47&amp;lang=zh" TargetMode="External"' in rels


def test_same_records_give_same_bytes(hubei, tmp_path):
    (again,) = export(fixture_catalogue(), "docx", Selection(provinces=("湖北",)), tmp_path)
    assert again.read_bytes() == hubei.read_bytes()
    properties = Document(str(again)).core_properties
    assert properties.created.year == 2022 and properties.title == "湖北 · 审校稿" and properties.language == "zh-CN"


def test_shipped_records_open_in_word_form(tmp_path):
    catalogue = project_catalogue()
    (path,) = export(catalogue, "docx", Selection(), tmp_path)
    document = Document(str(path))
    assert len([p for p in document.paragraphs if p.style.name == "标题"]) == len(catalogue.visible)


SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (libreoffice-writer-nogui) is not installed")
def test_libreoffice_opens_the_document(everything, tmp_path):
    """LibreOffice reads the file and lays it out: as a PDF it has the cover, the contents, every record."""
    profile = tmp_path / "profile"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(everything)],
        check=True, capture_output=True, timeout=180,
    )
    pdf = tmp_path / (everything.stem + ".pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    for expected in ("《中国物业管理》审校稿", "目录", "示例花园（示例）", "符号<测试>&“小区”（示例）", "全国美好家园 · 湖北", "地方实践 · 湖南", "示例区“四联”做法（示例）"):
        assert expected in text, expected
    pages = int(re.search(r"^Pages:\s+(\d+)", subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout, re.M).group(1))
    assert pages >= 6  # cover, contents, four records each on its own page
