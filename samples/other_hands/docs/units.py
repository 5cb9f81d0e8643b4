"""The unit registry as an outsider reads it (units.csv + counties.csv), and the ways people spell a unit."""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import zhconv

REPO = Path(__file__).resolve().parents[3]
REGISTRY = REPO / "schemas" / "registry"

DEPT = "省科协部门"


@dataclass(frozen=True)
class Unit:
    unit_id: str  # "" for a unit that is not in the registry
    name: str  # canonical registry name (or the outsider's own full name)
    category: str
    aliases: tuple[str, ...] = ()
    city: str = "xining"  # which city's phone area code / streets the unit uses

    @property
    def in_registry(self) -> bool:
        return bool(self.unit_id)


# phone area code per city key (Qinghai's eight prefecture-level areas; 格尔木 has its own)
AREA_CODES = {
    "xining": "0971",
    "haidong": "0972",
    "haibei": "0970",
    "huangnan": "0973",
    "hainan": "0974",
    "guoluo": "0975",
    "yushu": "0976",
    "haixi": "0977",
    "golmud": "0979",
}

_COUNTY_CITY = {"county-golmud": "golmud"}


def _city_of(unit_id: str, parent: str = "") -> str:
    if unit_id in _COUNTY_CITY:
        return _COUNTY_CITY[unit_id]
    for key in AREA_CODES:
        if unit_id == f"city-{key}" or parent == f"city-{key}":
            return key
    if unit_id in ("ent-saltlake", "ent-lanke", "ent-qhoilfield"):
        return "golmud"
    if unit_id == "univ-qhcdm":
        return "haixi"
    if unit_id == "univ-qhvtc":
        return "haidong"
    return "xining"


def load_units() -> list[Unit]:
    units: list[Unit] = []
    with open(REGISTRY / "units.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            units.append(
                Unit(
                    row["unit_id"],
                    row["canonical_name"],
                    row["category"],
                    tuple(a for a in row["aliases"].split(";") if a),
                    _city_of(row["unit_id"]),
                )
            )
    with open(REGISTRY / "counties.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            units.append(
                Unit(
                    row["unit_id"],
                    row["canonical_name"],
                    row["category"],
                    tuple(a for a in row["aliases"].split(";") if a),
                    _city_of(row["unit_id"], row["parent_unit_id"]),
                )
            )
    return units


def by_id() -> dict[str, Unit]:
    return {u.unit_id: u for u in load_units()}


# Units from other provinces whose names look like Qinghai ones: they must stay unmatched.
OUTSIDERS = [
    Unit("", "甘肃省气象学会", "省级学会"),
    Unit("", "海南省科学技术协会", "省科协"),
    Unit("", "玉溪市科学技术协会", "市州科协"),
    Unit("", "柳州市城中区科学技术协会", "县级科协"),
    Unit("", "黔南布依族苗族自治州科学技术协会", "市州科协"),
    Unit("", "西北民族大学科学技术协会", "高校科协"),
    Unit("", "青岛大学科学技术协会", "高校科协"),
    Unit("", "国网甘肃省电力公司科学技术协会", "企业科协"),
    Unit("", "大同市科学技术协会", "市州科协"),
    Unit("", "四川省农学会", "省级学会"),
]


def short_name(unit: Unit) -> str:
    """The everyday short form (科学技术协会 → 科协, 藏族自治州 → 州)."""
    name = unit.name
    for long, short in (
        ("蒙古族藏族自治州", "州"),
        ("藏族自治州", "州"),
        ("布依族苗族自治州", "州"),
        ("科学技术协会", "科协"),
    ):
        name = name.replace(long, short)
    return name


# OCR / typing look-alikes (one character swapped; a careful reader still knows the unit)
LOOKALIKES = {"宁": "宇", "学": "孛", "会": "合", "省": "首", "西": "酉", "师": "帅", "技": "枝", "科": "料"}


def spellings(unit: Unit, rng: random.Random) -> list[tuple[str, str]]:
    """(spelling, kind) pairs: how staff, units and OCR write this unit's name."""
    full, short = unit.name, short_name(unit)
    out: list[tuple[str, str]] = [(full, "canonical")]
    for alias in unit.aliases[:3]:
        out.append((alias, "alias"))
    if short != full:
        out.append((short, "short"))
    seal_hint = rng.choice(["（盖章）", "(盖章)", "（公章）", "  （盖章）"])
    out.append((full + seal_hint.strip() if rng.random() < 0.5 else full + seal_hint, "seal_hint"))
    if unit.category == "省级学会":
        out.append((full + rng.choice(["（秘书处）", "秘书处", "(秘书处)"]), "secretariat"))
    elif "科学技术协会" in full and unit.category != DEPT:
        out.append((short + "办公室", "office"))
    trad = zhconv.convert(full, "zh-hant")
    if trad != full:
        out.append((trad, "traditional"))
    swappable = [i for i, ch in enumerate(full) if ch in LOOKALIKES and i > 1]
    if swappable:
        i = rng.choice(swappable)
        out.append((full[:i] + LOOKALIKES[full[i]] + full[i + 1 :], "lookalike"))
    i = rng.randrange(1, len(short))
    out.append((short[:i] + short[i - 1] + short[i:], "doubled"))
    cut = rng.randrange(2, len(full) - 1)
    out.append((full[:cut] + " " + full[cut:], "space"))
    if short != full:
        out.append((f"{full}（{short}）", "both_names"))
    if unit.category == "市州科协" and not full.startswith("青海"):
        out.append(("青海省" + short, "province_prefix"))
    return out
