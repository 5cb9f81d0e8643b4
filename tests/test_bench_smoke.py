"""bench/bench_all.py runs end to end at the tiniest sizes and prints its table with every row (no timing checks)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Every figure the issue asks for, by the start of its row.
ROWS = [
    "Word, 1 process",
    "worker pool cold start",
    "peak RSS, Word batch",
    "Word, library 2 workers",
    "Prefect server start-up",
    "Word, Prefect 2 workers",
    "re-run, nothing new",
    "`intake run`, new process",
    "`intake run --no-prefect`, re-run",
    "`intake run`, re-run",
    "text PDF, 1 process",
    "scans, 1 process",
    "scans, CPU seconds",
    "photo correction,",
    "seal ring reading,",
    "machine: 2 busy loops vs 1",
    "scans, 2 workers vs 1,",
    "scans, 2 workers vs 1 on both cores",
    "scans, cores busy",
    "peak RSS, scan workers",
    "OCR engine rapidocr",
    "batch of",
    "peak memory, batch of",
    "peak RSS, whole run",
]


def test_bench_all_prints_every_row() -> None:
    tiny = "--docx 2 --pdf-pages 1 --scan-pages 1 --quick --batch 3".split()
    done = subprocess.run(
        [sys.executable, "bench/bench_all.py", *tiny],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=420,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    out = done.stdout
    assert re.search(r"^machine: .+, \d+ cores, \d+ GiB RAM", out, re.M), out
    table = [line for line in out.splitlines() if " | " in line]
    assert table[0].startswith("measure"), out
    for name in ROWS:
        row = next((line for line in table if line.startswith(name)), None)
        assert row is not None, f"no row {name!r} in:\n{out}"
        value = row.split(" | ")[1]
        assert re.search(r"\d", value), f"row {name!r} has no figure: {row}"
    others = [line for line in table if line.startswith("OCR engine ") and not line.startswith("OCR engine rapidocr")]
    assert len(table) == len(ROWS) + 1 + len(others), out  # other OCR engines: a row each where installed
