"""Checks across records: what no single file can tell (duplicate slugs, duplicate numbers)."""

from __future__ import annotations

from collections import defaultdict

from generator.errors import Problem
from generator.load.yaml_reader import SourceDocument


def cross_record_problems(items: list[tuple[SourceDocument, Record]]) -> list[Problem]:
    """Duplicates across files: slug, and number within a series."""
    problems: list[Problem] = []
    by_slug: dict[str, list[SourceDocument]] = defaultdict(list)
    by_number: dict[tuple[str, int], list[SourceDocument]] = defaultdict(list)
    for doc, record in items:
        by_slug[record.slug].append(doc)
        if record.number is not None:
            by_number[(record.series, record.number)].append(doc)
    for slug, docs in by_slug.items():
        if len(docs) > 1:
            for doc in docs:
                others = "、".join(d.path for d in docs if d is not doc)
                problems.append(doc.problem(("slug",), "E250", f"网址标识 {slug} 与 {others} 重复；每条记录的 slug 必须唯一"))
    for (series, number), docs in by_number.items():
        if len(docs) > 1:
            for doc in docs:
                others = "、".join(d.path for d in docs if d is not doc)
                problems.append(doc.problem(("number",), "E251", f"系列 {series} 的编号 {number} 与 {others} 重复"))
    return problems
