"""sitemap.xml for every page, records included.

MkDocs' own sitemap lists only the pages it rendered, so it would miss the
record pages filled from the shell; and it stamps the build date. This one
lists every URL, sorted, with no dates, so two builds are byte-identical.
"""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from xml.sax.saxutils import escape


def sitemap_xml(urls: list[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in sorted(set(urls))]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def write_sitemap(site_dir: Path, urls: list[str]) -> None:
    text = sitemap_xml(urls).encode("utf-8")
    (site_dir / "sitemap.xml").write_bytes(text)
    buffer = io.BytesIO()
    # mtime=0 and no file name: the gzip header is the same on every build.
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as archive:
        archive.write(text)
    (site_dir / "sitemap.xml.gz").write_bytes(buffer.getvalue())
