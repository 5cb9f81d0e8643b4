"""Consistency check of the family's truth: python -m samples.other_hands.docs.check [--table]

Re-derives every expected exception from the truth values alone (docs/ground-truth-format.md), checks value
formats, and looks into each file (python-docx / pdfplumber text) for the values the truth claims it carries.
"""

from __future__ import annotations

import collections
import json
import re
import sys
from pathlib import Path

import pdfplumber
from docx import Document

from .model import REPORT_DEADLINE, WINDOW, nonspace_len, stage_of
from .units import DEPT, by_id

ROOT = Path(__file__).resolve().parents[1]
ISO = re.compile(r"^2021-\d\d-\d\d$")
LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$")
MOBILE = re.compile(r"^1\d{10}$")
EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$")


def file_text(path: Path) -> str:
    if path.suffix == ".docx":
        d = Document(str(path))
        parts = [p.text for p in d.paragraphs]

        def walk(tables):
            for t in tables:
                for row in t.rows:
                    for cell in row.cells:
                        parts.extend(p.text for p in cell.paragraphs)
                        walk(cell.tables)

        walk(d.tables)
        return re.sub(r"\s", "", "".join(parts))
    with pdfplumber.open(path) as pdf:
        return re.sub(r"\s", "", "".join(p.extract_text() or "" for p in pdf.pages))


class Text(str):
    """A file's text without whitespace; `in` also accepts a value whose characters appear in order (a PDF table
    cell that wraps is read interleaved with its neighbours)."""

    def __contains__(self, value: object) -> bool:
        v = str(value)
        if str.__contains__(self, v):
            return True
        it = iter(str(self))
        return all(ch in it for ch in v)


def has_seal_art(path: Path) -> bool:
    """A seal picture with an alpha mask, or art printed with a multiply blend (the vector seals)."""
    import pikepdf

    raw = path.read_bytes()
    with pikepdf.open(path) as pdf:
        smask = any(
            isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Image" and "/SMask" in o for o in pdf.objects
        )
    return smask or b"/Multiply" in raw


def expected_plan(t: dict, units: dict) -> list[tuple]:
    p = t["plan"]
    exc = []
    unit = units.get(p["unit_id"])
    if not p["unit_raw"]:
        exc.append(("missing_field", "unit_raw", "error"))
    elif not p["unit_id"]:
        exc.append(("unit_unmatched", "unit_raw", "error"))
    if not p["activity_name"]:
        exc.append(("missing_field", "activity_name", "error"))
    if not p["modules"]:
        exc.append(("no_module_selected", "modules", "error"))
    if not p["audiences"]:
        exc.append(("no_audience_selected", "audiences", "warning"))
    if not p["planned_time_raw"]:
        exc.append(("missing_field", "planned_start", "error"))
    elif not p["planned_start"]:
        exc.append(("invalid_date", "planned_start", "error"))
    elif not all(WINDOW[0] <= d <= WINDOW[1] for d in (p["planned_start"], p["planned_end"])):
        exc.append(("date_out_of_window", "planned_start", "warning"))
    if not p["location"]:
        exc.append(("missing_field", "location", "warning"))
    if not p["contact_name"]:
        exc.append(("missing_field", "contact_name", "error"))
    deadline = "2021-05-08" if unit and unit["category"] == DEPT else "2021-05-10"
    if p["submitted_on"] and p["submitted_on"] > deadline:
        exc.append(("late_submission", "submitted_on", "warning"))
    if t["source_kind"] != "docx" and p["stamp_present"] == "false":
        exc.append(("missing_stamp", "stamp_present", "error"))
    if not t["activities"]:
        exc.append(("missing_field", "activities", "error"))
    for a in t["activities"]:
        if int(a["char_count"]) > 500:
            exc.append(("too_long", "description", "warning"))
    return exc


