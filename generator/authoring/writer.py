"""The one writer of records into projects/: YAML an editor can read, written atomically (generator.files).

`record_yaml` emits a draft's fields as block YAML an editor can read and
edit (Chinese unescaped, one sentence a line, figures `{value, qualifier}`
on one line), with the schema comment VS Code reads first.
"""

from __future__ import annotations

import io

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from generator.files import write_atomically, write_new_file

__all__ = ["SCHEMA_COMMENT", "record_yaml", "write_atomically", "write_new_file"]

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/record.schema.json\n"


def _commented(value: object) -> object:
    """Plain dicts → ruamel maps; small {value, qualifier} maps stay on one line."""
    if isinstance(value, dict):
        node = CommentedMap((k, _commented(v)) for k, v in value.items())
        if set(value) <= {"value", "qualifier", "note"} and "value" in value:
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        return [_commented(v) for v in value]
    return value


def record_yaml(fields: dict) -> str:
    """Block-style YAML, Chinese unescaped, the schema comment first."""
    emitter = YAML()
    emitter.allow_unicode = True
    emitter.width = 4096  # never fold a sentence across lines
    emitter.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    emitter.dump(_commented(fields), buffer)
    return SCHEMA_COMMENT + buffer.getvalue()
