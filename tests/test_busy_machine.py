"""The same inbox gives the same outputs on a quiet and on a busy machine (issue 18, item 3).

A file's limits are CPU seconds and a "quiet clock" (wall time less the time spent waiting for a CPU), so a
busy loop beside the run slows it down without changing any outcome. The inbox holds a scan whose OCR takes
several CPU seconds: with a wall-clock limit of INTAKE_SECONDS_PER_FILE it would time out beside the hogs.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.reading.budget import QuietClockWatch, cpu_seconds_used
from tests.conftest import INBOX
from tests.test_unattended import CONTRACT, _env, contract

pytestmark = pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="schedstat is read from /proc")

HOG = [sys.executable, "-c", "while True: pass"]
FILES = ["海东市科协联络员回执表.docx", "pdf/海东市科协活动筹备方案.pdf", "scans/玉树州科协回执表.jpg"]


def _hogs(count: int, cpu: int | None = None) -> list[subprocess.Popen]:
    hogs = [subprocess.Popen(HOG) for _ in range(count)]
    if cpu is not None:
        for hog in hogs:
            os.sched_setaffinity(hog.pid, {cpu})
    return hogs


def _stop(hogs: list[subprocess.Popen]) -> None:
    for hog in hogs:
        hog.kill()
        hog.wait(10)


def test_the_quiet_clock_leaves_out_time_spent_waiting_for_a_cpu() -> None:
    cpu = min(os.sched_getaffinity(0))
    mine = os.sched_getaffinity(0)
    hogs = _hogs(1, cpu)
    watch = QuietClockWatch()  # not started: the test reads it, nothing is signalled
    try:
        os.sched_setaffinity(0, {cpu})  # this thread and the hog share one CPU
        ran_before = cpu_seconds_used()
        watch.begin(limit_s=60)
        started = time.monotonic()
        while time.monotonic() - started < 3:
            pass
        quiet, ran = watch.quiet_seconds(), cpu_seconds_used() - ran_before
    finally:
        os.sched_setaffinity(0, mine)
        _stop(hogs)
    print(f"\nspinning 3.0 s beside a hog on one CPU: quiet clock {quiet:.2f} s, CPU time {ran:.2f} s")
    assert quiet < 3 - 0.8, "the hog's share of the CPU is left out"
    assert quiet > ran * 0.8, "the time this process ran is counted"


def test_same_outputs_with_busy_loops_beside_the_run(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in FILES:
        shutil.copy2(INBOX / name, inbox / Path(name).name)
    seconds = "15"  # CPU seconds per file; the scan needs about 6 on the development VM

    def run(out: Path) -> tuple[float, str]:
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--out", str(out),
             "--no-prefect", "--workers", "2", "--settle", "0"],
            capture_output=True, text=True, env=_env(tmp_path, INTAKE_SECONDS_PER_FILE=seconds), timeout=600,
        )  # fmt: skip
        assert done.returncode in (0, 3), done.stdout + done.stderr
        return time.perf_counter() - started, done.stdout

    quiet_s, _ = run(tmp_path / "quiet")
    hogs = _hogs(2 * (os.cpu_count() or 1))  # two busy loops per core
    try:
        busy_s, _ = run(tmp_path / "busy")
    finally:
        _stop(hogs)
    print(f"\nsame inbox: quiet {quiet_s:.1f} s, beside {len(hogs)} busy loops {busy_s:.1f} s (limit {seconds} CPU s)")
    exceptions = (tmp_path / "busy" / "exceptions.csv").read_text(encoding="utf-8-sig")
    assert "处理超时" not in exceptions and "计算时间上限" not in exceptions
    assert contract(tmp_path / "busy") == contract(tmp_path / "quiet"), CONTRACT
