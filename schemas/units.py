"""Unit registry and the matcher from a written unit name to a registry unit.

Forms name their unit in 主办单位名称 / 填报单位 in many ways: abbreviations (海西州科协, 青大科协),
traditional characters, full-width letters, spaces, OCR slips, a trailing （盖章） or date. Both the
registry names and the input go through `normalize_unit_name`, so an exact key hit is a sure match;
otherwise rapidfuzz scores the input against every key (abbreviated and written-out forms) and a
match is accepted only when the best unit is clearly ahead of every other unit. Names of other
provinces never match.

Decision on bare names that are listed aliases (办公室, 医学会, 科技馆, 青大): an exact hit on a listed
alias is a match. The registry is 青海省科协's own list, so a 省科协部门 writing 办公室 or a society
writing 医学会 is the normal case; 青岛大学 written out does not hit 青大 (see `_FOREIGN_PLACE`).
Fuzzy matching never uses keys shorter than `MIN_FUZZY_KEY_LEN`: one wrong character in a two- or
three-character name is another name, not a typo. Place names (市州, counties) are a closed list, so a
slip anywhere in them is taken as a slip; societies and enterprises are an open list, so a near miss is
accepted only with one slip that leaves the name's core and its kind of body (学会, 馆, 厅 …) alone,
unless the core is long or the wrong character sounds the same (气像学会 typed for 气象学会).

Optional packages: zhconv (traditional→simplified; a built-in table covers the registry's characters
without it) and pypinyin (same-sounding slips; without it those go to review).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

REGISTRY_DIR = Path(__file__).parent / "registry"

# Chosen by sweeping tests/data/unit_variants.csv (397 rows). Scores come in steps: one slip in n
# characters scores 100·(1 − 1/n), so 75 is one slip in a four-character name. Every ACCEPT_SCORE from
# 72 to 80 with MIN_LEAD 3–10 gives no wrong match (72–75: 394 right); at 70–71 two slips in a
# seven-character place name get through (格尔木市科技局 → 格尔木市科协); at 81+ one slip in a
# five-character name (悔西州科协) no longer matches. The lead takes the plateau's safe end.
ACCEPT_SCORE = 75.0
MIN_LEAD = 10.0
# Levenshtein, not Indel (fuzz.ratio): OCR swaps one character for another, and Indel scores
# 玛泌县 as close to 班玛县 as to 玛沁县 because it only counts shared characters in order.
_SCORER = Levenshtein.normalized_similarity
SUGGEST_SCORE = 60.0  # below this the best candidate is too far off to be worth showing
MIN_FUZZY_KEY_LEN = 4

Status = Literal["matched", "ambiguous", "unmatched"]


@dataclass(frozen=True)
class Unit:
    unit_id: str
    category: str
    canonical_name: str
    aliases: tuple[str, ...]
    parent_unit_id: str | None = None


@dataclass(frozen=True)
class UnitMatch:
    status: Status
    unit: Unit | None  # set only when matched
    score: float  # 0–100 score of the best candidate (0 when nothing)
    suggestion: Unit | None  # best candidate when ambiguous/unmatched (may be None)
    raw: str


# --- normalisation --------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _zhconv() -> Callable[[str, str], str] | None:
    """zhconv (pip) folds any traditional text; the table below covers the registry's own characters.
    Imported on first use: a re-run with nothing new never folds a name and should not wait for it."""
    try:
        from zhconv import convert
    except ImportError:  # pragma: no cover - exercised only where zhconv is not installed
        return None
    return convert


# traditional→simplified pairs for every character of the registry and the noise words, taken from
# zhconv's table; used only when zhconv is missing so that CI without it still folds these names
_T2S_PAIRS = (
    "與与業业東东烏乌樂乐亞亚侖仑崙仑𪨧仑會会傳传黨党蘭兰關关興兴養养獸兽農农辳农剛刚剏创剙创創创辦办"
    "務务働动動动區区醫医協协單单衛卫衞卫縣县發发髮发閤合衕同員员咊和廻回迴回逥回團团糰团國国處处學学"
    "寧宁甯宁傢家導导尒尔爾尔師师秊年廣广庫库開开𫔭开態态紥扎紮扎護护報报數数崑昆麯曲麴曲麹曲朞期朮术"
    "術术機机襍杂雜杂樹树氣气㳒法灋法澤泽測测遊游瑪玛環环電电鹽盐蓋盖礦矿鑛矿稱称築筑簽签籤签祘算組组"
    "織织結结繪绘絡络網网職职範范葯药藥药萊莱營营懞蒙濛蒙矇蒙藍蓝眎视眡视視视計计証证證证訶诃調调謙谦"
    "責责質质貴贵資资輔辅辯辩達达連连遙遥鋼钢鋁铝鋰锂門门預预舘馆館馆黃黄"
)
_T2S_TABLE = str.maketrans(_T2S_PAIRS[0::2], _T2S_PAIRS[1::2])


@lru_cache(maxsize=4096)
def _readings(char: str) -> frozenset[str]:
    # pypinyin (pip) tells same-sounding characters apart; without it a core slip always goes to review.
    # Imported on first use: its phrase dictionary alone takes ~0.2 s to load.
    try:
        from pypinyin import Style, pinyin
    except ImportError:  # pragma: no cover - exercised only where pypinyin is not installed
        return frozenset()
    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def _sound_alike(a: str, b: str) -> bool:
    return bool(_readings(a) & _readings(b))


def _to_simplified(text: str) -> str:
    convert = _zhconv()
    if convert is not None:
        return convert(text, "zh-hans")
    return text.translate(_T2S_TABLE)


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
    (re.compile(r"(?:(?:蒙古|藏|回|土|撒拉|哈萨克)族)+自治([州县])"), r"\1"),
    (re.compile(r"中国石油天然气|中国石油"), "中石油"),
    (re.compile(r"国家电网"), "国网"),
    (re.compile(r"股份有限公司|集团有限公司|有限责任公司|有限公司"), ""),
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
    text = unicodedata.normalize("NFKC", raw or "")
    text = _to_simplified(text)
    text = _strip_noise(text)
    return _NOT_HAN.sub("", text)


def _abbreviate(folded: str) -> str:
    for pattern, replacement in _REWRITES:
        folded = pattern.sub(replacement, folded)
    return folded


def normalize_unit_name(raw: str) -> str:
    """The comparison key: folded, with the notes' abbreviation rules applied."""
    return _abbreviate(fold_unit_name(raw))


