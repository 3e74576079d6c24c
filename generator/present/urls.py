"""Where every page lives: one place decides the site's URL scheme.

All URLs are directory URLs relative to the site root ("records/<slug>/"),
so every record page sits at the same depth and shares one page chrome
(see generator.site.shell). Links inside rendered content are made
relative by prefixing `depth_prefix(page_url)`, so the site works under any mount path and
straight from the file system.
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache

from generator.present.places import province_slug
from generator.text.mechanism_names import mechanism_key, without_generic_word

RECORDS_DIR = "records"


def stable_id(text: str) -> str:
    """A short id that only depends on the text: anchors for mechanism names."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:8]


def mechanism_anchor(name: str) -> str:
    """A mechanism's place in the mechanism index, readable in the address bar and the same whichever
    way a record names it (generator.text.mechanism_names): “1+1+X”联席会议制度 and “1+1+X”联席会议
    → #1-1-X-联席会议 (quotes and signs become hyphens, a trailing generic word goes)."""
    return re.sub(r"[^\w]+", "-", without_generic_word(name)).strip("-_") or "m-" + stable_id(mechanism_key(name))


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


def wechat_index_url() -> str:
    return "wechat/"


def wechat_url(province: str) -> str:
    """The province's WeChat article with its copy button (generator.exporters.website)."""
    return f"wechat/{province_slug(province)}/"


def themes_url() -> str:
    return "themes/"


def theme_url(slug: str) -> str:
    return f"themes/{slug}/"


@lru_cache(maxsize=1 << 12)  # a few hundred tags, linked from every record page that has them
def tag_url(theme_slug: str, tag: str) -> str:
    """A fine tag's own list under its theme: themes/ban-shishi/电动车充电/. The tag is the segment
    as written (a browser shows it so; it is sent percent-encoded), with anything but letters and
    digits made a hyphen, so no tag can make a path of its own."""
    segment = re.sub(r"[^\w]+", "-", tag).strip("-_") or stable_id(tag)
    return f"themes/{theme_slug}/{segment}/"


def mechanisms_url(name: str | None = None) -> str:
    return "mechanisms/" + (f"#{mechanism_anchor(name)}" if name else "")


def series_index_url() -> str:
    return "series/"


def series_url(series_id: str) -> str:
    return f"series/{series_id}/"


def depth_prefix(from_url: str) -> str:
    """The path back to the site root from a page: "" for the home page, "../../" for a record."""
    depth = from_url.strip("/").count("/") + 1 if from_url.strip("/") else 0
    return "../" * depth
