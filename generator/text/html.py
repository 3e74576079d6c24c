"""Escaping for the HTML built as strings: record pages, cards, the catalogue table's rows, mechanism links, WeChat articles.

markupsafe's escape makes a Markup object of every value — a Python call and
an allocation even when nothing changes — and on the pages of a 10,000-record
catalogue that was some 600,000 calls, a tenth of rendering the index pages
(cProfile of a build of the synthetic catalogue, December 2026). Most values
(Chinese text, numbers, slugs, site-relative URLs) hold none of the five
characters HTML escaping changes, so they are returned as they are; the
others go through markupsafe's escape, and the text is always exactly what
markupsafe gives. Unlike markupsafe, a value that is already Markup is escaped
again: nothing built here passes markup through this function.
"""

from __future__ import annotations

import re
from typing import Any

from markupsafe import escape

# What HTML escaping changes.
_SPECIAL = re.compile(r"[&<>\"']")


def text(value: Any) -> str:
    """The value as text inside HTML (element content or a quoted attribute)."""
    plain = value if type(value) is str else str(value)
    return str(escape(plain)) if _SPECIAL.search(plain) else plain
