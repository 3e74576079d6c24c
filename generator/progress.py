"""Progress in the terminal for work that takes more than a moment: long exports, builds.

One place decides how progress looks (tqdm, on stderr) and when it shows:
only when asked and when stderr is a terminal, so pipes, logs and tests get
no progress noise. Callers count what they do and never touch tqdm.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol


class Bar(Protocol):
    def update(self, n: int = 1) -> object: ...

    def set_description_str(self, desc: str) -> object: ...


class _Silent:
    def update(self, n: int = 1) -> None:
        pass

    def set_description_str(self, desc: str) -> None:
        pass


def wanted(enabled: bool = True) -> bool:
    """Whether progress should show: asked for, and stderr is a terminal."""
    return enabled and sys.stderr.isatty()


@contextmanager
def progress_bar(total: int, label: str, unit: str, *, enabled: bool = True) -> Iterator[Bar]:
    """A bar counting `total` items of `unit` (条, 页 …) on stderr, or a silent stand-in."""
    if not wanted(enabled):
        yield _Silent()
        return
    from tqdm import tqdm  # imported only when a bar shows

    with tqdm(total=total, desc=label, unit=unit, file=sys.stderr, leave=False, dynamic_ncols=True) as bar:
        yield bar
