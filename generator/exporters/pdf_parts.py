"""Join typeset parts into one proof PDF: pages, tags, bookmarks, page labels, crop marks.

generator.exporters.pdf_export typesets a long selection in batches (Typst
holds a whole document in memory) and the cover with its table of contents
last, when the page numbers are known. Here the parts become one file with
pikepdf (qpdf), keeping what makes the proof usable:

- the tags: each part's structure tree joins one tree under the first
  part's document element, and the parent tree that links a page's marked
  content to its structure is renumbered (`/StructParents`), so screen
  readers and tagged-PDF checks see one tagged document;
- the bookmarks: series → province → record, one tree for the whole file
  (Typst writes one per part);
- page labels: the front matter i, ii …, the records 1, 2 … as printed;
- the TrimBox and BleedBox Typst wrote; with crop marks, the sheet grows by
  a slug around the bleed and the marks are drawn there.

The file is deterministic: same records, same bytes.
"""

from __future__ import annotations

import io
from contextlib import ExitStack
from dataclasses import dataclass, field

import pikepdf
from pikepdf import Array, Dictionary, Name

MM = 72 / 25.4
SLUG = 12 * MM  # room outside the bleed for crop marks
MARK_OFFSET = 3 * MM  # a mark starts this far outside the trim (at the bleed edge)
MARK_LENGTH = 6 * MM


@dataclass
class Heading:
    level: int  # 1 series, 2 province, 3 record
    title: str
    page: int | None = None  # the printed page number (folio)


@dataclass
class Part:
    """One typeset batch: its PDF, the headings it holds in order, the folio of its first page."""

    data: bytes
    headings: list[Heading]
    first_page: int
    page_count: int = field(init=False)
    _pages: list[int] = field(init=False, default_factory=list)  # page index of each heading

    def __post_init__(self) -> None:
        with pikepdf.open(io.BytesIO(self.data)) as pdf:
            self.page_count = len(pdf.pages)
            index = {page.obj.objgen: number for number, page in enumerate(pdf.pages)}
            with pdf.open_outline() as outline:
                self._pages = [index[item.destination[0].objgen] for item in _walk(outline.root)]
        if len(self._pages) != len(self.headings):
            raise RuntimeError(f"magazine.typ wrote {len(self._pages)} headings where {len(self.headings)} were expected")

    def located_headings(self) -> list[Heading]:
        return [Heading(h.level, h.title, self.first_page + page) for h, page in zip(self.headings, self._pages)]


def _walk(items):
    for item in items:
        yield item
        yield from _walk(item.children)


def _number_tree(node) -> list[tuple[int, object]]:
    """A number tree's (key, value) pairs, leaves in order."""
    pairs = []
    if "/Nums" in node:
        nums = node.Nums
        pairs += [(int(nums[i]), nums[i + 1]) for i in range(0, len(nums), 2)]
    for kid in node.get("/Kids", []):
        pairs += _number_tree(kid)
    return pairs


