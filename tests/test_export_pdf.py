"""Proof PDFs: trim and bleed boxes, embedded CJK fonts, pages that render.

Uses poppler-utils (pdfinfo, pdffonts, pdftoppm) like a prepress check would.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from export_support import fixture_catalogue, project_catalogue

from generator.errors import UserError
from generator.exporters import Selection, export
from generator.exporters import pdf_export

MM = 72 / 25.4

pytestmark = pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("pdfinfo", "pdffonts", "pdftoppm")),
    reason="poppler-utils is not installed",
)


def run(*command: str) -> str:
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def boxes(path) -> dict[str, tuple[float, float, float, float]]:
    found = {}
    for name, *numbers in re.findall(r"^(\w+Box):\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", run("pdfinfo", "-box", str(path)), re.M):
        found[name] = tuple(float(n) for n in numbers)
    return found


@pytest.fixture(scope="module")
def proof(tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    (path,) = export(fixture_catalogue(), "pdf", Selection(), out)
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


def test_cjk_fonts_are_embedded(proof):
    rows = run("pdffonts", str(proof)).splitlines()[2:]
    fonts = {row.split()[0].split("+")[-1]: row for row in rows}
    assert any(name.startswith("NotoSerifCJKsc") for name in fonts), fonts
    assert any(name.startswith("NotoSansCJKsc") for name in fonts), fonts
    for row in rows:
        # columns: name type... encoding emb sub uni object ID
        assert row.split()[-5] == "yes", f"font not embedded: {row}"


def test_text_and_layout(proof):
    info = run("pdfinfo", str(proof))
    assert re.search(r"^Pages:\s+4$", info, re.M)  # one entry per page here: 1, 47, 48, local practice
    assert "CreationDate" not in info  # no timestamp: the same records give the same file
    text = run("pdftotext", "-layout", str(proof), "-")
    assert "全国美好家园 · 湖北" in text and "地方实践 · 湖南" in text  # running headers
    assert "Typst #let $x$ *粗* _斜_ [括号] {花括号} \\反斜杠 @引用 <b>不是标签</b>" in text  # printed, not evaluated
    assert "审校专用段落" not in text


def test_pages_render_to_png(proof, tmp_path):
    subprocess.run(["pdftoppm", "-r", "40", "-png", str(proof), str(tmp_path / "page")], check=True)
    pngs = sorted(tmp_path.glob("page-*.png"))
    assert len(pngs) == 4
    assert all(p.stat().st_size > 2000 for p in pngs)  # not blank


def test_entry_band_runs_into_the_bleed(proof, tmp_path):
    """The accent band on an entry's first page starts at the sheet edge, inside the bleed."""
    subprocess.run(["pdftoppm", "-r", "36", "-f", "1", "-l", "1", str(proof), str(tmp_path / "sheet")], check=True)
    (ppm,) = tmp_path.glob("sheet-*.ppm")
    data = ppm.read_bytes()
    magic, width, height, _maxval, pixels = data.split(maxsplit=4)
    assert magic == b"P6"
    width = int(width)
    top_row = pixels[: width * 3]
    middle = width // 2 * 3
    assert tuple(top_row[middle : middle + 3]) == (198, 40, 40)  # #c62828 at y = 0, the bleed edge


def test_same_records_give_same_bytes(proof, tmp_path):
    (again,) = export(fixture_catalogue(), "pdf", Selection(), tmp_path)
    assert again.read_bytes() == proof.read_bytes()


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
