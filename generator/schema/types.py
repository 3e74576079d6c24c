"""Field types shared by the record schema and the site config: declared once.

Text fields are stripped, never empty and free of invisible control
characters; numbers are strict (YAML's true is not 1); a slug is the URL-safe
identifier of a record, a series or a theme.
"""

from __future__ import annotations

import re
import unicodedata
from functools import partial
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, Strict as StrictType, StringConstraints

from generator.schema import pickling

# C0 controls other than tab and line breaks come from pasted Word or web
# text; they are invisible to the editor and make XML exports unreadable.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
# YAML's folded scalars (`>-`) turn each line break into a space, which in
# Chinese shows as a gap after the line's closing punctuation. A space after
# full-width punctuation is never intended; spaces between words (the
# headline's 延伸党建触角 满足业主需求) are, and stay.
_FOLDED_SPACE = re.compile(r"(?<=[，。；：、！？])[ \t]+")


def _tidy_text(text: str, one_line: bool = False) -> str:
    # Runs for every text of every record: the C-level isprintable(), `in` and isalnum() tests
    # skip every regular expression for nearly every text (5× faster at 10,000 records).
    if not text.isprintable():  # false for every control character and line break (and for Z* but the space)
        match = _CONTROL.search(text)
        if match:
            raise ValueError(f"含有不可见的控制字符 U+{ord(match.group()):04X}（第 {match.start() + 1} 个字符），请删除")
        if one_line and _LINE_BREAK.search(text):
            raise ValueError("不能换行（这一项只写一行）；请删掉换行，或改用空格、顿号分隔")
    if " " in text or "\t" in text:
        text = _FOLDED_SPACE.sub("", text)
    first = text[0]  # never empty: min_length ran before
    if not (first.isalnum() and first not in _BLANK_LETTERS) and not _has_visible_character(text):
        shown = "、".join(sorted({f"U+{ord(char):04X}" for char in text})[:5])
        raise ValueError(f"只有看不见的字符（{shown}），发布后显示为空白；请写上文字，不知道就删掉这一项")
    return text


# Characters that show nothing on their own: spaces and line breaks (Z*), controls, format
# characters, surrogates and unassigned code points, marks without a base (M*), and letters
# and symbols drawn blank (the Hangul fillers, the blank braille pattern). A name made only
# of these publishes a blank title.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Cn", "Mn", "Mc", "Me"})
# What breaks a line in a browser, an export or a terminal (\v and \f are refused as controls).
_LINE_BREAK = re.compile("[\n\r\x85\u2028\u2029]")


# Nearly every text that does not start with a letter ("1+1+X", 《…》) has one of these.
_SURELY_VISIBLE = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


def _has_visible_character(text: str) -> bool:
    if _SURELY_VISIBLE.search(text):
        return True
    return any(char not in _BLANK_LETTERS and unicodedata.category(char) not in _INVISIBLE_CATEGORIES for char in text)


# A partial, not a function calling _tidy_text: pydantic calls it for every one-line text of
# every record, and a partial adds no Python frame of its own.
_tidy_line = partial(_tidy_text, one_line=True)


def Line(max_length: int) -> Any:
    """One line of text (a name, a title, a place) of at most max_length characters.

    Stripped, never empty, never only invisible characters, no line breaks:
    it becomes a page title, a table cell, a file's heading.
    """
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length), AfterValidator(_tidy_line)
    ]


def Paragraphs(max_length: int) -> Any:
    """Running text (a summary, a note) of at most max_length characters; line breaks allowed."""
    return Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=max_length), AfterValidator(_tidy_text)
    ]


# Every text field has a limit that fits its purpose (generator.schema.record): a 100,000-character
# name took a browser 102 s to lay out. These two are the defaults for a field not yet sized.
Text = Paragraphs(2_000)
ShortText = Line(80)
# Numbers are strict: YAML's true/false must not pass as 1/0, and a year
# must not be 2012.5. Integers are still accepted where a float is expected.
Number = Annotated[float, StrictType(), Field(allow_inf_nan=False)]
Integer = Annotated[int, StrictType()]
# Names Windows keeps for devices, with or without an extension: a checkout with
# records/con/ or con.yml fails there (git reports "invalid path").
WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"com{digit}" for digit in range(10)), *(f"lpt{digit}" for digit in range(10))]
)


def _not_a_device_name(slug: str) -> str:
    if slug in WINDOWS_DEVICE_NAMES:
        raise ValueError(f"{slug} 是 Windows 保留的设备名，用作文件夹或文件名时在 Windows 上无法检出；请换一个，如 {slug}-1")
    return slug


# Used for folder and file names (records/<slug>/, <slug>.yml) and in URLs.
Slug = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=80), AfterValidator(_not_a_device_name)
]
HttpUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s<>\"']+$", max_length=2000)]


class Strict(BaseModel):
    """Base for every schema object: unknown keys are errors, not silently kept."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    __reduce_ex__ = pickling.reduce  # records travel pickled from the checking workers


