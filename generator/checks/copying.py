"""Copying check: a published record's own words must not repeat its source (W270, W271).

Summary, mechanisms and highlights are the editor's own words (the importer
marks its copies of them 【待改写】). A published record whose descriptive text
still largely repeats its source is flagged. The source is what the record
keeps of it and names: `review.source_paragraphs` and the files of
`sources[].file`, read from the repository. A record that names no file is
judged by `copying_problems`, which depends on the record's bytes alone (so
it is cached with the other checks); one that names a file by
`source_file_problems`, which reads that file and so runs on every load, on
the RecordFacts the loader keeps. Either way each record is judged once,
against all its sources together.

Two measures (generator.text.verbatim), thresholds in site_config.yml's
`catalogue.copying`: the longest run of characters that stands word for word
in a source (W270, at the field that holds it), and the share of all
descriptive characters that stand in runs of at least `min_run` characters
(W271). Both are warnings, so `showcase check --strict` fails on them.
Quotations (“…”, 《…》) and proper names (the record's name, places,
mechanisms, companies, honours) are cut out before comparing: they are not
copying.

A source file is resolved inside the repository only: an absolute path, one
with `..` or one that a symlink leads out of the repository is reported
(W272) and not read; a missing, oversized or non-UTF-8 file is skipped
silently (archives may be kept elsewhere). Archived articles are compared as
the importer would read them: simplified, without pinyin annotations.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Protocol

from generator.errors import Problem, Severity
from generator.load.yaml_reader import Loc, SourceDocument
from generator.schema.messages import field_label
from generator.schema.record import Record, Status
from generator.schema.site_config import CopyingThresholds, SiteConfig
from generator.text.cleaning import remove_pinyin_annotations, to_simplified
from generator.text.verbatim import SourceIndex, masked, verbatim

# A source article is tens of kilobytes; anything much larger is not one.
MAX_SOURCE_BYTES = 2_000_000


@dataclass(frozen=True)
class CopyMaterial:
    """What the file-reading check needs of a published record: its own words, its names, its sources."""

    texts: tuple[tuple[Loc, str], ...]
    names: tuple[str, ...]
    paragraphs: tuple[str, ...]
    files: tuple[tuple[int, str], ...]  # (index in sources, file name)


def descriptive_texts(record: Record) -> list[tuple[Loc, str]]:
    """The texts the editor writes in their own words, with their locations."""
    texts: list[tuple[Loc, str]] = [(("summary",), record.summary)]
    for index, mechanism in enumerate(record.mechanisms):
        texts.append((("mechanisms", index, "what"), mechanism.what))
        if mechanism.how:
            texts.append((("mechanisms", index, "how"), mechanism.how))
    texts += [(("highlights", index, "text"), highlight.text) for index, highlight in enumerate(record.highlights)]
    return texts


def proper_names(record: Record) -> list[str]:
    """Names a record must write as the source does: they never count as copying."""
    names = [record.name, *(value for value in record.location.model_dump().values() if isinstance(value, str))]
    names += [m.name for m in record.mechanisms]
    names += [name for name in (record.facts.property_company, record.facts.developer) if name]
    names += [r.title for r in record.recognitions]
    names += [s.publisher for s in record.sources]
    return names


def copy_material(record: Record) -> CopyMaterial | None:
    """None unless the record is published and names a source file."""
    files = tuple((index, s.file) for index, s in enumerate(record.sources) if s.file)
    if record.status is not Status.published or not files:
        return None
    return CopyMaterial(tuple(descriptive_texts(record)), tuple(proper_names(record)), _paragraphs(record), files)


def _paragraphs(record: Record) -> tuple[str, ...]:
    return tuple(record.review.source_paragraphs) if record.review else ()


# ---- judging ---------------------------------------------------------------------------------


def _judge(
    material: CopyMaterial, sources: list[SourceIndex], compared: list[str], doc: SourceDocument, limits: CopyingThresholds
) -> list[Problem]:
    """W270 and W271 for the record's own words against all its sources at once."""
    if not sources:
        return []
    where = "来源（" + "、".join(compared) + "）"
    measured = [(loc, verbatim(masked(text, material.names), sources, limits.min_run)) for loc, text in material.texts]
    problems = []
    loc, longest = max(measured, key=lambda item: item[1].longest)
    if longest.longest >= limits.longest_run:
        excerpt = longest.longest_text[:20] + ("…" if longest.longest > 20 else "")
        problems.append(doc.problem(loc, "W270", (
            f"{field_label(loc)}有 {longest.longest} 个字与{where}连续相同（{excerpt}）：连续 {limits.longest_run} 字以上就是照抄；"
            "请用自己的话改写，确需引用的原话请加引号"
        ), Severity.warning))
    copied = sum(v.copied for _, v in measured)
    total = sum(v.compared for _, v in measured)
    share = 100 * copied / total if total else 0.0
    if share >= limits.share:
        problems.append(doc.problem(material.texts[0][0], "W271", (
            f"概况、机制和亮点中 {share:.0f}% 的字与{where}逐字相同（{limits.share:g}% 以上就是照抄）：请用自己的话改写"
        ), Severity.warning))
    return problems


