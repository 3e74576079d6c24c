"""ICML stories for the magazine: one InCopy story per record.

A designer places the .icml into an InDesign document (File → Place). The
story declares every style it uses *with its properties* — size, leading,
weight, font, colour, based-on, and the CJK composition settings: the
Adobe CJK paragraph composer, the Simplified Chinese kinsoku set (禁则) and
mojikumi set (标点挤压) — so a story placed into a document without our
template still sets Chinese properly; in a document with the magazine's
template, styles of the same names take over. The figures are an ICML
<Table>; a source's URL is an InDesign hyperlink; editor's notes, the
location line and the facts have styles of their own.

The XML is built with lxml's ElementTree API, never by string concatenation,
so record text is always escaped (lxml rather than the standard library's
ElementTree: it writes a story ten times faster, 10,000 of them in a large
export); see present.record.clean for characters XML cannot
carry. Written here rather than taken from a library: no maintained Python
package writes ICML (InDesign's own exporters and Pandoc's Haskell writer
are the references we compared with). The structure follows Adobe's IDML
specification (ICML is its InCopy subset); tests/fixtures/icml/
icml-subset.rng writes the parts we use down as a schema, and the tests
validate every story against it.
"""

from __future__ import annotations

import copy
import shutil
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from lxml import etree as ET

from generator.catalogue import Catalogue
from generator.exporters import ExportJob
from generator.exporters.selection import Selected
from generator.present.photos import PhotoView
from generator.present.record import RecordView, record_view
from generator.progress import progress_bar

NO_CHARACTER_STYLE = "$ID/[No character style]"
NORMAL_PARAGRAPH_STYLE = "$ID/NormalParagraphStyle"
NO_PARAGRAPH_STYLE = "$ID/[No paragraph style]"
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
# The Adobe CJK paragraph composer: the Latin composers ignore kinsoku and mojikumi.
CJK_COMPOSER = "HL Composer J"
# InDesign's built-in sets, as IDML enumerations (KinsokuSet.SIMPLIFIED_CHINESE_KINSOKU,
# MojikumiTableDefaults.SIMP_CHINESE_DEFAULT in the scripting DOM).
KINSOKU_SET = "SimplifiedChineseKinsoku"
MOJIKUMI_SET = "SimpChineseDefault"
BODY_LEADING = 15  # pt: 9 pt type on a 15 pt grid, as the PDF proof sets it

# Process colours the styles use (CMYK, as print wants them).
COLOURS = {"强调红": "0 90 85 15", "说明灰": "0 0 0 60"}


@dataclass(frozen=True)
class ParagraphStyleSpec:
    name: str
    font: str = SERIF
    weight: str = "Regular"
    size: float = 9
    leading: float = BODY_LEADING
    based_on: str | None = "正文"
    justification: str = "LeftAlign"
    first_line_indent: float = 0
    space_before: float = 0
    space_after: float = 0
    colour: str | None = None
    keep_with_next: int = 0


# Body first: every other style is based on it and overrides what differs.
PARAGRAPH_STYLES = (
    ParagraphStyleSpec("正文", based_on=None, justification="LeftJustified", first_line_indent=18),
    ParagraphStyleSpec("编号", font=SANS, weight="Bold", size=48, leading=48, colour="强调红", keep_with_next=1),
    ParagraphStyleSpec("标题", font=SANS, weight="Bold", size=20, leading=26, keep_with_next=1),
    ParagraphStyleSpec("副标题", font=SANS, size=12.5, leading=18, colour="强调红", keep_with_next=1),
    ParagraphStyleSpec("地点", font=SANS, size=8, leading=15, colour="说明灰", space_after=7.5, keep_with_next=1),
    ParagraphStyleSpec("小标题", font=SANS, weight="Bold", size=10.5, leading=15, colour="强调红", space_before=15, keep_with_next=1),
    ParagraphStyleSpec("数据", font=SANS, size=8.5, leading=15),
    ParagraphStyleSpec("信息", font=SANS, size=8.5, leading=15),
    ParagraphStyleSpec("荣誉", size=9),
    ParagraphStyleSpec("主题", font=SANS, size=8, leading=15, colour="说明灰"),
    ParagraphStyleSpec("图片", space_before=6, first_line_indent=0, keep_with_next=1),
    ParagraphStyleSpec("图注", font=SANS, size=7.5, leading=11, colour="说明灰"),
    ParagraphStyleSpec("编者注", size=8, leading=15, colour="说明灰"),
    ParagraphStyleSpec("来源", size=7.5, leading=11, colour="说明灰", space_before=7.5),
)
CHARACTER_STYLES = {
    # name → (font, weight, colour, size in pt or None for the paragraph's)
    "强调": (SANS, "Bold", "强调红", None),
    "数据标签": (SANS, "Regular", "说明灰", None),
    "数据数值": (SANS, "Bold", "强调红", None),
    "链接": (None, None, None, None),
    "编号字": (None, None, None, 20),  # 第 and 号 around the large numeral (第 47 号, as the site reads)
}
TABLE_STYLE = "数据表"

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<?aid style="50" type="snippet" readerVersion="6.0" featureSet="513" product="8.0(370)" ?>\n'
    '<?aid SnippetType="InCopyInterchange"?>\n'
)

