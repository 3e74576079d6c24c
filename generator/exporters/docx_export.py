"""Word documents for reviewers, written as WordprocessingML directly.

What a reviewer opening the file in Word (Windows or macOS) or LibreOffice
gets: the document language is Chinese (zh-CN for East Asian text, in the
styles and the settings), punctuation compression is on, every paragraph
has a named style with an outline level where it is a heading (系列 1, 省份
2, 项目 3, 小标题 4: Word's navigation pane and the table of contents read
them), each series-and-province group is a section whose header names it,
pages are numbered in the footer, records start on a new page by a page
break property (never an empty paragraph), and a multi-record document
opens with a cover and a table of contents. The records appear grouped
(generator.present.publication) and worded (generator.present.record)
exactly as on the site.

Photos: the lead photo under the record's title and the others after the
highlights, each as an inline picture sized for the page (LEAD_BOX,
PHOTO_BOX) with its alt text as the picture's description (what Word reads
aloud and shows as alt text) and caption and credit under it in the 图注
style. The file embedded is the
photo pipeline's JPEG rendition (generator.media: upright, no metadata,
1080 pixels wide, enough for a reviewer's screen and printer); a photo
used twice is embedded once.

Fonts: the styles name Noto Serif/Sans CJK SC, which the PDF proof uses
too; the font table gives Word the names to fall back on where Noto is not
installed (宋体 and 黑体 on Windows; the GB2312 charset and font family
let Word for Mac pick Songti or PingFang).

The package is built from strings rather than with python-docx: its
template carries a Japanese theme, another program's name in app.xml and
a thumbnail, and its per-paragraph style lookups by name were three
quarters of the time (1,000 records took 117 s). Here each style is
resolved once, to its id, and 1,000 records take a few seconds
(`make bench` measures it). The file is deterministic: fixed dates and
fixed ZIP entry times, so re-exporting unchanged records gives the same
bytes.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from generator.catalogue import Catalogue
from generator.exporters import ExportJob
from generator.exporters.selection import Selected
from generator.media import Photo
from generator.present.photos import PhotoView
from generator.present.publication import ProvinceGroup, SeriesGroup
from generator.present.record import RecordView, record_view
from generator.progress import Bar, progress_bar

SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"
# Font → (name Word falls back on, charset, family, PANOSE): Windows has 宋体 and 黑体;
# charset 86 (GB2312) and the family let Word for Mac choose a Chinese face of the same kind.
FONT_FALLBACKS = {SERIF: ("宋体", "86", "roman", "02020300000000000000"), SANS: ("黑体", "86", "swiss", "020B0500000000000000")}
APPLICATION = "美好家园项目展示"
FIXED_DATE = "2022-01-01T00:00:00Z"
ZIP_DATE = (2022, 1, 1, 0, 0, 0)
ACCENT = "C62828"
MUTED = "777777"
TEXT_WIDTH = 9638  # twips: A4 (11906) less 2 × 20 mm margins (1134 each)

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NAMESPACES = f'xmlns:w="{W}" xmlns:r="{R}"'
# DrawingML, for the photos (declared on the document only: nothing else holds a picture).
DRAWING_NAMESPACES = (
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture"'
)
EMU_PER_TWIP = 635
# The box a photo is fitted into (twips, width × height): the lead photo the text width by 115 mm
# (a 3:2 photo spans the text), the others 120 × 80 mm; a portrait photo leaves room on its page
# for its caption and text.
LEAD_BOX = (TEXT_WIDTH, 6520)
PHOTO_BOX = (6804, 4536)


@dataclass(frozen=True)
class Style:
    """A paragraph (or character) style: resolved to its id once; paragraphs name only the id."""

    id: str
    name: str
    font: str = SERIF
    size: float = 10.5  # pt (五号)
    bold: bool = False
    colour: str | None = None
    before: float = 0  # pt
    after: float = 0  # pt
    align: str = "left"
    first_line_chars: int = 0  # indent in characters, as Chinese body text is set
    line: int | None = None  # line spacing in 240ths of a line (360 = 1.5 lines)
    keep_next: bool = False
    outline: int | None = None  # 0 = level 1 in Word's navigation pane and the TOC
    kind: str = "paragraph"


PARAGRAPH_STYLES = (
    Style("Cover", "封面标题", SANS, 28, True, ACCENT, 120, 24, "center"),
    Style("CoverInfo", "封面信息", SANS, 14, False, None, 0, 12, "center"),
    Style("TOCHeading", "目录标题", SANS, 18, True, None, 0, 18),
    Style("TOC1", "toc 1", SANS, 12, True, None, 6, 3),
    Style("TOC2", "toc 2", SANS, 11, False, None, 3, 0),
    Style("TOC3", "toc 3", SERIF, 10.5, False, None, 0, 0),
    Style("Series", "系列标题", SANS, 22, True, ACCENT, 0, 12, keep_next=True, outline=0),
    Style("Province", "省份标题", SANS, 18, True, None, 0, 18, keep_next=True, outline=1),
    Style("RecordNumber", "编号", SANS, 28, True, ACCENT, 0, 0, keep_next=True),
    Style("RecordName", "标题", SANS, 18, True, None, 0, 4, keep_next=True, outline=2),
    Style("Headline", "副标题", SANS, 13, False, ACCENT, 0, 4, keep_next=True),
    Style("Location", "地点", SANS, 9, False, MUTED, 0, 12, keep_next=True),
    Style("SectionHeading", "小标题", SANS, 12, True, ACCENT, 12, 6, keep_next=True, outline=3),
    Style("Body", "正文", SERIF, 10.5, False, None, 0, 6, "both", 2, 360),
    Style("Figures", "数据", SANS, 10, False, None, 0, 0),
    Style("Facts", "信息", SANS, 10, False, None, 0, 0),
    Style("Honour", "荣誉", SERIF, 10.5, False, None, 0, 3),
    Style("Subjects", "主题", SANS, 9, False, MUTED, 6, 3),
    Style("Picture", "图片", SANS, 10.5, False, None, 9, 0, "center", keep_next=True),
    Style("Caption", "图注", SANS, 9, False, MUTED, 3, 9, "center"),
    Style("EditorNote", "编者注", SERIF, 9, False, MUTED, 3, 3),
    Style("Source", "来源", SERIF, 9, False, MUTED, 6, 0),
    Style("Header", "页眉", SANS, 8, False, MUTED, 0, 0),
    Style("Footer", "页脚", SANS, 9, False, MUTED, 0, 0, "center"),
)
CHARACTER_STYLES = (
    Style("Emphasis", "强调", SANS, bold=True, colour=ACCENT, kind="character"),
    Style("FigureLabel", "数据标签", SANS, colour=MUTED, kind="character"),
    Style("FigureValue", "数据数值", SANS, bold=True, colour=ACCENT, kind="character"),
    Style("Hyperlink", "超链接", colour="1F5FA8", kind="character"),
    Style("NumberWord", "编号字", SANS, size=14, kind="character"),  # 第 and 号 around the large numeral
)
STYLE_ID = {style.name: style.id for style in (*PARAGRAPH_STYLES, *CHARACTER_STYLES)}


# Each character style's run properties, made once (a run names its style by id).
_RUN_PROPERTIES = {name: f'<w:rPr><w:rStyle w:val="{id_}"/></w:rPr>' for name, id_ in STYLE_ID.items()}


def _text(text: str) -> str:
    """Escaped for element content (three replaces: faster than a translation table on Chinese text)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _run(text: str, style: str | None = None) -> str:
    """One run; tabs inside the text become <w:tab/>."""
    properties = _RUN_PROPERTIES[style] if style else ""
    body = "<w:tab/>".join(f'<w:t xml:space="preserve">{_text(piece)}</w:t>' for piece in text.split("\t"))
    return f"<w:r>{properties}{body}</w:r>"


