"""The `showcase` command: a thin layer over library functions.

Each command parses options, calls one library function and turns its result
into output and an exit code. User mistakes arrive as UserError (printed
without a traceback); anything else is a bug in this package.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from generator.schema.site_config import DEFAULT_CONFIG, load_site_config
from generator.text import click_zh

click_zh.install()  # click's own texts (Usage, Options, Missing option …) in Chinese


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


# Set by commands that end holding a large heap and nothing else to clean up (see `run`).
_quick_exit = False


def _exit_without_teardown() -> None:
    global _quick_exit
    _quick_exit = True


def run() -> None:
    """The console entry point (`showcase`, `python -m generator`): `main`, then, for a command that
    asked for it, an exit without the interpreter's teardown (generator.build.heap.exit_now)."""
    try:
        main()
    except SystemExit as exc:
        if not _quick_exit:
            raise
        code = exc.code
        if code is None:
            code = 0
        elif not isinstance(code, int):
            print(code, file=sys.stderr)
            code = 1
        from generator.build.heap import exit_now

        exit_now(code)


class _Command(click.Command):
    """A command whose usage line says [选项] (click's metavars are plain strings, not messages)."""

    def __init__(self, *args, options_metavar: str = "[选项]", **kwargs) -> None:
        super().__init__(*args, options_metavar=options_metavar, **kwargs)


class _Group(click.Group):
    command_class = _Command

    def __init__(self, *args, options_metavar: str = "[选项]", subcommand_metavar: str = "命令 [参数]...", **kwargs) -> None:
        super().__init__(*args, options_metavar=options_metavar, subcommand_metavar=subcommand_metavar, **kwargs)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="meihao-jiayuan-showcase")
def main() -> None:
    """美好家园项目展示：校验记录、生成网站、导入文章、导出各渠道稿件。"""
    # A path from the command line or the disk may hold bytes that are not UTF-8 (a GBK file
    # name): shown as \xb8 escapes instead of ending the command with UnicodeEncodeError.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")


@main.command()
@config_option
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True, help="输出格式")
@click.option("--strict", is_flag=True, help="把警告也当作错误")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check(config_path: Path, output_format: str, strict: bool, paths: tuple[Path, ...]) -> None:
    """校验记录（默认 projects/ 下全部 .yml），一次列出所有问题。"""
    from generator.build.records import check_records

    config = load_site_config(config_path)
    _exit_without_teardown()  # the cache is saved and the worker pool closed before check_records returns
    from generator.build.heap import no_collection_until_exit

    no_collection_until_exit()
    report = check_records(config, paths=list(paths) or None)
    click.echo(report.as_json() if output_format == "json" else report.as_text())
    sys.exit(1 if report.failed(strict) else 0)


@main.command()
@config_option
@click.option("--check", "check_only", is_flag=True, help="只检查 schema/record.schema.json 是否最新")
def schema(config_path: Path, check_only: bool) -> None:
    """生成记录的 JSON Schema（供 VS Code 补全和校验）。"""
    from generator.schema.json_schema import SCHEMA_PATH, schema_text, write_schema

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
    from generator.authoring.scaffold import new_record

    config = load_site_config(config_path)
    path = new_record(config, name, series, number, province, city, district)
    click.echo(f"已新建 {path.relative_to(config.root)}；填写后运行 showcase check")


# The export command's formats come from the exporters' registry; importing it
# is cheap because format modules load only when used.
from generator.exporters import EXPORTER_BY_NAME  # noqa: E402