# A paragraph is a list of runs: (character style or None, text, hyperlink URL or None).
Run = tuple[str | None, str] | tuple[str | None, str, str | None]


@dataclass(frozen=True)
class Paragraph:
    style: str
    runs: list[Run]


@dataclass(frozen=True)
class Table:
    """The figures: a header row and one row per figure (指标, 数值, 说明)."""

    header: tuple[str, ...]
    rows: list[tuple[str, ...]]


LINKS_DIR = "Links"  # beside the .icml files: InDesign finds missing links in a Links folder next to the document
# A placed photo is one column wide (85 mm of the magazine's 2 × 85 mm type area), in points.
PHOTO_WIDTH_PT = 241.0
PRINT_PPI = 300


@dataclass(frozen=True)
class Graphic:
    """A photo placed inline, in a paragraph of style 图片, as a linked graphic: its file under Links/."""

    link: str  # "Links/047-shili-huayuan-1.jpg"
    width: int  # pixels of the print rendition
    height: int


Block = Paragraph | Table | Graphic


def photo_links(view: RecordView) -> list[tuple[PhotoView, str]]:
    """Each photo with its Links/ file name: 047-shili-huayuan-1.jpg (the lead), -2, -3 …"""
    return [(picture, f"{LINKS_DIR}/{view.file_stem}-{number}.jpg") for number, picture in enumerate(view.images, start=1)]


def story_blocks(view: RecordView) -> list[Block]:
    """The record in reading order — the record page's order (generator.present.record)."""
    blocks: list[Block] = []

    def para(style: str, *runs: Run) -> None:
        blocks.append(Paragraph(style, list(runs)))

    if view.number:
        para("编号", ("编号字", "第 "), (None, view.number), ("编号字", " 号"))
    para("标题", (None, view.name))
    para("副标题", (None, view.headline))
    para("地点", (None, f"{view.location} · {view.series_short}"))
    photos = photo_links(view)

    def photo(picture: PhotoView, link: str) -> None:
        blocks.append(Graphic(link, picture.photo.print.width, picture.photo.print.height))
        if picture.caption_line:
            para("图注", (None, picture.caption_line))

    for picture, link in photos[:1]:  # the lead photo under the title
        photo(picture, link)
    para("小标题", (None, "概况及亮点"))
    for text in view.summary:
        para("正文", (None, text))
    if view.figures:
        para("小标题", (None, "数据"))
        blocks.append(Table(("指标", "数值", "说明"), [(f.label, f.text, f.note or "") for f in view.figures]))
    para("小标题", (None, "基本信息"))
    for fact in view.facts:
        para("信息", ("数据标签", fact.label), (None, "\t"), (None, fact.text))
    if view.mechanisms:
        para("小标题", (None, "机制做法"))
        for mechanism in view.mechanisms:
            para("正文", ("强调", mechanism.name + "："), (None, mechanism.text))
    if view.highlights:
        para("小标题", (None, "亮点"))
        for highlight in view.highlights:
            para("正文", ("强调", highlight.title + "："), (None, highlight.text))
    for picture, link in photos[1:]:
        photo(picture, link)
    if view.honours:
        para("小标题", (None, "荣誉"))
        for honour in view.honours:
            para("荣誉", (None, honour.text))
    if view.subjects:
        para("主题", ("数据标签", "主题："), (None, "、".join(view.subjects)))
    for note in view.notes:
        para("编者注", ("强调", "编者注："), (None, note))
    for source in view.sources:
        runs: list[Run] = [(None, "来源："), (None, source.citation)]
        if source.url:
            runs += [(None, " "), ("链接", source.url, source.url)]
        para("来源", *runs)
    return blocks


