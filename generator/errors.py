"""Two kinds of exception, and the problems validation reports.

`UserError` is something the editor can fix: the CLI prints it without a
traceback and exits 1. Anything else escaping the CLI is our bug.
`Problem` is one finding of validation, pointing at file:line:col; a
`Report` collects every problem of a run so the editor sees them all at once.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Callable

import click


class UserError(click.ClickException):
    """An error in the user's input or command; printed without a traceback."""

    def format_message(self) -> str:
        return self.message


class Severity(str, Enum):
    error = "error"
    warning = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    column: int
    code: str
    message: str
    severity: Severity = Severity.error

    def format(self) -> str:
        tag = self.code if self.severity is Severity.error else f"{self.code} 警告"
        return f"{self.path}:{self.line}:{self.column} [{tag}] {_shown(self.message)}"


# Characters a message may quote from a record (an unknown key, a wrong value) that a terminal
# would act on instead of showing: control characters (ESC starts a colour or clears the
# screen, a line break would split the line) and the bidi overrides that reorder the line.
_TERMINAL_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def _shown(message: str) -> str:
    if message.isprintable():  # the usual message: no search
        return message
    return _TERMINAL_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}" if ord(match.group()) > 0xFF else f"\\x{ord(match.group()):02x}", message)


@dataclass
class Report:
    """Every problem found in one run, in file and line order."""

    problems: list[Problem] = field(default_factory=list)
    files_checked: int = 0

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def unique(self) -> list[Problem]:
        """Each problem once (two checks may word the same finding alike): what is printed and counted."""
        return list(dict.fromkeys(self.problems))

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.unique() if p.severity is Severity.error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.unique() if p.severity is Severity.warning]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors) or (strict and bool(self.warnings))

    def sorted(self) -> list[Problem]:
        return sorted(self.unique(), key=lambda p: (p.path, p.line, p.column, p.code, p.message))

    def as_text(self) -> str:
        lines = [p.format() for p in self.sorted()]
        lines.append(
            f"检查了 {self.files_checked} 个文件：{len(self.errors)} 个错误，{len(self.warnings)} 个警告。"
        )
        return "\n".join(lines)

    def as_json(self) -> str:
        return json.dumps(
            {
                "files_checked": self.files_checked,
                "errors": len(self.errors),
                "warnings": len(self.warnings),
                "problems": [{**asdict(p), "severity": p.severity.value} for p in self.sorted()],
            },
            ensure_ascii=False,
            indent=2,
        )


# What a file name may hold that cannot be printed as it is: a byte that was not valid
# UTF-8 (os.fsdecode's surrogateescape), a control character (a line break in a name
# would split a `path:line:col` line in two).
_UNPRINTABLE = re.compile("[\udc80-\udcff\x00-\x1f\x7f]")


def printable(text: str) -> str:
    """A path as it can be printed on one line: each part that is not valid UTF-8 shown
    byte by byte (\\xb8\\xf0…; half-decoded it would mislead), control characters as \\x0a."""
    if not _UNPRINTABLE.search(text):
        return text
    parts = []
    for part in text.split("/"):
        if not part.isascii() and re.search("[\udc80-\udcff]", part):
            part = os.fsencode(part).decode("ascii", "backslashreplace")
        parts.append(_UNPRINTABLE.sub(lambda match: f"\\x{ord(match.group()):02x}", part))
    return "/".join(parts)


def relative(path: Path, root: Path | None = None) -> str:
    """A path as the editor would type it: relative to the repository when possible."""
    base = root or Path.cwd()
    try:
        # Resolve the folder, not the file itself: a symlinked record is named as the
        # editor sees it, and a symlink loop cannot raise.
        return printable((path.absolute().parent.resolve() / path.name).relative_to(base.resolve()).as_posix())
    except (ValueError, OSError):
        return printable(path.as_posix())


def relative_to_root(root: Path) -> Callable[[Path], str]:
    """`relative(path, root)` for many files in few folders: each folder is resolved once, not each file."""
    resolved_root = root.resolve()
    # Keyed by the path's text up to its last separator, not by path.parent: at 10,000 records
    # making and hashing a Path per file cost before any worker ran (cold check, 10,000 records,
    # 2026-12-03, median of 5: CPU from the listing to the fork 0.26 → 0.18 s).
    prefixes: dict[str, str | None] = {}

    def display(path: Path) -> str:
        text = str(path)
        cut = text.rfind(os.sep) + 1
        folder = text[:cut]
        prefix = prefixes.get(folder, False)
        if prefix is False:
            try:
                inside = path.parent.absolute().resolve().relative_to(resolved_root)
                prefix = "" if inside == Path(".") else inside.as_posix() + "/"
            except (OSError, ValueError):
                prefix = None  # outside the repository: shown as given
            prefixes[folder] = prefix
        return printable(path.as_posix() if prefix is None else prefix + text[cut:])

    return display
