"""Shared pytest setup: markers only. Helpers live in plain modules (site_support, export_support)."""

import os

# Checks run from scratch unless a test asks for the record cache (tests/test_cache.py): no .cache/
# appears in temporary projects or the repository, and no run depends on an earlier one.
os.environ.setdefault("SHOWCASE_CACHE", "0")


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the built site in headless Chromium (Playwright); skipped without /usr/bin/chromium")
