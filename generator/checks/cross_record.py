"""Checks across records: what no single file can tell (duplicate slugs, numbers and names).

Each conflict is reported once per group, at the first file of the group,
naming a few of the others: 2,000 files sharing a number once printed every
file's list of the other 1,999 (117 MB). Two records with one slug or one
number cannot both be published (E250, E251: every file of the group stays
out of the catalogue). Two estates may share a name, so one name in one city
is a warning (W252): most often it is one estate entered twice. The same name
in different cities is not even that (书香社区 is in many a city).
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, Protocol

from generator.errors import Problem, Severity
from generator.load.yaml_reader import Loc, SourceDocument

if TYPE_CHECKING:
    from collections.abc import Hashable

# Files named in one message: enough to find the others, short enough to read.
NAMED_OTHERS = 5


class Facts(Protocol):
    slug: str
    series: str
    number: int | None
    name: str
    place: str


def cross_record_problems(items: list[tuple[SourceDocument, Facts]]) -> tuple[list[Problem], set[str]]:
    """Duplicates across files (slug; number within a series; name), and the paths of the files
    whose slug or number clashes (none of them may be published)."""
    by_slug: dict[Hashable, list[SourceDocument]] = defaultdict(list)
    by_number: dict[Hashable, list[SourceDocument]] = defaultdict(list)
    by_name: dict[Hashable, list[SourceDocument]] = defaultdict(list)
    for doc, facts in items:
        by_slug[facts.slug].append(doc)
        if facts.number is not None:
            by_number[(facts.series, facts.number)].append(doc)
        by_name[(facts.name, facts.place)].append(doc)
    problems: list[Problem] = []
    clashing: set[str] = set()
    for slug, docs in _groups(by_slug):
        problems.append(_once(docs, ("slug",), "E250", f"网址标识 {slug}", "每条记录的 slug 必须唯一，请改掉其余文件的 slug"))
        clashing.update(doc.path for doc in docs)
    for (series, number), docs in _groups(by_number):
        problems.append(_once(docs, ("number",), "E251", f"系列 {series} 的编号 {number}", "同一系列的编号不能重复，请核对来源"))
        clashing.update(doc.path for doc in docs)
    for (name, place), docs in _groups(by_name):
        problems.append(_once(
            docs, ("name",), "W252", f"{place}的名称 {name}",
            "若是同一个项目，请合并成一条记录；若是同一城市里同名的两个项目，可以保留（请在标题语或地址中区分）", Severity.warning,
        ))
    return problems, clashing


def _groups(index: dict[Hashable, list[SourceDocument]]) -> list[tuple[object, list[SourceDocument]]]:
    return [(key, docs) for key, docs in index.items() if len(docs) > 1]


def _once(docs: list[SourceDocument], loc: Loc, code: str, what: str, advice: str, severity: Severity = Severity.error) -> Problem:
    """One problem for the whole group, at its first file."""
    others = [doc.path for doc in docs[1:]]
    named = "、".join(others[:NAMED_OTHERS])
    if len(others) > NAMED_OTHERS:
        named += f" 等另外 {len(others):,} 个文件（共 {len(docs):,} 个）"
    return docs[0].problem(loc, code, f"{what} 也用在 {named}；{advice}", severity)
