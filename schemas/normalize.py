"""Value normalisers for form cells typed in Word/WPS or read by OCR from scans.

Pure functions, no I/O. Every parser takes the raw cell text and returns the clean value, or ``None`` when
the text does not hold a valid value (the caller turns that into an exception row and keeps the raw text).

What the inputs look like: full-width digits and punctuation (１３８, （）：－), ideographic spaces, Chinese
dashes and tildes (—, ～), stray spaces, zero-width characters, and OCR confusions ``O``/``o`` for 0 and
``l``/``I`` for 1 inside digit runs.

Decisions for ambiguous inputs (also asserted in tests/test_normalize.py):
- Dates: forms with a day written out (``5月28日``, ``2021.5.28``) win over the bare ``5.28`` form, which
  is only used when no other form is present (``1.1 活动背景`` numbering or ``1.5万`` would otherwise read as
  January). Two-digit years (``21年``) mean 20xx. Years outside 1900-2099 are rejected.
- Periods (date ranges only): 上旬 1-10, 中旬/月中 11-20, 下旬 21-end, 上中旬 1-20, 中下旬 11-end,
  月初 the first 7 days, 月底/月末 the last 7 days (5月底 = 5月25日-31日), a bare month the whole month.
  A backwards range (6月2日-5月28日) is invalid. Lists (5月28日、6月2日) give (earliest, latest).
  Text after the date (``上午9:00``, ``前``, ``（星期五）``) is ignored.
- parse_stage_dates only returns dates with a day (5月下旬 spans two stages, so it gives None).
- Head counts: counts followed by 人/名/位 (人次 included) are summed; a count after 共/总/合计/累计 is the
  total and wins; counts after 其中 or inside brackets are breakdowns and are ignored when a count stands
  outside them; a range (``50-100人``) or a per-session count (``每场50人``) states no single head count, so
  None. ``约``/``余``/``多``/``左右``/``以上`` are dropped (300余人 → 300). ``1.2万人`` → 12000. Chinese
  numerals must start with a digit or 十 (三百人 → 300; 数百人/近千人 → None). A cell that is only a number
  (``300``) is read as a head count.
- is_blank: ``待定`` is NOT blank (it is an answer, the date parser rejects it).
- count_chars also skips zero-width characters (they are invisible and Word does not count them).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from decimal import Decimal

from schemas.text_fold import to_halfwidth  # re-exported: one width folding for every schema module

__all__ = [
    "clean_text",
    "DASHES",
    "DROP_ZERO_WIDTH",
    "WS_RUN",
    "count_chars",
    "fix_ocr_digits",
    "is_blank",
    "parse_date",
    "parse_date_in_unread_year",
    "parse_date_range",
    "parse_head_count",
    "parse_stage_dates",
    "to_halfwidth",
]

# Patterns are ASCII-mode: \d must not match Arabic-Indic or other Unicode digits.
_A = re.ASCII

# --------------------------------------------------------------------------------------------- plain text

_ZERO_WIDTH = "\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u00ad\u180e"
DROP_ZERO_WIDTH = {ord(c): None for c in _ZERO_WIDTH}
WS_RUN = re.compile(r"\s+")


def clean_text(text: str) -> str:
    """Drop zero-width characters, collapse whitespace runs to one space, strip. Punctuation is kept."""
    return WS_RUN.sub(" ", text.translate(DROP_ZERO_WIDTH)).strip()


def count_chars(text: str) -> int:
    """Characters excluding whitespace (and invisible zero-width characters), as Word's 字数 counts."""
    return sum(1 for c in text if not c.isspace() and c not in _ZERO_WIDTH)


_PLACEHOLDER_WORDS = frozenset("无 暂无 略 空 没有 无无 不详 无此项 暂缺 缺 未填 未填写 n/a na none null nil".split())
# Punctuation a placeholder may be made of or wrapped in: / —— ______ …… （无） 【无】 "无。"
_PLACEHOLDER_PUNCT = "-_—–―‐/\\|.。…·、~～=*,，;；:：()（）[]【】<>《》\"'“”‘’"


def is_blank(text: str | None) -> bool:
    """Empty, whitespace only, or a placeholder such as 无 / 暂无 / 略 / ／ / —— / ______ / （无）."""
    if text is None:
        return True
    s = to_halfwidth(clean_text(text)).replace(" ", "")
    core = s.strip(_PLACEHOLDER_PUNCT)
    return core == "" or core.lower() in _PLACEHOLDER_WORDS


