"""What the website mounts from the exporters: WeChat pages and data downloads.

Both functions return (site-relative path, content) pairs and know nothing
about MkDocs, so the site adapter decides how to inject them (generated
files, a docs folder, another engine). The copy button needs the script
`COPY_SCRIPT_PATH` on the page, e.g. through MkDocs' `extra_javascript`;
`site_assets()` provides its bytes.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.catalogue import Catalogue
from generator.exporters.csv_export import FILE_NAME as CSV_NAME
from generator.exporters.csv_export import csv_bytes
from generator.exporters.json_export import FILE_NAME as JSON_NAME
from generator.exporters.json_export import SCHEMA_FILE_NAME, catalogue_bytes, catalogue_schema, dumps
from generator.exporters.open_data import catalogue_records
from generator.exporters.selection import Selection, province_slug, select
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


def wechat_page_path(province: str) -> str:
    return f"wechat/{province_slug(province)}/index.md"


def wechat_pages(catalogue: Catalogue, image_base: str = "../../") -> list[tuple[str, str]]:
    """One page per province: the WeChat article with a “复制到公众号” button.

    `image_base` turns record image paths (relative to content/) into links
    that work from the page's folder, wechat/<province>/.
    """
    pages = []
    for province in catalogue.by_province:
        selected = select(catalogue, Selection(provinces=(province,)))
        article = render_article(catalogue, selected, image_base=image_base)
        title = escape(f"{selected.province}地区「美好家园」· 公众号文章")
        pages.append((wechat_page_path(province), _PAGE.format(title=title, article=Markup(article))))
    return pages


def data_downloads(catalogue: Catalogue) -> list[tuple[str, bytes]]:
    """records.csv, records.json and records.schema.json under data/: published records only."""
    records = catalogue_records(catalogue)
    return [
        (f"{DATA_DIR}/{CSV_NAME}", csv_bytes(catalogue, records)),
        (f"{DATA_DIR}/{JSON_NAME}", catalogue_bytes(catalogue, records)),
        (f"{DATA_DIR}/{SCHEMA_FILE_NAME}", dumps(catalogue_schema())),
    ]


def site_assets() -> list[tuple[str, bytes]]:
    return [(COPY_SCRIPT_PATH, asset_bytes("wechat-copy.js"))]
