"""The `intake run` command as staff and the scheduler use it: exit codes, console, outputs."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import CHECK_CONTRACT, INBOX, ROOT

INTAKE = [sys.executable, "-m", "flows.cli"]


def _run(args: list[str], cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREFECT_HOME": str(cwd / ".prefect-test-home")}
    return subprocess.run(INTAKE + args, capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.fixture()
def small_inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    docx = sorted(p for p in INBOX.glob("*.docx"))[:4]
    assert docx, "no Word samples"
    for p in docx:
        shutil.copy(p, inbox / p.name)
    (inbox / "~$lock.docx").write_bytes(b"owner lock file")  # Word's lock file: must be ignored
    return inbox


def test_prefect_run_writes_contract_outputs_and_a_quiet_console(small_inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = _run(["run", "--inbox", str(small_inbox), "--out", str(out)], cwd=tmp_path)
    assert done.returncode in (0, 3), done.stdout + done.stderr
    console = done.stdout + done.stderr
    assert "本次处理结果" in console
    for noise in ("Traceback", "ERROR", "sqlite3.OperationalError", "CancelledError"):
        assert noise not in console, console
    assert (out / "plans.csv").exists() and list((out / "logs").glob("run-*.log"))
    if CHECK_CONTRACT.exists():
        check = subprocess.run([sys.executable, str(CHECK_CONTRACT), str(out)], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout
    sources = (out / "plans.csv").read_text(encoding="utf-8-sig") + (out / "exceptions.csv").read_text(
        encoding="utf-8-sig"
    )
    assert "~$lock.docx" not in sources


def test_exit_code_says_whether_review_is_needed(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "notes.docx").write_bytes(b"this is not a Word file")
    done = _run(["run", "--inbox", str(inbox), "--out", str(tmp_path / "out"), "--no-prefect"], cwd=tmp_path)
    assert done.returncode == 3, done.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    done = _run(["run", "--inbox", str(empty), "--out", str(tmp_path / "out2"), "--no-prefect"], cwd=tmp_path)
    assert done.returncode == 0, done.stdout


def test_could_not_run_exit_code(tmp_path: Path) -> None:
    done = _run(["run", "--inbox", str(tmp_path / "missing"), "--out", str(tmp_path / "out"), "--no-prefect"])
    assert done.returncode == 2
    assert "收件箱文件夹不存在" in done.stdout
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    done = _run(["run", "--inbox", str(inbox), "--out", str(blocker / "out"), "--no-prefect"])
    assert done.returncode == 2
    assert "输出文件夹无法写入" in done.stdout


def test_prefect_unreachable_is_could_not_run_with_a_chinese_message(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.docx").write_bytes(b"not a word file")
    env = {**os.environ, "PREFECT_API_URL": "http://127.0.0.1:9/api", "PREFECT_CLIENT_MAX_RETRIES": "0"}
    done = subprocess.run(
        INTAKE + ["run", "--inbox", str(inbox), "--out", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert "运行中断" in done.stdout and "--no-prefect" in done.stdout
    assert "Traceback" not in done.stdout + done.stderr
