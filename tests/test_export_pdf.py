"""Proof PDFs: a magazine feature, checked like a prepress desk and an art director would.

poppler-utils (pdfinfo, pdffonts, pdftoppm, pdftotext) read the file as a
prepress check would: trim and bleed boxes, embedded fonts, tags, bookmarks.
Page images (pdftoppm, read with numpy) show whether pages are full and
columns end level; character positions (pdfminer.six) show the shared
baseline grid and the compressed punctuation after a bold lead-in; the text
lines show no line-breaking violations and no short last lines.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import numpy as np
import pikepdf
from pikepdf import Array, Dictionary, Name
import pytest
from export_support import ROOT, fixture_catalogue, project_catalogue

from generator.build.records import load_catalogue
from generator.catalogue import Catalogue, Entry
from generator.schema.record import Location
from generator.errors import UserError
from generator.exporters import ExportJob, Selection, export
from generator.exporters import pdf_export
from generator.schema.site_config import load_site_config

MM = 72 / 25.4
GRID = 15.0  # pt: the body text's line pitch
TOP = 58.0  # pt: the text area's top below the trim
TEXT_HEIGHT = 47 * GRID
BLEED = 3 * MM

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdfinfo", "pdffonts", "pdftoppm", "pdftotext")),
    reason="poppler-utils is not installed",
)

# Text that must never begin a line (closing punctuation) or end one (opening punctuation).
NOT_AT_LINE_START = set("，。、；：？！）》」』”’〕】…·%")
NOT_AT_LINE_END = set("（《「『“‘〔【")


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def boxes(path) -> dict[str, tuple[float, float, float, float]]:
    found = {}
    for name, *numbers in re.findall(r"^(\w+Box):\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)\s+([\d.-]+)", run("pdfinfo", "-box", str(path)), re.M):
        found[name] = tuple(float(n) for n in numbers)
    return found


@pytest.fixture(scope="module")
def proof(tmp_path_factory):
    """The fixture records, typeset two records a batch so that joining batches is always exercised."""
    out = tmp_path_factory.mktemp("pdf")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_export, "BATCH_RECORDS", 2)
        (path,) = export(fixture_catalogue(), "pdf", Selection(), out)
    return path


@pytest.fixture(scope="module")
def feature(tmp_path_factory):
    """A longer selection: 24 synthetic records (bench.synthetic) in two provinces, several pages each."""
    from bench.synthetic import generate

    site = generate(24, tmp_path_factory.mktemp("synthetic") / "site")
    catalogue = load_catalogue(load_site_config(site.config_path))
    # Two provinces of twelve records each: pages that a province fills, and its last page.
    entries = []
    for index, entry in enumerate(catalogue.visible):
        place = Location(province="湖北省", city="武汉市", district="硚口区") if index % 2 else Location(province="北京市", city="北京市", district="东城区")
        entries.append(Entry(entry.path, entry.record.model_copy(update={"location": place})))
    out = tmp_path_factory.mktemp("feature")
    (path,) = export(Catalogue(catalogue.config, entries), "pdf", Selection(), out)
    return path


def test_trim_is_210_by_285_mm_with_3_mm_bleed(proof):
    found = boxes(proof)
    x0, y0, x1, y1 = found["TrimBox"]
    # pdfinfo prints two decimals: 210 × 285 mm is 595.28 × 807.87 pt.
    assert (x1 - x0, y1 - y0) == (pytest.approx(210 * MM, abs=0.011), pytest.approx(285 * MM, abs=0.011))
    assert (x0, y0) == (pytest.approx(3 * MM, abs=0.011), pytest.approx(3 * MM, abs=0.011))
    mx0, my0, mx1, my1 = found["MediaBox"]
    assert (mx1 - mx0, my1 - my0) == (pytest.approx(216 * MM, abs=0.011), pytest.approx(291 * MM, abs=0.011))
    assert found["BleedBox"] == found["MediaBox"]


def test_crop_marks_sit_outside_the_bleed(tmp_path):
    (path,) = export(fixture_catalogue(), "pdf", Selection(numbers=(47,)), tmp_path, ExportJob(crop_marks=True))
    found = boxes(path)
    tx0, ty0, tx1, ty1 = found["TrimBox"]
    bx0, by0, bx1, by1 = found["BleedBox"]
    mx0, my0, mx1, my1 = found["MediaBox"]
    assert (tx0 - bx0, ty0 - by0, bx1 - tx1, by1 - ty1) == tuple(pytest.approx(3 * MM, abs=0.02) for _ in range(4))
    assert bx0 - mx0 > 8 * MM and mx1 - bx1 > 8 * MM  # a slug for the marks
    image = page_image(path, 1, dpi=72)
    scale = image.shape[1] / (mx1 - mx0)
    left_slug = image[:, : int((bx0 - mx0) * scale) - 1]
    top_slug = image[: int((my1 - by1) * scale) - 1, :]
    # marks in the slug only: two rows (top and bottom trim) on the left, two columns on the top
    assert (left_slug < 128).any(axis=1).sum() >= 2 and (top_slug < 128).any(axis=0).sum() >= 2


def test_cjk_fonts_are_embedded(proof):
    rows = run("pdffonts", str(proof)).splitlines()[2:]
    fonts = {row.split()[0].split("+")[-1]: row for row in rows}
    assert any(name.startswith("NotoSerifCJKsc") for name in fonts), fonts
    assert any(name.startswith("NotoSansCJKsc") for name in fonts), fonts
    for row in rows:
        # columns: name type... encoding emb sub uni object ID
        assert row.split()[-5] == "yes", f"font not embedded: {row}"


def test_one_tagged_document_from_many_batches(proof):
    assert re.search(r"^Tagged:\s+yes$", run("pdfinfo", str(proof)), re.M)
    with pikepdf.open(proof) as pdf:
        assert pdf.check_pdf_syntax() == []  # the streamed join's object numbers, object streams and xref hold
        tree = pdf.Root.StructTreeRoot
        keys = [int(k) for k in tree.ParentTree.Nums[::2]]
        assert keys == list(range(len(keys))) and int(tree.ParentTreeNextKey) == len(keys)
        assert sorted(int(page.obj.StructParents) for page in pdf.pages) == list(range(len(pdf.pages)))
        pages = {page.obj.objgen for page in pdf.pages}
        (document,) = tree.K if isinstance(tree.K, pikepdf.Array) else [tree.K]
        headings, stack = [], [document]
        while stack:
            element = stack.pop()
            if isinstance(element, pikepdf.Dictionary):
                assert "/Pg" not in element or element.Pg.objgen in pages  # every element on a page of this file
                if str(element.get("/S", "")) in ("/H1", "/H2", "/H3"):
                    headings.append(str(element.get("/T", "")))
                kids = element.get("/K", [])
                stack += list(kids) if isinstance(kids, pikepdf.Array) else [kids]
        assert "示例花园（示例）" in headings and "湖南" in headings
        assert str(pdf.Root.Lang) == "zh-CN"


def test_bookmarks_and_page_labels_follow_the_publication(proof):
    with pikepdf.open(proof) as pdf:
        with pdf.open_outline() as outline:
            tree = [(item.title, [(child.title, [c.title for c in child.children]) for child in item.children]) for item in outline.root]
        labels = pdf.Root.PageLabels.Nums
        assert [int(labels[0]), str(labels[1].S), int(labels[2]), str(labels[3].S)] == [0, "/r", 2, "/D"]
    assert tree == [
        ("目录", []),
        ("2022年“美好家园”项目（全国100个）", [("北京", ["第 1 号 北京示例社区（示例）"]), ("湖北", ["第 47 号 示例花园（示例）", "第 48 号 符号<测试>&“小区”（示例）"])]),
        ("地方实践", [("湖南", ["示例区“四联”做法（示例）"])]),
    ]


def test_cover_contents_and_text(proof):
    info = run("pdfinfo", str(proof))
    assert "CreationDate" not in info  # no timestamp: the same records give the same file
    cover = run("pdftotext", "-f", "1", "-l", "1", str(proof), "-")
    assert "美好家园" in cover and "全部记录" in cover
    contents = run("pdftotext", "-layout", "-f", "2", "-l", "2", str(proof), "-")
    assert re.search(r"第 47 号 示例花园（示例）[ ·]+2", contents), contents
    text = run("pdftotext", "-layout", str(proof), "-")
    assert "全国美好家园 · 湖北" in text and "地方实践 · 湖南" in text  # running heads
    assert "湖北省武汉市硚口区" in text and "示例物业服务有限公司" in text  # location line, facts
    flat = re.sub(r"\s+", "", text)
    assert re.sub(r"\s+", "", "Typst #let $x$ *粗* _斜_ [括号] {花括号} \\反斜杠 @引用 <b>不是标签</b>") in flat  # printed, not evaluated
    assert "审校专用段落" not in text


def test_same_records_give_same_bytes(proof, tmp_path):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pdf_export, "BATCH_RECORDS", 2)
        (again,) = export(fixture_catalogue(), "pdf", Selection(), tmp_path)
    assert again.read_bytes() == proof.read_bytes()


def test_join_renumbers_references_but_not_text_that_looks_like_one():
    """The streaming join renumbers "n g R" in the unparsed objects it copies; strings keep their text."""
    from generator.exporters.pdf_parts import _Source, _Writer

    pdf = pikepdf.new()
    target = pdf.make_indirect(Dictionary(S=Name.P))
    looks_like = [pikepdf.String(f"No. ({target.objgen[0]} 0 R) \\ 5 0 R"), pikepdf.String("7 0 R")]
    element = Dictionary(T=looks_like[0], Alt=looks_like[1], K=Array([target, 1]))
    source = _Source(_Writer(io.BytesIO(), "1.7"), pdf, {})
    text = source.text(element)
    [number] = source.numbers.values()
    assert number != target.objgen[0] and list(source.waiting) == [target.objgen]
    for string in looks_like:
        assert string.unparse() in text
        text = text.replace(string.unparse(), b"")
    assert re.findall(rb"\d+ \d+ R", text) == [b"%d 0 R" % number]


def test_missing_cjk_font_names_the_debian_package(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_export, "FONT_DIRS", (tmp_path,))
    pdf_export.font_dirs.cache_clear()
    try:
        with pytest.raises(UserError, match="fonts-noto-cjk"):
            export(fixture_catalogue(), "pdf", Selection(), tmp_path / "out")
    finally:
        pdf_export.font_dirs.cache_clear()


def test_shipped_records_make_a_proof(tmp_path):
    catalogue = project_catalogue()
    (path,) = export(catalogue, "pdf", Selection(provinces=("湖北",)), tmp_path)
    x0, y0, x1, y1 = boxes(path)["TrimBox"]
    assert (x1 - x0, y1 - y0) == (pytest.approx(210 * MM, abs=0.011), pytest.approx(285 * MM, abs=0.011))
    assert "NotoSerifCJKsc" in run("pdffonts", str(path))


# ---- the layout, from page images and character positions ---------------------------------


def page_image(path: Path, page: int, dpi: int = 36) -> np.ndarray:
    """One page as a grey image (rows × columns, 0 black … 255 white), the whole sheet with bleed."""
    data = subprocess.run(["pdftoppm", "-gray", "-r", str(dpi), "-f", str(page), "-l", str(page), str(path)], check=True, capture_output=True).stdout
    magic, width, height, _maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P5"
    return np.frombuffer(pixels, dtype=np.uint8)[: int(width) * int(height)].reshape(int(height), int(width))


def province_starts(path: Path) -> set[int]:
    """1-based page numbers where a province opens (from the bookmarks)."""
    with pikepdf.open(path) as pdf:
        index = {page.obj.objgen: number for number, page in enumerate(pdf.pages, start=1)}
        with pdf.open_outline() as outline:
            return {index[child.destination[0].objgen] for item in outline.root for child in item.children}


def column_ink(image: np.ndarray, dpi: int) -> tuple[np.ndarray, np.ndarray]:
    """For each pixel row of the text area: is there ink in the left column, in the right column?"""
    scale = dpi / 72
    top = int((BLEED + TOP) * scale)
    bottom = int((BLEED + TOP + TEXT_HEIGHT) * scale)
    middle = image.shape[1] / 2
    split = int(1 * MM * scale)  # the gutter always covers the sheet's centre ± 1 mm
    area = image[top:bottom] < 160
    return area[:, : int(middle) - split].any(axis=1), area[:, int(middle) + split :].any(axis=1)


def test_pages_are_full_and_columns_end_level(feature):
    """No body page but a province's last is more than a quarter empty; where one column runs on
    alone for more than two lines, the columns were not balanced."""
    pages = int(re.search(r"^Pages:\s+(\d+)", run("pdfinfo", str(feature)), re.M).group(1))
    starts = province_starts(feature)
    body = range(min(starts), pages + 1)
    dpi = 36
    line = GRID * dpi / 72
    filled = []
    for page in body:
        left, right = column_ink(page_image(feature, page, dpi), dpi)
        rows = np.flatnonzero(left | right)
        fill = (rows.max() + 1) / len(left) if len(rows) else 0
        if page + 1 not in starts and page != pages:
            assert fill > 0.75, f"page {page} is {1 - fill:.0%} empty"
        filled.append(fill)
        alone = left ^ right
        runs = np.diff(np.flatnonzero(np.diff(np.concatenate(([0], alone.astype(int), [0])))))[::2]
        assert not len(runs) or runs.max() <= 2.5 * line, f"page {page}: one column runs on alone for {runs.max() / line:.1f} lines"
    assert np.mean(filled) > 0.85


def body_chars(path: Path, pages: list[int]):
    """pdfminer's characters of the given (1-based) pages: (page, char) pairs."""
    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LTChar

    def chars(container):
        for item in container:
            if isinstance(item, LTChar):
                yield item
            elif hasattr(item, "__iter__"):
                yield from chars(item)

    for number, layout in zip(pages, extract_pages(str(path), page_numbers=[p - 1 for p in pages], laparams=None)):
        for char in chars(layout):
            yield number, layout.bbox[3], char


