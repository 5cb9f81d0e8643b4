"""A killed run never locks out later runs (issue 18, item 9).

In a container whose PID 1 does not reap children, a run killed by SIGKILL stays a zombie: its pid still
answers `kill(pid, 0)`, and the lock file names it with a fresh heartbeat. The kernel dropped its `flock`
when it died, so on the same host the granted lock is the proof that it is gone.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.state.runlock import RunLock, RunLocked, pid_running
from tests.test_unattended import DOCX, PLAIN, _env, contract, intake, make_inbox, wait_for

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="zombies are read from /proc")

# A parent like a container's PID 1 without --init: it starts the command and never waits for it.
NON_REAPING_PARENT = """
import subprocess, sys, time
child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(child.pid, flush=True)
time.sleep(600)
"""


def _state(pid: int) -> str:
    stat = Path(f"/proc/{pid}/stat").read_text()
    return stat[stat.rfind(")") + 1 :].split()[0]


def _non_reaping_parent(command: list[str], tmp: Path) -> tuple[subprocess.Popen[str], int]:
    parent = subprocess.Popen(
        [sys.executable, "-c", NON_REAPING_PARENT, *command],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1], env=_env(tmp),
    )  # fmt: skip
    return parent, int(parent.stdout.readline())


def _stop(parent: subprocess.Popen[str]) -> None:
    parent.kill()
    parent.wait(10)
    parent.stdout.close()


def test_a_zombie_is_not_a_running_process(tmp_path: Path) -> None:
    parent, child = _non_reaping_parent(["sleep", "0"], tmp_path)
    try:
        wait_for(lambda: _state(child) == "Z", 10, "the child to exit unreaped")
        os.kill(child, 0)  # the trap: a zombie's pid still answers
        assert not pid_running(child)
        assert pid_running(os.getpid()) and pid_running(parent.pid)
    finally:
        _stop(parent)


def test_lock_file_naming_a_zombie_on_this_host_is_taken_over(tmp_path: Path) -> None:
    parent, child = _non_reaping_parent(["sleep", "0"], tmp_path)
    try:
        wait_for(lambda: _state(child) == "Z", 10, "the child to exit unreaped")
        out = tmp_path / "out"
        (out / "state").mkdir(parents=True)
        holder = {"pid": child, "host": socket.gethostname(), "started": "2026-01-01", "heartbeat": time.time()}
        (out / "state" / "run.lock").write_text(json.dumps(holder), encoding="utf-8")
        with RunLock(out):
            assert json.loads((out / "state" / "run.lock").read_text(encoding="utf-8"))["pid"] == os.getpid()
    finally:
        _stop(parent)


def test_a_live_holder_on_this_host_is_still_respected(tmp_path: Path) -> None:
    out = tmp_path / "out"
    holding = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from flows.state.runlock import RunLock;"
         " RunLock(__import__('pathlib').Path(sys.argv[1])).acquire(); print('held', flush=True); time.sleep(60)",
         str(out)],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[1],
    )  # fmt: skip
    try:
        assert holding.stdout.readline().strip() == "held"
        with pytest.raises(RunLocked) as busy:
            RunLock(out).acquire()
        assert str(holding.pid) in busy.value.message_zh
    finally:
        holding.kill()
        holding.wait(10)
        holding.stdout.close()
    with RunLock(out):  # killed: its lock is free at once
        pass


def test_run_killed_under_a_parent_that_never_reaps_does_not_lock_out_the_next_run(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, DOCX[:3]), tmp_path / "out"
    args = ["run", "--inbox", str(inbox), "--out", str(out), *PLAIN]
    # tests/kill_at.py: the command SIGKILLs itself after the first file is read, holding the lock
    parent, child = _non_reaping_parent([sys.executable, "-m", "tests.kill_at", "extracting", *args], tmp_path)
    try:
        wait_for(lambda: _state(child) == "Z", 120, "the run to be killed")
        assert json.loads((out / "state" / "run.lock").read_text(encoding="utf-8"))["pid"] == child
        for _ in range(2):  # the next run, and every one after it
            again = intake(args, tmp_path)
            assert again.returncode in (0, 3), again.stdout + again.stderr
            assert "另一个处理任务正在运行" not in again.stdout
        assert _state(child) == "Z", "the killed run was a zombie throughout"
    finally:
        _stop(parent)
    clean = tmp_path / "clean"
    assert intake(["run", "--inbox", str(inbox), "--out", str(clean), *PLAIN], tmp_path).returncode in (0, 3)
    assert contract(out) == contract(clean)


def test_pid_running_refuses_pids_no_process_can_have() -> None:
    assert not pid_running(0) and not pid_running(-1)
    assert pid_running(os.getpid())