class _Tags:
    """The joined structure tree: every part's elements under the first part's document element."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.root = pdf.Root.get("/StructTreeRoot")
        if self.root is None:
            return
        self.document = self.root.K[0] if isinstance(self.root.K, Array) else self.root.K
        self.parents = _number_tree(self.root.ParentTree)
        self.next_key = int(self.root.get("/ParentTreeNextKey", len(self.parents)))
        # The document element's kids, set once in finish(): rebuilding the array for every part
        # was quadratic in the number of parts.
        self.kids = list(self.document.K) if isinstance(self.document.K, Array) else [self.document.K]

    def append(self, source: pikepdf.Pdf, first_page: int) -> None:
        tree = source.Root.get("/StructTreeRoot")
        if self.root is None or tree is None:
            return
        offset = self.next_key
        for page in self.pdf.pages[first_page:]:
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
        document = tree.K[0] if isinstance(tree.K, Array) else tree.K
        theirs = document.K if isinstance(document.K, Array) else Array([document.K])
        for kid in theirs:
            if isinstance(kid, Dictionary) and "/P" in kid:
                del kid["/P"]  # (in the source only) so that copying a kid does not copy the source's whole tree
        kids = self.pdf.copy_foreign(source.make_indirect(theirs))
        for kid in kids:
            if isinstance(kid, Dictionary):
                kid.P = self.document
        self.kids += list(kids)
        for key, value in _number_tree(tree.ParentTree):
            copied = self.pdf.copy_foreign(value if value.is_indirect else source.make_indirect(value))
            self.parents.append((key + offset, copied))
        self.next_key = offset + int(tree.get("/ParentTreeNextKey", 0))
        for key, value in tree.get("/RoleMap", Dictionary()).items():
            if key not in self.root.RoleMap:
                self.root.RoleMap[key] = value

    def finish(self) -> None:
        if self.root is None:
            return
        self.document.K = Array(self.kids)
        numbers = Array()
        for key, value in sorted(self.parents, key=lambda pair: pair[0]):
            numbers.append(key)
            numbers.append(value)
        self.root.ParentTree = self.pdf.make_indirect(Dictionary(Nums=numbers))
        self.root.ParentTreeNextKey = self.next_key


def _bookmarks(pdf: pikepdf.Pdf, headings: list[tuple[Heading, int]], contents_page: int | None) -> None:
    """One bookmark tree: 目录, then series → province → record."""
    with pdf.open_outline() as outline:
        outline.root.clear()
        if contents_page is not None:
            outline.root.append(pikepdf.OutlineItem("目录", contents_page))
        parents: list[list] = [outline.root]
        for heading, page in headings:
            item = pikepdf.OutlineItem(heading.title, page)
            level = min(heading.level, len(parents))
            del parents[level:]
            parents[-1].append(item)
            parents.append(item.children)


def _crop_marks(page: pikepdf.Page) -> None:
    """Grow the sheet by a slug around the bleed and draw the crop marks there, at the trim corners."""
    x0, y0, x1, y1 = (float(v) for v in page.obj.TrimBox)
    mx0, my0, mx1, my1 = (float(v) for v in page.obj.MediaBox)
    page.obj.BleedBox = Array([mx0, my0, mx1, my1])
    page.obj.MediaBox = Array([mx0 - SLUG, my0 - SLUG, mx1 + SLUG, my1 + SLUG])
    if "/CropBox" in page.obj:
        del page.obj["/CropBox"]
    strokes = []
    for x, y, dx, dy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        # one horizontal and one vertical mark per corner, outside the bleed
        strokes.append(f"{x + dx * MARK_OFFSET:.3f} {y:.3f} m {x + dx * (MARK_OFFSET + MARK_LENGTH):.3f} {y:.3f} l S")
        strokes.append(f"{x:.3f} {y + dy * MARK_OFFSET:.3f} m {x:.3f} {y + dy * (MARK_OFFSET + MARK_LENGTH):.3f} l S")
    # Registration colour (all four inks) so the marks print on every plate; artifacts for tagging.
    content = "/Artifact BMC q 0.25 w 1 1 1 1 K " + " ".join(strokes) + " Q EMC"
    page.contents_add(content.encode(), prepend=False)


def assemble(parts: list[Part], front: bytes | None, *, title: str, crop_marks: bool = False) -> bytes:
    """The proof: the front matter (if any), then every part, as one tagged PDF with one bookmark tree."""
    with ExitStack() as stack:
        base_data = front if front is not None else parts[0].data
        pdf = stack.enter_context(pikepdf.open(io.BytesIO(base_data)))
        front_pages = len(pdf.pages) if front is not None else 0
        tags = _Tags(pdf)
        for part in parts if front is not None else parts[1:]:
            source = stack.enter_context(pikepdf.open(io.BytesIO(part.data)))
            start = len(pdf.pages)
            pdf.pages.extend(source.pages)
            tags.append(source, start)
        tags.finish()
        located = [(h, front_pages + h.page - 1) for part in parts for h in part.located_headings()]
        _bookmarks(pdf, located, 1 if front is not None and front_pages > 1 else None)
        labels: list = [0, Dictionary(S=Name.r)] if front_pages else []
        labels += [front_pages, Dictionary(S=Name.D, St=1)]
        pdf.Root.PageLabels = Dictionary(Nums=Array(labels))
        pdf.Root.PageMode = Name.UseOutlines
        if crop_marks:
            for sheet in pdf.pages:
                _crop_marks(sheet)
        pdf.docinfo[Name.Title] = title  # every part was typeset with this title; the XMP metadata has it too
        output = io.BytesIO()
        pdf.save(output, deterministic_id=True, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
        return output.getvalue()