def test_both_columns_share_one_baseline_grid(feature):
    pages = sorted(province_starts(feature))[:1]
    pages = [pages[0], pages[0] + 1]
    offsets: dict[int, list[float]] = {}
    for page, height, char in body_chars(feature, pages):
        if abs(char.size - 9) < 0.01:  # body text, serif and the bold sans lead-ins alike
            baseline = height - char.matrix[5]  # from the top of the sheet
            offsets.setdefault(page, []).append((baseline - BLEED - TOP) % GRID)
    assert len(offsets) == 2
    for page, found in offsets.items():
        assert max(found) - min(found) < 0.2, f"page {page}: body lines sit {min(found):.2f}–{max(found):.2f} pt off the {GRID} pt grid"


def test_bold_lead_ins_compress_their_punctuation(proof):
    gaps = []
    chars = [char for _, _, char in body_chars(proof, list(range(3, 7)))]
    for char, following in zip(chars, chars[1:]):
        if char.get_text() == "”" and following.get_text() == "：" and abs(char.size - 9) < 0.01:
            gaps.append(following.x0 - char.x0)
    assert gaps, "no “…”： in the proof"
    assert max(gaps) < 0.6 * 9, f"a closing quote before a colon takes {max(gaps):.1f} pt (an em is 9 pt)"


