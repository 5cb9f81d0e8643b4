"""The ledger makes re-runs cheap without losing anything: what a scheduled run over the shared inbox relies on.

Library level (no Prefect, no subprocess): each run is `run_incremental` with a processor that records
which files it was asked to read, so "did no extraction" is observed, not inferred from timing.
"""

from __future__ import annotations

import csv
import dataclasses
import os
import shutil
import sqlite3
import time
from pathlib import Path

from flows.outcome import FileOutcome
from flows.reading.pipeline import discover, process_file
from flows.state.incremental import RunReport, run_incremental, serial
from flows.state.ledger import LEDGER_FILE, outcome_from_json, outcome_to_json
from flows.tables.writer import write_outputs
from samples.generator import render, spec_by_file
from samples.generator.model import Written
from tests.conftest import INBOX

CONTRACT = ("plans.csv", "activities.csv", "liaisons.csv", "reports.csv", "exceptions.csv")
PLAN = "海东市科协活动筹备方案.docx"
FILES = (
    PLAN,
    "海西州科协-特色亮点活动筹备方案.docx",
    "附件2 联络员回执表（青海大学）.docx",
    "海西州科协-活动总结报告.docx",
)


class Recorder:
    """A processor that reads files like a normal run and remembers which ones it read."""

    def __init__(self) -> None:
        self.read: list[str] = []

    def __call__(self, paths: list[Path], inbox: Path, corrections=None, crops_root=None) -> list[FileOutcome]:  # noqa: ANN001
        self.read += [p.relative_to(inbox).as_posix() for p in paths]
        return serial()(paths, inbox, corrections, crops_root)


def make_inbox(root: Path, names=FILES) -> Path:
    inbox = root / "inbox"
    inbox.mkdir(exist_ok=True)
    for name in names:
        shutil.copy2(INBOX / name, inbox / name)
    return inbox


def run(inbox: Path, out: Path, **kw) -> tuple[RunReport, list[str]]:
    recorder = Recorder()
    report = run_incremental(inbox, out, settle_s=0, process=recorder, **kw)
    return report, recorder.read


