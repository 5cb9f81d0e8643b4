"""Shared fixtures: one library run over the committed samples, reused by every test that checks it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flows.outcome import FileOutcome
from flows.reading.pipeline import discover, process_file
from flows.tables.writer import build_tables

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
INBOX = SAMPLES / "inbox"
TRUTH = SAMPLES / "truth"
CHECK_CONTRACT = ROOT / "tests" / "contract" / "check_contract.py"


def truth_name(rel: str) -> str:
    return rel.replace("/", "__") + ".json"


def load_truths() -> dict[str, dict]:
    return {
        json.loads(p.read_text(encoding="utf-8"))["file"]: json.loads(p.read_text(encoding="utf-8"))
        for p in sorted(TRUTH.glob("*.json"))
    }


@pytest.fixture(scope="session")
def sample_outcomes() -> dict[str, FileOutcome]:
    outcomes = [process_file(p, INBOX) for p in discover(INBOX)]
    return {o.source_file: o for o in outcomes}


@pytest.fixture(scope="session")
def sample_tables(sample_outcomes) -> dict[str, list[dict[str, str]]]:
    tables, _ = build_tables(list(sample_outcomes.values()))
    return tables
