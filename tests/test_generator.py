"""The sample generator: re-running it reproduces the committed samples, and every truth file is valid."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from samples.generate import generate
from samples.generator import SPECS, truth_for
from samples.generator.model import MODULES, SubmissionSpec
from samples.generator.truth_check import problems, truth_name
from samples.generator.units import UNITS

ROOT = Path(__file__).resolve().parent.parent
INBOX, TRUTH = ROOT / "samples" / "inbox", ROOT / "samples" / "truth"
REGISTRIES = (ROOT / "schemas" / "registry" / "units.csv",)
DELIBERATE_UNITS = {"青海省气像学会": "typo of 青海省气象学会", "海南省科协": "not in the registry"}
W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def category_of(unit_id: str) -> str:
    return UNITS.get(unit_id, ("", ""))[1]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("gen")
    generate(out)
    return out


def _members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def _docx_text(path: Path) -> str:
    """Every w:t of the body, content controls and nested tables included."""
    xml = zipfile.ZipFile(path).read("word/document.xml")
    return re.sub(r"<[^>]+>", "", re.sub(rb"</w:p>", b"\n", xml).decode())


def test_regenerating_reproduces_the_committed_samples(fresh: Path) -> None:
    made = sorted(p.name for p in (fresh / "inbox").iterdir())
    committed = sorted(p.name for p in INBOX.iterdir() if p.is_file() and p.suffix == ".docx")
    assert made == committed == sorted(s.file for s in SPECS)
    made_truth = sorted(p.name for p in (fresh / "truth").iterdir())
    assert made_truth == sorted(p.name for p in TRUTH.glob("*.docx.json"))
    for name in made_truth:
        assert (fresh / "truth" / name).read_bytes() == (TRUTH / name).read_bytes(), name
    for name in made:
        new, old = (fresh / "inbox" / name).read_bytes(), (INBOX / name).read_bytes()
        if new != old:  # another zlib may compress differently: the parts themselves must agree
            assert _members(new) == _members(old), name


def test_every_truth_file_is_valid() -> None:
    files = sorted(TRUTH.glob("*.json"))
    assert len(files) >= len(SPECS)
    for path in files:
        truth = json.loads(path.read_text(encoding="utf-8"))
        assert path.name == truth_name(truth["file"]), path.name
        assert (INBOX / truth["file"]).is_file(), truth["file"]
        assert problems(truth, category_of) == [], path.name


def test_samples_cover_every_planned_exception() -> None:
    codes = {(e.code, e.field) for s in SPECS for e in s.exceptions}
    for wanted in [
        ("invalid_mobile", "mobile"),
        ("invalid_email", "email"),
        ("missing_field", "contact_name"),
        ("no_module_selected", "modules"),
        ("no_audience_selected", "audiences"),
        ("date_out_of_window", "planned_start"),
        ("late_submission", "submitted_on"),
        ("unit_unmatched", "unit_raw"),
        ("too_long", "description"),
        ("too_long", "char_count"),
        ("invalid_phone", "phone"),
        ("missing_field", "phone"),
        ("unknown_form", ""),
        ("unreadable_file", ""),
        ("duplicate_submission", ""),
    ]:
        assert wanted in codes, wanted
    clean_plans = [s for s in SPECS if s.form_type == "activity_plan" and not s.exceptions]
    assert len(clean_plans) >= 6


def test_units_agree_with_the_registry() -> None:
    registry = next((p for p in REGISTRIES if p.exists()), None)
    if registry is None:
        pytest.skip("no units.csv here")
    rows = {r["unit_id"]: r for r in csv.DictReader(registry.open(encoding="utf-8-sig"))}
    for unit_id, (name, category) in UNITS.items():
        assert (rows[unit_id]["canonical_name"], rows[unit_id]["category"]) == (name, category), unit_id

    def spellings(row: dict) -> list[str]:
        return [row["canonical_name"], *row["aliases"].split(";")]

    spelled = {n for r in rows.values() for n in spellings(r)}
    for spec in SPECS:
        if not spec.form_type:
            continue
        if spec.unit_raw in DELIBERATE_UNITS:
            continue
        assert spec.unit_id, spec.file
        owner = {r["unit_id"] for r in rows.values() if spec.unit_raw in spellings(r)}
        assert owner == {spec.unit_id}, (spec.file, spec.unit_raw, owner)
    assert "海南省科协" not in spelled


def _stage_by_rule(text: str) -> str:
    """The format doc's stage rule, written again independently of the specs."""
    explicit = re.search(r"第([一二三])阶段", text)
    if explicit:
        return str("一二三".index(explicit.group(1)) + 1)
    date = re.search(r"(\d{1,2})月(\d{1,2})日", text)
    if not date:
        return ""
    md = (int(date.group(1)), int(date.group(2)))
    for stage, (lo, hi) in {"1": ((5, 10), (5, 25)), "2": ((5, 26), (6, 5)), "3": ((6, 6), (6, 30))}.items():
        if lo <= md <= hi:
            return stage
    return ""


