"""Join typeset parts into one proof PDF: pages, tags, bookmarks, page labels, crop marks.

generator.exporters.pdf_export typesets a long selection in batches (Typst
holds a whole document in memory) and the cover with its table of contents
last, when the page numbers are known; each part is a PDF file on disk.
Here the parts become one file, keeping what makes the proof usable:

- the tags: each part's structure tree joins one tree under one document
  element, and the parent tree that links a page's marked content to its
  structure is renumbered (`/StructParents`), so screen readers and
  tagged-PDF checks see one tagged document;
- the bookmarks: series → province → record, one tree for the whole file
  (Typst writes one per part);
- page labels: the front matter i, ii …, the records 1, 2 … as printed;
- the TrimBox and BleedBox Typst wrote; with crop marks, the sheet grows by
  a slug around the bleed and the marks are drawn there.

The join streams: a part is opened (pikepdf), its objects are written to
the output with new numbers and it is closed before the next is opened, so
memory holds one part whatever the number of parts. (Joining in pikepdf
itself kept every part and every copied object until the save: 4 GB at
10,000 records.) Only what stays small is kept to the end: a number per
output object (its place in the file), the pages' numbers, the document
element's kids and the parent tree. These and the catalogue, page tree,
structure tree root and bookmarks are written last, with numbers reserved
first. Non-stream objects go into compressed object streams and the file
ends with a cross-reference stream (PDF 1.5), as qpdf would write it.

The file is deterministic: same records, same bytes.
"""

from __future__ import annotations

import hashlib
import re
import zlib
from array import array
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

import pikepdf
from pikepdf import Array, Dictionary

MM = 72 / 25.4
SLUG = 12 * MM  # room outside the bleed for crop marks
MARK_OFFSET = 3 * MM  # a mark starts this far outside the trim (at the bleed edge)
MARK_LENGTH = 6 * MM
OBJECTS_PER_STREAM = 100  # non-stream objects per object stream, as qpdf groups them
# A token of unparsed PDF: a literal or hex string (skipped: text may look like a reference) or a reference.
TOKEN = re.compile(rb"\((?:[^\\()]|\\.)*\)|<[0-9A-Fa-f]*>|(\d+) (\d+) R", re.S)
# Structure tree entries the join knows how to combine; another (a newer Typst's /IDTree …) stops it.
TREE_KEYS = {"/Type", "/K", "/ParentTree", "/ParentTreeNextKey", "/RoleMap"}


@dataclass
class Heading:
    level: int  # 1 series, 2 province, 3 record
    title: str
    page: int | None = None  # the printed page number (folio)


@dataclass
class Part:
    """One typeset batch: its PDF file, the headings it holds in order, the folio of its first page."""

    path: Path
    headings: list[Heading]
    first_page: int
    page_count: int = field(init=False)
    _pages: list[int] = field(init=False, default_factory=list)  # page index of each heading

    def __post_init__(self) -> None:
        with pikepdf.open(self.path) as pdf:
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


def _number_tree(node) -> Iterator[tuple[int, object]]:
    """A number tree's (key, value) pairs, leaves in order."""
    if "/Nums" in node:
        nums = node.Nums
        for i in range(0, len(nums), 2):
            yield int(nums[i]), nums[i + 1]
    for kid in node.get("/Kids", []):
        yield from _number_tree(kid)


def _kids(element) -> list:
    kids = element.get("/K", Array())
    return list(kids) if isinstance(kids, Array) else [kids]


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