def check_one(path: Path, t: dict, units: dict) -> list[str]:
    errs = []
    inbox = path.parent.parent / "inbox"
    f = inbox / t["file"]
    if not f.exists():
        return [f"file missing: {t['file']}"]
    if path.name != t["file"].replace("/", "__") + ".json":
        errs.append("truth name does not follow the file path")
    exc = [(e["code"], e["field"], e["severity"]) for e in t["exceptions"]]
    kind = "docx" if f.suffix == ".docx" else "pdf_text"
    if t["source_kind"] != kind:
        errs.append("source_kind")
    if t["form_type"] == "":
        codes = {c for c, _, _ in exc}
        if not (codes == {"unknown_form"} or codes == {"duplicate_submission"}) or len(exc) != 1:
            errs.append(f"non-form file with exceptions {exc}")
        return errs
    text = Text(file_text(f)) if f.suffix == ".pdf" else file_text(f)
    if f.suffix == ".pdf" and ("seal" in t) != has_seal_art(f):
        errs.append("the truth's seal and the PDF's seal art (SMask picture / multiply vector) disagree")
    rows = [t["plan"]] if "plan" in t else t.get("liaisons", []) + ([t["report"]] if "report" in t else [])
    for row in rows:
        uid = row["unit_id"]
        if uid and units[uid]["canonical_name"] != row["unit_name"]:
            errs.append(f"unit_name for {uid}")
        if re.sub(r"\s", "", row["unit_raw"]) not in text:
            errs.append(f"unit_raw {row['unit_raw']!r} not in the file's text")
    if "plan" in t:
        p = t["plan"]
        for key in ("planned_start", "planned_end", "submitted_on"):
            if p[key] and not ISO.match(p[key]):
                errs.append(f"{key} not ISO")
        for key in ("office_phone", "fax"):
            if p[key] and not LANDLINE.match(p[key]):
                errs.append(f"{key} format")
        if p["mobile"] and not MOBILE.match(p["mobile"]):
            errs.append("mobile format")
        if p["email"] and not EMAIL.match(p["email"]):
            errs.append("email format")
        if p["expected_participants"] and p["expected_participants"] not in p["expected_scale"]:
            errs.append("participants not in scale")
        for key in ("contact_name", "planned_time_raw", "location"):
            if re.sub(r"\s", "", p[key]) not in text:
                errs.append(f"{key} {p[key]!r} not in the file's text")
        for a in t["activities"]:
            if str(nonspace_len(a["description"])) != a["char_count"]:
                errs.append(f"char_count of activity {a['seq']}")
            if stage_of(a["title"] + "\n" + a["description"]) != a["stage"]:
                errs.append(f"stage of activity {a['seq']}")
            if re.sub(r"\s", "", a["title"]) not in text:
                errs.append(f"activity title {a['title']!r} not in text")
            desc = re.sub(r"\s", "", a["description"])
            if "：" not in desc[:8] and desc[:30] not in text:
                errs.append(f"activity {a['seq']} description not in text")
        derived = expected_plan(t, units)
        # format-dependent codes (invalid_*) cannot be re-derived from clean values: take them from the truth
        derived += [
            e
            for e in exc
            if e[0] in ("invalid_mobile", "invalid_phone", "invalid_email", "missing_field")
            and e[1] in ("mobile", "office_phone", "fax", "email", "mailing_address")
        ]
        derived += [e for e in exc if e[0] == "invalid_date" and e[1] == "submitted_on"]
        if not p["submitted_on"] and not any(e[1] == "submitted_on" for e in exc):
            errs.append("empty submitted_on without an exception")
        if collections.Counter(derived) != collections.Counter(exc):
            errs.append(f"exceptions {sorted(exc)} != derived {sorted(derived)}")
        errors = any(s == "error" for _, _, s in exc)
        if p["status"] != ("needs_review" if errors else "clean"):
            errs.append("status")
        if (p["stamp_present"] == "true") != ("seal" in t):
            errs.append("stamp_present vs seal")
    if "liaisons" in t:
        for r in t["liaisons"]:
            if r["phone"] and not (LANDLINE.match(r["phone"]) or MOBILE.match(r["phone"])):
                errs.append("liaison phone format")
            if r["phone"] and r["phone_kind"] != ("mobile" if MOBILE.match(r["phone"]) else "landline"):
                errs.append("phone_kind")
            if r["name"] and r["name"] not in text:
                errs.append(f"name {r['name']} not in text")
            if r["org_title"] and re.sub(r"\s", "", r["org_title"]) not in text:
                errs.append(f"org_title {r['org_title']} not in text")
    if "report" in t:
        r = t["report"]
        unit = units.get(r["unit_id"])
        limit = 2000 if unit and unit["category"] == DEPT else 3000
        if r["char_limit"] != str(limit):
            errs.append("char_limit")
        derived = []
        if not r["unit_id"]:
            derived.append(("unit_unmatched", "unit_raw", "error"))
        if int(r["char_count"]) > limit:
            derived.append(("too_long", "char_count", "warning"))
        if not r["submitted_on"]:
            derived.append(("missing_field", "submitted_on", "warning"))
        elif r["submitted_on"] > REPORT_DEADLINE:
            derived.append(("late_submission", "submitted_on", "warning"))
        if collections.Counter(derived) != collections.Counter(exc):
            errs.append(f"exceptions {exc} != derived {derived}")
        if re.sub(r"\s", "", r["title"]) not in text:
            errs.append("title not in text")
    return errs


