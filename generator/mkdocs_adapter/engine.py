"""MkDocs + Material as the page engine the conductor drives (generator.build.pipeline).

The engine writes the index pages, the hand-written pages of content/ and
the theme's assets into the staging folder, and returns the record shell:
the page chrome rendered once, for generator.build to fill with every
record page.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path
from typing import Callable

from generator.errors import UserError
from generator.present.pages import SitePages
from generator.schema.site_config import SiteConfig
from generator.site.shell import Shell


def mkdocs_config(config: SiteConfig, site_dir: Path, *, strict: bool = False, **overrides):
    """The MkDocs configuration: site_config.yml without its `catalogue:` key."""
    from mkdocs.config import load_config

    return load_config(
        io.BytesIO(config.mkdocs_config_text().encode("utf-8")),
        config_file_path=str(config.path),
        site_dir=str(site_dir),
        strict=strict,
        **overrides,
    )


class MkDocsEngine:
    name = "mkdocs"

    def write_site(
        self, config: SiteConfig, site: SitePages, site_dir: Path, *, strict: bool, on_shell: Callable[[Shell], None] | None = None
    ) -> Shell | None:
        """Run MkDocs into `site_dir`; the record shell it rendered (None without records).

        `on_shell` is called with the shell as soon as it is rendered, while
        MkDocs goes on writing (not at all when another plugin could see the
        site folder change: generator.mkdocs_adapter.plugin). MkDocs' failures
        become one UserError with MkDocs' own messages.
        """
        from mkdocs.commands.build import build as mkdocs_build
        from mkdocs.exceptions import MkDocsException

        errors = _ErrorCollector()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(errors)
        try:
            settings = mkdocs_config(config, site_dir, strict=strict)
            plugin = settings.plugins.get("showcase")
            if plugin is None:
                raise UserError(f"{config.path}: plugins 中缺少 showcase，网站页面无从生成")
            plugin.site = site
            plugin.on_shell = on_shell
            mkdocs_build(settings)
            return plugin.shell
        except MkDocsException as exc:
            # MkDocs logs the cause and raises a generic Abort: show the cause.
            details = "\n".join(errors.messages) or str(exc)
            raise UserError(f"网站构建失败（之前的网站保持不变）：\n{details}") from None
        finally:
            logger.removeHandler(errors)


class _ErrorCollector(logging.Handler):
    """Keeps MkDocs' error and warning messages of one build for the UserError."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())