# Other provinces' names: such input never matches (海南省科协 is one edit from 海南州科协).
# 海南/河南 are also 青海 places, but only as 海南州 and 河南县.
_PROVINCES = (
    "北京|天津|河北|山西|内蒙古|辽宁|吉林|黑龙江|上海|江苏|浙江|安徽|福建|江西|山东|湖北|湖南|广东|广西|"
    "重庆|四川|贵州|云南|西藏|陕西|甘肃|宁夏|新疆|台湾|香港|澳门"
)
_CITIES = (
    "石家庄|太原|呼和浩特|沈阳|长春|哈尔滨|南京|杭州|合肥|福州|南昌|济南|郑州|武汉|长沙|广州|南宁|海口|成都|贵阳|"
    "昆明|拉萨|西安|兰州|银川|乌鲁木齐|青岛|大连|宁波|厦门|深圳"
)
_PROVINCE_PREFIX = re.compile(r"^(?:青海省|青海|省)?")
_FOREIGN_PLACE = re.compile(rf"{_PROVINCES}|{_CITIES}|自治区|海南(?!州)|河南(?!县)")


# The words around a name's core: 青海省 before it, the kind of body after it. A slip in the core of a
# name from an open list (only 43 of 省科协's ~68 societies are listed, enterprises are open-ended) is as
# likely another body as a typo: 青海省眼科学会 is one character from 青海省环科学会, 青海省科技厅 from
# 青海省科技馆. Place names are a closed list (every 市州 and county is registered), so slips there pass.
_PLACE_CATEGORIES = frozenset({"市州科协", "县级科协"})
_CORE_SUFFIX = re.compile(
    r"(?:科学技术协会|科协|研究会|学会|协会|股份有限公司|集团有限公司|有限责任公司|有限公司|分公司|公司"
    r"|职业技术学院|职业学院|职院|学院|大学|大)$"
)
MIN_CORE_FOR_SLIP = 4  # a core this long may carry one slip (植物保户 for 植物保护); 环科/眼科 may not
# The last character that says what kind of body a name is. A name whose mark was swapped for
# another is a different body however close the rest (科技厅 for 科技馆); 办/汇/叶 are no marks, so
# OCR slips such as 科办 for 科协 still pass, and so does a dropped last character.
_KIND_MARKS = frozenset("厅局委院所馆校站会部室社处队协司心团大报")


