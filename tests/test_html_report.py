"""report.html: a static page that opens offline, shows the run's numbers, and renders in a real browser."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image

from flows.reading.pipeline import discover, process_file
from flows.tables.writer import write_outputs
from tests.conftest import INBOX

CHROMIUM = Path("/usr/bin/chromium")
SAMPLES = [
    "西宁市科协-特色亮点活动筹备方案.docx",
    "hainan_kexie_fangan.docx",
    "调宣部特色亮点活动方案.docx",
    "省农学会筹备方案.docx",
    "玉树州科协回执表.docx",
    "海东市科协活动筹备方案.docx",
    "summary_qhnu_2021.docx",
    "upload_interrupted.docx",
]


@pytest.fixture(scope="module")
def out(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("report")
    inbox, outdir = base / "inbox", base / "out"
    inbox.mkdir()
    for name in SAMPLES:
        shutil.copy(INBOX / name, inbox / name)
    write_outputs(outdir, [process_file(p, inbox) for p in discover(inbox)])
    return outdir


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_report_needs_nothing_from_the_network(out: Path) -> None:
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<meta charset='utf-8'>" in page
    for outside in ("<script", "http://", "https://", "@import", "url(", "<link", "<img"):
        assert outside not in page, outside


def test_report_numbers_are_the_tables_numbers(out: Path) -> None:
    page = (out / "report.html").read_text(encoding="utf-8")
    by_code = Counter(r["code"] for r in _csv(out / "exceptions.csv"))
    assert by_code
    for code, count in by_code.items():
        assert re.search(rf"（{code}）</td><td class='n'>{count}</td>", page), code
    stages = Counter(r["stage"] for r in _csv(out / "activities.csv"))
    assert re.search(rf"第一阶段（5月10日—25日）</td><td class='n'>{stages['1']}</td>", page)
    tracker = _csv(out / "tracker.csv")
    overdue = sum(r["status"] == "overdue" for r in tracker)
    assert re.search(rf"逾期未交</td><td class='n'>{overdue}</td>", page)
    # every unit that owes something has a row in the chase table
    for name in {r["unit_name"] for r in tracker if r["required"] == "true"}:
        assert f"<tr><td>{name}</td>" in page, name


@pytest.mark.skipif(not CHROMIUM.exists(), reason="chromium not installed (apt-get install chromium)")
def test_report_renders_in_headless_chromium(out: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    done = subprocess.run(
        [
            str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}", f"--screenshot={shot}", "--window-size=1280,2000",
            (out / "report.html").resolve().as_uri(),
        ],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert shot.exists(), done.stderr[-2000:]
    image = Image.open(shot).convert("RGB")
    assert image.size == (1280, 2000)
    colours = {rgb: n for n, rgb in image.getcolors(maxcolors=1 << 24)}
    white = colours.get((255, 255, 255), 0) / (1280 * 2000)
    assert white < 0.97, "the page is (nearly) blank"
    # the charts were drawn: the error bars' red and the table headers' blue cover real areas
    assert colours.get((192, 0, 0), 0) > 2000, "no error bars"
    assert colours.get((31, 78, 120), 0) > 5000, "no table headers"
    shutil.copy(shot, out / "report-screenshot.png")  # kept beside the report for a person to look at


def test_cards_and_tables_agree_and_say_what_they_count(tmp_path: Path) -> None:
    """A Word file and its stamped PDF are one submission: 需人工核对 counts submissions on the card and in the
    tables alike; 错误/提醒 count the rows of exceptions.csv, and the unit table's columns add up to them."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    pair = ["海东市科协活动筹备方案.docx", "pdf/海东市科协活动筹备方案.pdf"]
    for name in [*pair, "西宁市科协-特色亮点活动筹备方案.docx", "upload_interrupted.docx", "玉树州科协回执表.docx"]:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(INBOX / name, inbox / name)
    write_outputs(out, [process_file(p, inbox) for p in discover(inbox)])
    page = (out / "report.html").read_text(encoding="utf-8")
    cards = {label: int(n) for n, label in re.findall(r"<b>(\d+)</b>([^<]+)</div>", page)}
    assert all(label.endswith(("（个）", "（份）", "（个文件）", "（条）")) for label in cards), cards
    tables = pd.read_html(io.StringIO(page))
    by_form = next(t for t in tables if "需核对（份）" in t.columns and "表格" in t.columns)
    by_unit = next(t for t in tables if "错误（条）" in t.columns)
    assert cards["需人工核对（份）"] == by_form["需核对（份）"].sum() == by_unit["需核对（份）"].sum() == 3
    assert cards["报送材料（份）"] == by_form["合计（份）"].sum() == 3  # 5 files: a pair, and one unreadable
    assert cards["收到文件（个）"] == 5
    rows = _csv(out / "exceptions.csv")
    assert cards["错误（条）"] == by_unit["错误（条）"].sum() == sum(r["severity"] == "error" for r in rows)
    assert cards["提醒（条）"] == by_unit["提醒（条）"].sum() == sum(r["severity"] == "warning" for r in rows)
