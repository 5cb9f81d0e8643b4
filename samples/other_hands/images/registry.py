"""The unit registry as data (read straight from the CSV files, not through the project's code)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

REGISTRY_DIR = Path(__file__).resolve().parents[3] / "schemas" / "registry"

# The seed names two deadlines for the 筹备方案: 5月8日 for the four 省科协部室 it lists, 5月10日 for everyone else;
# the ground-truth rules apply 5月8日 to the whole category 省科协部门.
PLAN_DEADLINE_DEPT = "2021-05-08"
PLAN_DEADLINE_OTHERS = "2021-05-10"
REPORT_DEADLINE = "2021-06-18"
DEPT_CATEGORY = "省科协部门"


@dataclass(frozen=True)
class Unit:
    unit_id: str
    category: str
    name: str  # canonical registry name
    aliases: tuple[str, ...]
    parent_id: str = ""  # counties: their 市州

    @property
    def is_dept(self) -> bool:
        return self.category == DEPT_CATEGORY

    @property
    def plan_deadline(self) -> str:
        return PLAN_DEADLINE_DEPT if self.is_dept else PLAN_DEADLINE_OTHERS

    @property
    def report_limit(self) -> int:
        return 2000 if self.is_dept else 3000


@lru_cache(maxsize=1)
def all_units() -> dict[str, Unit]:
    units: dict[str, Unit] = {}
    for file_name in ("units.csv", "counties.csv"):
        with open(REGISTRY_DIR / file_name, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                aliases = tuple(a for a in row["aliases"].split(";") if a)
                units[row["unit_id"]] = Unit(
                    row["unit_id"], row["category"], row["canonical_name"], aliases, row.get("parent_unit_id") or ""
                )
    return units


def unit(unit_id: str) -> Unit:
    return all_units()[unit_id]
