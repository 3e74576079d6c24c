"""The one did-you-mean: close names for a word the editor typed.

Chinese names are short, so one wrong character already halves difflib's
ratio (湖南 vs 湖北 is 0.5): the cutoff is low, and when nothing is close a
name that contains the word (or is contained in it) is offered instead
(湖北 → 湖北省).

A word in Latin letters for a Chinese vocabulary (`Hunan`, `Wuhan City`,
`qiao kou`) is compared by pinyin: each name is read without tones, with and
without its administrative suffix (湖南省 → hunansheng, hunan), and the word
without spaces, apostrophes and English suffixes (city, province …).
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache
from typing import Iterable

from generator.text.place_names import short_name

CUTOFF = 0.5
# Pinyin spellings are long: a typo changes little, a different name changes much.
ROMANIZED_CUTOFF = 0.85

_ENGLISH_SUFFIX = re.compile(r"(?:province|municipality|autonomousregion|region|city|prefecture|district|county|newarea|sheng|shi|qu|xian)$")
_LATIN = re.compile(r"^[A-Za-zÀ-ɏ' \-.·:]+$")
# English names that are not the pinyin of the name.
_ENGLISH_NAMES = {
    "shaanxi": "陕西", "innermongolia": "内蒙古", "tibet": "西藏", "hongkong": "香港", "macau": "澳门",
    "macao": "澳门", "peking": "北京", "canton": "广州",
}


def _is_latin(word: str) -> bool:
    return bool(_LATIN.match(word)) and any(c.isalpha() for c in word)


def _letters(word: str) -> str:
    """'Wuhan City' → 'wuhancity', 'Lüliang' → 'lvliang', "Xi'an" → 'xian'."""
    word = word.lower().replace("ü", "v").replace("u:", "v")
    return re.sub(r"[^a-z]", "", word)


@lru_cache(maxsize=8192)
def romanized(name: str) -> tuple[str, ...]:
    """湖南省 → ('hunansheng', 'hunan'): the name's pinyin, with and without its administrative suffix."""
    from pypinyin import Style, lazy_pinyin

    forms = [name, short_name(name)]
    return tuple(dict.fromkeys(_letters("".join(lazy_pinyin(form, style=Style.NORMAL))) for form in forms))


def romanized_matches(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    """Names whose pinyin is the Latin word (exactly, else closely); [] for a word not in Latin letters."""
    if not _is_latin(word):
        return []
    letters = _letters(word)
    wanted = {letters, _ENGLISH_SUFFIX.sub("", letters)} - {""}
    wanted |= {_letters(romanized(_ENGLISH_NAMES[w])[0]) for w in list(wanted) if w in _ENGLISH_NAMES}
    names = [name for name in dict.fromkeys(choices) if not _is_latin(name)]
    exact = [name for name in names if wanted & set(romanized(name))]
    if exact:
        return exact[:limit]
    keyed = {form: name for name in names for form in romanized(name)}
    close = difflib.get_close_matches(max(wanted, key=len), keyed, n=limit, cutoff=ROMANIZED_CUTOFF) if wanted else []
    return list(dict.fromkeys(keyed[form] for form in close))


def close_matches(word: str, choices: Iterable[str], limit: int = 3) -> list[str]:
    names = list(dict.fromkeys(choices))
    romanized_close = romanized_matches(word, names, limit)
    if romanized_close:
        return romanized_close
    close = difflib.get_close_matches(word, names, n=limit, cutoff=CUTOFF)
    if not close:
        close = [name for name in names if word and (word in name or name in word)][:limit]
    return close


def did_you_mean(word: str, choices: Iterable[str], template: str = "；你是不是想写 {}？") -> str:
    """'；你是不是想写 湖北省？' (or the template's own wording), or '' when nothing is close."""
    close = close_matches(word, choices)
    return template.format("、".join(close)) if close else ""
