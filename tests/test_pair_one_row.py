"""A Word file and its stamped PDF are one submission: a problem they share is one row in exceptions.csv and the
workbook, naming both files, and a correction typed once on that row fixes both files."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from openpyxl import load_workbook

from flows.staff.corrections import H_ALSO, H_ALSO_IDS, H_CORRECTION, H_FIELD, H_FILE, H_READ, H_ROW, WORKBOOK
from flows.state.incremental import run_incremental
from tests.conftest import INBOX

PLAN_WORD = "海东市科协活动筹备方案.docx"  # too_long/description (truth)
PLAN_PDF = "pdf/海东市科协活动筹备方案.pdf"  # the same too_long, and missing_stamp of its own (truth)
MOBILE_WORD = "西宁市科协-特色亮点活动筹备方案.docx"  # invalid_mobile/mobile 1399712345 (truth)
MOBILE_SCAN = "scans/西宁市科协-特色亮点活动筹备方案.pdf"  # its stamped scan: the same invalid_mobile (truth)
REPLY_NO_PHONE = "玉树州科协回执表.docx"  # a liaison without a phone (truth: missing_field/phone)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def inbox_of(tmp_path: Path, *names: str) -> Path:
    inbox = tmp_path / "inbox"
    for name in names:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(INBOX / name, inbox / name)
    return inbox


def issue_rows(out: Path) -> list[dict[str, str]]:
    ws = load_workbook(out / WORKBOOK)["问题清单"]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, (c.value or "" for c in row), strict=False)) for row in ws.iter_rows(min_row=2)]


def test_a_problem_word_and_pdf_share_is_one_row_naming_both(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_incremental(inbox_of(tmp_path, PLAN_WORD, PLAN_PDF), out, settle_s=0)
    rows = read_csv(out / "exceptions.csv")
    too_long = [r for r in rows if r["code"] == "too_long"]
    assert len(too_long) == 1, too_long
    assert (too_long[0]["source_file"], too_long[0]["also_in"]) == (PLAN_WORD, PLAN_PDF)
    assert PLAN_PDF in too_long[0]["message"], "the message names the other file too"
    # the stamped copy's own problem stays its own row
    assert [(r["source_file"], r["code"]) for r in rows if r["code"] == "missing_stamp"] == [
        (PLAN_PDF, "missing_stamp")
    ]
    sheet = [r for r in issue_rows(out) if r["问题代码"] == "too_long"]
    assert len(sheet) == 1 and (sheet[0][H_FILE], sheet[0][H_ALSO]) == (PLAN_WORD, PLAN_PDF)
    plans = {r["source_file"]: r for r in read_csv(out / "plans.csv")}
    assert sheet[0][H_ALSO_IDS] == plans[PLAN_PDF]["submission_id"]


def test_a_correction_typed_once_fixes_the_word_file_and_its_stamped_scan(tmp_path: Path) -> None:
    inbox, out = inbox_of(tmp_path, MOBILE_WORD, MOBILE_SCAN), tmp_path / "out"
    run_incremental(inbox, out, settle_s=0)
    mobile = [r for r in read_csv(out / "exceptions.csv") if r["code"] == "invalid_mobile"]
    assert [(r["source_file"], r["also_in"]) for r in mobile] == [(MOBILE_WORD, MOBILE_SCAN)]

    path = out / WORKBOOK
    book = load_workbook(path)
    ws = book["问题清单"]
    col = {cell.value: cell.column for cell in ws[1]}
    mobile_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col[H_FIELD]).value == "mobile")
    pictured = {im.anchor._from.row + 1 for im in ws._images}
    assert mobile_row in pictured, "the Word file's row shows the scan's picture of the field"
    typed = 0
    for r in range(2, ws.max_row + 1):
        if ws.cell(r, col[H_FIELD]).value == "mobile":
            ws.cell(r, col[H_CORRECTION]).value = "13997123456"
            typed += 1
    assert typed == 1
    book.save(path)

    run_incremental(inbox, out, settle_s=0)
    assert not [r for r in read_csv(out / "exceptions.csv") if r["field"] == "mobile"]
    plans = {r["source_file"]: r["mobile"] for r in read_csv(out / "plans.csv")}
    assert plans == {MOBILE_WORD: "13997123456", MOBILE_SCAN: "13997123456"}


def test_a_missing_phone_reads_as_empty_and_names_its_person(tmp_path: Path) -> None:
    inbox, out = inbox_of(tmp_path, REPLY_NO_PHONE), tmp_path / "out"
    run_incremental(inbox, out, settle_s=0)
    row = next(r for r in read_csv(out / "exceptions.csv") if r["code"] == "missing_field")
    people = [p for p in read_csv(out / "liaisons.csv") if not p["phone"]]
    assert len(people) == 1 and people[0]["name"]
    assert row["raw_value"] == ""
    assert people[0]["name"] in row["message"], row["message"]
    sheet = next(r for r in issue_rows(out) if r["问题代码"] == "missing_field")
    assert sheet[H_READ] == "" and sheet[H_ROW] == people[0]["name"]

    # typed in the workbook, the phone lands in that person's row
    book = load_workbook(out / WORKBOOK)
    ws = book["问题清单"]
    col = {cell.value: cell.column for cell in ws[1]}
    r = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, col[H_FIELD]).value == "phone")
    ws.cell(r, col[H_CORRECTION]).value = "0976-8822346"
    book.save(out / WORKBOOK)
    run_incremental(inbox, out, settle_s=0)
    phones = {p["name"]: p["phone"] for p in read_csv(out / "liaisons.csv")}
    assert phones[people[0]["name"]] == "0976-8822346"
