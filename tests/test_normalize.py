"""Tests for schemas/normalize.py: the cell values staff really type (or OCR really reads), then properties
over random text (never raises, right type, contract format, round-trips, no catastrophic backtracking)."""

from __future__ import annotations

import re
import time
from datetime import date

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from schemas.contacts import Phone, parse_email, parse_mobile, parse_phone, parse_phones
from schemas.normalize import (
    clean_text,
    count_chars,
    is_blank,
    parse_date,
    parse_date_range,
    parse_head_count,
    parse_stage_dates,
    to_halfwidth,
)

PHONE_CONTRACT = re.compile(r"^(1\d{10}|(0\d{2,3}-)?\d{7,8})$", re.ASCII)
PROPS = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
D = date
YEAR = 2021  # the year that completes a date written without one, in the cases below (the 2021 campaign's)


def fullwidth(text: str) -> str:
    """ASCII → full-width, written independently of the module under test."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


# ------------------------------------------------------------------------------------------- plain text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("１３８９７０１２３４５", "13897012345"),
        ("ＡＢＣ＠１６３．ｃｏｍ", "ABC@163.com"),
        ("（０９７１）－６３３５６２８", "(0971)-6335628"),
        ("a\u3000b", "a b"),
        ("中文，保持。、", "中文,保持。、"),  # only U+FF01-FF5E change: ， is full-width, 。、 are not
        ("", ""),
    ],
)
def test_to_halfwidth(raw: str, expected: str) -> None:
    assert to_halfwidth(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  海西州科协  ", "海西州科协"),
        ("海西州\u3000\u3000科协", "海西州 科协"),
        ("a\n\t b", "a b"),
        ("青海\u200b省\ufeff科协", "青海省科协"),
        ("（一）团结引领：", "（一）团结引领："),  # Chinese punctuation kept
        ("\u200b \u200b", ""),
    ],
)
def test_clean_text(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", 0), ("青海 省\n科协", 5), ("abc 123", 6), ("\u3000全角\u3000空格\u3000", 4), ("零\u200b宽", 2)],
)
def test_count_chars(raw: str, expected: int) -> None:
    assert count_chars(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "   ",
        "\u3000",
        "无",
        " 无 ",
        "/",
        "／",
        "——",
        "—",
        "-",
        "略",
        "暂无",
        "______",
        "（无）",
        "无。",
        "N/A",
        "none",
        "\u200b",
        "……",
        "【无】",
        "没有",
    ],
)
def test_is_blank_true(raw: str | None) -> None:
    assert is_blank(raw)


@pytest.mark.parametrize("raw", ["0", "待定", "海西州科协", "无锡", "略阳县", "/ 张明", "13897012345", "否"])
def test_is_blank_false(raw: str) -> None:
    assert not is_blank(raw)


# ----------------------------------------------------------------------------------------------- phones

PHONES = [
    ("0971-6335628", "0971-6335628", "landline"),
    ("0971－6335628", "0971-6335628", "landline"),
    ("0971—6335628", "0971-6335628", "landline"),
    ("(0971)6335628", "0971-6335628", "landline"),
    ("（0971）6335628", "0971-6335628", "landline"),
    ("（0971）－6335628", "0971-6335628", "landline"),
    ("0971 6335628", "0971-6335628", "landline"),
    ("09716335628", "0971-6335628", "landline"),
    ("０９７１－６３３５６２８", "0971-6335628", "landline"),
    ("0971\u30006335628", "0971-6335628", "landline"),
    ("6335628", "6335628", "landline"),
    ("63356289", "63356289", "landline"),
    ("0971-6335628转801", "0971-6335628", "landline"),
    ("0971-6335628 转 801", "0971-6335628", "landline"),
    ("0971-6335628-801", "0971-6335628", "landline"),
    ("0971-6335628分机801", "0971-6335628", "landline"),
    ("（010）68586651", "010-68586651", "landline"),
    ("01068586651", "010-68586651", "landline"),
    ("021-12345678", "021-12345678", "landline"),
    ("02112345678", "021-12345678", "landline"),
    ("0971-633-5628", "0971-6335628", "landline"),
    ("+86 971 6335628", "0971-6335628", "landline"),
    ("O971-6335628", "0971-6335628", "landline"),  # OCR: O for 0
    ("0971一6335628", "0971-6335628", "landline"),  # OCR: 一 for a dash
    ("09.77-8650497", "0977-8650497", "landline"),  # OCR: a speck inside the area code (dev36 grey liaison)
    ("0 977 8650497", "0977-8650497", "landline"),
    ("Tel: 0971-6335628", "0971-6335628", "landline"),
    ("办公室：0971-6335628", "0971-6335628", "landline"),
    ("13897012345", "13897012345", "mobile"),
    ("138 9701 2345", "13897012345", "mobile"),
    ("138-9701-2345", "13897012345", "mobile"),
    ("+86 13897012345", "13897012345", "mobile"),
    ("+8613897012345", "13897012345", "mobile"),
    ("86-13897012345", "13897012345", "mobile"),
    ("0086 13897012345", "13897012345", "mobile"),
    ("（+86）13897012345", "13897012345", "mobile"),
    ("１３８９７０１２３４５", "13897012345", "mobile"),
    ("l3897O12345", "13897012345", "mobile"),  # OCR: l for 1, O for 0
    ("1389701234S", None, None),  # S is not an OCR digit confusion we repair
    ("13897012345（微信同号）", "13897012345", "mobile"),
    ("手机：13897012345", "13897012345", "mobile"),
    ("\u200b13897012345\u200b", "13897012345", "mobile"),
    # invalid
    ("1389701234", None, None),  # 10-digit mobile
    ("138970123456", None, None),  # 12-digit mobile
    ("1389 7012 3456", None, None),
    ("abc", None, None),
    ("0971-abc5628", None, None),
    ("hello13897012345", None, None),  # letters touching the digits
    ("12345", None, None),
    ("633562", None, None),  # 6 digits
    ("0971-633562", None, None),
    ("0971-63356281", "0971-63356281", "landline"),  # 8-digit subscriber is fine
    ("0971-633562812", None, None),  # 9-digit subscriber
    ("0123-6335628", None, None),  # 01x is not an area code (only 010)
    ("0971", None, None),
    ("1234567", None, None),  # local numbers never start with 1
    ("0335628", None, None),  # ... or 0
    ("138****2345", None, None),
    ("+1 4155550100", None, None),
    ("", None, None),
    ("无", None, None),
]


@pytest.mark.parametrize(("raw", "value", "kind"), PHONES)
def test_parse_phone(raw: str, value: str | None, kind: str | None) -> None:
    phone = parse_phone(raw)
    if value is None:
        assert phone is None
    else:
        assert phone == Phone(value, kind)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("0971-6335628 13897012345", ["0971-6335628", "13897012345"]),
        ("0971-6335628/13897012345", ["0971-6335628", "13897012345"]),
        ("0971-6335628、13897012345", ["0971-6335628", "13897012345"]),
        ("0971-6335628；13897012345", ["0971-6335628", "13897012345"]),
        ("0971-6335628,13897012345", ["0971-6335628", "13897012345"]),
        ("0971-6335628\n13897012345", ["0971-6335628", "13897012345"]),
        ("13897012345或13997012345", ["13897012345", "13997012345"]),
        ("0971-6335628 138 9701 2345", ["0971-6335628", "13897012345"]),
        ("0971-6335628-801 13897012345", ["0971-6335628", "13897012345"]),
        ("1389701234/13897012345", ["13897012345"]),  # the first is malformed: first VALID one
        ("0971-6335628 1389701234", ["0971-6335628"]),  # reading stops at the malformed number
        ("13897012345/13897012345", ["13897012345"]),  # duplicates once
        ("", []),
    ],
)
def test_parse_phones(raw: str, expected: list[str]) -> None:
    assert [p.value for p in parse_phones(raw)] == expected
    assert (parse_phone(raw) or Phone("", "mobile")).value == (expected[0] if expected else "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13897012345", "13897012345"),
        ("138 9701 2345", "13897012345"),
        ("+86 13897012345", "13897012345"),
        ("０９７１－６３３５６２８ １３８９７０１２３４５", "13897012345"),
        ("0971-6335628", None),  # a landline is not a mobile
        ("1389701234", None),
        ("138970123456", None),
        ("12345678901", "12345678901"),  # contract: 11 digits starting with 1
        ("", None),
    ],
)
def test_parse_mobile(raw: str, expected: str | None) -> None:
    assert parse_mobile(raw) == expected


# ----------------------------------------------------------------------------------------------- e-mail


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("hxkx2021@163.com", "hxkx2021@163.com"),
        ("HXKX2021@163.COM", "hxkx2021@163.com"),
        ("hxkx2021＠163．com", "hxkx2021@163.com"),
        ("ｈｘｋｘ２０２１＠１６３．ｃｏｍ", "hxkx2021@163.com"),
        ("hxkx2021@163。com", "hxkx2021@163.com"),
        (" hxkx 2021 @ 163 .com ", "hxkx2021@163.com"),
        ("hxkx2021@163.com。", "hxkx2021@163.com"),
        ("hzq1l0kx@qq.com:", "hzq1l0kx@qq.com"),  # a speck after the address on a scan
        ("邮箱：hxkx2021@163.com", "hxkx2021@163.com"),
        ("E-mail: hxkx2021@163.com", "hxkx2021@163.com"),
        ("mailto:hxkx2021@163.com", "hxkx2021@163.com"),
        ("zhang.ming_01+kx@qh.edu.cn", "zhang.ming_01+kx@qh.edu.cn"),
        ("a@b.com；c@d.com", "a@b.com"),
        ("a@b.com c@d.com", "a@b.com"),
        ("\u200bhxkx@qq.com", "hxkx@qq.com"),
        ("hxkx2021@163.com（张明）", "hxkx2021@163.com"),
        ("email@163.com", "email@163.com"),  # not a label
        ("hxkx2021@163", None),
        ("hxkx2021163.com", None),
        ("hx@@163.com", None),
        ("@163.com", None),
        ("hxkx@", None),
        ("hx..kx@163.com", None),
        (".hxkx@163.com", None),
        ("hxkx@163..com", None),
        ("hxkx@-163.com", None),
        ("hxkx@163.c", None),
        ("hxkx@163.123", None),
        ("张明@163.com", None),
        ("无", None),
        ("", None),
    ],
)
def test_parse_email(raw: str, expected: str | None) -> None:
    assert parse_email(raw) == expected


# ------------------------------------------------------------------------------------------------ dates

DATES = [
    ("2021年5月28日", D(2021, 5, 28)),
    ("2021.5.28", D(2021, 5, 28)),
    ("2021/5/28", D(2021, 5, 28)),
    ("2021-05-28", D(2021, 5, 28)),
    ("2021年05月28日", D(2021, 5, 28)),
    ("5月28日", D(2021, 5, 28)),
    ("5.28", D(2021, 5, 28)),
    ("5/28", D(2021, 5, 28)),
    ("二〇二一年五月二十八日", D(2021, 5, 28)),
    ("二○二一年五月八日", D(2021, 5, 8)),
    ("二零二一年六月三十日", D(2021, 6, 30)),
    ("二〇二一年五月廿八日", D(2021, 5, 28)),
    ("2021年5月28号", D(2021, 5, 28)),
    ("２０２１年５月２８日", D(2021, 5, 28)),
    ("２０２１．５．２８", D(2021, 5, 28)),
    ("2021年5月28日（星期五）", D(2021, 5, 28)),
    ("2021年5月28日上午9:00", D(2021, 5, 28)),
    ("2021 年 5 月 8 日", D(2021, 5, 8)),
    ("2021\u3000年\u30005\u3000月\u30008\u3000日", D(2021, 5, 8)),
    ("21年5月8日", D(2021, 5, 8)),
    ("2021年5月28", D(2021, 5, 28)),
    ("20210528", D(2021, 5, 28)),
    ("2O21年5月2l日", D(2021, 5, 21)),  # OCR O/l inside digit runs
    ("2021年5月28曰", D(2021, 5, 28)),  # OCR 曰 for 日
    ("报送时间：2021年5月8日", D(2021, 5, 8)),
    ("5月28日—30日", D(2021, 5, 28)),  # a range: its first day
    ("2021年2月28日", D(2021, 2, 28)),
    ("2020年2月29日", D(2020, 2, 29)),
    ("20215.10", D(2021, 5, 10)),  # a scan lost the dot after the year (`2021.5.10`)
    ("202105/07", D(2021, 5, 7)),
    ("2021706/17", D(2021, 6, 17)),  # a scan read the first slash as a 7 (`2021/06/17`)
    ("202158", D(2021, 5, 8)),  # a fax lost both dots of `2021.5.8`: only 5月8日 is a date
    ("2021.59", D(2021, 5, 9)),  # and the second dot of `2021.5.9`
    ("2021.5:6", D(2021, 5, 6)),  # a fax read a dot as a colon; the other dot says which it was
    ("2021:05/06", D(2021, 5, 6)),
    # rejected
    ("2021111", None),  # 1月11日 or 11月1日: the lost dots cannot be told
    ("2月30日", None),
    ("2021年2月29日", None),
    ("2021年13月1日", None),
    ("2021.5.32", None),
    ("5月0日", None),
    ("1850年5月28日", None),
    ("2021年5月", None),  # no day
    ("5月下旬", None),
    ("待定", None),
    ("", None),
    ("无", None),
    ("1.5万人", None),  # a decimal with a unit is not 1月5日
]


@pytest.mark.parametrize(("raw", "expected"), DATES)
def test_parse_date(raw: str, expected: date | None) -> None:
    assert parse_date(raw, default_year=YEAR) == expected


def test_parse_date_default_year() -> None:
    assert parse_date("5月28日", default_year=2022) == D(2022, 5, 28)
    assert parse_date("2021年5月28日", default_year=2022) == D(2021, 5, 28)
    assert parse_date("2月29日", default_year=2020) == D(2020, 2, 29)
    assert parse_date("2月29日", default_year=2021) is None


RANGES = [
    ("2021年5月28日", (D(2021, 5, 28), D(2021, 5, 28))),
    ("5月28日", (D(2021, 5, 28), D(2021, 5, 28))),
    ("5月28日—30日", (D(2021, 5, 28), D(2021, 5, 30))),
    ("5月28日——30日", (D(2021, 5, 28), D(2021, 5, 30))),
    ("5月28日-30日", (D(2021, 5, 28), D(2021, 5, 30))),
    ("5月28-30日", (D(2021, 5, 28), D(2021, 5, 30))),
    ("5月28日-6月2日", (D(2021, 5, 28), D(2021, 6, 2))),
    ("5月28日至6月2日", (D(2021, 5, 28), D(2021, 6, 2))),
    ("5月28日到6月2日", (D(2021, 5, 28), D(2021, 6, 2))),
    ("5月28日 至 6月2日", (D(2021, 5, 28), D(2021, 6, 2))),
    ("2021年5月28日～2021年5月30日", (D(2021, 5, 28), D(2021, 5, 30))),
    ("2021年5月28日~30日", (D(2021, 5, 28), D(2021, 5, 30))),
    ("5.28-5.30", (D(2021, 5, 28), D(2021, 5, 30))),
    ("5.28-30", (D(2021, 5, 28), D(2021, 5, 30))),
    ("2021.5.28-6.2", (D(2021, 5, 28), D(2021, 6, 2))),
    ("2021-05-28至2021-05-30", (D(2021, 5, 28), D(2021, 5, 30))),
    ("2021.5.28-2021.5.30", (D(2021, 5, 28), D(2021, 5, 30))),
    ("二〇二一年五月二十八日至三十日", (D(2021, 5, 28), D(2021, 5, 30))),
    ("５月２８日－３０日", (D(2021, 5, 28), D(2021, 5, 30))),
    ("5月28日（周五）-5月30日（周日）", (D(2021, 5, 28), D(2021, 5, 30))),
    ("5月28日上午9:00-11:30", (D(2021, 5, 28), D(2021, 5, 28))),
    ("2021年5月28日上午9:00", (D(2021, 5, 28), D(2021, 5, 28))),
    ("5月28日、29日", (D(2021, 5, 28), D(2021, 5, 29))),
    ("5月28日、6月5日、6月20日", (D(2021, 5, 28), D(2021, 6, 20))),
    ("5月28日一30日", (D(2021, 5, 28), D(2021, 5, 30))),  # OCR 一 for a dash
    ("5月下旬", (D(2021, 5, 21), D(2021, 5, 31))),
    ("5月中旬", (D(2021, 5, 11), D(2021, 5, 20))),
    ("5月上旬", (D(2021, 5, 1), D(2021, 5, 10))),
    ("5月中下旬", (D(2021, 5, 11), D(2021, 5, 31))),
    ("5月中上旬-6月下旬", (D(2021, 5, 1), D(2021, 6, 30))),
    ("5月底", (D(2021, 5, 25), D(2021, 5, 31))),  # decision: the last 7 days
    ("5月末", (D(2021, 5, 25), D(2021, 5, 31))),
    ("6月底", (D(2021, 6, 24), D(2021, 6, 30))),
    ("6月初", (D(2021, 6, 1), D(2021, 6, 7))),  # decision: the first 7 days
    ("5月中", (D(2021, 5, 11), D(2021, 5, 20))),
    ("5月", (D(2021, 5, 1), D(2021, 5, 31))),
    ("5月份", (D(2021, 5, 1), D(2021, 5, 31))),
    ("2021年6月", (D(2021, 6, 1), D(2021, 6, 30))),
    ("5月下旬至6月上旬", (D(2021, 5, 21), D(2021, 6, 10))),
    ("5月28日至6月底", (D(2021, 5, 28), D(2021, 6, 30))),
    ("6月初步完成", (D(2021, 6, 1), D(2021, 6, 30))),  # 初步 is not 月初
    ("5月中国科协", (D(2021, 5, 1), D(2021, 5, 31))),  # 中国 is not 月中
    ("5月28日、3场", (D(2021, 5, 28), D(2021, 5, 28))),  # 3场 is not a day
    ("5月28日, 30人参加", (D(2021, 5, 28), D(2021, 5, 28))),
    ("待定", None),
    ("另行通知", None),
    ("", None),
    ("6月2日-5月28日", None),  # backwards
    ("5月28日-2月30日", None),  # impossible end
    ("2月30日", None),
    ("13月", None),
]


@pytest.mark.parametrize(("raw", "expected"), RANGES)
def test_parse_date_range(raw: str, expected: tuple[date, date] | None) -> None:
    assert parse_date_range(raw, default_year=YEAR) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("5月28日，在西宁市举办科技工作者座谈会。", D(2021, 5, 28)),
        ("活动时间：2021年6月10日至12日", D(2021, 6, 10)),
        ("拟于五月二十日开展走访慰问", D(2021, 5, 20)),
        ("1.1 活动背景：本次活动约1.5万人参与，定于6月8日举行", D(2021, 6, 8)),  # 1.1 is numbering
        ("“5·30”全国科技工作者日当天举办", D(2021, 5, 30)),
        ("5月下旬组织开展", None),  # a period spans stages: no single date
        ("2月30日与6月1日", D(2021, 6, 1)),  # impossible dates are skipped in free text
        ("组织开展系列活动，增长12.5%", None),
        ("", None),
    ],
)
def test_parse_stage_dates(text: str, expected: date | None) -> None:
    assert parse_stage_dates(text, default_year=YEAR) == expected


# ------------------------------------------------------------------------------------------- head count


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("约300人次", 300),
        ("300人", 300),
        ("300余人", 300),
        ("300多人", 300),
        ("300人左右", 300),
        ("三百人", 300),
        ("三百余人", 300),
        ("一千二百人", 1200),
        ("两千人", 2000),
        ("十五人", 15),
        ("1,200人", 1200),
        ("１，２００人", 1200),
        ("1200名", 1200),
        ("50位专家", 50),
        ("线上1000人，线下200人", 1200),
        ("线上1000人次、线下200人次", 1200),
        ("共计1200人（线上1000人，线下200人）", 1200),  # a stated total wins over its breakdown
        ("1200人（线上1000人，线下200人）", 1200),  # bracketed breakdown ignored
        ("300人，其中专家20人", 300),  # 其中 is a breakdown
        ("1.2万人次", 12000),
        ("10万+人次", 100000),
        ("3OO人", 300),  # OCR O for 0
        ("300", 300),  # a bare number in this column is a head count
        ("约300", 300),
        ("人数：300", 300),
        ("预计活动规模：约300人次", 300),
        ("50-100人", None),  # decision: a range states no single count
        ("50—100人", None),
        ("50至100人", None),
        ("50人-100人", None),
        ("每场50人", None),  # decision: per session, total unknown
        ("大型", None),
        ("5场", None),
        ("数百人", None),
        ("近千人", None),
        ("1.5人", None),
        ("第1名", None),
        ("待定", None),
        ("", None),
    ],
)
def test_parse_head_count(raw: str, expected: int | None) -> None:
    assert parse_head_count(raw) == expected


# ------------------------------------------------------------------------------------ properties: safety

# Characters the parsers care about, so random strings reach the interesting code paths.
RELEVANT = (
    "0123456789０１２３年月日号曰至到-—－～~.．,，、/／;；()（）+ \u3000\u200b人次余多约万千百名位场"
    "一二三四五六七八九十〇廿上中下旬初底末份星期周@＠Oolli转x#:：其中共每第abc@"
)
ANY_TEXT = st.one_of(st.text(max_size=80), st.text(alphabet=RELEVANT, max_size=80))


def parse_date_in_year(text: str) -> date | None:
    return parse_date(text, default_year=YEAR)


def parse_date_range_in_year(text: str) -> tuple[date, date] | None:
    return parse_date_range(text, default_year=YEAR)


def parse_stage_dates_in_year(text: str) -> date | None:
    return parse_stage_dates(text, default_year=YEAR)


FUNCTIONS = [
    (to_halfwidth, str),
    (clean_text, str),
    (count_chars, int),
    (is_blank, bool),
    (parse_phone, (Phone, type(None))),
    (parse_phones, list),
    (parse_mobile, (str, type(None))),
    (parse_email, (str, type(None))),
    (parse_date_in_year, (date, type(None))),
    (parse_date_range_in_year, (tuple, type(None))),
    (parse_head_count, (int, type(None))),
    (parse_stage_dates_in_year, (date, type(None))),
]


@PROPS
@given(ANY_TEXT)
def test_every_function_returns_its_type_on_any_text(text: str) -> None:
    for fn, kind in FUNCTIONS:
        assert isinstance(fn(text), kind), fn.__name__  # type: ignore[operator]


@PROPS
@given(ANY_TEXT)
def test_phone_outputs_match_the_contract(text: str) -> None:
    phones = parse_phones(text)
    for phone in phones:
        assert PHONE_CONTRACT.fullmatch(phone.value)
        assert phone.kind == ("mobile" if phone.value[0] == "1" else "landline")
    first = parse_phone(text)
    assert first == (phones[0] if phones else None)
    mobile = parse_mobile(text)
    assert mobile is None or re.fullmatch(r"1\d{10}", mobile, re.ASCII)


@PROPS
@given(st.one_of(ANY_TEXT, st.emails().map(lambda e: e.upper()), st.emails().map(fullwidth)))
def test_email_output_is_lower_case_with_one_at(text: str) -> None:
    email = parse_email(text)
    if email is not None:
        assert email == email.lower()
        assert email.count("@") == 1
        assert not any(c.isspace() for c in email)


@PROPS
@given(ANY_TEXT)
def test_date_range_start_not_after_end(text: str) -> None:
    found = parse_date_range(text, default_year=YEAR)
    if found is not None:
        start, end = found
        assert isinstance(start, date) and isinstance(end, date) and start <= end


@PROPS
@given(ANY_TEXT)
def test_text_helpers(text: str) -> None:
    half = to_halfwidth(text)
    assert len(half) == len(text)
    assert not any("\uff01" <= c <= "\uff5e" or c == "\u3000" for c in half)
    cleaned = clean_text(text)
    assert cleaned == clean_text(cleaned)  # idempotent
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert count_chars(cleaned) == count_chars(text)
    assert is_blank(text) == is_blank(cleaned)


@PROPS
@given(st.integers(min_value=0, max_value=10**9))
def test_head_count_plain_integers(n: int) -> None:
    assert parse_head_count(f"{n}人") == n


# Repeated short motifs are what makes a regex backtrack; 10,000 characters must still be quick.
def _ten_thousand(motif: str) -> str:
    return (motif * (10_000 // len(motif) + 1))[:10_000]


LONG_ADVERSARIAL = [
    _ten_thousand(m)
    for m in [
        "1",
        "一",
        "二〇",
        "5月",
        "5月28日-",
        "1.",
        "-",
        "(",
        "(0971)",
        "l0",
        "a@",
        " ",
        "\u3000",
        "300人,",
        "上午9:00",
        "5月28日、",
        "0971-6335628 ",
        "二十人",
    ]
]


def _run_all(text: str) -> float:
    started = time.perf_counter()
    for fn, kind in FUNCTIONS:
        assert isinstance(fn(text), kind), fn.__name__  # type: ignore[operator]
    return time.perf_counter() - started


@pytest.mark.parametrize("text", LONG_ADVERSARIAL, ids=lambda t: repr(t[:8]))
def test_long_adversarial_inputs_are_fast(text: str) -> None:
    assert _run_all(text) < 2.0


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=RELEVANT, min_size=1, max_size=12))
def test_long_random_motifs_are_fast(motif: str) -> None:
    assert _run_all(_ten_thousand(motif)) < 2.0


# --------------------------------------------------------------------------------- properties: round-trip

CN_DIGITS = "零一二三四五六七八九"


def cn_int(n: int) -> str:
    """1..9999 in Chinese numerals (十五, 一百一十, 一千零五), written independently of the module."""
    if n < 10:
        return CN_DIGITS[n]
    if n < 20:
        return "十" + (CN_DIGITS[n % 10] if n % 10 else "")
    out, gap = "", False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        q = n // value % 10
        if q:
            out += ("零" if gap else "") + CN_DIGITS[q] + unit
            gap = False
        elif out:
            gap = True
    return out


def cn_year(y: int) -> str:
    return "".join("〇一二三四五六七八九"[int(c)] for c in str(y))


WEEKDAYS = "一二三四五六日"
DATE_STYLES = [
    lambda d: f"{d.year}年{d.month}月{d.day}日",
    lambda d: f"{d.year}.{d.month}.{d.day}",
    lambda d: f"{d.year}/{d.month}/{d.day}",
    lambda d: d.isoformat(),
    lambda d: f"{d.year}年{d.month:02d}月{d.day:02d}日",
    lambda d: f"{d.year}年{d.month}月{d.day}号",
    lambda d: f"{cn_year(d.year)}年{cn_int(d.month)}月{cn_int(d.day)}日",
    lambda d: fullwidth(f"{d.year}年{d.month}月{d.day}日"),
    lambda d: fullwidth(f"{d.year}.{d.month}.{d.day}"),
    lambda d: f"{d.year}年{d.month}月{d.day}日（星期{WEEKDAYS[d.weekday()]}）",
    lambda d: f"{d.year}年{d.month}月{d.day}日上午9:00",
    lambda d: f" {d.year} 年 {d.month} 月 {d.day} 日 ",
    lambda d: f"{d.year}{d.month:02d}{d.day:02d}",
    # no year: parsed with default_year = the date's year
    lambda d: f"{d.month}月{d.day}日",
    lambda d: f"{d.month}.{d.day}",
    lambda d: f"{cn_int(d.month)}月{cn_int(d.day)}号",
]
DATES_ANY = st.dates(min_value=D(1990, 1, 1), max_value=D(2099, 12, 31))


@PROPS
@given(DATES_ANY, st.integers(min_value=0, max_value=len(DATE_STYLES) - 1))
def test_date_round_trip(d: date, style: int) -> None:
    text = DATE_STYLES[style](d)
    assert parse_date(text, default_year=d.year) == d, text
    assert parse_date_range(text, default_year=d.year) == (d, d), text
    assert parse_stage_dates(f"本阶段于{text}举办", default_year=d.year) == d, text


RANGE_STYLES = [
    lambda a, b: f"{a.month}月{a.day}日至{b.month}月{b.day}日",
    lambda a, b: f"{a.month}月{a.day}日—{b.month}月{b.day}日",
    lambda a, b: f"{a.year}年{a.month}月{a.day}日～{b.year}年{b.month}月{b.day}日",
    lambda a, b: f"{a.month}.{a.day}-{b.month}.{b.day}",
    lambda a, b: f"{a.isoformat()}至{b.isoformat()}",
    lambda a, b: fullwidth(f"{a.year}.{a.month}.{a.day}-{b.month}.{b.day}"),
    lambda a, b: f"{a.month}月{a.day}日" + (f"-{b.day}日" if a.month == b.month else f"-{b.month}月{b.day}日"),
]


@PROPS
@given(DATES_ANY, st.integers(min_value=0, max_value=60), st.integers(0, len(RANGE_STYLES) - 1))
def test_date_range_round_trip(start: date, days: int, style: int) -> None:
    end = date.fromordinal(start.toordinal() + days)
    if end.year != start.year:
        end = D(start.year, 12, 31)
    text = RANGE_STYLES[style](start, end)
    assert parse_date_range(text, default_year=start.year) == (start, end), text


AREA_CODES = st.one_of(
    st.just("010"),
    st.integers(0, 9).map(lambda n: f"02{n}"),
    st.integers(300, 999).map(lambda n: f"0{n}"),
)
SUBSCRIBERS = st.from_regex(r"[2-9][0-9]{6,7}", fullmatch=True).filter(str.isascii)
LANDLINE_STYLES = [
    lambda a, s: f"{a}-{s}",
    lambda a, s: f"{a}－{s}",
    lambda a, s: f"({a}){s}",
    lambda a, s: f"（{a}）{s}",
    lambda a, s: f"{a} {s}",
    lambda a, s: f"{a}{s}",
    lambda a, s: f"{a}-{s}转801",
    lambda a, s: fullwidth(f"{a}-{s}"),
    lambda a, s: f"+86 {a[1:]} {s}",
    lambda a, s: f"电话：{a}-{s}",
]


@PROPS
@given(AREA_CODES, SUBSCRIBERS, st.integers(0, len(LANDLINE_STYLES) - 1))
def test_landline_round_trip(area: str, subscriber: str, style: int) -> None:
    text = LANDLINE_STYLES[style](area, subscriber)
    assert parse_phone(text) == Phone(f"{area}-{subscriber}", "landline"), text
    assert parse_mobile(text) is None


MOBILE_STYLES = [
    lambda m: m,
    lambda m: f"{m[:3]} {m[3:7]} {m[7:]}",
    lambda m: f"{m[:3]}-{m[3:7]}-{m[7:]}",
    lambda m: f"+86 {m}",
    lambda m: f"86-{m}",
    lambda m: fullwidth(m),
    lambda m: m.replace("0", "O"),  # OCR confusions
    lambda m: "l" + m[1:],
    lambda m: f"手机：{m}（微信同号）",
]


@PROPS
@given(st.from_regex(r"1[0-9]{10}", fullmatch=True).filter(str.isascii), st.integers(0, len(MOBILE_STYLES) - 1))
def test_mobile_round_trip(mobile: str, style: int) -> None:
    text = MOBILE_STYLES[style](mobile)
    assert parse_phone(text) == Phone(mobile, "mobile"), text
    assert parse_mobile(f"0971-6335628、{text}") == mobile, text


HEAD_COUNT_STYLES = [
    lambda n: f"约{n}人次",
    lambda n: f"{n}人",
    lambda n: f"{n}余人",
    lambda n: f"{n:,}人",
    lambda n: f"{cn_int(n)}人",
    lambda n: f"预计{n}人左右",
    lambda n: fullwidth(f"{n}人"),
    lambda n: f"线上{n - n // 3}人，线下{n // 3}人",
]


@PROPS
@given(st.integers(min_value=1, max_value=9999), st.integers(0, len(HEAD_COUNT_STYLES) - 1))
def test_head_count_round_trip(n: int, style: int) -> None:
    text = HEAD_COUNT_STYLES[style](n)
    assert parse_head_count(text) == n, text


@PROPS
@given(st.emails())
def test_email_round_trip(email: str) -> None:
    # RFC-valid addresses; we additionally insist on a letter-only TLD (no punycode xn--) and no dot-runs
    local, domain = email.split("@")
    assume(".." not in local and not local.startswith(".") and not local.endswith("."))
    assume(domain.rsplit(".", 1)[-1].isalpha() and len(email) <= 254)
    assert parse_email(fullwidth(email.upper())) == email.lower(), email


def test_a_date_whose_year_is_no_year_gives_its_month_and_day_in_the_default_year() -> None:
    from schemas.normalize import parse_date_in_unread_year

    assert parse_date_in_unread_year("三〇二一年六月 十一日", default_year=2021) == date(2021, 6, 11)
    assert parse_date_in_unread_year("3021年6月11日", default_year=2021) == date(2021, 6, 11)
    assert parse_date_in_unread_year("2021年6月11日", default_year=2021) is None  # a real year: parse_date's
    assert parse_date_in_unread_year("3021年6月31日", default_year=2021) is None  # no such day either
    assert parse_date_in_unread_year("活动于3021年举办，6月11日", default_year=2021) is None
