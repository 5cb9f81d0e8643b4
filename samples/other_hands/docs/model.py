"""What a unit meant to write (specs), and the ground truth a careful reader derives from it.

The truth follows docs/ground-truth-format.md rule by rule; it is computed from what was *meant* (the clean
values the spec carries next to the raw text), never by reading the files back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .people import Value
from .units import DEPT, Unit

WINDOW = ("2021-05-10", "2021-06-30")
PLAN_DEADLINE = {True: "2021-05-08", False: "2021-05-10"}  # key: unit is a 省科协部门
REPORT_DEADLINE = "2021-06-18"
STAGES = [("05-10", "05-25", "1"), ("05-26", "06-05", "2"), ("06-06", "06-30", "3")]


@dataclass
class DateValue:
    raw: str
    start: str = ""  # ISO; "" when empty or unparseable
    end: str = ""
    status: str = "ok"  # ok | empty | invalid


@dataclass
class Seal:
    ring_text: str
    centre_text: str = ""
    unit_id: str = ""
    under: str = "red"  # colour under the transparent pixels: red | white | black
    vector: bool = False  # drawn as vector art with real ring characters (direct PDFs only)


@dataclass
class Activity:
    title: str
    paras: list[str]
    stage: str  # what the rules give: explicit 第X阶段, else first date's stage, else ""
    labels: list[tuple[str, str]] = field(default_factory=list)  # table layouts: (label, value) rows

    def description(self, layout: str) -> str:
        if layout in ("table", "rows"):
            return "\n".join(f"{label}：{value}" for label, value in self.labels)
        return "\n".join(self.paras)


@dataclass
class Person:
    name: str
    org_title: str
    phone: Value
    kind: str  # mobile | landline


@dataclass
class Doc:
    """One file of the family: its form, the people's words and how it is rendered."""

    key: str  # file stem
    form: str  # activity_plan | liaison_reply | summary_report | notice | blank_plan | blank_liaison
    fmt: str  # docx | pdf_lo | pdf_direct
    hand: str
    classes: list[str]
    unit: Unit | None = None
    unit_raw: str = ""
    seal: Seal | None = None
    opts: dict = field(default_factory=dict)  # layout switches for the writers
    # activity_plan
    activity_name: str = ""
    modules: list[str] = field(default_factory=list)
    audiences: list[str] = field(default_factory=list)
    organizer: str = ""
    planned: DateValue | None = None
    location: str = ""
    scale: str = ""
    participants: str = ""
    contact: str = ""
    office: Value = field(default_factory=lambda: Value("", ""))
    mobile: Value = field(default_factory=lambda: Value("", ""))
    fax: Value = field(default_factory=lambda: Value("", ""))
    email: Value = field(default_factory=lambda: Value("", ""))
    address: str = ""
    submitted: DateValue | None = None
    activities: list[Activity] = field(default_factory=list)
    # liaison_reply
    persons: list[Person] = field(default_factory=list)
    # summary_report
    title: str = ""
    title_lines: list[str] = field(default_factory=list)
    body: list[str] = field(default_factory=list)
    path: str = ""  # relative to the inbox, filled in when written
    copy_of: str = ""  # for byte-identical copies: the original's path

    @property
    def source_kind(self) -> str:
        return "docx" if self.fmt == "docx" else "pdf_text"


def stage_of(text: str) -> str:
    m = re.search(r"第([一二三])阶段", text)
    if m:
        return {"一": "1", "二": "2", "三": "3"}[m.group(1)]
    m = re.search(r"(\d{1,2})月(\d{1,2})日", text)
    if not m:
        return ""
    md = f"{int(m.group(1)):02d}-{int(m.group(2)):02d}"
    for lo, hi, stage in STAGES:
        if lo <= md <= hi:
            return stage
    return ""


