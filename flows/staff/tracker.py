"""Submission tracker: per unit and form, what arrived, when, and what is still missing or late.

Who owes what comes from schemas/requirements.yaml (data, not code). Arrival: the 报送时间 written on the
form when it has one (it is what late_submission checks), else the day the file landed in the inbox (its
modification time; `arrived_basis` says which, since copying a folder without keeping times moves it).
A unit is late when its first submission of a form arrived after the due date; a form not received is
未交 until the due date and 逾期未交 after it (as of the run's date).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from schemas.campaign import REQUIREMENTS_YAML, load_referring_yaml
from schemas.form_schema import form_tables, load_forms
from schemas.units import Unit, UnitRegistry

TRACKER_COLUMNS = [
    "unit_id",
    "unit_name",
    "category",
    "form_type",
    "form_name",
    "required",
    "due_date",
    "status",
    "status_zh",
    "arrived_on",
    "arrived_basis",
    "days_late",
    "files",
    "open_errors",
    "contact",
    "note",
]
STATUS_ZH = {
    "received": "已交",
    "late": "逾期提交",
    "missing": "未交",
    "overdue": "逾期未交",
    "extra": "已收到（非必交）",
    "unidentified": "单位未识别",
}
UNIDENTIFIED = "（单位未识别）"


class Requirement(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    form_type: str
    due: date
    categories: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    note: str = ""
    basis: str = ""

    def applies_to(self, unit: Unit) -> bool:
        return unit.category in self.categories or unit.unit_id in self.units


class Requirements(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    forms: list[str]  # form_type, in the order staff see them (names: each form's name_zh)
    requirements: list[Requirement]

    def owed(self, unit: Unit) -> dict[str, Requirement]:
        """form_type -> the requirement that binds this unit (the earliest due date if several do)."""
        out: dict[str, Requirement] = {}
        for req in self.requirements:
            if req.applies_to(unit) and (req.form_type not in out or req.due < out[req.form_type].due):
                out[req.form_type] = req
        return out


@lru_cache(maxsize=2)
def load_requirements(path: Path = REQUIREMENTS_YAML) -> Requirements:
    return Requirements.model_validate(load_referring_yaml(path))  # due dates: the campaign's (campaign.yaml)


@dataclass
class _Arrival:
    source_file: str
    arrived_on: date | None
    basis: str  # "form": 报送时间 on the form; "file_time": when the file landed in the inbox


def _parse_day(text: str) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _arrivals(
    tables: dict[str, list[dict[str, str]]], received: dict[str, str]
) -> dict[tuple[str, str], list[_Arrival]]:
    """(unit_id or '', form_type) -> files, one per source file (a 回执表 has a row per person)."""
    out: dict[tuple[str, str], dict[str, _Arrival]] = {}
    for form_type, table in form_tables().items():
        for row in tables.get(table, []):
            src = row.get("source_file", "")
            stated = _parse_day(row.get("submitted_on", ""))
            arrival = (
                _Arrival(src, stated, "form")
                if stated
                else _Arrival(src, _parse_day(received.get(src, "")), "file_time")
            )
            out.setdefault((row.get("unit_id", ""), form_type), {}).setdefault(src, arrival)
    return {key: sorted(files.values(), key=lambda a: a.source_file) for key, files in out.items()}


def _contacts(tables: dict[str, list[dict[str, str]]]) -> dict[str, str]:
    """unit_id -> the person to call: the liaison named on the 回执表, else the plan's 联系人."""
    out: dict[str, str] = {}
    for row in tables.get("liaisons.csv", []):
        if row.get("unit_id") and row.get("name") and row["unit_id"] not in out:
            out[row["unit_id"]] = f"{row['name']} {row.get('phone', '')}".strip()
    for row in tables.get("plans.csv", []):
        if row.get("unit_id") and row.get("contact_name") and row["unit_id"] not in out:
            phone = row.get("mobile") or row.get("office_phone") or ""
            out[row["unit_id"]] = f"{row['contact_name']} {phone}".strip()
    return out


def _errors_by_file(tables: dict[str, list[dict[str, str]]]) -> dict[str, int]:
    out: dict[str, int] = {}
    for row in tables.get("exceptions.csv", []):
        if row.get("severity") == "error" and not row.get("superseded_by"):  # a replaced file needs no fixing
            out[row["source_file"]] = out.get(row["source_file"], 0) + 1
    return out


def build_tracker(
    tables: dict[str, list[dict[str, str]]],
    registry: UnitRegistry,
    requirements: Requirements | None = None,
    received: dict[str, str] | None = None,
    as_of: date | None = None,
) -> list[dict[str, str]]:
    """One row per owed (unit, form) and per form received from a unit that did not owe it."""
    reqs = requirements or load_requirements()
    today = as_of or date.today()
    arrivals = _arrivals(tables, received or {})
    contacts = _contacts(tables)
    errors = _errors_by_file(tables)
    names = {form.form_type: form.name_zh for form in load_forms()}
    rows: list[dict[str, str]] = []
    for unit in registry:
        owed = reqs.owed(unit)
        for form_type in reqs.forms:
            files = arrivals.get((unit.unit_id, form_type), [])
            req = owed.get(form_type)
            if req is None and not files:
                continue
            contact = contacts.get(unit.unit_id, "")
            rows.append(_row(unit, form_type, names[form_type], req, files, today, errors, contact))
    for form_type in reqs.forms:  # files whose unit could not be identified
        for arrival in arrivals.get(("", form_type), []):
            rows.append(_row(None, form_type, names[form_type], None, [arrival], today, errors, ""))
    return rows


def _row(
    unit: Unit | None,
    form_type: str,
    form_name: str,
    req: Requirement | None,
    files: list[_Arrival],
    today: date,
    errors: dict[str, int],
    contact: str,
) -> dict[str, str]:
    dated = sorted((a.arrived_on, a.basis) for a in files if a.arrived_on is not None)
    first, basis = dated[0] if dated else (None, "")
    late_by = 0
    if unit is None:
        status = "unidentified"
    elif req is None:
        status = "extra"
    elif not files:
        status = "overdue" if today > req.due else "missing"
        late_by = (today - req.due).days if status == "overdue" else 0
    elif first is not None and first > req.due:
        status, late_by = "late", (first - req.due).days
    else:
        status = "received"
    return {
        "unit_id": unit.unit_id if unit else "",
        "unit_name": unit.canonical_name if unit else UNIDENTIFIED,
        "category": unit.category if unit else "",
        "form_type": form_type,
        "form_name": form_name,
        "required": "true" if req is not None else "false",
        "due_date": req.due.isoformat() if req else "",
        "status": status,
        "status_zh": STATUS_ZH[status],
        "arrived_on": first.isoformat() if first else "",
        "arrived_basis": basis,
        "days_late": str(late_by) if late_by else "",
        "files": ";".join(a.source_file for a in files),
        "open_errors": str(sum(errors.get(a.source_file, 0) for a in files)),
        "contact": contact,
        "note": req.note if req else "",
    }


def status_counts(rows: Iterable[dict[str, str]]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ZH, 0)
    for row in rows:
        counts[row["status"]] += 1
    return counts
