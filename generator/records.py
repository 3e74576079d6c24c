"""The load stage: read every record file, validate it, gather a Catalogue.

`load_catalogue` never raises for bad records: each file yields either a
Record or Problems, and the Report says at the end whether the run failed.
Only valid records enter the Catalogue, so later stages can trust them.
"""

from __future__ import annotations

from pathlib import Path

from generator.catalogue import Catalogue, Entry
from generator.config import SiteConfig
from generator.errors import Problem, Report, relative
from generator.hygiene import hygiene_problems
from generator.models import Record
from generator.validate import (
    cross_record_problems,
    image_problems,
    location_problems,
    schema_problems,
    vocabulary_problems,
)
from generator.yaml_source import SourceDocument, read_document

RECORD_SUFFIXES = (".yml", ".yaml")


def record_files(config: SiteConfig, paths: list[Path] | None = None) -> list[Path]:
    """The files to check: the given ones (folders expanded) or all of projects/."""
    roots = paths or [config.projects_dir]
    files: list[Path] = []
    for root in roots:
        if root.is_dir():
            files.extend(sorted(p for p in root.rglob("*") if p.suffix in RECORD_SUFFIXES and not p.name.startswith(".")))
        else:
            files.append(root)
    return files


def check_document(doc: SourceDocument, config: SiteConfig) -> tuple[Record | None, list[Problem]]:
    """All single-file checks for one parsed document."""
    if doc.data is None:
        return None, []
    record, problems = schema_problems(doc)
    if record is None:
        return None, problems
    problems += vocabulary_problems(record, doc, config.catalogue)
    problems += location_problems(record, doc)
    problems += image_problems(record, doc, config.docs_dir)
    problems += hygiene_problems(record, doc)
    return record, problems


def load_catalogue(
    config: SiteConfig, paths: list[Path] | None = None, include_drafts: bool = False
) -> Catalogue:
    report = Report()
    valid: list[tuple[SourceDocument, Record]] = []
    for path in record_files(config, paths):
        display = relative(path, config.root)
        if not path.exists() and not path.is_symlink():  # a dangling link is reported by read_document
            report.add(Problem(display, 1, 1, "E108", "文件不存在"))
            continue
        doc = read_document(path, display)
        report.files_checked += 1
        report.extend(doc.problems)
        if not doc.ok:
            continue
        record, problems = check_document(doc, config)
        report.extend(problems)
        if record is not None and not any(p.severity.value == "error" for p in problems):
            valid.append((doc, record))
    duplicates = cross_record_problems(valid)
    report.extend(duplicates)
    clashing = {p.path for p in duplicates}
    entries = [Entry(doc.path, record) for doc, record in valid if doc.path not in clashing]
    return Catalogue(config=config.catalogue, entries=entries, report=report, include_drafts=include_drafts)
