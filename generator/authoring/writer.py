"""The one writer of records into projects/: YAML an editor can read, written atomically (generator.files).

`record_yaml` emits a draft's fields as block YAML an editor can read and
edit (Chinese unescaped, one sentence a line, figures `{value, qualifier}`
on one line), with the schema comment VS Code reads first.

The rule for every command that writes into projects/: a new file is
created only where none exists (`write_new_file`), and an existing file is
replaced only by a text planned from exactly its current content
(`replace_planned`), which the command has shown the editor. Published
records are never replaced (generator.authoring.importing decides that).
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from generator.errors import UserError
from generator.files import read_regular_file, write_atomically, write_new_file

__all__ = ["SCHEMA_COMMENT", "commented", "record_yaml", "replace_planned", "write_new_file", "write_text_file"]

SCHEMA_COMMENT = "# yaml-language-server: $schema=../schema/record.schema.json\n"


def commented(value: object) -> object:
    """Plain dicts → ruamel maps; small {value, qualifier} maps stay on one line."""
    if isinstance(value, dict):
        node = CommentedMap((k, commented(v)) for k, v in value.items())
        if set(value) <= {"value", "qualifier", "note"} and "value" in value:
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        return [commented(v) for v in value]
    return value


def record_yaml(fields: dict, notice: str | None = None) -> str:
    """Block-style YAML, Chinese unescaped, the schema comment first (then `notice` as comment lines)."""
    emitter = YAML()
    emitter.allow_unicode = True
    emitter.width = 4096  # never fold a sentence across lines
    emitter.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    emitter.dump(commented(fields), buffer)
    header = SCHEMA_COMMENT + "".join(f"# {line}\n" for line in _comment_lines(notice or ""))
    return header + buffer.getvalue()


class ChangedMeanwhile(Exception):
    """The file is no longer what the plan was made from: the editor saved it meanwhile."""


def replace_planned(path: Path, planned_from: str, text: str) -> None:
    """Replace `path` with `text`, only if it still reads `planned_from` (else ChangedMeanwhile)."""
    try:
        current = read_regular_file(path, len(planned_from.encode("utf-8")) + 1).decode("utf-8")
    except (UserError, UnicodeDecodeError):
        raise ChangedMeanwhile(str(path)) from None
    if current != planned_from:
        raise ChangedMeanwhile(str(path))
    write_atomically(path, text)


def _comment_lines(text: str, width: int = 50) -> list[str]:
    """Chinese text as comment lines of about `width` characters, broken after punctuation."""
    lines, line = [], ""
    for piece in re.findall(r"[^，。；：]+[，。；：]?", text):
        if line and len(line) + len(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    return lines + ([line] if line else [])


def write_text_file(path: Path, text: str, *, force: bool) -> None:
    """A text output that is not a record (`showcase clean -o`): never over a record, and over
    another existing file only with `force`."""
    from generator.errors import UserError
    from generator.load.files import is_record_name

    if path.exists() and is_record_name(path.name):
        raise UserError(f"{path} 是一条记录；这里只写文章文本，从不覆盖记录（请换一个输出文件名，如 文章.txt）")
    if path.exists() and not force:
        raise UserError(f"{path} 已存在；不会覆盖（确需覆盖请加 --force）")
    write_atomically(path, text)
