"""A fast path for the plain YAML records are written in.

libyaml scans a record in microseconds, but PyYAML then builds a Python node
object and calls a Python resolver for every scalar: at 10,000 records that
is most of `showcase check`. Records use a small part of YAML — block
mappings and sequences, one-line plain or quoted scalars, `>-`/`|` text — so
this module reads that part (and the empty `[]` and `{}`) line by line and
hands back the same data and the same positions `yaml_source._Walker` would.

It only ever answers when it is sure. Anything outside that part — flow
collections, anchors, tags, multi-line plain or quoted scalars, comments
after values, empty values, CR line ends, duplicate keys, keys that are not
words, YAML 1.1 booleans, numbers in any form but plain decimals (`047`,
`0x10`, `1_439`, `1:20`), `<<` — makes it return None, and the caller parses
the file the careful way, which also finds and words every problem. So a
file with a problem is never judged here: this path has no messages at all.
tests/test_yaml_source_speed_equivalence.py checks that whatever it accepts
reads exactly as the careful path reads it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable

import yaml

Loc = tuple[str | int, ...]
Positions = dict[Loc, tuple[int, int]]

# Per line: its indent, "- " (a sequence entry), a key followed by ":" and a space or the
# line end, those spaces, the rest. One findall reads every line (the line itself is
# rebuilt from its parts where needed, _whole: capturing it costs a tenth of the reading).
_LINE = re.compile(r"^( *)(- +)?(?:([^\W\d][\w-]*):( +|$))?(.*)$", re.MULTILINE)
# Characters that give a scalar's first character a meaning other than text.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
_DOUBLE_QUOTED = re.compile(r'"([^"\\]*)" *')
_SINGLE_QUOTED = re.compile(r"'((?:[^']|'')*)' *")
_BLOCK_HEADERS = {"|": ("\n", "\n"), "|-": ("\n", ""), ">": (" ", "\n"), ">-": (" ", "")}
# The plain decimals read without a resolver (PlainReader._scalar tests them with str methods):
# _DECIMAL = [1-9][0-9]{0,17}, _DECIMAL_FRACTION = (?:0|[1-9][0-9]*)\.[0-9]+
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_NUMBER_STARTS = frozenset("-+.0123456789")

_STR = "tag:yaml.org,2002:str"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
# Records use a few hundred distinct keys; `showcase serve` reads for hours, so the set stays bounded.
_MAX_REMEMBERED_KEYS = 10_000
_BUILT = frozenset({
    "tag:yaml.org,2002:int", "tag:yaml.org,2002:float", "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null", "tag:yaml.org,2002:timestamp",
})


class _NotPlain(Exception):
    """The file uses YAML this module does not read: parse it the careful way."""


def _text(rest: str) -> str:
    """A one-line plain scalar as YAML reads it: without its trailing spaces."""
    value = rest.rstrip(" ")
    if " #" in value or ": " in value or value[-1] == ":":
        raise _NotPlain  # a comment, or a mapping where text was expected
    return value


def _whole(parts: tuple[str, ...]) -> str:
    """The line _LINE split into parts: they follow one another, and a key had its colon."""
    indent, dash, key, spaces, rest = parts
    return f"{indent}{dash}{key}:{spaces}{rest}" if key else f"{indent}{dash}{rest}"


class _Frame:
    """An open block mapping or sequence: the column its keys or dashes stand in."""

    __slots__ = ("indent", "container", "loc", "is_sequence")

    def __init__(self, indent: int, container: Any, loc: Loc) -> None:
        self.indent = indent
        self.container = container
        self.loc = loc
        self.is_sequence = isinstance(container, list)


class PlainReader:
    """Reads a record written in plain block YAML, with the loader's resolvers and constructors."""

    def __init__(
        self, loader_class: Any, yaml11_bools: re.Pattern[str], other_number_form: Callable[[str], bool], max_depth: int
    ) -> None:
        self._resolvers = loader_class.yaml_implicit_resolvers
        self._constructors = loader_class.yaml_constructors
        # The constructors only read the node and the class's tables: one instance serves every file.
        self._constructor = yaml.constructor.SafeConstructor()
        self._yaml11_bools = yaml11_bools
        self._other_number_form = other_number_form
        self._max_depth = max_depth
        # First characters some implicit resolver looks at: other scalars are text
        # (unless a resolver looks at every scalar, which SafeLoader's do not).
        self._resolved_starts = frozenset(key for key in self._resolvers if key is not None)
        self._wildcard = tuple(self._resolvers.get(None, ()))
        self._text_keys: set[str] = set()  # keys already known to read as text
        # A plain scalar starting with none of these is text as it stands (CJK text, most
        # often): no indicator, no resolver looks at it, and no YAML 1.1 boolean starts so.
        self._not_just_text = _INDICATORS | self._resolved_starts | frozenset("yYnNoO")
        # SafeLoader reads 2010 as an int and 33.1 as a float, which its constructors turn
        # into int("2010") and float("33.1"): with these resolvers such numbers skip both.
        self._plain_numbers = (
            all(self._tag(sample) == _INT for sample in ("7", "2010", "123456789012345678"))
            and all(self._tag(sample) == _FLOAT for sample in ("0.5", "33.1", "555518.59"))
            and self._tag("2022-11-30") == _TIMESTAMP
            and self._constructors[_TIMESTAMP](self._constructor, yaml.ScalarNode(_TIMESTAMP, "2022-02-30")) == "2022-02-30"
        )

    def read(self, text: str, *, everywhere: bool = True) -> tuple[dict[str, Any], Positions] | None:
        """(data, positions) exactly as the careful path gives them, or None when unsure.

        Only for text that passed yaml_source's character check: tabs, control
        characters and line breaks other than LF (NEL, U+2028) are not looked for here.

        Without `everywhere` only the top level's positions are kept: a problem
        is rare, and positions deeper down are a third of the reading time.
        """
        if "\r" in text or "\ufeff" in text:
            return None
        try:
            return self._read(_LINE.findall(text), everywhere)
        except _NotPlain:
            return None

    def _read(self, lines: list[tuple[str, ...]], everywhere: bool) -> tuple[dict[str, Any], Positions]:
        positions: Positions = {}
        # Locals: this loop runs for every line of every record.
        not_just_text, text_keys, wildcard, max_depth = self._not_just_text, self._text_keys, self._wildcard, self._max_depth
        stack: list[_Frame] = []
        frame: _Frame | None = None  # stack[-1]
        pending: tuple[int, dict[str, Any], str, Loc] | None = None  # a `key:` waiting for its block
        count = len(lines)
        number = 0  # 1-based number of the line being read
        while number < count:
            indent, dash, key, spaces, rest = lines[number]
            number += 1
            column = len(indent)
            if key and not dash and pending is None and frame is not None and frame.indent == column and not frame.is_sequence:
                key_column = column  # the next key of the open mapping: most lines of a record
            else:
                if not dash and not key:
                    if not rest or rest[0] == "#":
                        continue  # blank line or comment
                    raise _NotPlain
                if frame is None:
                    if pending is not None or dash:
                        raise _NotPlain  # the top level must be a mapping
                    root: dict[str, Any] = {}
                    positions[()] = (number, column + 1)
                    frame = _Frame(column, root, ())
                    stack.append(frame)
                elif pending is not None:
                    parent_column, parent, parent_key, loc = pending
                    pending = None
                    if not (column > parent_column or (column == parent_column and dash)):
                        raise _NotPlain  # an empty value
                    if len(loc) >= max_depth:
                        raise _NotPlain
                    container: Any = [] if dash else {}
                    parent[parent_key] = container
                    if everywhere or len(loc) == 1:
                        positions[loc] = (number, column + 1)
                    frame = _Frame(column, container, loc)
                    stack.append(frame)
                else:
                    while frame.indent > column:
                        stack.pop()
                        if not stack:
                            raise _NotPlain
                        frame = stack[-1]
                    if frame.is_sequence and frame.indent == column and not dash:
                        stack.pop()  # a sequence written at its key's column ends at the next key
                        if not stack:
                            raise _NotPlain
                        frame = stack[-1]
                    if frame.indent != column:
                        raise _NotPlain  # a continuation line or uneven indentation
                key_column = column
                if frame.is_sequence:
                    if not dash:
                        raise _NotPlain
                    sequence = frame.container
                    key_column = column + len(dash)
                    if not key:
                        if not rest or rest[0] == "#":
                            raise _NotPlain  # a block under a bare dash
                        if everywhere:
                            positions[frame.loc + (len(sequence),)] = (number, key_column + 1)
                        if rest[0] in not_just_text or wildcard:
                            value, number = self._scalar(rest, lines, number, column)
                        else:  # _text, inline: this is most of a record's values
                            value = rest.rstrip(" ")
                            if " #" in value or ": " in value or value[-1] == ":":
                                raise _NotPlain
                        sequence.append(value)
                        continue
                    loc = frame.loc + (len(sequence),)
                    if len(loc) >= max_depth:
                        raise _NotPlain
                    mapping: dict[str, Any] = {}
                    sequence.append(mapping)
                    if everywhere:
                        positions[loc] = (number, key_column + 1)
                    frame = _Frame(key_column, mapping, loc)
                    stack.append(frame)
                elif dash or not key:
                    raise _NotPlain
            mapping = frame.container
            if key in mapping or (key not in text_keys and not self._text_key(key)):
                raise _NotPlain  # a duplicate, or a key YAML reads as null or a boolean
            # Locations are built only where they are kept or a block opens (most values are neither).
            if everywhere or not frame.loc:
                loc = frame.loc + (key,)
                positions[loc + ("__key__",)] = (number, key_column + 1)
                if not rest or rest[0] == "#":
                    pending = (key_column, mapping, key, loc)
                    continue
                positions[loc] = (number, key_column + len(key) + len(spaces) + 2)
            elif not rest or rest[0] == "#":
                pending = (key_column, mapping, key, frame.loc + (key,))
                continue
            if rest[0] in not_just_text or wildcard:
                mapping[key], number = self._scalar(rest, lines, number, key_column)
            else:  # _text, inline
                value = rest.rstrip(" ")
                if " #" in value or ": " in value or value[-1] == ":":
                    raise _NotPlain
                mapping[key] = value
        if pending is not None or not stack:
            raise _NotPlain
        return stack[0].container, positions

    def _scalar(self, rest: str, lines: list[tuple[str, ...]], number: int, parent_indent: int) -> tuple[Any, int]:
        """The value that starts `rest`, and the number of the last line it takes."""
        first = rest[0]
        if first in _INDICATORS:
            if first == '"':
                quoted = _DOUBLE_QUOTED.fullmatch(rest)
                if quoted is None:
                    raise _NotPlain
                return quoted.group(1), number
            if first == "'":
                quoted = _SINGLE_QUOTED.fullmatch(rest)
                if quoted is None:
                    raise _NotPlain
                return quoted.group(1).replace("''", "'"), number
            if first in "|>":
                return self._block(rest, lines, number, parent_indent)
            empty = rest.rstrip(" ")
            if empty == "[]":
                return [], number
            if empty == "{}":
                return {}, number
            raise _NotPlain
        value = _text(rest)
        if self._plain_numbers:  # most numbers and dates in a record: no resolver, no constructor
            # _DECIMAL and _DECIMAL_FRACTION, asked with str methods (a regex call costs more than the
            # number; _read of 1,000 synthetic records 222 → 212 µs a file, 2026-12-03): isdigit() alone
            # would also take other scripts' digits, hence isascii().
            if value.isdigit():
                if value[0] != "0" and len(value) <= 18 and value.isascii():
                    return int(value), number
            else:
                whole, dot, fraction = value.partition(".")
                if (
                    dot and whole.isdigit() and fraction.isdigit() and value.isascii()
                    and (whole[0] != "0" or len(whole) == 1)
                ):
                    return float(value), number
            date = _DATE.fullmatch(value)
            if date is not None:
                try:
                    return dt.date(int(date[1]), int(date[2]), int(date[3])), number
                except ValueError:
                    return value, number  # a date that does not exist stays text (yaml_reader._timestamp_or_text)
        tag = self._tag(value) if first in self._resolved_starts or self._wildcard else _STR
        if tag == _STR:
            if first in "yYnNoO" and self._yaml11_bools.match(value):
                raise _NotPlain
            if first in _NUMBER_STARTS and self._other_number_form(value):
                raise _NotPlain  # 047, 0x10, 1_439, 1:20: the careful path says what to write instead
            return value, number
        if tag not in _BUILT:
            raise _NotPlain
        node = yaml.ScalarNode(tag, value)
        return self._constructors[tag](self._constructor, node), number

    def _block(self, header: str, lines: list[tuple[str, ...]], number: int, parent_indent: int) -> tuple[str, int]:
        """A `|` or `>` text whose lines all start in one column: no blank, deeper or trailing-space lines."""
        kind = _BLOCK_HEADERS.get(header.rstrip(" "))
        if kind is None:
            raise _NotPlain
        joiner, end = kind
        pieces: list[str] = []
        indent = 0
        count = len(lines)
        while number < count:
            line = _whole(lines[number])
            stripped = line.lstrip(" ")
            if not stripped:
                if pieces and len(line) > indent:
                    raise _NotPlain  # spaces past the text's column are text
                break
            column = len(line) - len(stripped)
            if not pieces:
                if column <= parent_indent:
                    raise _NotPlain  # an empty text
                indent = column
            elif column != indent:
                if column > indent:
                    raise _NotPlain
                break
            if line[-1] == " ":
                raise _NotPlain
            pieces.append(stripped)
            number += 1
        if not pieces or number == count:
            raise _NotPlain  # empty, or the file ends without a line break
        return joiner.join(pieces) + end, number

    def _text_key(self, key: str) -> bool:
        if self._tag(key) != _STR:
            return False
        if len(self._text_keys) < _MAX_REMEMBERED_KEYS:
            self._text_keys.add(key)
        return True

    def _tag(self, value: str) -> str:
        """The tag the loader's implicit resolvers give a plain scalar (BaseResolver.resolve)."""
        resolvers = self._resolvers.get(value[0])
        if resolvers:
            for tag, pattern in resolvers:
                if pattern.match(value):
                    return tag
        for tag, pattern in self._wildcard:
            if pattern.match(value):
                return tag
        return _STR
