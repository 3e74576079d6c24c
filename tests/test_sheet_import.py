"""Spreadsheets in, records out: `showcase import 表格.xlsx|.csv`, the template, and the CSV round trip.

The library is tested directly for the many cases (generator.authoring.sheet_import);
the CLI for a few.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.authoring.importing import Action
from generator.authoring.sheet_import import apply_sheet_import, plan_sheet_import
from generator.build.records import load_catalogue
from generator.cli import main
from generator.exporters.csv_export import csv_bytes
from generator.exporters.sheet_export import sheet_bytes
from generator.exporters.sheet_template import template_bytes
from generator.schema.record import Record
from generator.schema.site_config import load_site_config
from site_support import ROOT, make_project


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    root = tmp_path_factory.mktemp("sheets")
    config = make_project(root)
    return config


def _records_of(folder: Path) -> dict[str, dict]:
    """Every record in a folder as the schema reads it, without its status, by slug."""
    found = {}
    for path in sorted(folder.glob("*.yml")):
        data = Record.model_validate(yaml.safe_load(path.read_text(encoding="utf-8"))).model_dump(exclude={"status", "review"})
        found[data["slug"]] = data
    return found


def _import(config, sheet: Path, out: Path, series: str | None = None):
    out.mkdir(exist_ok=True)
    planned = plan_sheet_import(sheet, config, series, out)
    return planned, apply_sheet_import(planned)


@pytest.mark.parametrize("which", ["test records", "shipped records"])
def test_exported_sheet_imports_as_the_same_records(project, tmp_path, which):
    """Round trip: every field of every published record survives export → import."""
    if which == "shipped records":
        root = tmp_path / "shipped"
        root.mkdir()
        shutil.copy(ROOT / "site_config.yml", root)
        shutil.copytree(ROOT / "projects", root / "projects")
        shutil.copytree(ROOT / "content", root / "content")
        config = load_site_config(root / "site_config.yml")
    else:
        config = project
    catalogue = load_catalogue(config, include_drafts=True)
    sheet = tmp_path / "sheet.csv"
    sheet.write_bytes(sheet_bytes(catalogue, [entry.record for entry in catalogue.entries]))
    back = config.root / f"back-{tmp_path.name}"  # inside the repository, as projects/ is
    for folder in config.projects_dir.iterdir():  # the photos, in the folders named like their records
        if folder.is_dir():
            shutil.copytree(folder, back / folder.name)
    planned, written = _import(config, sheet, back)
    assert not planned.errors, planned.errors
    originals = {entry.record.slug: entry.record.model_dump(exclude={"status", "review"}) for entry in catalogue.entries}
    assert _records_of(back) == originals
    assert len(written) == len(originals)


def _excel_copy(csv_data: bytes, path: Path, edit: dict[tuple[int, str], object] | None = None) -> Path:
    """The CSV opened in Excel and saved as .xlsx: numbers become numbers, dates dates."""
    from openpyxl import Workbook

    rows = list(csv.reader(io.StringIO(csv_data.decode("utf-8-sig"))))
    book = Workbook()
    sheet = book.active
    for r, row in enumerate(rows, 1):
        for c, text in enumerate(row, 1):
            value: object = text
            if r > 2 and text:
                try:
                    value = int(text) if text.isdigit() else float(text)
                except ValueError:
                    try:
                        value = dt.datetime.fromisoformat(text)
                    except ValueError:
                        pass
            sheet.cell(row=r, column=c, value=value if text else None)
    labels = rows[0]
    for (r, label), value in (edit or {}).items():
        sheet.cell(row=r, column=labels.index(label) + 1, value=value)
    book.save(path)
    return path


def test_an_excel_edit_changes_exactly_that_field(project, tmp_path):
    catalogue = load_catalogue(project)
    data = sheet_bytes(catalogue, [entry.record for entry in catalogue.visible])
    sheet = _excel_copy(data, tmp_path / "edited.xlsx", {(3, "业主满意度（%）"): 96, (3, "概况"): "改写后的概况。"})
    folder_back = project.root / f"back-{tmp_path.name}"
    for folder in project.projects_dir.iterdir():
        if folder.is_dir():
            shutil.copytree(folder, folder_back / folder.name)
    planned, _ = _import(project, sheet, folder_back)
    assert not planned.errors, planned.errors
    back = _records_of(folder_back)["ceshi-huayuan"]
    original = catalogue.by_slug("ceshi-huayuan").record.model_dump(exclude={"status", "review"})
    assert back["metrics"]["owner_satisfaction"] == {"value": 96, "qualifier": "以上", "note": None}
    assert back["summary"] == "改写后的概况。"
    changed = {key for key in original if original[key] != back[key]}
    assert changed == {"metrics", "summary"}
    text = (folder_back / "047-ceshi-huayuan.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server:") and "status: draft" in text


# ---- every cell problem, named by its cell ----------------------------------------------

HEADERS = ["名称", "标题语", "类型", "编号", "省份", "城市", "概况", "业主满意度（%）", "主题1", "来源1·发布机构", "来源1·标题", "来源1·日期"]
GOOD_ROW = ["甲花园", "好标题", "小区", 61, "湖北", "武汉市", "甲花园的概况。", 95, "红色物业", "中国物业管理协会", "报道", "2022-06-01"]


def _sheet(tmp_path: Path, rows: list[list[object]], name: str = "sheet.csv") -> Path:
    path = tmp_path / name
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADERS, *rows])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


@pytest.mark.parametrize("column, value, expected", [
    ("编号", "六十一", "第 2 行 第 4 列（编号）：应为整数，现在是“六十一”"),
    ("业主满意度（%）", "95%以上", "第 2 行 第 8 列（业主满意度（%））：应为数字，现在是“95%以上”"),
    ("业主满意度（%）", 120, "第 2 行 第 8 列（业主满意度（%））：业主满意度（owner_satisfaction）应在 0–100% 之间，现在是 120 [E226]"),
    ("省份", "湖被", "第 2 行 第 5 列（省份）："),
    ("城市", "汉口市", "第 2 行 第 6 列（城市）："),
    ("主题1", "不存在的主题", "第 2 行 第 9 列（主题1）："),
    ("来源1·日期", "2022/13/01", "第 2 行 第 12 列（来源1·日期）：应为日期，格式 YYYY-MM-DD"),
    ("类型", "大楼", "第 2 行 第 3 列（类型）："),
    ("名称", "", "表格 第 2 行：缺少必填字段 名称（name）"),
])
def test_every_cell_problem_names_its_row_and_column(project, tmp_path, column, value, expected):
    row = list(GOOD_ROW)
    row[HEADERS.index(column)] = value
    planned, written = _import(project, _sheet(tmp_path, [row, GOOD_ROW[:3] + [62] + GOOD_ROW[4:]]), tmp_path / "out", "national-2022")
    assert any(expected in error for error in planned.errors), planned.errors
    assert all(error.startswith("表格 第 2 行") for error in planned.errors), planned.errors  # the good row has none
    assert written == [] and not any((tmp_path / "out").iterdir())  # a sheet with any error writes nothing


def test_existing_records_are_never_overwritten(project, tmp_path):
    out = tmp_path / "out"
    planned, written = _import(project, _sheet(tmp_path, [GOOD_ROW]), out, "national-2022")
    assert [p.action for p in planned.rows] == [Action.new] and len(written) == 1
    before = written[0].read_bytes()
    again, written_again = _import(project, _sheet(tmp_path, [GOOD_ROW]), out, "national-2022")
    assert [p.action for p in again.rows] == [Action.unchanged] and written_again == []
    changed = list(GOOD_ROW)
    changed[HEADERS.index("标题语")] = "改了的标题语"
    third, _ = _import(project, _sheet(tmp_path, [changed]), out, "national-2022")
    assert [p.action for p in third.rows] == [Action.conflict]
    assert written[0].read_bytes() == before
    # Published and renamed by an editor: found by series and number, never changed (as `showcase import`).
    published = out / "061-bianji-gaiming.yml"
    # As an editor writes it: the summary wrapped over two lines (YAML reads a space there; the schema does not).
    edited = before.decode("utf-8").replace("status: draft", "status: published").replace("甲花园的概况。", "甲花园的概况，\n  写在两行。")
    assert edited.count("\n  写在两行。") == 1
    published.write_text(edited, encoding="utf-8")
    written[0].unlink()
    same = list(GOOD_ROW)
    same[HEADERS.index("概况")] = "甲花园的概况，写在两行。"
    for row, action in ((changed, Action.protected), (same, Action.unchanged)):
        planned, written_now = _import(project, _sheet(tmp_path, [row]), out, "national-2022")
        assert [(p.action, p.path) for p in planned.rows] == [(action, published)] and written_now == []
    assert [p.name for p in out.iterdir()] == [published.name] and "status: published" in published.read_text(encoding="utf-8")


def test_gbk_csv_from_chinese_excel_is_read(project, tmp_path):
    buffer = io.StringIO()
    csv.writer(buffer).writerows([HEADERS, GOOD_ROW])
    path = tmp_path / "gbk.csv"
    path.write_bytes(buffer.getvalue().encode("gbk"))
    planned, written = _import(project, path, tmp_path / "out", "national-2022")
    assert not planned.errors and len(written) == 1


def test_unknown_columns_and_other_files_are_clear_errors(project, tmp_path):
    from generator.errors import UserError

    path = tmp_path / "odd.csv"
    path.write_text("名称,楼层数\n甲,3\n", encoding="utf-8")
    with pytest.raises(UserError, match="第 2 列（楼层数）"):
        plan_sheet_import(path, project, "national-2022", tmp_path)
    open_data = tmp_path / "records.csv"  # the site's data/records.csv and records-keys.csv, as published
    catalogue = load_catalogue(project)
    for header in ("labels", "keys"):
        open_data.write_bytes(csv_bytes(catalogue, [entry.record for entry in catalogue.entries], header))
        with pytest.raises(UserError, match="export --format sheet"):
            plan_sheet_import(open_data, project, "national-2022", tmp_path)
    other = tmp_path / "a.xlsx"
    other.write_bytes(b"not a zip")
    with pytest.raises(UserError, match="不是有效的 .xlsx"):
        plan_sheet_import(other, project, "national-2022", tmp_path)


# ---- the template -----------------------------------------------------------------


def test_template_has_headers_keys_and_drop_downs_and_imports_when_filled(project, tmp_path):
    from openpyxl import load_workbook

    data = template_bytes(project.catalogue)
    assert data == template_bytes(project.catalogue)  # the same bytes every build
    path = tmp_path / "template.xlsx"
    path.write_bytes(data)
    book = load_workbook(path)
    sheet = book["记录"]
    headers = [cell.value for cell in sheet[1]]
    keys = [cell.value for cell in sheet[2]]
    assert headers[:4] == ["类型", "系列", "编号", "名称"] and keys[:4] == ["kind", "series", "number", "name"]
    lists = {str(v.sqref).split(":")[0].rstrip("0123456789"): v.formula1 for v in sheet.data_validations.dataValidation}
    options = book["选项"]

    def choices(header: str) -> list[str]:
        from openpyxl.utils import get_column_letter

        letter = get_column_letter(headers.index(header) + 1)
        column = lists[letter].split("!")[1].split(":")[0].strip("$").rstrip("0123456789").strip("$")
        return [c.value for c in options[column][1:] if c.value]

    assert "湖北省" in choices("省份") and len(choices("省份")) >= 34
    assert "红色物业" in choices("主题1") and "社区物业党建" in choices("主题1")
    assert choices("类型") == ["小区", "社区", "区域做法"] and "以上" in choices("业主满意度·限定词")
    # An editor fills in two rows below the headers; the import reads them.
    for column, value in zip(HEADERS, GOOD_ROW):
        sheet.cell(row=3, column=headers.index(column) + 1, value=value)
    sheet.cell(row=3, column=headers.index("系列") + 1, value="national-2022")
    book.save(path)
    planned, written = _import(project, path, tmp_path / "out")
    assert not planned.errors, planned.errors
    assert [w.name for w in written] == ["061-jia-huayuan.yml"]


def test_cli_imports_a_sheet_and_refuses_force(project, tmp_path):
    sheet = _sheet(tmp_path, [GOOD_ROW])
    args = ["import", str(sheet), "--config", str(project.path), "--series", "national-2022", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "表格 第 2 行 甲花园 → " in result.output and "新建" in result.output
    forced = CliRunner().invoke(main, [*args, "--force"])
    assert forced.exit_code == 2 and "从不改动" in forced.output
