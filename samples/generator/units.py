"""The registry rows the samples use, copied by hand from units.csv (tests check they still agree).

Kept here so the truth does not depend on the project's registry loader, only on these written facts.
"""

from __future__ import annotations

# unit_id -> (canonical_name, category)
UNITS: dict[str, tuple[str, str]] = {
    "city-xining": ("西宁市科学技术协会", "市州科协"),
    "city-haidong": ("海东市科学技术协会", "市州科协"),
    "city-haibei": ("海北藏族自治州科学技术协会", "市州科协"),
    "city-huangnan": ("黄南藏族自治州科学技术协会", "市州科协"),
    "city-yushu": ("玉树藏族自治州科学技术协会", "市州科协"),
    "city-haixi": ("海西蒙古族藏族自治州科学技术协会", "市州科协"),
    "univ-qhu": ("青海大学科学技术协会", "高校科协"),
    "univ-qhnu": ("青海师范大学科学技术协会", "高校科协"),
    "ent-saltlake": ("青海盐湖工业股份有限公司科学技术协会", "企业科协"),
    "ent-lanke": ("青海盐湖蓝科锂业股份有限公司科学技术协会", "企业科协"),
    "ent-westmining": ("西部矿业集团有限公司科学技术协会", "企业科协"),
    "ent-sgcc-qh": ("国网青海省电力公司科学技术协会", "企业科协"),
    "soc-agri": ("青海省农学会", "省级学会"),
    "soc-meteo": ("青海省气象学会", "省级学会"),
    "soc-medical": ("青海省医学会", "省级学会"),
    "soc-forestry": ("青海省林学会", "省级学会"),
    "dept-orgpers": ("青海省科学技术协会组织人事部", "省科协部门"),
    "dept-respub": ("青海省科学技术协会调研宣传部", "省科协部门"),
    "dept-museum": ("青海省科学技术馆", "省科协部门"),
}

DEPARTMENT = "省科协部门"
PLAN_DEADLINE = {"default": "2021-05-10", DEPARTMENT: "2021-05-08"}  # seed: 部室 5月8日前, others 5月10日前
REPORT_DEADLINE = "2021-06-18"
REPORT_LIMIT = {"default": 3000, DEPARTMENT: 2000}
WINDOW = ("2021-05-10", "2021-06-30")


def unit_name(unit_id: str) -> str:
    return UNITS[unit_id][0] if unit_id else ""


def category(unit_id: str) -> str:
    return UNITS[unit_id][1] if unit_id else ""


def plan_deadline(unit_id: str) -> str:
    return PLAN_DEADLINE.get(category(unit_id), PLAN_DEADLINE["default"])


def report_limit(unit_id: str) -> int:
    return REPORT_LIMIT.get(category(unit_id), REPORT_LIMIT["default"])