def rows(out: Path, name: str) -> list[dict[str, str]]:
    with open(out / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def contract_bytes(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in CONTRACT}


def revised_plan(name: str = PLAN, **changes) -> bytes:
    """The same unit's plan rendered again with some fields changed: a real, different Word file."""
    spec = spec_by_file(name)
    return render(dataclasses.replace(spec, plan=dataclasses.replace(spec.plan, **changes)), {})


def test_second_run_without_new_files_extracts_nothing_and_writes_the_same_tables(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path), tmp_path / "out"
    first, read = run(inbox, out)
    assert sorted(read) == sorted(FILES) and first.new == len(FILES)
    before = contract_bytes(out)
    second, read = run(inbox, out)
    assert read == [], "a re-run with nothing new must not open any file"
    assert (second.new, second.changed, second.unchanged, second.extracted) == (0, 0, len(FILES), 0)
    assert contract_bytes(out) == before, "the cumulative tables are rewritten, identical"
    assert {r["source_file"] for r in rows(out, "plans.csv")} == {FILES[0], FILES[1]}


def test_incremental_tables_equal_a_full_read(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path), tmp_path / "out"
    run(inbox, out)
    shutil.copy2(INBOX / "省林学会-联络员回执.docx", inbox / "省林学会-联络员回执.docx")
    run(inbox, out)  # one file added later: the tables must be what reading everything at once gives
    clean = tmp_path / "clean"
    write_outputs(clean, [process_file(p, inbox) for p in discover(inbox)])
    assert contract_bytes(out) == contract_bytes(clean)


def test_changed_file_is_reread_and_a_touched_one_is_not(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path), tmp_path / "out"
    run(inbox, out)
    old_id = next(r["submission_id"] for r in rows(out, "plans.csv") if r["source_file"] == PLAN)
    (inbox / PLAN).write_bytes(revised_plan(location="海东市乐都区"))  # same name, new content
    report, read = run(inbox, out)
    assert read == [PLAN] and report.changed == 1
    plan = next(r for r in rows(out, "plans.csv") if r["source_file"] == PLAN)
    assert plan["location"] == "海东市乐都区" and plan["submission_id"] != old_id
    assert len([r for r in rows(out, "plans.csv") if r["source_file"] == PLAN]) == 1, "old version not doubled"

    later = time.time() + 5
    os.utime(inbox / FILES[1], (later, later))  # copied again with a new mtime, same bytes
    report, read = run(inbox, out)
    assert read == [] and report.unchanged == len(FILES)


def test_new_reader_version_or_extra_key_rereads(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, FILES[:2]), tmp_path / "out"
    run(inbox, out)
    _, read = run(inbox, out, min_confidence=0.9)  # a setting the outcome depends on
    assert sorted(read) == sorted(FILES[:2])
    _, read = run(inbox, out, min_confidence=0.9, extra_key_fn=lambda rel, sha: "fix-1" if rel == PLAN else "")
    assert read == [PLAN], "only the file whose corrections changed is read again"
    _, read = run(inbox, out, min_confidence=0.9, extra_key_fn=lambda rel, sha: "fix-1" if rel == PLAN else "")
    assert read == []
    _, read = run(inbox, out, min_confidence=0.9, full=True)
    assert sorted(read) == sorted(FILES[:2]), "--full reads everything again"


def test_removed_file_is_reported_and_kept_in_the_ledger(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path), tmp_path / "out"
    run(inbox, out)
    (inbox / FILES[1]).unlink()
    report, read = run(inbox, out)
    assert read == [] and report.removed == [FILES[1]]
    assert FILES[1] in report.one_line()
    assert FILES[1] not in {r["source_file"] for r in rows(out, "plans.csv")}
    with sqlite3.connect(out / LEDGER_FILE) as db:
        removed = db.execute("SELECT removed_at FROM files WHERE path=?", (FILES[1],)).fetchone()
    assert removed and removed[0], "history keeps the file, stamped with when it went"
    report, _ = run(inbox, out)
    assert report.removed == [], "reported once, when noticed"


def test_an_inbox_that_suddenly_lists_nothing_keeps_the_last_results(tmp_path: Path) -> None:
    """A share that is not mounted often shows as an empty folder: that must not wipe the tables."""
    inbox, out = make_inbox(tmp_path, FILES[:2]), tmp_path / "out"
    run(inbox, out)
    tables = contract_bytes(out)
    hidden = tmp_path / "elsewhere"
    inbox.rename(hidden)
    inbox.mkdir()
    report, read = run(inbox, out)
    assert report.inbox_looked_empty and report.removed == [] and "共享盘可能未连接" in report.one_line()
    assert contract_bytes(out) == tables
    inbox.rmdir()
    hidden.rename(inbox)
    report, read = run(inbox, out)
    assert read == [] and report.unchanged == 2


def test_renamed_file_and_identical_copy_reuse_the_stored_outcome(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path), tmp_path / "out"
    run(inbox, out)
    (inbox / PLAN).rename(inbox / "海东-方案-改名.docx")
    shutil.copy2(inbox / FILES[1], inbox / "海西州方案（副本）.docx")
    report, read = run(inbox, out)
    assert read == [] and report.reused == 2 and report.removed == [PLAN]
    plans = {r["source_file"] for r in rows(out, "plans.csv")}
    assert "海东-方案-改名.docx" in plans and "海西州方案（副本）.docx" not in plans, "the copy is counted once"
    dup = [r for r in rows(out, "exceptions.csv") if r["source_file"] == "海西州方案（副本）.docx"]
    assert [r["code"] for r in dup] == ["duplicate_submission"]


def test_newer_version_from_the_same_unit_supersedes_the_older(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, (PLAN,)), tmp_path / "out"
    run(inbox, out)
    (inbox / "海东市科协活动筹备方案（修改稿）.docx").write_bytes(
        revised_plan(location="海东市乐都区", submitted=Written("2021年5月9日", "2021-05-09"))
    )
    report, read = run(inbox, out)
    assert read == ["海东市科协活动筹备方案（修改稿）.docx"]
    plans = {r["source_file"]: r for r in rows(out, "plans.csv")}
    old, new = plans[PLAN], plans["海东市科协活动筹备方案（修改稿）.docx"]
    assert old["superseded_by"] == new["submission_id"] and old["counted"] == "false"
    assert new["superseded_by"] == "" and new["counted"] == "true"
    assert report.summary.superseded == 1 and report.summary.by_form == {"activity_plan": 1}
    old_problems = [r for r in rows(out, "exceptions.csv") if r["source_file"] == PLAN]
    assert old_problems and all(r["superseded_by"] == new["submission_id"] for r in old_problems)

    # a third version dated 5月8日 again, arriving last: 报送时间 decides, so the 5月9日 version still wins
    (inbox / "海东市科协活动筹备方案（第三稿）.docx").write_bytes(revised_plan(location="海东市互助县"))
    run(inbox, out)
    plans = {r["source_file"]: r for r in rows(out, "plans.csv")}
    assert [name for name, r in plans.items() if r["counted"] == "true"] == ["海东市科协活动筹备方案（修改稿）.docx"]
    assert {r["superseded_by"] for name, r in plans.items() if r["counted"] == "false"} == {new["submission_id"]}


def test_same_submission_date_the_file_that_arrived_later_wins(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, (PLAN,)), tmp_path / "out"
    (inbox / "海东-修改.docx").write_bytes(revised_plan(location="海东市互助县"))  # 报送时间 unchanged
    now = time.time()
    os.utime(inbox / PLAN, (now - 3600, now - 3600))
    os.utime(inbox / "海东-修改.docx", (now - 60, now - 60))
    run(inbox, out)
    plans = {r["source_file"]: r for r in rows(out, "plans.csv")}
    assert plans[PLAN]["superseded_by"] == plans["海东-修改.docx"]["submission_id"]
    assert plans["海东-修改.docx"]["counted"] == "true"


def test_word_and_stamped_pdf_are_one_submission_and_differences_are_flagged(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, ()), tmp_path / "out"
    (inbox / "pdf").mkdir()
    shutil.copy2(INBOX / "pdf" / "海东市科协活动筹备方案.pdf", inbox / "pdf" / "海东市科协活动筹备方案.pdf")
    (inbox / PLAN).write_bytes(revised_plan(location="海东市乐都区"))  # the Word version says another place
    report, _ = run(inbox, out)
    plans = {r["source_file"]: r for r in rows(out, "plans.csv")}
    word, pdf = plans[PLAN], plans["pdf/海东市科协活动筹备方案.pdf"]
    assert word["paired_with"] == pdf["submission_id"] and pdf["paired_with"] == word["submission_id"]
    assert (word["counted"], pdf["counted"]) == ("true", "false")
    assert word["superseded_by"] == pdf["superseded_by"] == ""
    assert report.summary.by_form == {"activity_plan": 1} and report.summary.paired == 1
    flagged = [r for r in rows(out, "exceptions.csv") if r["code"] == "duplicate_submission"]
    assert [(r["source_file"], r["field"], r["severity"]) for r in flagged] == [
        ("pdf/海东市科协活动筹备方案.pdf", "location", "warning")
    ]
    assert flagged[0]["raw_value"] == "海东市各区县" and flagged[0]["suggestion"] == "海东市乐都区"
    assert "拟举办地点" in flagged[0]["message"]


def test_outcome_survives_the_ledger_round_trip(sample_outcomes) -> None:
    for outcome in sample_outcomes.values():
        again = outcome_from_json(outcome_to_json(outcome))
        assert again == outcome, outcome.source_file


def test_archive_moves_processed_files_and_the_ledger_follows(tmp_path: Path) -> None:
    inbox, out, archive = make_inbox(tmp_path), tmp_path / "out", tmp_path / "archive"
    before = {name: (inbox / name).read_bytes() for name in FILES}
    report, _ = run(inbox, out, archive_to=archive)
    assert report.archived == len(FILES) and discover(inbox) == []
    moved = {p.name: p.read_bytes() for p in archive.rglob("*.docx")}
    assert moved == before, "archived byte for byte, nothing lost"
    tables = contract_bytes(out)
    report, read = run(inbox, out, archive_to=archive)
    assert read == [] and report.removed == [] and contract_bytes(out) == tables, "archived rows stay"
    with sqlite3.connect(out / LEDGER_FILE) as db:
        paths = [row[0] for row in db.execute("SELECT archived_path FROM files")]
    assert all(p and Path(p).exists() for p in paths)


def test_file_that_could_not_be_hashed_is_tried_again(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, FILES[:1]), tmp_path / "out"
    (inbox / "empty.docx").write_bytes(b"")  # refused before reading: no hash to trust
    run(inbox, out)
    _, read = run(inbox, out)
    assert read == ["empty.docx"]
