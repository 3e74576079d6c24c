"""ICML stories for the magazine: one InCopy story per record.

A designer places the .icml into the magazine's InDesign template (File →
Place); paragraphs and runs only *name* their styles (编号, 标题, 副标题,
小标题, 正文, 数据, 来源 and the character styles 强调, 数据标签,
数据数值), so the template's definitions of those styles take over. The
styles are declared empty here because a story must declare what it uses.

The XML is built with ElementTree, never by string concatenation, so record
text is always escaped; see present.record.clean for characters XML cannot carry.

Written here rather than taken from a library: no maintained Python package
writes ICML (InDesign's own exporters and Pandoc's Haskell writer are the
references we compared with); the tests check the output against Adobe's
ICML structure.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

from generator.catalogue import Catalogue
from generator.exporters.selection import Selected
from generator.present.record import RecordView, record_view

PARAGRAPH_STYLES = ("编号", "标题", "副标题", "小标题", "正文", "数据", "来源")
CHARACTER_STYLES = ("强调", "数据标签", "数据数值")
NO_CHARACTER_STYLE = "$ID/[No character style]"
NORMAL_PARAGRAPH_STYLE = "$ID/NormalParagraphStyle"

_HEADER = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<?aid style="50" type="snippet" readerVersion="6.0" featureSet="513" product="8.0(370)" ?>\n'
    '<?aid SnippetType="InCopyInterchange"?>\n'
)

# A paragraph is a list of runs: (character style or None, text).
Run = tuple[str | None, str]
Paragraph = tuple[str, list[Run]]


def story_paragraphs(view: RecordView) -> list[Paragraph]:
    """The record in reading order, each paragraph tagged with its style."""
    paragraphs: list[Paragraph] = []
    if view.number:
        paragraphs.append(("编号", [(None, view.number)]))
    paragraphs.append(("标题", [(None, view.name)]))
    paragraphs.append(("副标题", [(None, view.headline)]))
    paragraphs.append(("小标题", [(None, "概况及亮点")]))
    paragraphs += [("正文", [(None, text)]) for text in view.summary]
    if view.figures:
        paragraphs.append(("小标题", [(None, "数据")]))
        for figure in view.figures:
            runs: list[Run] = [("数据标签", figure.label), (None, "\t"), ("数据数值", figure.text)]
            if figure.note:
                runs.append((None, f"（{figure.note}）"))
            paragraphs.append(("数据", runs))
    if view.mechanisms:
        paragraphs.append(("小标题", [(None, "机制做法")]))
        for mechanism in view.mechanisms:
            text = mechanism.what + (mechanism.how or "")
            paragraphs.append(("正文", [("强调", mechanism.name), (None, "：" + text)]))
    if view.highlights:
        paragraphs.append(("小标题", [(None, "亮点")]))
        for highlight in view.highlights:
            paragraphs.append(("正文", [("强调", highlight.title), (None, "：" + highlight.text)]))
    paragraphs += [("正文", [(None, f"编者注：{note}")]) for note in view.notes]
    sources = "；".join(s.label + (f" {s.url}" if s.url else "") for s in view.sources)
    paragraphs.append(("来源", [(None, f"来源：{sources}")]))
    return paragraphs


def story_document(view: RecordView) -> str:
    """A complete ICML document holding one story."""
    document = ET.Element("Document", DOMVersion="8.0", Self="d")
    character_group = ET.SubElement(document, "RootCharacterStyleGroup", Self="u_character_styles")
    for name in (NO_CHARACTER_STYLE, *CHARACTER_STYLES):
        ET.SubElement(character_group, "CharacterStyle", Self=f"CharacterStyle/{name}", Name=name)
    paragraph_group = ET.SubElement(document, "RootParagraphStyleGroup", Self="u_paragraph_styles")
    for name in (NORMAL_PARAGRAPH_STYLE, *PARAGRAPH_STYLES):
        ET.SubElement(paragraph_group, "ParagraphStyle", Self=f"ParagraphStyle/{name}", Name=name)

    story = ET.SubElement(
        document,
        "Story",
        Self=f"story_{view.file_stem}",
        AppliedTOCStyle="n",
        TrackChanges="false",
        StoryTitle=view.name,
        AppliedNamedGrid="n",
    )
    ET.SubElement(
        story,
        "StoryPreference",
        OpticalMarginAlignment="false",
        OpticalMarginSize="12",
        FrameType="TextFrameType",
        StoryOrientation="Horizontal",
        StoryDirection="LeftToRightDirection",
    )
    paragraphs = story_paragraphs(view)
    for index, (style, runs) in enumerate(paragraphs):
        range_ = ET.SubElement(story, "ParagraphStyleRange", AppliedParagraphStyle=f"ParagraphStyle/{style}")
        for run_index, (character_style, text) in enumerate(runs):
            run = ET.SubElement(
                range_,
                "CharacterStyleRange",
                AppliedCharacterStyle=f"CharacterStyle/{character_style or NO_CHARACTER_STYLE}",
            )
            ET.SubElement(run, "Content").text = text
            # <Br/> ends a paragraph; the story's last paragraph needs none.
            if run_index == len(runs) - 1 and index < len(paragraphs) - 1:
                ET.SubElement(run, "Br")
    ET.indent(document, space="  ")
    return _HEADER + ET.tostring(document, encoding="unicode") + "\n"


def write(catalogue: Catalogue, selected: Selected, out_dir: Path) -> list[Path]:
    written = []
    for entry in selected.entries:
        view = record_view(catalogue, entry)
        path = out_dir / f"{view.file_stem}.icml"
        path.write_text(story_document(view), encoding="utf-8")
        written.append(path)
    return written