def test_hand_written_stages_follow_the_dates() -> None:
    for spec in SPECS:
        for act in spec.plan.activities if spec.plan else ():
            text = act.title + "\n" + act.description
            assert act.stage == _stage_by_rule(text), (spec.file, act.title)
            assert not re.match(
                r"^(?:[一二三四五六七八九]、|（[一二三四五六七八九]）|\d+[.、]|活动[一二三\d]+：)",
                act.description,
                re.M,
            ), (spec.file, act.title)


def test_the_word_files_carry_what_the_specs_say(fresh: Path) -> None:
    for spec in SPECS:
        if spec.special in ("duplicate", "unreadable"):
            continue
        text = _docx_text(fresh / "inbox" / spec.file)
        for raw in _raw_strings(spec):
            assert raw in text, (spec.file, raw)


def _raw_strings(spec: SubmissionSpec) -> list[str]:
    if spec.plan:
        p = spec.plan
        raws = [
            spec.unit_raw,
            p.activity_name,
            p.organizer,
            p.time.raw,
            p.location,
            p.scale.raw,
            p.contact_name,
            p.office_phone.raw,
            p.mobile.raw,
            p.fax.raw,
            p.email.raw,
            p.address,
            p.submitted.raw,
        ]
        for act in p.activities:
            raws += [act.title, *act.paragraphs, *(value for _, value in act.rows)]
        return [r for r in raws if r]
    if spec.persons:
        return [spec.unit_raw] + [v for p in spec.persons for v in (p.name, p.org_title, p.phone.raw) if v]
    if spec.report:
        return [spec.unit_raw, spec.report.title, *spec.report.body, spec.report.signature, spec.report.date.raw]
    return list(spec.paragraphs)


def test_checkbox_controls_hold_the_ticks(fresh: Path) -> None:
    for spec in SPECS:
        if not spec.plan or spec.layout.ticks not in ("sdt", "formfield"):
            continue
        xml = zipfile.ZipFile(fresh / "inbox" / spec.file).read("word/document.xml").decode()
        if spec.layout.ticks == "sdt":
            states = re.findall(r'<w14:checked w14:val="([01])"/>', xml)
            ticked = states.count("1")
        else:
            boxes = re.findall(r"<w:checkBox>(.*?)</w:checkBox>", xml)
            ticked = sum(
                ("<w:checked/>" in b) or ('w:val="1"/>' in b and '<w:checked w:val="0"/>' not in b) for b in boxes
            )
            states = boxes
        assert len(states) == len(MODULES) + 3, spec.file
        assert ticked == len(spec.plan.modules) + len(spec.plan.audiences), spec.file


def test_unreadable_and_duplicate_files(fresh: Path) -> None:
    for spec in SPECS:
        data = (fresh / "inbox" / spec.file).read_bytes()
        if spec.special == "unreadable":
            with pytest.raises(zipfile.BadZipFile):
                zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml")
        if spec.special == "duplicate":
            assert data == (fresh / "inbox" / spec.copy_of).read_bytes()
            assert sorted([spec.file, spec.copy_of])[1] == spec.file  # flagged on the later path


def test_truth_for_other_formats_changes_only_the_stamp_parts() -> None:
    plan = next(s for s in SPECS if s.form_type == "activity_plan" and not s.exceptions)
    docx = truth_for(plan, "docx")
    scan = truth_for(plan, "pdf_scan", stamped=False, file="scans/x.jpg")
    stamped = truth_for(plan, "pdf_text", stamped=True)
    assert scan["file"] == "scans/x.jpg" and scan["source_kind"] == scan["plan"]["source_kind"] == "pdf_scan"
    assert {"code": "missing_stamp", "field": "stamp_present", "severity": "error"} in scan["exceptions"]
    assert scan["plan"]["status"] == "needs_review" and docx["plan"]["status"] == "clean"
    assert stamped["plan"]["stamp_present"] == "true" and stamped["exceptions"] == docx["exceptions"]
    assert docx["activities"] == scan["activities"] == stamped["activities"]
    for truth in (docx, scan, stamped):
        assert problems(truth, category_of) == []
    liaison = next(s for s in SPECS if s.form_type == "liaison_reply")
    assert truth_for(liaison, "pdf_scan")["exceptions"] == truth_for(liaison, "docx")["exceptions"]


def test_readme_lists_every_sample() -> None:
    readme = (ROOT / "samples" / "README.md").read_text(encoding="utf-8")
    for spec in SPECS:
        assert f"`{spec.file}`" in readme, spec.file