def text_lines(path: Path) -> list[tuple[float, str]]:
    """Each visual line of text, one column at a time: (height in pt, text). poppler may cut a line
    where the font changes, so pieces on one baseline in one column are joined again."""
    html = run("pdftotext", "-bbox-layout", str(path), "-")
    lines = []
    for page in re.findall(r"<page (.*?)</page>", html, re.S):
        middle = float(re.search(r'width="([\d.]+)"', page).group(1)) / 2
        pieces: dict[tuple[int, bool], list[tuple[float, float, str]]] = {}
        for x0, y0, y1, body in re.findall(r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</line>', page, re.S):
            text = "".join(unescape(word) for word in re.findall(r"<word [^>]*>([^<]*)</word>", body))
            pieces.setdefault((round(float(y1)), float(x0) > middle), []).append((float(x0), float(y1) - float(y0), text))
        for parts in pieces.values():
            parts.sort()
            lines.append((max(height for _, height, _ in parts), "".join(text for _, _, text in parts)))
    return lines


def test_no_line_breaking_violations_and_no_short_last_lines(feature, proof):
    for path in (feature, proof):
        lines = text_lines(path)
        assert not [text for _, text in lines if text[0] in NOT_AT_LINE_START], "a line begins with closing punctuation"
        assert not [text for _, text in lines if text[-1] in NOT_AT_LINE_END], "a line ends with opening punctuation"
        body = [text for height, text in lines if abs(height - 9) < 0.5]  # 9 pt body text
        short = [text for text in body if len(text) <= 2 and not text.isascii()]
        assert len(body) > 20 and not short, f"last lines of one or two characters: {short}"


def test_page_layout_starts_each_record_on_a_page(tmp_path):
    """--layout page: every record on a page of its own, the first below its province's opener."""
    (path,) = export(fixture_catalogue(), "pdf", Selection(provinces=("湖北",)), tmp_path, ExportJob(layout="page"))
    with pikepdf.open(path) as pdf:
        index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
        with pdf.open_outline() as outline:
            provinces = [child for item in outline.root for child in item.children]
            records = [grandchild for child in provinces for grandchild in child.children]
            opener = index[provinces[0].destination[0].objgen]
            pages = [index[item.destination[0].objgen] for item in records]
    assert len(set(pages)) == len(pages) == 2 and pages[0] == opener
