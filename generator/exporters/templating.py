"""Package files the exporters read: stylesheets, Typst templates, the copy button's script.

The exporters build their markup in code, escaping every record value for
the format they write (WeChat HTML, ICML, DOCX XML, Typst data).
"""

from __future__ import annotations

from importlib import resources


def template_text(name: str) -> str:
    """A non-Jinja file under templates/ (CSS, Typst), read as package data."""
    return resources.files("generator.exporters").joinpath("templates", name).read_text(encoding="utf-8")


def asset_bytes(name: str) -> bytes:
    """A file under assets/ that the website serves as is (the copy button's script)."""
    return resources.files("generator.exporters").joinpath("assets", name).read_bytes()
