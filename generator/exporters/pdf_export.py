"""Proof PDFs in the magazine layout, typeset by Typst, in bounded memory.

The layout lives in templates/magazine.typ; this module turns the selection
into JSON for it (sys.inputs.data), finds the CJK fonts and compiles. Typst
gets only the Noto CJK folder and its own bundled fonts (system fonts are
ignored), so the proof looks the same on every machine and every font in it
is embedded. Typst writes the TrimBox/BleedBox from `page(bleed:)` and tags
the PDF (headings, paragraphs) for accessibility.

Typst keeps a whole document in memory while it lays it out — about 2 MB a
record, 4 GB at 1,000 records when everything was one document — so the
records are typeset `BATCH_RECORDS` at a time (what Typst memoised for one
batch is dropped before the next: `_forget_layout`), each batch continuing
the page numbers of the last and written to a file in the compile folder.
generator.exporters.pdf_parts then joins the batches, the cover and the
table of contents (typeset last, when the page numbers are known) into one
file — pages, bookmarks, tags and page labels — streaming one batch at a
time into the output, so the peak is one batch's typesetting whatever the
selection's size. A batch ends where a province ends when it can; a
province longer than a batch continues in the next one without a new opener.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import BinaryIO

import typst

from generator.catalogue import Catalogue, Entry
from generator.errors import UserError
from generator.exporters import ExportJob
from generator.exporters.pdf_parts import Heading, Part, assemble
from generator.exporters.selection import Selected
from generator.exporters.templating import template_text
from generator.files import writing_atomically
from generator.present.photos import PhotoView
from generator.present.publication import ProvinceGroup, SeriesGroup
from generator.present.record import RecordView, record_view
from generator.progress import progress_bar

REQUIRED_FAMILIES = ("Noto Serif CJK SC", "Noto Sans CJK SC")
# Debian/Ubuntu (fonts-noto-cjk), Fedora (google-noto-*-cjk-fonts), Arch (noto-fonts-cjk).
FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/google-noto-cjk"),
    Path("/usr/share/fonts/google-noto-serif-cjk-fonts"),
    Path("/usr/share/fonts/noto-cjk"),
)
MAGAZINE = "《中国物业管理》校样"
AUTHOR = "美好家园项目展示"
PHOTOS_DIR = "photos"  # beside the template in the compile folder: Typst reads files only under its root
# Records per Typst run. Measured on the synthetic records of bench/: 150 records peak at
# about 0.5 GB, so a batch stays far below the 1.5 GB target whatever the selection's size.
BATCH_RECORDS = 150
# typst-py keeps memoised results for this many compiles after their last use (comemo::evict(10)).
MEMO_AGE = 10


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


PhotoFile = Callable[[PhotoView], str]


def entry_data(view: RecordView, photo_file: PhotoFile | None = None) -> dict:
    """The record's presentation as Typst data: its fields plus what the view works out.
    Photos go as files (their print renditions, under the compile folder) with their caption lines."""
    data = dataclasses.asdict(view)
    data.pop("images")
    data["photos"] = [
        {"file": photo_file(picture), "caption": picture.caption_line, "lead": index == 0}
        for index, picture in enumerate(view.images)
    ] if photo_file else []
    data["subjects"] = view.subjects
    data["honours"] = [honour.text for honour in view.honours]
    data["sources"] = [{"citation": source.citation, "url": source.url} for source in view.sources]
    data["mechanisms"] = [{"name": m.name, "text": m.text} for m in view.mechanisms]
    quote = view.pull_quote
    data["pull_quote"] = {"title": quote.title, "text": quote.text} if quote else None
    return data


@dataclass(frozen=True)
class Chunk:
    """One province's records within one batch."""

    series: SeriesGroup
    province: ProvinceGroup
    entries: tuple[Entry, ...]
    new_series: bool  # the first records of their series in the document: the series' bookmark
    continued: bool  # the province began in the previous batch: no new opener


def batches(selected: Selected, size: int = BATCH_RECORDS) -> Iterator[list[Chunk]]:
    """The selection in print order, `size` records at most per batch, provinces kept whole where they fit."""
    batch: list[Chunk] = []
    count = 0
    previous_series: SeriesGroup | None = None
    for series, province in selected.publication.sections():
        entries = province.entries
        if count and count + len(entries) > size:  # start the province on a fresh batch
            yield batch
            batch, count = [], 0
        for start in range(0, len(entries), size):
            piece = entries[start : start + size]
            if count + len(piece) > size:
                yield batch
                batch, count = [], 0
            batch.append(Chunk(series, province, piece, series is not previous_series and start == 0, start > 0))
            count += len(piece)
            previous_series = series
    if batch:
        yield batch


