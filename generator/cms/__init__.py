"""The web editor at /admin/: Decap CMS over the same YAML records, configured from the schema.

    from generator.cms import admin_pages
    files = admin_pages(catalogue_config)   # admin/index.html, admin/config.yml (Decap's bundle: generator.build.vendor)

config.py generates Decap's collection from the record schema and
site_config.yml (the vocabulary as drop-downs, Chinese labels and hints).
"""

from generator.cms.config import ADMIN_DIR, admin_pages, decap_config

__all__ = ["ADMIN_DIR", "admin_pages", "decap_config"]