# ------------------------------------------------------------------------------------ shared helpers

DASHES = "—–―‐‑−﹣"  # every dash people and OCR type between numbers

_OCR_RUN = re.compile(r"[0-9OoIl]+")
_OCR_TO_DIGIT = str.maketrans("OoIl", "0011")


def _is_latin_letter(c: str) -> bool:
    return c.isascii() and c.isalpha()


def fix_ocr_digits(text: str) -> str:
    """O/o → 0 and I/l → 1, only inside a run of digits that does not touch a Latin letter.

    ``l3897O12345`` → ``13897012345``; ``Tel`` and ``hello123`` stay as they are.
    """

    def repl(m: re.Match[str]) -> str:
        run = m.group()
        if run.isdigit() or not any(c.isdigit() for c in run):
            return run
        start, end = m.span()
        if start > 0 and _is_latin_letter(text[start - 1]):
            return run
        if end < len(text) and _is_latin_letter(text[end]):
            return run
        return run.translate(_OCR_TO_DIGIT)

    return _OCR_RUN.sub(repl, text)


_CN_DIGITS = {**{c: i for i, c in enumerate("〇一二三四五六七八九")}, "○": 0, "零": 0, "两": 2}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}


def _cn_to_int(run: str) -> int | None:
    """Chinese numeral to int: 二十八 → 28, 一千二百 → 1200, 二〇二一 → 2021 (digit by digit), 廿八 → 28.

    None for anything not well formed (百, 三三百, 十百); must start with a digit or 十.
    """
    run = run.replace("廿", "二十").replace("卅", "三十")
    if not run or len(run) > 12:
        return None  # no date or head count is that long; also keeps int() far from its digit limit
    if all(c in _CN_DIGITS for c in run):
        return int("".join(str(_CN_DIGITS[c]) for c in run))
    if run[0] not in _CN_DIGITS and run[0] != "十":
        return None
    total = section = 0
    digit: int | None = None
    last_unit = 10**9
    seen_wan = False
    for c in run:
        if c in _CN_DIGITS:
            value = _CN_DIGITS[c]
            if value == 0:  # 零 only marks a gap (一千零五)
                continue
            if digit is not None:
                return None
            digit = value
        elif c in _CN_UNITS:
            unit = _CN_UNITS[c]
            if unit >= last_unit or (digit is None and unit != 10):
                return None
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        elif c == "万":
            section += digit or 0
            if seen_wan or section == 0:
                return None
            total, section, digit, last_unit, seen_wan = section * 10000, 0, None, 10**9, True
        else:
            return None
    return total + section + (digit or 0)


def _convert_cn_numerals(text: str, run_re: re.Pattern[str], follow_re: re.Pattern[str]) -> str:
    """Replace Chinese numeral runs that are directly followed by ``follow_re`` with Arabic digits.

    The follower is checked in code, not with a lookahead, so long numeral runs stay linear time.
    """

    def repl(m: re.Match[str]) -> str:
        if not follow_re.match(text, m.end()):
            return m.group()
        value = _cn_to_int(m.group())
        return m.group() if value is None else str(value)

    return run_re.sub(repl, text)


def _leftmost(patterns: Sequence[re.Pattern[str]], text: str) -> re.Match[str] | None:
    """The match that starts first among ``patterns`` (ties: the earlier pattern)."""
    best: re.Match[str] | None = None
    for pattern in patterns:
        m = pattern.search(text)
        if m is not None and (best is None or m.start() < best.start()):
            best = m
    return best


def _scan(patterns: Sequence[re.Pattern[str]], text: str) -> Iterator[re.Match[str]]:
    """All matches of ``patterns`` left to right (a new one starts after the previous start). Each pattern's
    next match is cached, so a long text is searched in linear time."""
    pending: list[re.Match[str] | None] = [p.search(text) for p in patterns]
    pos = 0
    while True:
        best: re.Match[str] | None = None
        for i, m in enumerate(pending):
            if m is not None and m.start() < pos:
                m = pending[i] = patterns[i].search(text, pos)
            if m is not None and (best is None or m.start() < best.start()):
                best = m
        if best is None:
            return
        yield best
        pos = best.start() + 1


# ---------------------------------------------------------------------------------------------- dates

_DATE_MAP = str.maketrans({**{c: "-" for c in DASHES}, "〜": "~", "曰": "日", "·": ".", "・": "."})
_DATE_CN_RUN = re.compile(r"[〇○零一二两三四五六七八九十廿卅]+")
_DATE_CN_FOLLOW = re.compile(r" ?[年月日号]")
_HAO = re.compile(r"(?<=\d) ?号")

