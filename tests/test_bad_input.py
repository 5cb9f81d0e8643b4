"""Bad and hostile input: every file accounted for, nothing crashes, nothing leaks.

The corpus (tests/bad_corpus.py: 41 inbox entries made by code, one a lock file) goes through the real
command line, `python -m flows.cli run --no-prefect --workers 2`, while a sampler follows the memory of the whole
process tree (the command, its fork server and its worker processes). Then: each file has the
exception code and Chinese message it must have, the outputs keep the contract, nothing from outside
the inbox reaches an output, formulas are stored as text. The worker pool itself is tested with
work that hangs, segfaults, is killed or runs out of memory, and with LibreOffice killed mid-conversion.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.reading.isolation import IsolatedRunner
from flows.reading.limits import Limits
from flows.reading.pipeline import discover, process_file
from tests.bad_corpus import FORMULAS, LIAISON_ROWS, SECRET, BadCase, liaison_docx, make_corpus, plan_docx
from tests.conftest import CHECK_CONTRACT, ROOT

MEMORY_BUDGET_MB = 2048
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
FORM_TABLES = {"plans.csv": "activity_plan", "liaisons.csv": "liaison_reply", "reports.csv": "summary_report"}
WHOLE_FILE_CODES = {"unreadable_file", "unknown_form", "duplicate_submission"}


# --------------------------------------------------------------------------------------- memory sampler


class TreeMemory(threading.Thread):
    """Samples the memory of a process and all its descendants every `interval` seconds.

    `peak_tree_mb`: the largest sum of PSS seen at one instant (the project's memory measure, bench/README.md:
    forked workers share the fork server's pages, which a sum of RSS would count once per worker);
    `peak_tree_rss_mb`: the same with RSS, printed for comparison; `peak_process_mb`: the largest VmHWM (the
    kernel's own high-water mark, so no spike is missed) of any single process in the tree.
    """

    def __init__(self, pid: int, interval: float = 0.1) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_tree_mb = self.peak_tree_rss_mb = self.peak_process_mb = 0.0
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.sample()
            self.stopped.wait(self.interval)

    def stop(self) -> None:
        self.stopped.set()
        self.join()

    def sample(self) -> None:
        children: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    stat = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                ppid = int(stat.rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [self.pid]
        while todo:
            pid = todo.pop()
            tree.append(pid)
            todo += children.get(pid, [])
        total = total_rss = 0.0
        for pid in tree:
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
            rss = int(fields.get("VmRSS", "0 kB").split()[0]) / 1024
            hwm = int(fields.get("VmHWM", "0 kB").split()[0]) / 1024
            total_rss += rss
            total += _pss_mb(pid, fallback=rss)
            self.peak_process_mb = max(self.peak_process_mb, hwm)
        self.peak_tree_mb = max(self.peak_tree_mb, total)
        self.peak_tree_rss_mb = max(self.peak_tree_rss_mb, total_rss)


def _pss_mb(pid: int, fallback: float) -> float:
    """Proportional set size: a page shared by n processes counts 1/n in each (Linux ≥ 4.14)."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return fallback
    for line in rollup.splitlines():
        if line.startswith("Pss:"):
            return int(line.split()[1]) / 1024
    return fallback


# --------------------------------------------------------------------------------------- the corpus run


@dataclass
class Run:
    root: Path
    inbox: Path
    out: Path
    cases: list[BadCase]
    returncode: int
    console: str
    seconds: float
    memory: TreeMemory
    rusage_mb: float


def intake(
    args: list[str], cwd: Path, timeout: float = 600, **extra_env: str
) -> tuple[subprocess.Popen, str, TreeMemory]:
    env = {**os.environ, "PREFECT_HOME": str(cwd / ".prefect-test-home"), "PYTHONPATH": str(ROOT), **extra_env}
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", *args], cwd=cwd, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    memory = TreeMemory(proc.pid)
    memory.start()
    try:
        console, _ = proc.communicate(timeout=timeout)
    finally:
        memory.stop()
    return proc, console, memory


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("bad-input")
    started = time.perf_counter()
    cases = make_corpus(root)
    made = time.perf_counter() - started
    out = root / "out"
    started = time.perf_counter()
    args = ["run", "--inbox", str(root / "inbox"), "--out", str(out), "--no-prefect", "--workers", "2", "--settle", "0"]
    proc, console, memory = intake(args, cwd=root)
    seconds = time.perf_counter() - started
    rusage_mb = (
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss + resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    ) / 1024
    print(
        f"\nbad-input corpus: {len(cases)} entries made in {made:.1f}s; run took {seconds:.1f}s; "
        f"peak memory of the run: whole process tree PSS {memory.peak_tree_mb:.0f} MB "
        f"(RSS summed {memory.peak_tree_rss_mb:.0f} MB; sampled), "
        f"largest single process {memory.peak_process_mb:.0f} MB (VmHWM), "
        f"getrusage children+self {rusage_mb:.0f} MB"
    )
    return Run(root, root / "inbox", out, cases, proc.returncode, console, seconds, memory, rusage_mb)


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def as_written(value: str) -> str:
    """What an analyst gets back from a neutralised cell: the apostrophe guard removed."""
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def outcomes(run: Run) -> dict[str, dict]:
    """Per source file: whole-file codes, unreadable_file messages and the form table it landed in."""
    found: dict[str, dict] = {}

    def entry(source: str) -> dict:
        return found.setdefault(as_written(source), {"codes": [], "messages": [], "forms": set()})

    for row in read_csv(run.out / "exceptions.csv"):
        e = entry(row["source_file"])
        if not row["field"] and row["code"] in WHOLE_FILE_CODES:
            e["codes"].append(row["code"])
        if row["code"] == "unreadable_file":
            e["messages"].append(row["message"])
    for table, form in FORM_TABLES.items():
        for row in read_csv(run.out / table):
            entry(row["source_file"])["forms"].add(form)
    return found


# --------------------------------------------------------------------------------------- the corpus: tests


def test_corpus_is_big_enough(run: Run) -> None:
    assert len(run.cases) >= 30
    assert len({c.name for c in run.cases}) == len(run.cases)


def test_the_run_finishes_without_a_crash(run: Run) -> None:
    assert run.returncode == 3, run.console  # finished; files need review
    assert "本次处理结果" in run.console
    for noise in ("Traceback", "Error:", "BrokenProcessPool"):
        assert noise not in run.console, run.console


def test_every_file_gets_the_outcome_it_must(run: Run) -> None:
    found = outcomes(run)
    wrong = []
    for case in run.cases:
        if case.no_row:
            continue
        got = found.get(case.name)
        if got is None:
            wrong.append(f"{case.name}: no row at all ({case.note})")
            continue
        if sorted(got["codes"]) != sorted(case.codes):
            wrong.append(f"{case.name}: codes {sorted(got['codes'])}, expected {sorted(case.codes)} ({case.note})")
        want_forms = {case.form_type} if case.form_type else set()
        if got["forms"] != want_forms:
            wrong.append(f"{case.name}: read as {sorted(got['forms'])}, expected {sorted(want_forms)} ({case.note})")
        for message in got["messages"]:
            missing = [w for w in case.message_has if w not in message]
            if missing:
                wrong.append(f"{case.name}: message {message!r} lacks {missing}")
    assert not wrong, "\n".join(wrong)


def test_every_entry_is_accounted_for_and_nothing_else(run: Run) -> None:
    found = outcomes(run)
    expected = {c.name for c in run.cases if not c.no_row}
    assert set(found) == expected, (sorted(set(found) - expected), sorted(expected - set(found)))
    assert not {c.name for c in run.cases if c.no_row} & set(found)


def test_unreadable_messages_are_chinese_sentences_that_say_what_to_do(run: Run) -> None:
    for row in read_csv(run.out / "exceptions.csv"):
        if row["code"] in ("unreadable_file", "unknown_form"):
            message = row["message"]
            assert message.endswith("。") and sum("\u4e00" <= ch <= "\u9fff" for ch in message) >= 10, message
            assert "请" in message, message  # tells staff what to do
            for english in ("Errno", "No such file", "Permission denied", "Traceback"):
                assert english not in message, message


def test_outputs_keep_the_contract(run: Run) -> None:
    check = subprocess.run([sys.executable, str(CHECK_CONTRACT), str(run.out)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout


def test_nothing_from_outside_the_inbox_reaches_an_output(run: Run) -> None:
    leaked = []
    for path in run.out.rglob("*"):
        if not path.is_file():
            continue
        blobs = [path.read_bytes()]
        if zipfile.is_zipfile(path):  # the .xlsx workbook: look inside its compressed parts
            with zipfile.ZipFile(path) as zf:
                blobs += [zf.read(name) for name in zf.namelist()]
        for blob in blobs:
            for secret in (SECRET, "root:x:0:0"):
                if secret.encode() in blob:
                    leaked.append(f"{path.relative_to(run.out)}: {secret}")
    assert not leaked, leaked


def test_formulas_are_stored_as_text_and_still_readable(run: Run) -> None:
    for name in sorted(p.name for p in run.out.glob("*.csv")):
        for row in read_csv(run.out / name):
            for column, value in row.items():
                assert not (value or "").startswith(FORMULA_START), f"{name} {column}: {value!r}"
    (plan,) = [r for r in read_csv(run.out / "plans.csv") if r["source_file"] == "formula-injection.docx"]
    columns = {"主题活动名称": "activity_name", "承办单位名称": "organizer", "拟举办地点": "location",
               "主办单位邮寄地址": "mailing_address"}  # fmt: skip
    for label, value in FORMULAS.items():
        assert plan[columns[label]] == "'" + value  # guarded with an apostrophe, as Excel itself does
        assert as_written(plan[columns[label]]) == value  # and the analyst gets the text back exactly
    dash = [r for r in read_csv(run.out / "plans.csv") if as_written(r["source_file"]) == "-leading-dash.docx"]
    assert len(dash) == 1


def test_workbooks_hold_no_formulas(run: Run) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    books = sorted(run.out.glob("*.xlsx"))
    if not books:
        pytest.skip("no .xlsx output in this build")
    for book in books:
        wb = openpyxl.load_workbook(book)
        texts = []
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for cell in row:
                    assert cell.data_type != "f", f"{book.name} {ws.title}!{cell.coordinate}: {cell.value!r}"
                    if isinstance(cell.value, str):
                        texts.append(as_written(cell.value))
        if book.name == "exceptions.xlsx":
            assert any(t.startswith("-leading-dash.docx") for t in texts)  # file names survive as text


def test_ten_thousand_rows_are_all_read(run: Run) -> None:
    rows = [r for r in read_csv(run.out / "liaisons.csv") if r["source_file"] == f"回执表-{LIAISON_ROWS}行.docx"]
    assert len(rows) == LIAISON_ROWS
    assert rows[-1]["phone"] == f"139{LIAISON_ROWS - 1:08d}"


def test_peak_memory_of_the_run_is_bounded(run: Run, capsys: pytest.CaptureFixture) -> None:
    with capsys.disabled():  # shown on every run, not only when it fails
        print(
            f"\n[bad-input] {len(run.cases)} files, run {run.seconds:.1f}s, peak process tree PSS "
            f"{run.memory.peak_tree_mb:.0f} MB (RSS summed {run.memory.peak_tree_rss_mb:.0f} MB), "
            f"largest process {run.memory.peak_process_mb:.0f} MB, "
            f"getrusage children+self {run.rusage_mb:.0f} MB (budget {MEMORY_BUDGET_MB} MB)"
        )
    assert run.memory.peak_tree_mb > 0
    assert run.memory.peak_tree_mb <= MEMORY_BUDGET_MB, run.memory.peak_tree_mb
    assert run.memory.peak_process_mb <= MEMORY_BUDGET_MB, run.memory.peak_process_mb
    assert run.rusage_mb <= MEMORY_BUDGET_MB, run.rusage_mb


# --------------------------------------------------------------------------------------- the worker pool


def misbehave(path: Path, inbox: Path, **kwargs) -> object:
    """Stands in for a parser that hangs, crashes or runs out of memory on the named file."""
    name = path.stem
    if name.startswith("hang"):
        time.sleep(600)
    if name == "segfault":
        os.kill(os.getpid(), signal.SIGSEGV)
    if name == "oom-killed":
        os.kill(os.getpid(), signal.SIGKILL)
    if name == "memory":
        raise MemoryError
    if name == "bug":
        raise RuntimeError("a bug in the pipeline")
    if name == "shout":  # what a worker caught mid-start by the run's exit does: a traceback straight to fd 2
        os.write(2, b"Traceback (most recent call last): from a worker\n")
    return process_file(path, inbox, **kwargs)


def test_what_workers_print_goes_to_the_run_log_not_the_console(tmp_path: Path) -> None:
    """The fork server and its workers write to the run's log: staff's console shows only the run's own lines."""
    (tmp_path / "shout.docx").write_bytes(b"x")
    log = tmp_path / "run.log"
    script = textwrap.dedent(f"""
        from pathlib import Path
        from flows.reading.isolation import IsolatedRunner
        from tests.test_bad_input import misbehave
        inbox = Path({str(tmp_path)!r})
        with IsolatedRunner(1, log_file=Path({str(log)!r}), work=misbehave) as runner:
            runner.process_all([inbox / "shout.docx"], inbox)
    """)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", script]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "from a worker" not in done.stderr + done.stdout
    assert "from a worker" in log.read_text(encoding="utf-8")


def test_hung_or_dying_workers_cost_one_row_each_and_the_batch_goes_on(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    bad = ["hang-1", "hang-2", "segfault", "oom-killed", "memory", "bug"]
    for name in bad:
        (inbox / f"{name}.docx").write_bytes(b"x")
    units = ["西宁市科学技术协会", "海东市科学技术协会", "海北藏族自治州科学技术协会"]
    for i, unit in enumerate(units):
        plan_docx(inbox / f"good-{i}.docx", unit=unit)
    started = time.perf_counter()
    with IsolatedRunner(2, Limits(seconds_per_file=3), work=misbehave) as runner:
        got = {o.source_file: o for o in runner.process_all(discover(inbox), inbox)}
    seconds = time.perf_counter() - started
    print(f"\nworker pool: 2 hung + 4 crashing + 3 good files in {seconds:.1f}s (3 s CPU, 9 s waiting)")
    expected = {
        "hang-1.docx": "处理超时（超过9秒）",  # waiting, not computing: WALL_FACTOR x the 3 s CPU budget
        "hang-2.docx": "处理超时（超过9秒）",
        "segfault.docx": "段错误",
        "oom-killed.docx": "强行终止",
        "memory.docx": "内存不足",
        "bug.docx": "内部错误",
    }
    for name, words in expected.items():
        (f,) = got[name].file_findings
        code = "internal_error" if name == "bug.docx" else "unreadable_file"  # our bug, not the file's
        assert f.code == code and words in f.message and "请" in f.message, (name, f.message)
        assert got[name].submission_id  # the file is still identified by its content
    for i in range(len(units)):
        assert got[f"good-{i}.docx"].form_type == "activity_plan"
    assert seconds < 30  # the two hung files cost one timeout (in parallel), not the batch


def test_a_timed_out_worker_takes_libreoffice_down_with_it(tmp_path: Path) -> None:
    """A legacy .doc is converted by LibreOffice in its own process group; killing the worker on
    timeout must not leave soffice running nor its temporary folders behind."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    from tests.fixtures_docx import legacy_doc

    inbox, scratch, bin_dir = tmp_path / "inbox", tmp_path / "scratch", tmp_path / "bin"
    for folder in (inbox, scratch, bin_dir):
        folder.mkdir()
    legacy_doc(inbox / "slow.doc")
    # The real LibreOffice, started by a wrapper that keeps the conversion going for 30 s in the same process
    # group: a cold soffice usually outlives the 1 s limit, but not always (once it failed faster), and the
    # test is about what the timeout leaves behind.
    wrapper = bin_dir / "soffice"
    wrapper.write_text(f'#!/bin/sh\n"{shutil.which("soffice")}" "$@" &\nsleep 30\nwait\n')
    wrapper.chmod(0o755)
    script = textwrap.dedent(f"""
        from pathlib import Path
        from flows.reading.isolation import IsolatedRunner
        from flows.reading.limits import Limits
        if __name__ == "__main__":
            inbox = Path({str(inbox)!r})
            with IsolatedRunner(1, Limits(seconds_per_file=1)) as runner:
                print(runner.process(inbox / "slow.doc", inbox).file_findings[0].message)
    """)
    path = f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}"
    env = {**os.environ, "TMPDIR": str(scratch), "PYTHONPATH": str(ROOT), "PATH": path}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, timeout=120)
    assert "处理超时（超过3秒）" in done.stdout, done.stdout + done.stderr  # 1 s of CPU, 3 s waiting
    deadline = time.monotonic() + 10
    while (left := _processes_mentioning(str(scratch))) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not left, left
    assert not list(scratch.glob("intake-*")), list(scratch.iterdir())


def _processes_mentioning(text: str) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            except OSError:
                continue
            if text in cmdline and "pytest" not in cmdline:
                found.append(f"{entry}: {cmdline[:120]}")
    return found


def test_a_file_deleted_between_listing_and_reading(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    plan_docx(inbox / "gone.docx")
    liaison_docx(inbox / "stays.docx")
    listed = discover(inbox)
    (inbox / "gone.docx").unlink()
    with IsolatedRunner(1, Limits()) as runner:
        got = {o.source_file: o for o in runner.process_all(listed, inbox)}
    (f,) = got["gone.docx"].file_findings
    assert f.code == "unreadable_file" and "移走或删除" in f.message
    assert got["stays.docx"].form_type == "liaison_reply"


# --------------------------------------------------------------------------------------- limits


def test_limits_have_safe_defaults_and_come_from_the_environment() -> None:
    assert Limits() == Limits(50, 40_000_000, 200, 120.0, 100, 1280)
    env = {"INTAKE_MAX_PAGES": "10", "INTAKE_MAX_PIXELS_PER_PAGE": "25e6", "INTAKE_SECONDS_PER_FILE": "7.5"}
    limits = Limits.from_env(env, seconds_per_file=30)
    assert (limits.max_pages, limits.max_pixels_per_page, limits.seconds_per_file) == (10, 25_000_000, 30)
    from PIL import Image

    limits.apply_to_pillow()
    assert Image.MAX_IMAGE_PIXELS == 25_000_000
    Limits().apply_to_pillow()


def test_a_bad_limit_setting_stops_the_run_with_exit_code_2(tmp_path: Path) -> None:
    (tmp_path / "inbox").mkdir()
    args = ["run", "--inbox", str(tmp_path / "inbox"), "--out", str(tmp_path / "out"), "--no-prefect"]
    proc, console, _ = intake(args, cwd=tmp_path, timeout=120, INTAKE_MAX_PAGES="很多")
    assert proc.returncode == 2 and "INTAKE_MAX_PAGES" in console and "Traceback" not in console, console


# --------------------------------------------------------------------------------------- output folder


def test_unwritable_output_file_stops_the_run_with_exit_code_2(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    liaison_docx(inbox / "回执表.docx")
    (out / "plans.csv").mkdir(parents=True)  # passes the folder's write probe; the table cannot be replaced
    proc, console, _ = intake(["run", "--inbox", str(inbox), "--out", str(out), "--no-prefect", "--settle", "0"],
                              cwd=tmp_path, timeout=300)  # fmt: skip
    assert proc.returncode == 2, console
    assert "输出文件夹无法写入" in console and "plans.csv" in console, console
    assert "Traceback" not in console


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder anyway")
def test_read_only_output_folder_stops_the_run_with_exit_code_2(tmp_path: Path) -> None:
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    out.mkdir()
    liaison_docx(inbox / "回执表.docx")
    out.chmod(0o555)
    try:
        proc, console, _ = intake(["run", "--inbox", str(inbox), "--out", str(out), "--no-prefect"], cwd=tmp_path)
    finally:
        out.chmod(0o755)
    assert proc.returncode == 2, console
    assert "输出文件夹无法写入" in console and "Traceback" not in console


# --------------------------------------------------------------------------------------- under Prefect


def test_prefect_runs_use_the_same_killable_workers(tmp_path: Path) -> None:
    """A few corpus files through the Prefect flow: same codes, exit code 3, a quiet console."""
    root = tmp_path / "corpus"
    cases = {c.name: c for c in make_corpus(root)}
    keep = ["空文件.docx", "xxe.docx", "decompression-bomb.png", "link-outside.docx", "中文名回执表.docx"]
    for entry in list((root / "inbox").iterdir()):
        if entry.name not in keep:
            entry.unlink() if entry.is_symlink() or not entry.is_dir() else shutil.rmtree(entry)
    out = tmp_path / "out"
    proc, console, _ = intake(["run", "--inbox", str(root / "inbox"), "--out", str(out), "--settle", "0"], cwd=tmp_path)
    assert proc.returncode == 3, console
    assert "Traceback" not in console
    found = outcomes(Run(root, root / "inbox", out, [], 0, "", 0, TreeMemory(0), 0))
    for name in keep:
        assert sorted(found[name]["codes"]) == sorted(cases[name].codes), (name, found[name])
