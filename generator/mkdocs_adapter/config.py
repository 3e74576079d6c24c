"""Options of the `showcase` MkDocs plugin (in site_config.yml under `plugins: - showcase:`)."""

from __future__ import annotations

from mkdocs.config.base import Config
from mkdocs.config.config_options import Optional, Type


class ShowcaseConfig(Config):
    # Off switch first, as in Material's plugins: with it off, MkDocs builds only content/.
    enabled = Type(bool, default=True)

    # Show draft records (marked 草稿). `showcase serve --drafts` sets this; public builds never do.
    include_drafts = Type(bool, default=False)

    # The site_config.yml to read records and vocabulary from when MkDocs runs the plugin
    # on its own (`mkdocs serve -f site_config.yml`), relative to the MkDocs config file; defaults to
    # that file itself (mkdocs.yml inherits site_config.yml and names it here).
    site_config = Optional(Type(str))

    # Where a hand-written page (e.g. content/index.md) receives its generated part.
    marker = Type(str, default="<!-- showcase -->")
