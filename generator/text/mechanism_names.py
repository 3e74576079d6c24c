"""One name per mechanism: “四公开一监督” and “四公开一监督”工作机制 are the same mechanism.

Sources and editors add a generic word for the kind of thing after a
mechanism's name — 制度, 机制, 工作机制 — or leave it out. `mechanism_key`
drops it (and the differences in quotation marks and spaces), so the
catalogue's mechanism index, its anchors and "related records" treat both
spellings as one mechanism, and the importer names each mechanism one way.
"""

from __future__ import annotations

import re
from functools import lru_cache

# Trailing words that say what kind of thing a mechanism is, longest first.
GENERIC_SUFFIX = re.compile(r"(?:工作机制|工作制度|制度|机制)$")
_QUOTES = str.maketrans({'"': "", "“": "", "”": "", "「": "", "」": "", "『": "", "』": "", "‘": "", "’": "", "'": ""})


@lru_cache(maxsize=1 << 16)
def mechanism_key(name: str) -> str:
    """What identifies a mechanism: its name without quotation marks, spaces and a trailing generic word.

    “四公开一监督”工作机制, "四公开一监督" and 「四公开一监督」制度 → 四公开一监督;
    “1+1+X”联席会议制度 → 1+1+X联席会议. A name that is nothing but the generic word stays itself.
    """
    return without_generic_word(re.sub(r"\s+", "", name).translate(_QUOTES))


def without_generic_word(name: str) -> str:
    """The name without a trailing generic word (quotes kept): “1+1+X”联席会议制度 → “1+1+X”联席会议;
    a name that is nothing but the generic word stays itself."""
    stripped = GENERIC_SUFFIX.sub("", name.strip())
    return stripped if len(stripped.strip("“”\"'")) >= 2 else name.strip()


def plain_name(name: str) -> str:
    """The name as the importer writes it: a generic word right after the closing quote is left out
    (“四公开一监督”工作机制 → “四公开一监督”); one that belongs to the words (三方联动机制,
    “1+1+X”联席会议制度) stays."""
    if "”" in name:
        head, _, tail = name.rpartition("”")
        if GENERIC_SUFFIX.fullmatch(tail):
            return head + "”"
    return name
