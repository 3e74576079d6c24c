"""Unfinished check: a published record must not carry a placeholder (E260).

`showcase new` and `showcase import` write placeholders (【请填写标题语】,
【待核实】, 【待改写】…; the convention is declared in
generator.schema.placeholders). On a draft they are expected; on a published
record each one is an error at its line, wherever it stands — headline,
summary, a source's publisher, a note. `review` is never published and is not
checked.
"""

from __future__ import annotations

from typing import Any, Iterator

from generator.errors import Problem
from generator.load.yaml_reader import Loc, SourceDocument
from generator.schema.placeholders import find_placeholders, is_rewrite_mark
from generator.schema.record import Record, Status
from generator.schema.site_config import SiteConfig


def _texts(value: Any, loc: Loc) -> Iterator[tuple[Loc, str]]:
    if isinstance(value, str):
        yield loc, value
    elif isinstance(value, dict):
        for key, item in value.items():
            if not (loc == () and key == "review"):
                yield from _texts(item, loc + (key,))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _texts(item, loc + (index,))


def _message(marker: str) -> str:
    if is_rewrite_mark(marker):
        return f"已发布的记录仍有{marker}标记：这是导入时照搬的来源原文，请用自己的话改写后删去标记"
    return f"已发布的记录仍有占位文字“{marker}”（showcase new 或 import 留下的）：请填写真实内容，不知道就删掉这一项"


# What follows 请 or 待 at the start of a placeholder (generator.schema.placeholders).
_AFTER = {"【": ("请", "待"), "请": ("填写", "用自己的话", "补充", "核实", "改写"), "待": ("核实", "改写", "补充", "填写")}


def _may_have_placeholder(text: str) -> bool:
    """False when the file's text surely holds no placeholder: one-character searches and a look
    after each 【, 请 and 待 (a regular expression with these alternatives takes ten times longer).
    A YAML escape such as \\u3010 hides a character, hence the backslash."""
    if "\\" in text:
        return True
    for char, words in _AFTER.items():
        at = text.find(char)
        while at != -1:
            if text.startswith(words, at + 1):
                return True
            at = text.find(char, at + 1)
    return False


def unfinished_problems(record: Record, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    if record.status is not Status.published:
        return []
    if doc.text and not _may_have_placeholder(doc.text):
        return []
    problems = []
    for loc, text in _texts(doc.data, ()):
        for marker in dict.fromkeys(find_placeholders(text)):
            problems.append(doc.problem(loc, "E260", _message(marker)))
    return problems