@dataclass
class _Story:
    """Ids for the parts of one document: tables, hyperlink sources and destinations."""

    stem: str
    links: list[tuple[str, str]] = field(default_factory=list)  # (source id, URL)
    tables: int = 0

    def link(self, url: str) -> str:
        source = f"{self.stem}_link{len(self.links) + 1}"
        self.links.append((source, url))
        return source


@cache
def _style_declarations() -> tuple:
    """The colours and style groups every story declares: built once, copied into each story."""
    holder = ET.Element("Document")
    _declare_styles(holder)
    return tuple(holder)


def _declare_styles(document) -> None:
    for name, value in COLOURS.items():
        ET.SubElement(document, "Color", Self=f"Color/{name}", Model="Process", Space="CMYK", ColorValue=value, Name=name)
    characters = ET.SubElement(document, "RootCharacterStyleGroup", Self="u_character_styles")
    ET.SubElement(characters, "CharacterStyle", Self=f"CharacterStyle/{NO_CHARACTER_STYLE}", Name=NO_CHARACTER_STYLE)
    for name, (font, weight, colour, size) in CHARACTER_STYLES.items():
        attributes = {"Self": f"CharacterStyle/{name}", "Name": name}
        if size:
            attributes["PointSize"] = _number(size)
        if weight:
            attributes["FontStyle"] = weight
        if colour:
            attributes["FillColor"] = f"Color/{colour}"
        if name == "链接":
            attributes["Underline"] = "true"
        style = ET.SubElement(characters, "CharacterStyle", attributes)
        properties = ET.SubElement(style, "Properties")
        ET.SubElement(properties, "BasedOn", type="string").text = NO_CHARACTER_STYLE
        if font:
            ET.SubElement(properties, "AppliedFont", type="string").text = font
    paragraphs = ET.SubElement(document, "RootParagraphStyleGroup", Self="u_paragraph_styles")
    ET.SubElement(paragraphs, "ParagraphStyle", Self=f"ParagraphStyle/{NO_PARAGRAPH_STYLE}", Name=NO_PARAGRAPH_STYLE)
    ET.SubElement(paragraphs, "ParagraphStyle", Self=f"ParagraphStyle/{NORMAL_PARAGRAPH_STYLE}", Name=NORMAL_PARAGRAPH_STYLE)
    for spec in PARAGRAPH_STYLES:
        attributes = {
            "Self": f"ParagraphStyle/{spec.name}",
            "Name": spec.name,
            "FontStyle": spec.weight,
            "PointSize": _number(spec.size),
            "Justification": spec.justification,
            "FirstLineIndent": _number(spec.first_line_indent),
            "SpaceBefore": _number(spec.space_before),
            "SpaceAfter": _number(spec.space_after),
            "KeepWithNext": str(spec.keep_with_next),
            "Composer": CJK_COMPOSER,
            "KinsokuType": "KinsokuPushInFirst",
            "KinsokuHangType": "None",
            "BunriKinshi": "true",
            "Hyphenation": "false",
        }
        if spec.colour:
            attributes["FillColor"] = f"Color/{spec.colour}"
        style = ET.SubElement(paragraphs, "ParagraphStyle", attributes)
        properties = ET.SubElement(style, "Properties")
        if spec.based_on:
            ET.SubElement(properties, "BasedOn", type="object").text = f"ParagraphStyle/{spec.based_on}"
        else:
            ET.SubElement(properties, "BasedOn", type="object").text = f"ParagraphStyle/{NORMAL_PARAGRAPH_STYLE}"
        ET.SubElement(properties, "Leading", type="unit").text = _number(spec.leading)
        ET.SubElement(properties, "AppliedFont", type="string").text = spec.font
        ET.SubElement(properties, "Mojikumi", type="enumeration").text = MOJIKUMI_SET
        ET.SubElement(properties, "KinsokuSet", type="enumeration").text = KINSOKU_SET
    cells = ET.SubElement(document, "RootCellStyleGroup", Self="u_cell_styles")
    ET.SubElement(cells, "CellStyle", Self="CellStyle/$ID/[None]", AppliedParagraphStyle=f"ParagraphStyle/{NO_PARAGRAPH_STYLE}", Name="$ID/[None]")
    tables = ET.SubElement(document, "RootTableStyleGroup", Self="u_table_styles")
    ET.SubElement(tables, "TableStyle", Self="TableStyle/$ID/[No table style]", Name="$ID/[No table style]")
    table_style = ET.SubElement(tables, "TableStyle", Self=f"TableStyle/{TABLE_STYLE}", Name=TABLE_STYLE, SpaceBefore="4", SpaceAfter="8")
    ET.SubElement(ET.SubElement(table_style, "Properties"), "BasedOn", type="string").text = "$ID/[No table style]"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _runs(parent: ET.Element, runs: list[Run], story: _Story) -> ET.Element:
    """Character style ranges of a paragraph; returns the last, where a <Br/> ends the paragraph."""
    run = parent
    for item in runs:
        character_style, text = item[0], item[1]
        url = item[2] if len(item) > 2 else None
        run = ET.SubElement(parent, "CharacterStyleRange", AppliedCharacterStyle=f"CharacterStyle/{character_style or NO_CHARACTER_STYLE}")
        holder = run
        if url:
            holder = ET.SubElement(run, "HyperlinkTextSource", Self=story.link(url), Name=url, Hidden="false")
        ET.SubElement(holder, "Content").text = text
    return run