def nonspace_len(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def _unit_fields(doc: Doc) -> dict:
    unit = doc.unit
    matched = unit is not None and unit.in_registry
    return {
        "unit_id": unit.unit_id if matched else "",
        "unit_name": unit.name if matched else "",
        "unit_raw": doc.unit_raw.strip(),
    }


def _unit_exceptions(doc: Doc) -> list[tuple[str, str, str]]:
    if not doc.unit_raw.strip():
        return [("missing_field", "unit_raw", "error")]
    if doc.unit is None or not doc.unit.in_registry:
        return [("unit_unmatched", "unit_raw", "error")]
    return []


def _is_dept(doc: Doc) -> bool:
    return doc.unit is not None and doc.unit.in_registry and doc.unit.category == DEPT


def plan_truth(doc: Doc) -> dict:
    exc = _unit_exceptions(doc)
    if not doc.activity_name:
        exc.append(("missing_field", "activity_name", "error"))
    if not doc.modules:
        exc.append(("no_module_selected", "modules", "error"))
    if not doc.audiences:
        exc.append(("no_audience_selected", "audiences", "warning"))
    p = doc.planned
    if p.status == "empty":
        exc.append(("missing_field", "planned_start", "error"))
    elif p.status == "invalid":
        exc.append(("invalid_date", "planned_start", "error"))
    elif not (WINDOW[0] <= p.start <= WINDOW[1] and WINDOW[0] <= p.end <= WINDOW[1]):
        exc.append(("date_out_of_window", "planned_start", "warning"))
    if not doc.location:
        exc.append(("missing_field", "location", "warning"))
    if not doc.contact:
        exc.append(("missing_field", "contact_name", "error"))
    if not doc.mobile.raw.strip():
        exc.append(("missing_field", "mobile", "error"))
    elif not doc.mobile.ok:
        exc.append(("invalid_mobile", "mobile", "error"))
    if not doc.office.raw.strip():
        exc.append(("missing_field", "office_phone", "warning"))
    elif not doc.office.ok:
        exc.append(("invalid_phone", "office_phone", "error"))
    if doc.fax.raw.strip() and not doc.fax.ok:
        exc.append(("invalid_phone", "fax", "error"))
    if not doc.email.raw.strip():
        exc.append(("missing_field", "email", "warning"))
    elif not doc.email.ok:
        exc.append(("invalid_email", "email", "error"))
    if not doc.address:
        exc.append(("missing_field", "mailing_address", "warning"))
    s = doc.submitted
    if s.status == "empty":
        exc.append(("missing_field", "submitted_on", "warning"))
    elif s.status == "invalid":
        exc.append(("invalid_date", "submitted_on", "error"))
    elif s.start > PLAN_DEADLINE[_is_dept(doc)]:
        exc.append(("late_submission", "submitted_on", "warning"))
    if doc.source_kind != "docx" and doc.seal is None:
        exc.append(("missing_stamp", "stamp_present", "error"))
    layout = doc.opts.get("activities", "numbered")
    if not doc.activities:
        exc.append(("missing_field", "activities", "error"))
    activities = []
    for i, act in enumerate(doc.activities, 1):
        desc = act.description(layout)
        if nonspace_len(desc) > 500:
            exc.append(("too_long", "description", "warning"))
        activities.append(
            {
                "seq": str(i),
                "title": act.title,
                "stage": act.stage,
                "description": desc,
                "char_count": str(nonspace_len(desc)),
            }
        )
    status = "needs_review" if any(sev == "error" for _, _, sev in exc) else "clean"
    plan = {
        **_unit_fields(doc),
        "activity_name": doc.activity_name,
        "modules": ";".join(
            m for m in ("团结引领", "建家办事", "为民服务", "开放合作", "表彰发布") if m in doc.modules
        ),
        "organizer": doc.organizer,
        "planned_time_raw": p.raw,
        "planned_start": p.start,
        "planned_end": p.end,
        "location": doc.location,
        "audiences": ";".join(a for a in ("科协系统干部", "科技工作者", "海外同行") if a in doc.audiences),
        "expected_scale": doc.scale,
        "expected_participants": doc.participants,
        "contact_name": doc.contact,
        "office_phone": doc.office.clean,
        "mobile": doc.mobile.clean,
        "fax": doc.fax.clean,
        "email": doc.email.clean,
        "mailing_address": doc.address,
        "stamp_present": "true" if doc.seal is not None else "false",
        "submitted_on": s.start,
        "status": status,
        "source_kind": doc.source_kind,
    }
    return {"plan": plan, "activities": activities, "exceptions": exc}


def liaison_truth(doc: Doc) -> dict:
    exc = _unit_exceptions(doc)
    rows = []
    if not doc.persons:
        exc.append(("missing_field", "name", "error"))
    for person in doc.persons:
        has_phone = bool(person.phone.raw.strip())
        if has_phone and not person.name:
            exc.append(("missing_field", "name", "error"))
        if person.name and not has_phone:
            exc.append(("missing_field", "phone", "error"))
        if has_phone and not person.phone.ok:
            exc.append(("invalid_phone", "phone", "error"))
        rows.append(
            {
                **_unit_fields(doc),
                "name": person.name,
                "org_title": person.org_title,
                "phone": person.phone.clean,
                "phone_kind": person.kind if person.phone.ok and has_phone else "",
            }
        )
    return {"liaisons": rows, "exceptions": exc}


def report_truth(doc: Doc) -> dict:
    exc = _unit_exceptions(doc)
    if not doc.title:
        exc.append(("missing_field", "title", "error"))
    count = sum(nonspace_len(p) for p in doc.body)
    limit = 2000 if _is_dept(doc) else 3000
    if count > limit:
        exc.append(("too_long", "char_count", "warning"))
    s = doc.submitted
    if s.status == "empty":
        exc.append(("missing_field", "submitted_on", "warning"))
    elif s.start > REPORT_DEADLINE:
        exc.append(("late_submission", "submitted_on", "warning"))
    report = {
        **_unit_fields(doc),
        "title": doc.title,
        "char_count": str(count),
        "char_limit": str(limit),
        "submitted_on": s.start,
    }
    return {"report": report, "exceptions": exc}


def truth(doc: Doc) -> dict:
    out: dict = {"file": doc.path}
    if doc.copy_of:
        out.update(form_type="", source_kind=doc.source_kind)
        body = {"exceptions": [("duplicate_submission", "", "warning")]}
    elif doc.form in ("notice", "blank_plan", "blank_liaison"):
        out.update(form_type="", source_kind=doc.source_kind)
        body = {"exceptions": [("unknown_form", "", "error")]}
    else:
        out.update(form_type=doc.form, source_kind=doc.source_kind)
        body = {"activity_plan": plan_truth, "liaison_reply": liaison_truth, "summary_report": report_truth}[doc.form](
            doc
        )
    body["exceptions"] = [{"code": c, "field": f, "severity": s} for c, f, s in body["exceptions"]]
    out.update(body)
    out["hand"] = doc.hand
    out["classes"] = sorted(set(doc.classes))
    if doc.seal is not None and not doc.copy_of:
        out["seal"] = {
            "unit_id": doc.seal.unit_id,
            "ring_text": doc.seal.ring_text,
            "centre_text": doc.seal.centre_text,
        }
    return out
