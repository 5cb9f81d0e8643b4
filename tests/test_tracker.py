"""The submission tracker: who owes what by when (schemas/requirements.yaml), what arrived, what is missing."""

from __future__ import annotations

from datetime import date

import pytest

from flows.staff.tracker import REQUIREMENTS_YAML, build_tracker, load_requirements
from schemas.campaign import load_referring_yaml
from schemas.form_schema import load_forms
from schemas.registry import default_registry
from tests.conftest import load_truths

AFTER_ALL_DEADLINES = date(2021, 6, 30)


def _owed_by_the_notice() -> dict[tuple[str, str], date]:
    """(unit_id, form_type) -> due date, straight from the YAML's rules (not through flows.staff.tracker); the
    dates are the campaign file's, which the rules name."""
    raw = load_referring_yaml(REQUIREMENTS_YAML)
    owed: dict[tuple[str, str], date] = {}
    for unit in default_registry():
        for req in raw["requirements"]:
            if unit.category in req.get("categories", []) or unit.unit_id in req.get("units", []):
                key = (unit.unit_id, req["form_type"])
                owed[key] = min(owed.get(key, req["due"]), req["due"])
    return owed


def _received_in_samples() -> dict[tuple[str, str], list[str]]:
    """(unit_id, form_type) -> the 报送时间 dates the ground truth says the samples carry."""
    got: dict[tuple[str, str], list[str]] = {}
    for truth in load_truths().values():
        row = truth.get("plan") or truth.get("report") or (truth.get("liaisons") or [{}])[0]
        if row.get("unit_id"):
            got.setdefault((row["unit_id"], truth["form_type"]), []).append(row.get("submitted_on", ""))
    return got


@pytest.fixture(scope="module")
def tracker(sample_tables) -> list[dict[str, str]]:
    return build_tracker(sample_tables, default_registry(), as_of=AFTER_ALL_DEADLINES)


def test_due_dates_agree_with_the_forms_own_deadlines() -> None:
    """late_submission (schemas/forms) and the tracker must not disagree about a deadline."""
    forms = {f.form_type: f for f in load_forms()}
    registry = default_registry()
    for req in load_requirements().requirements:
        deadline = forms[req.form_type].deadline
        if deadline is None:  # 回执表 has no 报送时间 field: only the tracker knows its date
            continue
        categories = set(req.categories) | {registry.get(u).category for u in req.units}
        for category in categories:
            assert deadline.for_category(category) == req.due, (req.form_type, category)


def test_the_seed_requirements() -> None:
    owed = _owed_by_the_notice()
    registry = default_registry()
    by_category = {}
    for (uid, form), due in owed.items():
        by_category.setdefault((registry.get(uid).category, form), set()).add(due)
    for category in ("市州科协", "高校科协", "企业科协"):
        assert by_category[(category, "liaison_reply")] == {date(2021, 5, 10)}
        assert by_category[(category, "activity_plan")] == {date(2021, 5, 10)}
        assert by_category[(category, "summary_report")] == {date(2021, 6, 18)}
    departments = {uid for (uid, form) in owed if registry.get(uid).category == "省科协部门"}
    names = {registry.get(uid).canonical_name for uid in departments}
    assert names == {
        "青海省科学技术协会办公室",
        "青海省科学技术协会组织人事部",
        "青海省科学技术协会调研宣传部",
        "青海省科学技术馆",
    }
    assert {owed[(uid, "activity_plan")] for uid in departments} == {date(2021, 5, 8)}
    assert not any(registry.get(uid).category == "省级学会" for uid, _ in owed), "societies owe nothing here"


def test_tracker_lists_exactly_the_units_the_samples_leave_missing(tracker) -> None:
    owed, received = _owed_by_the_notice(), _received_in_samples()
    missing = {(r["unit_id"], r["form_type"]) for r in tracker if r["status"] in ("missing", "overdue")}
    assert missing == set(owed) - set(received)
    assert ("city-guoluo", "activity_plan") in missing  # 果洛州 sent nothing at all
    assert all(r["status"] == "overdue" and r["files"] == "" for r in tracker if r["status"] in ("missing", "overdue"))
    arrived = {(r["unit_id"], r["form_type"]) for r in tracker if r["status"] in ("received", "late")}
    assert arrived == set(owed) & set(received)
    extra = {(r["unit_id"], r["form_type"]) for r in tracker if r["status"] == "extra"}
    assert extra == set(received) - set(owed)  # e.g. the societies' plans
    assert any(r["status"] == "unidentified" and "hainan" in r["files"] for r in tracker)


def test_late_is_the_first_arrival_after_the_due_date(tracker) -> None:
    owed, received = _owed_by_the_notice(), _received_in_samples()
    rows = {(r["unit_id"], r["form_type"]): r for r in tracker}
    checked = 0
    for key in set(owed) & set(received):
        dates = [date.fromisoformat(d) for d in received[key] if d]
        if not dates:
            continue
        first, due = min(dates), owed[key]
        row = rows[key]
        assert row["status"] == ("late" if first > due else "received"), key
        assert row["arrived_on"] == first.isoformat() and row["arrived_basis"] == "form"
        assert row["days_late"] == (str((first - due).days) if first > due else "")
        checked += 1
    assert checked >= 5
    assert rows[("dept-respub", "activity_plan")]["days_late"] == "1"  # 调宣部: 5月9日 for 5月8日


def test_missing_before_the_due_date_overdue_after(sample_tables) -> None:
    registry = default_registry()
    on_the_day = build_tracker(sample_tables, registry, as_of=date(2021, 5, 10))
    next_day = build_tracker(sample_tables, registry, as_of=date(2021, 5, 11))
    key = ("city-guoluo", "liaison_reply")
    assert next(r for r in on_the_day if (r["unit_id"], r["form_type"]) == key)["status"] == "missing"
    row = next(r for r in next_day if (r["unit_id"], r["form_type"]) == key)
    assert (row["status"], row["status_zh"], row["days_late"]) == ("overdue", "逾期未交", "1")


def test_a_reply_without_a_date_arrives_when_its_file_did() -> None:
    """回执表 carry no 报送时间: the file's time in the inbox decides, and the row says so."""
    tables = {
        "liaisons.csv": [
            {"source_file": "a.docx", "unit_id": "city-haixi", "name": "张明", "phone": "13897012345"},
            {"source_file": "a.docx", "unit_id": "city-haixi", "name": "李红", "phone": "13897012346"},
        ]
    }
    rows = build_tracker(tables, default_registry(), received={"a.docx": "2021-05-12T09:30:00"}, as_of=date(2021, 6, 1))
    row = next(r for r in rows if (r["unit_id"], r["form_type"]) == ("city-haixi", "liaison_reply"))
    assert (row["status"], row["arrived_on"], row["arrived_basis"], row["days_late"]) == (
        "late", "2021-05-12", "file_time", "2",
    )  # fmt: skip
    assert row["files"] == "a.docx" and row["contact"] == "张明 13897012345"