# A date with a day. Named groups: y (optional), m, d.
_YMD_CN = re.compile(r"(?<!\d)(?P<y>\d{4}|\d{2}) ?年 ?(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2})(?!\d)(?: ?日)?", _A)
_YMD_SEP = re.compile(r"(?<![\d.])(?P<y>\d{4}) ?(?P<s>[./-]) ?(?P<m>\d{1,2}) ?(?P=s) ?(?P<d>\d{1,2})(?!\d)", _A)
_YMD_COMPACT = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)", _A)
_MD_CN = re.compile(r"(?<!\d)(?P<m>\d{1,2}) ?月 ?(?P<d>\d{1,2})(?!\d)(?: ?日)?", _A)
# 5.28 / 5/28: only when nothing better is present; never a decimal with a unit (1.5万, 2.5%).
_MD_SEP = re.compile(
    r"(?<![\d.A-Za-z第])(?P<m>\d{1,2})[./](?P<d>\d{1,2})"
    r"(?![\d.%]| ?(?:万|千|亿|元|米|公里|小时|倍|个|分|秒|度|版))",
    _A,
)
# A month with no day: a period.
_PERIOD = re.compile(
    r"(?<!\d)(?:(?P<y>\d{4}|\d{2}) ?年 ?)?(?P<m>\d{1,2}) ?月(?! ?\d) ?份?"
    r"(?P<p>上中旬|中上旬|中下旬|上旬|中旬|下旬|底|末|(?:初|中)(?=$|[^\u4e00-\u9fff]|[前后至到和及与举开进召起以]))?",
    _A,
)
# The 30 in 5月28日-30日 / 5.28-30: with 日, or followed by no digit, letter or ideograph (not 5月28日、3场).
_DAY_ONLY = re.compile(r"(?P<d>\d{1,2})(?: ?日|(?![\d:.\u3400-\u9fff]))", _A)
_CLOCK = r"\d{1,2}(?::[0-5]\d|[时点](?:[0-5]?\d分?|半)?)"  # 9:00, 9时30分, 9点半
_DECORATION = re.compile(
    r"(?: ?\(? ?(?:星期|周|礼拜)[一二三四五六日天七1-7] ?\)?"
    r"| ?(?:上午|下午|晚上|早上|中午|全天)"
    r"| ?{t}(?: ?- ?{t})?)*".replace("{t}", _CLOCK),
    _A,
)
_RANGE_JOIN = re.compile(r" ?(?P<j>-+|~+|至|到|一) ?", _A)
_LIST_JOIN = re.compile(r" ?(?P<j>、|,|和|及|与) ?", _A)

_DATE_WITH_DAY = (_YMD_CN, _YMD_SEP, _YMD_COMPACT, _MD_CN)
_RANGE_START = (*_DATE_WITH_DAY, _PERIOD)
_RANGE_END = (*_DATE_WITH_DAY, _PERIOD, _MD_SEP, _DAY_ONLY)

_PERIOD_DAYS: dict[str, Callable[[int], tuple[int, int]]] = {
    "": lambda last: (1, last),
    "上旬": lambda last: (1, 10),
    "中旬": lambda last: (11, 20),
    "中": lambda last: (11, 20),
    "下旬": lambda last: (21, last),
    "上中旬": lambda last: (1, 20),
    "中上旬": lambda last: (1, 20),
    "中下旬": lambda last: (11, last),
    "初": lambda last: (1, 7),
    "底": lambda last: (last - 6, last),
    "末": lambda last: (last - 6, last),
}


def _norm_date_text(raw: str) -> str:
    s = clean_text(to_halfwidth(raw).translate(_DATE_MAP))
    s = fix_ocr_digits(s)
    s = _convert_cn_numerals(s, _DATE_CN_RUN, _DATE_CN_FOLLOW)
    s = _LOST_YEAR_DOT.sub(r"\1\3\2\3", s)
    s = _MISREAD_YEAR_SEP.sub(r"\1\3\2\3", s)
    s = _COLON_AFTER_MONTH.sub(r"\1\2\3\2", s)
    s = _COLON_AFTER_YEAR.sub(r"\1\3\2\3", s)
    return _HAO.sub("日", s)


