"""Does a unit name name a place outside 青海? Such names never match a registry unit.

The registry lists 青海省科协's own units, and other provinces' bodies carry the same kinds of names one
character away (海南省科协 / 海南州科协, 玉溪市科协 / 玉树市科协, 柳州市城中区 / 西宁市城中区). The places come
from `registry/divisions.csv`: every province, prefecture and county of China with its NBS code (see
registry/README.md for its source). A name is foreign when

- it starts with another province's, prefecture's or county's name (玉溪市…, 柳州…, 天祝县…, 大通区…), or
- it names another province or prefecture anywhere (国网甘肃省电力公司, 中铝兰州市分公司),

unless a 青海 place name at least as long starts at the same point (海南州 beats the province 海南, 河南县
beats 河南, 城中区 is 西宁's own). A province wins a tie: 海南科协 and 河南科协 are read as the provinces'.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from schemas.unit_names import ETHNIC_GROUPS, abbreviate

__all__ = ["DIVISIONS_CSV", "MACRO_REGIONS", "REGISTRY_DIR", "is_other_province"]

REGISTRY_DIR = Path(__file__).parent / "registry"
DIVISIONS_CSV = REGISTRY_DIR / "divisions.csv"
QINGHAI_CODE = "63"
COUNTY_WORDS = ("县", "市", "区", "旗")
# China's large regions (大区) at the start of a name: 西北民族大学, 西南大学, 华北电力大学 are other provinces'
# bodies one or two characters from ours (西北民族大学 / 青海民族大学). 青海 is itself in 西北, so a region only
# counts where no registry unit's name starts with it (schemas/units.py decides that against the registry).
MACRO_REGIONS = ("华北", "东北", "华东", "华中", "华南", "西南", "西北", "中南", "东南")

_ETHNIC = "|".join(sorted(ETHNIC_GROUPS, key=len, reverse=True))
# what follows the place's own name: 广西|壮族自治区, 甘南|藏族自治州, 天祝|藏族自治县, 大兴安岭|地区
_LEVEL_WORD = re.compile(
    rf"(?:(?:{_ETHNIC})族)*(?:自治区|特别行政区|自治州|自治县|自治旗|地区|林区|特区|省|市|盟|县|区|旗)$"
)


def _forms(name: str, level: str, foreign: bool) -> tuple[set[str], set[str]]:
    """(forms that mark a place anywhere in a name, forms that mark it only at the start)."""
    m = _LEVEL_WORD.search(name)
    short = name[: m.start()] if m else name
    word = m.group(0)[-1] if m else ""  # 自治州 → 州, 藏族自治县 → 县: how the short form is written
    full = {f for f in (name, abbreviate(name)) if len(f) >= 2}  # 东乡族自治县 → 县 is no name
    if len(short) < 2:  # 郊区, 东区: too short to tell a place from a word
        return (full, set()) if level != "county" else (set(), full)
    if level == "province":
        return full | {short}, set()
    if level == "prefecture":
        return full | {short + word} if word == "州" else full, {short}
    # a county only with a county-level word (城关 alone is no place); a foreign one with any of them, since
    # counties keep becoming cities or districts (撤县设市/设区: 海安县 → 海安市 after the 2020 data was taken);
    # 青海's own renamed counties are in the registry under their new names
    words = COUNTY_WORDS if foreign and word in COUNTY_WORDS else (word,)
    return set(), full | {short + w for w in words}


class _PlaceNames:
    def __init__(self, rows: Iterable[tuple[str, str]]) -> None:
        foreign_anywhere: set[str] = set()
        foreign_start: set[str] = set()
        provinces: set[str] = set()
        self.qinghai: set[str] = set()
        for code, name in rows:
            level = "province" if code[2:] == "0000" else "prefecture" if code[4:] == "00" else "county"
            anywhere, start = _forms(name, level, foreign=not code.startswith(QINGHAI_CODE))
            if code.startswith(QINGHAI_CODE):
                self.qinghai |= anywhere | start
                if level == "county":  # 大通, 河南: 青海's own short names, so 河南县 is not 河南省's
                    m = _LEVEL_WORD.search(name)
                    if m and m.start() >= 2:
                        self.qinghai.add(name[: m.start()])
            else:
                foreign_anywhere |= anywhere
                foreign_start |= start
                if level == "province":
                    provinces |= anywhere
        # a name that is 青海's too (城中区, 城西区) says nothing, unless it is a province's (海南, 河南)
        self.anywhere = {f for f in foreign_anywhere if f not in self.qinghai or f in provinces}
        self.start = self.anywhere | {f for f in foreign_start if f not in self.qinghai}
        self.lengths = sorted({len(f) for f in self.start | self.qinghai}, reverse=True)
        self.anywhere_first = {f[0] for f in self.anywhere}  # most positions start no place name at all

    def _longest(self, key: str, at: int, names: set[str]) -> int:
        return next((n for n in self.lengths if at + n <= len(key) and key[at : at + n] in names), 0)

    def is_foreign(self, key: str) -> bool:
        for at in range(len(key) - 1):
            if at and key[at] not in self.anywhere_first:
                continue
            foreign = self._longest(key, at, self.start if at == 0 else self.anywhere)
            if foreign and foreign >= self._longest(key, at, self.qinghai):
                return True
        return False


@lru_cache(maxsize=1)
def _places() -> _PlaceNames:
    with DIVISIONS_CSV.open(encoding="utf-8", newline="") as fh:
        return _PlaceNames((row["adcode"], row["name"]) for row in csv.DictReader(fh))


def is_other_province(key: str) -> bool:
    """True when a normalised (or folded) unit name names a place outside 青海."""
    return _places().is_foreign(key)
