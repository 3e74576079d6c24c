"""Pages and files the website takes from the other stages.

The search page (generator.search), the per-province WeChat articles with
their copy button and the open-data downloads (generator.exporters) are
produced by those stages' own code; this module only turns them into
SitePages entries, so the site shows exactly what the exports contain.
"""

from __future__ import annotations

from importlib import resources

from generator.catalogue import Catalogue
from generator.exporters.site import COPY_SCRIPT_PATH, data_downloads, site_assets, wechat_pages
from generator.site.pages import Page

SEARCH_URL = "search/"


def search_page() -> Page:
    body = resources.files("generator.search").joinpath("templates/search-page.html").read_text(encoding="utf-8")
    return Page(url=SEARCH_URL, title="搜索", content=body, description="按项目名称、地名、机制和关键词搜索全部项目。")


def wechat_page(path: str, content: str) -> Page:
    """A WeChat article page; its copy script sits two folders up (wechat/<province>/)."""
    url = path.removesuffix("index.md")
    title = content.split("<h1>", 1)[1].split("</h1>", 1)[0] if "<h1>" in content else "公众号文章"
    script = f'<script src="../../{COPY_SCRIPT_PATH}" defer></script>'
    return Page(url=url, title=_unescape(title), content=content + script, description="可一键复制到公众号编辑器的文章。")


def _unescape(text: str) -> str:
    from html import unescape

    return unescape(text)


def wechat_site_pages(catalogue: Catalogue) -> list[Page]:
    return [wechat_page(path, content) for path, content in wechat_pages(catalogue)]


def channel_files(catalogue: Catalogue) -> dict[str, bytes | str]:
    return {path: content for path, content in [*data_downloads(catalogue), *site_assets()]}

