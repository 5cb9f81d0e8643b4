"""Dates written the many ways units write them, each with the ISO value a careful reader gets."""

from __future__ import annotations

import datetime as dt

from .model import DateValue

_HANZI = "〇一二三四五六七八九"


def _hanzi_number(n: int) -> str:
    if n < 10:
        return "十" if n == 10 else _HANZI[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _HANZI[tens]) + "十" + (_HANZI[ones] if ones else "")


def hanzi_date(d: dt.date) -> str:
    year = "".join(_HANZI[int(c)] for c in str(d.year))
    return f"{year}年{_hanzi_number(d.month)}月{_hanzi_number(d.day)}日"


def write(d: dt.date, style: str) -> str:
    return {
        "cn": f"{d.year}年{d.month}月{d.day}日",
        "dot": f"{d.year}.{d.month}.{d.day}",
        "slash": f"{d.year}/{d.month:02d}/{d.day:02d}",
        "dash": f"{d.year}-{d.month}-{d.day}",
        "iso": d.isoformat(),
        "hanzi": hanzi_date(d),
        "md": f"{d.month}月{d.day}日",
        "cn_time": f"{d.year}年{d.month}月{d.day}日上午9:30",
        "md_weekday": f"{d.month}月{d.day}日（星期{'一二三四五六日'[d.weekday()]}）",
    }[style]


def single(d: dt.date, style: str) -> DateValue:
    return DateValue(write(d, style), d.isoformat(), d.isoformat())


def span(a: dt.date, b: dt.date, style: str) -> DateValue:
    if style == "md_to_day":  # 5月20日至22日
        raw = f"{a.month}月{a.day}日至{b.day}日"
    elif style == "md_dash_day":  # 5月20日-22日
        raw = f"{a.month}月{a.day}日-{b.day}日"
    elif style == "cn_emdash":  # 2021年5月29日—6月4日
        raw = f"{a.year}年{a.month}月{a.day}日—{b.month}月{b.day}日"
    elif style == "md_md":  # 6月8日至6月10日
        raw = f"{a.month}月{a.day}日至{b.month}月{b.day}日"
    else:  # dot range 2021.6.8-2021.6.10
        raw = f"{write(a, 'dot')}-{write(b, 'dot')}"
    return DateValue(raw, a.isoformat(), b.isoformat())


def undecided(raw: str) -> DateValue:
    return DateValue(raw, "", "", "invalid")


EMPTY = DateValue("", "", "", "empty")


def d(month: int, day: int) -> dt.date:
    return dt.date(2021, month, day)
