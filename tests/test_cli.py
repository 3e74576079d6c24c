"""CLI behaviour through click's CliRunner, and the README documenting it."""

from __future__ import annotations

import shutil
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from cli_support import empty_repo, invoke

from generator.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture()
def repo(tmp_path: Path) -> Path:
    return empty_repo(tmp_path)


def test_new_writes_a_draft_that_validates(repo: Path) -> None:
    result = invoke(repo, "new", "葛洲坝·城市花园", "--number", "47", "--province", "湖北", "--city", "武汉市", "--district", "硚口区")
    assert result.exit_code == 0, result.output
    path = repo / "projects" / "047-gezhouba-chengshi-huayuan.yml"
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/record.schema.json\n")
    assert "status: draft" in text and 'province: "湖北省"' in text
    check = invoke(repo, "check")
    assert check.exit_code == 0, check.output


def test_new_never_overwrites(repo: Path) -> None:
    args = ("new", "测试花园", "--number", "3", "--province", "湖北省")
    assert invoke(repo, *args).exit_code == 0
    path = repo / "projects" / "003-ceshi-huayuan.yml"
    path.write_text(path.read_text(encoding="utf-8") + "# editor's work\n", encoding="utf-8")
    second = invoke(repo, *args)
    assert second.exit_code == 1
    assert "已存在" in second.output and "Traceback" not in second.output
    assert path.read_text(encoding="utf-8").endswith("# editor's work\n")
    assert not [p for p in (repo / "projects").iterdir() if p.name.startswith(".tmp-")]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("new", "甲", "--province", "湖北省", "--series", "national-2021", "--number", "1"), "你是不是想写 national-2022"),
        (("new", "甲", "--province", "湖北省"), "请用 --number 给出编号"),
        (("new", "甲", "--province", "火星", "--number", "1"), "未知省份 火星"),
    ],
)
def test_new_rejects_bad_input_clearly(repo: Path, args: tuple[str, ...], message: str) -> None:
    result = invoke(repo, *args)
    assert result.exit_code == 1
    assert message in result.output
    assert not list((repo / "projects").iterdir())


def test_schema_check_detects_stale_schema(repo: Path) -> None:
    assert invoke(repo, "schema", "--check").exit_code == 1
    assert invoke(repo, "schema").exit_code == 0
    assert invoke(repo, "schema", "--check").exit_code == 0


def test_missing_config_is_a_user_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--config", str(tmp_path / "nope.yml")])
    assert result.exit_code == 1
    assert "找不到配置文件" in result.output


def _commands(group: click.Group) -> list[click.Command]:
    return [group.commands[name] for name in sorted(group.commands)]


def test_every_command_and_option_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for command in _commands(main):
        if f"showcase {command.name}" not in readme:
            missing.append(f"showcase {command.name}")
        for param in command.params:
            if isinstance(param, click.Option) and param.name != "config_path":
                if not any(opt in readme for opt in param.opts):
                    missing.append(f"showcase {command.name} {param.opts[0]}")
    assert not missing, f"document these in README.md: {missing}"


def test_clean_never_overwrites_without_force(tmp_path: Path) -> None:
    article = tmp_path / "article.txt"
    article.write_text("小區開(kāi)展活動(dòng)。\n", encoding="utf-8")
    output = tmp_path / "cleaned.txt"
    output.write_text("editor's work\n", encoding="utf-8")
    refused = CliRunner().invoke(main, ["clean", str(article), "-o", str(output)])
    assert refused.exit_code == 1 and "不会覆盖" in refused.output
    assert output.read_text(encoding="utf-8") == "editor's work\n"
    forced = CliRunner().invoke(main, ["clean", str(article), "-o", str(output), "--force"])
    assert forced.exit_code == 0, forced.output
    assert output.read_text(encoding="utf-8").startswith("小区开展活动")


def run_showcase(repo: Path, *args: str):
    """The real entry point in a process of its own (`run` may end it without interpreter teardown)."""
    import subprocess
    import sys

    command = [sys.executable, "-m", "generator", args[0], "--config", str(repo / "site_config.yml"), *args[1:]]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_entry_point_check_prints_everything_and_exits_with_its_code(repo: Path) -> None:
    shutil.copy(ROOT / "tests/fixtures/valid/qianxian.yml", repo / "projects" / "good.yml")
    clean = run_showcase(repo, "check")
    assert (clean.returncode, clean.stderr) == (0, "")
    assert clean.stdout.strip().endswith("检查了 1 个文件：0 个错误，0 个警告。")
    (repo / "projects" / "bad.yml").write_text("kind: estate\nname: 缺字段\n", encoding="utf-8")
    broken = run_showcase(repo, "check", "--format", "json")
    assert broken.returncode == 1
    assert '"E' in broken.stdout and broken.stdout.rstrip().endswith("}")  # the whole JSON report arrived


def test_entry_point_build_exits_cleanly_after_writing_the_site(repo: Path) -> None:
    shutil.copy(ROOT / "content" / "index.md", repo / "content" / "index.md")
    shutil.copy(ROOT / "content" / "about.md", repo / "content" / "about.md")
    shutil.copy(ROOT / "tests/fixtures/valid/qianxian.yml", repo / "projects" / "good.yml")
    built = run_showcase(repo, "build", "--out", str(repo / "out"))
    assert built.returncode == 0, built.stderr
    assert "已生成网站" in built.stdout
    assert (repo / "out" / "sitemap.xml").is_file()
    assert sorted(p.name for p in repo.iterdir()) == ["content", "out", "projects", "site_config.yml"]  # no staging left


# ---- click's own texts in Chinese (generator/text/click_zh.py) ------------------------


def _click_messages() -> list[tuple[str, ...]]:
    """Every message the installed click marks for translation: _("…") and ngettext("…", "…", n)."""
    import ast

    found = []
    for path in sorted(Path(click.__file__).parent.glob("*.py")):
        if path.name == "_winconsole.py":  # Windows console only
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext"):
                texts = tuple(a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str))
                if texts:
                    found.append(texts)
    return found


def test_every_message_click_marks_has_a_chinese_text() -> None:
    from generator.text.click_zh import MESSAGES, PLURALS

    missing = [texts for texts in _click_messages() if (texts[0] not in MESSAGES if len(texts) == 1 else texts not in PLURALS)]
    assert not missing, f"click marks messages generator/text/click_zh.py does not translate: {missing}"


@pytest.mark.parametrize("args, expected", [
    (["--help"], ["用法: showcase [选项] 命令 [参数]...", "选项:", "命令:", "显示本帮助并退出。"]),
    (["build", "--help"], ["用法: showcase build [选项]", "生成网站"]),
    (["export", "--help"], ["导出格式  [必填]", "[默认：flow]"]),
    (["nosuch"], ["错误：没有命令 'nosuch'。", "运行 'showcase --help' 查看帮助。"]),
    (["new", "某小区"], ["错误：缺少选项 '--province'"]),
    (["check", "--format", "xml"], ["'--format' 的值无效：'xml' 不是可选值（'text', 'json'）。"]),
    (["serve", "--port", "x"], ["'x' 不是有效的数字。"]),
    (["check", "--nosuch"], ["错误：没有选项 '--nosuch'。"]),
])
def test_click_speaks_chinese(args: list[str], expected: list[str]) -> None:
    result = CliRunner().invoke(main, args, prog_name="showcase")
    for text in expected:
        assert text in result.output, result.output
    for english in ("Usage:", "Options", "Error:", "Missing", "No such", "Show this message", "required", "default:"):
        assert english not in result.output
