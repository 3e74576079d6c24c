"""ICML stories: Adobe's structure, styles declared with their properties and CJK composition,
figures as a <Table>, hyperlinks kept, text escaped, one story per record."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest
from export_support import ICML_SCHEMA as SCHEMA
from export_support import check_story, fixture_catalogue, project_catalogue
from lxml import etree

from generator.catalogue import Catalogue, Entry
from generator.exporters import Selection, export
from generator.exporters.icml import CHARACTER_STYLES, CJK_COMPOSER, KINSOKU_SET, MOJIKUMI_SET, PARAGRAPH_STYLES

@pytest.fixture(scope="module")
def written(tmp_path_factory):
    out = tmp_path_factory.mktemp("icml")
    return export(fixture_catalogue(), "icml", Selection(provinces=("湖北",)), out)


def paragraphs(root: ET.Element) -> list[tuple[str, str]]:
    """(paragraph style name, text) for each paragraph of the story (a table's cells not included)."""
    result = []
    for range_ in root.find("Story").findall("ParagraphStyleRange"):
        style = range_.get("AppliedParagraphStyle").removeprefix("ParagraphStyle/")
        text = "<table>" if range_.find(".//Table") is not None else "".join(c.text or "" for c in range_.iter("Content"))
        result.append((style, text))
    return result


def test_one_story_per_record(written):
    assert [p.name for p in written] == ["047-shili-huayuan.icml", "048-teshu-zifu.icml"]


def test_styles_declare_properties_and_chinese_composition(written):
    root = check_story(written[0])
    styles = {s.get("Name"): s for s in root.iter("ParagraphStyle")}
    for spec in PARAGRAPH_STYLES:
        style = styles[spec.name]
        assert style.get("PointSize") and style.get("FontStyle") and style.get("Composer") == CJK_COMPOSER
        properties = style.find("Properties")
        assert properties.findtext("Leading") and properties.findtext("AppliedFont")
        assert properties.findtext("Mojikumi") == MOJIKUMI_SET and properties.findtext("KinsokuSet") == KINSOKU_SET
        assert properties.find("BasedOn") is not None
    assert styles["标题"].find("Properties/BasedOn").text == "ParagraphStyle/正文"
    assert float(styles["标题"].get("PointSize")) > float(styles["小标题"].get("PointSize")) > float(styles["正文"].get("PointSize"))
    characters = {s.get("Name"): s for s in root.iter("CharacterStyle")}
    assert set(CHARACTER_STYLES) <= set(characters)
    assert characters["强调"].get("FontStyle") == "Bold"


def test_story_reads_like_the_record_page(written):
    root = check_story(written[0])
    story = paragraphs(root)
    assert story[:5] == [
        ("编号", "第 47 号"), ("标题", "示例花园（示例）"), ("副标题", "延伸党建触角 满足业主需求"),
        ("地点", "湖北省武汉市硚口区 · 全国美好家园"), ("小标题", "概况及亮点"),
    ]
    assert ("数据", "<table>") in story
    assert ("信息", "物业服务企业\t示例物业服务有限公司") in story and ("信息", "建成年份\t2008年") in story
    assert ("正文", "“1+1+X”联席会议制度：社区大党委领导下，居委会、物业、业委会和职能部门每月召开联席会议。重点讨论解决小区重点难点问题。") in story
    runs = [(r.get("AppliedCharacterStyle"), r.findtext("Content")) for r in root.iter("CharacterStyleRange")]
    assert ("CharacterStyle/强调", "红色业委会：") in runs


def test_figures_are_a_table(written):
    root = check_story(written[0])
    (table,) = root.iter("Table")
    cells = {cell.get("Name"): "".join(c.text or "" for c in cell.iter("Content")) for cell in table.iter("Cell")}
    assert [cells[f"{c}:0"] for c in range(3)] == ["指标", "数值", "说明"]
    assert [cells[f"{c}:3"] for c in range(3)] == ["业主满意度", "95%以上", "2022年业主评议"]


def test_source_urls_are_indesign_hyperlinks(written):
    root = check_story(written[0])
    (destination,) = root.iter("HyperlinkURLDestination")
    assert destination.get("DestinationURL") == "https://example.org/articles/hubei?id=47&lang=zh"
    (source,) = root.iter("HyperlinkTextSource")
    assert source.findtext("Content") == destination.get("DestinationURL")


def test_editor_notes_and_the_address_note_have_their_own_style(tmp_path):
    base = fixture_catalogue()
    entry = base.by_slug("shili-huayuan")
    location = entry.record.location.model_copy(update={"note": "来源脱字，据此更正。"})
    noted = Entry(entry.path, entry.record.model_copy(update={"notes": ["见地址说明。"], "location": location}))
    (path,) = export(Catalogue(base.config, [noted]), "icml", Selection(), tmp_path)
    story = paragraphs(check_story(path))
    assert [text for style, text in story if style == "编者注"] == ["编者注：见地址说明。", "编者注：地址：来源脱字，据此更正。"]


def test_markup_in_records_stays_text(written):
    root = check_story(written[1])
    story = paragraphs(root)
    assert ("标题", "符号<测试>&“小区”（示例）") in story
    assert ("正文", "议事会 & 协商 <会>：用来检查转义：</Content><Br/> 不应变成结构。") in story
    texts = [text for _, text in story]
    assert "第二段：约定“引号”和 'single' 以及 ]]> 结束标记。" in texts
    assert root.find("Story").get("StoryTitle") == "第 48 号 符号<测试>&“小区”（示例）"


def test_control_characters_cannot_break_the_xml(tmp_path):
    base = fixture_catalogue()
    entry = base.by_slug("beijing-shili")
    dirty = Entry(entry.path, entry.record.model_copy(update={"summary": "垂直制表\x0b符与\x1f控制字符"}))
    (path,) = export(Catalogue(base.config, [dirty]), "icml", Selection(), tmp_path)
    assert ("正文", "垂直制表符与控制字符") in paragraphs(check_story(path))


def test_shipped_records_make_valid_stories(tmp_path):
    catalogue = project_catalogue()
    written = export(catalogue, "icml", Selection(), tmp_path)
    assert len(written) == len(catalogue.visible)
    for path in written:
        check_story(path)


@pytest.mark.parametrize(
    "replacements",
    [
        [('<KinsokuSet type="enumeration">SimplifiedChineseKinsoku</KinsokuSet>', '<KinsokuSet type="enumeration">ChineseRules</KinsokuSet>')],
        [('Composer="HL Composer J"', 'Composer="Chinese Composer"')],
        [("<Row ", "<Line ")],
        [("<Content>", "<Text>"), ("</Content>", "</Text>")],
    ],
    ids=["kinsoku-set", "composer", "table-row", "content"],
)
def test_the_schema_rejects_what_indesign_would_not_read(written, replacements):
    text = written[0].read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new, 1)
    assert not SCHEMA.validate(etree.fromstring(text.encode("utf-8")))
