"""People, phones, e-mails and addresses as units in Qinghai write them (each with its clean value)."""

from __future__ import annotations

import random
from dataclasses import dataclass

from .units import AREA_CODES, Unit

SURNAMES = (
    "王李张刘陈杨赵马韩祁鲁星冶汪朱孙何罗郭胡高林谢宋唐许邓冯曹彭曾萧田董袁潘蔡蒋余于杜叶程魏苏吕丁任沈"
    "姚卢姜崔钟谭陆范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万覃武戴莫孔向汤"
)
GIVEN = [
    "建国",
    "海燕",
    "晓东",
    "玉兰",
    "志强",
    "文静",
    "永福",
    "丽萍",
    "德明",
    "淑芳",
    "国庆",
    "雪梅",
    "占林",
    "生福",
    "有才",
    "秀英",
    "晓云",
    "梓涵",
    "浩然",
    "思远",
    "明",
    "静",
    "强",
    "敏",
    "磊",
    "娟",
    "军",
    "燕",
    "勇",
    "霞",
    "涛",
    "鹏",
    "芳",
    "斌",
    "慧",
    "青",
    "宁",
    "海",
    "蓉",
    "成龙",
    "春花",
    "发祥",
    "占元",
    "进忠",
    "文斌",
    "永强",
    "得福",
    "延寿",
    "朝晖",
    "晓琴",
    "国栋",
    "红梅",
    "兴邦",
    "亚楠",
    "学军",
    "世忠",
    "菊兰",
    "正阳",
    "瑞",
    "睿",
    "琳",
]
# Tibetan and Tu names are written without a Han surname
TIBETAN = ["才让东智", "卓玛", "拉毛措", "多杰才旦", "索南加", "更登", "仁青卓玛", "尕藏吉", "桑杰", "才旦周", "德吉"]

TITLES_SHORT = [
    "办公室主任",
    "综合科科长",
    "办公室科员",
    "副秘书长",
    "秘书长",
    "科员",
    "副主任",
    "干事",
    "办公室副主任",
]
TITLES_LONG = [
    "学术交流与科普工作部副部长、办公室负责人（兼联络员）",
    "党建工作办公室主任兼科学技术普及与学会服务中心副主任",
    "科研处科技开发与成果转化科科长、校科协秘书处办公室负责人",
    "人力资源部（党委组织部）员工培训与科技创新管理中心副主任",
    "综合办公室副主任，负责科协日常工作及全国科技工作者日活动联络",
]

STREETS = {
    "xining": [
        "城西区五四西路",
        "城中区南大街",
        "城东区八一路",
        "城北区柴达木路",
        "城西区胜利路",
        "海湖新区文景街",
        "城中区西大街",
        "城东区东关大街",
        "城北区宁张路",
        "城西区西关大街",
    ],
    "haidong": ["平安区平安大道", "乐都区古城大街", "平安区湟中路", "乐都区碾伯镇滨河路"],
    "haibei": ["海晏县西海镇同宝路", "海晏县西海镇金滩路"],
    "huangnan": ["同仁市隆务镇夏琼路", "同仁市隆务镇德合隆路"],
    "hainan": ["共和县恰卜恰镇絮团路", "共和县恰卜恰镇光明路"],
    "guoluo": ["玛沁县大武镇团结路", "玛沁县大武镇格萨尔路"],
    "yushu": ["玉树市结古镇胜利路", "玉树市结古镇民主路"],
    "haixi": ["德令哈市柴达木路", "德令哈市长江路", "德令哈市祁连路"],
    "golmud": ["格尔木市昆仑中路", "格尔木市柴达木路", "格尔木市盐桥北路"],
}
CITY_PREFIX = {
    "xining": "青海省西宁市",
    "haidong": "青海省海东市",
    "haibei": "青海省海北州",
    "huangnan": "青海省黄南州",
    "hainan": "青海省海南州",
    "guoluo": "青海省果洛州",
    "yushu": "青海省玉树州",
    "haixi": "青海省海西州",
    "golmud": "青海省",
}


@dataclass(frozen=True)
class Value:
    """What the form shows (raw) and what the cleaned CSV must hold (clean; "" when the check fails)."""

    raw: str
    clean: str
    ok: bool = True  # False: the check fails (invalid_phone / invalid_mobile / invalid_email)


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.12:
        return rng.choice(TIBETAN)
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def mobile_digits(rng: random.Random) -> str:
    return rng.choice(
        ["138", "139", "135", "137", "150", "151", "158", "159", "187", "188", "177", "180", "133"]
    ) + "".join(rng.choice("0123456789") for _ in range(8))


def mobile(rng: random.Random, style: str = "plain") -> Value:
    d = mobile_digits(rng)
    raw = {
        "plain": d,
        "spaces": f"{d[:3]} {d[3:7]} {d[7:]}",
        "dashes": f"{d[:3]}-{d[3:7]}-{d[7:]}",
        "plus86": f"+86 {d[:3]} {d[3:7]} {d[7:]}",
        "plus86_tight": f"+86-{d}",
        "short": d[:10],  # one digit lost: invalid
        "long": d + rng.choice("0123456789"),
    }[style]
    if style in ("short", "long"):
        return Value(raw, "", False)
    return Value(raw, d)


def landline(rng: random.Random, unit: Unit, style: str = "dash") -> Value:
    area = AREA_CODES[unit.city]
    local = rng.choice("68") + "".join(rng.choice("0123456789") for _ in range(6))
    ext = str(rng.randrange(801, 899))
    raw = {
        "dash": f"{area}-{local}",
        "plain": f"{area}{local}",
        "paren": f"({area}){local}",
        "fullparen": f"（{area}）{local}",
        "space": f"{area} {local[:3]} {local[3:]}",
        "ext": f"{area}-{local}转{ext}",
        "short": f"{area}-{local[:5]}",  # invalid: too few digits
        "letters": f"{area}-{local[:4]}O{local[5:]}",  # letter O typed for zero: invalid
    }[style]
    if style in ("short", "letters"):
        return Value(raw, "", False)
    return Value(raw, f"{area}-{local}")


def email(rng: random.Random, user: str, style: str = "plain") -> Value:
    domain = rng.choice(["163.com", "126.com", "qq.com", "sina.com"])
    clean = f"{user}@{domain}"
    raw = {
        "plain": clean,
        "upper": clean.upper() if rng.random() < 0.5 else user.capitalize() + "@" + domain.upper(),
        "fullwidth_at": f"{user}＠{domain}",
        "spaces": f" {user} @ {domain} ",
        "no_at": f"{user}{domain}",  # invalid
        "no_tld": f"{user}@{domain.split('.')[0]}",  # invalid
        "double_at": f"{user}@@{domain}",  # invalid
    }[style]
    if style in ("no_at", "no_tld", "double_at"):
        return Value(raw, "", False)
    return Value(raw, clean)


def address(rng: random.Random, unit: Unit) -> str:
    street = rng.choice(STREETS[unit.city])
    no = rng.randrange(2, 180)
    tail = rng.choice(
        ["", f"{rng.randrange(2, 12)}楼", f"{rng.randrange(2, 9)}楼{rng.randrange(201, 920)}室", "科协办公室"]
    )
    return f"{CITY_PREFIX[unit.city]}{street}{no}号{tail}"


def mail_user(unit: Unit, rng: random.Random) -> str:
    base = unit.unit_id.split("-", 1)[-1].replace("-", "") if unit.unit_id else "kx"
    return rng.choice([f"qh{base}", f"{base}kx", f"qh{base}{rng.randrange(2010, 2022)}", f"{base}_office"])