def _table(parent: ET.Element, table: Table, story: _Story) -> ET.Element:
    """An ICML <Table> inside a paragraph of style 数据: header row, one row per figure."""
    story.tables += 1
    table_id = f"{story.stem}_table{story.tables}"
    range_ = ET.SubElement(parent, "ParagraphStyleRange", AppliedParagraphStyle="ParagraphStyle/数据")
    run = ET.SubElement(range_, "CharacterStyleRange", AppliedCharacterStyle=f"CharacterStyle/{NO_CHARACTER_STYLE}")
    columns = len(table.header)
    element = ET.SubElement(
        run,
        "Table",
        Self=table_id,
        HeaderRowCount="1",
        FooterRowCount="0",
        BodyRowCount=str(len(table.rows)),
        ColumnCount=str(columns),
        AppliedTableStyle=f"TableStyle/{TABLE_STYLE}",
        TableDirection="LeftToRightDirection",
    )
    for row in range(len(table.rows) + 1):
        ET.SubElement(element, "Row", Self=f"{table_id}Row{row}", Name=str(row), SingleRowHeight=str(BODY_LEADING))
    for column, width in zip(range(columns), (60, 70, 90)):
        ET.SubElement(element, "Column", Self=f"{table_id}Column{column}", Name=str(column), SingleColumnWidth=str(width))
    for row, values in enumerate([table.header, *table.rows]):
        for column, text in enumerate(values):
            cell = ET.SubElement(
                element, "Cell", Self=f"{table_id}i{column}i{row}", Name=f"{column}:{row}", RowSpan="1", ColumnSpan="1",
                AppliedCellStyle="CellStyle/$ID/[None]",
            )
            style = "数据标签" if row == 0 or column == 0 else "数据数值" if column == 1 else None
            paragraph = ET.SubElement(cell, "ParagraphStyleRange", AppliedParagraphStyle="ParagraphStyle/数据")
            _runs(paragraph, [(style, text)], story)
    return run


