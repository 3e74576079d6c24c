"""The website's engine-neutral core: Catalogue → pages (URL, title, HTML).

Nothing here imports MkDocs; `generator.mkdocs_plugin` adapts these pages
to MkDocs + Material, and another engine could take them as they are.
"""

from generator.site.pages import Page, PageKind, SitePages
from generator.site.render import ASSETS_DIR, SiteOptions, render_record, render_site

__all__ = ["ASSETS_DIR", "Page", "PageKind", "SiteOptions", "SitePages", "render_record", "render_site"]