def _paragraph(style: str, content: str, *, page_break: bool = False, section: str = "") -> str:
    breaks = "<w:pageBreakBefore/>" if page_break else ""
    return f'<w:p><w:pPr><w:pStyle w:val="{STYLE_ID[style]}"/>{breaks}{section}</w:pPr>{content}</w:p>'


@dataclass
class _Package:
    """What the document needs besides its body: hyperlink targets, header parts, TOC bookmarks."""

    links: dict[str, str] = field(default_factory=dict)  # URL → relationship id
    headers: list[str] = field(default_factory=list)  # header part XML, header{n}.xml
    media: dict[str, tuple[str, Photo]] = field(default_factory=dict)  # rendition path → (relationship id, photo)
    bookmarks: int = 0
    pictures: int = 0  # drawing object ids, unique in the document

    def medium(self, photo: Photo) -> str:
        """The relationship id of the photo's JPEG, embedded once however often it is shown."""
        key = photo.fallback.path
        if key not in self.media:
            self.media[key] = (f"rImage{len(self.media) + 1}", photo)
        return self.media[key][0]

    def link(self, url: str) -> str:
        if url not in self.links:
            self.links[url] = f"rLink{len(self.links) + 1}"
        return self.links[url]

    def header(self, text: str, magazine: str) -> str:
        self.headers.append(
            f'<w:hdr {NAMESPACES}><w:p><w:pPr><w:pStyle w:val="Header"/>'
            f'<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="4" w:color="AAAAAA"/></w:pBdr>'
            f'<w:tabs><w:tab w:val="right" w:pos="{TEXT_WIDTH}"/></w:tabs></w:pPr>'
            f"{_run(text + chr(9) + magazine)}</w:p></w:hdr>"
        )
        return f"rHeader{len(self.headers)}"

    def bookmark(self, content: str) -> tuple[str, str]:
        """Content wrapped in a TOC bookmark: (name, XML)."""
        self.bookmarks += 1
        name = f"_Toc{self.bookmarks:05d}"
        number = self.bookmarks
        return name, f'<w:bookmarkStart w:id="{number}" w:name="{name}"/>{content}<w:bookmarkEnd w:id="{number}"/>'


