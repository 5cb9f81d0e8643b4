"""Invented people, phones, e-mails and addresses, the way units in Qinghai write them."""

from __future__ import annotations

import random
from dataclasses import dataclass

from pypinyin import Style, lazy_pinyin

from .registry import Unit, all_units

SURNAMES = "马韩李王张赵刘陈杨祁冶鲁薛何孙周吴徐朱胡郭林罗宋谢魏白沈铁喇星汪窦".replace("", " ").split()
GIVEN = (
    "文军 晓燕 国栋 海龙 玉兰 建平 永红 德明 丽萍 志刚 秀英 学成 少华 春梅 海燕 振宇 雪莲 宏伟 慧敏 光辉 "
    "晓东 淑芳 世杰 彦明 佳琪 云 琳 鹏 涛 静 勇 瑞 婷 刚 芳 浩 敏"
).split()
TIBETAN = "才让卓玛 拉毛吉 多杰才旦 桑杰 索南措 尼玛 扎西东智 完玛 更登 才旦卓玛 旦正 卓玛草".split()

# Qinghai area codes by 市州 (德令哈 is 海西's seat; 格尔木 has its own code).
AREA_CODE = {
    "city-xining": "0971",
    "city-haidong": "0972",
    "city-haibei": "0970",
    "city-huangnan": "0973",
    "city-hainan": "0974",
    "city-guoluo": "0975",
    "city-yushu": "0976",
    "city-haixi": "0977",
}
SPECIAL_AREA = {
    "county-golmud": "0979",
    "ent-saltlake": "0979",
    "ent-lanke": "0979",
    "univ-qhcdm": "0977",
    "univ-qhvtc": "0972",
}
CITY_SEAT = {
    "city-xining": "西宁市城西区",
    "city-haidong": "海东市乐都区",
    "city-haibei": "海北州西海镇",
    "city-huangnan": "黄南州同仁市",
    "city-hainan": "海南州共和县恰卜恰镇",
    "city-guoluo": "果洛州玛沁县大武镇",
    "city-yushu": "玉树州玉树市结古街道",
    "city-haixi": "海西州德令哈市",
}
STREETS = (
    "五四西路 昆仑路 胜利路 黄河路 长江路 海湖大道 七一路 同仁路 柴达木路 团结路 民主路 文化街 八一路 兴海路".split()
)
MOBILE_PREFIXES = (
    "138 139 135 136 137 150 151 152 157 158 159 182 183 187 188 130 131 132 155 156 185 186 133 153 180 189 177 199"
).split()


@dataclass(frozen=True)
class Phone:
    written: str  # as typed on the form
    normalised: str  # contract form; "" when it fails its check
    kind: str  # mobile | landline | "" (invalid)


def person_name(rng: random.Random, pad_two_char: bool = False) -> tuple[str, str]:
    """(written, clean): two-character names are often padded with a full-width space to line up with three."""
    name = rng.choice(TIBETAN) if rng.random() < 0.18 else rng.choice(SURNAMES) + rng.choice(GIVEN)
    if pad_two_char and len(name) == 2:
        return name[0] + "\u3000" + name[1], name
    return name, name


def area_code(unit: Unit) -> str:
    if unit.unit_id in SPECIAL_AREA:
        return SPECIAL_AREA[unit.unit_id]
    city = unit.unit_id if unit.unit_id.startswith("city-") else unit.parent_id
    return AREA_CODE.get(city, "0971")


def mobile(rng: random.Random, style: str = "plain") -> Phone:
    digits = rng.choice(MOBILE_PREFIXES) + "".join(rng.choice("0123456789") for _ in range(8))
    if style == "spaces":
        written = f"{digits[:3]} {digits[3:7]} {digits[7:]}"
    elif style == "dashes":
        written = f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
    elif style == "short":  # one digit dropped: 10 digits, fails the check
        cut = rng.randrange(4, 10)
        written = digits[:cut] + digits[cut + 1 :]
        return Phone(written, "", "")
    else:
        written = digits
    return Phone(written, digits, "mobile")