@main.command(
    epilog="\b\n格式：\n" + "\n".join(f"  {name:<7}{e.description}" for name, e in EXPORTER_BY_NAME.items())
)
@config_option
@click.option("--format", "format_name", required=True, type=click.Choice(list(EXPORTER_BY_NAME)), help="导出格式")
@click.option("--province", multiple=True, help="只导出该省份，如 湖北（可重复）")
@click.option("--series", multiple=True, help="只导出该系列，如 national-2022（可重复）")
@click.option("--number", type=int, multiple=True, help="只导出该编号，如 47（可重复）")
@click.option("--drafts", is_flag=True, help="包括草稿（用于审校；csv/json 永远只含已发布记录）")
@click.option(
    "--layout", type=click.Choice(["flow", "page"]), default="flow", show_default=True,
    help="pdf：flow 各项目接排（双栏平衡），page 每个项目另起一页",
)
@click.option("--crop-marks", is_flag=True, help="pdf：在出血外加裁切线")
@click.option(
    "--csv-header", type=click.Choice(["labels", "keys"]), default="labels", show_default=True,
    help="csv：第一行用中文列名（labels）或稳定的英文键名（keys）",
)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="输出文件夹")
@click.option("--skip-invalid", is_flag=True, help="有错误的记录略过不导出，只导出其余的（默认：有错误就不导出）")
def export(
    config_path: Path, format_name: str, province: tuple[str, ...], series: tuple[str, ...], number: tuple[int, ...],
    drafts: bool, layout: str, crop_marks: bool, csv_header: str, out_dir: Path, skip_invalid: bool,
) -> None:
    """把记录导出为公众号文章、杂志稿件（ICML/DOCX/PDF）或开放数据（CSV/JSON）。

    不同选项之间取交集（--province 湖北 --series national-2022），同一选项重复时取并集。
    多条记录按系列、再按省份（系列中的顺序）排列。
    有错误的记录不会导出：默认什么都不写并退出（返回 1）；加 --skip-invalid 则导出其余的记录并说明略过了几个。
    """
    from generator.exporters import ExportJob, Selection, export as run_export
    from generator.build.records import load_catalogue

    config = load_site_config(config_path)
    catalogue = load_catalogue(config, include_drafts=drafts)
    invalid = len({problem.path for problem in catalogue.report.errors})
    if invalid and not skip_invalid:
        click.echo(catalogue.report.as_text(), err=True)
        click.echo(f"没有导出：{invalid} 个记录文件有错误（见上）。请先改正；若只导出其余的记录，请加 --skip-invalid。", err=True)
        sys.exit(1)
    if invalid:
        click.echo(f"注意：{invalid} 个有错误的记录文件已略过，没有导出；运行 showcase check 查看。", err=True)
    job = ExportJob(layout=layout, crop_marks=crop_marks, csv_header=csv_header, progress=sys.stderr.isatty())  # type: ignore[arg-type]
    written = run_export(catalogue, format_name, Selection(province, series, number), out_dir, job)
    for path in written:
        click.echo(f"已写入 {path}")
    for warning in job.warnings:
        click.echo(f"注意：{warning}", err=True)


@main.command("clean")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="写入此文件（默认输出到屏幕）")
@click.option("--force", is_flag=True, help="允许覆盖已存在的输出文件")
def clean_command(path: Path, output: Path | None, force: bool) -> None:
    """清理转换残留：繁体转简体、删除拼音注音、规范标点；乱码只标出位置，不删除也不猜测。"""
    from generator.authoring.importing import read_article
    from generator.authoring.writer import write_text_file
    from generator.text.cleaning import clean_text

    result = clean_text(read_article(path))
    if output:
        write_text_file(output, result.text, force=force)
        click.echo(f"已写入 {output}", err=True)
    else:
        click.echo(result.text, nl=not result.text.endswith("\n"))
    for issue in result.garbled:
        click.echo(issue.format(str(path)), err=True)
    click.echo(
        f"繁体转简体 {result.traditional_converted} 字，删除拼音注音 {result.pinyin_removed} 处，乱码 {len(result.garbled)} 处（需人工核实）",
        err=True,
    )


