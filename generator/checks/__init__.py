"""The validate stage: every check a record file goes through, in one declared sequence.

    read (generator.load)  →  fields  →  CHECKS, in order  →  cross-record (whole catalogue)

`check_document` runs a parsed file through the schema (`fields`) and then
every check of CHECKS; each returns Problems instead of raising, so one run
reports every problem of every file. A check that reads other files than the
record (`reads_other_files`, the images) can be left for later
(`defer_other_files`): the loader caches a file's results by its bytes and
runs those checks again on every load (generator.build.records).
Cross-record checks (duplicate slugs and numbers) need every file and run
once the files are checked (`cross_record`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from generator.checks.copying import CopyMaterial, copy_material, copying_problems, source_file_problems
from generator.checks.cross_record import cross_record_problems
from generator.checks.fields import schema_problems
from generator.checks.hygiene import hygiene_problems
from generator.checks.images import image_problems
from generator.checks.places import location_problems
from generator.checks.unfinished import unfinished_problems
from generator.checks.vocabulary import vocabulary_problems
from generator.errors import Problem, Severity
from generator.load.yaml_reader import Loc, SourceDocument
from generator.schema.record import Record
from generator.schema.site_config import SiteConfig

__all__ = ["CHECKS", "Check", "FileCheck", "ImageRef", "RecordFacts", "check_document", "cross_record_problems"]


@dataclass(frozen=True)
class Check:
    name: str
    # A check that reads other files is given the record's RecordFacts (deferred or not), any other the Record.
    run: Callable[[Any, SourceDocument, SiteConfig], list[Problem]]
    # True when the result depends on other files than the record's own bytes (so it is never cached).
    reads_other_files: bool = False


# The order problems of one file are listed in (after the parse and schema problems).
CHECKS: tuple[Check, ...] = (
    Check("vocabulary", vocabulary_problems),
    Check("places", location_problems),
    Check("images", image_problems, reads_other_files=True),
    Check("hygiene", hygiene_problems),
    Check("unfinished", unfinished_problems),
    Check("copying", copying_problems),
    Check("copying from source files", source_file_problems, reads_other_files=True),
)


@dataclass(frozen=True)
class ImageRef:
    """What the photo check reads of one photo entry."""

    path: str
    alt: bool
    permission: bool
    lead: bool


@dataclass(frozen=True)
class RecordFacts:
    """What the deferred and cross-record checks read of a record: enough to check without the whole Record."""

    slug: str
    series: str
    number: int | None
    images: tuple[ImageRef, ...]
    status: str = "draft"
    name: str = ""
    place: str = ""  # province and city: common names (书香社区) recur across cities
    copy: CopyMaterial | None = None  # published records that name a source file

    @classmethod
    def of(cls, record: Record) -> RecordFacts:
        images = tuple(ImageRef(i.path, bool(i.alt), bool(i.permission), i.lead) for i in record.images)
        place = record.location.province + (record.location.city or "")
        return cls(record.slug, record.series, record.number, images, record.status.value, record.name, place, copy_material(record))


@dataclass
class FileCheck:
    """One file's results.

    `by_check` holds each check's problems in CHECKS order; a deferred check's
    entry is None, and `problems()` runs it. `positions` keeps the line
    and column of what deferred and cross-record checks point at, so they can
    run later without the parsed document.
    """

    parse_problems: list[Problem]
    schema_problems: list[Problem] = field(default_factory=list)
    record: Record | None = None
    facts: RecordFacts | None = None
    by_check: list[list[Problem] | None] = field(default_factory=list)
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)

    @property
    def parsed(self) -> bool:
        return not any(p.severity is Severity.error for p in self.parse_problems)

    def located(self, path: str) -> SourceDocument:
        """A stand-in document for the checks that run after the file was read: it knows the positions."""
        return SourceDocument(path, positions=self.positions)

    def problems(self, path: str, site: SiteConfig) -> list[Problem]:
        """Every problem, in the order one pass finds them; checks left for later run now, on the
        record's facts (again on every call: what they read may have changed)."""
        found = [*self.parse_problems, *self.schema_problems]
        doc = None
        for check, problems in zip(CHECKS, self.by_check):
            if problems is None:
                doc = doc or self.located(path)
                problems = check.run(self.facts, doc, site)  # type: ignore[arg-type]
            found += problems
        return found


def _later_locations(facts: RecordFacts) -> list[Loc]:
    """Where deferred and cross-record checks point: the record, its slug, number and name, its photo
    entries, and for the copying check its own words and source files."""
    photos = [(("images", i), ("images", i, "path"), ("images", i, "lead")) for i in range(len(facts.images))]
    locations: list[Loc] = [(), ("slug",), ("number",), ("name",), *(loc for locs in photos for loc in locs)]
    if facts.copy is not None:
        locations += [loc for loc, _ in facts.copy.texts]
        locations += [("sources", index, "file") for index, _ in facts.copy.files]
    return locations


def check_document(doc: SourceDocument, site: SiteConfig, *, defer_other_files: bool = False) -> FileCheck:
    """Every single-file check of one parsed document, in the declared order."""
    result = FileCheck(list(doc.problems))
    if doc.data is None:  # unreadable; after a recoverable problem (a duplicate key) the data is checked
        return result
    record, result.schema_problems = schema_problems(doc, site.catalogue.metric_labels)
    if record is None:
        return result
    # With schema problems, `record` is what remains without the refused parts: the checks
    # below still run on it (one run lists everything), but it is not the file's record.
    result.record = None if result.schema_problems else record
    facts = result.facts = RecordFacts.of(record)
    for check in CHECKS:
        if not check.reads_other_files:
            result.by_check.append(check.run(record, doc, site))
        else:
            result.by_check.append(None if defer_other_files else check.run(facts, doc, site))
    result.positions = {loc: doc.position(loc) for loc in _later_locations(facts)}
    return result
