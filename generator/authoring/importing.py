"""`showcase import`: an article → `status: draft` records, and the review list.

Everything is read, cleaned, extracted, rendered and validated before the
first file is written, so bad input (empty file, wrong encoding, a draft the
schema rejects) leaves the folder untouched. Rerunning on the same article
renders byte-identical drafts, so nothing changes and the run says so.

No edit is ever lost. A record counts as existing when the same path, or any
file with the same series and number, is already there, and then:

- a published record is never changed (`protected`), whatever the options;
- a draft that differs is left alone (`conflict`) unless the editor asks:
  `force` fills only the fields the draft has empty (generator.authoring.merge)
  and shows what that changes (`merged`); `beside` writes the import next to
  the record as `<file>.new`, which is not a record, for the editor to compare;
- a file that cannot be read as a record is treated as the editor's, too.

`numbers` re-imports only those entries of the article. Writing goes through
generator.authoring.writer, which replaces a file only if it still holds what
the plan was made from.
"""

from __future__ import annotations

import difflib
import os
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from generator.authoring.merge import fill_empty
from generator.authoring.writer import ChangedMeanwhile, record_yaml, replace_planned, write_new_file
from generator.checks import check_document
from generator.errors import UserError, printable, relative
from generator.files import read_regular_file
from generator.importers import DraftEntry, NotThisFormat, importers
from generator.importers.draft import Draft, build_draft, entry_lines, evidence_lines
from generator.load.files import MAX_BYTES
from generator.load.yaml_reader import decode, parse_text
from generator.schema.messages import field_label
from generator.schema.site_config import SiteConfig
from generator.text.cleaning import CleanedText, clean_text

MAX_ARTICLE_BYTES = 2_000_000
# Beside a record, not a record (generator.load.files reads only .yml and .yaml).
BESIDE_SUFFIX = ".new"


class Action(str, Enum):
    new = "新建"
    unchanged = "无变化"
    conflict = "已存在，未覆盖"
    protected = "已发布，未改动"
    unreadable = "无法读取，未改动"
    merged = "已补上空着的字段"
    beside = "已写在旁边"
    beside_kept = "旁边的 .new 文件已存在，未覆盖"


# Actions that write a file.
WRITES = {Action.new, Action.merged, Action.beside}
# Actions that leave what the editor asked for undone (the command then exits with 1).
REFUSALS = {Action.conflict, Action.protected, Action.unreadable, Action.beside_kept}


@dataclass
class PlannedFile:
    draft: Draft
    path: Path  # the record the entry belongs to (existing or new)
    text: str  # what is written: the draft, or the merged record
    action: Action
    old_text: str | None = None
    warnings: list[str] = field(default_factory=list)
    filled: list[str] = field(default_factory=list)  # merged: the fields filled, in Chinese

    @property
    def target(self) -> Path:
        """Where the text goes: the record itself, or the file beside it."""
        beside = self.action in (Action.beside, Action.beside_kept)
        return self.path.with_name(self.path.name + BESIDE_SUFFIX) if beside else self.path

    def diff(self) -> str:
        old = (self.old_text or "").splitlines(keepends=True)
        new = self.text.splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"{self.path}（原有）", f"{self.path}（补全后）"))


@dataclass
class ImportResult:
    article: Path
    cleaned: CleanedText
    files: list[PlannedFile]
    notice: list[str] = field(default_factory=list)  # about the article as a whole
    unselected_lines: set[int] = field(default_factory=set)  # lines of the entries --number left out

    @property
    def refused(self) -> list[PlannedFile]:
        return [f for f in self.files if f.action in REFUSALS]


# ---- reading ------------------------------------------------------------------


def read_article(path: Path) -> str:
    """The article's text; UserError for a missing, special (/dev/zero, a FIFO), huge, empty,
    binary or non-UTF-8 file."""
    raw = read_regular_file(path, MAX_ARTICLE_BYTES)
    text, problems = decode(raw, printable(str(path)))
    if text is None:
        raise UserError("\n".join(p.format() for p in problems))
    if not text.strip():
        raise UserError(f"{path}: 文件是空的，没有可导入的文字")
    return text


def _validate(text: str, display: str, config: SiteConfig) -> list[str]:
    """Run the same checks as `showcase check`; errors are our bug, warnings go to review."""
    problems = check_document(parse_text(text, display), config).problems(display, config)
    errors = [p.format() for p in problems if p.severity.value == "error"]
    if errors:
        raise UserError("生成的草稿没有通过校验，未写入任何文件：\n" + "\n".join(errors))
    return [p.format() for p in problems]


# ---- planning and writing -------------------------------------------------------


def _existing_records(out_dir: Path) -> dict[tuple[str, int], Path]:
    """(series, number) → path for every readable record already in out_dir."""
    found: dict[tuple[str, int], Path] = {}
    if not out_dir.is_dir():
        return found
    for path in sorted(out_dir.glob("*.y*ml")):
        data = _read_record(path)
        if isinstance(data, dict) and isinstance(data.get("number"), int) and isinstance(data.get("series"), str):
            found.setdefault((data["series"], data["number"]), path)
    return found


