"""What the website shows of the channels: the WeChat articles and the data downloads.

`wechat_pages` gives one page per province — the article exactly as the
WeChat export writes it, with a button that copies it to the clipboard —
and `site_files` the open-data downloads and the button's script. Both are
engine-neutral (Pages and site-relative paths); the conductor
(generator.build.pipeline) adds them to the site, so the site shows exactly
what the exports contain.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.catalogue import Catalogue
from generator.present import urls
from generator.present.pages import Page
from generator.exporters.csv_export import FILE_NAME as CSV_NAME
from generator.exporters.csv_export import csv_bytes
from generator.exporters.json_export import FILE_NAME as JSON_NAME
from generator.exporters.json_export import SCHEMA_FILE_NAME, catalogue_bytes, catalogue_schema, dumps
from generator.exporters.open_data import catalogue_records
from generator.exporters.selection import Selection, select
from generator.exporters.templating import asset_bytes
from generator.exporters.wechat import render_article

COPY_SCRIPT_PATH = "assets/javascripts/wechat-copy.js"
DATA_DIR = "data"

_PAGE = """<h1>{title}</h1>
<div class="showcase-wechat" data-wechat-copy>
<p class="showcase-wechat__actions"><button type="button" class="md-button md-button--primary" data-wechat-copy-button>复制到公众号</button> <span class="showcase-wechat__status" data-wechat-copy-status role="status" aria-live="polite"></span></p>
<p class="showcase-wechat__hint">点击按钮后，到公众号编辑器中粘贴即可；文章只用行内样式，粘贴后格式不变。外部链接已改为文末编号注释。</p>
<div class="showcase-wechat__article" data-wechat-article>
{article}
</div>
</div>
"""


def wechat_pages(catalogue: Catalogue, provinces: list[str] | None = None, image_base: str = "../../") -> list[Page]:
    """One page per province (or per one of `provinces`): the WeChat article with a “复制到公众号” button.

    `image_base` turns record image paths (relative to content/) into links
    that work from the page's folder, wechat/<province>/.
    """
    pages = []
    for province in provinces if provinces is not None else list(catalogue.by_province):
        selected = select(catalogue, Selection(provinces=(province,)))
        article = render_article(catalogue, selected, image_base=image_base)
        title = f"{selected.province}地区「美好家园」· 公众号文章"
        url = urls.wechat_url(province)
        script = f'<script src="{urls.depth_prefix(url)}{COPY_SCRIPT_PATH}" defer></script>'
        content = _PAGE.format(title=escape(title), article=Markup(article)) + script
        pages.append(Page(url=url, title=title, content=content, description="可一键复制到公众号编辑器的文章。"))
    return pages


def data_downloads(catalogue: Catalogue) -> list[tuple[str, bytes]]:
    """records.csv, records.json and records.schema.json under data/: published records only."""
    records = catalogue_records(catalogue)
    return [
        (f"{DATA_DIR}/{CSV_NAME}", csv_bytes(catalogue, records)),
        (f"{DATA_DIR}/{JSON_NAME}", catalogue_bytes(catalogue, records)),
        (f"{DATA_DIR}/{SCHEMA_FILE_NAME}", dumps(catalogue_schema())),
    ]


def site_files(catalogue: Catalogue) -> dict[str, bytes | str]:
    """The data downloads and the copy button's script, by site-relative path."""
    return {**dict(data_downloads(catalogue)), COPY_SCRIPT_PATH: asset_bytes("wechat-copy.js")}
