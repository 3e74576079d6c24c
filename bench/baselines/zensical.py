"""Zensical (by the Material team) on the naive route's mkdocs.yml and pages.

Zensical reads mkdocs.yml as it is and keeps a build cache; the cache is
removed before every run so each build is cold, like the others.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.baselines.naive import write_docs, write_mkdocs_yml
from bench.baselines.venvs import ensure_venv
from bench.measure import System
from generator.catalogue import Catalogue


def search_index(site: Path) -> list[Path]:
    """Zensical writes its own index; take whichever search JSON the build produced."""
    found = sorted(site.glob("search*.json")) + sorted((site / "search").glob("*.json")) if site.exists() else []
    return found[:1]


def prepare(catalogue: Catalogue, work: Path) -> System:
    bin_dir = ensure_venv("zensical")
    project = work / "zensical"
    naive_docs = work / "naive" / "docs"
    if naive_docs.is_dir():
        shutil.copytree(naive_docs, project / "docs", dirs_exist_ok=True)
    else:
        write_docs(catalogue, project / "docs")
    write_mkdocs_yml(project)
    out = project / "site"
    return System(
        name="zensical",
        label="Zensical",
        command=[str(bin_dir / "zensical"), "build", "--clean", "--config-file", str(project / "mkdocs.yml")],
        cwd=project,
        out_dir=out,
        record_page=lambda slug: out / "records" / slug / "index.html",
        search_files=search_index,
        caches=[project / ".cache"],
        note="同一份 mkdocs.yml 与页面；每次先清缓存（冷构建）",
    )
