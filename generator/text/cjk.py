"""Spacing in Chinese text: line breaks from YAML and Markdown are not spaces in Chinese."""

from __future__ import annotations

import re

# Chinese characters and full-width punctuation, including curly quotes.
_CJK = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# Full-width punctuation alone: a space beside it is never wanted in Chinese typesetting.
_CJK_PUNCTUATION = "\u2018-\u201f\u2026\u3000-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65"
_CJK_LINE_GAP = re.compile(f"(?<=[{_CJK}])[ \\t]*\\n[ \\t]*(?=[{_CJK}])")  # one line break: a blank line is a paragraph
_CJK_PUNCTUATION_GAP = re.compile(
    f"(?<=[{_CJK_PUNCTUATION}])[ \\t\u3000]+(?=[{_CJK}])|(?<=[{_CJK}])[ \\t\u3000]+(?=[{_CJK_PUNCTUATION}])"
)


def join_cjk(text: str) -> str:
    """Drop the spaces that line breaks leave in Chinese text: a line break between Chinese
    characters ("治理：\\n建立" → "治理：建立"), and a space beside full-width punctuation, which is
    what YAML's folded `>-` blocks make of a line broken after a comma ("择优推荐， 经综合评定").

    A single space between two Chinese characters stays: it may be meant, as in a slogan
    (“加强物业管理 共建美好家园”) or a headline (联起来 暖起来); a folded line breaks there too
    seldom to guess.
    """
    if " " not in text and "\n" not in text and "\t" not in text and "\u3000" not in text:
        return text
    if "\n" in text:  # the line gap needs one, and its scan is slow (the search index joins 170,000 texts)
        text = _CJK_LINE_GAP.sub("", text)
    return _CJK_PUNCTUATION_GAP.sub("", text)


_PRE = re.compile(r"(<(pre|code|textarea|script|style)\b.*?</\2>)", re.DOTALL | re.IGNORECASE)
_CJK_LINE_BREAK = re.compile(f"(?<=[{_CJK}])[ \t]*\n[ \t]*(?=[{_CJK}])")


def join_cjk_lines(html: str) -> str:
    """Rendered Markdown with its soft line breaks between Chinese characters removed.

    A Markdown paragraph written over several lines keeps its line breaks in
    the HTML, and a browser shows each as a space ("择优推荐， 经综合评定").
    Only a line break with Chinese on both sides goes; preformatted text,
    code and scripts are left as they are.
    """
    parts = _PRE.split(html)
    # re.split with two groups yields: text, whole match, tag name, text, …
    out = []
    for index in range(0, len(parts), 3):
        out.append(_CJK_LINE_BREAK.sub("", parts[index]))
        if index + 1 < len(parts):
            out.append(parts[index + 1])
    return "".join(out)


_CORNER_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def curly_quotes(text: str) -> str:
    """「美好家园」→ “美好家园”, 『…』→ ‘…’: mainland print uses curly quotes, one convention per text."""
    return text.translate(_CORNER_QUOTES) if ("「" in text or "『" in text or "」" in text or "』" in text) else text
