"""The engine-neutral output of the site stage: pages as plain data.

A Page knows where it lives, what it is called and its finished article
HTML. Any engine can wrap these in page chrome: the MkDocs plugin injects
them into a Material site, a test can read them directly.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum


class PageKind(str, Enum):
    # Index pages: few, rendered through the engine's full page pipeline.
    index = "index"
    # Record pages: many, all at the same depth, wrapped in one shared chrome.
    record = "record"


@dataclass(frozen=True)
class Page:
    url: str  # site-root directory URL: "", "catalogue/", "records/<slug>/"
    title: str  # plain text, for <title>, the header and share previews
    content: str  # finished, escaped article HTML
    kind: PageKind = PageKind.index
    description: str = ""  # plain text, for <meta name=description> and og:description
    image: str | None = None  # site-root path of the share image, e.g. "media/3f/3f9c…-1080.jpg" (the lead photo)
    edit_url: str | None = None  # where an editor changes the source record ("edit this page")
    draft: bool = False
    wide: bool = False  # a page that needs the whole width (a wide table): no navigation sidebar

    @property
    def src_uri(self) -> str:
        """The page as a Markdown source path, e.g. "catalogue/index.md" (how MkDocs names pages)."""
        return f"{self.url}index.md"

    @property
    def output_path(self) -> str:
        """The written file, e.g. "records/<slug>/index.html"."""
        return f"{self.url}index.html"


@dataclass
class SitePages:
    """Everything the site stage produced, before anything is written.

    `records` may be lazy (generator.site.render.RecordPages): a sequence that renders a
    record's page when it is read. At 10,000 records the engine then renders
    them where it writes them — in several processes, after the shared chrome
    exists — instead of holding every page in this process first.
    """

    indexes: list[Page] = field(default_factory=list)  # index pages, in site order
    records: Sequence[Page] = ()  # one page per record
    # Other files the site serves as they are: site-root path → content (e.g. data
    # downloads or a search index from other stages). The engine copies them verbatim.
    files: dict[str, bytes | str] = field(default_factory=dict)
    # Files the build puts in after the engine has written the site (site-root paths): the engine
    # writes an empty file at each, so that links to them resolve; the build replaces it.
    placed: list[str] = field(default_factory=list)

    @property
    def pages(self) -> list[Page]:
        """Every page, records rendered (for tests and small sites)."""
        return [*self.indexes, *self.records]

    def by_url(self) -> dict[str, Page]:
        return {p.url: p for p in self.pages}
