"""The naive route: every record a Markdown page, MkDocs + Material, Material search with jieba.

This is what a team would do first. Records are left out of the navigation
(only the home page is in `nav`), the fair variant: with every record in the
nav each page repeats a 10,000-link menu. jieba is installed in the venv, so
Material's search plugin segments Chinese (zh's separator includes \\u200b).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from bench.baselines.markdown import home_body, record_body
from bench.baselines.venvs import ensure_venv
from bench.measure import System
from generator.catalogue import Catalogue

SITE_NAME = "美好家园 · 项目展示（合成基准）"


def mkdocs_settings(site_dir: str) -> dict:
    return {
        "site_name": SITE_NAME,
        "site_url": "https://example.org/bench/",
        "docs_dir": "docs",
        "site_dir": site_dir,
        "theme": {"name": "material", "language": "zh"},
        "plugins": ["search"],
        "nav": [{"首页": "index.md"}],
    }


def write_docs(catalogue: Catalogue, docs: Path) -> None:
    (docs / "records").mkdir(parents=True, exist_ok=True)
    (docs / "index.md").write_text(f"# {SITE_NAME}\n\n{home_body(catalogue)}", encoding="utf-8")
    for entry in catalogue.visible:
        text = f"# {entry.record.name}\n\n{record_body(entry, catalogue)}"
        (docs / "records" / f"{entry.slug}.md").write_text(text, encoding="utf-8")


def write_mkdocs_yml(project: Path) -> None:
    """The same mkdocs.yml for every MkDocs-compatible peer (naive route and Zensical)."""
    (project / "mkdocs.yml").write_text(
        yaml.safe_dump(mkdocs_settings("site"), allow_unicode=True, sort_keys=False), encoding="utf-8"
    )


def prepare(catalogue: Catalogue, work: Path) -> System:
    bin_dir = ensure_venv("naive")
    project = work / "naive"
    write_docs(catalogue, project / "docs")
    write_mkdocs_yml(project)
    out = project / "site"
    return System(
        name="naive",
        label="naive MkDocs + Material",
        command=[str(bin_dir / "mkdocs"), "build", "--quiet", "--config-file", str(project / "mkdocs.yml")],
        cwd=project,
        out_dir=out,
        record_page=lambda slug: out / "records" / slug / "index.html",
        search_files=lambda site: [site / "search" / "search_index.json"],
        note="Material 搜索 + jieba；首次搜索只计 search_index.json（gzip）",
    )
