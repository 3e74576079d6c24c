"""Shared pytest setup: markers only. Helpers live in plain modules (site_support, export_support)."""


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: drives the built site in headless Chromium (Playwright); skipped without /usr/bin/chromium")
