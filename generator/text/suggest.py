"""The one did-you-mean: close names for a word the editor typed.

Chinese names are short, so one wrong character already halves difflib's
ratio (湖南 vs 湖北 is 0.5): the cutoff is low, and when nothing is close a
name that contains the word (or is contained in it) is offered instead
(湖北 → 湖北省).
"""

from __future__ import annotations

import difflib
from typing import Iterable

CUTOFF = 0.5


def close_matches(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    names = list(dict.fromkeys(choices))
    close = difflib.get_close_matches(word, names, n=limit, cutoff=CUTOFF)
    if not close:
        close = [name for name in names if word and (word in name or name in word)][:limit]
    return close


def did_you_mean(word: str, choices: Iterable[str], template: str = "；你是不是想写 {}？") -> str:
    """'；你是不是想写 湖北省？' (or the template's own wording), or '' when nothing is close."""
    close = close_matches(word, choices)
    return template.format("、".join(close)) if close else ""
