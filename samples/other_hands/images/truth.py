"""Ground truth for one file, in the format of docs/ground-truth-format.md, from what the person meant to write.

The expected exceptions follow the rules section of that document, applied to the values as written.
"""

from __future__ import annotations

from .content import LiaisonContent, PlanContent, ReportContent
from .registry import REPORT_DEADLINE, Unit

PLAN_WINDOW = ("2021-05-10", "2021-06-30")


def _exc(code: str, field: str, severity: str) -> dict:
    return {"code": code, "field": field, "severity": severity}


def _unit_cols(unit: Unit, written: str) -> dict:
    return {"unit_id": unit.unit_id, "unit_name": unit.name, "unit_raw": written}


def _seal_exceptions(form_unit: Unit, seal_unit_ids: list[str]) -> list[dict]:
    """seal_mismatch (warning) when a seal's ring names another unit than the form's."""
    if any(seal_id != form_unit.unit_id for seal_id in seal_unit_ids):
        return [_exc("seal_mismatch", "stamp_present", "warning")]
    return []


def plan_truth(plan: PlanContent, source_kind: str, seal_unit_ids: list[str]) -> tuple[dict, list[dict], list[dict]]:
    """(plan row, activity rows, exceptions)."""
    stamped = bool(seal_unit_ids)
    exceptions: list[dict] = []
    if not plan.modules:
        exceptions.append(_exc("no_module_selected", "modules", "error"))
    if not plan.audiences:
        exceptions.append(_exc("no_audience_selected", "audiences", "warning"))
    start, end = plan.start.isoformat(), plan.end.isoformat()
    if not (PLAN_WINDOW[0] <= start <= PLAN_WINDOW[1] and PLAN_WINDOW[0] <= end <= PLAN_WINDOW[1]):
        exceptions.append(_exc("date_out_of_window", "planned_start", "warning"))
    if plan.mobile is None:
        exceptions.append(_exc("missing_field", "mobile", "error"))
    elif not plan.mobile.normalised:
        exceptions.append(_exc("invalid_mobile", "mobile", "error"))
    if plan.office is None:
        exceptions.append(_exc("missing_field", "office_phone", "warning"))
    if not plan.email_written:
        exceptions.append(_exc("missing_field", "email", "warning"))
    elif not plan.email:
        exceptions.append(_exc("invalid_email", "email", "error"))
    submitted = plan.submitted.isoformat() if plan.submitted else ""
    if submitted and submitted > plan.unit.plan_deadline:
        exceptions.append(_exc("late_submission", "submitted_on", "warning"))
    if source_kind in ("image", "pdf_scan", "pdf_text") and not stamped:
        exceptions.append(_exc("missing_stamp", "stamp_present", "error"))
    exceptions += _seal_exceptions(plan.unit, seal_unit_ids)
    activities = []
    for seq, activity in enumerate(plan.activities, start=1):
        activities.append(
            {
                "seq": str(seq),
                "title": activity.title,
                "stage": activity.stage,
                "description": activity.description,
                "char_count": str(activity.char_count),
            }
        )
        if activity.char_count > 500:
            exceptions.append(_exc("too_long", "description", "warning"))
    status = "needs_review" if any(e["severity"] == "error" for e in exceptions) else "clean"
    row = {
        **_unit_cols(plan.unit, plan.unit_written),
        "activity_name": plan.activity_name,
        "modules": ";".join(plan.modules),
        "organizer": plan.organizer,
        "planned_time_raw": plan.time_written,
        "planned_start": start,
        "planned_end": end,
        "location": plan.location,
        "audiences": ";".join(plan.audiences),
        "expected_scale": plan.scale_written,
        "expected_participants": plan.participants,
        "contact_name": plan.contact,
        "office_phone": plan.office.normalised if plan.office else "",
        "mobile": plan.mobile.normalised if plan.mobile else "",
        "fax": plan.fax.normalised if plan.fax else "",
        "email": plan.email,
        "mailing_address": plan.address,
        "stamp_present": "true" if stamped else "false",
        "submitted_on": submitted,
        "status": status,
        "source_kind": source_kind,
    }
    return row, activities, exceptions


def liaison_truth(liaison: LiaisonContent, seal_unit_ids: list[str]) -> tuple[list[dict], list[dict]]:
    rows, exceptions = [], []
    for person in liaison.persons:
        phone = person.phone
        if phone is None:
            exceptions.append(_exc("missing_field", "phone", "error"))
        elif not phone.normalised:
            exceptions.append(_exc("invalid_phone", "phone", "error"))
        rows.append(
            {
                **_unit_cols(liaison.unit, liaison.unit_written),
                "name": person.name,
                "org_title": person.org_title,
                "phone": phone.normalised if phone else "",
                "phone_kind": phone.kind if phone else "",
            }
        )
    if not rows:
        exceptions.append(_exc("missing_field", "name", "error"))
    exceptions += _seal_exceptions(liaison.unit, seal_unit_ids)
    return rows, exceptions


def report_truth(report: ReportContent, seal_unit_ids: list[str]) -> tuple[dict, list[dict]]:
    exceptions = []
    limit = report.unit.report_limit
    if report.char_count > limit:
        exceptions.append(_exc("too_long", "char_count", "warning"))
    if report.date.isoformat() > REPORT_DEADLINE:
        exceptions.append(_exc("late_submission", "submitted_on", "warning"))
    exceptions += _seal_exceptions(report.unit, seal_unit_ids)
    row = {
        **_unit_cols(report.unit, report.unit_written),
        "title": report.title,
        "char_count": str(report.char_count),
        "char_limit": str(limit),
        "submitted_on": report.date.isoformat(),
    }
    return row, exceptions


FORM_TYPES = {"plan": "activity_plan", "liaison": "liaison_reply", "report": "summary_report"}


def truth_document(
    rel_path: str,
    form: str,
    source_kind: str,
    content: PlanContent | LiaisonContent | ReportContent,
    seals: list[dict],
) -> dict:
    seal_ids = [s["unit_id"] for s in seals]
    doc: dict = {"file": rel_path, "form_type": FORM_TYPES[form], "source_kind": source_kind}
    if form == "plan":
        assert isinstance(content, PlanContent)
        doc["plan"], doc["activities"], doc["exceptions"] = plan_truth(content, source_kind, seal_ids)
    elif form == "liaison":
        assert isinstance(content, LiaisonContent)
        doc["liaisons"], doc["exceptions"] = liaison_truth(content, seal_ids)
    else:
        assert isinstance(content, ReportContent)
        doc["report"], doc["exceptions"] = report_truth(content, seal_ids)
    return doc


def as_written(form: str, content: PlanContent | LiaisonContent | ReportContent) -> dict:
    """The raw strings behind cleaned values (phones, dates, e-mail, padded names), for whoever checks a miss."""
    if form == "plan":
        assert isinstance(content, PlanContent)
        return {
            "submitted_on": content.submitted_written,
            "office_phone": content.office.written if content.office else "",
            "mobile": content.mobile.written if content.mobile else "",
            "fax": content.fax.written if content.fax else "",
            "email": content.email_written,
            "contact_name": content.contact_written,
        }
    if form == "liaison":
        assert isinstance(content, LiaisonContent)
        return {
            "persons": [{"name": p.name_written, "phone": p.phone.written if p.phone else ""} for p in content.persons]
        }
    assert isinstance(content, ReportContent)
    return {
        "submitted_on": content.date_written,
        "title_lines": [content.title[: content.title_break], content.title[content.title_break :]],
    }
