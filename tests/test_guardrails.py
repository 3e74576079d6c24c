"""Editorial guardrails in `showcase check`: nothing unfinished or copied is published, messages
speak the editor's language, and one run lists every problem of a file.

Most cases go through the library (check_document, what `showcase check` runs per file); a few
through the command line.
"""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from generator.checks import check_document
from generator.cli import main
from generator.errors import Problem, Severity
from generator.load.yaml_reader import parse_text
from generator.schema.site_config import load_site_config

ROOT = Path(__file__).resolve().parents[1]
CONFIG = load_site_config(ROOT / "site_config.yml")


def record(**changes) -> dict:
    """A valid published record; `changes` replace top-level fields."""
    base = {
        "kind": "estate", "series": "national-2022", "number": 7, "name": "守望·测试花园",
        "headline": "邻里守望 共治共享", "slug": "shouwang-ceshi-huayuan", "status": "published",
        "location": {"province": "湖北省", "city": "武汉市", "district": "硚口区"},
        "summary": "编辑用自己的话写的概况：小区依托业委会和物业共同议事，解决停车和充电难题。",
        "metrics": {"households": 1200},
        "sources": [{"publisher": "中国物业管理协会", "title": "测试来源"}],
    }
    base.update(changes)
    return base


def problems_of(data: dict | str, path: str = "projects/x.yml") -> list[Problem]:
    text = data if isinstance(data, str) else yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return check_document(parse_text(text, path), CONFIG).problems(path, CONFIG)


def codes(problems: list[Problem]) -> list[str]:
    return [p.code for p in problems]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    """A copy of the configuration with an empty projects/ folder."""
    shutil.copy(ROOT / "site_config.yml", tmp_path / "site_config.yml")
    (tmp_path / "projects").mkdir()
    (tmp_path / "content").mkdir()
    return tmp_path


def invoke(repo: Path, *args: str):
    return CliRunner().invoke(main, [args[0], "--config", str(repo / "site_config.yml"), *args[1:]])


# ---- nothing unfinished is published ------------------------------------------------------


def test_scaffolded_record_cannot_be_published_with_its_placeholders(repo: Path) -> None:
    assert invoke(repo, "new", "守望花园", "--number", "7", "--province", "湖北省").exit_code == 0
    [path] = (repo / "projects").glob("*.yml")
    assert invoke(repo, "check", "--strict").exit_code == 0  # a draft may keep them
    text = path.read_text(encoding="utf-8").replace("status: draft", "status: published")
    path.write_text(text, encoding="utf-8")
    result = invoke(repo, "check", "--strict")
    assert result.exit_code == 1
    lines = text.splitlines()
    for field in ("headline:", "summary:", "- publisher:", "title:"):
        number = next(i for i, line in enumerate(lines, start=1) if line.lstrip().startswith(field))
        assert f"{path.name}:{number}:" in result.output and "[E260]" in result.output, (field, result.output)


@pytest.mark.parametrize(
    ("where", "value"),
    [
        (("headline",), "请填写标题语"),  # a record scaffolded before the bracket convention
        (("sources", 0, "publisher"), "待核实"),
        (("summary",), "【待改写】小区有住户1200户。"),
        (("notes",), ["地址【待核实】"]),
    ],
)
def test_every_placeholder_form_is_an_error_on_a_published_record(where: tuple, value: object) -> None:
    data = record()
    target = data
    for part in where[:-1]:
        target = target[part]
    target[where[-1]] = value
    found = [p for p in problems_of(data) if p.code == "E260"]
    assert len(found) == 1 and found[0].severity is Severity.error
    draft = copy.deepcopy(data) | {"status": "draft"}
    assert "E260" not in codes(problems_of(draft))


def test_ordinary_text_with_brackets_or_request_words_is_not_a_placeholder() -> None:
    data = record(summary="小区设立【议事角】，请居民参与议事，待遇问题由业委会协商。", notes=["请勿与同名小区混淆。"])
    assert problems_of(data) == []
