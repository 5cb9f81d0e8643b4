"""A run on bad input stays within 2 GB, and no process outlives `intake run` (issue 18, item 8).

The inbox is made here: a PDF with a 200-inch page, a zip-bomb .docx, a decompression-bomb PNG, a photo just
under the pixel limit, a .docx whose 150 MB of text passes every size check but would take ~1.5 GB to parse
(the case the per-worker memory ceiling is for), a real scan and a plan. The command runs in its own session,
as a scheduler starts it; a sampler follows the memory of its whole process tree (tests/test_bad_input.py).
"""

from __future__ import annotations

import csv
import os
import random
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from tests.bad_corpus import docx_bomb, plan_docx, png_bomb
from tests.conftest import INBOX, ROOT
from tests.fixtures_pdf import MiniPdf
from tests.test_bad_input import MEMORY_BUDGET_MB, TreeMemory

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="process tree read from /proc")


def fat_docx(path: Path, text_mb: int = 150) -> Path:
    """A plan whose body also holds `text_mb` MB of random Chinese paragraphs: ~87 MB on disk, a compression
    ratio of ~2, under every size limit; parsing it takes more memory than a worker may have."""
    plan_docx(path)
    with zipfile.ZipFile(path) as original:
        members = {item: original.read(item.filename) for item in original.infolist()}
    rnd = random.Random(5)
    lines = ("".join(chr(rnd.randint(0x4E00, 0x9FA5)) for _ in range(30)) for _ in range(3000))
    block = b"".join(b"<w:p><w:r><w:t>" + line.encode() + b"</w:t></w:r></w:p>" for line in lines)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item, data in members.items():
            if item.filename != "word/document.xml":
                out.writestr(item, data)
                continue
            head, tail = data.split(b"<w:body>", 1)
            with out.open("word/document.xml", "w") as fh:
                fh.write(head + b"<w:body>")
                for _ in range(text_mb * 1024 * 1024 // len(block)):
                    fh.write(block)
                fh.write(tail)
    return path


def big_photo(path: Path, pixels: int) -> Path:
    side = int(pixels**0.5)
    image = Image.new("L", (side, side), 255)
    draw = ImageDraw.Draw(image)
    for i in range(0, side, 97):
        draw.line([(0, i), (side, (i * 7) % side)], fill=0, width=3)
    image.save(path, quality=80)
    return path


EXPECTED = {  # file -> (whole-file code or "" for a form read, words its message must hold)
    "poster-200in.pdf": ("unreadable_file", "平方米的处理上限"),
    "zip-bomb.docx": ("unreadable_file", "压缩炸弹"),
    "png-bomb.png": ("unreadable_file", "像素"),
    "fat.docx": ("unreadable_file", "1280MB的上限"),
    "scan.jpg": ("", ""),
    "plan.docx": ("", ""),
}


@dataclass
class Run:
    returncode: int
    console: str
    seconds: float
    memory: TreeMemory
    left: list[str]
    out: Path


def _session_members(sid: int) -> list[str]:
    """Processes (zombies too) whose session is `sid`: everything the command started stays in it."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            fields = stat[stat.rfind(")") + 2 :].split()
            if int(fields[3]) == sid:  # state ppid pgrp session
                found.append(f"{entry} {fields[0]} {stat[stat.find('(') : stat.rfind(')') + 1]}")
    return found


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory) -> Run:
    root = tmp_path_factory.mktemp("run-budget")
    inbox, out = root / "inbox", root / "out"
    inbox.mkdir()
    poster = MiniPdf(width=14400, height=14400)  # 200 × 200 inches
    poster.text(72, 72, "海报", 200)
    poster.save(inbox / "poster-200in.pdf")
    docx_bomb(inbox / "zip-bomb.docx", megabytes=512)
    (inbox / "png-bomb.png").write_bytes(png_bomb())
    big_photo(inbox / "photo-39mp.jpg", 39_000_000)
    fat_docx(inbox / "fat.docx")
    (inbox / "scan.jpg").write_bytes((INBOX / "scans" / "玉树州科协回执表.jpg").read_bytes())
    plan_docx(inbox / "plan.docx", unit="西宁市科学技术协会")
    env = {**os.environ, "PREFECT_HOME": str(root / ".prefect-home"), "PYTHONPATH": str(ROOT)}
    env.pop("INTAKE_MAX_WORKER_MEMORY_MB", None)  # the default ceiling is what is tested
    args = ["run", "--inbox", str(inbox), "--out", str(out), "--no-prefect", "--workers", "2", "--settle", "0"]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", *args], cwd=root, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    memory = TreeMemory(proc.pid)
    memory.start()
    try:
        console, _ = proc.communicate(timeout=900)
    finally:
        memory.stop()
    seconds = time.perf_counter() - started
    time.sleep(1)  # a worker told to exit gets a moment; none may stay longer
    left = _session_members(proc.pid)
    print(
        f"\n[run budget] {len(os.listdir(inbox))} files in {seconds:.0f}s; peak process tree PSS "
        f"{memory.peak_tree_mb:.0f} MB (RSS summed {memory.peak_tree_rss_mb:.0f} MB), largest process "
        f"{memory.peak_process_mb:.0f} MB; left behind: {left}"
    )
    return Run(proc.returncode, console, seconds, memory, left, out)


def test_the_run_finishes_and_every_file_gets_its_row(bad_run: Run) -> None:
    assert bad_run.returncode in (0, 3), bad_run.console
    with open(bad_run.out / "exceptions.csv", encoding="utf-8-sig", newline="") as fh:
        rows = [r for r in csv.DictReader(fh) if not r["field"]]
    for name, (code, words) in EXPECTED.items():
        whole = [r for r in rows if r["source_file"] == name and r["code"] in ("unreadable_file", "internal_error")]
        if code:
            assert [r["code"] for r in whole] == [code], (name, whole)
            assert words in whole[0]["message"], (name, whole[0]["message"])
        else:
            assert not whole, (name, whole)


def test_peak_memory_of_the_whole_run_stays_under_2_gb(bad_run: Run) -> None:
    assert 0 < bad_run.memory.peak_tree_mb <= MEMORY_BUDGET_MB, bad_run.memory.peak_tree_mb


def test_no_process_outlives_the_command(bad_run: Run) -> None:
    assert not bad_run.left, bad_run.left


def test_a_run_killed_on_its_pid_alone_leaves_no_worker_reading_on(tmp_path: Path) -> None:
    """A scheduler may SIGKILL the command's pid and not its group: the fork server notices at once, and its
    workers die with it (PR_SET_PDEATHSIG) instead of finishing their scans."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for scan in sorted((INBOX / "scans").glob("*.pdf"))[:4]:
        (inbox / scan.name).write_bytes(scan.read_bytes())
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / ".prefect-home"), "PYTHONPATH": str(ROOT)}
    args = ["run", "--inbox", str(inbox), "--out", str(tmp_path / "out"), "--no-prefect", "--workers", "2"]
    proc = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", *args, "--settle", "0"], cwd=tmp_path, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip

    def alive() -> list[str]:
        return [p for p in _session_members(proc.pid) if p.split()[1] != "Z"]

    try:
        deadline = time.monotonic() + 120
        while len(alive()) < 4 and time.monotonic() < deadline:  # the command, its fork server, two workers
            time.sleep(0.2)
        assert len(alive()) >= 4, alive()
        time.sleep(2)  # the workers are reading
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
        deadline = time.monotonic() + 10
        while alive() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(), "outlived the command"
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
