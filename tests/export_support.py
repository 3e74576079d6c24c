"""Shared helpers for tests/test_export_*.py (a plain module, not a test file).

Catalogues are built through the real loader (generator.build.records) from the
synthetic records in tests/fixtures/export/, or from projects/ for the
"shipped records" checks, which skip cleanly while projects/ is empty.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

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