def _chunk_data(catalogue: Catalogue, chunk: Chunk, photo_file: PhotoFile | None = None) -> dict:
    return {
        "series_title": chunk.series.series.title,
        "series_short": chunk.series.series.short_title,
        "province": chunk.province.province,
        "new_series": chunk.new_series,
        "continued": chunk.continued,
        "count_text": f"{len(chunk.province.entries)} 个项目",
        "entries": [entry_data(record_view(catalogue, entry), photo_file) for entry in chunk.entries],
    }


def _headings(catalogue: Catalogue, batch: list[Chunk]) -> list[Heading]:
    """The bookmarks a batch's headings become, in the order Typst writes them (series, province, records)."""
    headings = []
    for chunk in batch:
        if chunk.new_series:
            headings.append(Heading(1, chunk.series.series.title))
        if not chunk.continued:
            headings.append(Heading(2, chunk.province.province))
        headings += [Heading(3, record_view(catalogue, entry).title) for entry in chunk.entries]
    return headings


def compile_part(root: Path, data: dict) -> bytes:
    """Typeset one part; `root` holds the template and the photos it places (Typst reads nothing else)."""
    try:
        pdf = typst.compile(
            str(root / "magazine.typ"),
            root=str(root),
            format="pdf",
            font_paths=[str(folder) for folder in font_dirs()],
            ignore_system_fonts=True,
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)},
        )
    except typst.TypstError as error:  # a bug in magazine.typ, not the editor's doing
        raise RuntimeError(f"Typst failed on magazine.typ: {error.message}\n{error.diagnostic}") from error
    _forget_layout()
    return pdf


def _forget_layout() -> None:
    """Drop what Typst memoised while typesetting a part.

    typst-py evicts Typst's memo cache (comemo) after each compile but keeps
    every result used in the last MEMO_AGE compiles; a batch's layout is a few
    hundred MB that the next batch never hits, so without this the peak grew
    by that much a batch (1.2 GB at 500 records, 2.1 GB at 1,000). Each empty
    compile (16 ms) ages the cache by one, so MEMO_AGE of them leave nothing
    of the batch and the peak stays at one batch's worth whatever N is.
    """
    for _ in range(MEMO_AGE):
        typst.compile(b"", format="svg", ignore_system_fonts=True)


def _document(selected: Selected, part: str, layout: str, **fields) -> dict:
    return {"part": part, "title": f"{selected.label} · 校样", "author": AUTHOR, "magazine": MAGAZINE, "layout": layout, **fields}


def _cover(selected: Selected) -> dict:
    publication = selected.publication
    lines = [f"{group.series.title}：{len(group.entries)} 个项目" for group in publication.series]
    lines.append(f"{len(publication.provinces)} 个省份 · 共 {len(selected.entries)} 个项目")
    return {"title": "美好家园", "subtitle": selected.label, "lines": lines}


def render(catalogue: Catalogue, selected: Selected, out: BinaryIO, job: ExportJob | None = None) -> None:
    """The proof, written to `out`, typeset in a compile folder of its own: the template, the photos
    at print resolution and the typeset parts (on disk, so that memory holds one batch at a time)."""
    job = job or ExportJob()
    with tempfile.TemporaryDirectory(prefix="showcase-proof-") as folder:
        root = Path(folder)
        (root / PHOTOS_DIR).mkdir()
        (root / "magazine.typ").write_text(template_text("magazine.typ"), encoding="utf-8")

        def photo_file(picture: PhotoView) -> str:
            assert catalogue.library is not None
            [cached] = catalogue.library.files(picture.photo, [picture.photo.print])
            name = f"{PHOTOS_DIR}/{cached.name}"
            if not (root / name).exists():
                os.symlink(cached, root / name)
            return name

        parts: list[Part] = []
        first_page = 1
        with progress_bar(len(selected.entries), "排版 PDF", "条", enabled=job.progress) as bar:
            for number, batch in enumerate(batches(selected)):
                groups = [_chunk_data(catalogue, chunk, photo_file) for chunk in batch]
                data = _document(selected, "body", job.layout, first_page=first_page, groups=groups)
                path = root / f"part-{number:05d}.pdf"
                path.write_bytes(compile_part(root, data))
                part = Part(path, _headings(catalogue, batch), first_page)
                parts.append(part)
                first_page += part.page_count
                bar.update(sum(len(chunk.entries) for chunk in batch))
        front = None
        if len(selected.entries) > 1:
            contents = [{"level": h.level, "title": h.title, "page": h.page} for part in parts for h in part.located_headings()]
            front = root / "front.pdf"
            front.write_bytes(compile_part(root, _document(selected, "front", job.layout, cover=_cover(selected), contents=contents)))
        assemble(parts, front, out, title=f"{selected.label} · 校样", crop_marks=job.crop_marks)


def write(catalogue: Catalogue, selected: Selected, out_dir: Path, job: ExportJob) -> list[Path]:
    path = out_dir / f"proof-{selected.slug}.pdf"
    with writing_atomically(path) as out:
        render(catalogue, selected, out, job)
    return [path]
