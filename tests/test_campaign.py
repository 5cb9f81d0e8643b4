"""The campaign file (schemas/campaign.yaml): the one home of the year's facts, so next year is a data edit.

The main test makes a 2022 campaign the way staff would — by editing a copy of that file only, selected with
INTAKE_CAMPAIGN — shifts every year in the committed Word samples' text by one, runs `intake run` on them, and
expects exactly the committed ground truth with its years shifted the same way: same fields and exceptions, dates
a year later.
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from flows.staff.tracker import load_requirements
from samples.scoring import score_run
from schemas.campaign import (
    CAMPAIGN_ENV,
    DEFAULT_CAMPAIGN,
    FORMS_DIR,
    REQUIREMENTS_YAML,
    CampaignError,
    load_campaign,
    resolve_references,
)
from schemas.form_schema import load_forms
from tests.conftest import INBOX, ROOT, load_truths

INTAKE = [sys.executable, "-m", "flows.cli"]
# Every way the samples write the year: 2021年…, 2021.5.22, hxkx2021@… and 二〇二一年六月十日.
_YEAR_2021 = re.compile(r"2021|(二[〇○零])二一")
_WORD_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)([^<]*)(</w:t>)")


def next_year(text: str) -> str:
    return _YEAR_2021.sub(lambda m: f"{m.group(1)}二二" if m.group(1) else "2022", text)


def shift_docx(src: Path, dst: Path) -> None:
    """A copy of a Word file whose text says 2022 wherever it said 2021; a file that is no zip is copied as is."""
    try:
        with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
            for item in zin.infolist():
                data = zin.read(item)
                if item.filename.startswith("word/") and item.filename.endswith(".xml"):
                    xml = data.decode("utf-8")
                    data = _WORD_TEXT.sub(lambda m: m.group(1) + next_year(m.group(2)) + m.group(3), xml).encode()
                zout.writestr(item, data)
    except zipfile.BadZipFile:
        dst.write_bytes(src.read_bytes())


def intake(args: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, "PREFECT_HOME": str(cwd / ".prefect-test-home"), "PYTHONPATH": str(ROOT), **env}
    return subprocess.run(INTAKE + args, capture_output=True, text=True, cwd=cwd, env=full_env, timeout=600)


def campaign_2022(folder: Path) -> Path:
    """Next year's campaign file, made by editing this year's text and nothing else."""
    path = folder / "campaign-2022.yaml"
    path.write_text(next_year(DEFAULT_CAMPAIGN.read_text(encoding="utf-8")), encoding="utf-8")
    return path


# ------------------------------------------------------------------------------------- next year, end to end


WORD_SAMPLES = sorted(p for p in INBOX.glob("*.docx"))


@pytest.fixture(scope="module")
def runs(tmp_path_factory) -> dict[str, Path]:
    """The shifted Word samples read twice: with the 2022 campaign file, and (the control) with the 2021 one."""
    root = tmp_path_factory.mktemp("campaign")
    inbox = root / "inbox"
    inbox.mkdir()
    for src in WORD_SAMPLES:
        shift_docx(src, inbox / src.name)
    outs = {}
    for name, campaign in (("2022", campaign_2022(root)), ("2021", DEFAULT_CAMPAIGN)):
        out = root / f"out-{name}"
        args = ["run", "--inbox", str(inbox), "--out", str(out), "--no-prefect", "--workers", "0", "--settle", "0"]
        done = intake(args, cwd=root, **{CAMPAIGN_ENV: str(campaign)})
        assert done.returncode == 3, done.stdout + done.stderr  # finished; some samples need review, as in 2021
        outs[name] = out
    return outs


def shifted_truths() -> dict[str, dict]:
    """The committed truth of each Word sample with every 2021 in its values made 2022 (the file name kept)."""
    out = {}
    for rel, truth in load_truths().items():
        if "/" not in rel and rel.endswith(".docx"):
            shifted = json.loads(next_year(json.dumps(truth, ensure_ascii=False)))
            shifted["file"] = rel
            out[rel] = shifted
    return out


def test_word_samples_carry_the_year(tmp_path: Path) -> None:
    """The shift reaches the samples' dates: with and without a written year, and in Chinese numerals."""
    assert len(WORD_SAMPLES) >= 20
    shifted = shifted_truths()
    assert set(shifted) == {p.name for p in WORD_SAMPLES}
    dates = [v for t in shifted.values() for row in [t.get("plan") or t.get("report") or {}] for v in row.values()]
    assert sum(bool(re.fullmatch(r"2022-\d\d-\d\d", v)) for v in dates) >= 30
    shift_docx(INBOX / "省气象学会总结报告.docx", tmp_path / "a.docx")
    text = zipfile.ZipFile(tmp_path / "a.docx").read("word/document.xml").decode()
    assert "二〇二二年六月十日" in text and "2021" not in text