def _acceptable_slip(query: str, key: str, place: bool) -> bool:
    """May `query`, a near miss of `key`, be taken as `key`? (Its score is judged elsewhere.)"""
    ops = Levenshtein.editops(query, key)
    last = len(key) - 1
    if any(
        op.tag == "replace" and op.dest_pos == last and key[last] in _KIND_MARKS and query[op.src_pos] in _KIND_MARKS
        for op in ops
    ):
        return False
    if place or not ops:
        return True
    if len(ops) > 1:  # two slips in a name from an open list: 青海省电工技术协会 is not 青海省科学技术协会
        return False
    op = ops[0]
    start = len(_PROVINCE_PREFIX.match(key).group(0))  # type: ignore[union-attr]
    suffix = _CORE_SUFFIX.search(key, start)
    end = suffix.start() if suffix else len(key)
    # an extra character right next to the core changes it too (青海省医师学会 vs 青海省医学会)
    in_core = start <= op.dest_pos <= end if op.tag == "delete" else start <= op.dest_pos < end
    if not in_core or end - start >= MIN_CORE_FOR_SLIP:
        return True
    # a same-sounding character is a typing slip (pinyin input: 气像 for 气象, 计算几 for 计算机), while
    # 眼科/环科 or 心理/护理 sound different and are other societies
    return op.tag == "replace" and _sound_alike(query[op.src_pos], key[op.dest_pos])


def is_other_province(key: str) -> bool:
    """True when a normalised name names a place outside 青海."""
    return _FOREIGN_PLACE.search(key) is not None


# --- registry ---------------------------------------------------------------------------------------

_EXPLICIT, _DERIVED = 0, 1  # key tiers: a listed name beats a variant built from one
_PLACE_OF = re.compile(r"^(.{2,}?)([州市])科协$")


def _split_aliases(cell: str) -> tuple[str, ...]:
    return tuple(a.strip() for a in (cell or "").split(";") if a.strip())


def _read_csv(path: Path) -> list[Unit]:
    # utf-8-sig: Excel's "CSV UTF-8" adds a byte-order mark; staff edit these files
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except UnicodeDecodeError as exc:
        raise ValueError(f"单位登记表 {path.name} 不是 UTF-8 编码，请另存为“CSV UTF-8”格式。") from exc
    missing = {"unit_id", "category", "canonical_name", "aliases"} - set(rows[0] if rows else {})
    if rows and missing:
        raise ValueError(f"单位登记表 {path.name} 缺少列：{'、'.join(sorted(missing))}。")
    return [
        Unit(
            unit_id=row["unit_id"].strip(),
            category=(row["category"] or "").strip(),
            canonical_name=(row["canonical_name"] or "").strip(),
            aliases=_split_aliases(row["aliases"]),
            parent_unit_id=(row.get("parent_unit_id") or "").strip() or None,
        )
        for row in rows
        if (row["unit_id"] or "").strip()
    ]


def _variants(unit: Unit, key: str, parent_places: tuple[str, ...]) -> set[str]:
    """Other spellings the notes allow for one listed name of `unit` (already normalised)."""
    out: set[str] = set()
    if unit.category in ("省级学会", "省科协部门"):  # 青海省X = 青海X = 省X = X
        rest = _PROVINCE_PREFIX.sub("", key)
        out |= {"青海省" + rest, "青海" + rest, "省" + rest}
        if len(rest) >= 3:
            out.add(rest)
    elif unit.category in ("高校科协", "企业科协"):  # the unit is X科协; forms write X or X科协
        out.add(key[:-2] if key.endswith("科协") else key + "科协")
        if key.startswith("青海省"):
            out.add("青海" + key[3:])
    elif unit.category in ("市州科协", "县级科协"):
        if not key.startswith("青海"):
            out |= {"青海省" + key, "青海" + key}
        vanished = _PLACE_OF.sub(r"\1科协", key)  # 州/市 may vanish: 海西州科协 → 海西科协
        if vanished != key:
            out.add(vanished)
        for place in parent_places:  # a county written with its 市州: 海西州格尔木市科协
            if not key.startswith(place):
                out.add(place + key)
    return {v for v in out if len(v) >= 2 and not is_other_province(v)}


