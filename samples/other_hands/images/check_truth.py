"""Checks every truth JSON of the family against docs/ground-truth-format.md, independently of how it was made.

``python -m samples.other_hands.images.check_truth`` — re-derives char counts, stages, normalised values and the
expected exceptions from the truth values alone (plus the registry and the files themselves) and reports every
disagreement; also checks the dev/test split (each class in both, no unit sending the same form twice in a set,
counting any other family's truth files in the same set too). Exit code 1 on any problem.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from datetime import date
from pathlib import Path

import pdfplumber
from PIL import Image

from .registry import REPORT_DEADLINE, all_units

ROOT = Path(__file__).resolve().parents[1] / "scanned"
FAMILIES = ("scans", "grey", "fax", "photos", "seals")
PLAN_KEYS = (
    "unit_id unit_name unit_raw activity_name modules organizer planned_time_raw planned_start planned_end location "
    "audiences expected_scale expected_participants contact_name office_phone mobile fax email mailing_address "
    "stamp_present submitted_on status source_kind"
).split()
MODULES = ("团结引领", "建家办事", "为民服务", "开放合作", "表彰发布")
AUDIENCES = ("科协系统干部", "科技工作者", "海外同行")
MOBILE = re.compile(r"^1\d{10}$")
LANDLINE = re.compile(r"^0\d{2,3}-\d{7,8}$")
EMAIL = re.compile(r"^[a-z0-9._%+-]+@[a-z0-9.-]+\.[a-z]{2,}$")
CN_DATE = re.compile(r"(\d{1,2})月(\d{1,2})日")
EXPLICIT_STAGE = re.compile(r"第([一二三])阶段")


def iso(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def stage_of(title: str, description: str) -> str:
    """The rules doc: an explicit 第X阶段 wins, else the first X月Y日 in title, then description."""
    text = title + "\n" + description
    explicit = EXPLICIT_STAGE.search(text)
    if explicit:
        return str("一二三".index(explicit.group(1)) + 1)
    first = CN_DATE.search(text)
    if not first:
        return ""
    day = date(2021, int(first.group(1)), int(first.group(2)))
    for stage, (low, high) in enumerate(
        (
            (date(2021, 5, 10), date(2021, 5, 25)),
            (date(2021, 5, 26), date(2021, 6, 5)),
            (date(2021, 6, 6), date(2021, 6, 30)),
        ),
        start=1,
    ):
        if low <= day <= high:
            return str(stage)
    return ""


def resolves(raw: str, unit_id: str) -> bool:
    """unit_raw names the unit: canonical name or alias, possibly with 青海省 in front or extra words after."""
    unit = all_units()[unit_id]
    names = (unit.name, *unit.aliases)
    core = raw.removeprefix("青海省").removesuffix("（盖章）")
    return raw in names or core in names or any(raw.startswith(n) and len(n) >= 6 for n in names)


def expected_plan(doc: dict) -> list[tuple[str, str, str]]:
    plan, written = doc["plan"], doc.get("as_written", {})
    unit = all_units()[plan["unit_id"]]
    out = []
    if not plan["modules"]:
        out.append(("no_module_selected", "modules", "error"))
    if not plan["audiences"]:
        out.append(("no_audience_selected", "audiences", "warning"))
    for key in ("planned_start", "planned_end"):
        if plan[key] and not ("2021-05-10" <= plan[key] <= "2021-06-30"):
            out.append(("date_out_of_window", "planned_start", "warning"))
            break
    if not plan["mobile"]:
        out.append(
            ("invalid_mobile", "mobile", "error") if written.get("mobile") else ("missing_field", "mobile", "error")
        )
    if not plan["office_phone"]:
        code = "invalid_phone" if written.get("office_phone") else "missing_field"
        out.append((code, "office_phone", "error" if code == "invalid_phone" else "warning"))
    if not plan["fax"] and written.get("fax"):
        out.append(("invalid_phone", "fax", "error"))
    if not plan["email"]:
        out.append(
            ("invalid_email", "email", "error") if written.get("email") else ("missing_field", "email", "warning")
        )
    deadline = "2021-05-08" if unit.category == "省科协部门" else "2021-05-10"
    if plan["submitted_on"] > deadline:
        out.append(("late_submission", "submitted_on", "warning"))
    if doc["source_kind"] in ("pdf_text", "pdf_scan", "image") and plan["stamp_present"] == "false":
        out.append(("missing_stamp", "stamp_present", "error"))
    out += [("too_long", "description", "warning") for a in doc["activities"] if int(a["char_count"]) > 500]
    return out


def check_plan(doc: dict, problems: list[str]) -> None:
    plan = doc["plan"]
    missing = [k for k in PLAN_KEYS if k not in plan]
    if missing:
        problems.append(f"plan keys missing: {missing}")
    for key in ("planned_start", "planned_end", "submitted_on"):
        if plan[key] and not iso(plan[key]):
            problems.append(f"{key} not ISO: {plan[key]}")
    for key in ("office_phone", "fax"):
        if plan[key] and not LANDLINE.match(plan[key]):
            problems.append(f"{key} not normalised: {plan[key]}")
    if plan["mobile"] and not MOBILE.match(plan["mobile"]):
        problems.append(f"mobile not normalised: {plan['mobile']}")
    if plan["email"] and not EMAIL.match(plan["email"]):
        problems.append(f"email not clean lower-case: {plan['email']}")
    for key, options in (("modules", MODULES), ("audiences", AUDIENCES)):
        chosen = [x for x in plan[key].split(";") if x]
        if chosen != [x for x in options if x in chosen]:
            problems.append(f"{key} not in form order / unknown: {plan[key]}")
    if plan["stamp_present"] != ("true" if doc["seal"] else "false"):
        problems.append("stamp_present disagrees with the seals drawn")
    if plan["source_kind"] != doc["source_kind"]:
        problems.append("plan.source_kind differs from source_kind")
    if plan["expected_participants"] and plan["expected_participants"] not in plan["expected_scale"]:
        problems.append("expected_participants not stated in expected_scale")
    if not doc["activities"]:
        problems.append("no activities")
    for seq, activity in enumerate(doc["activities"], start=1):
        if activity["seq"] != str(seq):
            problems.append(f"activity seq {activity['seq']} != {seq}")
        count = len(re.sub(r"\s", "", activity["description"]))
        if activity["char_count"] != str(count):
            problems.append(f"activity {seq} char_count {activity['char_count']} != {count}")
        stage = stage_of(activity["title"], activity["description"])
        if activity["stage"] != stage:
            problems.append(f"activity {seq} stage {activity['stage']!r}, rule gives {stage!r}")


def check_liaison(doc: dict, problems: list[str], expected: list) -> None:
    written = doc.get("as_written", {}).get("persons", [])
    if not doc["liaisons"]:
        expected.append(("missing_field", "name", "error"))
    for i, row in enumerate(doc["liaisons"]):
        raw = written[i]["phone"] if i < len(written) else ""
        if not row["name"]:
            problems.append(f"liaison {i + 1} without a name")
        if row["phone"]:
            kind = "mobile" if MOBILE.match(row["phone"]) else "landline" if LANDLINE.match(row["phone"]) else "?"
            if kind != row["phone_kind"]:
                problems.append(f"liaison {i + 1} phone {row['phone']} kind {row['phone_kind']} (looks {kind})")
        elif raw:
            expected.append(("invalid_phone", "phone", "error"))
        else:
            expected.append(("missing_field", "phone", "error"))
        if re.search(r"\s", row["name"]):
            problems.append(f"liaison {i + 1} name keeps padding: {row['name']!r}")


def check_report(doc: dict, problems: list[str], expected: list) -> None:
    report = doc["report"]
    unit = all_units()[report["unit_id"]]
    limit = 2000 if unit.category == "省科协部门" else 3000
    if report["char_limit"] != str(limit):
        problems.append(f"char_limit {report['char_limit']} != {limit}")
    if int(report["char_count"]) > limit:
        expected.append(("too_long", "char_count", "warning"))
    if not iso(report["submitted_on"]):
        problems.append(f"submitted_on not ISO: {report['submitted_on']}")
    elif report["submitted_on"] > REPORT_DEADLINE:
        expected.append(("late_submission", "submitted_on", "warning"))
    if not report["title"]:
        expected.append(("missing_field", "title", "error"))


def check_file(doc: dict, inbox: Path, problems: list[str]) -> None:
    path = inbox / doc["file"]
    if not path.exists():
        problems.append("file missing")
        return
    suffix = path.suffix.lower()
    if (doc["source_kind"] == "pdf_scan") != (suffix == ".pdf"):
        problems.append(f"source_kind {doc['source_kind']} for {suffix}")
    family = doc["file"].split("/")[0]
    if suffix == ".pdf":
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            if any((p.extract_text() or "").strip() for p in pdf.pages):
                problems.append("PDF has a text layer (should be image-only)")
    else:
        with Image.open(path) as image:
            pages = getattr(image, "n_frames", 1)
            mode, dpi = image.mode, image.info.get("dpi", (0, 0))
            compression = image.info.get("compression", "")
        if family == "fax" and (mode != "1" or round(dpi[0]) != 200 or compression not in ("group4", "packbits")):
            problems.append(f"fax not bilevel 200 dpi G4/PackBits: {mode} {dpi} {compression}")
        if family == "grey" and mode != "L":
            problems.append(f"grey scan in mode {mode}")
        if family in ("scans", "seals") and (mode not in ("RGB", "YCbCr") or not 199 <= dpi[0] <= 301):
            problems.append(f"colour scan {mode} {dpi}")
    if pages != doc.get("pages", pages):
        problems.append(f"{pages} pages, truth says {doc.get('pages')}")
    for seal in doc["seal"]:
        if not 1 <= seal["page"] <= pages:
            problems.append(f"seal on page {seal['page']} of {pages}")


def check_doc(doc: dict, inbox: Path, truth_name: str) -> list[str]:
    problems: list[str] = []
    if truth_name != doc["file"].replace("/", "__") + ".json":
        problems.append(f"truth file name {truth_name} does not match file {doc['file']}")
    for key in ("hand", "classes", "seal"):
        if key not in doc:
            problems.append(f"extra key {key} missing")
    form = doc["form_type"]
    rows = {"activity_plan": [doc.get("plan", {})], "liaison_reply": doc.get("liaisons", []),
            "summary_report": [doc.get("report", {})]}[form]  # fmt: skip
    for row in rows:
        if row["unit_name"] != all_units()[row["unit_id"]].name:
            problems.append(f"unit_name {row['unit_name']} is not the registry's for {row['unit_id']}")
        if not resolves(row["unit_raw"], row["unit_id"]):
            problems.append(f"unit_raw {row['unit_raw']} does not name {row['unit_id']}")
        if any(not isinstance(v, str) for v in row.values()):
            problems.append("a non-string value in a row")
    form_unit = rows[0]["unit_id"] if rows else ""
    expected: list[tuple[str, str, str]] = []
    if form == "activity_plan":
        check_plan(doc, problems)
        expected = expected_plan(doc)
    elif form == "liaison_reply":
        check_liaison(doc, problems, expected)
    else:
        check_report(doc, problems, expected)
    for seal in doc["seal"]:
        unit = all_units().get(seal["unit_id"])
        if unit is None or seal["ring_text"] != unit.name or seal["shape"] not in ("round", "oval"):
            problems.append(f"seal {seal} does not match the registry")
    if any(seal["unit_id"] != form_unit for seal in doc["seal"]):
        expected.append(("seal_mismatch", "stamp_present", "warning"))
    if form == "activity_plan":
        status = "needs_review" if any(sev == "error" for _, _, sev in expected) else "clean"
        if doc["plan"]["status"] != status:
            problems.append(f"status {doc['plan']['status']}, rules give {status}")
    got = Counter((e["code"], e["field"], e["severity"]) for e in doc["exceptions"])
    if got != Counter(expected):
        problems.append(f"exceptions {sorted(got.elements())} but rules give {sorted(expected)}")
    if "low_confidence" in {e["code"] for e in doc["exceptions"]}:
        problems.append("low_confidence is not predictable and must not be listed")
    if doc["file"].startswith("photos/") and not 5 <= doc.get("perspective_deg", 0) <= 15:
        problems.append(f"perspective_deg {doc.get('perspective_deg')} outside 5–15")
    check_file(doc, inbox, problems)
    return problems


def print_tables(classes: dict[str, Counter], forms: Counter) -> None:
    """Markdown tables for the README: files per class and set, files per folder, form and set."""
    print("| class | dev | test |\n|---|---|---|")
    for cls in sorted(classes):
        print(f"| `{cls}` | {classes[cls]['dev']} | {classes[cls]['test']} |")
    print()
    print("| folder | form | dev | test |\n|---|---|---|---|")
    for key in sorted({(f, t) for (_, f, t) in forms}):
        print(f"| {key[0]} | {key[1]} | {forms[('dev', *key)]} | {forms[('test', *key)]} |")


def main() -> int:
    failures = 0
    classes: dict[str, Counter] = defaultdict(Counter)
    forms: Counter = Counter()
    for split in ("dev", "test"):
        truth_dir, inbox = ROOT / split / "truth", ROOT / split / "inbox"
        seen: dict[tuple[str, str], str] = {}
        for path in sorted(truth_dir.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            rows = doc.get("liaisons") or [doc.get("plan") or doc.get("report") or {}]
            key = (rows[0].get("unit_id", ""), doc["form_type"])
            if key in seen and key[0]:
                print(f"{split}/{path.name}: same unit and form as {seen[key]} (would be linked as versions)")
                failures += 1
            seen[key] = path.name
            if path.name.split("__")[0] not in FAMILIES:
                continue  # another family's file: only its unit/form counted above
            problems = check_doc(doc, inbox, path.name)
            for problem in problems:
                print(f"{split}/{path.name}: {problem}")
            failures += bool(problems)
            for cls in doc["classes"]:
                classes[cls][split] += 1
            forms[(split, doc["file"].split("/")[0], doc["form_type"])] += 1
    if "--table" in sys.argv:
        print_tables(classes, forms)
    one_sided = sorted(c for c, n in classes.items() if not (n["dev"] and n["test"]))
    if one_sided:
        print(f"classes in one set only: {one_sided}")
        failures += 1
    per_set = Counter()
    for (split, _, form), n in forms.items():
        per_set[(split, form)] += n
    print(f"forms per set: {dict(sorted(per_set.items()))}")
    print(f"{len(classes)} classes; {'OK' if not failures else f'{failures} problem(s)'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
