"""Spec → ground-truth JSON (docs/ground-truth-format.md). Only the format-dependent parts vary by caller.

Every value here is copied from the spec's hand-written intent or computed by a line of plain code (joins in
form order, character counts, status from the expected errors); nothing runs the project's pipeline.
"""

from __future__ import annotations

import json

from samples.generator.model import AUDIENCES, MODULES, Expect, SubmissionSpec, char_count
from samples.generator.units import report_limit, unit_name

SOURCE_KINDS = ("docx", "pdf_text", "pdf_scan", "image")
MISSING_STAMP = Expect("missing_stamp", "stamp_present", "error")


def truth_file_name(rel_path: str) -> str:
    """samples/inbox/<rel_path> → samples/truth/<this name>."""
    return rel_path.replace("/", "__") + ".json"


def truth_for(spec: SubmissionSpec, source_kind: str, stamped: bool = False, file: str | None = None) -> dict:
    """The truth for `spec` rendered as `source_kind` (stamped: a red seal is on the rendering).

    `file` is the path relative to samples/inbox when a later script stores its rendering elsewhere.
    """
    if source_kind not in SOURCE_KINDS:
        raise ValueError(f"unknown source kind {source_kind!r}")
    exceptions = list(spec.exceptions)
    if spec.form_type == "activity_plan" and source_kind != "docx" and not stamped:
        exceptions.append(MISSING_STAMP)  # the seed wants a stamped PDF; a Word file is never stamped
    truth: dict = {
        "file": file or spec.file,
        "form_type": spec.form_type,
        "source_kind": "" if spec.special == "unreadable" else source_kind,
    }
    if spec.form_type == "activity_plan":
        truth["plan"] = _plan(spec, source_kind, stamped, exceptions)
        truth["activities"] = _activities(spec)
    elif spec.form_type == "liaison_reply":
        truth["liaisons"] = _liaisons(spec)
    elif spec.form_type == "summary_report":
        truth["report"] = _report(spec)
    truth["exceptions"] = [{"code": e.code, "field": e.field, "severity": e.severity} for e in exceptions]
    return truth


def dumps(truth: dict) -> str:
    return json.dumps(truth, ensure_ascii=False, indent=2) + "\n"


def _unit(spec: SubmissionSpec) -> dict[str, str]:
    return {"unit_id": spec.unit_id, "unit_name": unit_name(spec.unit_id), "unit_raw": spec.unit_raw}


def _plan(spec: SubmissionSpec, source_kind: str, stamped: bool, exceptions: list[Expect]) -> dict[str, str]:
    p = spec.plan
    assert p is not None
    has_error = any(e.severity == "error" for e in exceptions)
    return {
        **_unit(spec),
        "activity_name": p.activity_name,
        "modules": ";".join(m for m in MODULES if m in p.modules),
        "organizer": p.organizer,
        "planned_time_raw": p.time.raw,
        "planned_start": p.time.start,
        "planned_end": p.time.end,
        "location": p.location,
        "audiences": ";".join(a for a in AUDIENCES if a in p.audiences),
        "expected_scale": p.scale.raw,
        "expected_participants": p.scale.clean,
        "contact_name": p.contact_name,
        "office_phone": p.office_phone.clean,
        "mobile": p.mobile.clean,
        "fax": p.fax.clean,
        "email": p.email.clean,
        "mailing_address": p.address,
        "stamp_present": "true" if stamped and source_kind != "docx" else "false",
        "submitted_on": p.submitted.clean,
        "status": "needs_review" if has_error else "clean",
        "source_kind": source_kind,
    }


def _activities(spec: SubmissionSpec) -> list[dict[str, str]]:
    assert spec.plan is not None
    return [
        {
            "seq": str(i),
            "title": a.title,
            "stage": a.stage,
            "description": a.description,
            "char_count": str(char_count(a.description)),
        }
        for i, a in enumerate(spec.plan.activities, start=1)
    ]


def _liaisons(spec: SubmissionSpec) -> list[dict[str, str]]:
    return [
        {**_unit(spec), "name": p.name, "org_title": p.org_title, "phone": p.phone.clean, "phone_kind": p.kind}
        for p in spec.persons
    ]


def _report(spec: SubmissionSpec) -> dict[str, str]:
    r = spec.report
    assert r is not None
    return {
        **_unit(spec),
        "title": r.title,
        "char_count": str(sum(char_count(text) for text in r.body)),
        "char_limit": str(report_limit(spec.unit_id)),
        "submitted_on": r.date.clean,
    }