class UnitRegistry:
    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: dict[str, Unit] = {}
        for unit in units:
            if unit.unit_id in self._units:
                raise ValueError(f"单位登记表中单位编号 {unit.unit_id} 重复")
            self._units[unit.unit_id] = unit
        self._index: dict[str, dict[str, int]] = {}  # key → unit_id → best tier
        explicit: dict[str, list[str]] = {
            uid: sorted({k for k in map(normalize_unit_name, (u.canonical_name, *u.aliases)) if k})
            for uid, u in self._units.items()
        }
        for uid, keys in explicit.items():
            unit = self._units[uid]
            # the written-out forms too, so a slip that defeats a rewrite (科学技木协会) still scores well
            for key in sorted({*keys, *map(fold_unit_name, (unit.canonical_name, *unit.aliases))}):
                if key:
                    self._add(key, uid, _EXPLICIT)
        for uid, keys in explicit.items():
            unit = self._units[uid]
            places = self._places(explicit.get(unit.parent_unit_id or "", []))
            for key in keys:
                for variant in sorted(_variants(unit, key, places)):
                    self._add(variant, uid, _DERIVED)
        # fuzzy candidates: each key with the units of its best tier (set iteration is sorted above, so
        # the order, and with it which of two tied units is suggested, is the same on every run)
        self._fuzzy_keys: list[str] = []
        self._fuzzy_units: list[tuple[str, ...]] = []
        for key, owners in self._index.items():
            if len(key) >= MIN_FUZZY_KEY_LEN:
                self._fuzzy_keys.append(key)
                self._fuzzy_units.append(self._best_owners(owners))

    @classmethod
    def load(cls, units_csv: Path | None = None, counties_csv: Path | None = None) -> UnitRegistry:
        units = _read_csv(units_csv or REGISTRY_DIR / "units.csv")
        counties = _read_csv(counties_csv or REGISTRY_DIR / "counties.csv")
        return cls([*units, *counties])

    def get(self, unit_id: str) -> Unit | None:
        return self._units.get(unit_id)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units.values())

    def __len__(self) -> int:
        return len(self._units)

    def keys_of(self, unit_id: str) -> list[str]:
        """Every comparison key that leads to `unit_id` (for staff checking the registry)."""
        return sorted(k for k, owners in self._index.items() if unit_id in self._best_owners(owners))

    def match(self, raw: str) -> UnitMatch:
        key = normalize_unit_name(raw)
        if not key:
            return UnitMatch("unmatched", None, 0.0, None, raw)
        foreign = is_other_province(key)
        owners = self._index.get(key)
        bare = _PROVINCE_PREFIX.sub("", key)
        if not owners and len(bare) >= 3:  # 青海省海西州科协: the province said before a listed name
            owners = self._index.get(bare)
        if owners:
            best = [self._units[uid] for uid in self._best_owners(owners)]
            if len(best) == 1 and not foreign:
                return UnitMatch("matched", best[0], 100.0, None, raw)
            # another province's unit is not ours at all: unmatched (a suggestion still helps staff)
            return UnitMatch("unmatched" if foreign else "ambiguous", None, 100.0, best[0], raw)
        return self._fuzzy(raw, key, foreign)

    # -- internals --

    def _add(self, key: str, unit_id: str, tier: int) -> None:
        owners = self._index.setdefault(key, {})
        owners[unit_id] = min(tier, owners.get(unit_id, tier))

    @staticmethod
    def _best_owners(owners: dict[str, int]) -> tuple[str, ...]:
        top = min(owners.values())
        return tuple(uid for uid, tier in owners.items() if tier == top)

    @staticmethod
    def _places(parent_keys: list[str]) -> tuple[str, ...]:
        places: set[str] = set()
        for key in parent_keys:
            m = _PLACE_OF.match(key)
            if m:
                places |= {m.group(1) + m.group(2), m.group(1)}
        return tuple(sorted(places))

    def _fuzzy(self, raw: str, key: str, foreign: bool) -> UnitMatch:
        best_of: dict[str, tuple[float, bool]] = {}  # unit → (best score, may that key be accepted)
        for query in dict.fromkeys((key, fold_unit_name(raw))):  # ordered: ties resolve the same every run
            if len(query) < MIN_FUZZY_KEY_LEN - 1:
                continue
            for choice, similarity, idx in process.extract(
                query, self._fuzzy_keys, scorer=_SCORER, limit=None, score_cutoff=(SUGGEST_SCORE - MIN_LEAD) / 100
            ):
                score = 100.0 * similarity
                for uid in self._fuzzy_units[idx]:
                    old_score, old_ok = best_of.get(uid, (0.0, False))
                    if score >= old_score:
                        place = self._units[uid].category in _PLACE_CATEGORIES
                        ok = score >= ACCEPT_SCORE and _acceptable_slip(query, choice, place)
                        best_of[uid] = (score, ok or (score == old_score and old_ok))
        if not best_of:
            return UnitMatch("unmatched", None, 0.0, None, raw)
        ranked = sorted(best_of.items(), key=lambda kv: -kv[1][0])
        best_id, (best, acceptable) = ranked[0]
        runner_up = ranked[1][1][0] if len(ranked) > 1 else 0.0
        unit, score = self._units[best_id], round(best, 1)
        if acceptable and not foreign and best >= ACCEPT_SCORE and best - runner_up >= MIN_LEAD:
            return UnitMatch("matched", unit, score, None, raw)
        if best >= SUGGEST_SCORE and not foreign:
            return UnitMatch("ambiguous", None, score, unit, raw)
        return UnitMatch("unmatched", None, score, unit, raw)
