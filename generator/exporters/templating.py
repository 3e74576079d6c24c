"""The Jinja2 environment the text exporters share.

Autoescaping is on for every template, whatever its extension: record text
is editor input and must never become markup in a WeChat article.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from jinja2 import Environment, PackageLoader, StrictUndefined


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("generator.exporters", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def template_text(name: str) -> str:
    """A non-Jinja file under templates/ (CSS, Typst), read as package data."""
    return resources.files("generator.exporters").joinpath("templates", name).read_text(encoding="utf-8")


def asset_bytes(name: str) -> bytes:
    """A file under assets/ that the website serves as is (the copy button's script)."""
    return resources.files("generator.exporters").joinpath("assets", name).read_bytes()
