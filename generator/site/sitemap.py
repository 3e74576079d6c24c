"""sitemap.xml for every page, records included.

MkDocs' own sitemap lists only the pages it rendered, so it would miss the
record pages filled from the shell; and it stamps the build date. This one
lists every URL, sorted, each with the date its content last changed where
known (<lastmod>: a record page its record file's, a page about the whole
catalogue the newest record's), never the build date, so two builds of the
same records are byte-identical.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from xml.sax.saxutils import escape


def sitemap_xml(urls: list[str], lastmods: dict[str, str] | None = None) -> str:
    """`lastmods`: URL → YYYY-MM-DD for the pages whose last change is known."""
    lastmods = lastmods or {}
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    for url in sorted(set(urls)):
        lastmod = f"<lastmod>{lastmods[url]}</lastmod>" if url in lastmods else ""
        lines.append(f"  <url><loc>{escape(url)}</loc>{lastmod}</url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(site_dir: Path, urls: list[str], lastmods: dict[str, str] | None = None) -> None:
    text = sitemap_xml(urls, lastmods).encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(text)
    buffer = io.BytesIO()
    # mtime=0 and no file name: the gzip header is the same on every build.
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as archive:
        archive.write(text)
    (site_dir / "sitemap.xml.gz").write_bytes(buffer.getvalue())
