"""ASCII slugs from Chinese names, via pinyin.

A slug is written into the record once (by `showcase new` or the importer)
and never recomputed, so a later change in pypinyin's dictionary cannot
move a published page.
"""

from __future__ import annotations

import re

from pypinyin import Style, lazy_pinyin

from generator.files import WINDOWS_DEVICE_NAMES

MAX_LENGTH = 80


def slugify(name: str) -> str:
    """葛洲坝·城市花园 → gezhouba-chengshi-huayuan: one hyphenated run per jieba word."""
    import jieba  # loads its dictionary on first use; only slug-making commands need it

    jieba.setLogLevel(60)  # its start-up chatter is not for editors
    words: list[str] = []
    for word in jieba.lcut(name):
        syllables = lazy_pinyin(word, style=Style.NORMAL, errors=lambda chars: [chars])
        cleaned = re.sub(r"[^a-z0-9]+", "-", "".join(syllables).lower().replace("ü", "v")).strip("-")
        if cleaned:
            words.append(cleaned)
    slug = "-".join(words)
    slug = re.sub(r"-{2,}", "-", slug).strip("-")
    slug = slug[:MAX_LENGTH].rstrip("-") or "record"
    return f"{slug}-1" if slug in WINDOWS_DEVICE_NAMES else slug  # records/con/ cannot be checked out on Windows
