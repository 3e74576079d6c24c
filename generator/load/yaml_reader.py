"""Read one YAML record safely and remember where every value stands.

Records are typed by hand, so every YAML surprise becomes a Problem with a
line and column instead of a traceback or a silently wrong value:
non-UTF-8 files, tabs, duplicate keys, YAML 1.1 booleans (`no`, `on`),
tags (`!!python/object`), anchors and aliases (which also shuts out the
"billion laughs" bomb), merge keys, very deep nesting and huge files.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable

import yaml

from generator.errors import Problem, Severity
from generator.load import number_forms
from generator.load.plain_yaml import PlainReader

MAX_DEPTH = 20  # the schema nests at most 4 levels

Loc = tuple[str | int, ...]

# Problems after which the data is still worth checking: the walk kept the first of duplicate
# keys and left out merge keys and keys that are not text; a YAML 1.1 boolean stayed text.
RECOVERABLE = frozenset({"E103", "E104", "E105", "E113"})

# YAML 1.1 reads these as booleans; in a record they are almost always text.
_YAML11_BOOLS = re.compile(r"^(y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$")


@dataclass
class SourceDocument:
    """A parsed record plus the position of every key and value in it."""

    path: str
    data: Any = None
    positions: dict[Loc, tuple[int, int]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    text: str = ""
    # When set, `positions` holds only the top level's, and this gives all of them: the fast
    # path leaves deeper positions until a problem below the top level needs one.
    locate: Callable[[], dict[Loc, tuple[int, int]]] | None = field(default=None, repr=False, compare=False)

    def position(self, loc: Loc) -> tuple[int, int]:
        """Line and column (1-based) of loc, or of its nearest ancestor we know."""
        loc = tuple(loc)
        if self.locate is not None and len(loc) > 1 and loc not in self.positions:
            self.positions, self.locate = self.locate(), None
        while loc:
            if loc in self.positions:
                return self.positions[loc]
            loc = loc[:-1]
        return self.positions.get((), (1, 1))

    def problem(self, loc: Loc, code: str, message: str, severity: Severity = Severity.error) -> Problem:
        line, column = self.position(loc)
        return Problem(self.path, line, column, code, message, severity)

    @property
    def ok(self) -> bool:
        return not any(p.severity is Severity.error for p in self.problems)


# libyaml's parser is ~10× faster than PyYAML's pure-Python one; a catalogue
# of 10,000 records must still check in seconds.
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """SafeLoader that keeps YAML 1.1 booleans as plain scalars for us to flag."""


# Only true/false are booleans; yes/no/on/off are reported by _Walker. Only plain decimals are
# numbers (generator.load.number_forms): 047, 0x10, 1_439 and 1:20 stay text, and _Walker reports them.
_REPLACED = {"tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"}
_SafeLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag not in _REPLACED]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_SafeLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_SafeLoader.add_implicit_resolver("tag:yaml.org,2002:float", number_forms.STRICT_FLOAT, number_forms.FLOAT_STARTS)
_SafeLoader.add_implicit_resolver("tag:yaml.org,2002:int", number_forms.STRICT_INT, number_forms.INT_STARTS)


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """A date that does not exist (2022-13-45) stays text, so the schema can say where."""
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return node.value


_SafeLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

MAX_INT = 10**100  # far beyond any field; larger ints cannot even be printed (Python's 4300-digit limit)


def _int_or_text(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> Any:
    """An integer too long to handle (10**5000, 0xfff…) stays text, so the schema can say where."""
    try:
        value = yaml.SafeLoader.construct_yaml_int(loader, node)
    except ValueError:
        return node.value
    return value if abs(value) < MAX_INT else node.value


_SafeLoader.add_constructor("tag:yaml.org,2002:int", _int_or_text)


def decode(raw: bytes, path: str) -> tuple[str | None, list[Problem]]:
    """Bytes → text, or a Problem that says which encoding the file seems to be in."""
    problems: list[Problem] = []
    if raw.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):  # before UTF-16: FF FE 00 00 starts with FF FE
        return None, [Problem(path, 1, 1, "E101", "文件是 UTF-32 编码；请在编辑器中另存为 UTF-8（无 BOM）")]
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem(path, 1, 1, "E101", "文件是 UTF-16 编码；请在编辑器中另存为 UTF-8（无 BOM）")]
    if b"\x00" in raw:  # binary files and BOM-less UTF-16; checked before guessing an encoding
        return None, [Problem(path, 1, 1, "E101", "文件含有空字符（NUL），不是文本文件或编码有误；请另存为 UTF-8")]
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
        problems.append(
            Problem(path, 1, 1, "W101", "文件开头有 BOM（字节顺序标记）；建议另存为 UTF-8（无 BOM）", Severity.warning)
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        hint = "文件不是 UTF-8 编码"
        try:
            raw.decode("gb18030")
            hint = "文件似乎是 GBK/GB18030 编码（常见于 Windows 记事本）"
        except UnicodeDecodeError:
            pass
        return None, [Problem(path, line, column, "E101", f"{hint}；请在编辑器中另存为 UTF-8")]
    return text, problems


# What PyYAML refuses to read (its Reader.NON_PRINTABLE), plus line breaks that
# YAML 1.1 counts but editors do not show (NEL, U+2028, U+2029, a lone CR):
# they would shift every line number after them.
# Written as the characters it finds (C0 and C1 controls but tab and LF, DEL, surrogates,
# U+FFFE/U+FFFF, U+2028/U+2029): that search is 2.5× faster than "not one of the allowed".
_UNUSUAL_CHARACTERS = re.compile("[\x00-\x08\x0B-\x1F\x7F-\x9F\uD800-\uDFFF\uFFFE\uFFFF\u2028\u2029]")


def _tab_problems(text: str, path: str) -> list[Problem]:
    """Tabs and invisible control characters, one problem per line, counted by LF as editors do."""
    if "\t" not in text and not _UNUSUAL_CHARACTERS.search(text):
        return []  # the usual file: one scan of the whole text instead of one per line
    problems = []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        column = line.find("\t")
        if column >= 0:
            problems.append(
                Problem(path, number, column + 1, "E102", "含有制表符（Tab）；YAML 缩进只能用空格，请把 Tab 换成两个空格")
            )
        if number < len(lines) and line.endswith("\r"):
            line = line[:-1]  # CRLF is a normal line end
        unusual = _UNUSUAL_CHARACTERS.search(line)
        if unusual:
            code_point = f"U+{ord(unusual.group()):04X}"
            problems.append(
                Problem(path, number, unusual.start() + 1, "E112", f"含有看不见的控制字符或特殊换行符 {code_point}（常见于从网页、Word 或 PDF 复制的文字）；请删除它")
            )
    return problems


# A file with thousands of tabs, control characters or odd numbers is one mistake repeated (a
# pasted table): list the first ones, then say how many more (as the schema check does, E200).
MAX_LISTED = 50


def _at_most(problems: list[Problem], path: str) -> list[Problem]:
    if len(problems) <= MAX_LISTED:
        return problems
    rest = problems[MAX_LISTED]
    summary = Problem(
        path, rest.line, rest.column, rest.code,
        f"另有 {len(problems) - MAX_LISTED:,} 处同类问题未列出（从第 {rest.line} 行起）；请先改正以上问题，再运行 showcase check",
    )
    return [*problems[:MAX_LISTED], summary]


# Anchors, aliases and tags all need one of these characters; most records
# have none, and the event scan below is the costliest step of a check.
_MAY_HAVE_ANCHORS_OR_TAGS = re.compile(r"[&*!]")


def _structure_problems(text: str, path: str) -> list[Problem]:
    """Scan parser events before building anything: aliases, tags and depth."""
    problems: list[Problem] = []
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        mark = event.start_mark
        where = (mark.line + 1, mark.column + 1)
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problems.append(
                Problem(path, *where, "E104", "记录中不支持锚点和别名（& 和 *）；请把内容直接写出来")
            )
            return problems  # one is enough; an alias bomb would otherwise report thousands
        tag = getattr(event, "tag", None)
        implicit = getattr(event, "implicit", True)
        explicit = not any(implicit) if isinstance(implicit, tuple) else not implicit
        if tag and explicit and tag != "!":
            shown = tag.replace("tag:yaml.org,2002:", "!!")
            problems.append(Problem(path, *where, "E106", f"不支持 YAML 标签 {shown}；请去掉标签，只写值"))
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                problems.append(Problem(path, *where, "E107", f"嵌套超过 {MAX_DEPTH} 层；记录的结构不会这么深，请检查缩进"))
                return problems
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
    return problems


_NON_TEXT_KEYS = {
    "tag:yaml.org,2002:int": "整数",
    "tag:yaml.org,2002:float": "数字",
    "tag:yaml.org,2002:bool": "布尔值",
    "tag:yaml.org,2002:null": "空值",
    "tag:yaml.org,2002:timestamp": "日期",
}


_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"
# Scalar tags whose value the loader's own constructors make without recursion.
_SCALAR_TAGS = {_STR, *_NON_TEXT_KEYS}
_PLAIN_KEY_TAGS = {_STR, "tag:yaml.org,2002:value"}  # PyYAML reads a "=" key as the text "="


class _Walker:
    """One pass over the node tree: positions, problems and the data.

    Building the data while walking saves PyYAML's second (pure-Python) pass
    over every node. Anything unusual — a tag the fast path does not know, a
    scalar its constructor refuses — sets `fallback`, and the caller then
    builds the data with PyYAML's own constructor, exactly as before.
    """

    def __init__(self, doc: SourceDocument, loader: Any) -> None:
        self.doc = doc
        self.loader = loader
        self.constructors = loader.yaml_constructors
        self.fallback = False

    def walk(self, node: yaml.Node, loc: Loc) -> Any:
        """Record positions, and flag duplicate keys, merge keys, YAML 1.1 booleans and deep nesting."""
        doc = self.doc
        doc.positions[loc] = (node.start_mark.line + 1, node.start_mark.column + 1)
        if len(loc) > MAX_DEPTH:
            line, column = doc.positions[loc]
            doc.problems.append(Problem(doc.path, line, column, "E107", f"嵌套超过 {MAX_DEPTH} 层；记录的结构不会这么深，请检查缩进"))
            return None
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP:
                self.fallback = True
            mapping: dict[Any, Any] = {}
            seen: dict[Any, int] = {}
            for key_node, value_node in node.value:
                line, column = key_node.start_mark.line + 1, key_node.start_mark.column + 1
                if not isinstance(key_node, yaml.ScalarNode):
                    doc.problems.append(Problem(doc.path, line, column, "E113", "键必须是一个字段名，不能是列表或映射（? 开头的复杂键）；请检查这一行"))
                    continue
                key = key_node.value
                if key_node.tag in _NON_TEXT_KEYS:
                    shown = key or "（空）"
                    doc.problems.append(
                        Problem(doc.path, line, column, "E113", f"键 {shown} 不是字段名（YAML 把它读成了{_NON_TEXT_KEYS[key_node.tag]}）；字段名只能是文字，如 name、summary")
                    )
                    continue
                if key_node.tag == "tag:yaml.org,2002:merge":
                    doc.problems.append(Problem(doc.path, line, column, "E104", "记录中不支持合并键（<<）；请把内容直接写出来"))
                    continue
                if key_node.tag not in _PLAIN_KEY_TAGS:
                    self.fallback = True
                if key in seen:
                    doc.problems.append(
                        Problem(doc.path, line, column, "E103", f"键 {key} 重复（第一次在第 {seen[key]} 行）；同一层只能出现一次，请合并或删除一个")
                    )
                    continue  # the first value stays: the rest of the file is still checked
                seen[key] = line
                doc.positions[loc + (key, "__key__")] = (line, column)
                mapping[key] = self.walk(value_node, loc + (key,))
            return mapping
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                self.fallback = True
            return [self.walk(item, loc + (index,)) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.ScalarNode):
            if not node.style and node.tag == _STR:
                if _YAML11_BOOLS.match(node.value):
                    line, column = doc.positions[loc]
                    doc.problems.append(
                        Problem(
                            doc.path, line, column, "E105",
                            f"{node.value} 在 YAML 1.1 中会被读成布尔值；若是文字请加引号：\"{node.value}\"；若表示是/否请写 true 或 false",
                        )
                    )
                elif number_forms.is_other_number_form(node.value):
                    line, column = doc.positions[loc]
                    doc.problems.append(Problem(doc.path, line, column, "E114", number_forms.number_form_message(node.value)))
            return self.scalar(node)
        self.fallback = True
        return None

    def scalar(self, node: yaml.ScalarNode) -> Any:
        if node.tag == _STR:
            return node.value
        if node.tag not in _SCALAR_TAGS:
            self.fallback = True
            return None
        try:
            return self.constructors[node.tag](self.loader, node)
        except Exception:  # noqa: BLE001 - PyYAML's constructor raises it again, with its own message
            self.fallback = True
            return None


# libyaml's problem texts → what the editor should do. Matched by prefix;
# anything else keeps libyaml's words so no detail is lost.
_SYNTAX_HINTS = (
    ("could not find expected ':'", "缺少冒号：每个键后面要写“: ”，或者上一行的引号没有闭合"),
    ("mapping values are not allowed", "这里不能出现“键: 值”：值里含有冒号时，请给整个值加引号"),
    ("found character that cannot start any token", "值不能以 @、` 等字符开头：请给整个值加引号"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("did not find expected key", "缩进没有对齐：同一层的键要从同一列开始"),
    ("did not find expected ',' or ']'", "方括号 [ ] 列表没有闭合，或项之间缺少逗号"),
    ("did not find expected ',' or '}'", "花括号 { } 映射没有闭合，或项之间缺少逗号"),
    ("did not find expected node content", "这里缺少值"),
    ("did not find expected comment or line break", "多行文本标记（| 或 >）后面只能跟 + 或 -，然后换行"),
    ("found unknown escape character", "双引号中的反斜杠 \\ 后面字符无效：写两个反斜杠，或改用单引号"),
    ("found a tab character", "含有制表符（Tab）：请换成空格"),
    ("did not find expected <document start>", "一个文件只能有一条记录：请删掉 --- 之后的内容"),
)


def syntax_message(problem: str) -> tuple[str, str]:
    if problem.startswith("exceeded maximum nesting depth"):
        return "E107", f"嵌套超过 {MAX_DEPTH} 层；记录的结构不会这么深，请检查缩进和括号"
    for prefix, hint in _SYNTAX_HINTS:
        if problem.startswith(prefix):
            return "E100", f"YAML 语法错误：{hint}"
    return "E100", f"YAML 语法错误（{problem or '无法解析'}）；请检查这一行的缩进、冒号和引号"


# Most records are plain block YAML: read those without PyYAML's node objects.
# Whatever it is unsure of (including every file with a problem) takes the careful path below.
_PLAIN_READER = PlainReader(_SafeLoader, _YAML11_BOOLS, number_forms.is_other_number_form, MAX_DEPTH)


def _positions_everywhere(text: str) -> dict[Loc, tuple[int, int]]:
    read = _PLAIN_READER.read(text)
    assert read is not None, "the fast path read this text a moment ago"
    return read[1]


def parse_text(text: str, path: str, *, plain: bool = True) -> SourceDocument:
    """The document, its positions and its problems; `plain=False` never takes the fast path
    (tests compare the two)."""
    doc = SourceDocument(path=path, text=text)
    doc.problems.extend(_at_most(_tab_problems(text, path), path))
    if doc.problems:
        return doc  # the YAML scanner's own tab message is cryptic; ours points at each tab
    read = _PLAIN_READER.read(text, everywhere=False) if plain else None
    if read is not None:
        doc.data, doc.positions = read
        doc.locate = partial(_positions_everywhere, text)
        return doc
    doc = _parse_carefully(doc, text, path)
    doc.problems = _at_most(doc.problems, path)
    return doc


def _parse_carefully(doc: SourceDocument, text: str, path: str) -> SourceDocument:
    """PyYAML's node tree, walked for positions and every YAML surprise."""
    try:
        if _MAY_HAVE_ANCHORS_OR_TAGS.search(text):
            doc.problems.extend(_structure_problems(text, path))
            if doc.problems:
                return doc
        loader = _SafeLoader(text)
        try:
            node = loader.get_single_node()
            if node is None:
                doc.problems.append(Problem(path, 1, 1, "E110", "文件是空的；请参照 README 中的记录模板填写"))
                return doc
            walker = _Walker(doc, loader)
            data = walker.walk(node, ())
            if not doc.ok and (walker.fallback or not all(p.code in RECOVERABLE for p in doc.problems)):
                return doc
            doc.data = loader.construct_document(node) if walker.fallback else data
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        lines = text.splitlines() or [""]
        if line > len(lines):  # libyaml marks end-of-file problems just past the last line
            line, column = len(lines), len(lines[-1]) + 1
        code, message = syntax_message(exc.problem or "")
        doc.problems.append(Problem(path, line, column, code, message))
    except yaml.YAMLError as exc:
        doc.problems.append(Problem(path, 1, 1, "E100", f"YAML 语法错误：{exc}"))
    except RecursionError:
        doc.problems.append(Problem(path, 1, 1, "E107", "嵌套过深，无法读取；请检查缩进"))
    if not isinstance(doc.data, dict):
        if doc.ok:
            doc.problems.append(Problem(path, 1, 1, "E111", "记录的顶层应是“键: 值”映射（如 name: …），而不是列表或单个值"))
        doc.data = None
    return doc


def parse_bytes(raw: bytes, display: str) -> SourceDocument:
    """Decode and parse a record file's bytes (the part of reading a cache can skip)."""
    text, problems = decode(raw, display)
    if text is None:
        return SourceDocument(display, problems=problems)
    doc = parse_text(text, display)
    doc.problems[:0] = problems
    return doc
