"""`showcase import`: an article → `status: draft` records, and the review list.

Everything is read, cleaned, extracted, rendered and validated before the
first file is written, so bad input (empty file, wrong encoding, an article in
another format, a draft the schema rejects) leaves the folder untouched.
Existing records are never overwritten: a record counts as existing when the
same path, or any file with the same series and number, is already there.
`force=True` replaces it and the caller shows the diff. Rerunning on the same
article renders byte-identical drafts, so nothing changes and the run says so.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import yaml

from generator.authoring.writer import record_yaml, write_atomically
from generator.checks import check_document
from generator.errors import UserError, printable, relative
from generator.files import read_regular_file
from generator.importers import importers
from generator.importers.draft import Draft, build_draft, evidence_lines
from generator.load.yaml_reader import decode, parse_text
from generator.schema.site_config import SiteConfig
from generator.text.cleaning import CleanedText, clean_text

MAX_ARTICLE_BYTES = 2_000_000


class Action(str, Enum):
    new = "新建"
    unchanged = "无变化"
    conflict = "已存在，未覆盖"
    replace = "已替换"


@dataclass
class PlannedFile:
    draft: Draft
    path: Path
    text: str
    action: Action
    old_text: str | None = None
    warnings: list[str] = field(default_factory=list)

    def diff(self) -> str:
        old = (self.old_text or "").splitlines(keepends=True)
        new = self.text.splitlines(keepends=True)
        return "".join(difflib.unified_diff(old, new, f"{self.path}（原有）", f"{self.path}（导入）"))


@dataclass
class ImportResult:
    article: Path
    cleaned: CleanedText
    files: list[PlannedFile]

    @property
    def conflicts(self) -> list[PlannedFile]:
        return [f for f in self.files if f.action is Action.conflict]


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
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, yaml.YAMLError):
            continue  # `showcase check` reports broken files; here they only cannot clash
        if isinstance(data, dict) and isinstance(data.get("number"), int) and isinstance(data.get("series"), str):
            found.setdefault((data["series"], data["number"]), path)
    return found


def plan_import(
    article: Path, config: SiteConfig, series: str, out_dir: Path, force: bool = False, article_format: str = "series"
) -> ImportResult:
    """Read, clean, extract, render and validate every draft; decide each file's action. Writes nothing."""
    known = config.catalogue.series_by_id
    if series not in known:
        raise UserError(f"未知的系列 “{series}”；site_config.yml 中的系列有：{'、'.join(known)}")
    cleaned = clean_text(read_article(article))
    entries = list(importers()[article_format](cleaned.text))
    numbers = [e.number for e in entries if e.number is not None]
    duplicates = sorted({n for n in numbers if numbers.count(n) > 1})
    if duplicates:
        raise UserError(f"{article}: 编号重复：{'、'.join(map(str, duplicates))}；请核对文章")
    size = known[series].size
    if known[series].numbered and size and any(not 1 <= n <= size for n in numbers):
        raise UserError(f"{article}: 编号超出系列 {series} 的范围 1–{size}：{'、'.join(str(n) for n in numbers if not 1 <= n <= size)}")
    existing = _existing_records(out_dir)
    files = []
    for entry in entries:
        draft = build_draft(entry, config.catalogue, series, article, cleaned.garbled)
        path = existing.get((series, entry.number)) if entry.number is not None else None
        path = path or out_dir / draft.file_name
        text = record_yaml(draft.fields)
        warnings = _validate(text, relative(path, config.root), config)
        old = path.read_text(encoding="utf-8", errors="replace") if path.exists() else None
        if old is None:
            action = Action.new
        elif old == text:
            action = Action.unchanged
        else:
            action = Action.replace if force else Action.conflict
        files.append(PlannedFile(draft, path, text, action, old, warnings))
    return ImportResult(article, cleaned, files)


def apply_import(result: ImportResult) -> None:
    for planned in result.files:
        if planned.action in (Action.new, Action.replace):
            write_atomically(planned.path, planned.text)


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
    outside = [issue for issue in result.cleaned.garbled if id(issue) not in assigned]
    for issue in outside:
        out.append(f"  条目之外的乱码：第 {issue.line} 行第 {issue.column} 列 “{issue.snippet}”（{issue.context}）")
    for planned in result.files:
        entry = planned.draft.entry
        out.append("")
        out.append(f"第 {entry.number} 号 {entry.name}（文章第 {entry.line} 行）→ {relative(planned.path, root)}：{planned.action.value}")
        out.extend(evidence_lines(planned.draft))
        if planned.draft.undecided:
            out.append("  未能确定，请编辑处理：")
            out.extend(f"    - {item}" for item in planned.draft.undecided)
        if planned.warnings:
            out.append("  校验警告：")
            out.extend(f"    {w}" for w in planned.warnings)
    counts = {action: sum(1 for f in result.files if f.action is action) for action in Action}
    out.append("")
    out.append(
        "合计：" + "，".join(f"{action.value} {count} 个" for action, count in counts.items() if count)
        + "。草稿 status 为 draft，描述文字标有【待改写】；编辑审校后改为 published。"
    )
    if counts[Action.unchanged] == len(result.files):
        out.append("所有草稿与已有文件完全相同，没有任何改动。")
    if counts[Action.conflict]:
        out.append("已存在且内容不同的记录没有覆盖；确认要用导入结果替换时加 --force（会显示差异）。")
    return "\n".join(out)
