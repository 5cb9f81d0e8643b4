"""What one file may cost a worker (issue 18, items 3 and 8): a memory ceiling by default, CPU time rather than
wall time, and rows that say which limit of this computer a file reached.

The work functions below stand in for a parser that computes without end or allocates without bound; the scan
is a real OCR run under a ceiling it cannot fit in.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from flows.reading.isolation import IsolatedRunner
from flows.reading.limits import WALL_FACTOR, Limits
from flows.reading.pipeline import discover, process_file
from tests.bad_corpus import plan_docx
from tests.conftest import INBOX

pytestmark = pytest.mark.skipif(not hasattr(os, "sched_getaffinity"), reason="RLIMIT_DATA/RLIMIT_CPU: Linux")


def hungry(path: Path, inbox: Path, **kwargs) -> object:
    """Computes for ever ("spin"), allocates 2 GB ("hog"), or reads the file as the pipeline does."""
    if path.stem == "spin":
        while True:
            pass
    if path.stem == "hog":
        block = bytearray(2 << 30)  # noqa: F841 (never reached under the ceiling)
    return process_file(path, inbox, **kwargs)


def _inbox(tmp: Path, names: list[str]) -> Path:
    inbox = tmp / "inbox"
    inbox.mkdir()
    for name in names:
        (inbox / name).write_bytes(b"x")
    plan_docx(inbox / "good.docx", unit="西宁市科学技术协会")
    return inbox


def test_memory_ceiling_is_on_by_default_and_names_itself() -> None:
    assert Limits().max_worker_memory_mb == 1280
    assert Limits.from_env({"INTAKE_MAX_WORKER_MEMORY_MB": "0"}).max_worker_memory_mb == 0  # off, on purpose


def test_a_file_that_spins_costs_its_cpu_budget_and_says_it_was_a_time_limit(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, ["spin.docx"])
    started = time.perf_counter()
    with IsolatedRunner(1, Limits(seconds_per_file=2), work=hungry) as runner:
        got = {o.source_file: o for o in runner.process_all(discover(inbox), inbox)}
    seconds = time.perf_counter() - started
    (f,) = got["spin.docx"].file_findings
    assert f.code == "unreadable_file" and "2秒的计算时间上限" in f.message and "不说明文件有问题" in f.message
    assert got["spin.docx"].submission_id
    assert got["good.docx"].form_type == "activity_plan", "the same worker reads the next file"
    assert seconds < 2 * WALL_FACTOR + 10, "stopped by its CPU budget, before the wall-clock backstop"


def test_a_file_that_allocates_without_bound_meets_the_ceiling(tmp_path: Path) -> None:
    inbox = _inbox(tmp_path, ["hog.docx"])
    with IsolatedRunner(1, Limits(max_worker_memory_mb=1280), work=hungry) as runner:
        got = {o.source_file: o for o in runner.process_all(discover(inbox), inbox)}
    (f,) = got["hog.docx"].file_findings
    assert f.code == "unreadable_file" and "1280MB的上限" in f.message and "INTAKE_MAX_WORKER_MEMORY_MB" in f.message
    assert got["good.docx"].form_type == "activity_plan"


def test_ocr_refused_memory_by_the_ceiling_is_a_memory_limit_row_not_our_bug(tmp_path: Path) -> None:
    """onnxruntime fails with std::bad_alloc inside a traceback; staff must read "memory limit", not "bug"."""
    scan = INBOX / "scans" / "玉树州科协回执表.jpg"
    with IsolatedRunner(1, Limits(max_worker_memory_mb=500)) as runner:  # it reads under 1024, not under 768
        outcome = runner.process(scan, scan.parent)
    (f,) = outcome.file_findings
    assert f.code == "unreadable_file" and "500MB的上限" in f.message, (f.code, f.raw_value[-300:])
    # refused as std::bad_alloc, MemoryError or ENOMEM from a thread it could not start, by where it ran out
    refusals = ("bad_alloc", "MemoryError", "Insufficient memory", "pthread_create failed, error code: 12")
    assert any(words in f.raw_value for words in refusals), f.raw_value


def test_the_sample_scan_reads_under_the_default_ceiling() -> None:
    scan = INBOX / "scans" / "玉树州科协回执表.jpg"
    with IsolatedRunner(1, Limits()) as runner:
        outcome = runner.process(scan, scan.parent)
    assert outcome.form_type and not [f for f in outcome.file_findings if f.code == "unreadable_file"]
