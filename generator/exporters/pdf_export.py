"""Proof PDFs in the magazine layout, typeset by Typst.

The layout lives in templates/magazine.typ; this module turns the selection
into JSON for it (sys.inputs.data), finds the CJK fonts and compiles. Typst
gets only the Noto CJK folder and its own bundled fonts (system fonts are
ignored), so the proof looks the same on every machine and every font in it
is embedded. Typst ≥ 0.15 writes the TrimBox/BleedBox from `page(bleed:)`.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict
from functools import cache
from pathlib import Path
from typing import Callable

import typst

from generator.catalogue import Catalogue
from generator.errors import UserError
from generator.exporters.selection import Selected
from generator.exporters.templating import template_text
from generator.exporters import ExportJob
from generator.present.photos import PhotoView
from generator.present.record import RecordView, record_view

REQUIRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
# Debian/Ubuntu (fonts-noto-cjk), Fedora (google-noto-*-cjk-fonts), Arch (noto-fonts-cjk).
FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/google-noto-cjk"),
    Path("/usr/share/fonts/google-noto-serif-cjk-fonts"),
    Path("/usr/share/fonts/noto-cjk"),
)
MAGAZINE = "《中国物业管理》校样"


@cache
def font_dirs() -> tuple[Path, ...]:
    """Folders that together provide the Noto Serif and Sans CJK SC families."""
    found: list[Path] = []
    families: set[str] = set()
    for folder in FONT_DIRS:
        if folder.is_dir():
            names = set(typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(folder)]).families())
            if names & set(REQUIRED_FAMILIES):
                found.append(folder)
                families |= names
    missing = [family for family in REQUIRED_FAMILIES if family not in families]
    if missing:
        raise UserError(
            f"找不到中文字体 {'、'.join(missing)}，无法生成 PDF 校样。"
            "请安装 Debian/Ubuntu 软件包 fonts-noto-cjk（sudo apt-get install fonts-noto-cjk，或运行 make），"
            f"字体应位于 {FONT_DIRS[0]}/"
        )
    return tuple(found)


PHOTOS_DIR = "photos"  # beside the template in the compile folder: Typst reads files only under its root


def document_data(catalogue: Catalogue, selected: Selected, photo_file: Callable[[PhotoView], str] | None = None) -> dict:
    return {
        "title": f"{selected.label} · 校样",
        "author": "美好家园项目展示",
        "magazine": MAGAZINE,
        "entries": [entry_data(record_view(catalogue, entry), photo_file) for entry in selected.entries],
    }


def entry_data(view: RecordView, photo_file: Callable[[PhotoView], str] | None = None) -> dict:
    """The record's presentation as Typst data: its fields plus what the view works out (subjects, citations)."""
    data = asdict(view)
    data.pop("images")  # Typst gets the photos as files with their caption lines
    data["photos"] = [
        {"file": photo_file(picture), "caption": picture.caption_line, "lead": index == 0}
        for index, picture in enumerate(view.images)
    ] if photo_file else []
    data["subjects"] = view.subjects
    data["honours"] = [honour.text for honour in view.honours]
    data["sources"] = [{"citation": source.citation, "url": source.url} for source in view.sources]
    data["mechanisms"] = [{"name": m.name, "text": m.text} for m in view.mechanisms]
    return data


def render(catalogue: Catalogue, selected: Selected) -> bytes:
    """The proof: the template and the photos at print resolution in a compile folder of their own."""
    with tempfile.TemporaryDirectory(prefix="showcase-proof-") as folder:
        root = Path(folder)
        (root / PHOTOS_DIR).mkdir()

        def photo_file(picture: PhotoView) -> str:
            assert catalogue.library is not None
            [cached] = catalogue.library.files(picture.photo, [picture.photo.print])
            name = f"{PHOTOS_DIR}/{cached.name}"
            if not (root / name).exists():
                os.symlink(cached, root / name)
            return name

        data = json.dumps(document_data(catalogue, selected, photo_file), ensure_ascii=False)
        (root / "magazine.typ").write_text(template_text("magazine.typ"), encoding="utf-8")
        return _compile(root, data)


def _compile(root: Path, data: str) -> bytes:
    try:
        return typst.compile(
            str(root / "magazine.typ"),
            root=str(root),
            format="pdf",
            font_paths=[str(folder) for folder in font_dirs()],
            ignore_system_fonts=True,
            sys_inputs={"data": data},
        )
    except typst.TypstError as error:  # a bug in magazine.typ, not the editor's doing
        raise RuntimeError(f"Typst failed on magazine.typ: {error.message}\n{error.diagnostic}") from error


def write(catalogue: Catalogue, selected: Selected, out_dir: Path, job: ExportJob) -> list[Path]:
    path = out_dir / f"proof-{selected.slug}.pdf"
    path.write_bytes(render(catalogue, selected))
    return [path]
