"""How a date reads: 2024年5月3日 on a page, 2024-05-03 in a sitemap; days in China Standard Time.

The showcase is published for readers in China, so a change made at 01:00
Beijing time on 3 May is dated 3 May (UTC would say 2 May). A fixed offset,
not a time-zone database: China has kept UTC+8 without daylight saving since 1991.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

CHINA = timezone(timedelta(hours=8))


def day(epoch: int) -> date:
    return datetime.fromtimestamp(epoch, CHINA).date()


def day_label(when: date) -> str:
    return f"{when.year}年{when.month}月{when.day}日"
