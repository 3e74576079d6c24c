"""Photo check: every photo a record lists is a real, sound, supported image inside the repository.

Photos live beside the record (projects/047-….yml → projects/047-…/front.jpg)
and `path` is relative to the folder holding the record file. Each photo is
judged by its bytes, not its name (generator.media.probe): missing, outside
the repository (`..`, absolute, a symlink out), not an image, truncated, an
unsupported format, too many pixels, too small for the magazine (a warning:
`--strict` makes it an error). A published record also needs every photo's
alt text and permission, at most one lead photo, and no photo twice.

It reads other files than the record, so its result is never cached with the
record's own checks (generator.build.records runs it on every load); the
photo library remembers each file's probe by its stat, so an unchanged photo
costs one stat call, and keeps what it found for the run, so the catalogue
does not look again (generator.media.library.PhotoLibrary.find).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol, Sequence

from generator.errors import Problem, Severity
from generator.load.yaml_reader import SourceDocument
from generator.media import PRINT_MIN_LONG_SIDE, PhotoLibrary
from generator.schema.site_config import SiteConfig


class _ImageFacts(Protocol):
    path: str
    alt: object
    permission: object
    lead: bool


class HasImages(Protocol):
    """A Record, or the few facts of one the loader keeps (generator.checks.RecordFacts)."""

    @property
    def images(self) -> Sequence[_ImageFacts]: ...

    @property
    def status(self) -> object: ...


def record_folder(doc_path: str, root: Path) -> str:
    """The folder holding the record file: photo paths are relative to it (a string: asked for every
    record with photos on every load, where pathlib's parsing cost more than the photo's own lookup)."""
    return os.path.dirname(os.path.join(root, doc_path))


def image_problems(record: HasImages, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    if not record.images:
        return []  # most records: nothing to resolve (runs for every record on every check)
    problems: list[Problem] = []
    library = PhotoLibrary.for_root(site.root)
    root = library.root
    folder = record_folder(doc.path, site.root)
    published = getattr(record.status, "value", record.status) == "published"
    by_file: dict[str, int] = {}
    by_content: dict[str, int] = {}
    leads: list[int] = []
    for index, image in enumerate(record.images):
        number = index + 1
        where = ("images", index, "path")
        shown = f"第 {number} 张照片 {image.path}"
        if image.path.startswith("/") or ".." in image.path.split("/"):
            problems.append(doc.problem(where, "E240", f"{shown} 跳出了记录所在的文件夹；请把照片放进与记录同名的文件夹，写相对路径，如 {_example(doc.path)}"))
            continue
        found = library.find(folder, image.path)
        if not found.inside:
            problems.append(doc.problem(where, "E240", f"{shown} 是指向仓库以外的符号链接；请把照片本身复制进仓库"))
            continue
        if found.probe is None and found.error is None:
            problems.append(doc.problem(where, "E241", f"找不到{shown}（应在 {_relative(Path(folder, image.path), root)}）"))
            continue
        if found.path in by_file:
            problems.append(doc.problem(where, "E248", f"{shown} 与第 {by_file[found.path]} 张是同一个文件，请删去一项"))
            continue
        by_file[found.path] = number
        if found.error is not None:
            problems.append(doc.problem(where, "E241", f"无法读取{shown}：{found.error.strerror or found.error}"))
            continue
        probe = found.probe
        if probe.problem is not None:
            code, message = probe.problem
            problems.append(doc.problem(where, code, f"{shown}：{message}"))
            continue
        if probe.digest in by_content:
            problems.append(doc.problem(where, "E248", f"{shown} 与第 {by_content[probe.digest]} 张内容完全相同，请删去一项"))
            continue
        by_content[probe.digest] = number
        if probe.long_side < PRINT_MIN_LONG_SIDE:
            problems.append(doc.problem(
                where, "W240",
                f"{shown} 只有 {probe.width}×{probe.height} 像素，印在杂志上不够清晰："
                f"半版（约 17 厘米宽）按 300 dpi 需要长边至少 {PRINT_MIN_LONG_SIDE} 像素；网站和公众号不受影响",
                Severity.warning,
            ))
        if image.lead:
            leads.append(index)
        if published:
            if not image.alt:
                problems.append(doc.problem(("images", index), "E246", f"{shown} 缺少替代文字 alt（照片上是什么，供读屏软件朗读）；发布前必填"))
            if not image.permission:
                problems.append(doc.problem(("images", index), "E247", f"{shown} 缺少使用许可 permission（如“本刊摄影”“小区物业授权”）；发布前必填"))
    for index in leads[1:]:
        problems.append(doc.problem(("images", index, "lead"), "E249", f"第 {index + 1} 张照片也标为题图；只能有一张 lead: true（第 {leads[0] + 1} 张已是题图）"))
    return problems


def _example(doc_path: str) -> str:
    return f"{Path(doc_path).stem}/照片.jpg"


def _relative(path: Path, root: Path) -> str:
    try:
        return path.absolute().relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()