def _read_text(path: Path) -> str | None:
    """A record file's text, or None when it is no regular UTF-8 file of record size (never blocks on a FIFO)."""
    try:
        text, _ = decode(read_regular_file(path, MAX_BYTES), str(path))
    except UserError:
        return None
    return text


def _read_record(path: Path) -> object:
    """The file's data as the checker reads it, or None when it cannot be read."""
    text = _read_text(path)
    return parse_text(text, str(path)).data if text is not None else None


def _chosen(entries: list[DraftEntry], numbers: tuple[int, ...], article: Path) -> list[DraftEntry]:
    if not numbers:
        return entries
    present = [e.number for e in entries if e.number is not None]
    missing = [n for n in numbers if n not in present]
    if missing:
        raise UserError(
            f"{article}: 文章中没有编号 {'、'.join(map(str, missing))}；文章中的编号有：{'、'.join(map(str, present)) or '（无）'}"
        )
    return [e for e in entries if e.number in numbers]


def _entries(text: str, article_format: str) -> list[DraftEntry]:
    """The article's entries, by the named importer or (`auto`) the first that recognises the article."""
    registry = importers()
    if article_format != "auto":
        return list(registry[article_format](text))
    for name, importer in registry.items():
        try:
            return list(importer(text))
        except NotThisFormat:
            continue
    raise UserError("无法识别这篇文章的格式；请用 showcase new 手工建立记录")


def _series_for(entries: list[DraftEntry], series: str, config: SiteConfig) -> tuple[str, list[str]]:
    """Unnumbered entries (a news article) cannot go into a numbered series: the first unnumbered one is used."""
    known = config.catalogue.series_by_id
    if not known[series].numbered or any(e.number is not None for e in entries):
        return series, []
    unnumbered = [s.id for s in config.catalogue.series if not s.numbered]
    if not unnumbered:
        raise UserError(f"这篇文章没有编号条目，而系列 {series} 是编号系列；site_config.yml 中没有不编号的系列可用")
    return unnumbered[0], [f"系列：{series} 是编号系列，这篇文章没有编号，草稿记入不编号的系列 {unnumbered[0]}（可用 --series 另选）"]


def plan_import(
    article: Path,
    config: SiteConfig,
    series: str,
    out_dir: Path,
    force: bool = False,
    article_format: str = "auto",
    *,
    beside: bool = False,
    numbers: tuple[int, ...] = (),
) -> ImportResult:
    """Read, clean, extract, render and validate every draft; decide each file's action. Writes nothing."""
    known = config.catalogue.series_by_id
    if series not in known:
        raise UserError(f"未知的系列 “{series}”；site_config.yml 中的系列有：{'、'.join(known)}")
    cleaned = clean_text(read_article(article))
    entries = _entries(cleaned.text, article_format)
    series, notice = _series_for(entries, series, config)
    numbered = [e.number for e in entries if e.number is not None]
    duplicates = sorted({n for n in numbered if numbered.count(n) > 1})
    if duplicates:
        raise UserError(f"{article}: 编号重复：{'、'.join(map(str, duplicates))}；请核对文章")
    size = known[series].size
    if known[series].numbered and size and any(not 1 <= n <= size for n in numbered):
        raise UserError(f"{article}: 编号超出系列 {series} 的范围 1–{size}：{'、'.join(str(n) for n in numbered if not 1 <= n <= size)}")
    existing = _existing_records(out_dir)
    files = []
    chosen = _chosen(entries, numbers, article)
    unselected = set().union(*(entry_lines(e) for e in entries if not any(e is c for c in chosen)))
    for entry in chosen:
        draft = build_draft(entry, config.catalogue, series, article, cleaned.garbled)
        path = existing.get((series, entry.number)) if entry.number is not None else None
        path = path or out_dir / draft.file_name
        text = record_yaml(draft.fields, draft.notice)
        warnings = _validate(text, relative(path, config.root), config)
        files.append(_plan_file(draft, path, text, warnings, config, force=force, beside=beside))
    notice += [draft.notice for draft in {id(f.draft.notice): f.draft for f in files if f.draft.notice}.values() if draft.notice]
    return ImportResult(article, cleaned, files, notice, unselected)


