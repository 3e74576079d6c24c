"""The package tree tells the stages, and imports only point down (README, "架构").

Each folder of generator/ is a stage; a stage may import the stages listed
for it below and nothing above it, and two stages on one level (site,
search, exporters) never import each other — what they share sits in
`present`. Only the MkDocs adapter imports MkDocs. Every import in every
module counts, including those inside functions.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "generator"

FOUNDATION = {"errors", "files", "progress", "text"}
# stage → the stages it may import (besides itself and FOUNDATION). Keep in step with README's map.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "files": {"errors"},
    "progress": set(),
    "text": set(),
    "load": set(),
    "schema": set(),
    "media": set(),
    "checks": {"load", "schema", "media"},
    "catalogue": {"schema", "media"},
    "present": {"catalogue", "schema", "media"},
    "site": {"present", "catalogue", "schema", "media"},
    "search": {"present", "catalogue", "schema"},
    "exporters": {"present", "catalogue", "schema", "media"},
    "importers": {"schema"},
    "cms": {"schema"},
    "authoring": {"importers", "checks", "load", "schema"},
    "build": {"load", "schema", "media", "checks", "catalogue", "present", "site", "search", "exporters", "cms"},
    "mkdocs_adapter": {"build", "site", "search", "present", "catalogue", "schema"},
    "cli": {"build", "authoring", "exporters", "schema", "mkdocs_adapter"},
    "__main__": {"cli"},
    "__init__": set(),
}


def stage_of(path: Path) -> str:
    part = path.relative_to(PACKAGE).parts[0]
    return part.removesuffix(".py")


def imported_stages(path: Path) -> set[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + ([f"{node.module}.{alias.name}" for alias in node.names] if node.module == "generator" else [])
        for name in names:
            parts = name.split(".")
            if parts[0] == "generator" and len(parts) > 1:
                found.add((parts[1], node.lineno))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_imports_point_down(path: Path) -> None:
    stage = stage_of(path)
    assert stage in ALLOWED, f"{stage}: a new stage needs its row in ALLOWED and in README's map"
    allowed = ALLOWED[stage] | FOUNDATION | {stage}
    wrong = sorted(f"line {line}: generator.{target}" for target, line in imported_stages(path) if target not in allowed)
    assert not wrong, f"{path.relative_to(PACKAGE)} ({stage}) imports stages above or beside it: {wrong}"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_only_the_mkdocs_adapter_imports_mkdocs(path: Path) -> None:
    if stage_of(path) == "mkdocs_adapter":
        return
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        names = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""] if isinstance(node, ast.ImportFrom) else []
        assert not any(name == "mkdocs" or name.startswith("mkdocs.") for name in names), f"{path}: line {node.lineno}"


def test_only_build_forks_processes() -> None:
    """Parallelism lives in generator/build/parallel.py: no other module starts pools or forks."""
    offenders = []
    for path in MODULES:
        if path.relative_to(PACKAGE).as_posix() == "build/parallel.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "multiprocessing" in text or "os.fork" in text or "gc.freeze" in text:
            offenders.append(path.relative_to(PACKAGE).as_posix())
    assert offenders in ([], ["build/heap.py"]), offenders


def test_the_readme_maps_every_stage() -> None:
    readme = (PACKAGE.parent / "README.md").read_text(encoding="utf-8")
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and not p.name.startswith("__"))
    missing = [name for name in folders if f"`{name}/`" not in readme]
    assert not missing, f"README's architecture map lacks {missing}"
