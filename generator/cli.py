"""The `showcase` command: a thin layer over library functions.

Each command parses options, calls one library function and turns its result
into output and an exit code. User mistakes arrive as UserError (printed
without a traceback); anything else is a bug in this package.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.config import DEFAULT_CONFIG, load_site_config


def config_option(func):
    """Shared --config option: every command reads the same site_config.yml."""
    return click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_CONFIG,
        show_default=True,
        help="site_config.yml 的路径",
    )(func)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="meihao-jiayuan-showcase")
def main() -> None:
    """美好家园项目展示：校验记录、生成网站、导入文章、导出各渠道稿件。"""


@main.command()
@config_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.option("--strict", is_flag=True, help="把警告也当作错误")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(config_path: Path, output_format: str, strict: bool, paths: tuple[Path, ...]) -> None:
    """校验记录（默认 projects/ 下全部 .yml），一次列出所有问题。"""
    from generator.records import load_catalogue

    config = load_site_config(config_path)
    catalogue = load_catalogue(config, paths=list(paths) or None)
    report = catalogue.report
    click.echo(report.as_json() if output_format == "json" else report.as_text())
    sys.exit(1 if report.failed(strict) else 0)


@main.command()
@config_option
@click.option("--check", "check_only", is_flag=True, help="只检查 schema/record.schema.json 是否最新")
def schema(config_path: Path, check_only: bool) -> None:
    """生成记录的 JSON Schema（供 VS Code 补全和校验）。"""
    from generator.schema import SCHEMA_PATH, schema_text, write_schema

    config = load_site_config(config_path)
    if check_only:
        current = (config.root / SCHEMA_PATH)
        if not current.exists() or current.read_text(encoding="utf-8") != schema_text(config.catalogue):
            raise click.ClickException(f"{SCHEMA_PATH} 已过期；请运行 showcase schema 重新生成")
        click.echo(f"{SCHEMA_PATH} 是最新的")
        return
    click.echo(f"已写入 {write_schema(config.catalogue, config.root)}")


@main.command()
@config_option
@click.argument("name")
@click.option("--series", default="national-2022", show_default=True, help="系列 id")
@click.option("--number", type=int, help="系列内编号（编号系列必填）")
@click.option("--province", required=True, help="省份，如 湖北省")
@click.option("--city", help="城市，如 武汉市")
@click.option("--district", help="区县，如 硚口区")
def new(config_path: Path, name: str, series: str, number: int | None, province: str, city: str | None, district: str | None) -> None:
    """新建一条草稿记录（不会覆盖已有文件）。"""
    from generator.scaffold import new_record

    config = load_site_config(config_path)
    path = new_record(config, name, series, number, province, city, district)
    click.echo(f"已新建 {path.relative_to(config.root)}；填写后运行 showcase check")
