"""Placeholders: text a command writes for the editor to replace, declared once.

`showcase new` and `showcase import` leave text the editor must replace before
publishing: an empty headline, a publisher the article did not name, source
wording to rewrite. Every such text follows one convention, 【请…】 or 【待…】
(full-width brackets around an instruction), so that one pattern finds them
all and `showcase check` can refuse them on a published record
(generator.checks.unfinished, E260), located at their line.

Records scaffolded before the convention carry the same instructions without
brackets ("请填写标题语", "待核实"); a short text that is nothing but such an
instruction counts too.
"""

from __future__ import annotations

import re


def placeholder(instruction: str) -> str:
    """'待核实' → '【待核实】': the one way commands write a placeholder."""
    return f"【{instruction}】"


# Marks source wording the importer copied into a draft (a prefix: the copied text follows).
REWRITE_MARK = placeholder("待改写")
# A value the importer could not find in the article (the publisher, for one).
TO_VERIFY = placeholder("待核实")

_MARKED = re.compile(r"【[请待][^【】\n]{0,40}】")
# The unbracketed instructions of older templates, when they are the whole (short) text.
_BARE = re.compile(r"^\s*(?:请(?:填写|用自己的话|补充|核实|改写)|待(?:核实|改写|补充|填写))[^\n]{0,30}$")


def find_placeholders(text: str) -> list[str]:
    """Every placeholder in a text, as written ('【待核实】', '请填写标题语')."""
    if "【" not in text and "请" not in text and "待" not in text:
        return []  # nearly every text: three C-level scans
    found = _MARKED.findall(text)
    if not found and _BARE.match(text):
        found = [text.strip()]
    return found


def is_rewrite_mark(marker: str) -> bool:
    return marker == REWRITE_MARK
