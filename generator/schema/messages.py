"""pydantic's error types → plain Chinese, in one table.

Each entry is (code, template). Templates may use {field} (the Chinese
label of the field), {expected}, {min}, {max}, {input}. Unknown types fall
back to pydantic's English text with code E299 so nothing is ever lost.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Any, Mapping

from generator.text.figures import read_written_figure

# Chinese names of record fields, for messages ("缺少必填字段 第 1 条来源的发布机构（publisher）").
FIELD_LABELS = {
    "kind": "类型", "series": "系列", "number": "编号", "name": "名称", "headline": "标题语",
    "slug": "网址标识", "status": "状态", "location": "地址", "province": "省份", "city": "城市",
    "district": "区县", "area": "功能区", "street": "街道", "community": "社区", "note": "说明",
    "summary": "概况", "metrics": "数据", "facts": "基本情况", "mechanisms": "机制",
    "highlights": "亮点", "themes": "主题", "recognitions": "荣誉", "sources": "来源",
    "images": "照片", "notes": "编者说明", "review": "审校材料", "title": "标题", "text": "正文",
    "what": "概括", "how": "做法", "publisher": "发布机构", "date": "日期", "url": "链接",
    "path": "路径", "caption": "图注", "credit": "署名", "alt": "替代文字", "permission": "使用许可", "lead": "题图",
    "value": "数值", "qualifier": "限定词", "level": "级别", "year": "年份", "theme": "主题", "file": "存档文件",
    "property_company": "物业服务企业", "developer": "开发建设单位", "year_built": "建成年份",
    "year_delivered": "交付年份", "committee_founded": "业委会成立年份", "estate_type": "小区类型",
    "source_paragraphs": "来源原文", "todo": "待办",
}
# A key that reads differently under its parent.
_LABEL_IN = {("location", "note"): "地址说明", ("recognitions", "series"): "所属评选"}
# List fields: how one item is counted ("第 1 条来源").
ITEM_WORDS = {
    "sources": "条来源", "mechanisms": "项机制", "highlights": "条亮点", "themes": "个主题",
    "recognitions": "项荣誉", "images": "张照片", "notes": "条编者说明",
    "source_paragraphs": "段来源原文", "todo": "条待办",
}
# Parents whose children are named on their own: 区县, not 地址的区县.
_NAMED_ALONE = {"location", "facts", "metrics"}

PATTERN_HINTS = {
    "slug": "只能包含小写字母、数字和连字符，如 gezhouba-chengshi-huayuan",
    "series": "只能包含小写字母、数字和连字符，如 national-2022",
    "url": "必须以 http:// 或 https:// 开头，且不含空格和引号",
    "edit_url": "必须以 http:// 或 https:// 开头，且不含空格和引号，如 https://example.org/repo/edit/main/{path}",
    "path": "用 / 分隔文件夹，不能含 \\ : * ? \" < > | 和控制字符，如 047-gezhouba-chengshi-huayuan/大门.jpg",
    "[key]": "指标名只能用小写字母、数字和下划线，以字母开头，如 owner_satisfaction",
}

MESSAGES: dict[str, tuple[str, str]] = {
    "missing": ("E201", "缺少必填字段 {field}"),
    "extra_forbidden": ("E202", "未知字段 {field}{did_you_mean}"),
    "string_type": ("E203", "{field} 应为文字{input_hint}"),
    "string_too_short": ("E204", "{field} 不能为空；不知道就删掉这一项"),
    "string_too_long": ("E204", "{field} 过长：{length} 个字，最多 {max_length} 个字"),
    "too_long": ("E210", "{field} 最多 {max_length} 项，现在有 {actual_length} 项"),
    "string_pattern_mismatch": ("E205", "{field} 格式不对：{pattern_hint}"),
    "int_type": ("E206", "{field} 应为整数{input_hint}"),
    "int_parsing": ("E206", "{field} 应为整数{input_hint}"),
    "int_parsing_size": ("E206", "{field} 应为整数，这个数字位数太多"),
    "int_from_float": ("E206", "{field} 应为整数，不能有小数{input_hint}"),
    "float_type": ("E207", "{field} 应为数字{input_hint}"),
    "float_parsing": ("E207", "{field} 应为数字{input_hint}"),
    "finite_number": ("E207", "{field} 不能是 NaN 或无穷大"),
    "greater_than_equal": ("E208", "{field} 不能小于 {ge}，现在是 {input}"),
    "less_than_equal": ("E208", "{field} 不能大于 {le}，现在是 {input}"),
    "enum": ("E209", "{field} 只能是 {expected}，现在是 {input}"),
    "literal_error": ("E209", "{field} 只能是 {expected}，现在是 {input}"),
    "list_type": ("E210", "{field} 应为列表（每项以 - 开头）"),
    "too_short": ("E210", "{field} 至少需要 {min_length} 项"),
    "model_type": ("E211", "{field} 应为“键: 值”的映射{input_hint}"),
    "model_attributes_type": ("E211", "{field} 应为“键: 值”的映射{input_hint}"),
    "dict_type": ("E211", "{field} 应为“键: 值”的映射{input_hint}"),
    "date_type": ("E212", "{field} 应为日期，格式 YYYY-MM-DD{date_hint}"),
    "date_parsing": ("E212", "{field} 应为日期，格式 YYYY-MM-DD{date_hint}"),
    "date_from_datetime_parsing": ("E212", "{field} 应为日期，格式 YYYY-MM-DD{date_hint}"),
    "date_from_datetime_inexact": ("E212", "{field} 应为日期（不含时间），格式 YYYY-MM-DD{date_hint}"),
    "bool_type": ("E213", "{field} 应为 true 或 false"),
    "value_error": ("E214", "{field}：{detail}"),
}

# Messages of our own model validators (generator.schema.record), by their English text.
VALUE_ERRORS: dict[str, tuple[str, str]] = {
    "not a finite number": ("E207", "{field} 不能是 NaN 或无穷大"),
}


def field_label(loc: tuple[Any, ...], metric_labels: Mapping[str, str] | None = None) -> str:
    """A field as the editor knows it: ('sources', 0, 'date') → '第 1 条来源的日期（date）'.

    The Chinese name of each level, joined by 的, then the key as typed on the
    line the message points at. `metric_labels` (site_config's metric
    definitions) name a metric: ('metrics', 'owner_satisfaction') → '业主满意度（owner_satisfaction）'.
    A key the schema does not know is shown as typed ('第 1 条来源的 publsher').
    """
    parts = [part for part in loc if part != "__key__"]
    words: list[str] = []
    parent: Any = None
    known = True  # whether the last key has a Chinese name (then it is also shown as typed)
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        if isinstance(part, int):
            words.append(f"第 {part + 1} 项")
        elif part == "[key]":  # the key itself broke a rule (a metric's name)
            words[-1:] = [f"{'指标名' if len(parts) > 2 and parts[-3] == 'metrics' else '键'} {parent}"]
            known = False
        elif isinstance(following, int) and part in ITEM_WORDS:
            words.append(f"第 {following + 1} {ITEM_WORDS[part]}")
            index += 1
        else:
            if parent == "metrics":
                label = (metric_labels or {}).get(part)
                known = label is not None
                word = label or f"指标 {part}"
            else:
                label = _LABEL_IN.get((parent, part)) or FIELD_LABELS.get(part)
                known = label is not None
                word = label or f" {part}"
            if parent in _NAMED_ALONE and words and (known or parent == "metrics"):
                words.pop()
            words.append(word)
        parent = part
        index += 1
    if not words:
        return "记录"
    last = parts[-1]
    key = f"（{last}）" if known and isinstance(last, str) else ""
    text = words[0]
    for word in words[1:]:
        text += (" 的" if text[-1].isascii() else "的") + word  # 指标 float 的 value
    return text.strip() + key


def input_hint(value: Any, expects_number: bool = False) -> str:
    """Explain the YAML reading behind a type error: dates, numbers, lists."""
    if isinstance(value, (dt.date, dt.datetime)):
        return f"，但 YAML 把 {value.isoformat()} 读成了日期；若是文字请加引号"
    if isinstance(value, bool):
        return f"，但这里写的是布尔值 {str(value).lower()}"
    if isinstance(value, float) and not math.isfinite(value) and expects_number:
        return "，不能是 NaN 或无穷大"
    if isinstance(value, float) and expects_number:
        return f"，不能有小数（现在是 {value}）"
    if isinstance(value, (int, float)):
        return f"，但这里写的是数字 {value}；若是文字请加引号"
    if isinstance(value, str) and expects_number and value.lstrip("+-").isdigit():
        return "，这个数字位数太多"
    written = read_written_figure(value) if isinstance(value, str) and expects_number else None
    if written is not None:
        return f"，现在是 “{value}”；请写成 {written.record_form()}"
    if isinstance(value, list):
        return "，但这里写的是列表"
    if isinstance(value, dict):
        return "，但这里写的是映射（键: 值）"
    if value is None:
        return "，但这里是空的"
    if isinstance(value, str):
        return f"，现在是 “{value[:30]}”"
    return ""


_DATE_LIKE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")


def date_hint(value: Any) -> str:
    """How to write a date-like value as a date (2022/6/1 → 2022-06-01), or "" when it is not date-like."""
    if isinstance(value, int) and not isinstance(value, bool) and len(str(value)) == 8:
        value = f"{str(value)[:4]}-{str(value)[4:6]}-{str(value)[6:]}"
    if not isinstance(value, str):
        return ""
    match = _DATE_LIKE.fullmatch(value.strip())
    if match is None or missing_date(value):
        return ""
    year, month, day = (int(part) for part in match.groups())
    return f"，如 {year:04d}-{month:02d}-{day:02d}"


def missing_date(value: Any) -> str:
    """Why a well-formed date does not exist (2022-02-29: 2022 年 2 月只有 28 天), or ""."""
    if not isinstance(value, str):
        return ""
    match = _DATE_LIKE.fullmatch(value.strip())
    if match is None:
        return ""
    year, month, day = (int(part) for part in match.groups())
    if year == 0:
        return "没有公元 0 年"
    if not 1 <= month <= 12:
        return f"没有 {month} 月"
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        return f"{year} 年 {month} 月只有 {days} 天"
    return ""


def shown_input(value: Any) -> str:
    """The offending value as the editor wrote it, not as a Python repr."""
    if value is None:
        return "空的"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, list):
        return "一个列表"
    if isinstance(value, dict):
        return "一个映射（键: 值）"
    return str(value)


def translate(
    error: dict[str, Any], loc: tuple[Any, ...], did_you_mean: str = "", metric_labels: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """One pydantic error → (code, Chinese message)."""
    kind = error["type"]
    ctx = dict(error.get("ctx") or {})
    code, template = MESSAGES.get(kind, ("E299", "{field}：{detail}"))
    names = [part for part in loc if isinstance(part, str)]
    last = names[-1] if names else ""
    value = error.get("input")
    expected = ctx.get("expected", "")
    detail = str(ctx.get("error", error.get("msg", "")))
    if detail.startswith("Value error, "):
        detail = detail[len("Value error, ") :]
    if kind == "value_error" and detail in VALUE_ERRORS:
        code, template = VALUE_ERRORS[detail]
    values = {
        "field": field_label(loc, metric_labels),
        "did_you_mean": did_you_mean,
        "input_hint": input_hint(value, expects_number=kind in ("int_type", "int_parsing", "float_type", "float_parsing")),
        "pattern_hint": PATTERN_HINTS.get(last, f"应符合 {ctx.get('pattern', '')}"),
        "input": shown_input(value),
        "length": len(value) if isinstance(value, str) else "",
        "date_hint": date_hint(value),
        "expected": str(expected).replace("'", "").replace(" or ", "、").replace(", ", "、"),
        "detail": detail if kind != "E299" else error.get("msg", ""),
        **{k: v for k, v in ctx.items() if k not in {"expected", "error"}},
    }
    if code == "E299":
        values["detail"] = error.get("msg", "")
    if kind.startswith("date") and isinstance(value, (int, float)) and not isinstance(value, bool):
        template = "{field} 应为日期，格式 YYYY-MM-DD{date_hint}，但这里写的是数字 {input}"
    if kind.startswith("date") and missing_date(value):
        template = "{field} {input} 不存在：{missing}；请对照来源核实"
        values["missing"] = missing_date(value)
    bound = str(ctx.get("ge", ctx.get("le", "")))
    if kind in ("greater_than_equal", "less_than_equal") and re.fullmatch(r"\d{4}-\d{2}-\d{2}", bound):
        template = "{field} 不能早于 {ge}，现在是 {input}；请核对年份" if kind == "greater_than_equal" else "{field} 不能晚于 {le}，现在是 {input}；请核对年份"
    try:
        return code, template.format(**values)
    except (KeyError, IndexError):
        return code, f"{field_label(loc, metric_labels)}：{error.get('msg', '')}"