# the brief's variation classes, each made of the fine classes the recipes tag
GROUPS = {
    "Word styles and table shapes": (
        "word_style",
        "wps_style",
        "lo_style",
        "table_",
        "fields_as_paragraphs",
        "label_value_one_cell",
        "nested_contacts_table",
        "reordered_rows",
        "extra_rows",
        "spaced_labels",
        "full_width_colon",
        "unit_in_table",
        "columns_reordered",
        "extra_column",
    ),
    "ticks (modules / audiences)": ("tick_", "ticks_one_per_line", "three_modules", "no_module", "no_audience"),
    "dates": ("planned_", "submitted_", "date_", "late_submission", "dept_deadline", "missing_date"),
    "phones and e-mails": ("office_", "mobile_", "email_", "phone_", "invalid_", "missing_phone"),
    "liaison persons (1/2/3, long titles)": ("liaison_", "long_org_title", "blank_rows", "template_footer_kept"),
    "unit spellings / unmatched": ("unit_", "county_unit", "label_seal_hint"),
    "titles wrapping / split": ("title_", "value_two_paragraphs"),
    "activities layouts and length": ("activities_", "description_over_500", "too_long", "dept_char_limit", "report_"),
    "forwarded notice / blank templates": ("forwarded_notice", "blank_template"),
    "byte-identical copies": ("byte_identical_copy",),
    "Word with e-seal picture": ("seal_docx",),
    "text PDF exported by LibreOffice": ("pdf_lo_export",),
    "text PDF written directly (WPS-like)": ("pdf_direct_wps_like",),
    "PDF seals (raster multiply / vector / embedded)": (
        "seal_raster",
        "seal_vector",
        "seal_embedded",
        "seal_under",
        "seal_over",
        "seal_crosses",
    ),
    "PDF without seal, red non-seals": ("unstamped", "red_"),
}


def group_of(cls: str) -> list[str]:
    return [g for g, prefixes in GROUPS.items() if any(cls == p or cls.startswith(p) for p in prefixes)]


def tables(groups, classes, forms) -> str:
    out = ["| variation class (files carrying it) | dev | test |", "|---|---|---|"]
    out += [f"| {g} | {groups[g]['dev']} | {groups[g]['test']} |" for g in GROUPS]
    out += ["", "| form / format | dev | test |", "|---|---|---|"]
    out += [f"| {k} | {forms[k]['dev']} | {forms[k]['test']} |" for k in sorted(forms)]
    out += ["", "Every fine class (a file may carry several):", "", "| fine class | dev | test |", "|---|---|---|"]
    out += [f"| `{c}` | {classes[c]['dev']} | {classes[c]['test']} |" for c in sorted(classes)]
    return "\n".join(out)


def update_readme(groups, classes, forms) -> None:
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    start = text.index("<!-- tables:start")
    start = text.index("\n", start) + 1
    end = text.index("<!-- tables:end -->")
    readme.write_text(text[:start] + tables(groups, classes, forms) + "\n" + text[end:], encoding="utf-8")


def main() -> int:
    units = {uid: {"canonical_name": u.name, "category": u.category} for uid, u in by_id().items()}
    bad = 0
    classes: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    forms: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    groups: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    for split in ("dev", "test"):
        for path in sorted((ROOT / split / "truth").glob("*.json")):
            if path.name.split("__", 1)[0] not in ("word", "pdf"):
                continue  # another family's truth
            t = json.loads(path.read_text(encoding="utf-8"))
            for err in check_one(path, t, units):
                bad += 1
                print(f"{split}/{path.name}: {err}")
            for c in t.get("classes", []):
                classes[c][split] += 1
            for g in {g for c in t.get("classes", []) for g in group_of(c)}:
                groups[g][split] += 1
            forms[t["form_type"] or "(not a form)"][split] += 1
            row = t.get("plan") or t.get("report") or (t.get("liaisons") or [None])[0]
            if "--pairs" in sys.argv and row:
                print(f"{split}\t{row['unit_id'] or '(unmatched) ' + row['unit_raw']}\t{t['form_type']}\t{t['file']}")
            forms["docx" if t["file"].endswith(".docx") else "pdf"][split] += 1
    if "--readme" in sys.argv:
        update_readme(groups, classes, forms)
    if "--table" in sys.argv:
        print("| variation class (files carrying it) | dev | test |\n|---|---|---|")
        for g in GROUPS:
            print(f"| {g} | {groups[g]['dev']} | {groups[g]['test']} |")
        print()
        print("| fine class | dev | test |\n|---|---|---|")
        for c in sorted(classes):
            print(f"| `{c}` | {classes[c]['dev']} | {classes[c]['test']} |")
        print()
        print("| form / format | dev | test |\n|---|---|---|")
        for k in sorted(forms):
            print(f"| {k} | {forms[k]['dev']} | {forms[k]['test']} |")
    print(f"{bad} problem(s)")
    return 1 if bad else 0


if __name__ == "__main__":
    raise SystemExit(main())
