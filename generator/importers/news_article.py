"""News reports and other articles that are not in the series format: one draft per article.

A news report (seeds 001, 003, 004) has no numbered entries: it may tell of
one place or of several, in running paragraphs. Rather than refuse it, the
importer makes one draft of the whole article, with whatever the extractors
find — places, figures, named mechanisms, themes — and the article's
paragraphs for review; the name and headline are left as placeholders, and
the draft says it is raw material (generator.importers.draft). The editor
splits it into records with `showcase new`.

What is read here: the title (a short first line that is no sentence), the
publisher ("岳塘新闻网4月17日讯", "来源：…", "… 版权所有"), and the
paragraphs, without the website's furniture ("欢迎使用手机浏览", "分享到").
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from generator.errors import UserError
from generator.importers import ArticleInfo, DraftEntry, Paragraph

# Lines a web page adds around an article.
_FURNITURE = re.compile(
    r"欢迎使用手机浏览|版权所有|版权作品|未经授权|ICP备|下载APP|分享到|扫一扫|责任编辑|关于我们|联系我们|网站地图|用户调查|打印本页|关闭窗口"
)
_MEDIA = r"[\u4e00-\u9fff]{2,12}?(?:新闻网|融媒体中心|电视台|日报|晚报|报社|网|报|台)"
_PUBLISHERS = (
    re.compile(rf"^(?P<name>{_MEDIA})(?:\d{{1,2}}月\d{{1,2}}日)?讯"),
    re.compile(r"来源[：:]\s*(?P<name>[^\s，。；（(]{2,20})"),
    re.compile(rf"(?P<name>{_MEDIA})\s*版权所有"),
)
_SENTENCE_END = re.compile(r"[。！？；]")
# The dateline before a report's first sentence: "岳塘新闻网4月17日讯（记者：唐思雯）", "本报讯（记者 张三）".
_DATELINE = re.compile(r"^[^，。；]{0,20}?讯(?:（[^）]{0,30}）|\([^)]{0,30}\))?\s*")


def _title(lines: list[tuple[int, str]]) -> str | None:
    number, first = lines[0]
    if len(first) <= 40 and not _SENTENCE_END.search(first) and not re.search(r"\d{1,2}月\d{1,2}日讯|讯（", first):
        return first
    return None


def _publisher(lines: list[tuple[int, str]]) -> tuple[str | None, str | None]:
    for pattern in _PUBLISHERS:
        for _, line in lines:
            match = pattern.search(line)
            if match and match.group("name") not in ("本报", "本网", "本台"):
                return match.group("name"), line[:60]
    return None, None


def news_article_to_fields(text: str) -> Iterator[DraftEntry]:
    """One DraftEntry for the whole article (number None, name and headline for the editor)."""
    lines = [(n, line.strip()) for n, line in enumerate(text.split("\n"), start=1) if line.strip()]
    publisher, sentence = _publisher(lines)
    body = [(n, line) for n, line in lines if not (len(line) <= 60 and _FURNITURE.search(line))]
    if not body:
        raise UserError("文章中没有正文段落，没有可导入的内容")
    title = _title(body)
    paragraphs = [Paragraph(n, line) for n, line in body[1:]] if title and len(body) > 1 else [Paragraph(n, line) for n, line in body]
    lede = _DATELINE.sub("", paragraphs[0].text)
    if lede and lede != paragraphs[0].text:
        paragraphs[0] = Paragraph(paragraphs[0].line, lede)
    yield DraftEntry(
        number=None, name="", headline="", line=paragraphs[0].line, paragraphs=paragraphs,
        article=ArticleInfo(publisher=publisher, publisher_sentence=sentence, title=title), article_format="news",
    )
