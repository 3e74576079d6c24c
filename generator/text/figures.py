"""A figure as people write it in prose or a spreadsheet cell: "95%以上", "约1.2万户", "98%".

Records keep a figure as a number plus a qualifier (`{value: 95, qualifier: 以上}`).
When an editor types the prose form instead, the check's message shows the
record form (generator.schema.messages); this module reads the prose form.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# The qualifiers of generator.schema.record.Qualifier as written before and after a number;
# 达到 is written 达 in records.
PREFIX_QUALIFIERS = {"超过": "超过", "超": "超", "近": "近", "约": "约", "达到": "达", "达": "达"}
SUFFIX_QUALIFIERS = {"以上": "以上"}

_WRITTEN = re.compile(
    r"^\s*(?P<prefix>超过|超|近|约|达到|达)?\s*"
    r"(?P<number>[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)\s*(?P<wan>万)?\s*"
    r"(?P<unit>%|％|户|人|栋|幢|个|平方米|㎡|平米)?\s*(?P<suffix>以上)?\s*$"
)


class WrittenFigure(NamedTuple):
    value: float
    qualifier: str | None
    percent: bool  # written with a percent sign

    def record_form(self) -> str:
        """How the record writes it: `98` or `{value: 95, qualifier: 以上}`."""
        number = _plain(self.value)
        return f"{{value: {number}, qualifier: {self.qualifier}}}" if self.qualifier else number


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.6f}".rstrip("0").rstrip(".")


def read_written_figure(text: str) -> WrittenFigure | None:
    """'95%以上' → (95, '以上', True); '约1.2万户' → (12000, '约', False); None for anything else."""
    match = _WRITTEN.match(text)
    if match is None or (match["prefix"] and match["suffix"]):
        return None
    value = float(match["number"].replace(",", ""))
    if match["wan"]:
        value = round(value * 10_000, 6)
    qualifier = PREFIX_QUALIFIERS.get(match["prefix"] or "") or SUFFIX_QUALIFIERS.get(match["suffix"] or "")
    return WrittenFigure(value, qualifier, match["unit"] in ("%", "％"))