class _Writer:
    """A PDF written front to back: objects numbered as they are met, small ones packed into object streams."""

    def __init__(self, stream: BinaryIO, version: str) -> None:
        self.stream = stream
        self.digest = hashlib.md5()  # the file identifier: a digest of everything written before the xref
        self.position = 0
        # Cross-reference entries by object number: type (1 in the file, 2 in an object stream) and two fields.
        self.kinds = array("b", [0])
        self.first = array("q", [0])
        self.second = array("q", [0])
        self.packed: list[tuple[int, bytes]] = []
        self._write(f"%PDF-{version}\n%\xe2\xe3\xcf\xd3\n".encode("latin-1"))

    def reserve(self) -> int:
        self.kinds.append(0)
        self.first.append(0)
        self.second.append(0)
        return len(self.kinds) - 1

    def _write(self, data: bytes) -> None:
        self.stream.write(data)
        self.digest.update(data)
        self.position += len(data)

    def _place(self, number: int, body: bytes) -> None:
        self.kinds[number], self.first[number], self.second[number] = 1, self.position, 0
        self._write(b"%d 0 obj\n%s\nendobj\n" % (number, body))

    def object(self, number: int, body: bytes) -> None:
        self.packed.append((number, body))
        if len(self.packed) >= OBJECTS_PER_STREAM:
            self._flush()

    def stream_object(self, number: int, dictionary: bytes, data: bytes) -> None:
        """A stream: `dictionary` is its unparsed dictionary without /Length, `data` as stored (still encoded)."""
        assert dictionary.startswith(b"<<")
        self._place(number, b"<< /Length %d %s\nstream\n%s\nendstream" % (len(data), dictionary[2:], data))

    def _flush(self) -> None:
        if not self.packed:
            return
        container = self.reserve()
        offsets, bodies, size = [], [], 0
        for index, (number, body) in enumerate(self.packed):
            offsets.append(b"%d %d" % (number, size))
            bodies.append(body)
            size += len(body) + 1
            self.kinds[number], self.first[number], self.second[number] = 2, container, index
        header = b" ".join(offsets) + b"\n"
        data = zlib.compress(header + b"\n".join(bodies) + b"\n", 6)
        self.packed = []
        self.stream_object(container, b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>" % (len(offsets), len(header)), data)

    def finish(self, trailer: bytes) -> None:
        """The cross-reference stream, which is also the trailer (`trailer`: its /Root and /Info entries)."""
        self._flush()
        xref = self.reserve()
        self.kinds[xref], self.first[xref], self.second[xref] = 1, self.position, 0
        width = max(4, (self.position.bit_length() + 7) // 8)
        rows = bytearray()
        for kind, first, second in zip(self.kinds, self.first, self.second):
            if kind == 0:
                rows += b"\x00" + b"\x00" * width + b"\xff\xff"
            else:
                rows += bytes([kind]) + first.to_bytes(width, "big") + second.to_bytes(2, "big")
        identifier = self.digest.hexdigest().encode()
        data = zlib.compress(bytes(rows), 6)
        head = b"<< /Type /XRef /Size %d /W [ 1 %d 2 ] %s /ID [ <%s> <%s> ] /Filter /FlateDecode /Length %d >>" % (
            len(self.kinds), width, trailer, identifier, identifier, len(data))
        self._write(b"%d 0 obj\n%s\nstream\n%s\nendstream\nendobj\n" % (xref, head, data))
        self._write(b"startxref\n%d\n%%%%EOF\n" % self.first[xref])


class _Source:
    """One part being copied: its objects get output numbers when first referenced and are written once."""

    def __init__(self, writer: _Writer, pdf: pikepdf.Pdf, fixed: dict[tuple[int, int], int]) -> None:
        self.writer = writer
        self.pdf = pdf
        self.numbers = dict(fixed)  # objects of this part that the join replaces map to the join's own
        self.waiting: deque[tuple[int, int]] = deque()

    def _renumber(self, match: re.Match) -> bytes:
        if match.group(1) is None:
            return match.group(0)
        objgen = (int(match.group(1)), int(match.group(2)))
        number = self.numbers.get(objgen)
        if number is None:
            number = self.numbers[objgen] = self.writer.reserve()
            self.waiting.append(objgen)
        return b"%d 0 R" % number

    def text(self, value) -> bytes:
        """`value` unparsed, its references renumbered (what they point at is written by copy_waiting)."""
        if isinstance(value, pikepdf.Object) and value.is_indirect:
            return self._renumber(re.match(TOKEN, b"%d %d R" % value.objgen))
        if isinstance(value, pikepdf.Object):
            text = value.unparse(resolved=True)
        else:  # a number, boolean … that pikepdf gave as a Python value
            text = Array([value]).unparse()[1:-1].strip()
        return TOKEN.sub(self._renumber, text)

    def copy_waiting(self) -> None:
        while self.waiting:
            objgen = self.waiting.popleft()
            number = self.numbers[objgen]
            value = self.pdf.get_object(objgen)
            if isinstance(value, pikepdf.Stream):
                dictionary = Dictionary({key: item for key, item in value.stream_dict.items() if key != "/Length"})
                self.writer.stream_object(number, self.text(dictionary), value.read_raw_bytes())
            else:
                self.writer.object(number, TOKEN.sub(self._renumber, value.unparse(resolved=True)))


@dataclass
class _Join:
    """What the join keeps across parts: small, whatever the number of parts."""

    writer: _Writer
    catalog: int
    page_tree: int
    tree: int
    document: int
    pages: list[int] = field(default_factory=list)
    kids: list[bytes] = field(default_factory=list)  # the document element's kids, unparsed
    parents: list[bytes] = field(default_factory=list)  # the parent tree's key/value pairs, unparsed
    next_key: int = 0
    role_map: dict[str, bytes] = field(default_factory=dict)
    tagged: bool = True

    def add(self, pdf: pikepdf.Pdf, *, crop_marks: bool) -> _Source:
        """Copy a part's pages and structure; returns the part's source for what else the caller copies."""
        root = pdf.Root
        tree = root.get("/StructTreeRoot")
        fixed = {root.Pages.objgen: self.page_tree, root.objgen: self.catalog}
        self.tagged = self.tagged and tree is not None
        if tree is not None:
            unknown = set(tree.keys()) - TREE_KEYS
            if unknown:
                raise RuntimeError(f"the structure tree has entries the join does not merge: {sorted(unknown)}")
            [document] = _kids(tree)
            fixed[tree.objgen] = self.tree
            fixed[document.objgen] = self.document
        source = _Source(self.writer, pdf, fixed)
        offset = self.next_key
        for page in pdf.pages:
            if page.obj.Parent.objgen != root.Pages.objgen:
                raise RuntimeError("a part's page tree is not flat")  # inherited attributes would be lost
            if "/StructParents" in page.obj:
                page.obj.StructParents = int(page.obj.StructParents) + offset
            for annotation in page.obj.get("/Annots", []):
                if "/StructParent" in annotation:
                    annotation.StructParent = int(annotation.StructParent) + offset
            if crop_marks:
                _crop_marks(page)
            self.pages.append(int(source.text(page.obj).split()[0]))
        if tree is not None:
            self.kids += [source.text(kid) for kid in _kids(document)]
            self.parents += [b"%d %s" % (key + offset, source.text(value)) for key, value in _number_tree(tree.ParentTree)]
            self.next_key = offset + int(tree.get("/ParentTreeNextKey", 0))
            for key, value in tree.get("/RoleMap", Dictionary()).items():
                self.role_map.setdefault(key, source.text(value))
        source.copy_waiting()
        return source


def _outline(writer: _Writer, entries: list[tuple[str, int, int]]) -> int:
    """The bookmark tree from (title, level, page object number) in order, open at every level; its root's number."""
    root = writer.reserve()
    nodes: list[dict] = [{"number": root, "children": []}]
    stack = [nodes[0]]
    for title, level, page in entries:
        del stack[min(level, len(stack)):]
        node = {"number": writer.reserve(), "title": title, "page": page, "children": [], "parent": stack[-1]["number"]}
        stack[-1]["children"].append(node)
        stack.append(node)
        nodes.append(node)

    def count(node: dict) -> int:
        node["count"] = sum(1 + count(child) for child in node["children"])
        return node["count"]

    count(nodes[0])
    for node in nodes:
        children = node["children"]
        fields = [b"/Type /Outlines"] if node["number"] == root else [
            b"/Title " + pikepdf.String(node["title"]).unparse(), b"/Parent %d 0 R" % node["parent"],
            b"/Dest [ %d 0 R /Fit ]" % node["page"]]
        if children:
            fields += [b"/First %d 0 R" % children[0]["number"], b"/Last %d 0 R" % children[-1]["number"], b"/Count %d" % node["count"]]
        for before, after in zip(children, children[1:]):
            before.setdefault("next", after["number"])
            after["prev"] = before["number"]
        if "prev" in node:
            fields.append(b"/Prev %d 0 R" % node["prev"])
        if "next" in node:
            fields.append(b"/Next %d 0 R" % node["next"])
        writer.object(node["number"], b"<< " + b" ".join(fields) + b" >>")
    return root


def assemble(parts: list[Part], front: Path | None, out: BinaryIO, *, title: str, crop_marks: bool = False) -> None:
    """Write the proof to `out`: the front matter (if any), then every part, as one tagged PDF with one bookmark tree."""
    files = ([front] if front is not None else []) + [part.path for part in parts]
    with pikepdf.open(files[0]) as first:
        writer = _Writer(out, first.pdf_version)
        join = _Join(writer, catalog=writer.reserve(), page_tree=writer.reserve(), tree=writer.reserve(), document=writer.reserve())
        source = join.add(first, crop_marks=crop_marks)
        front_pages = len(join.pages) if front is not None else 0
        # The catalogue's other entries (language, metadata, viewer preferences) and the document element's own.
        skip = {"/Type", "/Pages", "/StructTreeRoot", "/Outlines", "/PageLabels", "/PageMode"}
        catalog = [b"%s %s" % (key.encode(), source.text(value)) for key, value in first.Root.items() if key not in skip]
        tree = first.Root.get("/StructTreeRoot")
        element = [] if tree is None else [
            b"%s %s" % (key.encode(), source.text(value)) for key, value in _kids(tree)[0].items() if key not in ("/K", "/P")]
        info = [b"%s %s" % (key.encode(), source.text(value)) for key, value in first.docinfo.items() if key != "/Title"]
        source.copy_waiting()
        del source
    for path in files[1:]:
        with pikepdf.open(path) as pdf:
            join.add(pdf, crop_marks=crop_marks)
    located = [(h, front_pages + h.page - 1) for part in parts for h in part.located_headings()]
    entries = [(h.title, h.level, join.pages[index]) for h, index in located]
    if front is not None and front_pages > 1:
        entries.insert(0, ("目录", 1, join.pages[1]))
    outlines = _outline(writer, entries)
    writer.object(join.page_tree, b"<< /Type /Pages /Count %d /Kids [ %s ] >>" % (len(join.pages), b" ".join(b"%d 0 R" % n for n in join.pages)))
    labels = b"0 << /S /r >> " if front_pages else b""
    labels += b"%d << /S /D /St 1 >>" % front_pages
    entries_of_catalog = [b"/Type /Catalog", b"/Pages %d 0 R" % join.page_tree, b"/Outlines %d 0 R" % outlines,
                          b"/PageMode /UseOutlines", b"/PageLabels << /Nums [ %s ] >>" % labels, *catalog]
    if join.tagged:
        parent_tree = writer.reserve()
        writer.object(parent_tree, b"<< /Nums [ %s ] >>" % b" ".join(join.parents))
        role_map = b" ".join(b"%s %s" % (key.encode(), value) for key, value in join.role_map.items())
        writer.object(join.tree, b"<< /Type /StructTreeRoot /K [ %d 0 R ] /ParentTree %d 0 R /ParentTreeNextKey %d /RoleMap << %s >> >>" % (
            join.document, parent_tree, join.next_key, role_map))
        writer.object(join.document, b"<< %s /P %d 0 R /K [ %s ] >>" % (b" ".join(element), join.tree, b" ".join(join.kids)))
        entries_of_catalog.append(b"/StructTreeRoot %d 0 R" % join.tree)
    writer.object(join.catalog, b"<< " + b" ".join(entries_of_catalog) + b" >>")
    # Every part was typeset with this title; the XMP metadata has it too.
    document_info = writer.reserve()
    writer.object(document_info, b"<< /Title %s %s >>" % (pikepdf.String(title).unparse(), b" ".join(info)))
    writer.finish(b"/Root %d 0 R /Info %d 0 R" % (join.catalog, document_info))
