"""Cleaning converter output: script, pinyin annotations, garbled characters, punctuation."""

from __future__ import annotations

import pytest

from generator.text.cleaning import clean_text, find_garbled, find_pinyin_annotations, line_col, to_simplified

# (converter output, cleaned text)
CLEANED = [
    ("活動(dòng)開(kāi)展", "活动开展"),
    ("加強(qiáng)物業(yè)管理", "加强物业管理"),
    ("活動（dòng）", "活动"),  # full-width parentheses
    ("開展(zhan)工作", "开展工作"),  # plain-letter pinyin after a character
    ("電梯(dian4)", "电梯"),  # tone number
    ("連續7年排名經開(漢南)區前列", "连续7年排名经开（汉南）区前列"),  # real text stays
    ("建立(1+1+X)制度", "建立（1+1+X）制度"),
    ("微信群、QQ群(QQ)", "微信群、QQ群（QQ）"),  # capitals are not pinyin
    ("建筑面积为228394.93平方米,小区", "建筑面积为228394.93平方米，小区"),
    ("满意度保持在95%以上,得到好评", "满意度保持在95%以上，得到好评"),
    ("葛洲壩·城市花園:", "葛洲坝·城市花园："),
    ("共有住户1,439户", "共有住户1,439户"),  # thousands separator stays
    ("24:00前", "24:00前"),
    ("开展\"党员进楼道\"活动", "开展“党员进楼道”活动"),
    ("业主能否接受?为了啃下", "业主能否接受？为了啃下"),  # a real question
    ("目标 : 更好 ; 更快 !", "目标：更好；更快！"),
    ("全角数字９５％", "全角数字95%"),
    ("English text, (unchanged): ok?", "English text, (unchanged): ok?"),
    ("市区拨出??钤建立", "市区拨出??钤建立"),  # garbled runs are kept verbatim
    ("实施?!稐l例", "实施?!稐l例"),
    ("第一行,\n第二行:", "第一行，\n第二行："),  # lines are kept
    # every shape of annotation conversion tools leave
    ("活動( dòng )開展", "活动开展"),  # spaces inside
    ("活動（ dòng ）開展", "活动开展"),
    ("活動 (dòng)開展", "活动开展"),  # a space before
    ("開展(kāizhǎn)工作", "开展工作"),  # several syllables, written together
    ("開展（kai1 zhan3）工作", "开展工作"),  # tone numbers, several syllables
    ("協商(xie2-shang1)", "协商"),
    ("西安(Xī'ān)", "西安"),  # capitals and apostrophes
    ("綠化(lǜ huà)和(lv4)", "绿化和"),  # ü and v
    ("活動(do\u0300ng)", "活动"),  # a combining tone mark
    ("物业服务企业(wù yè fú wù qǐ yè)", "物业服务企业"),
    ("日?(qǐng)報", "日?报"),  # next to a lost character
    ("人民日?qǐng)?bào)等", "人民日??等"),  # the opening parenthesis lost
    ("活?(dòng?開", "活??开"),  # the closing one lost
    ("楼(A1)和群(QQ)及平台(APP)", "楼（A1）和群（QQ）及平台（APP）"),
    # 著 → 着 where modern usage has 着, 著 kept in 著名, 显著 and the like
    ("張大爺皺著眉,跟著黨組織,著力打造,執著", "张大爷皱着眉，跟着党组织，着力打造，执着"),
    ("著名小區,顯著提升,原標題、著作者名,土著", "著名小区，显著提升，原标题、著作者名，土著"),
]


@pytest.mark.parametrize(("raw", "expected"), CLEANED)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw).text == expected


# (text, garbled snippets in order)
GARBLED = [
    ("拨出??钤谛^建立", ["??", "^"]),
    ("理条例》实施?!稐l例》最", ["?!", "l"]),
    ("区怡?;▓@社区", ["?;▓@"]),
    ("人民日?qǐng)?bào)等", ["?qǐng)?bào)"]),
    ("“3?5”学雷锋", ["?"]),
    ("替换字符\ufffd在此", ["\ufffd"]),
    ("私用区\ue123字", ["\ue123"]),
    ("学雷锋？文明实践", ["？"]),  # no question word: a lost character, not a question
    ("这是什么？好的", []),
    ("业主能否接受?为了", []),
    ("What? Fine.", []),
    ("推送H5月报", []),
    ("QQ群", []),
    # Look-alikes that are what they seem: a web address's query, an emoticon, emphasis.
    ("详见 https://example.org/a?b=1&c=2 。", []),
    ("网址：https://example.org/?q=美好家园。好", []),
    ("大家都很开心^^", []),
    ("好评^_^！", []),
    ("真的吗???", []),
    ("What??? Fine.", []),
    ("太好了？？？", []),
    ("???", []),
    ("小区名??。", ["??"]),  # no question: characters lost at a clause end
    ("好?^^钤", ["?^^"]),  # junk glued to an emoticon is still junk
]


@pytest.mark.parametrize(("text", "snippets"), GARBLED)
def test_find_garbled(text: str, snippets: list[str]) -> None:
    found = find_garbled(text)
    assert [g.snippet for g in found] == snippets
    for index, snippet in found:
        assert text[index : index + len(snippet)] == snippet


def test_garbled_reported_with_line_and_column_and_never_dropped() -> None:
    result = clean_text("第一行\n市区街办社区拨出??鈐在小區建立")
    assert "??鈐" not in result.text and "??钤" in result.text  # simplified, not dropped
    assert [(i.line, i.column, i.snippet) for i in result.garbled] == [(2, 9, "??")]
    assert "2:9" in result.garbled[0].format()


@pytest.mark.parametrize(
    ("text", "matches"),
    [
        ("活动(dòng)开(kāi)展", ["(dòng)", "(kāi)"]),
        ("经开(汉南)区", []),
        ("“1+4+N”(1+4+N)", []),
        ("(dòng)在行首", []),
        ("小区(xiǎo qū)", ["(xiǎo qū)"]),
        ("群(QQ)", []),
        ("含(an)", ["(an)"]),
    ],
)
def test_find_pinyin_annotations(text: str, matches: list[str]) -> None:
    found = find_pinyin_annotations(text)
    assert [m for _, _, m in found] == matches
    for start, end, match in found:
        assert text[start:end] == match


def test_to_simplified_and_line_col() -> None:
    assert to_simplified("業主委員會") == "业主委员会"
    assert to_simplified("") == ""
    assert line_col("ab\ncd", 3) == (2, 1)
    assert line_col("ab\ncd", 1) == (1, 2)


def test_counts() -> None:
    result = clean_text("活動(dòng)開(kāi)展")
    assert result.pinyin_removed == 2
    assert result.traditional_converted == 2