@main.command("import")
@config_option
@click.argument("article", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--series", help="系列 id（文章默认 national-2022；表格中“系列”列为空的行用它）")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="草稿写入的文件夹（默认 projects/）")
@click.option("--number", "numbers", type=int, multiple=True, help="只导入文章中的这个编号（可重复）")
@click.option("--force", is_flag=True, help="已有的草稿：只补上空着的字段（显示改动）；已发布的记录从不改动（仅文章）")
@click.option("--beside", is_flag=True, help="已有的记录：把导入结果写在旁边的 .new 文件里对照，记录本身不动（仅文章）")
@click.option("--dry-run", is_flag=True, help="只显示将要做的事和改动，不写任何文件")
def import_command(
    config_path: Path, article: Path, series: str | None, out_dir: Path | None, numbers: tuple[int, ...], force: bool, beside: bool, dry_run: bool
) -> None:
    """把文章或表格导入为 status: draft 草稿记录，并列出审校清单；从不改动已发布的记录和编辑填过的内容。

    ARTICLE 是文章（.txt），或每行一条记录的表格（.xlsx/.csv，模板可从网站“数据下载”获取）。
    表格的每个问题都指明“表格 第 N 行 第 M 列（列名）”；有问题时不写入任何文件，已有记录不会被改动。
    """
    from generator.authoring.importing import Action, apply_import, plan_import, review_text
    from generator.authoring.sheet_import import SHEET_SUFFIXES

    if force and beside:
        raise click.UsageError("--force 和 --beside 只能选一个")
    config = load_site_config(config_path)
    if article.suffix.lower() in SHEET_SUFFIXES:
        from generator.authoring.sheet_import import apply_sheet_import, plan_sheet_import, sheet_report

        if force or beside or numbers:
            raise click.UsageError("表格导入从不改动已有记录，--force、--beside、--number 只用于文章导入")
        sheet_plan = plan_sheet_import(article, config, series, out_dir or config.projects_dir)
        if dry_run:
            click.echo("（--dry-run：以下是将要做的事，没有写入任何文件）")
        else:
            apply_sheet_import(sheet_plan)
        click.echo(sheet_report(sheet_plan, config.root))
        sys.exit(1 if sheet_plan.errors or sheet_plan.refused else 0)
    result = plan_import(
        article, config, series or "national-2022", out_dir or config.projects_dir, force=force, beside=beside, numbers=numbers
    )
    for planned in result.files:
        if planned.action is Action.merged:
            click.echo(planned.diff())
    if dry_run:
        click.echo("（--dry-run：以下是将要做的事，没有写入任何文件）")
    else:
        apply_import(result)
    click.echo(review_text(result, config.root))
    sys.exit(1 if result.refused else 0)


# ---- website: build and serve (generator.build.pipeline, generator.mkdocs_adapter.serve) ----------


def _show_mkdocs_warnings() -> None:
    """MkDocs reports through logging; show its warnings (not its progress chatter) once."""
    import logging

    logger = logging.getLogger("mkdocs")
    if not any(getattr(h, "_showcase", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setLevel(logging.WARNING)
        handler.setFormatter(logging.Formatter("MkDocs %(levelname)s: %(message)s"))
        handler._showcase = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
        logger.propagate = False


@main.command("build")
@config_option
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), help="输出文件夹（默认 site_config.yml 的 site_dir）")
@click.option("--drafts", is_flag=True, help="包括草稿并标出“草稿”（仅用于预览，须同时指定 --out）")
@click.option("--strict", is_flag=True, help="把警告也当作错误（记录的警告和 MkDocs 的警告）")
def build_command(config_path: Path, out_dir: Path | None, drafts: bool, strict: bool) -> None:
    """生成网站。记录有错误时列出全部问题并退出，不写任何文件，原有网站保持不变。"""
    from generator.build.pipeline import build as build_site

    if drafts and out_dir is None:
        raise click.UsageError("--drafts 须同时指定 --out：草稿不能写进公开网站的目录")
    config = load_site_config(config_path)
    _show_mkdocs_warnings()
    _exit_without_teardown()  # the build's pools and staging folder are closed before it returns
    result = build_site(config, out_dir=out_dir, include_drafts=drafts, strict=strict, progress=True)
    if not result.ok:
        click.echo(result.report.as_text())
        click.echo("网站未生成：请先改正以上问题。", err=True)
        sys.exit(1)
    if result.report.warnings:
        click.echo(result.report.as_text(), err=True)
    photos = f"；照片 {result.photos} 张，本次处理 {result.photos_processed} 张（其余来自 .cache/media）" if result.photos else ""
    click.echo(f"已生成网站 {result.site_dir}：{result.pages} 页，其中项目页 {result.records} 页{photos}")


@main.command("serve")
@config_option
@click.option("--drafts", is_flag=True, help="同时显示草稿（标出“草稿”）")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535), help="端口")
@click.option("--host", default="127.0.0.1", show_default=True, help="监听地址")
def serve_command(config_path: Path, drafts: bool, port: int, host: str) -> None:
    """本地预览网站：修改记录、content/ 或 site_config.yml 后自动重建并刷新浏览器。"""
    from generator.mkdocs_adapter.serve import serve

    _show_mkdocs_warnings()
    serve(config_path, include_drafts=drafts, host=host, port=port)
