"""ICML stories: well-formed, every style used is declared, text escaped, one per record."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from export_support import fixture_catalogue, project_catalogue

from generator.catalogue import Catalogue, Entry
from generator.exporters import Selection, export
from generator.exporters.icml import CHARACTER_STYLES, PARAGRAPH_STYLES


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("icml")
    return export(fixture_catalogue(), "icml", Selection(provinces=("湖北",)), out)


def paragraphs(root: ET.Element) -> list[tuple[str, str]]:
    """(paragraph style name, text) for each paragraph of the story."""
    result = []
    for range_ in root.iter("ParagraphStyleRange"):
        style = range_.get("AppliedParagraphStyle").removeprefix("ParagraphStyle/")
        text = "".join(c.text or "" for c in range_.iter("Content"))
        result.append((style, text))
    return result


def check_story(path) -> ET.Element:
    """Parse one .icml file and check its structure; return the root."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?aid ')
    assert '<?aid SnippetType="InCopyInterchange"?>' in text
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == "Document"
    defined = {s.get("Self") for s in root.iter("ParagraphStyle")} | {s.get("Self") for s in root.iter("CharacterStyle")}
    used = {r.get("AppliedParagraphStyle") for r in root.iter("ParagraphStyleRange")}
    used |= {r.get("AppliedCharacterStyle") for r in root.iter("CharacterStyleRange")}
    assert used <= defined, used - defined
    assert len(root.findall("Story")) == 1
    # <Br/> separates paragraphs: one fewer than there are paragraphs.
    assert len(list(root.iter("Br"))) == len(list(root.iter("ParagraphStyleRange"))) - 1
    return root


def test_one_story_per_record(written):
    assert [p.name for p in written] == ["047-shili-huayuan.icml", "048-teshu-zifu.icml"]


def test_styles_are_named_for_the_magazine_template(written):
    root = check_story(written[0])
    names = {s.get("Name") for s in root.iter("ParagraphStyle")} | {s.get("Name") for s in root.iter("CharacterStyle")}
    assert set(PARAGRAPH_STYLES) | set(CHARACTER_STYLES) <= names
    assert {"编号", "标题", "副标题", "小标题", "正文", "数据"} <= set(PARAGRAPH_STYLES)
    story = paragraphs(root)
    assert story[:4] == [("编号", "47"), ("标题", "示例花园（示例）"), ("副标题", "延伸党建触角 满足业主需求"), ("小标题", "概况及亮点")]
    assert ("数据", "业主满意度\t95%以上（2022年业主评议）") in story
    assert ("正文", "“1+1+X”联席会议制度：社区大党委领导下，居委会、物业、业委会和职能部门每月召开联席会议。重点讨论解决小区重点难点问题。") in story
    runs = [(r.get("AppliedCharacterStyle"), r.findtext("Content")) for r in root.iter("CharacterStyleRange")]
    assert ("CharacterStyle/数据数值", "1439户") in runs and ("CharacterStyle/强调", "红色业委会") in runs


def test_markup_in_records_stays_text(written):
    root = check_story(written[1])
    story = paragraphs(root)
    assert ("标题", "符号<测试>&“小区”（示例）") in story
    assert ("正文", "议事会 & 协商 <会>：用来检查转义：</Content><Br/> 不应变成结构。") in story
    runs = [(r.get("AppliedCharacterStyle"), r.findtext("Content")) for r in root.iter("CharacterStyleRange")]
    assert ("CharacterStyle/强调", "议事会 & 协商 <会>") in runs
    texts = [text for _, text in story]
    assert "第二段：约定“引号”和 'single' 以及 ]]> 结束标记。" in texts
    assert root.find("Story").get("StoryTitle") == "符号<测试>&“小区”（示例）"


def test_control_characters_cannot_break_the_xml(tmp_path):
    base = fixture_catalogue()
    entry = base.by_slug("beijing-shili")
    dirty = Entry(entry.path, entry.record.model_copy(update={"summary": "垂直制表\x0b符与\x1f控制字符"}))
    (path,) = export(Catalogue(base.config, [dirty]), "icml", Selection(), tmp_path)
    assert ("正文", "垂直制表符与控制字符") in paragraphs(check_story(path))


def test_shipped_records_make_wellformed_stories(tmp_path):
    catalogue = project_catalogue()
    written = export(catalogue, "icml", Selection(), tmp_path)
    assert len(written) == len(catalogue.visible)
    for path in written:
        check_story(path)
