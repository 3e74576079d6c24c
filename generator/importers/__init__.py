"""Importers: one `<source>_to_fields()` per article format, all yielding `DraftEntry`.

An importer only splits an article into entries (number, name, headline,
province heading, paragraphs with their line numbers). What is extracted from
the paragraphs — location, figures, mechanisms, themes — is format-neutral and
lives in `places`, `figures` and `mechanisms`; `generator.authoring.importing` turns the
result into draft records. A new article format therefore needs one new
function here and nothing else.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from generator.errors import UserError


@dataclass(frozen=True)
class Paragraph:
    line: int  # 1-based line in the article (cleaning keeps line numbers)
    text: str


@dataclass(frozen=True)
class ArticleInfo:
    """What the article says about itself, for the records' `sources`."""

    publisher: str | None = None
    publisher_sentence: str | None = None
    title: str | None = None


@dataclass
class DraftEntry:
    """The one draft shape every importer yields."""

    number: int | None
    name: str
    headline: str
    line: int
    province_heading: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    article: ArticleInfo = field(default_factory=ArticleInfo)
    article_format: str = "series"  # which importer made it: "news" drafts are raw material for the editor


Importer = Callable[[str], Iterator[DraftEntry]]


def importers() -> dict[str, Importer]:
    """Article format name → importer (a registry, not special cases), in the order `auto` tries them:
    an importer that does not recognise its format raises NotThisFormat, and the next one is tried."""
    from generator.importers.news_article import news_article_to_fields
    from generator.importers.series_article import series_article_to_fields

    return {"series": series_article_to_fields, "news": news_article_to_fields}


class NotThisFormat(UserError):
    """The article is not in this importer's format (another importer may read it)."""
