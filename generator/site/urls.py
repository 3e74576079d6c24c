"""Where every page lives: one place decides the site's URL scheme.

All URLs are directory URLs relative to the site root ("records/<slug>/"),
so every record page sits at the same depth and shares one page chrome
(see generator.mkdocs_plugin). Links inside rendered content are made
relative by prefixing `depth_prefix(page_url)`, so the site works under any mount path and
straight from the file system.
"""

from __future__ import annotations

import hashlib

from generator.catalogue import province_short

RECORDS_DIR = "records"

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


def province_slug(province: str) -> str:
    """湖北省 → hubei. Unknown names (validation should have caught them) fall back to pinyin."""
    short = province_short(province)
    if short in PROVINCE_SLUGS:
        return PROVINCE_SLUGS[short]
    from pypinyin import lazy_pinyin

    letters = "".join(lazy_pinyin(short)).lower()
    return "".join(ch for ch in letters if ch.isalnum()) or "p" + stable_id(province)


def stable_id(text: str) -> str:
    """A short id that only depends on the text: anchors for mechanism names."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def mechanism_anchor(name: str) -> str:
    return "m-" + stable_id(name)


def home_url() -> str:
    return ""


def record_url(slug: str) -> str:
    return f"{RECORDS_DIR}/{slug}/"


def catalogue_url() -> str:
    return "catalogue/"


def provinces_url() -> str:
    return "provinces/"


def province_url(province: str) -> str:
    return f"provinces/{province_slug(province)}/"


def themes_url() -> str:
    return "themes/"


def theme_url(slug: str) -> str:
    return f"themes/{slug}/"


def mechanisms_url(name: str | None = None) -> str:
    return "mechanisms/" + (f"#{mechanism_anchor(name)}" if name else "")


def series_index_url() -> str:
    return "series/"


def series_url(series_id: str) -> str:
    return f"series/{series_id}/"


def about_url() -> str:
    return "about/"


def depth_prefix(from_url: str) -> str:
    """The path back to the site root from a page: "" for the home page, "../../" for a record."""
    depth = from_url.strip("/").count("/") + 1 if from_url.strip("/") else 0
    return "../" * depth
