"""A written unit name → its comparison key (the normaliser behind `schemas.units`).

`fold_unit_name` keeps the wording and drops everything else: traditional characters (zhconv), width
forms (`schemas.text_fold`), a leading label (填报单位：), a trailing （盖章） or date, spaces, brackets and
punctuation. `normalize_unit_name` then applies the abbreviation rules of units-notes.md, so 海西蒙古族藏族
自治州科学技术协会 and 海西州科协 give one key. Registry names and written names go through the same steps.
"""

from __future__ import annotations

import re
from functools import lru_cache

from schemas.text_fold import to_halfwidth

__all__ = ["ETHNIC_GROUPS", "OFFICE_WORD", "abbreviate", "fold_unit_name", "normalize_unit_name"]

# The 56 民族 officially recognised; they make up the names of autonomous 州/县/旗/区.
ETHNIC_GROUPS = (
    "汉 蒙古 回 藏 维吾尔 苗 彝 壮 布依 朝鲜 满 侗 瑶 白 土家 哈尼 哈萨克 傣 黎 傈僳 佤 畲 拉祜 水 "
    "东乡 纳西 景颇 柯尔克孜 土 达斡尔 仫佬 羌 布朗 撒拉 毛南 仡佬 锡伯 阿昌 普米 塔吉克 怒 乌孜别克 "
    "俄罗斯 鄂温克 德昂 保安 裕固 京 塔塔尔 独龙 鄂伦春 赫哲 门巴 珞巴 基诺 高山"
).split()
_ETHNIC = "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True))  # longest first: 土家 before 土

# A body's own office or secretariat, written after its name when the office fills in the form
# (海西州科协办公室, 青海省医学会秘书处): it stands for the body (see UnitRegistry.match).
OFFICE_WORD = re.compile(r"(?:综合)?办公室|秘书处|秘书部|办")


@lru_cache(maxsize=1)
def _to_simplified():  # type: ignore[no-untyped-def]
    # Imported on first use: a re-run with nothing new never folds a name and should not wait for it.
    from zhconv import convert

    return convert


_DIGIT = "[0-9OoIl〇○零]"  # OCR reads 0 as O/o and 1 as I/l inside dates
_CN_NUM = "[〇○零OoΟ一二三四五六七八九十]"
_LABEL = re.compile(
    r"^\s*(?:填报单位|报送单位|申报单位|主办单位名称|主办单位|承办单位名称|承办单位|单位名称|单位)\s*[:：]?\s*"
)
_TRAILING_NOISE = [
    re.compile(
        r"\s*(?:[(\[【]\s*(?:单位)?(?:签字)?(?:盖章|签章|公章|印章|章)\s*[)\]】]|(?:单位)?(?:签字)?(?:盖章|签章))\s*$"
    ),
    re.compile(
        rf"[\s,，]*(?:日期\s*[:：]?\s*)?{_DIGIT}{{4}}\s*年\s*{_DIGIT}{{1,2}}\s*月(?:\s*{_DIGIT}{{1,2}}\s*日?)?\s*$"
    ),
    re.compile(rf"[\s,，]*(?:日期\s*[:：]?\s*)?{_DIGIT}{{4}}\s*[-./]\s*{_DIGIT}{{1,2}}\s*[-./]\s*{_DIGIT}{{1,2}}\s*$"),
    re.compile(
        rf"[\s,，]*(?:日期\s*[:：]?\s*)?{_CN_NUM}{{4}}\s*年\s*{_CN_NUM}{{1,2}}\s*月(?:\s*{_CN_NUM}{{1,3}}\s*日)?\s*$"
    ),
]
_NOT_HAN = re.compile(r"[^\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002ffff]+")

# the notes' abbreviation rules, applied in this order to registry and input alike
_REWRITES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"科学技术协会"), "科协"),
    (re.compile(r"科学技术"), "科技"),  # also 科学技术馆→科技馆
    # 海西蒙古族藏族自治州 → 海西州; the place's own name comes first (东乡族自治县 is named after its people)
    (re.compile(rf"(?<=..)(?:(?:{_ETHNIC})族)+自治([州县旗])"), r"\1"),
    (re.compile(r"中国石油天然气|中国石油"), "中石油"),
    (re.compile(r"国家电网"), "国网"),
    # the company form, written out (股份有限公司) or not (西宁特钢股份公司, 西部矿业集团, 电力公司),
    # says nothing about which company it is (盐湖股份公司科协 is 盐湖股份科协); 分公司 does. After a
    # two-character name it is kept, as one spelling (黄河公司 is not 黄河; 青投集团 = 青投公司).
    (re.compile(r"(?<=...)(?:股份|集团)?有限(?:责任)?公司"), ""),
    (re.compile(r"(?<=...)(?:股份|集团|(?<!分)公司)"), ""),
    (re.compile(r"^(..)(?:股份|集团)"), r"\1公司"),
    (re.compile(r"师范大学"), "师大"),
    (re.compile(r"职业技术学院|职业学院"), "职院"),
    (re.compile(r"大学"), "大"),
]


def _strip_noise(text: str) -> str:
    text = _LABEL.sub("", text)
    changed = True
    while changed:  # 盖章 and a date may come in either order
        changed = False
        for pattern in _TRAILING_NOISE:
            stripped = pattern.sub("", text)
            if stripped != text and stripped.strip():
                text, changed = stripped, True
    return text


def fold_unit_name(raw: str) -> str:
    """Simplified, half-width, without noise, spaces, brackets or punctuation; wording untouched."""
    text = _to_simplified()(to_halfwidth(raw or ""), "zh-hans")
    return _NOT_HAN.sub("", _strip_noise(text))


def abbreviate(folded: str) -> str:
    """The notes' abbreviation rules on a folded name."""
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    return folded


def normalize_unit_name(raw: str) -> str:
    """The comparison key: folded, with the notes' abbreviation rules applied."""
    return abbreviate(fold_unit_name(raw))
