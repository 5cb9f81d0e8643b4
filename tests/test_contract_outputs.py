"""The written files pass the shared contract checker and keep the contract's promises."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from flows.outcome import FileOutcome
from flows.safe_files import atomic_write_csv, neutralise
from flows.tables.writer import write_outputs
from schemas.findings import finding
from tests.conftest import CHECK_CONTRACT, INBOX, discover


def _check(outdir: Path) -> str:
    if not CHECK_CONTRACT.exists():
        pytest.skip(f"contract checker not found at {CHECK_CONTRACT}")
    done = subprocess.run([sys.executable, str(CHECK_CONTRACT), str(outdir)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout
    return done.stdout


def test_sample_outputs_pass_contract_checker(sample_outcomes, tmp_path: Path) -> None:
    write_outputs(tmp_path, list(sample_outcomes.values()))
    assert "contract ok" in _check(tmp_path)


def test_every_inbox_file_is_accounted_for(sample_outcomes, sample_tables) -> None:
    """Each file yields rows in a cleaned table or at least one exception row: nothing dropped silently."""
    with_rows = {r["source_file"] for name in ("plans.csv", "liaisons.csv", "reports.csv") for r in sample_tables[name]}
    with_exceptions = {r["source_file"] for r in sample_tables["exceptions.csv"]}
    for path in discover(INBOX):
        rel = path.relative_to(INBOX).as_posix()
        assert rel in with_rows or rel in with_exceptions, rel


def test_needs_review_iff_error(sample_tables) -> None:
    # an error a Word file and its stamped copy share is one row, on the Word file, naming the copy in also_in
    rows = [r for r in sample_tables["exceptions.csv"] if r["severity"] == "error"]
    errors = {r["source_file"] for r in rows} | {f for r in rows for f in r["also_in"].split(";") if f}
    for plan in sample_tables["plans.csv"]:
        assert (plan["status"] == "needs_review") == (plan["source_file"] in errors), plan["source_file"]


def test_formula_injection_is_neutralised_but_readable(tmp_path: Path) -> None:
    for value in ('=HYPERLINK("http://x","y")', "+1", "-2", "@SUM(A1)", "\tx", "\rx"):
        assert neutralise(value) == "'" + value
    assert neutralise("海西州科协") == "海西州科协"
    outcome = FileOutcome("a.docx", "0123456789abcdef", form_type="activity_plan")
    outcome.file_findings.append(finding("unknown_form", "error", raw="=cmd|' /C calc'!A0"))
    write_outputs(tmp_path, [outcome])
    _check(tmp_path)
    with open(tmp_path / "exceptions.csv", encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["raw_value"] == "'=cmd|' /C calc'!A0"  # the analyst still sees the text, Excel won't run it


def test_csv_is_utf8_bom_and_atomic(tmp_path: Path) -> None:
    target = tmp_path / "x.csv"
    atomic_write_csv(target, ["a", "b"], [{"a": "海西", "b": "1"}])
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert not list(tmp_path.glob(".x.csv.*")), "temp file left behind"
    assert target.stat().st_mode & 0o044, "colleagues cannot read the output"
