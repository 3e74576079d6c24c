"""Image check: every image path stays inside content/ and names a real file.

It reads other files than the record, so its result is never cached with the
record's own checks (generator.build.records runs it on every load).
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, Sequence

from generator.errors import Problem
from generator.load.yaml_reader import SourceDocument
from generator.schema.site_config import SiteConfig


class _ImagePath(Protocol):
    path: str


class HasImages(Protocol):
    """A Record, or the few facts of one the loader keeps (generator.checks.RecordFacts)."""

    @property
    def images(self) -> Sequence[_ImagePath]: ...


def image_problems(record: HasImages, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    """Image paths must stay inside content/ and point at a real file."""
    if not record.images:
        return []  # most records: skip resolving content/ (runs for every record on every check)
    problems = []
    docs_dir = site.docs_dir
    root = docs_dir.resolve()
    for index, image in enumerate(record.images):
        target = (docs_dir / image.path).resolve()
        try:
            found = target.is_file()
        except OSError:  # e.g. a name longer than the file system allows
            found = False
        if ".." in Path(image.path).parts or image.path.startswith("/") or not target.is_relative_to(root):
            problems.append(doc.problem(("images", index, "path"), "E240", f"图片路径 {image.path} 跳出了 content/ 目录；请把图片放进 content/images/ 并写相对路径"))
        elif not found:
            problems.append(doc.problem(("images", index, "path"), "E241", f"找不到图片 content/{image.path}"))
    return problems
