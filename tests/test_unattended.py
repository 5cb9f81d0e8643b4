"""Unattended on the shared drive: files still being copied, two runs at once, a run killed mid-way, a schedule
served by Prefect, and per-file tasks on a Dask cluster.

Runs go through the real command line in a subprocess (`python -m flows.cli`), as a scheduler would start
them; `--no-prefect --workers 0` wherever Prefect is not what is tested, to keep the suite short. Crashes
are real SIGKILLs: tests/kill_at.py runs the command with a named step patched to kill it, and one test kills
at an arbitrary moment from outside.
"""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from flows.options import RunOptions
from flows.state.ledger import LEDGER_FILE
from flows.state.runlock import RunLock, RunLocked
from flows.state.stability import settle
from flows.watch import watch
from tests.conftest import INBOX, ROOT

INTAKE = [sys.executable, "-m", "flows.cli"]
CONTRACT = ("plans.csv", "activities.csv", "liaisons.csv", "reports.csv", "exceptions.csv")
DOCX = sorted(p.name for p in INBOX.glob("*.docx") if "upload_interrupted" not in p.name)
PLAIN = ["--no-prefect", "--workers", "0", "--settle", "0"]


def _env(tmp: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(tmp / ".prefect-home"), **extra}


def intake(args: list[str], tmp: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(INTAKE + args, capture_output=True, text=True, cwd=ROOT, env=_env(tmp, **env), timeout=300)


def intake_killed_at(step: str, args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    """The command, SIGKILLed at `step` (tests/kill_at.py)."""
    command = [sys.executable, "-m", "tests.kill_at", step, *args]
    return subprocess.run(command, capture_output=True, text=True, cwd=ROOT, env=_env(tmp), timeout=300)


def start(args: list[str], tmp: Path, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        INTAKE + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=_env(tmp, **env)
    )


def make_inbox(root: Path, names: list[str]) -> Path:
    inbox = root / "inbox"
    inbox.mkdir(exist_ok=True)
    for name in names:
        shutil.copy2(INBOX / name, inbox / name)
    return inbox


def contract(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in CONTRACT}


def sources(out: Path, name: str = "plans.csv") -> list[str]:
    with open(out / name, encoding="utf-8-sig", newline="") as fh:
        return [row["source_file"] for row in csv.DictReader(fh)]


def ledger_runs(out: Path) -> list[tuple]:
    with sqlite3.connect(out / LEDGER_FILE) as db:
        try:
            return db.execute("SELECT started, finished, extracted FROM runs ORDER BY id").fetchall()
        except sqlite3.OperationalError:  # the run has created the file but not yet its tables
            return []


def wait_for(condition, timeout: float, what: str, poll: float = 0.2) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(poll)


# ------------------------------------------------------------------ files still being copied


def test_one_shot_run_skips_a_file_that_is_still_growing(tmp_path: Path) -> None:
    steady, growing = tmp_path / "steady.docx", tmp_path / "growing.docx"
    steady.write_bytes(b"x" * 10)
    growing.write_bytes(b"y" * 10)

    def keep_writing() -> None:
        for _ in range(6):
            time.sleep(0.15)
            with open(growing, "ab") as fh:
                fh.write(b"more")

    writer = threading.Thread(target=keep_writing)
    writer.start()
    stable, pending = settle([steady, growing], settle_s=0.6)
    writer.join()
    assert list(stable) == [steady] and pending == [growing]


def test_watch_skips_a_file_being_copied_then_picks_it_up(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, DOCX[:1]), tmp_path / "out"
    opts = RunOptions(inbox, out, prefect=False, workers=0)
    reports, stop = [], threading.Event()
    watcher = threading.Thread(target=watch, args=(opts, 0.4), kwargs={"stop": stop, "on_report": reports.append})
    watcher.start()
    try:
        wait_for(lambda: len(reports) == 1, 30, "the first file to be processed")
        name = "海东市科协活动筹备方案.docx"
        data = (INBOX / name).read_bytes()
        with open(inbox / name, "wb") as fh:  # a slow copy over the network: 10 pieces, 0.25 s apart
            for i in range(10):
                fh.write(data[i * len(data) // 10 : (i + 1) * len(data) // 10])
                fh.flush()
                time.sleep(0.25)
                assert len(reports) == 1, "a run started while the file was still being copied"
        wait_for(lambda: len(reports) == 2, 30, "the copied file to be picked up")
    finally:
        stop.set()
        watcher.join(30)
    assert (reports[1].new, reports[1].extracted, reports[1].unchanged) == (1, 1, 1)
    assert name in sources(out), "read whole, after the copy finished"
    with open(out / "exceptions.csv", encoding="utf-8-sig") as fh:
        assert "unreadable_file" not in fh.read()


def test_watch_command_runs_once_files_are_in_and_stops_on_sigterm(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, DOCX[:1]), tmp_path / "out"
    watcher = start(["watch", "--inbox", str(inbox), "--out", str(out), "--interval", "0.5", *PLAIN[:3]], tmp_path)
    try:
        wait_for(lambda: (out / LEDGER_FILE).exists() and ledger_runs(out), 60, "the first watched run")
        time.sleep(1.5)  # more polls with nothing new: no more runs
    finally:
        watcher.send_signal(signal.SIGTERM)
        console, _ = watcher.communicate(timeout=60)
    assert watcher.returncode == 128 + signal.SIGTERM, console
    assert len(ledger_runs(out)) == 1, "a poll with nothing new must not run"
    assert "新文件 1 个" in console and "已停止监视" in console


# ------------------------------------------------------------------ one run at a time


def test_second_run_exits_with_a_clear_message_or_waits(tmp_path: Path) -> None:
    inbox, out = make_inbox(tmp_path, DOCX[:2]), tmp_path / "out"
    with RunLock(out):
        busy = intake(["run", "--inbox", str(inbox), "--out", str(out), *PLAIN], tmp_path)
    assert busy.returncode == 2, busy.stdout + busy.stderr
    assert "另一个处理任务正在运行" in busy.stdout and "--wait" in busy.stdout
    assert not (out / "plans.csv").exists()

    lock = RunLock(out)
    lock.acquire()
    waiting = start(["run", "--inbox", str(inbox), "--out", str(out), *PLAIN, "--wait"], tmp_path)
    try:
        time.sleep(3)
        assert waiting.poll() is None, "it should be waiting for the lock"
    finally:
        lock.release()
    console, _ = waiting.communicate(timeout=120)
    assert waiting.returncode in (0, 3), console
    assert "正在等待" in console and sorted(sources(out)) == sorted(DOCX[:2])


def test_lock_file_naming_a_live_run_on_another_machine_is_respected(tmp_path: Path) -> None:
    """On an SMB share the OS lock may not reach other PCs: the holder written in the file still counts."""
    out = tmp_path / "out"
    (out / "state").mkdir(parents=True)
    lock_file = out / "state" / "run.lock"
    holder = {"pid": 4242, "host": "办公室-PC2", "started": "2021-05-10T09:00:00", "heartbeat": time.time()}
    lock_file.write_text(json.dumps(holder, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(RunLocked) as busy:
        RunLock(out).acquire()
    assert "办公室-PC2" in busy.value.message_zh and "4242" in busy.value.message_zh
    holder["heartbeat"] = time.time() - 600  # that PC died ten minutes ago: its lock is taken over
    lock_file.write_text(json.dumps(holder, ensure_ascii=False), encoding="utf-8")
    with RunLock(out):
        assert json.loads(lock_file.read_text(encoding="utf-8"))["pid"] == os.getpid()
    assert lock_file.read_text(encoding="utf-8") == "", "released: the file no longer names a holder"


def test_two_concurrent_runs_do_not_interleave(tmp_path: Path) -> None:
    names = DOCX[:6]
    inbox, out = make_inbox(tmp_path, names), tmp_path / "out"
    args = ["run", "--inbox", str(inbox), "--out", str(out), *PLAIN, "--wait"]
    first, second = start(args, tmp_path), start(args, tmp_path)
    outputs = [first.communicate(timeout=180)[0], second.communicate(timeout=180)[0]]
    assert first.returncode in (0, 3) and second.returncode in (0, 3), outputs
    runs = ledger_runs(out)
    assert len(runs) == 2
    assert runs[0][1] <= runs[1][0], f"the runs overlapped: {runs}"
    assert runs[0][2] > 0, "the first run read the files"
    clean = tmp_path / "clean"
    assert intake(["run", "--inbox", str(inbox), "--out", str(clean), *PLAIN], tmp_path).returncode in (0, 3)
    assert contract(out) == contract(clean), "nothing doubled or lost"


# ------------------------------------------------------------------ SIGKILL


@pytest.fixture(scope="module")
def crash_case(tmp_path_factory) -> tuple[Path, Path]:
    """An inbox whose first run is done, then changed (files added, one replaced); and its clean outputs."""
    root = tmp_path_factory.mktemp("crash")
    inbox = make_inbox(root, DOCX[:3])
    base = root / "base"
    assert intake(["run", "--inbox", str(inbox), "--out", str(base), *PLAIN], root).returncode in (0, 3)
    for name in DOCX[3:6]:
        shutil.copy2(INBOX / name, inbox / name)
    shutil.copy2(INBOX / DOCX[6], inbox / DOCX[0])  # new content under an old name
    clean = root / "clean"
    assert intake(["run", "--inbox", str(inbox), "--out", str(clean), *PLAIN], root).returncode in (0, 3)
    return base, clean


@pytest.mark.parametrize("step", ["extracting", "written", "committed"])
def test_sigkill_at_any_step_then_rerun_equals_a_clean_run(tmp_path: Path, crash_case, step: str) -> None:
    base, clean = crash_case
    inbox, out = base.parent / "inbox", tmp_path / "out"
    shutil.copytree(base, out)
    before = contract(out)
    killed = intake_killed_at(step, ["run", "--inbox", str(inbox), "--out", str(out), *PLAIN], tmp_path)
    assert killed.returncode == -signal.SIGKILL, killed.stdout + killed.stderr
    if step == "extracting":
        assert contract(out) == before, "killed while reading: the previous outputs are untouched"
    else:
        assert contract(out) == contract(clean), "killed after writing: the new outputs are complete"
    again = intake(["run", "--inbox", str(inbox), "--out", str(out), *PLAIN], tmp_path)
    assert again.returncode in (0, 3), again.stdout
    assert contract(out) == contract(clean), "after the re-run: what a clean run gives, nothing lost or doubled"
    assert not list(out.glob(".*.tmp")), "temp files of the killed run are cleaned up"
    if step == "committed":
        assert "实际读取 0 个" in again.stdout, "the ledger was committed: nothing to redo"


def test_sigkill_at_an_arbitrary_moment(tmp_path: Path, crash_case) -> None:
    base, clean = crash_case
    inbox, out = base.parent / "inbox", tmp_path / "out"
    shutil.copytree(base, out)
    run = start(["run", "--inbox", str(inbox), "--out", str(out), *PLAIN], tmp_path)
    time.sleep(2.5)  # interpreter start-up plus part of the reading, on this machine
    run.send_signal(signal.SIGKILL)
    run.wait(30)
    for name in CONTRACT:  # whatever moment it was, every table is a whole file
        with open(out / name, encoding="utf-8-sig", newline="") as fh:
            list(csv.reader(fh))
    again = intake(["run", "--inbox", str(inbox), "--out", str(out), *PLAIN], tmp_path)
    assert again.returncode in (0, 3), again.stdout
    assert contract(out) == contract(clean)


# ------------------------------------------------------------------ Prefect: schedule and Dask


def test_serve_runs_the_flow_on_its_schedule_and_stops_on_sigterm_with_sigint_ignored(tmp_path: Path) -> None:
    """Started from a script in the background (SIGINT ignored), as a service manager would; SIGTERM stops it
    within 5 s with exit code 143, and the Prefect server it started goes with it."""
    psutil = pytest.importorskip("psutil")
    inbox, out = make_inbox(tmp_path, DOCX[:2]), tmp_path / "out"
    served = subprocess.Popen(
        INTAKE + ["serve", "--interval", "5", "--inbox", str(inbox), "--out", str(out), "--workers", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT,
        env=_env(tmp_path, PREFECT_RUNNER_POLL_FREQUENCY="2"),
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )  # fmt: skip
    try:
        wait_for(lambda: (out / LEDGER_FILE).exists() and ledger_runs(out), 240, "the first scheduled run", 1)
        children = psutil.Process(served.pid).children(recursive=True)
        assert any("server" in " ".join(c.cmdline()) for c in children), "a local Prefect server was started"
        assert 1 <= _scheduled_runs(out) <= 5, "a short schedule horizon, not Prefect's 100 runs ahead"
    finally:
        sent = time.monotonic()
        served.send_signal(signal.SIGTERM)
        console, _ = served.communicate(timeout=120)
        took = time.monotonic() - sent
    assert served.returncode == 128 + signal.SIGTERM, console
    assert took <= 5.0, f"serve stopped {took:.1f} s after SIGTERM"
    assert "定时处理已启动" in console and "新文件 2 个" in console and "Traceback" not in console, console
    assert re.search(r"^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] 新文件 2 个", console, re.M), "console lines carry the time"
    assert sorted(sources(out)) == sorted(DOCX[:2])
    assert (out / "state" / "prefect").is_dir(), "the server's SQLite lives in the output's state folder"
    psutil.wait_procs(children, timeout=30)
    assert not [c for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE], "server left running"


def _scheduled_runs(out: Path) -> int:
    """Flow runs the served server holds in the Scheduled state, through Prefect's REST API (its address is in the
    server's start-up banner in the run log)."""
    logs = "".join(p.read_text(encoding="utf-8", errors="replace") for p in (out / "logs").glob("*.log"))
    api = re.findall(r"PREFECT_API_URL=(http://127\.0\.0\.1:\d+/api)", logs)[-1]
    body = json.dumps({"flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}}}).encode()
    request = urllib.request.Request(f"{api}/flow_runs/count", body, {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return int(json.loads(response.read()))


def test_dask_cluster_gives_the_same_outputs_as_a_local_run(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    pytest.importorskip("prefect_dask")
    inbox = make_inbox(tmp_path, DOCX[:3])
    local = tmp_path / "local"
    assert intake(["run", "--inbox", str(inbox), "--out", str(local), *PLAIN], tmp_path).returncode in (0, 3)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        on_dask = tmp_path / "dask"
        done = intake(
            ["run", "--inbox", str(inbox), "--out", str(on_dask), "--settle", "0", "--dask-address",
             cluster.scheduler_address],
            tmp_path,
        )  # fmt: skip
    assert done.returncode in (0, 3), done.stdout + done.stderr
    assert "实际读取 3 个" in done.stdout
    assert contract(on_dask) == contract(local)