def _plan_file(draft: Draft, path: Path, text: str, warnings: list[str], config: SiteConfig, *, force: bool, beside: bool) -> PlannedFile:
    """What to do with one entry's draft, given what is at its path."""
    old = (_read_text(path) or "") if os.path.lexists(path) else None
    if old is None:
        return PlannedFile(draft, path, text, Action.new, None, warnings)
    if old == text:
        return PlannedFile(draft, path, text, Action.unchanged, old, warnings)
    data = _read_record(path)
    if beside:
        planned = PlannedFile(draft, path, text, Action.beside, old, warnings)
        if os.path.lexists(planned.target) and _read_text(planned.target) != text:
            planned.action = Action.beside_kept  # the editor may be comparing it, or editing it
        return planned
    if not isinstance(data, dict):
        return PlannedFile(draft, path, text, Action.unreadable, old, warnings)
    if data.get("status") == "published":
        return PlannedFile(draft, path, text, Action.protected, old, warnings)
    if not force:
        return PlannedFile(draft, path, text, Action.conflict, old, warnings)
    merged = fill_empty(old, draft.fields)
    if merged is None:
        return PlannedFile(draft, path, text, Action.unreadable, old, warnings)
    merged_text, filled = merged
    if not filled:
        return PlannedFile(draft, path, old, Action.unchanged, old, warnings)
    display = relative(path, config.root)
    problems = check_document(parse_text(merged_text, display), config).problems(display, config)
    before = {(p.code, p.message) for p in check_document(parse_text(old, display), config).problems(display, config)}
    new_errors = [p.format() for p in problems if p.severity.value == "error" and (p.code, p.message) not in before]
    if new_errors:  # never make an editor's draft worse: leave it, and say why
        planned = PlannedFile(draft, path, text, Action.conflict, old, warnings + ["补全后会出现新的错误，未改动："] + new_errors)
        return planned
    labels = [field_label(loc, config.catalogue.metric_labels) for loc in filled]
    return PlannedFile(draft, path, merged_text, Action.merged, old, [p.format() for p in problems], labels)


def apply_import(result: ImportResult) -> list[Path]:
    """Write what the plan says; a record the editor saved since the plan was made is left alone."""
    written = []
    for planned in result.files:
        if planned.action not in WRITES:
            continue
        if planned.action is Action.merged:
            try:
                replace_planned(planned.path, planned.old_text or "", planned.text)
            except ChangedMeanwhile:
                planned.action = Action.conflict
                planned.warnings.append("这份记录在导入过程中被修改过，未改动；请重新运行")
                continue
        elif planned.action is Action.beside and os.path.lexists(planned.target):
            if _read_text(planned.target) != planned.text:
                planned.action = Action.beside_kept  # written since the plan was made
            continue
        else:
            write_new_file(planned.target, planned.text)
        written.append(planned.target)
    return written


# ---- the review list --------------------------------------------------------------


def review_text(result: ImportResult, root: Path) -> str:
    """Per entry: the file and action, what was extracted from which sentence, what is undecided."""
    out = [f"导入 {result.article}：{len(result.files)} 个条目"]
    if result.cleaned.traditional_converted or result.cleaned.pinyin_removed:
        out.append(
            f"清理：繁体转简体 {result.cleaned.traditional_converted} 字，删除拼音注音 {result.cleaned.pinyin_removed} 处，"
            f"发现乱码 {len(result.cleaned.garbled)} 处"
        )
    assigned = {id(issue) for planned in result.files for issue in planned.draft.garbled}
    outside = [
        issue for issue in result.cleaned.garbled if id(issue) not in assigned and issue.line not in result.unselected_lines
    ]
    for issue in outside:
        out.append(f"  条目之外的乱码：第 {issue.line} 行第 {issue.column} 列 “{issue.snippet}”（{issue.context}）")
    for planned in result.files:
        entry = planned.draft.entry
        number = f"第 {entry.number} 号 " if entry.number is not None else ""
        out.append("")
        out.append(f"{number}{entry.name}（文章第 {entry.line} 行）→ {relative(planned.target, root)}：{planned.action.value}")
        if planned.filled:
            out.append("  补上的字段（原来空着，其余一字未动）：" + "、".join(planned.filled))
        out.extend(evidence_lines(planned.draft))
        if planned.draft.undecided:
            out.append("  未能确定，请编辑处理：")
            out.extend(f"    - {item}" for item in planned.draft.undecided)
        if planned.warnings:
            out.append("  校验警告：")
            out.extend(f"    {w}" for w in planned.warnings)
    counts = {action: sum(1 for f in result.files if f.action is action) for action in Action}
    out.append("")
    out.extend(result.notice)
    out.append(
        "合计：" + "，".join(f"{action.value} {count} 个" for action, count in counts.items() if count)
        + "。草稿 status 为 draft，描述文字标有【待改写】；编辑审校后改为 published。"
    )
    if counts[Action.unchanged] == len(result.files):
        out.append("所有草稿与已有文件完全相同，没有任何改动。")
    if counts[Action.conflict]:
        out.append(
            "已存在且内容不同的草稿没有覆盖。加 --force 只补上草稿中空着的字段（先显示改动，编辑填过的内容一字不动）；"
            f"或加 --beside 把导入结果写在记录旁边（{BESIDE_SUFFIX} 文件，不是记录）以便对照。"
        )
    if counts[Action.protected]:
        out.append(f"已发布的记录不会被导入改动（--force 也不会）；要对照文章的内容，加 --beside 写一份 {BESIDE_SUFFIX} 文件。")
    if counts[Action.beside_kept]:
        out.append(f"旁边已有内容不同的 {BESIDE_SUFFIX} 文件，没有覆盖：对照完请先删除（或改名）它，再运行。")
    if counts[Action.unreadable]:
        out.append("无法按记录读取的文件没有改动：请先用 showcase check 查看并改正。")
    return "\n".join(out)
