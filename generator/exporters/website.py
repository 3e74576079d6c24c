"""What the website shows of the channels: the WeChat articles, the data downloads and their page.

`wechat_pages` gives one page per province (and `wechat_index` the list of them) — the article exactly as the
WeChat export writes it, with a button that copies it to the clipboard —
`data_page` the page that lists the downloads and documents every CSV
column and the JSON shape (from the same column table the files are
written from), and `site_files` the open-data downloads and the button's
script. All are
engine-neutral (Pages and site-relative paths); the conductor
(generator.build.pipeline) adds them to the site, so the site shows exactly
what the exports contain.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from generator.catalogue import Catalogue
from generator.present import urls
from generator.present.pages import Page
from generator.present.places import province_short
from generator.exporters.csv_export import FILE_NAME as CSV_NAME
from generator.exporters.csv_export import KEYS_FILE_NAME as CSV_KEYS_NAME
from generator.exporters.csv_export import csv_tables
from generator.exporters.json_export import FILE_NAME as JSON_NAME
from generator.exporters.json_export import SCHEMA_FILE_NAME, catalogue_bytes, catalogue_schema, dumps
from generator.exporters.open_data import catalogue_records, columns
from generator.exporters.selection import Selection, select
from generator.exporters.sheet_template import FILE_NAME as TEMPLATE_NAME
from generator.exporters.sheet_template import template_bytes
from generator.exporters.templating import asset_bytes
from generator.exporters.wechat import length_warning, render_article, site_photo

COPY_SCRIPT_PATH = "assets/javascripts/wechat-copy.js"
DATA_DIR = "data"

_PAGE = """<h1>{title}</h1>
<div class="showcase-wechat" data-wechat-copy>
<p class="showcase-wechat__actions"><button type="button" class="md-button md-button--primary" data-wechat-copy-button>复制到公众号</button> <span class="showcase-wechat__status" data-wechat-copy-status role="status" aria-live="polite"></span></p>
<p class="showcase-wechat__hint">点击按钮后，到公众号编辑器中粘贴即可；文章只用行内样式，粘贴后格式不变。外部链接已改为文末编号注释（公众号文章的链接保留）。</p>
{warning}<div class="showcase-wechat__article" data-wechat-article>
{article}
</div>
</div>
"""


def wechat_pages(catalogue: Catalogue, provinces: list[str] | None = None, site_url: str = "") -> list[Page]:
    """One page per province (or per one of `provinces`): the WeChat article with a “复制到公众号” button.

    The article's photos are the site's published JPEGs by their absolute URL
    (`site_url` + media/…): pasted into the WeChat editor, the article still
    loads them. Without a site_url they are linked from the page's folder.
    """
    pages = []
    for province in provinces if provinces is not None else list(catalogue.by_province):
        selected = select(catalogue, Selection(provinces=(province,)))
        url = urls.wechat_url(province)
        article = render_article(catalogue, selected, site_photo(_site_base(site_url) or urls.depth_prefix(url)))
        title = f"{selected.province}地区“美好家园”· 公众号文章"
        script = f'<script src="{urls.depth_prefix(url)}{COPY_SCRIPT_PATH}" defer></script>'
        warning = length_warning(article, "本文")
        notice = Markup('<p class="showcase-wechat__warning" role="note">{}</p>\n').format(warning) if warning else ""
        content = _PAGE.format(title=escape(title), article=Markup(article), warning=notice) + script
        pages.append(Page(url=url, title=title, content=content, description="可一键复制到公众号编辑器的文章。"))
    return pages


def _site_base(site_url: str) -> str:
    return site_url if not site_url or site_url.endswith("/") else site_url + "/"


def wechat_index(catalogue: Catalogue) -> Page:
    """/wechat/: every province's article page, so the folder is a page of its own and not a 404."""
    url = urls.wechat_index_url()
    items = "".join(
        f'<li><a href="{escape(urls.wechat_url(province)[len(url):])}">{escape(province_short(province))}</a>'
        f"（{len(entries)} 个项目）</li>\n"
        for province, entries in catalogue.by_province.items()
    )
    content = (
        "<h1>公众号文章</h1>\n"
        "<p>每个省份一篇文章，打开后点“复制到公众号”，到公众号编辑器中粘贴即可。</p>\n"
        + (f'<ul class="showcase-wechat__provinces">\n{items}</ul>\n' if items else "<p>还没有可发布的项目。</p>\n")
    )
    return Page(url=url, title="公众号文章", content=content, description="各省份“美好家园”项目的公众号文章，可一键复制。")


