"""How a place reads: 湖北 in a list, 湖北省武汉市硚口区 on a record, hubei in a URL.

The names are the official ones the records hold (GB/T 2260); the short
province name is the association's own usage ("今天一起看看湖北地区…").
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from generator.schema import divisions
from generator.schema.divisions import DIVISIONS
from generator.schema.record import Location

__all__ = ["PROVINCE_TILES", "division_code", "location_line", "place", "place_parts", "province_short", "province_slug"]

# Fixed pinyin for the provincial-level divisions: generated pinyin would give
# 山西 and 陕西 the same slug, and a published URL must never change.
PROVINCE_SLUGS = {
    "北京": "beijing", "天津": "tianjin", "河北": "hebei", "山西": "shanxi",
    "内蒙古": "neimenggu", "辽宁": "liaoning", "吉林": "jilin", "黑龙江": "heilongjiang",
    "上海": "shanghai", "江苏": "jiangsu", "浙江": "zhejiang", "安徽": "anhui",
    "福建": "fujian", "江西": "jiangxi", "山东": "shandong", "河南": "henan",
    "湖北": "hubei", "湖南": "hunan", "广东": "guangdong", "广西": "guangxi",
    "海南": "hainan", "重庆": "chongqing", "四川": "sichuan", "贵州": "guizhou",
    "云南": "yunnan", "西藏": "xizang", "陕西": "shaanxi", "甘肃": "gansu",
    "青海": "qinghai", "宁夏": "ningxia", "新疆": "xinjiang", "台湾": "taiwan",
    "香港": "xianggang", "澳门": "aomen",
    # Not a province, but the national list gives it its own quota.
    "新疆生产建设兵团": "bingtuan",
}


# The tile-grid map of China (generator.site.overview): one equal tile per provincial-level
# division at (column, row), placed roughly where it lies, north at the top. A tile grid draws
# no boundaries, so it needs no approved standard map (审图号) as a drawn map of China would.
PROVINCE_TILES = {
    "黑龙江": (6, 0),
    "内蒙古": (3, 1), "北京": (4, 1), "辽宁": (5, 1), "吉林": (6, 1),
    "新疆": (0, 2), "甘肃": (1, 2), "宁夏": (2, 2), "山西": (3, 2), "河北": (4, 2), "天津": (5, 2),
    "青海": (1, 3), "陕西": (2, 3), "河南": (3, 3), "山东": (4, 3),
    "西藏": (0, 4), "四川": (1, 4), "重庆": (2, 4), "湖北": (3, 4), "安徽": (4, 4), "江苏": (5, 4),
    "云南": (1, 5), "贵州": (2, 5), "湖南": (3, 5), "江西": (4, 5), "浙江": (5, 5), "上海": (6, 5),
    "广西": (2, 6), "广东": (3, 6), "福建": (4, 6), "台湾": (5, 6),
    "海南": (2, 7), "澳门": (3, 7), "香港": (4, 7),
}
TILE_COLUMNS = 7
TILE_ROWS = 8


@lru_cache(maxsize=256)
def province_short(province: str) -> str:
    """湖北省 → 湖北 (generator.schema.divisions), once per name: a few dozen names asked some
    60,000 times in a 10,000-record build (cards, record pages, articles, the CSV)."""
    return divisions.province_short(province)


@lru_cache(maxsize=256)
def province_slug(province: str) -> str:
    """湖北省 → hubei. Unknown names (validation should have caught them) fall back to pinyin."""
    short = province_short(province)
    if short in PROVINCE_SLUGS:
        return PROVINCE_SLUGS[short]
    from pypinyin import lazy_pinyin

    letters = "".join(lazy_pinyin(short)).lower()
    return "".join(ch for ch in letters if ch.isalnum()) or "p" + hashlib.sha1(province.encode("utf-8")).hexdigest()[:8]


def place(location: Location) -> str:
    """湖北 · 武汉市 · 硚口区: as short as a list needs it (the province is usually the page's subject)."""
    parts = [province_short(location.province)]
    for part in (location.city, location.district):
        if part and part not in parts and part != location.province:
            parts.append(part)
    return " · ".join(parts)


def place_parts(location: Location) -> list[str]:
    """[湖北省, 武汉市, 硚口区] and a functional area if given; a municipality's city is not repeated."""
    parts = [location.province]
    for part in (location.city, location.district, location.area):
        if part and part not in parts:
            parts.append(part)
    return parts


def location_line(location: Location) -> str:
    """湖北省武汉市硚口区 (a municipality's city is not repeated: 北京市东城区)."""
    return "".join(place_parts(location))


def division_code(location: Location) -> str | None:
    """The six-digit GB/T 2260 code of the most precise division the record names: 420104 for
    湖北省武汉市硚口区, 420100 without the district, 420000 with the province alone."""
    province = DIVISIONS.provinces.get(location.province)
    if province is None:
        return None
    code = province.code
    if location.city:
        city = DIVISIONS.cities_of(location.province).get(location.city)
        if city is None:
            return code
        code = city.code
        if location.district:
            county = DIVISIONS.counties_of(location.province, location.city).get(location.district)
            if county is not None:
                code = county.code
    return code