def test_a_2022_campaign_file_gives_the_same_results_a_year_later(runs) -> None:
    score = score_run(runs["2022"], shifted_truths())
    assert not score.misses, score.misses
    assert not score.false_alarms and not score.missed_exceptions, (score.false_alarms, score.missed_exceptions)
    assert score.form_types.right == score.form_types.total == len(WORD_SAMPLES)
    assert score.exceptions_matched == score.exceptions_want
    wanted = {e["code"] for t in shifted_truths().values() for e in t["exceptions"]}
    assert {"late_submission", "date_out_of_window", "too_long"} <= wanted  # the year's rules, found a year on

    with open(runs["2022"] / "tracker.csv", encoding="utf-8-sig", newline="") as fh:
        due = {row["due_date"] for row in csv.DictReader(fh)}
    assert due - {""} == {"2022-05-08", "2022-05-10", "2022-06-18"}
    page = (runs["2022"] / "report.html").read_text(encoding="utf-8")
    assert "<h1>2022年“全国科技工作者日”报送材料处理报告</h1>" in page
    assert "第一阶段（5月10日—25日）" in page


def test_the_control_the_2021_campaign_misreads_2022_files(runs) -> None:
    """Without the new campaign file the same 2022 files come out wrong: the year is the file's, not the code's."""
    score = score_run(runs["2021"], shifted_truths())
    codes = {alarm.split(": ", 1)[1].split(" ")[0] for alarm in score.false_alarms}
    assert {"late_submission/submitted_on", "date_out_of_window/planned_start"} <= codes, score.false_alarms


# ------------------------------------------------------------------------------------------ one home, checked


def test_forms_and_requirements_take_their_dates_from_the_campaign() -> None:
    campaign = load_campaign()
    forms = {f.form_type: f for f in load_forms()}
    plan, report = forms["activity_plan"], forms["summary_report"]
    assert plan.deadline.model_dump() == campaign.deadlines["activity_plan"].model_dump()
    assert report.deadline.model_dump() == campaign.deadlines["summary_report"].model_dump()
    assert plan.field("planned_time_raw").window == campaign.activity_window
    assert plan.activities.max_chars == campaign.char_limits.activity
    assert report.report.char_limit.model_dump() == campaign.char_limits.summary_report.model_dump()
    assert {r.due for r in load_requirements().requirements} == {
        d for form in campaign.deadlines.values() for d in [form.default, *form.by_category.values()]
    }
    for path in [*FORMS_DIR.glob("*.yaml"), REQUIREMENTS_YAML]:
        text = yaml.safe_dump(yaml.safe_load(path.read_text(encoding="utf-8")), allow_unicode=True)
        assert not re.search(r"\d{4}-\d\d-\d\d|\d{3,}字", text), (
            f"{path.name} repeats a date or limit: use campaign.<key>"
        )


def _code_mentions(path: Path, needle: str) -> list[int]:
    """Lines where `needle` is in the code itself: a literal that is not a docstring (comments are not in the AST)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and needle in str(node.value) and id(node) not in docstrings
    ]


def test_no_code_holds_the_year() -> None:
    found = {
        f"{path.relative_to(ROOT)}:{line}"
        for package in ("flows", "extractors", "schemas")
        for path in (ROOT / package).rglob("*.py")
        for line in _code_mentions(path, "2021")
    }
    template = (ROOT / "flows/staff/templates/report.html").read_text(encoding="utf-8")
    assert not found and "2021" not in template, sorted(found)


# ----------------------------------------------------------------------------------------- a wrong campaign file


def _edited(tmp_path: Path, old: str, new: str, year: bool = True) -> Path:
    text = DEFAULT_CAMPAIGN.read_text(encoding="utf-8")
    text = next_year(text) if year else text
    assert old in text
    path = tmp_path / "campaign.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("old", "new", "key"),
    [
        ("省科协部门: 2022-05-08", "省科协部门: 2021-05-08", "deadlines.activity_plan.by_category.省科协部门"),
        ("end: 2022-05-25", "end: 2022-05-32", "stages.0.end"),
        ("activity: 500", "activity: 五百", "char_limits.activity"),
        ("activity_window: [2022-05-10, 2022-06-30]", "activity_window: [2022-06-30, 2022-05-10]", "activity_window"),
        ("year: 2022", "years: 2022", "year"),
    ],
)
def test_a_wrong_campaign_file_names_the_file_and_key(tmp_path: Path, old: str, new: str, key: str) -> None:
    path = _edited(tmp_path, old, new)
    with pytest.raises(CampaignError) as err:
        load_campaign(path)
    assert str(path) in str(err.value) and key in str(err.value), err.value


def test_a_reference_to_a_missing_key_names_the_file_and_place(tmp_path: Path) -> None:
    with pytest.raises(CampaignError) as err:
        resolve_references({"deadline": "campaign.deadlines.annual_report"}, tmp_path / "form.yaml")
    assert "form.yaml" in str(err.value) and "deadline" in str(err.value)
    assert "campaign.deadlines.annual_report" in str(err.value)
    text = resolve_references({"note": "{campaign.char_limits.activity}字以内"}, tmp_path / "r.yaml")
    assert text == {"note": f"{load_campaign().char_limits.activity}字以内"}


def test_intake_stops_at_start_up_on_a_wrong_campaign_file(tmp_path: Path) -> None:
    path = _edited(tmp_path, "省科协部门: 2022-05-08", "省科协部门: 2021-05-08")
    (tmp_path / "inbox").mkdir()
    args = ["run", "--inbox", str(tmp_path / "inbox"), "--out", str(tmp_path / "out"), "--no-prefect"]
    done = intake(args, cwd=tmp_path, COLUMNS="500", **{CAMPAIGN_ENV: str(path)})  # no wrapped lines
    console = done.stdout + done.stderr
    assert done.returncode == 2, console
    assert "活动设置文件" in console and "省科协部门" in console and "Traceback" not in console, console
