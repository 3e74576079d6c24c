"""Shared helpers for command-line tests (a plain module, not a test file): an empty project, a command run."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]


def empty_repo(folder: Path) -> Path:
    """A copy of the configuration with an empty projects/ folder."""
    shutil.copy(ROOT / "site_config.yml", folder / "site_config.yml")
    (folder / "projects").mkdir()
    (folder / "content").mkdir()
    return folder


def invoke(repo: Path, *args: str):
    """`showcase COMMAND --config repo/site_config.yml ARGS…`."""
    return CliRunner().invoke(main, [args[0], "--config", str(repo / "site_config.yml"), *args[1:]])
