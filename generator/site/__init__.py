"""The website's engine-neutral core: Catalogue → pages (URL, title, HTML), and the page chrome they are filled into.

Nothing here imports MkDocs: `render` makes the pages, `shell` fills one
rendered page chrome per record, `sitemap` lists every URL; the MkDocs
adapter (generator.mkdocs_adapter) renders the chrome and the index pages
with Material, and another engine could take these pages as they are.
"""

from generator.site.render import ASSETS_DIR, RecordPages, SiteOptions, SiteRenderer

__all__ = ["ASSETS_DIR", "RecordPages", "SiteOptions", "SiteRenderer"]
