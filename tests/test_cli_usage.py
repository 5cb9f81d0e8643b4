"""Usage errors as staff meet them: in Chinese, naming the option, with exit code 2; ranges checked; an inbox that
is a file said so; whole lines when the console is a file or a pipe."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

INTAKE = [sys.executable, "-m", "flows.cli"]
LATIN_SENTENCE = re.compile(r"\b(No such|Invalid value|Input should|requires an argument|Got unexpected|Usage:)")


def intake(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PREFECT_HOME": str(cwd / ".prefect-test-home"), "COLUMNS": "80"}
    return subprocess.run([*INTAKE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=300)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["run", "--frobnicate"], "没有这个选项：--frobnicate"),
        (["run", "--workers", "abc"], "选项 --workers 的值有误：应为整数"),
        (["run", "--workers", "-1"], "选项 --workers 的值有误：不能小于 0"),
        (["run", "--min-confidence", "5"], "选项 --min-confidence 的值有误：不能大于 1"),
        (["run", "--min-confidence", "-0.1"], "选项 --min-confidence 的值有误：不能小于 0"),
        (["run", "--timeout", "0"], "选项 --timeout 的值有误：应大于 0 秒"),
        (["watch", "--timeout", "-5"], "选项 --timeout 的值有误：应大于 0 秒"),
        (["run", "--workers"], "选项 --workers 后面要跟一个值"),
        (["frobnicate"], "没有这个命令：frobnicate"),
        (["run", "inbox"], "多余的参数：inbox"),
    ],
)
def test_usage_errors_are_chinese_and_exit_2(args: list[str], said: str) -> None:
    done = intake(*args)
    assert done.returncode == 2, done.stdout + done.stderr
    assert said in done.stderr, done.stderr
    assert not LATIN_SENTENCE.search(done.stdout + done.stderr), done.stdout + done.stderr


def test_a_fractional_timeout_is_accepted(tmp_path: Path) -> None:
    empty = tmp_path / "inbox"
    empty.mkdir()
    done = intake("run", "--no-prefect", "--timeout", "0.5", "--inbox", str(empty), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_inbox_that_is_a_file_is_said_to_be_one(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "inbox.docx"
    not_a_folder.write_bytes(b"x")
    done = intake("run", "--no-prefect", "--inbox", str(not_a_folder), "--out", str(tmp_path / "out"))
    assert done.returncode == 2
    assert "是一个文件，不是文件夹" in done.stdout and "不存在" not in done.stdout


def test_an_unwritable_output_folder_gives_a_chinese_reason(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    done = intake("run", "--no-prefect", "--inbox", str(inbox), "--out", str(blocker / "out"))
    assert done.returncode == 2
    assert "输出文件夹无法写入" in done.stdout and "路径中有同名文件占用" in done.stdout, done.stdout
    assert "Not a directory" not in done.stdout


def test_console_lines_are_whole_when_output_is_not_a_terminal(tmp_path: Path) -> None:
    inbox = tmp_path / "an-inbox-folder-with-a-rather-long-name-on-the-share"
    inbox.mkdir()
    out = tmp_path / "an-output-folder-whose-name-alone-is-wider-than-eighty-columns-of-a-console"
    done = intake("run", "--no-prefect", "--inbox", str(inbox), "--out", str(out))
    assert done.returncode == 0, done.stdout + done.stderr
    line = next(x for x in done.stdout.splitlines() if x.startswith("用时"))
    assert line.endswith(f"问题清单见 {out}/exceptions.csv"), done.stdout
