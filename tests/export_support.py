"""Shared helpers for tests/test_export_*.py (a plain module, not a test file).

Catalogues are built through the real loader (generator.build.records) from the
synthetic records in tests/fixtures/export/, or from projects/ for the
"shipped records" checks, which skip cleanly while projects/ is empty.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree
from xml.etree import ElementTree as ET

from generator.catalogue import Catalogue
from generator.schema.site_config import SiteConfig, load_site_config
from generator.build.records import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "export"
GOLDEN = ROOT / "tests" / "golden" / "export"
UPDATE_GOLDEN = os.environ.get("UPDATE_GOLDEN") == "1"


def site_config() -> SiteConfig:
    return load_site_config(ROOT / "site_config.yml")


def fixture_catalogue(include_drafts: bool = False) -> Catalogue:
    catalogue = load_catalogue(site_config(), paths=[FIXTURES], include_drafts=include_drafts)
    assert not catalogue.report.errors, catalogue.report.as_text()
    return catalogue


def project_catalogue() -> Catalogue:
    catalogue = load_catalogue(site_config())
    if not catalogue.visible:
        pytest.skip("projects/ has no published records yet")
    return catalogue


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/export/<name>; UPDATE_GOLDEN=1 rewrites it on purpose."""
    path = GOLDEN / name
    if UPDATE_GOLDEN:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
        return
    if not path.exists():
        pytest.fail(f"{path} is missing; run UPDATE_GOLDEN=1 pytest {Path(__file__).parent}/test_export_golden.py")
    expected = path.read_bytes().decode("utf-8")
    assert actual == expected, f"{name} differs from its golden file; if the change is intended, rerun with UPDATE_GOLDEN=1 and review the diff"


# Adobe's ICML structure, as far as our stories use it (tests/fixtures/icml/icml-subset.rng).
ICML_SCHEMA = etree.RelaxNG(etree.parse(str(ROOT / "tests" / "fixtures" / "icml" / "icml-subset.rng")))


def check_story(path) -> ET.Element:
    """Validate one .icml file against Adobe's structure and check its cross references; return the root."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<?aid ')
    assert '<?aid SnippetType="InCopyInterchange"?>' in text
    document = etree.fromstring(text.encode("utf-8"))
    assert ICML_SCHEMA.validate(document), ICML_SCHEMA.error_log.last_error
    root = ET.fromstring(text.encode("utf-8"))
    defined = {s.get("Self") for s in root.iter("ParagraphStyle")} | {s.get("Self") for s in root.iter("CharacterStyle")}
    defined |= {s.get("Self") for s in root.iter("TableStyle")} | {s.get("Self") for s in root.iter("CellStyle")}
    used = {r.get("AppliedParagraphStyle") for r in root.iter("ParagraphStyleRange")}
    used |= {r.get("AppliedCharacterStyle") for r in root.iter("CharacterStyleRange")}
    used |= {t.get("AppliedTableStyle") for t in root.iter("Table")} | {c.get("AppliedCellStyle") for c in root.iter("Cell")}
    used |= {b.text for b in root.iter("BasedOn") if b.get("type") == "object"}
    assert used <= defined, used - defined
    colours = {c.get("Self") for c in root.iter("Color")}
    assert {s.get("FillColor") for s in root.iter() if s.get("FillColor")} <= colours
    # <Br/> separates the story's paragraphs: one fewer than there are.
    story = root.find("Story")
    assert len([b for b in story.iter("Br")]) == len(story.findall("ParagraphStyleRange")) - 1
    for table in root.iter("Table"):
        rows = int(table.get("HeaderRowCount")) + int(table.get("BodyRowCount")) + int(table.get("FooterRowCount"))
        columns = int(table.get("ColumnCount"))
        assert len(table.findall("Row")) == rows and len(table.findall("Column")) == columns
        names = [cell.get("Name") for cell in table.findall("Cell")]
        assert sorted(names) == sorted(f"{c}:{r}" for r in range(rows) for c in range(columns))
    sources = {s.get("Self") for s in root.iter("HyperlinkTextSource")}
    destinations = {d.get("Self"): d.get("DestinationURL") for d in root.iter("HyperlinkURLDestination")}
    links = list(root.iter("Hyperlink"))
    assert len(links) == len(sources)
    for link in links:
        assert link.get("Source") in sources
        assert link.find("Properties/Destination").text in destinations
    return root


