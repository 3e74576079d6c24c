"""Merging an import into an editor's draft: fill only what is empty, keep everything else as written.

An editor's draft is the editor's work: re-importing its article may add what
the draft still lacks — a field that is missing, empty or nothing but a
placeholder (【请填写标题语】) — and nothing else. A field the editor filled,
a list with any item, a mapping's filled keys stay exactly as they are; the
file is edited in place with ruamel.yaml's round trip, so the editor's
comments, order and quoting survive (our records round-trip byte for byte).
`status` is never touched.
"""

from __future__ import annotations

import io
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from generator.authoring.writer import commented
from generator.schema.placeholders import find_placeholders

Loc = tuple[str, ...]

# Never filled from an import: the editor decides the status.
_NEVER = {"status"}


def _round_trip() -> YAML:
    """The writer's layout (generator.authoring.writer.record_yaml), keeping the editor's quotes."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def is_empty(value: Any) -> bool:
    """Missing, blank, an empty list or mapping, or a text that is only a placeholder."""
    if value is None:
        return True
    if isinstance(value, str):
        stripped = value.strip()
        return not stripped or find_placeholders(stripped) == [stripped]
    if isinstance(value, (list, dict)):
        return not value
    return False


def _fill(existing: CommentedMap, imported: dict, loc: Loc) -> list[Loc]:
    filled: list[Loc] = []
    previous: str | None = None
    for key, value in imported.items():
        if key in _NEVER or is_empty(value):
            previous = key if key in existing else previous
            continue
        if key not in existing or is_empty(existing[key]):
            if key in existing:  # replaced, not assigned: the old value's quoting must not carry over
                position = list(existing).index(key)
                del existing[key]
            else:
                position = list(existing).index(previous) + 1 if previous in existing else len(existing)
            existing.insert(position, key, commented(value))
            filled.append(loc + (key,))
        elif isinstance(existing[key], dict) and isinstance(value, dict):
            filled += _fill(existing[key], value, loc + (key,))
        previous = key
    return filled


def fill_empty(old_text: str, imported: dict) -> tuple[str, list[Loc]] | None:
    """The draft's text with the imported values where it had none, and where they went;
    None when the text is not a YAML mapping (then nothing is merged)."""
    yaml = _round_trip()
    try:
        document = yaml.load(old_text)
    except Exception:  # noqa: BLE001 - any YAML the round trip cannot read is left alone
        return None
    if not isinstance(document, CommentedMap):
        return None
    filled = _fill(document, imported, ())
    if not filled:
        return old_text, []
    buffer = io.StringIO()
    yaml.dump(document, buffer)
    return buffer.getvalue(), filled