# `2021.5.10` whose first dot a scan lost (`20215.10`): a year run straight into its month.
_LOST_YEAR_DOT = re.compile(r"(?<!\d)(20\d\d)(0?[1-9]|1[0-2])([./])(?=\d{1,2}(?!\d))")
# `2021/06/17` whose first slash a scan read as a digit (`2021706/17`): the other separator and a two-digit
# month say where it stood.
_MISREAD_YEAR_SEP = re.compile(r"(?<!\d)(20\d\d)[17](0[1-9]|1[0-2])([./-])(?=\d{1,2}(?!\d))")

# `2021.5.6` with one dot read as a colon on a fax (`2021.5:6`, `2021:5.6`): the other separator says which it was
# (a time `15:35` has no year before it).
_COLON_AFTER_MONTH = re.compile(r"(?<!\d)(20\d\d)([./-])(\d{1,2}):(?=\d{1,2}(?!\d))")
_COLON_AFTER_YEAR = re.compile(r"(?<!\d)(20\d\d):(\d{1,2})([./-])(?=\d{1,2}(?!\d))")


def _year(text: str | None, default: int) -> int:
    if not text:
        return default
    return 2000 + int(text) if len(text) == 2 else int(text)


def _make_date(y: int, m: int, d: int) -> date | None:
    if not 1900 <= y <= 2099:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _atom_bounds(m: re.Match[str], year: int, month: int | None) -> tuple[date, date, int, int] | None:
    """(first day, last day, year, month) of a date or period match; year/month fill what it leaves out."""
    groups = m.groupdict()
    y = _year(groups.get("y"), year)
    mo = int(groups["m"]) if groups.get("m") else month
    if mo is None:
        return None
    if "p" in groups:  # a period
        if not 1 <= mo <= 12 or not 1900 <= y <= 2099:
            return None
        first, last = _PERIOD_DAYS[groups["p"] or ""](calendar.monthrange(y, mo)[1])
        return date(y, mo, first), date(y, mo, last), y, mo
    d = _make_date(y, mo, int(groups["d"]))
    return None if d is None else (d, d, y, mo)


def parse_date(raw: str, *, default_year: int) -> date | None:
    """The first date in the cell: 2021年5月28日, 2021.5.28, 2021-05-28, 5月28日, 5.28,
    二〇二一年五月二十八日…; None when there is none or the first one is impossible (2月30日).
    default_year (the campaign's, schemas/campaign.yaml) completes a date written without a year.
    """
    s = _norm_date_text(raw)
    found = _leftmost(_DATE_WITH_DAY, s) or _leftmost((_MD_SEP,), s)
    if found is None:
        return _lost_separators(s)
    bounds = _atom_bounds(found, default_year, None)
    return None if bounds is None else bounds[0]


# A year of four numerals before 年 (after the Chinese numerals became digits): `3021年` is 二〇二一 read with 三.
_ANY_YEAR = re.compile(r"^\s*\d{4} ?年")


def parse_date_in_unread_year(raw: str, *, default_year: int) -> date | None:
    """The month and day in ``default_year`` of a date whose written year is no year at all (OCR read
    `二〇二一年六月十一日` as `三〇二一年…`); None for any other text. For OCR'd text only, and never silently: the
    year is the campaign's guess, so the caller flags the value for staff to check."""
    s = _norm_date_text(raw)
    m = _ANY_YEAR.match(s)
    if m is None or parse_date(raw, default_year=default_year) is not None:
        return None
    rest = s[m.end() :]
    found = _leftmost((_MD_CN,), rest)
    if found is None or found.start() > 1:
        return None
    return _make_date(default_year, int(found["m"]), int(found["d"]))


# A cell holding nothing but a year and 2–3 digits: a scan lost the dots of `2021.5.8` (`202158`, `2021.59`).
_YEAR_THEN_DIGITS = re.compile(r"^\s*((?:19|20)\d\d)[./-]?(\d{2,3})\s*$")


def _lost_separators(s: str) -> date | None:
    """The date when exactly one split of the digits after the year is a real month and day, else None."""
    m = _YEAR_THEN_DIGITS.match(s)
    if m is None:
        return None
    year, digits = int(m.group(1)), m.group(2)
    dates = {d for cut in (1, 2) if (d := _make_date(year, int(digits[:cut]), int(digits[cut:] or 0))) is not None}
    return dates.pop() if len(dates) == 1 else None


