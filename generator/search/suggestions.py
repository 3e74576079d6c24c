"""What a reader's query is turned into before it is searched, and what is suggested when it finds nothing.

Three tables go into the index (indexer.py writes them; assets/search.js reads them):

    t2s.json      traditional → simplified characters (OpenCC's t2s table, one character at
                  a time): the query 四公開一監督 is searched as 四公开一监督, since records are
                  in simplified script. Read before the first search (about 14 KB gzip).
    pinyin.json   syllable → characters (GB 2312 and every character of a place name in the
                  division table): read only after a query found nothing, to tell a homophone
                  slip (桥口 for 硚口, the commonest typo of a pinyin keyboard) and to read
                  English-keyboard queries (wuhan) as Chinese.
    suggest.json  the words worth suggesting — places, themes and tags, mechanism names, with
                  how many records use each — and a small English glossary of the
                  showcase's keywords: read only after a query found nothing.

The pinyin table depends only on the installed pypinyin, whose data takes seconds to
import, so it is generated once into assets/pinyin.json (`write_pinyin_table`; a test
checks it is current) rather than on every build.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from functools import lru_cache
from pathlib import Path

from generator.catalogue import Catalogue
from generator.present.places import PROVINCE_SLUGS, province_short

PINYIN_TABLE = Path(__file__).parent / "assets" / "pinyin.json"
MAX_MECHANISMS = 400  # mechanism names offered (the most used): the vocabulary stays small at 10,000 records

# English words a reader of an English-language report might type, and the Chinese the records use.
# Keys are lower case, matched as whole words or phrases of the query.
ENGLISH = {
    "property management": "物业管理", "property service": "物业服务", "property company": "物业服务企业",
    "property fee": "物业费", "property": "物业",
    "owners committee": "业委会", "owners' committee": "业委会", "homeowners association": "业委会",
    "homeowner": "业主", "owner": "业主", "owners": "业主", "resident": "居民", "residents": "居民",
    "residents committee": "居委会", "neighbourhood committee": "居委会", "neighborhood committee": "居委会",
    "community": "社区", "estate": "小区", "residential": "小区", "neighborhood": "小区", "neighbourhood": "小区",
    "party building": "党建", "party": "党建", "red property": "红色物业", "party member": "党员",
    "satisfaction": "满意度", "collection rate": "收缴率", "fee": "收费", "fees": "收费",
    "households": "户数", "household": "户数", "area": "面积",
    "garbage": "垃圾分类", "waste": "垃圾分类", "recycling": "垃圾分类", "volunteer": "志愿服务",
    "volunteers": "志愿服务", "grid": "网格化管理", "grid management": "网格化管理",
    "renovation": "老旧小区改造", "old estate": "老旧小区改造", "old residential": "老旧小区改造",
    "elevator": "加装电梯", "lift": "加装电梯", "parking": "停车管理", "car park": "停车管理",
    "charging": "充电", "electric bike": "电动车", "e-bike": "电动车", "ebike": "电动车",
    "electric vehicle": "电动车", "ev": "电动车", "elderly": "适老化服务", "aged care": "适老化服务",
    "smart property": "智慧物业", "smart": "智慧物业", "law": "法治", "rule of law": "法治",
    "transparency": "信息公开", "disclosure": "信息公开", "joint meeting": "联席会议",
    "consultation": "协商议事", "governance": "基层治理", "culture": "社区文化", "civilization": "精神文明",
    "beautiful home": "美好家园", "showcase": "美好家园",
    # Places whose pinyin a reader does not type as such.
    "inner mongolia": "内蒙古", "tibet": "西藏", "hong kong": "香港", "macau": "澳门", "macao": "澳门",
    "canton": "广东", "peking": "北京",
}
# English words that only say what kind of place a name is ("Wuhan City"): dropped before matching.
PLACE_WORDS = ("city", "province", "district", "county", "municipality", "region", "autonomous", "town", "street")


def t2s_table() -> dict[str, str]:
    """{"from": traditional characters, "to": their simplified ones}, pair by pair (Big5's range:
    the traditional characters a reader's keyboard produces)."""
    return dict(_t2s())


@lru_cache(maxsize=1)
def _t2s() -> tuple[tuple[str, str], ...]:
    import opencc

    chars = [chr(code) for code in range(0x4E00, 0xA000)]
    converted = opencc.OpenCC("t2s").convert("\n".join(chars)).split("\n")
    pairs = []
    for char, simple in zip(chars, converted):
        if simple != char and len(simple) == 1 and _in_big5(char):
            pairs.append((char, simple))
    return (("from", "".join(a for a, _ in pairs)), ("to", "".join(b for _, b in pairs)))


def _in_big5(char: str) -> bool:
    try:
        char.encode("big5")
    except UnicodeEncodeError:
        return False
    return True


def vocabulary(catalogue: Catalogue) -> dict[str, list]:
    """The words worth suggesting, with how many visible records each stands for (more first)."""
    counts: Counter[str] = Counter()
    for entry in catalogue.visible:
        record = entry.record
        location = record.location
        words: set[str] = set()
        for place in (location.province, location.city, location.district, location.area):
            if place:
                words.add(place)
                words.add(_short_place(place))
        words.update(record.themes)
        words.update(t.name for t in catalogue.themes_of(entry))
        counts.update(w for w in words if len(w) >= 2)
    mechanisms = Counter({_plain_name(name): len(use.entries) for name, use in catalogue.mechanisms.items()})
    for name, n in mechanisms.most_common(MAX_MECHANISMS):
        if len(name) >= 2:
            counts[name] += n
    english = dict(ENGLISH)
    for short, slug in PROVINCE_SLUGS.items():
        english.setdefault(slug, short)
    return {
        "words": [[word, n] for word, n in sorted(counts.items(), key=lambda item: (-item[1], item[0]))],
        "english": sorted([key, value] for key, value in english.items()),
        "placeWords": list(PLACE_WORDS),
    }


def _short_place(name: str) -> str:
    """湖北省 → 湖北, 武汉市 → 武汉, 硚口区 → 硚口 (when two characters or more remain)."""
    short = province_short(name)
    if short != name:
        return short
    for suffix in ("自治县", "自治州", "新区", "区", "县", "市", "旗", "镇", "街道"):
        if name.endswith(suffix) and len(name) - len(suffix) >= 2:
            return name[: -len(suffix)]
    return name


_QUOTES = re.compile(r"[“”\"‘’'「」《》〈〉]")


def _plain_name(name: str) -> str:
    """“四公开一监督” → 四公开一监督: a suggestion is something to type, without the quotes."""
    return _QUOTES.sub("", name).strip()


# ---- the pinyin table (generated once, committed) --------------------------------------


def pinyin_table() -> dict[str, str]:
    """Syllable (toneless, ü as v) → the characters read so, for GB 2312 and every place-name character."""
    from pypinyin.pinyin_dict import pinyin_dict

    from generator.schema.divisions import load_divisions

    gb2312 = bytes(b for high in range(0xB0, 0xF8) for low in range(0xA1, 0xFF) for b in (high, low))
    chars = dict.fromkeys(gb2312.decode("gb2312", errors="ignore"))
    for division in load_divisions().by_code.values():
        chars.update(dict.fromkeys(division.name))
    table: dict[str, list[str]] = {}
    for char in chars:
        readings = pinyin_dict.get(ord(char))
        if not readings:
            continue
        for syllable in dict.fromkeys(_toneless(r) for r in readings.split(",")):
            table.setdefault(syllable, []).append(char)
    return {syllable: "".join(found) for syllable, found in sorted(table.items())}


def _toneless(syllable: str) -> str:
    bare = "".join(c for c in unicodedata.normalize("NFD", syllable) if not unicodedata.combining(c))
    return bare.replace("ü", "v")


def pinyin_json(table: dict[str, str]) -> str:
    return json.dumps(table, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n"


def write_pinyin_table(path: Path = PINYIN_TABLE) -> None:
    """Regenerate assets/pinyin.json (after upgrading pypinyin): python -m generator.search.suggestions"""
    from generator.files import write_atomically

    write_atomically(path, pinyin_json(pinyin_table()))


if __name__ == "__main__":
    write_pinyin_table()
