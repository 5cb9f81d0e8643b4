"""Is a truth JSON valid per docs/ground-truth-format.md? Returns the problems found, in words.

Besides shapes and value formats it re-applies the format doc's simple rules to the truth's own values
(status vs errors, 500/limit 字, window, deadlines, cleaned cells empty when their check failed), so a
hand-written truth that contradicts itself is caught. Usable for any sample set (docx, PDF, scans).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable

FORM_TYPES = ("activity_plan", "liaison_reply", "summary_report", "")
SOURCE_KINDS = ("docx", "pdf_text", "pdf_scan", "image", "")
PLAN_KEYS = (
    "unit_id", "unit_name", "unit_raw", "activity_name", "modules", "organizer", "planned_time_raw",
    "planned_start", "planned_end", "location", "audiences", "expected_scale", "expected_participants",
    "contact_name", "office_phone", "mobile", "fax", "email", "mailing_address", "stamp_present",
    "submitted_on", "status", "source_kind",
)
ACTIVITY_KEYS = ("seq", "title", "stage", "description", "char_count")
LIAISON_KEYS = ("unit_id", "unit_name", "unit_raw", "name", "org_title", "phone", "phone_kind")
REPORT_KEYS = ("unit_id", "unit_name", "unit_raw", "title", "char_count", "char_limit", "submitted_on")
MODULES = ("团结引领", "建家办事", "为民服务", "开放合作", "表彰发布")
AUDIENCES = ("科协系统干部", "科技工作者", "海外同行")
WINDOW = ("2021-05-10", "2021-06-30")

# (code, field) -> severity, per form; "*" = the field is any of the form's columns
_UNIT_RULES = {("missing_field", "unit_raw"): "error", ("unit_unmatched", "unit_raw"): "error",
               ("unit_ambiguous", "unit_raw"): "error"}
RULES: dict[str, dict[tuple[str, str], str]] = {
    "activity_plan": {
        **_UNIT_RULES,
        ("missing_field", "activity_name"): "error", ("no_module_selected", "modules"): "error",
        ("no_audience_selected", "audiences"): "warning", ("missing_field", "planned_start"): "error",
        ("invalid_date", "planned_start"): "error", ("date_out_of_window", "planned_start"): "warning",
        ("missing_field", "location"): "warning", ("missing_field", "contact_name"): "error",
        ("missing_field", "mobile"): "error", ("invalid_mobile", "mobile"): "error",
        ("missing_field", "office_phone"): "warning", ("invalid_phone", "office_phone"): "error",
        ("invalid_phone", "fax"): "error", ("missing_field", "email"): "warning",
        ("invalid_email", "email"): "error", ("missing_field", "mailing_address"): "warning",
        ("missing_field", "submitted_on"): "warning", ("invalid_date", "submitted_on"): "error",
        ("late_submission", "submitted_on"): "warning", ("missing_stamp", "stamp_present"): "error",
        ("missing_field", "activities"): "error", ("too_long", "description"): "warning",
        ("low_confidence", "*"): "error",
    },
    "liaison_reply": {
        **_UNIT_RULES,
        ("missing_field", "name"): "error", ("missing_field", "phone"): "error",
        ("invalid_phone", "phone"): "error", ("low_confidence", "*"): "error",
    },
    "summary_report": {
        **_UNIT_RULES,
        ("missing_field", "title"): "error", ("too_long", "char_count"): "warning",
        ("missing_field", "submitted_on"): "warning", ("invalid_date", "submitted_on"): "error",
        ("late_submission", "submitted_on"): "warning", ("low_confidence", "*"): "error",
    },
    "": {("unreadable_file", ""): "error", ("unknown_form", ""): "error", ("duplicate_submission", ""): "warning"},
}

ISO = re.compile(r"^2021-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")
LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$")
MOBILE = re.compile(r"^1\d{10}$")
EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)+$")
DIGITS = re.compile(r"^\d+$")


def truth_name(rel_path: str) -> str:
    return rel_path.replace("/", "__") + ".json"


def problems(truth: dict, category_of: Callable[[str], str] | None = None) -> list[str]:
    """Everything wrong with one truth document. category_of(unit_id) enables the deadline/limit checks."""
    out: list[str] = []
    form, kind = truth.get("form_type"), truth.get("source_kind")
    if not isinstance(truth.get("file"), str) or not truth.get("file"):
        out.append("file missing")
    if form not in FORM_TYPES:
        return out + [f"form_type {form!r}"]
    if kind not in SOURCE_KINDS:
        out.append(f"source_kind {kind!r}")
    expected_keys = {"file", "form_type", "source_kind", "exceptions"} | {
        "activity_plan": {"plan", "activities"}, "liaison_reply": {"liaisons"}, "summary_report": {"report"},
        "": set(),
    }[form]
    if set(truth) != expected_keys:
        out.append(f"top-level keys {sorted(truth)} != {sorted(expected_keys)}")
        return out
    exc = truth["exceptions"]
    out += _check_exceptions(form, exc)
    pairs = Counter((e.get("code"), e.get("field")) for e in exc)
    if form == "":
        whole = {code for code, _ in pairs}
        if len(exc) != 1 or not whole <= {"unreadable_file", "unknown_form", "duplicate_submission"}:
            out.append("a file without a form carries exactly one whole-file exception")
        if (kind == "") != ("unreadable_file" in whole):
            out.append("source_kind is empty exactly for unreadable files")
        return out
    if kind == "":
        out.append("a readable form has a source_kind")
    if form == "activity_plan":
        out += _check_plan(truth["plan"], truth["activities"], kind, exc, pairs, category_of)
    elif form == "liaison_reply":
        out += _check_liaisons(truth["liaisons"], pairs)
    else:
        out += _check_report(truth["report"], pairs, category_of)
    return out


def _check_exceptions(form: str, exc: list) -> list[str]:
    out = []
    rules = RULES[form]
    for e in exc:
        if set(e) != {"code", "field", "severity"}:
            out.append(f"exception keys {sorted(e)}")
            continue
        key = (e["code"], e["field"])
        rule = rules.get(key) or rules.get((e["code"], "*"))
        if rule is None:
            out.append(f"exception {key} is not a rule of {form or 'whole-file'}")
        elif rule != e["severity"]:
            out.append(f"exception {key} has severity {e['severity']}, the rules say {rule}")
    return out


def _strings(row: dict, keys: tuple[str, ...], what: str) -> list[str]:
    if tuple(row) != keys:
        return [f"{what} keys {list(row)} != {list(keys)}"]
    return [f"{what}.{k} is not a string" for k, v in row.items() if not isinstance(v, str)]


def _unit_checks(row: dict, pairs: Counter, what: str) -> list[str]:
    out = []
    unit_problem = any(pairs[(c, "unit_raw")] for c in ("missing_field", "unit_unmatched", "unit_ambiguous"))
    if (row["unit_id"] == "") != unit_problem:
        out.append(f"{what}: unit_id empty ⇔ a unit exception")
    if (row["unit_id"] == "") != (row["unit_name"] == ""):
        out.append(f"{what}: unit_id and unit_name are set together")
    if pairs[("missing_field", "unit_raw")] and row["unit_raw"]:
        out.append(f"{what}: missing unit but unit_raw set")
    return out


def _choices(value: str, allowed: tuple[str, ...]) -> bool:
    if value == "":
        return True
    parts = value.split(";")
    return all(p in allowed for p in parts) and parts == [a for a in allowed if a in parts]


def _check_plan(plan: dict, acts: list, kind: str, exc: list, pairs: Counter, category_of) -> list[str]:
    out = _strings(plan, PLAN_KEYS, "plan")
    if out:
        return out
    out += _unit_checks(plan, pairs, "plan")
    if plan["source_kind"] != kind:
        out.append("plan.source_kind differs from source_kind")
    for key, allowed, code in (("modules", MODULES, "no_module_selected"),
                               ("audiences", AUDIENCES, "no_audience_selected")):
        if not _choices(plan[key], allowed):
            out.append(f"plan.{key} {plan[key]!r} not in form order / not a choice")
        if (plan[key] == "") != bool(pairs[(code, key)]):
            out.append(f"plan.{key} empty ⇔ {code}")
    for key in ("planned_start", "planned_end", "submitted_on"):
        if plan[key] and not ISO.match(plan[key]):
            out.append(f"plan.{key} {plan[key]!r} is not an ISO date")
    start, end = plan["planned_start"], plan["planned_end"]
    if bool(start) != bool(end) or (start and start > end):
        out.append("planned_start/planned_end: both or neither, start ≤ end")
    outside = bool(start) and (start < WINDOW[0] or end > WINDOW[1])
    if outside != bool(pairs[("date_out_of_window", "planned_start")]):
        out.append("date_out_of_window ⇔ start/end outside 2021-05-10…2021-06-30")
    for key, pattern, invalid in (("office_phone", LANDLINE, "invalid_phone"), ("fax", LANDLINE, "invalid_phone"),
                                  ("mobile", MOBILE, "invalid_mobile"), ("email", EMAIL, "invalid_email")):
        if plan[key] and not pattern.match(plan[key]):
            out.append(f"plan.{key} {plan[key]!r} is not normalised")
        if pairs[(invalid, key)] and plan[key]:
            out.append(f"plan.{key} must be empty when {invalid}")
    for key in ("activity_name", "contact_name", "mobile", "office_phone", "email", "mailing_address",
                "location", "submitted_on"):
        if pairs[("missing_field", key)] and plan[key]:
            out.append(f"plan.{key} must be empty when missing_field")
    if plan["expected_participants"] and not DIGITS.match(plan["expected_participants"]):
        out.append("plan.expected_participants is not an integer")
    if plan["stamp_present"] not in ("true", "false"):
        out.append("plan.stamp_present is true/false")
    needs_stamp = kind in ("pdf_text", "pdf_scan", "image") and plan["stamp_present"] == "false"
    if needs_stamp != bool(pairs[("missing_stamp", "stamp_present")]):
        out.append("missing_stamp ⇔ a PDF/scan without a seal")
    has_error = any(e["severity"] == "error" for e in exc)
    if plan["status"] != ("needs_review" if has_error else "clean"):
        out.append("plan.status must be needs_review exactly when there is an error")
    if category_of and plan["submitted_on"]:
        deadline = "2021-05-08" if category_of(plan["unit_id"]) == "省科协部门" else "2021-05-10"
        if (plan["submitted_on"] > deadline) != bool(pairs[("late_submission", "submitted_on")]):
            out.append(f"late_submission ⇔ submitted_on after {deadline}")
    out += _check_activities(acts, pairs)
    return out


def _check_activities(acts: list, pairs: Counter) -> list[str]:
    out = []
    if not acts and not pairs[("missing_field", "activities")]:
        out.append("no activities but no missing_field/activities")
    too_long = 0
    for i, a in enumerate(acts, start=1):
        bad = _strings(a, ACTIVITY_KEYS, f"activity {i}")
        if bad:
            out += bad
            continue
        if a["seq"] != str(i):
            out.append(f"activity {i}: seq {a['seq']!r}")
        if a["stage"] not in ("", "1", "2", "3"):
            out.append(f"activity {i}: stage {a['stage']!r}")
        if a["char_count"] != str(len(re.sub(r"\s", "", a["description"]))):
            out.append(f"activity {i}: char_count does not count the description")
        too_long += int(a["char_count"]) > 500
    if too_long != pairs[("too_long", "description")]:
        out.append(f"{too_long} activities over 500 字 but {pairs[('too_long', 'description')]} too_long rows")
    return out


def _check_liaisons(rows: list, pairs: Counter) -> list[str]:
    out = []
    if not rows and not pairs[("missing_field", "name")]:
        out.append("no person but no missing_field/name")
    empty_phones = 0
    for i, row in enumerate(rows, start=1):
        bad = _strings(row, LIAISON_KEYS, f"liaison {i}")
        if bad:
            out += bad
            continue
        out += _unit_checks(row, pairs, f"liaison {i}")
        phone, kind = row["phone"], row["phone_kind"]
        expected_kind = "mobile" if MOBILE.match(phone) else "landline" if LANDLINE.match(phone) else ""
        if phone and not expected_kind:
            out.append(f"liaison {i}: phone {phone!r} is not normalised")
        if kind != expected_kind:
            out.append(f"liaison {i}: phone_kind {kind!r} does not fit {phone!r}")
        empty_phones += phone == ""
    phone_rows = pairs[("missing_field", "phone")] + pairs[("invalid_phone", "phone")]
    if empty_phones != phone_rows:
        out.append(f"{empty_phones} empty phones but {phone_rows} phone exceptions")
    return out


def _check_report(report: dict, pairs: Counter, category_of) -> list[str]:
    out = _strings(report, REPORT_KEYS, "report")
    if out:
        return out
    out += _unit_checks(report, pairs, "report")
    if not DIGITS.match(report["char_count"]) or report["char_limit"] not in ("2000", "3000"):
        return out + ["report.char_count is an integer, char_limit 2000 or 3000"]
    if (int(report["char_count"]) > int(report["char_limit"])) != bool(pairs[("too_long", "char_count")]):
        out.append("too_long/char_count ⇔ char_count > char_limit")
    if category_of:
        limit = "2000" if category_of(report["unit_id"]) == "省科协部门" else "3000"
        if report["char_limit"] != limit:
            out.append(f"report.char_limit should be {limit}")
    date = report["submitted_on"]
    if date and not ISO.match(date):
        out.append("report.submitted_on is not an ISO date")
    if (date > "2021-06-18") != bool(pairs[("late_submission", "submitted_on")]):
        out.append("late_submission ⇔ submitted_on after 2021-06-18")
    if (report["title"] == "") != bool(pairs[("missing_field", "title")]):
        out.append("title empty ⇔ missing_field/title")
    return out