def story_document(view: RecordView) -> str:
    """A complete ICML document holding one story."""
    document = ET.Element("Document", DOMVersion="8.0", Self="d")
    document.extend(copy.deepcopy(element) for element in _style_declarations())
    story_element = ET.SubElement(
        document,
        "Story",
        Self=f"story_{view.file_stem}",
        AppliedTOCStyle="n",
        TrackChanges="false",
        StoryTitle=view.title,
        AppliedNamedGrid="n",
    )
    ET.SubElement(
        story_element,
        "StoryPreference",
        OpticalMarginAlignment="false",
        OpticalMarginSize="12",
        FrameType="TextFrameType",
        StoryOrientation="Horizontal",
        StoryDirection="LeftToRightDirection",
    )
    story = _Story(view.file_stem.replace("-", "_"))
    blocks = story_blocks(view)
    for index, block in enumerate(blocks):
        if isinstance(block, Table):
            last = _table(story_element, block, story)
        elif isinstance(block, Graphic):
            range_ = ET.SubElement(story_element, "ParagraphStyleRange", AppliedParagraphStyle="ParagraphStyle/图片")
            last = ET.SubElement(range_, "CharacterStyleRange", AppliedCharacterStyle=f"CharacterStyle/{NO_CHARACTER_STYLE}")
            _place(last, block, f"{story.stem}_photo{index}")
        else:
            range_ = ET.SubElement(story_element, "ParagraphStyleRange", AppliedParagraphStyle=f"ParagraphStyle/{block.style}")
            last = _runs(range_, block.runs, story)
        # <Br/> ends a paragraph; the story's last paragraph needs none.
        if index < len(blocks) - 1:
            ET.SubElement(last, "Br")
    for number, (source, url) in enumerate(story.links, start=1):
        destination = f"{story.stem}_destination{number}"
        ET.SubElement(
            document, "HyperlinkURLDestination", Self=destination, Name=url, DestinationURL=url, Hidden="false",
            DestinationUniqueKey=str(number),
        )
        hyperlink = ET.SubElement(
            document, "Hyperlink", Self=f"{story.stem}_hyperlink{number}", Name=url, Source=source, Visible="false",
            Hidden="false", DestinationUniqueKey=str(number),
        )
        properties = ET.SubElement(hyperlink, "Properties")
        ET.SubElement(properties, "BorderColor", type="enumeration").text = "Black"
        ET.SubElement(properties, "Destination", type="object").text = destination
    ET.indent(document, space="  ")
    return _HEADER + ET.tostring(document, encoding="unicode") + "\n"


def _place(run: ET.Element, graphic: Graphic, key: str) -> None:
    """An inline rectangle holding the linked photo, one column wide, the picture scaled to fill it."""
    native_width = graphic.width * 72 / PRINT_PPI  # points, as InDesign reads a 300-ppi file
    native_height = graphic.height * 72 / PRINT_PPI
    scale = PHOTO_WIDTH_PT / native_width
    width, height = PHOTO_WIDTH_PT, native_height * scale
    rectangle = ET.SubElement(run, "Rectangle", Self=f"{key}_frame", ContentType="GraphicType", StrokeWeight="0",
                              ItemTransform=f"1 0 0 1 0 {-height:.3f}")
    geometry = ET.SubElement(ET.SubElement(ET.SubElement(rectangle, "Properties"), "PathGeometry"), "GeometryPathType", PathOpen="false")
    points = ET.SubElement(geometry, "PathPointArray")
    for x, y in ((0, 0), (0, height), (width, height), (width, 0)):
        anchor = f"{x:.3f} {y:.3f}"
        ET.SubElement(points, "PathPointType", Anchor=anchor, LeftDirection=anchor, RightDirection=anchor)
    ET.SubElement(rectangle, "AnchoredObjectSetting", AnchoredPosition="InlinePosition")
    image = ET.SubElement(rectangle, "Image", Self=f"{key}_image", ItemTransform=f"{scale:.6f} 0 0 {scale:.6f} 0 0")
    properties = ET.SubElement(image, "Properties")
    ET.SubElement(properties, "Profile", type="string").text = "$ID/None"
    ET.SubElement(properties, "GraphicBounds", Left="0", Top="0", Right=f"{native_width:.3f}", Bottom=f"{native_height:.3f}")
    ET.SubElement(image, "Link", Self=f"{key}_link", LinkResourceURI=f"file:{graphic.link}",
                  LinkResourceFormat="$ID/JPEG", StoredState="Normal", LinkClassID="35906", LinkClientID="257")


def write(catalogue: Catalogue, selected: Selected, out_dir: Path, job: ExportJob) -> list[Path]:
    """One story per record, and its photos at print resolution in Links/ (upright, without metadata)."""
    written = []
    with progress_bar(len(selected.entries), "写出 ICML", "条", enabled=job.progress) as bar:
        for entry in selected.entries:
            view = record_view(catalogue, entry)
            path = out_dir / f"{view.file_stem}.icml"
            path.write_text(story_document(view), encoding="utf-8")
            written.append(path)
            for picture, link in photo_links(view):
                assert catalogue.library is not None
                [cached] = catalogue.library.files(picture.photo, [picture.photo.print])
                target = out_dir / link
                target.parent.mkdir(exist_ok=True)
                shutil.copyfile(cached, target)
                written.append(target)
            bar.update()
    return written