# What site_files gives, by site-relative path (known before they are made: the build lets the page
# engine know of them while a worker still writes them, generator.build.site).
DOWNLOAD_PATHS = tuple(f"{DATA_DIR}/{name}" for name in (CSV_NAME, CSV_KEYS_NAME, JSON_NAME, SCHEMA_FILE_NAME, TEMPLATE_NAME))
SITE_FILE_PATHS = (*DOWNLOAD_PATHS, COPY_SCRIPT_PATH)


def data_downloads(catalogue: Catalogue) -> list[tuple[str, bytes]]:
    """records.csv (Chinese header), records-keys.csv (machine keys), records.json and its
    schema under data/: published records only, exactly as `showcase export` writes them;
    and the spreadsheet template editors fill in for `showcase import` (sheet_template)."""
    records = catalogue_records(catalogue)
    labelled, keyed = csv_tables(catalogue, records, ("labels", "keys"))
    contents = (labelled, keyed, catalogue_bytes(catalogue, records), dumps(catalogue_schema()), template_bytes(catalogue.config))
    return list(zip(DOWNLOAD_PATHS, contents, strict=True))


def data_url() -> str:
    return f"{DATA_DIR}/"


def data_page(catalogue: Catalogue) -> Page:
    """The downloads and what is in them: every CSV column (key, heading, meaning) and the JSON's shape."""
    open_data = catalogue.config.open_data
    rows = "\n".join(
        f"<tr><td><code>{escape(column.key)}</code></td><td>{escape(column.label)}</td><td>{escape(column.description)}</td></tr>"
        for column in columns(catalogue.config)
    )
    licence = escape(open_data.license)
    if open_data.license_url:
        licence = Markup('<a href="{}">{}</a>').format(open_data.license_url, open_data.license)
    content = f"""<h1>开放数据</h1>
<p>全部已发布项目的数据，与网站、公众号文章和杂志稿件来自同一批记录，每次构建网站时重新生成。
发布者：{escape(open_data.publisher)}。使用条件：{licence}</p>
<ul class="sc-downloads">
<li><a href="{CSV_NAME}" download>{CSV_NAME}</a>：CSV，UTF-8 带 BOM，第一行是中文列名，Excel 可直接打开。</li>
<li><a href="{CSV_KEYS_NAME}" download>{CSV_KEYS_NAME}</a>：同一张表，第一行是下表的英文键名，供程序读取；键名发布后不再改变。</li>
<li><a href="{JSON_NAME}" download>{JSON_NAME}</a>：JSON，含使用条件（license）、来源说明（provenance）、系列和指标定义以及全部记录；结构见 <a href="{SCHEMA_FILE_NAME}">{SCHEMA_FILE_NAME}</a>（JSON Schema）。</li>
</ul>
<h2 id="csv">CSV 的列</h2>
<p>每条记录一行，第一列是记录的稳定标识 <code>id</code>。多个值（主题、机制、来源等）以“；”分隔；指标各占三列：数值、限定词、说明。</p>
<div class="sc-table-wrap"><table>
<thead><tr><th scope="col">键名</th><th scope="col">中文列名</th><th scope="col">含义</th></tr></thead>
<tbody>
{rows}
</tbody>
</table></div>
<h2 id="sheet">编辑用的表格</h2>
<p><a href="{TEMPLATE_NAME}" download>{TEMPLATE_NAME}</a>：新增项目记录用的 Excel 模板，每行一个项目，类型、省份、主题等列有下拉选项；
填好后交给网站编辑，用 <code>showcase import</code> 导入为草稿（每个问题都会指明第几行第几列）。
要修改已有的记录，可用 <code>showcase export --format sheet</code> 导出同样格式、含全部字段的表格。</p>
<h2 id="json">JSON 的结构</h2>
<p><code>records</code> 中每条记录的字段与 <code>projects/</code> 中的记录文件相同（不含审校信息）。
每个指标都是同一形状：<code>{{"value": 95, "qualifier": "以上", "note": "2022年业主评议"}}</code>；
没有限定词或说明时为 <code>null</code>。整数写作整数（1439，而不是 1439.0）。
<code>license</code> 写明使用条件，<code>provenance</code> 写明发布者和整理方法；每条记录的 <code>sources</code> 列出它的公开来源（发布机构、标题、日期、网址）。</p>
"""
    return Page(url=data_url(), title="开放数据", content=content, description="全部已发布项目的 CSV 和 JSON 数据及字段说明。")


def site_files(catalogue: Catalogue) -> dict[str, bytes | str]:
    """The data downloads and the copy button's script, by site-relative path."""
    return {**dict(data_downloads(catalogue)), COPY_SCRIPT_PATH: asset_bytes("wechat-copy.js")}
