"""A missing program is this computer's problem: the committed .doc/.wps samples run where LibreOffice is
"not installed" (INTAKE_SOFFICE names no program) get `tool_missing` naming LibreOffice, the console says it
once, and a plain re-run (no --full) reads them once LibreOffice is back."""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from extractors import legacy
from tests.conftest import INBOX, ROOT

LEGACY = sorted(p.relative_to(INBOX).as_posix() for p in (INBOX / "legacy").iterdir())
WORD = "回执表-蓝科锂业.docx"  # a file every run can read, to show it is not read twice


def intake(inbox: Path, out: Path, **env: str) -> subprocess.CompletedProcess:
    args = ["run", "--inbox", str(inbox), "--out", str(out), "--no-prefect", "--settle", "0"]
    inherited = {k: v for k, v in os.environ.items() if k != legacy.SOFFICE_ENV}  # the test decides about LibreOffice
    environ = {**inherited, "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(
        [sys.executable, "-m", "flows.cli", *args], cwd=out.parent, env=environ, text=True, capture_output=True,
        timeout=600,
    )  # fmt: skip


def rows(out: Path, name: str) -> list[dict[str, str]]:
    with open(out / name, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.skipif(not legacy.is_available(), reason="LibreOffice (soffice) is not installed")
def test_legacy_samples_wait_for_libreoffice_and_are_read_once_it_is_there(tmp_path: Path) -> None:
    assert len(LEGACY) == 2
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    for rel in [*LEGACY, WORD]:
        (inbox / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(INBOX / rel, inbox / rel)
    missing = {legacy.SOFFICE_ENV: str(tmp_path / "not-installed" / "soffice")}

    first = intake(inbox, out, **missing)
    assert first.returncode == 3, first.stdout + first.stderr
    waiting = [r for r in rows(out, "exceptions.csv") if r["code"] == "tool_missing"]
    assert sorted(r["source_file"] for r in waiting) == LEGACY
    assert all("LibreOffice" in r["message"] and r["severity"] == "error" for r in waiting), waiting
    assert first.stdout.count("缺少程序") == 1 and "LibreOffice" in first.stdout, first.stdout  # once, not per file

    second = intake(inbox, out, **missing)  # still missing: tried again, still waiting, the Word file untouched
    assert "上次缺少程序、本次重新读取 2 个" in second.stdout and "未变 1 个" in second.stdout, second.stdout
    assert sorted(r["source_file"] for r in rows(out, "exceptions.csv") if r["code"] == "tool_missing") == LEGACY

    third = intake(inbox, out)  # LibreOffice "installed": a plain run, no --full
    assert third.returncode in (0, 3), third.stdout + third.stderr
    assert "上次缺少程序、本次重新读取 2 个" in third.stdout and "缺少程序，" not in third.stdout, third.stdout
    assert not [r for r in rows(out, "exceptions.csv") if r["code"] == "tool_missing"]
    read = {r["source_file"] for name in ("plans.csv", "liaisons.csv") for r in rows(out, name)}
    assert set(LEGACY) <= read, read
