"""click's own texts in Chinese: Usage, Options, Missing option, No such command, --help …

click marks its messages for gettext (`from gettext import gettext as _` in
each of its modules) but asks gettext for the process's language, which on a
server or in CI is English or C. The showcase speaks Chinese whatever the
locale, so `install()` gives click's modules a `_` and `ngettext` that look
the message up in the table below. tests/test_cli.py checks that the table
covers every message the installed click marks, so an upgrade that adds one
is noticed.
"""

from __future__ import annotations

import importlib

# Singular messages: click's text → ours. Placeholders stay as click fills them.
MESSAGES: dict[str, str] = {
    # Help pages
    "Usage:": "用法:",  # click puts a space after it and a colon after headings: ASCII colons throughout
    "Options": "选项",
    "Commands": "命令",
    "Positional arguments": "位置参数",
    "Show this message and exit.": "显示本帮助并退出。",
    "Show the version and exit.": "显示版本号并退出。",
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "env var: {var}": "环境变量：{var}",
    "default: {default}": "默认：{default}",
    "required": "必填",  # passed to _() as a variable (core.Option.get_help_extra), so no scan finds it
    "(dynamic)": "（动态）",
    "deprecated": "已弃用",
    "Choose from:\n\t{choices}": "可选值：\n\t{choices}",
    "Choice({choices})": "Choice({choices})",
    "file": "文件",
    "directory": "文件夹",
    "path": "路径",
    # Errors of usage
    "Error: {message}": "错误：{message}",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Missing command.": "缺少命令。",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "Missing argument": "缺少参数",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing {param_type}": "缺少{param_type}",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "unknown error": "未知错误",
    "Aborted!": "已中止。",
    "Value must be an iterable.": "值必须是一组值。",
    "Invalid start character for option ({option})": "选项的开头字符无效（{option}）",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Argument {name!r} takes {nargs} values.": "参数 {name!r} 需要 {nargs} 个值。",
    "DeprecationWarning: The command {name!r} is deprecated.{extra_message}": "提示：命令 {name!r} 已弃用。{extra_message}",
    "DeprecationWarning: The {param_type} {name!r} is deprecated.{extra_message}": "提示：{name!r} 已弃用。{extra_message}",
    # Values
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 之内。",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的数字。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值。可用的值：{states}",
    "{value!r} is not a valid UUID.": "{value!r} 不是有效的 UUID。",
    "{name} {filename!r} is a file.": "{filename!r} 是文件，这里需要文件夹。",
    "{name} {filename!r} is a directory.": "{filename!r} 是文件夹，这里需要文件。",
    "{name} {filename!r} is not readable.": "{filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{filename!r} 无法写入。",
    "{name} {filename!r} is not executable.": "{filename!r} 无法执行。",
    "{name} {filename!r} does not exist.": "{filename!r} 不存在。",
    # Prompts
    "Do you want to continue?": "要继续吗？",
    "Confirm the action without prompting.": "不询问，直接确认。",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Error: The two entered values do not match.": "错误：两次输入不一致。",
    "Error: invalid input": "错误：输入无效",
    "d": "d",
    "{editor}: Editing failed": "{editor}：编辑失败",
    "{editor}: Editing failed: {e}": "{editor}：编辑失败：{e}",
    # Mistakes in a program's declarations (our bugs, not the user's): translated all the same.
    "Could not determine name for option with declarations {decls!r}": "无法确定选项 {decls!r} 的名称",
    "No options defined but a name was passed ({name}). Did you mean to declare an argument instead? Did you mean to pass '--{name}'?":
        "没有定义选项却给了名称（{name}）。是要声明参数，还是要写 '--{name}'？",
    "Arguments take exactly one parameter declaration, got {length}: {decls}.": "参数只能有一个声明，现在有 {length} 个：{decls}。",
    "Name '{name}' defined twice": "名称 '{name}' 定义了两次",
    "Boolean option {decl!r} cannot use the same flag for true/false.": "是/否选项 {decl!r} 的两个值不能用同一个开关。",
    "Unknown color {colour!r}": "未知的颜色 {colour!r}",
    "Unknown standard stream '{name}'": "未知的标准流 '{name}'",
    "Couldn't detect Bash version, shell completion is not supported.": "无法确定 Bash 版本，不支持命令补全。",
    "Shell completion is not supported for Bash versions older than 4.4.": "Bash 4.4 以前的版本不支持命令补全。",
}

# Messages with a plural form: (singular, plural) → ours (Chinese has one form for both). click
# passes the same values to both forms' placeholders; any it does not pass are left empty.
PLURALS: dict[tuple[str, str], str] = {
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"): "多余的参数（{args}）",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."): "需要 {nargs} 个值，现在给了 {len} 个。",
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"): "（你是不是想写：{possibilities}？）",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."): "选项 {name!r} 需要 {nargs} 个值。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."): "{value!r} 不是可选值（{choices}）。",
    ("{value!r} does not match the format {format}.", "{value!r} does not match the formats {formats}."): "{value!r} 不符合格式 {formats}。",
    ("{len_type} values are required, but {len_value} was given.", "{len_type} values are required, but {len_value} were given."):
        "需要 {len_type} 个值，现在给了 {len_value} 个。",
}

# click's modules that mark messages (each imported gettext's functions by name).
CLICK_MODULES = (
    "click.core", "click.decorators", "click.exceptions", "click.formatting", "click.parser",
    "click.types", "click.termui", "click.utils", "click.shell_completion", "click._termui_impl",
)


def gettext(message: str) -> str:
    return MESSAGES.get(message, message)


def ngettext(singular: str, plural: str, count: int) -> str:
    chinese = PLURALS.get((singular, plural))
    if chinese is None:
        return singular if count == 1 else plural
    return _PluralText(chinese)


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


class _PluralText(str):
    """Our one form may name a placeholder of the other English form: .format() leaves it empty when not passed."""

    def format(self, *args: object, **kwargs: object) -> str:  # type: ignore[override]
        return str.format_map(str(self), _Blank(kwargs))


def install() -> None:
    """Give click's modules the Chinese texts (idempotent; call before click builds any message)."""
    for name in CLICK_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError:  # a module a future click has dropped
            continue
        if hasattr(module, "_"):
            module._ = gettext  # type: ignore[attr-defined]
        if hasattr(module, "ngettext"):
            module.ngettext = ngettext  # type: ignore[attr-defined]