def parse_date_range(raw: str, *, default_year: int) -> tuple[date, date] | None:
    """(start, end) of a date, a range (5月28日—30日, 5.28-5.30, 5月28日至6月2日), a list (5月28日、29日)
    or a period (5月下旬, 6月初, 5月); None when there is none (待定) or any part is impossible/backwards."""
    s = _norm_date_text(raw)
    found = _leftmost(_RANGE_START, s) or _leftmost((_MD_SEP,), s)
    if found is None:
        return None
    bounds = _atom_bounds(found, default_year, None)
    if bounds is None:
        return None
    lo, hi, year, month = bounds
    pos = found.end()
    while True:
        pos = _DECORATION.match(s, pos).end()  # type: ignore[union-attr]
        join = _RANGE_JOIN.match(s, pos) or _LIST_JOIN.match(s, pos)
        if join is None:
            break
        nxt = next((m for m in (p.match(s, join.end()) for p in _RANGE_END) if m is not None), None)
        if nxt is None:
            break
        bounds = _atom_bounds(nxt, year, month)
        if bounds is None:
            return None
        first, last, year, month = bounds
        if join.re is _RANGE_JOIN and last < lo:
            return None  # backwards range
        lo, hi = min(lo, first), max(hi, last)
        pos = nxt.end()
    return lo, hi


def parse_stage_dates(text: str, *, default_year: int) -> date | None:
    """The first valid date with a day anywhere in free text (for the activity stage); None if none."""
    s = _norm_date_text(text)
    for patterns in (_DATE_WITH_DAY, (_MD_SEP,)):
        for m in _scan(patterns, s):
            bounds = _atom_bounds(m, default_year, None)
            if bounds is not None:
                return bounds[0]
    return None


# ----------------------------------------------------------------------------------------- head count

_COUNT_CN_RUN = re.compile(r"[〇○零一二两三四五六七八九十百千万]+")
_COUNT_CN_FOLLOW = re.compile(r" ?(?:余|多|来)? ?(?:人|名|位)")
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))", _A)
_NUMBER = r"(?P<n>\d+(?:\.\d+)?) ?(?P<u>万|千|百)?"
_COUNT = re.compile(r"(?<![\d.])" + _NUMBER + r" ?(?:余|多|来|\+)? ?(?:人|名|位)(?!民)", _A)
_BARE_COUNT = re.compile(r"(?:约|大约|预计|预期|共计|共|合计|计)? ?" + _NUMBER + r" ?(?:余|多|左右|以上)?", _A)
_COUNT_LABEL = re.compile(r"^[^\d:]{1,8}:")  # 人数：300
_RANGE_BEFORE = re.compile(r"\d(?:万|千|百)? ?(?:余|多)? ?(?:人次|人|名|位)? ?(?:-+|~|至|到|或) ?$", _A)
_TOTAL_BEFORE = re.compile(r"共|总|合计|累计")
_BRACKETED = re.compile(r"\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】")
_UNIT_VALUE = {None: 1, "百": 100, "千": 1000, "万": 10000}


def _count_value(m: re.Match[str]) -> int | None:
    if len(m.group("n")) > 12:
        return None  # not a head count (and no huge-number arithmetic on junk)
    value = Decimal(m.group("n")) * _UNIT_VALUE[m.group("u")]
    return int(value) if value == value.to_integral_value() else None


def parse_head_count(raw: str) -> int | None:
    """Head count from 预计活动规模: 约300人次 → 300, 1,200人 → 1200, 线上1000人，线下200人 → 1200; None when
    no single count of people is stated (大型, 5场, 50-100人, 每场50人)."""
    s = to_halfwidth(clean_text(raw)).translate(_DATE_MAP)
    s = fix_ocr_digits(s)
    s = _THOUSANDS.sub("", s)
    s = _convert_cn_numerals(s, _COUNT_CN_RUN, _COUNT_CN_FOLLOW)
    bare = _BARE_COUNT.fullmatch(_COUNT_LABEL.sub("", s, count=1))
    if bare:
        return _count_value(bare)
    if "其中" in s and _COUNT.search(s[: s.index("其中")]):
        s = s[: s.index("其中")]  # what follows 其中 breaks the total down
    outside = _BRACKETED.sub(" ", s)
    if _COUNT.search(outside):
        s = outside
    counts: list[int] = []
    for m in _COUNT.finditer(s):
        before = s[max(0, m.start() - 12) : m.start()]
        if before.endswith("第"):
            continue
        if _RANGE_BEFORE.search(before) or "每" in before[-4:]:
            return None
        value = _count_value(m)
        if value is None:
            continue
        if _TOTAL_BEFORE.search(before[-4:]):
            return value
        counts.append(value)
    return sum(counts) if counts else None