_PARAGRAPHS = "审校材料中的原文"


def copying_problems(record: Record, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    """A published record that names no source file, against the source paragraphs it keeps."""
    paragraphs = _paragraphs(record)
    if record.status is not Status.published or not paragraphs or any(s.file for s in record.sources):
        return []
    material = CopyMaterial(tuple(descriptive_texts(record)), tuple(proper_names(record)), paragraphs, ())
    return _judge(material, [SourceIndex("\n".join(paragraphs))], [_PARAGRAPHS], doc, site.catalogue.copying)


class HasCopyMaterial(Protocol):
    """A RecordFacts (generator.checks): `copy` is the record's CopyMaterial, or None."""

    @property
    def copy(self) -> CopyMaterial | None: ...


def source_file_problems(facts: HasCopyMaterial, doc: SourceDocument, site: SiteConfig) -> list[Problem]:
    """A published record that names source files, against them and the paragraphs it keeps."""
    material = facts.copy
    if material is None:
        return []
    problems = []
    sources, compared = [], []
    if material.paragraphs:
        sources.append(SourceIndex("\n".join(material.paragraphs)))
        compared.append(_PARAGRAPHS)
    for index, name in material.files:
        path = _inside_repository(site.root, name)
        if path is None:
            problems.append(doc.problem(("sources", index, "file"), "W272", (
                f"来源文件 {name[:60] + ('…' if len(name) > 60 else '')} 不在仓库之内（绝对路径、含 .. 或链接到仓库之外），没有与之比对；请写相对于仓库的路径，如 seeds/000_….txt"
            ), Severity.warning))
            continue
        source = _source_index(path)
        if source is not None:
            sources.append(source)
            compared.append(name)
    return problems + _judge(material, sources, compared, doc, site.catalogue.copying)


def _inside_repository(root: Path, name: str) -> Path | None:
    """The file's path when it stays inside the repository (after every symlink), else None."""
    written = PurePosixPath(name.replace("\\", "/"))
    if written.is_absolute() or ".." in written.parts or ":" in name or "\x00" in name:
        return None
    base = root.resolve()
    try:
        resolved = (base / written).resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return None
    return resolved if resolved.is_relative_to(base) else None


def _source_index(path: Path) -> SourceIndex | None:
    """The file's index, or None when it is missing, not a regular file, too large or not UTF-8."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_SOURCE_BYTES:
        return None
    return _indexed(str(path), info.st_mtime_ns, info.st_size)


@lru_cache(maxsize=32)
def _indexed(path: str, mtime_ns: int, size: int) -> SourceIndex | None:
    """One index per file version: records from the same article share it (the key's mtime and size
    make an edited file be read again)."""
    try:
        with open(path, "rb") as stream:
            raw = stream.read(MAX_SOURCE_BYTES + 1)
        text = raw.decode("utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    # Archived articles are as the converter left them: traditional script, pinyin annotations.
    return SourceIndex(remove_pinyin_annotations(to_simplified(text)))