def landline(rng: random.Random, unit: Unit, style: str = "dash") -> Phone:
    code = area_code(unit)
    number = rng.choice("5688") + "".join(rng.choice("0123456789") for _ in range(6))
    normalised = f"{code}-{number}"
    written = {
        "dash": normalised,
        "space": f"{code} {number}",
        "paren": f"（{code}）{number}",
        "ascii_paren": f"({code}){number}",
        "emdash": f"{code}—{number}",
        "extension": f"{code}-{number}转{rng.randrange(801, 899)}",
        "extension_space": f"{code} {number} 转 {rng.randrange(8001, 8099)}",
    }[style]
    # An extension (转…) has no place in the contract's form (digits, one '-'): the number itself is kept.
    return Phone(written, normalised, "landline")


def initials(text: str) -> str:
    letters = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER)).lower()
    return "".join(c for c in letters if c.isascii() and c.isalnum())


def short_name(unit: Unit) -> str:
    """A short name a unit uses for itself (省气象学会, 海东市科协, 省科协办公室) for e-mails and org titles."""
    fitting = sorted((a for a in unit.aliases if len(a) >= 5), key=lambda a: (not a.startswith("省"), len(a)))
    return fitting[0] if fitting else unit.name


def email(rng: random.Random, unit: Unit, style: str = "plain") -> tuple[str, str]:
    """(written, normalised) e-mail address; style lookalike mixes 0/o and l/1, upper writes it in capitals."""
    base = initials(short_name(unit))[:6]
    domain = rng.choice(["163.com", "126.com", "qq.com", "sina.com"])
    if style == "lookalike":
        local = rng.choice([base.replace("o", "0") + "l1", "qh0l1" + base[-3:], base[:3] + "1l0" + base[3:]])
    elif style == "year":
        local = f"{base}2021"
    elif style == "numeric":
        local = str(rng.randrange(10**8, 10**10))
        domain = "qq.com"
    else:
        local = base
    address = f"{local}@{domain}"
    if style == "upper":
        return address.upper(), address.lower()
    if style == "broken":  # the @ typed as a dot: malformed
        return address.replace("@", "."), ""
    return address, address.lower()


def mailing_address(rng: random.Random, unit: Unit) -> str:
    city = unit.unit_id if unit.unit_id.startswith("city-") else unit.parent_id
    seat = CITY_SEAT.get(city, rng.choice(["西宁市城西区", "西宁市城东区", "西宁市城北区", "西宁市城中区"]))
    if unit.unit_id.startswith("county-"):
        seat = unit.name.replace("科学技术协会", "") + rng.choice(["城关镇", "", "县城"])
        seat = seat if seat.startswith(("西宁", "海东")) else CITY_SEAT.get(unit.parent_id, "")[:3] + seat
    return f"{seat}{rng.choice(STREETS)}{rng.randrange(3, 180)}号{unit.name}"


def org_title(rng: random.Random, unit: Unit, role: str | None = None) -> str:
    roles = ["办公室主任", "办公室副主任", "综合科科长", "科普部部长", "秘书长", "副秘书长", "一级科员", "四级主任科员"]
    if unit.category == "高校科协":
        roles = ["科技处副处长", "科技处科长", "科协秘书长", "科研管理科干事"]
    elif unit.category == "企业科协":
        roles = ["科技部主管", "科协秘书长", "党群工作部干事", "技术中心副主任"]
    elif unit.category == "省级学会":
        roles = ["秘书长", "副秘书长", "学会办公室主任", "会员部干事"]
    return short_name(unit) + (role or rng.choice(roles))


def pick_units(rng: random.Random, category_prefix: str, count: int, taken: set[str]) -> list[Unit]:
    pool = [u for u in all_units().values() if u.unit_id.startswith(category_prefix) and u.unit_id not in taken]
    chosen = rng.sample(sorted(pool, key=lambda u: u.unit_id), count)
    taken.update(u.unit_id for u in chosen)
    return chosen
