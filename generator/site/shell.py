"""One page chrome, many record pages.

The engine (MkDocs + Material, generator.mkdocs_adapter) renders a single "shell" page whose title, description,
share image, edit link, URL and content are unique placeholder tokens. Each
record page is then that HTML with the tokens replaced: a string join per
record instead of a Markdown and Jinja pass through the theme, which is what
keeps thousands of records fast. All record pages live at the same depth
(records/<slug>/), so the shell's relative links are right for every one.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import urljoin

from generator.present.pages import Page
from generator.site.render import ASSETS_URL, SHARE_IMAGE

SHELL_SLUG = "_shell_"  # record slugs are [a-z0-9-], so this can never clash with one
SHELL_URL = f"records/{SHELL_SLUG}/"

TOKENS = {
    "content": "SHOWCASESLOTCONTENT",
    "title": "SHOWCASESLOTTITLE",
    "description": "SHOWCASESLOTDESCRIPTION",
    "image": "SHOWCASESLOTIMAGE",
    "edit": "SHOWCASESLOTEDIT",
    "url": SHELL_URL,
}

# A relative path of plain segments (a photo's "media/3f/3f9c…-1080.jpg"): no scheme, query, fragment or "."/".."
# segment for urljoin to resolve, so joining it to the site URL only appends it to the base's folder.
_PLAIN_PATH = re.compile(r"(?:[A-Za-z0-9_-][A-Za-z0-9_.-]*/)*[A-Za-z0-9_-][A-Za-z0-9_.-]*")


@dataclass(frozen=True)
class Fill:
    """What one record puts into the shell. Everything but `content` is plain text."""

    content: str  # finished HTML
    title: str
    description: str
    image: str
    edit: str
    url: str


class Shell:
    """The rendered shell split at its tokens, ready to be filled many times."""

    def __init__(self, rendered: str, *, site_url: str = "") -> None:
        self.site_url = site_url  # share images need absolute URLs
        # The URL slot is where the page names itself absolutely (canonical link, og:url): only with a site_url.
        missing = [name for name in ("content", "title") if TOKENS[name] not in rendered]
        if missing:
            raise ValueError(f"record shell lacks placeholders: {', '.join(missing)}")
        by_token = {token: name for name, token in TOKENS.items()}
        pattern = re.compile("|".join(re.escape(t) for t in sorted(by_token, key=len, reverse=True)))
        self._parts: list[tuple[bool, str]] = []  # (is_slot, literal text or slot name)
        position = 0
        for match in pattern.finditer(rendered):
            self._parts.append((False, rendered[position : match.start()]))
            self._parts.append((True, by_token[match.group()]))
            position = match.end()
        self._parts.append((False, rendered[position:]))

    def fill(self, fill: Fill) -> str:
        values = {
            "content": fill.content,
            "title": html.escape(fill.title),
            "description": html.escape(fill.description),
            "image": html.escape(fill.image),
            "edit": html.escape(fill.edit),
            "url": fill.url,  # [a-z0-9-/] only: safe as it is
        }
        return "".join(values[text] if is_slot else text for is_slot, text in self._parts)

    def page_html(self, page: Page) -> str:
        """A record page's finished HTML: the shell filled with the page."""
        return self.fill(
            Fill(
                content=page.content,
                title=page.title,
                description=page.description,
                image=self._share_image(page),
                edit=page.edit_url or "",
                url=page.url,
            )
        )

    def _share_image(self, page: Page) -> str:
        """share_image_url, without urljoin's parsing for the usual image path (measured: a third of filling a page)."""
        if self.site_url and page.image and _PLAIN_PATH.fullmatch(page.image):
            return self._image_base + page.image
        return share_image_url(page, self.site_url)

    @cached_property
    def _image_base(self) -> str:
        # What urljoin puts before a relative path of plain segments: the site URL up to its last "/".
        return urljoin(self.site_url, "x")[:-1]


def share_image_url(page: Page, site_url: str) -> str:
    """Share previews need an absolute image URL: the page's own image or the site's card.

    "" without a site_url: a relative og:image is wrong for every page but the home page, so none is given.
    """
    if not site_url:
        return ""
    return urljoin(site_url, page.image or ASSETS_URL + SHARE_IMAGE)
