"""How Chinese place names shorten: 湖南省 → 湖南, 江华瑶族自治县 → 江华, 恩施土家族苗族自治州 → 恩施.

Articles and editors write places by their short names ("江华县", "恩施州",
"Hunan"); the division table (generator.schema.divisions) has the official
ones. `short_name` takes off the administrative suffix and, for autonomous
units, the ethnic names before it, so both sides can be compared.
"""

from __future__ import annotations

import re

# The 56 ethnic groups' names as they appear in autonomous units' names (汉 never does), plus 各 (各族).
_ETHNIC = (
    "土家|苗|侗|朝鲜|蒙古|藏|彝|壮|回|维吾尔|哈萨克|傣|景颇|白|布依|瑶|畲|黎|羌|满|达斡尔|鄂温克|鄂伦春|"
    "哈尼|佤|拉祜|傈僳|纳西|仡佬|水|毛南|仫佬|土|撒拉|保安|东乡|裕固|锡伯|塔吉克|柯尔克孜|独龙|怒|普米|"
    "阿昌|基诺|德昂|布朗|京|门巴|珞巴|赫哲|俄罗斯|乌孜别克|塔塔尔|高山|各"
)
_AUTONOMOUS = re.compile(rf"(?:(?:{_ETHNIC})族)+自治(?P<level>区|州|县|旗)$")
_SUFFIX = re.compile(r"(?:特别行政区|地区|林区|特区|新区|省|市|区|县|州|盟|旗)$")


def short_name(name: str) -> str:
    """The name without its administrative suffix (and ethnic names); the name itself when that would leave
    fewer than two characters (城区, 郊区 stay as they are)."""
    autonomous = _AUTONOMOUS.search(name)
    short = name[: autonomous.start()] if autonomous else _SUFFIX.sub("", name)
    return short if len(short) >= 2 else name


def common_name(name: str) -> str | None:
    """An autonomous unit as articles write it: 江华瑶族自治县 → 江华县, 恩施土家族苗族自治州 → 恩施州; None otherwise."""
    autonomous = _AUTONOMOUS.search(name)
    if not autonomous or autonomous.start() < 2:
        return None
    return name[: autonomous.start()] + autonomous["level"]
