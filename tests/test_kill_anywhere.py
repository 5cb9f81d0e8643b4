"""SIGKILL of the whole process group at random moments, under a parent that never reaps (issue 18, item 9).

Like a plain `docker run` without `--init`: a parent process starts each `intake run` in its own session and
never waits for it, so a killed run stays a zombie whose pid the lock file names. Each kill, at a seeded
random moment between start-up and the end of a run, takes the command, its fork server and its workers
together; the next run must complete, and its tables must equal a clean run's. Kills alternate between a
run from an empty output folder and a `--full` re-run over a finished one, so every kill interrupts real work.

INTAKE_TEST_KILLS sets how many kills (default 20 without Prefect; with Prefect 2, as each Prefect run
starts a temporary server: INTAKE_TEST_PREFECT_KILLS raises it).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_unattended import DOCX, _env, contract, make_inbox

pytestmark = pytest.mark.skipif(not hasattr(os, "killpg"), reason="process groups: POSIX")

ROOT = Path(__file__).resolve().parents[1]
INTAKE = [sys.executable, "-m", "flows.cli", "run"]
# Starts each command it reads (a JSON list per line) in a new session, prints its pid, never waits for any.
NON_REAPING_PARENT = """
import json, subprocess, sys
for line in sys.stdin:
    child = subprocess.Popen(json.loads(line), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             start_new_session=True)
    print(child.pid, flush=True)
"""


class Launcher:
    """The non-reaping parent, kept for the whole test."""

    def __init__(self, env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", NON_REAPING_PARENT], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            text=True, cwd=ROOT, env=env,
        )  # fmt: skip

    def start(self, command: list[str]) -> int:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        return int(self.proc.stdout.readline())

    def close(self) -> None:
        self.proc.kill()
        self.proc.wait(10)


def _state(pid: int) -> str:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return "gone"
    return stat[stat.rfind(")") + 1 :].split()[0]


def _kill_group_at(launcher: Launcher, command: list[str], after_s: float) -> str:
    """Start the command, SIGKILL its process group after `after_s`; what it had reached ("killed"/"done")."""
    pid = launcher.start(command)
    deadline = time.monotonic() + after_s
    while time.monotonic() < deadline and _state(pid) not in ("Z", "gone"):
        time.sleep(0.02)
    finished = _state(pid) in ("Z", "gone")
    try:
        os.killpg(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return "done" if finished else "killed"


def _kills(tmp_path: Path, prefect: bool, default: int, variable: str) -> None:
    kills = int(os.environ.get(variable, default))
    inbox = make_inbox(tmp_path, DOCX[:4])
    env = _env(tmp_path)

    def intake(out: Path, *extra: str, workers: str = "2") -> list[str]:
        plain = [] if prefect else ["--no-prefect", "--workers", workers]
        return [*INTAKE, "--inbox", str(inbox), "--out", str(out), "--settle", "0", *plain, *extra]

    def run(out: Path, workers: str = "2") -> subprocess.CompletedProcess[str]:
        command = intake(out, workers=workers)
        return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=env, timeout=600)

    clean = tmp_path / "clean"
    started = time.monotonic()
    assert run(clean).returncode in (0, 3)
    span = time.monotonic() - started  # a kill falls anywhere from start-up to the end of a whole run
    rnd = random.Random(18)
    out = tmp_path / "out"
    launcher = Launcher(env)
    reached = []
    try:
        for i in range(kills):
            fresh = i % 2 == 0
            if fresh:
                shutil.rmtree(out, ignore_errors=True)
            killed = intake(out) if fresh else intake(out, "--full")
            reached.append(_kill_group_at(launcher, killed, rnd.uniform(0.1, span)))
            again = run(out, workers="0")  # in-process: no fork server to start, a shorter test
            assert again.returncode in (0, 3), (i, again.stdout + again.stderr)
            assert contract(out) == contract(clean), f"kill {i}: the tables differ from a clean run's"
            assert not list(out.glob(".*.tmp")), f"kill {i}: temp files left"
    finally:
        launcher.close()
    print(f"\n{kills} SIGKILLs of the process group ({'Prefect' if prefect else '--no-prefect'}, run span "
          f"{span:.1f}s): {reached.count('killed')} mid-run, {reached.count('done')} after the run ended; "
          f"each followed by a run that completed with a clean run's tables")  # fmt: skip


def test_sigkill_at_random_moments_without_prefect(tmp_path: Path) -> None:
    _kills(tmp_path, prefect=False, default=20, variable="INTAKE_TEST_KILLS")


def test_sigkill_at_random_moments_with_prefect(tmp_path: Path) -> None:
    _kills(tmp_path, prefect=True, default=2, variable="INTAKE_TEST_PREFECT_KILLS")
