"""Spacing in Chinese text: line breaks from YAML and Markdown are not spaces in Chinese."""

from __future__ import annotations

import re

# Chinese characters and full-width punctuation, including curly quotes.
_CJK = "\u2018-\u201f\u2026\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
_CJK_GAP = re.compile(f"(?<=[{_CJK}])\\s+(?=[{_CJK}])")


def join_cjk(text: str) -> str:
    """Drop line-break spaces next to Chinese text: YAML's folded `>-` blocks turn each line
    break into a space, which Chinese typesetting does not have ("治理： 建立" → "治理：建立")."""
    return _CJK_GAP.sub("", text)


_CORNER_QUOTES = str.maketrans({"「": "“", "」": "”", "『": "‘", "』": "’"})


def curly_quotes(text: str) -> str:
    """「美好家园」→ “美好家园”, 『…』→ ‘…’: mainland print uses curly quotes, one convention per text."""
    return text.translate(_CORNER_QUOTES) if ("「" in text or "『" in text or "」" in text or "』" in text) else text
