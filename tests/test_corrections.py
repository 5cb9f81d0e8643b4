"""The corrections loop as staff live it: open exceptions.xlsx, type the right value, save, run again."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from flows.reading.pipeline import discover, process_file
from flows.staff.corrections import (
    CORRECTIONS_CSV,
    H_ALIAS,
    H_CORRECTION,
    H_FIELD,
    H_FILE,
    LOG_CSV,
    WORKBOOK,
    collect_corrections,
)
from flows.tables.writer import write_outputs
from schemas.units import REGISTRY_DIR
from tests.conftest import INBOX

PLAN_BAD_MOBILE = "西宁市科协-特色亮点活动筹备方案.docx"  # truth: invalid_mobile/mobile (10 digits)
PLAN_NO_MODULE = "guowang_qinghai_plan.docx"  # truth: no_module_selected/modules
PLAN_FOREIGN_UNIT = "hainan_kexie_fangan.docx"  # truth: unit_unmatched/unit_raw (海南省科协)
REPLY_NO_PHONE = "玉树州科协回执表.docx"  # a person without a phone: missing_field/phone


def run_batch(inbox: Path, out: Path, pending: Path) -> None:
    """What `intake run` does: collect staff corrections once, read every file, write the outputs."""
    corrections = collect_corrections(out, pending_aliases=pending)
    write_outputs(out, [process_file(p, inbox, corrections=corrections) for p in discover(inbox)])


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def exceptions(out: Path) -> set[tuple[str, str, str]]:
    return {(r["source_file"], r["field"], r["code"]) for r in read_csv(out / "exceptions.csv")}


def type_in_workbook(out: Path, edits: dict[tuple[str, str], tuple[str, str]]) -> None:
    """Staff: find the row by file and field, type 更正值 (and 加入别名), save. Columns found by header."""
    path = out / WORKBOOK
    book = load_workbook(path)
    ws = book["问题清单"]
    col = {cell.value: cell.column for cell in ws[1]}
    done = set()
    for row in range(2, ws.max_row + 1):
        key = (ws.cell(row, col[H_FILE]).value, ws.cell(row, col[H_FIELD]).value)
        if key in edits:
            value, alias = edits[key]
            ws.cell(row, col[H_CORRECTION]).value = value
            ws.cell(row, col[H_ALIAS]).value = alias or None
            done.add(key)
    assert done == set(edits), f"rows not found in the workbook: {set(edits) - done}"
    book.save(path)


@pytest.fixture()
def batch(tmp_path: Path) -> tuple[Path, Path, Path]:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for name in (PLAN_BAD_MOBILE, PLAN_NO_MODULE, PLAN_FOREIGN_UNIT, REPLY_NO_PHONE):
        shutil.copy(INBOX / name, inbox / name)
    return inbox, out, tmp_path / "pending_aliases.csv"


def test_correction_round_trip_clears_the_exception_and_fixes_the_row(batch) -> None:
    inbox, out, pending = batch
    registry_before = (REGISTRY_DIR / "units.csv").read_bytes()
    run_batch(inbox, out, pending)
    before = exceptions(out)
    assert (PLAN_BAD_MOBILE, "mobile", "invalid_mobile") in before
    assert (PLAN_NO_MODULE, "modules", "no_module_selected") in before
    assert (PLAN_FOREIGN_UNIT, "unit_raw", "unit_unmatched") in before
    assert (REPLY_NO_PHONE, "phone", "missing_field") in before

    type_in_workbook(
        out,
        {
            (PLAN_BAD_MOBILE, "mobile"): ("13997123456", ""),
            (PLAN_NO_MODULE, "modules"): ("团结引领;为民服务", ""),
            (PLAN_FOREIGN_UNIT, "unit_raw"): ("海南州科协", "是"),
            (REPLY_NO_PHONE, "phone"): ("0976-8822346", ""),
        },
    )
    run_batch(inbox, out, pending)

    after = exceptions(out)
    for gone in [
        (PLAN_BAD_MOBILE, "mobile", "invalid_mobile"),
        (PLAN_NO_MODULE, "modules", "no_module_selected"),
        (PLAN_FOREIGN_UNIT, "unit_raw", "unit_unmatched"),
        (REPLY_NO_PHONE, "phone", "missing_field"),
    ]:
        assert gone not in after, gone
    plans = {r["source_file"]: r for r in read_csv(out / "plans.csv")}
    assert plans[PLAN_BAD_MOBILE]["mobile"] == "13997123456"
    assert plans[PLAN_BAD_MOBILE]["status"] == "clean"
    assert plans[PLAN_NO_MODULE]["modules"] == "团结引领;为民服务"
    assert plans[PLAN_FOREIGN_UNIT]["unit_id"] == "city-hainan"
    phones = {r["name"]: r["phone"] for r in read_csv(out / "liaisons.csv") if r["source_file"] == REPLY_NO_PHONE}
    assert "0976-8822346" in phones.values()

    log = read_csv(out / LOG_CSV)
    entry = next(r for r in log if r["source_file"] == PLAN_BAD_MOBILE)
    assert (entry["field"], entry["old_value"], entry["new_value"]) == ("mobile", "1399712345", "13997123456")
    assert entry["applied_at"] and entry["entered_via"] == "workbook"
    assert len(log) == 4

    # the alias waits for review; the registry itself is untouched
    aliases = read_csv(pending)
    assert [(a["alias"], a["unit_id"], a["status"]) for a in aliases] == [("海南省科协", "city-hainan", "待审核")]
    assert (REGISTRY_DIR / "units.csv").read_bytes() == registry_before

    # the resolved rows have left the workbook, yet the next run keeps the corrections (corrections.csv)
    run_batch(inbox, out, pending)
    assert {r["source_file"]: r for r in read_csv(out / "plans.csv")}[PLAN_BAD_MOBILE]["mobile"] == "13997123456"
    assert len(read_csv(out / LOG_CSV)) == 4, "a correction applied again is not logged again"
    assert len(read_csv(pending)) == 1
    stored = read_csv(out / CORRECTIONS_CSV)
    assert {(r["source_file"], r["field"]) for r in stored} >= {(PLAN_BAD_MOBILE, "mobile")}
    book = load_workbook(out / WORKBOOK)
    states = [row[-1] for row in book["更正记录"].iter_rows(min_row=2, values_only=True)]
    assert states and all(s == "已应用" for s in states)


def test_a_wrong_correction_keeps_the_exception_showing_the_new_value(batch) -> None:
    inbox, out, pending = batch
    run_batch(inbox, out, pending)
    type_in_workbook(out, {(PLAN_BAD_MOBILE, "mobile"): ("1399712", "")})
    run_batch(inbox, out, pending)
    rows = [r for r in read_csv(out / "exceptions.csv") if r["source_file"] == PLAN_BAD_MOBILE]
    assert [(r["code"], r["raw_value"]) for r in rows] == [("invalid_mobile", "1399712")]


def test_a_resent_file_is_not_overwritten_by_the_old_correction(batch) -> None:
    inbox, out, pending = batch
    run_batch(inbox, out, pending)
    type_in_workbook(out, {(PLAN_BAD_MOBILE, "mobile"): ("13997123456", "")})
    run_batch(inbox, out, pending)
    assert (PLAN_BAD_MOBILE, "mobile", "invalid_mobile") not in exceptions(out)
    # the unit sends the file again (other bytes, same name, same wrong number): staff must look again
    from docx import Document as Docx

    doc = Docx(str(inbox / PLAN_BAD_MOBILE))
    doc.add_paragraph("（再次报送）")
    doc.save(str(inbox / PLAN_BAD_MOBILE))
    run_batch(inbox, out, pending)
    assert (PLAN_BAD_MOBILE, "mobile", "invalid_mobile") in exceptions(out)


def test_corrections_csv_saved_by_a_chinese_excel_is_applied(batch) -> None:
    """A hand-made corrections.csv in GB18030 (Excel's 'CSV (逗号分隔)'), keyed by file name only."""
    inbox, out, pending = batch
    out.mkdir()
    text = "source_file,field,old_value,new_value\r\n" + f"{PLAN_BAD_MOBILE},mobile,,13997123456\r\n"
    (out / CORRECTIONS_CSV).write_bytes(text.encode("gb18030"))
    run_batch(inbox, out, pending)
    assert (PLAN_BAD_MOBILE, "mobile", "invalid_mobile") not in exceptions(out)
    log = read_csv(out / LOG_CSV)
    assert [(r["field"], r["old_value"], r["new_value"], r["entered_via"]) for r in log] == [
        ("mobile", "1399712345", "13997123456", "csv")
    ]


def test_an_unreadable_workbook_is_kept_aside_and_the_run_goes_on(batch) -> None:
    """Saved as .xls under the .xlsx name, or damaged: the run continues and the typing is not overwritten."""
    inbox, out, pending = batch
    out.mkdir()
    (out / WORKBOOK).write_bytes(b"\xd0\xcf\x11\xe0 an old binary .xls body")
    run_batch(inbox, out, pending)
    kept = list(out.glob("exceptions.unread-*.xlsx"))
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"\xd0\xcf\x11\xe0")
    assert load_workbook(out / WORKBOOK)["问题清单"].max_row > 1  # a fresh workbook was written
