"""Numbers as records write them: plain decimals only, every other YAML number form an error.

PyYAML reads YAML 1.1, in which `047` is the octal number 39, `1_439` is
1439, `0x10` is 16 and `1:20:30` is 4830 (base 60); YAML 1.2 (and the YAML
extension of VS Code, which editors see) reads several of these differently,
`049` is text in one and 49 in the other. A record is read the YAML 1.2 way
in spirit: only the forms both versions read alike are numbers
(`STRICT_INT`, `STRICT_FLOAT`, which the loader's resolvers use), and a plain
value in any other number form is text to the loader and an error to the
checker (E114, `number_form_message` says what to write instead). So no value
silently becomes another, and the fast path (generator.load.plain_yaml)
declines such values so that the careful path reports them.
"""

from __future__ import annotations

import re

# What both YAML versions read as the same number: no leading zero, no underscore,
# no base prefix, no base-60, an exponent only after a dot and with its sign.
STRICT_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$")
STRICT_FLOAT = re.compile(
    r"^(?:[-+]?(?:0|[1-9][0-9]*)\.[0-9]*(?:[eE][-+][0-9]+)?"
    r"|\.[0-9]+(?:[eE][-+][0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
INT_STARTS = list("-+0123456789")
FLOAT_STARTS = list("-+.0123456789")
# Plain values one YAML version or the other reads as a number (YAML 1.1's int and float
# resolvers as PyYAML writes them, YAML 1.2's core schema): the forms STRICT_* leave as text
# are what E114 reports.
NUMBER_LIKE = re.compile(
    r"^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|0o[0-7]+|[-+]?0x[0-9a-fA-F_]+"
    r"|[-+]?[0-9][0-9_]*"
    r"|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+"
    r"|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])*\.[0-9_]*(?:[eE][-+][0-9]+)?"
    r"|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?"
    r"|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?)$"
)
NUMBER_STARTS = frozenset("-+.0123456789")

# Longer digit strings are not worked out for the message (a 100,000-digit hex number would be slow to print).
_MAX_DIGITS = 30


def is_other_number_form(value: str) -> bool:
    """A plain scalar the loader left as text although some YAML reads it as a number."""
    return value[:1] in NUMBER_STARTS and NUMBER_LIKE.match(value) is not None and not (
        STRICT_INT.match(value) or STRICT_FLOAT.match(value)
    )


def number_form_message(value: str) -> str:
    """What E114 says about `value`: why it is ambiguous and what to write instead."""
    shown = value if len(value) <= 40 else value[:37] + "…"
    reason, meant = _explain(value)
    if ":" in value:  # 1:20, 12:30 — almost always a ratio or a time: text first
        return f"{shown} {reason}；若是时间、比例等文字，请加引号：\"{shown}\"；若是数字，请写成十进制数"
    instead = f"请写成 {meant}" if meant else "请写成普通的十进制数"
    return f"{shown} {reason}；{instead}（若是文字，请加引号：\"{shown}\"）"


def _explain(value: str) -> tuple[str, str | None]:
    sign = "-" if value.startswith("-") else ""
    body = value.lstrip("+-")
    if ":" in body:
        return f"会被 YAML 1.1 读成六十进制数{_base60(body, sign)}", None
    if "_" in body:
        cleaned = sign + body.replace("_", "")
        plain = cleaned if not is_other_number_form(cleaned) else _explain(cleaned)[1]
        return "中有下划线，YAML 1.1 读成数字、YAML 1.2 读成文字", plain
    lowered = body.lower()
    for prefix, base, name in (("0x", 16, "十六进制"), ("0o", 8, "八进制"), ("0b", 2, "二进制")):
        if lowered.startswith(prefix):
            return f"是{name}写法", _decimal(body[2:], base, sign)
    if "e" in lowered:
        return "是科学计数法，YAML 1.1 读成文字、YAML 1.2 读成数字", _float_text(value)
    if body.startswith("."):
        return "省略了小数点前的 0", sign + "0" + body
    if re.match(r"0[0-9]", body):
        whole, dot, fraction = body.partition(".")
        stripped = whole.lstrip("0") or "0"
        if dot:
            reason = "以 0 开头"  # read alike, but a leading zero is refused everywhere: one rule to remember
        elif re.fullmatch(r"[0-7]+", whole) and len(whole) <= _MAX_DIGITS:
            reason = f"以 0 开头，YAML 1.1 会把它读成八进制数 {sign}{int(whole, 8)}"
        else:
            reason = "以 0 开头，YAML 1.1 读成文字、YAML 1.2 读成数字"
        return reason, sign + stripped + dot + fraction if len(stripped) <= _MAX_DIGITS else None
    return "在不同的 YAML 版本中读法不同", None


def _decimal(digits: str, base: int, sign: str) -> str | None:
    if not digits or len(digits) > _MAX_DIGITS:
        return None
    try:
        return sign + str(int(digits, base))
    except ValueError:
        return None


def _float_text(value: str) -> str | None:
    try:
        number = float(value)
    except ValueError:
        return None
    if number != number or number in (float("inf"), float("-inf")):
        return None
    if number.is_integer() and abs(number) < 1e16:
        return str(int(number))
    return repr(number)


def _base60(body: str, sign: str) -> str:
    parts = body.split(":")
    if len(parts) > 6 or not all(part.isdigit() for part in parts[:-1]) or len(parts[0]) > _MAX_DIGITS:
        return ""
    last = parts[-1]
    try:
        total = 0.0 if "." in last else 0
        for part in parts[:-1]:
            total = total * 60 + int(part)
        total = total * 60 + (float(last) if "." in last else int(last))
    except ValueError:
        return ""
    return f" {sign}{total:g}" if isinstance(total, float) else f" {sign}{total}"