def _picture(package: _Package, picture: PhotoView, box: tuple[int, int]) -> list[str]:
    """A photo as an inline picture fitted into `box` (twips), its alt text the description,
    and its caption and credit under it."""
    rendition = picture.photo.fallback
    scale = min(box[0] / rendition.width, box[1] / rendition.height)
    cx, cy = (round(side * scale) * EMU_PER_TWIP for side in (rendition.width, rendition.height))
    package.pictures += 1
    number, rid = package.pictures, package.medium(picture.photo)
    name, alt = quoteattr(f"图片 {number}"), quoteattr(picture.alt)
    drawing = (
        f'<w:r><w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
        f'<wp:docPr id="{number}" name={name} descr={alt}/>'
        '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>'
        f'<pic:nvPicPr><pic:cNvPr id="{number}" name={name} descr={alt}/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>'
        "</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
    )
    out = [_paragraph("图片", drawing)]
    if picture.caption_line:
        out.append(_paragraph("图注", _run(picture.caption_line)))
    return out


def _hyperlink(package: _Package, url: str, text: str) -> str:
    return f'<w:hyperlink r:id="{package.link(url)}" w:history="1">{_run(text, "超链接")}</w:hyperlink>'


def _table(rows: list[tuple[str, ...]], widths: tuple[int, ...], header: tuple[str, ...] | None, styles: tuple[str | None, ...]) -> str:
    """A table of plain text cells; a header row repeats on each page."""
    out = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="DataTable"/><w:tblW w:w="5000" w:type="pct"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>'
    ]
    out += [f'<w:gridCol w:w="{width}"/>' for width in widths]
    out.append("</w:tblGrid>")
    all_rows = ([(header, True)] if header else []) + [(row, False) for row in rows]
    for cells, is_header in all_rows:
        out.append("<w:tr>" + ("<w:trPr><w:tblHeader/></w:trPr>" if is_header else ""))
        for index, (text, width) in enumerate(zip(cells, widths)):
            style = "数据标签" if is_header else styles[index]
            out.append(f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/></w:tcPr>{_paragraph("数据", _run(text, style) if text else "")}</w:tc>')
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def record_body(view: RecordView, package: _Package, toc: list[tuple[int, str, str]], *, new_page: bool) -> list[str]:
    """One record, in the record page's order (generator.present.record)."""
    out: list[str] = []
    if view.number:
        # 第 47 号 as the site words it, the numeral large
        out.append(_paragraph("编号", _run("第 ", "编号字") + _run(view.number) + _run(" 号", "编号字"), page_break=new_page))
        new_page = False
    name, content = package.bookmark(_run(view.name))
    toc.append((3, view.title, name))
    out.append(_paragraph("标题", content, page_break=new_page))
    out.append(_paragraph("副标题", _run(view.headline)))
    out.append(_paragraph("地点", _run(f"{view.location} · {view.series_title}")))
    for picture in view.images[:1]:  # the lead photo under the title, as on the record page
        out += _picture(package, picture, LEAD_BOX)
    out.append(_paragraph("小标题", _run("概况及亮点")))
    out += [_paragraph("正文", _run(text)) for text in view.summary]
    if view.figures:
        out.append(_paragraph("小标题", _run("数据")))
        rows = [(f.label, f.text, f.note or "") for f in view.figures]
        out.append(_table(rows, (2400, 3000, TEXT_WIDTH - 5400), ("指标", "数值", "说明"), ("数据标签", "数据数值", None)))
    out.append(_paragraph("小标题", _run("基本信息")))
    out.append(_table([(f.label, f.text) for f in view.facts], (2400, TEXT_WIDTH - 2400), None, ("数据标签", None)))
    if view.mechanisms:
        out.append(_paragraph("小标题", _run("机制做法")))
        out += [_paragraph("正文", _run(m.name + "：", "强调") + _run(m.text)) for m in view.mechanisms]
    if view.highlights:
        out.append(_paragraph("小标题", _run("亮点")))
        out += [_paragraph("正文", _run(h.title + "：", "强调") + _run(h.text)) for h in view.highlights]
    for picture in view.images[1:]:
        out += _picture(package, picture, PHOTO_BOX)
    if view.honours:
        out.append(_paragraph("小标题", _run("荣誉")))
        out += [_paragraph("荣誉", _run(honour.text)) for honour in view.honours]
    if view.subjects:
        out.append(_paragraph("主题", _run("主题：", "数据标签") + _run("、".join(view.subjects))))
    out += [_paragraph("编者注", _run("编者注：", "强调") + _run(note)) for note in view.notes]
    for source in view.sources:
        link = _run(" ") + _hyperlink(package, source.url, source.url) if source.url else ""
        out.append(_paragraph("来源", _run("来源：" + source.citation) + link))
    return out


def _section(header_id: str | None, *, footer: bool = False, restart: bool = False) -> str:
    """Section properties: A4, 20 mm margins; the header names the group, the footer numbers pages."""
    references = f'<w:headerReference w:type="default" r:id="{header_id}"/>' if header_id else ""
    if footer:
        references += '<w:footerReference w:type="default" r:id="rFooter"/>'
    numbering = '<w:pgNumType w:start="1"/>' if restart else ""
    return (
        f'<w:sectPr>{references}<w:type w:val="nextPage"/><w:pgSz w:w="11906" w:h="16838"/>'
        '<w:pgMar w:top="1418" w:right="1134" w:bottom="1418" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/>'
        f'{numbering}<w:cols w:space="425"/><w:docGrid w:type="lines" w:linePitch="312"/></w:sectPr>'
    )


def _end_section(paragraphs: list[str], section: str) -> None:
    """Put section properties into the last paragraph of the section (Word's own way; no empty paragraph)."""
    last = paragraphs[-1]
    position = last.index("</w:pPr>")
    paragraphs[-1] = last[:position] + section + last[position:]


def _cover(selected: Selected, magazine: str) -> list[str]:
    publication = selected.publication
    out = [
        _paragraph("封面标题", _run(magazine)),
        _paragraph("封面信息", _run(selected.label)),
        _paragraph("封面信息", _run(f"{len(selected.entries)} 个项目 · {len(publication.provinces)} 个省份")),
    ]
    for group in publication.series:
        out.append(_paragraph("封面信息", _run(f"{group.series.title}：{len(group.entries)} 个")))
    return out


def _toc(toc: list[tuple[int, str, str]]) -> list[str]:
    """A Word TOC field over the outline levels, its entries filled in (Word adds page numbers when it updates)."""
    out = [_paragraph("目录标题", _run("目录"), page_break=True)]
    begin = (
        '<w:r><w:fldChar w:fldCharType="begin" w:dirty="true"/></w:r>'
        '<w:r><w:instrText xml:space="preserve"> TOC \\o "1-3" \\h \\z \\u </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
    )
    for index, (level, text, bookmark) in enumerate(toc):
        link = f'<w:hyperlink w:anchor="{bookmark}" w:history="1">{_run(text)}</w:hyperlink>'
        out.append(_paragraph(f"toc {level}", (begin if index == 0 else "") + link))
    out.append(_paragraph("toc 3", '<w:r><w:fldChar w:fldCharType="end"/></w:r>'))
    return out


def document_xml(catalogue: Catalogue, selected: Selected, package: _Package, magazine: str, bar: Bar | None = None) -> str:
    body: list[str] = []
    toc: list[tuple[int, str, str]] = []
    multi = len(selected.entries) > 1
    sections = list(selected.publication.sections())
    previous_series: SeriesGroup | None = None
    for index, (series_group, province_group) in enumerate(sections):
        group: list[str] = []
        if series_group is not previous_series:
            name, content = package.bookmark(_run(series_group.series.title))
            toc.append((1, series_group.series.title, name))
            group.append(_paragraph("系列标题", content))
            previous_series = series_group
        name, content = package.bookmark(_run(province_group.province))
        toc.append((2, province_group.province, name))
        group.append(_paragraph("省份标题", content))
        for position, entry in enumerate(province_group.entries):
            group += record_body(record_view(catalogue, entry), package, toc, new_page=position > 0)
            if bar is not None:
                bar.update()
        header = package.header(_header_text(series_group, province_group), magazine)
        if index < len(sections) - 1:
            _end_section(group, _section(header, footer=index == 0, restart=index == 0 and multi))
        else:
            final = _section(header, footer=index == 0, restart=index == 0 and multi)
        body += group
    if multi:
        front = _cover(selected, magazine) + _toc(toc)
        _end_section(front, _section(None))
        body = front + body
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document {NAMESPACES} {DRAWING_NAMESPACES}><w:body>{"".join(body)}{final}</w:body></w:document>'


def _header_text(series_group: SeriesGroup, province_group: ProvinceGroup) -> str:
    return f"{series_group.series.short_title} · {province_group.province}"


def _style_xml(style: Style) -> str:
    run = f'<w:rFonts w:ascii="{style.font}" w:hAnsi="{style.font}" w:eastAsia="{style.font}" w:cs="{style.font}"/>'
    if style.bold:
        run += "<w:b/><w:bCs/>"
    if style.colour:
        run += f'<w:color w:val="{style.colour}"/>'
    if style.kind == "character":
        if style.id == "Hyperlink":
            run += '<w:u w:val="single"/>'
        if style.size != Style.size:
            run += f'<w:sz w:val="{int(style.size * 2)}"/><w:szCs w:val="{int(style.size * 2)}"/>'
        return f'<w:style w:type="character" w:styleId="{style.id}"><w:name w:val="{style.name}"/><w:uiPriority w:val="1"/><w:qFormat/><w:rPr>{run}</w:rPr></w:style>'
    half_points = int(style.size * 2)
    run += f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/>'
    paragraph = "<w:keepNext/>" if style.keep_next else ""
    line = f' w:line="{style.line}" w:lineRule="auto"' if style.line else ""
    paragraph += f'<w:spacing w:before="{int(style.before * 20)}" w:after="{int(style.after * 20)}"{line}/>'
    if style.first_line_chars:
        paragraph += f'<w:ind w:firstLineChars="{style.first_line_chars * 100}" w:firstLine="{int(style.first_line_chars * style.size * 20)}"/>'
    paragraph += f'<w:jc w:val="{style.align}"/>'
    if style.outline is not None:
        paragraph += f'<w:outlineLvl w:val="{style.outline}"/>'
    return (
        f'<w:style w:type="paragraph" w:customStyle="1" w:styleId="{style.id}"><w:name w:val="{style.name}"/>'
        f'<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>{paragraph}</w:pPr><w:rPr>{run}</w:rPr></w:style>'
    )


def styles_xml() -> str:
    defaults = (
        f'<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="{SERIF}" w:hAnsi="{SERIF}" w:eastAsia="{SERIF}" w:cs="{SERIF}"/>'
        '<w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault>'
        '<w:pPrDefault><w:pPr><w:widowControl/><w:kinsoku/><w:overflowPunct/><w:autoSpaceDE/><w:autoSpaceDN/>'
        '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>'
    )
    normal = '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    default_run = '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>'
    table = (
        '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/>'
        '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/>'
        '<w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
        '<w:style w:type="table" w:customStyle="1" w:styleId="DataTable"><w:name w:val="数据表"/><w:basedOn w:val="TableNormal"/>'
        '<w:tblPr><w:tblBorders><w:top w:val="single" w:sz="8" w:space="0" w:color="C62828"/>'
        '<w:bottom w:val="single" w:sz="8" w:space="0" w:color="C62828"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="DDDDDD"/></w:tblBorders>'
        '<w:tblCellMar><w:top w:w="57" w:type="dxa"/><w:bottom w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>'
    )
    styles = "".join(_style_xml(style) for style in (*PARAGRAPH_STYLES, *CHARACTER_STYLES))
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:styles {NAMESPACES}>{defaults}{normal}{default_run}{table}{styles}</w:styles>'


def settings_xml() -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:settings {NAMESPACES}>'
        '<w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>'
        '<w:characterSpacingControl w:val="compressPunctuation"/>'
        '<w:compat><w:spaceForUL/><w:balanceSingleByteDoubleByteWidth/><w:doNotLeaveBackslashAlone/><w:ulTrailSpace/>'
        '<w:doNotExpandShiftReturn/><w:adjustLineHeightInTable/><w:useFELayout/>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>'
        '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>'
    )


