"""Prefect as its users know it: public settings only, everything under --out, the run's tasks, logs and artifacts
readable through Prefect's client, a re-run with nothing new that starts no server, and a prompt Ctrl-C.

Runs go through the real command line in a subprocess (`python -m flows.cli`) with HOME pointed at an empty
folder, so whatever Prefect would write to the user's home shows up there.
"""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import psutil
import pytest

from flows.prefect_server import SERVER_SETTINGS, prefect_api
from tests.conftest import INBOX, ROOT

INTAKE = [sys.executable, "-m", "flows.cli"]
DOCX = sorted(p.name for p in INBOX.glob("*.docx") if "upload_interrupted" not in p.name)


def _env(tmp: Path) -> dict[str, str]:
    home = tmp / "home"
    home.mkdir(exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    return {**env, "HOME": str(home), "PYTHONPATH": str(ROOT)}


def _inbox(tmp: Path, names: list[str]) -> Path:
    inbox = tmp / "inbox"
    inbox.mkdir()
    for name in names:
        shutil.copy2(INBOX / name, inbox / name)
    return inbox


def intake(args: list[str], tmp: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(INTAKE + args, capture_output=True, text=True, cwd=ROOT, env=_env(tmp), timeout=400)


# ------------------------------------------------------------------ the public settings this project relies on

GUARD = """
import json, subprocess, sys
from prefect.settings import get_current_settings
from prefect.logging.handlers import APILogHandler
from prefect.runtime import task_run
s = get_current_settings()
print(json.dumps({
    "home": str(s.home),
    "profiles": str(s.profiles_path),
    "storage": str(s.results.local_storage_path),
    "database": s.server.database.connection_url.get_secret_value() if s.server.database.connection_url else "",
    "ui": s.server.ui.enabled,
    "analytics": s.server.analytics_enabled,
    "server_log_level": s.server.logging_level,
    "max_runs": s.server.services.scheduler.max_runs,
    "min_runs": s.server.services.scheduler.min_runs,
    "horizon_s": s.server.services.scheduler.max_scheduled_time.total_seconds(),
    "api_logs": s.logging.to_api.enabled,
    "flush": callable(getattr(APILogHandler, "flush", None)),
    "run_count": hasattr(task_run, "run_count"),
}))
"""


def test_prefect_still_has_the_public_settings_we_rely_on(tmp_path: Path) -> None:
    """flows/prefect_server.py keeps Prefect's home, database and server settings inside --out through public
    settings only. A Prefect release that renames one of them must fail here, not write to the user's home."""
    home = tmp_path / "prefect-home"
    env = {**_env(tmp_path), "PREFECT_HOME": str(home), **SERVER_SETTINGS}
    done = subprocess.run([sys.executable, "-c", GUARD], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout.strip().splitlines()[-1])
    assert Path(got["home"]) == home
    assert Path(got["profiles"]).parent == home and Path(got["storage"]).is_relative_to(home)
    # the server's SQLite follows PREFECT_HOME unless a connection URL is set (we set none)
    assert got["database"] in ("", None) or str(home) in got["database"], got["database"]
    assert (got["ui"], got["analytics"], got["server_log_level"]) == (False, False, "WARNING")
    assert (got["max_runs"], got["min_runs"], got["horizon_s"]) == (5, 1, 86400)
    assert got["api_logs"] is True, "run loggers must reach the API (the UI)"
    assert got["flush"] and got["run_count"]
    cli = subprocess.run(
        [sys.executable, "-m", "prefect", "server", "start", "--help"],
        capture_output=True, text=True, env={**env, "COLUMNS": "200"}, timeout=120,
    )  # fmt: skip
    assert cli.returncode == 0, cli.stderr
    for option in ("--host", "--port", "--no-ui"):
        assert option in cli.stdout, f"`prefect server start` lost {option}"
    assert not any((tmp_path / "home").iterdir()), "Prefect wrote to HOME"


# ------------------------------------------------------------------ a run, seen through Prefect


def test_a_run_is_in_prefect_under_out_and_a_rerun_with_nothing_new_starts_no_server(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path, DOCX[:4]), tmp_path / "out"
    first = intake(["run", "--inbox", str(inbox), "--out", str(out), "--settle", "0", "--workers", "1"], tmp_path)
    assert first.returncode in (0, 3), first.stdout + first.stderr
    assert "新文件 4 个" in first.stdout
    assert not any((tmp_path / "home").rglob("*")), "a run must write nothing outside --out"
    assert (out / "state" / "prefect" / "prefect.db").is_file(), "Prefect's database lives under <out>/state/prefect"
    for noise in ("Traceback", "prefect.", "Error logging to API"):
        assert noise not in first.stdout + first.stderr

    again = intake(["run", "--inbox", str(inbox), "--out", str(out), "--settle", "0", "--workers", "1"], tmp_path)
    assert again.returncode == first.returncode, again.stdout + again.stderr
    assert "实际读取 0 个" in again.stdout
    assert not [p for p in (out / "logs").glob("run-*.log") if p.stat().st_size == 0], "0-byte run log left"

    readback = subprocess.run(
        [sys.executable, "-m", "tests.prefect_readback", str(out)],
        capture_output=True, text=True, cwd=ROOT, env=_env(tmp_path), timeout=400,
    )  # fmt: skip
    assert readback.returncode == 0, readback.stderr
    seen = json.loads(readback.stdout.strip().splitlines()[-1])
    # one flow run: the re-run with nothing new was recorded without one (no server, no Prefect import)
    assert [r["state"] for r in seen["flow_runs"]] == ["Completed"]
    flow_run = seen["flow_runs"][0]["id"]
    tasks = [t for t in seen["task_runs"] if t["name"].startswith("read-files")]
    assert tasks and all(t["state"] == "Completed" and t["flow_run_id"] == flow_run for t in tasks)
    task_logs = [entry["message"] for entry in seen["logs"] if entry["task_run_id"] != "None"]
    for name in DOCX[:4]:
        assert any(line.startswith(name) for m in task_logs for line in m.splitlines()), f"no log line for {name}"
    artifacts = {a["key"]: a for a in seen["artifacts"]}
    counts = json.loads(artifacts["intake-counts"]["data"])
    assert sum(row["files"] for row in counts) == 4 and {"form", "status", "files"} <= set(counts[0])
    problems = artifacts["intake-problems"]["data"]
    assert (out / "report.html").absolute().as_uri() in problems
    assert not any((tmp_path / "home").rglob("*")), "reading back must not write outside --out either"


# ------------------------------------------------------------------ retries are Prefect's


def test_a_file_the_os_would_not_open_fails_its_task_and_prefect_retries_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A share that drops: the read-files task fails and Prefect retries it (task retries, not a sleep loop),
    reading only the files still missing; a file still unreachable on the last try becomes an unreadable_file row."""
    import flows.intake_flow as intake_flow_module  # imports Prefect: after this test's PREFECT_HOME

    inbox, out = _inbox(tmp_path, DOCX[:2]), tmp_path / "out"
    shaky, gone = DOCX[:2]
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "prefect-home"))
    attempts: Counter[str] = Counter()
    real_probe = intake_flow_module._probe

    def share_drops(path: Path, in_dir: Path) -> None:  # the OS refusing to open, as an SMB share that dropped does
        attempts[path.name] += 1
        if path.name == gone or attempts[path.name] == 1:
            raise OSError(errno.EHOSTDOWN, "Host is down", str(path))
        real_probe(path, in_dir)

    monkeypatch.setattr(intake_flow_module, "_probe", share_drops)
    no_wait = intake_flow_module.read_files.with_options(retry_delay_seconds=0)
    monkeypatch.setattr(intake_flow_module, "read_files", no_wait)
    with prefect_api():
        from prefect import get_client

        report = intake_flow_module.make_flow(workers=1)(inbox=str(inbox), outdir=str(out), settle_s=0, workers=1)
        with get_client(sync_client=True) as client:
            tasks = [t for t in client.read_task_runs() if t.name.startswith("read-files")]
    assert report.extracted == 2
    assert (attempts[shaky], attempts[gone]) == (2, 1 + intake_flow_module.IO_RETRIES)
    assert [(t.run_count, t.state_name) for t in tasks] == [(1 + intake_flow_module.IO_RETRIES, "Completed")]
    with open(out / "exceptions.csv", encoding="utf-8-sig", newline="") as fh:
        codes = {(row["source_file"], row["code"]) for row in csv.DictReader(fh)}
    assert (gone, "unreadable_file") in codes and (shaky, "unreadable_file") not in codes


# ------------------------------------------------------------------ Ctrl-C


def test_ctrl_c_ten_seconds_into_a_run_stops_it_within_5_s_and_the_next_run_completes(tmp_path: Path) -> None:
    inbox, out = _inbox(tmp_path, DOCX), tmp_path / "out"
    args = ["run", "--inbox", str(inbox), "--out", str(out), "--settle", "0"]
    run = subprocess.Popen(
        INTAKE + args, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=ROOT, env=_env(tmp_path)
    )
    time.sleep(10)
    assert run.poll() is None, "the run ended before it could be interrupted"
    started = psutil.Process(run.pid).children(recursive=True)
    sent = time.monotonic()
    run.send_signal(signal.SIGINT)
    console, _ = run.communicate(timeout=60)
    took = time.monotonic() - sent
    assert run.returncode == 130, console
    assert took <= 5.0, f"stopped {took:.1f} s after Ctrl-C"
    assert "收到停止信号" in console and "Traceback" not in console, console
    _, alive = psutil.wait_procs(started, timeout=2)
    assert not [p for p in alive if p.status() != psutil.STATUS_ZOMBIE], f"left running: {alive}"

    rerun = intake(["run", "--inbox", str(inbox), "--out", str(out), "--settle", "0", "--no-prefect"], tmp_path)
    assert rerun.returncode in (0, 3), rerun.stdout + rerun.stderr
    assert (out / "plans.csv").is_file() and not list(out.glob(".*.tmp"))
