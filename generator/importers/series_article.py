"""The association's series posts: "湖 北" / "47" / "名称:标题" / "概况及亮点" / paragraphs.

Layout (seed 000 and the other provinces' posts):

    intro paragraph(s)            ← who publishes, which province
    湖 北                          ← province heading (spaces between characters)
    47                            ← entry number, alone on its line
    葛洲坝·城市花园:               ← name, then a colon; the headline follows on
    延伸党建触角 满足业主需求        the same line or the next
    概况及亮点                      ← fixed label
    paragraph …                    ← up to the next number or heading

The text must already be cleaned (`generator.text.cleaning.clean_text`), which keeps
line numbers, so every Paragraph points at the article's own line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import UserError
from generator.importers import ArticleInfo, DraftEntry, NotThisFormat, Paragraph

LABEL = "概况及亮点"
_NUMBER = re.compile(r"^\d{1,3}$")
_NAME_LINE = re.compile(r"^(?P<name>[^：:。，]{1,40})[：:]\s*(?P<headline>.*)$")
_PUBLISHER = re.compile(
    r"([\u4e00-\u9fff]{2,20}?(?:协会|学会|研究会|委员会|办公厅|厅|局|部|中心|办公室|报社|杂志社))"
    r"(?:微信|官网|官方网站|公众号|网站)"
)
_LEADING_FUNCTION_WORDS = re.compile(r"^(?:由|在|经|据|和|与|及|是)")


def province_heading(line: str) -> str | None:
    """'湖 北' → '湖北省' when the line is nothing but a province's name."""
    from generator.schema.divisions import DIVISIONS

    compact = re.sub(r"[\s\u3000]+", "", line)
    if not compact or len(compact) > 12:
        return None
    if compact in DIVISIONS.provinces:
        return compact
    return DIVISIONS.province_short_names.get(compact)


def article_info(intro: list[Paragraph]) -> ArticleInfo:
    """Publisher from "…协会微信、官网…", title from a short first line."""
    publisher = sentence = title = None
    if intro and len(intro[0].text) <= 40 and not re.search(r"[，。；]", intro[0].text):
        title = intro[0].text
    for paragraph in intro:
        match = _PUBLISHER.search(paragraph.text)
        if match:
            publisher = _LEADING_FUNCTION_WORDS.sub("", match.group(1))
            sentence = _sentence_around(paragraph.text, match.start())
            break
    return ArticleInfo(publisher=publisher, publisher_sentence=sentence, title=title)


def _sentence_around(text: str, index: int) -> str:
    start = max(text.rfind(mark, 0, index) for mark in "。！？") + 1
    ends = [text.find(mark, index) for mark in "。！？" if text.find(mark, index) != -1]
    return text[start : (min(ends) + 1 if ends else len(text))].strip()


def series_article_to_fields(text: str) -> Iterator[DraftEntry]:
    """Yield one DraftEntry per numbered entry; UserError when the layout is not this format."""
    lines = [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1)]
    lines = [(n, line) for n, line in lines if line]
    if not any(line == LABEL or province_heading(line) for _, line in lines):
        # Neither a province heading nor the entries' label: some other kind of article, not a broken series post.
        raise NotThisFormat("没有找到系列格式的省份标题（如“湖 北”）和“概况及亮点”")
    intro: list[Paragraph] = []
    entries: list[DraftEntry] = []
    province: str | None = None
    current: DraftEntry | None = None
    index = 0
    while index < len(lines):
        number, line = lines[index]
        heading = province_heading(line)
        if heading:
            province, current = heading, None
            index += 1
            continue
        if _NUMBER.match(line):
            current, index = _entry_head(lines, index, province)
            entries.append(current)
            continue
        if current is None:
            if entries:
                raise UserError(f"第 {number} 行：这段文字不属于任何编号条目（省份标题之后应先有编号行）：{line[:30]}")
            intro.append(Paragraph(number, line))
        elif line != LABEL:
            current.paragraphs.append(Paragraph(number, line))
        index += 1
    if not entries:
        raise NotThisFormat(
            "没有找到系列格式的条目。系列格式是：省份标题（如“湖 北”），然后每个条目一行编号（如 47）、"
            "一行“名称：标题”、一行“概况及亮点”和正文段落。"
        )
    info = article_info(intro)
    for entry in entries:
        entry.article = info
        yield entry


def _entry_head(lines: list[tuple[int, str]], index: int, province: str | None) -> tuple[DraftEntry, int]:
    """Read number, name and headline starting at the number line; return the entry and the next index."""
    number_line, number_text = lines[index]
    if index + 1 >= len(lines):
        raise UserError(f"第 {number_line} 行：编号 {number_text} 后面没有“名称：标题”行")
    name_line, text = lines[index + 1]
    match = _NAME_LINE.match(text)
    if not match:
        raise UserError(
            f"第 {name_line} 行：编号 {number_text} 后应是“名称：”行（如“葛洲坝·城市花园：”），实际是：{text[:30]}"
        )
    name, headline = match["name"].strip(), match["headline"].strip()
    index += 2
    if not headline:
        if index >= len(lines) or lines[index][1] == LABEL or _NUMBER.match(lines[index][1]):
            raise UserError(f"第 {name_line} 行：“{name}”的标题语缺失（应在同一行冒号后或下一行）")
        headline = lines[index][1]
        index += 1
    entry = DraftEntry(number=int(number_text), name=name, headline=headline, line=number_line, province_heading=province)
    return entry, index