def font_table_xml() -> str:
    fonts = []
    for font, (alternative, charset, family, panose) in FONT_FALLBACKS.items():
        fonts.append(
            f'<w:font w:name="{font}"><w:altName w:val="{alternative}"/><w:panose1 w:val="{panose}"/>'
            f'<w:charset w:val="{charset}"/><w:family w:val="{family}"/><w:pitch w:val="variable"/></w:font>'
        )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts {NAMESPACES}>{"".join(fonts)}</w:fonts>'


def footer_xml() -> str:
    page = (
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r><w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:ftr {NAMESPACES}><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>{_run("— ")}{page}{_run(" —")}</w:p></w:ftr>'


def core_xml(title: str) -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<cp:coreProperties '
        'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" '
        'xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>{APPLICATION}</dc:creator><cp:lastModifiedBy>{APPLICATION}</cp:lastModifiedBy>"
        f'<dc:language>zh-CN</dc:language><cp:revision>1</cp:revision><dcterms:created xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{FIXED_DATE}</dcterms:modified></cp:coreProperties>'
    )


def app_xml() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Properties '
        'xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
        'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
        f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
        "<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged></Properties>"
    )


_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml"


def package_parts(
    catalogue: Catalogue, selected: Selected, magazine: str = "《中国物业管理》审校稿", bar: Bar | None = None
) -> tuple[dict[str, str], dict[str, Photo]]:
    """Every XML part of the .docx by its name in the ZIP, and the photos whose JPEGs go in word/media/."""
    package = _Package()
    document = document_xml(catalogue, selected, package, magazine, bar)
    relationships = [
        ("rStyles", "styles", "styles.xml"),
        ("rSettings", "settings", "settings.xml"),
        ("rFonts", "fontTable", "fontTable.xml"),
        ("rFooter", "footer", "footer1.xml"),
    ]
    relationships += [(f"rHeader{n}", "header", f"header{n}.xml") for n in range(1, len(package.headers) + 1)]
    rels = [
        f'<Relationship Id="{rid}" Type="{R}/{kind}" Target="{target}"/>' for rid, kind, target in relationships
    ] + [
        f'<Relationship Id="{rid}" Type="{R}/hyperlink" Target={quoteattr(url)} TargetMode="External"/>' for url, rid in package.links.items()
    ]
    media = {f"word/media/image{rid.removeprefix('rImage')}.jpg": photo for rid, photo in package.media.values()}
    rels += [f'<Relationship Id="{rid}" Type="{R}/image" Target="media/image{rid.removeprefix("rImage")}.jpg"/>' for rid, _ in package.media.values()]
    overrides = [
        ("/word/document.xml", f"{_MAIN}.document.main+xml"),
        ("/word/styles.xml", f"{_MAIN}.styles+xml"),
        ("/word/settings.xml", f"{_MAIN}.settings+xml"),
        ("/word/fontTable.xml", f"{_MAIN}.fontTable+xml"),
        ("/word/footer1.xml", f"{_MAIN}.footer+xml"),
        *[(f"/word/header{n}.xml", f"{_MAIN}.header+xml") for n in range(1, len(package.headers) + 1)],
        ("/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml"),
        ("/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml"),
    ]
    xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    package_rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    parts = {
        "[Content_Types].xml": xml
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        + '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        + '<Default Extension="xml" ContentType="application/xml"/>'
        + ('<Default Extension="jpg" ContentType="image/jpeg"/>' if media else "")
        + "".join(f'<Override PartName="{name}" ContentType="{kind}"/>' for name, kind in overrides)
        + "</Types>",
        "_rels/.rels": xml
        + f'<Relationships xmlns="{package_rels}">'
        + f'<Relationship Id="rDocument" Type="{R}/officeDocument" Target="word/document.xml"/>'
        + f'<Relationship Id="rCore" Type="{package_rels}/metadata/core-properties" Target="docProps/core.xml"/>'
        + f'<Relationship Id="rApp" Type="{R}/extended-properties" Target="docProps/app.xml"/>'
        + "</Relationships>",
        "docProps/core.xml": core_xml(f"{selected.label} · 审校稿"),
        "docProps/app.xml": app_xml(),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": xml + f'<Relationships xmlns="{package_rels}">' + "".join(rels) + "</Relationships>",
        "word/styles.xml": styles_xml(),
        "word/settings.xml": settings_xml(),
        "word/fontTable.xml": font_table_xml(),
        "word/footer1.xml": footer_xml(),
    }
    for number, header in enumerate(package.headers, start=1):
        parts[f"word/header{number}.xml"] = xml + header
    return parts, media


def write_docx(catalogue: Catalogue, selected: Selected, path: Path, bar: Bar | None = None) -> None:
    """The .docx at `path`, with fixed ZIP entry times (same records, same bytes). The photos are
    copied from the photo cache into the ZIP one at a time (stored: a JPEG does not deflate), never
    all held in memory."""
    parts, media = package_parts(catalogue, selected, bar=bar)
    # Deflate level 1: a third of level 6's time on the XML, for a file a little larger (1,000 records).
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(_entry(name, zipfile.ZIP_DEFLATED), text.encode("utf-8"), compresslevel=1)
        for name, photo in media.items():
            assert catalogue.library is not None  # a catalogue with photos has their library
            [cached] = catalogue.library.files(photo, [photo.fallback])
            with open(cached, "rb") as source, archive.open(_entry(name, zipfile.ZIP_STORED), "w") as target:
                shutil.copyfileobj(source, target)


def _entry(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def write(catalogue: Catalogue, selected: Selected, out_dir: Path, job: ExportJob) -> list[Path]:
    path = out_dir / f"proof-{selected.slug}.docx"
    with progress_bar(len(selected.entries), "写出 DOCX", "条", enabled=job.progress) as bar:
        write_docx(catalogue, selected, path, bar)
    return [path]
