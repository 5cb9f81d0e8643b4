"""Score a run's output tables against ground truth (docs/ground-truth-format.md), per format and per field.

Works on any inbox/truth pair in the truth format: the committed samples and the "other hands" dev/test sets.
It reads the CSVs a run wrote (what analysts and staff get), never the pipeline's internals, so it scores the
product as users see it.

    python -m samples.scoring samples/other_hands/dev          # runs `intake run --no-prefect`, prints the score
    python -m samples.scoring samples/other_hands/dev --out D  # score an existing output folder D

Figures:
- fields: exact-match share of every truth value (plan columns, each activity's columns, each liaison's columns,
  report columns), per format (the inbox sub-folder: word, pdf, scans, grey, fax, photos, seals) and per field;
  a file whose row is missing counts every field wrong.
- unit ids: right share, and confident wrong ones (an id given that is not the truth's).
- activities: plans whose activity count is right.
- exceptions: precision and recall of (file, code, field, severity) as multisets. `low_confidence` rows are kept
  apart (truth cannot predict them): counted, and how many sit on a field that was in fact read wrong.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

SKIP_PLAN = {"submission_id", "source_file", "unit_score"}
LOW_CONFIDENCE = "low_confidence"


@dataclass
class Tally:
    right: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.right += ok
        self.total += 1

    @property
    def share(self) -> float:
        return self.right / self.total if self.total else 1.0

    def __str__(self) -> str:
        return f"{100 * self.share:5.1f}% ({self.right}/{self.total})"


@dataclass
class Score:
    fields: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))  # per format
    by_field: dict[tuple[str, str], Tally] = field(default_factory=lambda: defaultdict(Tally))  # (format, field)
    units: Tally = field(default_factory=Tally)
    confident_wrong_units: list[str] = field(default_factory=list)
    activity_counts: Tally = field(default_factory=Tally)
    form_types: Tally = field(default_factory=Tally)
    exceptions_got: int = 0
    exceptions_want: int = 0
    exceptions_matched: int = 0
    low_confidence: int = 0
    low_confidence_justified: int = 0
    misses: list[str] = field(default_factory=list)  # human-readable differences, for the dev set
    false_alarms: list[str] = field(default_factory=list)
    missed_exceptions: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.exceptions_matched / self.exceptions_got if self.exceptions_got else 1.0

    @property
    def recall(self) -> float:
        return self.exceptions_matched / self.exceptions_want if self.exceptions_want else 1.0


def truth_name(rel: str) -> str:
    return rel.replace("/", "__") + ".json"


def load_truths(truth_dir: Path) -> dict[str, dict]:
    truths = {}
    for path in sorted(truth_dir.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        truths[data["file"]] = data
    return truths


def read_tables(outdir: Path) -> dict[str, list[dict[str, str]]]:
    tables = {}
    for name in ("plans.csv", "activities.csv", "liaisons.csv", "reports.csv", "exceptions.csv"):
        with open(outdir / name, encoding="utf-8-sig", newline="") as fh:
            tables[name] = list(csv.DictReader(fh))
    return tables


def format_of(rel: str, truth: dict) -> str:
    """The inbox sub-folder names the format family; files at the top level fall back to source_kind."""
    return rel.split("/", 1)[0] if "/" in rel else (truth.get("source_kind") or "other")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _compare(score: Score, fmt: str, rel: str, what: str, got: dict[str, str] | None, want: dict[str, str]) -> set[str]:
    """Tally every truth key of one row; returns the fields read wrong."""
    wrong = set()
    for key, value in want.items():
        if key in SKIP_PLAN:
            continue
        have = None if got is None else got.get(key)
        ok = have is not None and (_squash(have) == _squash(value) if key == "description" else have == value)
        score.fields[fmt].add(ok)
        score.by_field[(fmt, f"{what}.{key}")].add(ok)
        if not ok:
            wrong.add(key)
            shown = have if have is None or len(have) < 60 else have[:57] + "…"
            score.misses.append(f"{rel}: {what}.{key} got {shown!r} want {value[:60]!r}")
    return wrong


def _unit(score: Score, rel: str, got: dict[str, str] | None, want: dict[str, str]) -> None:
    expected = want.get("unit_id", "")
    have = (got or {}).get("unit_id", "")
    score.units.add(have == expected)
    if have and have != expected:
        score.confident_wrong_units.append(f"{rel}: {(got or {}).get('unit_raw', '')!r} → {have}, want {expected!r}")


def score_run(outdir: Path, truths: dict[str, dict]) -> Score:
    tables = read_tables(outdir)
    score = Score()
    by_file: dict[str, dict[str, list[dict[str, str]]]] = defaultdict(lambda: defaultdict(list))
    for name, rows in tables.items():
        for row in rows:
            if "source_file" in row:  # activities.csv joins its plan by submission_id below
                by_file[row["source_file"]][name].append(row)
            for other in filter(None, row.get("also_in", "").split(";")):  # one row for a Word+PDF pair's problem
                by_file[other][name].append(row)
    for rel, truth in sorted(truths.items()):
        fmt = format_of(rel, truth)
        mine = by_file.get(rel, {})
        wrong_fields: set[str] = set()
        form_rows = {
            "activity_plan": mine.get("plans.csv", []),
            "liaison_reply": mine.get("liaisons.csv", []),
            "summary_report": mine.get("reports.csv", []),
        }
        got_form = next((form for form, rows in form_rows.items() if rows), "")
        score.form_types.add(got_form == truth.get("form_type", ""))
        if truth.get("form_type") == "activity_plan" and truth.get("plan"):
            plans = mine.get("plans.csv", [])
            got = plans[0] if plans else None
            wrong_fields |= _compare(score, fmt, rel, "plan", got, truth["plan"])
            _unit(score, rel, got, truth["plan"])
            sid = got["submission_id"] if got else None
            acts = [a for a in tables["activities.csv"] if sid and a["submission_id"] == sid]
            score.activity_counts.add(len(acts) == len(truth.get("activities", [])))
            for i, want in enumerate(truth.get("activities", [])):
                wrong_fields |= {
                    "description" if k == "description" else k
                    for k in _compare(score, fmt, rel, "activity", acts[i] if i < len(acts) else None, want)
                }
        if truth.get("form_type") == "liaison_reply" and truth.get("liaisons") is not None:
            people = mine.get("liaisons.csv", [])
            for i, want in enumerate(truth["liaisons"]):
                got = people[i] if i < len(people) else None
                wrong_fields |= _compare(score, fmt, rel, "liaison", got, want)
                if i == 0:
                    _unit(score, rel, got, want)
            if len(people) > len(truth["liaisons"]):
                score.misses.append(f"{rel}: {len(people)} persons read, {len(truth['liaisons'])} written")
        if truth.get("form_type") == "summary_report" and truth.get("report"):
            reports = mine.get("reports.csv", [])
            got = reports[0] if reports else None
            wrong_fields |= _compare(score, fmt, rel, "report", got, truth["report"])
            _unit(score, rel, got, truth["report"])
        _exceptions(score, rel, mine.get("exceptions.csv", []), truth.get("exceptions", []), wrong_fields)
    return score


def _exceptions(score: Score, rel: str, rows: list[dict[str, str]], want: list[dict], wrong: set[str]) -> None:
    got = Counter()
    for row in rows:
        if row["code"] == LOW_CONFIDENCE:
            score.low_confidence += 1
            score.low_confidence_justified += row["field"] in wrong
            continue
        got[(row["code"], row["field"], row["severity"])] += 1
    expected = Counter((e["code"], e["field"], e["severity"]) for e in want if e["code"] != LOW_CONFIDENCE)
    matched = got & expected
    score.exceptions_got += sum(got.values())
    score.exceptions_want += sum(expected.values())
    score.exceptions_matched += sum(matched.values())
    score.false_alarms += [f"{rel}: {c}/{f} [{s}]" for (c, f, s) in (got - expected).elements()]
    score.missed_exceptions += [f"{rel}: {c}/{f} [{s}]" for (c, f, s) in (expected - got).elements()]


def report(score: Score, title: str, detail: bool = False, per_field: bool = False) -> str:
    """The summary lines; ``detail``: every miss listed; ``per_field``: every field's tally, per format."""
    lines = [f"== {title}"]
    for fmt, tally in sorted(score.fields.items()):
        lines.append(f"fields [{fmt:7}] {tally}")
    lines.append(f"form types right   {score.form_types}")
    lines.append(f"unit ids right     {score.units}; confident wrong: {len(score.confident_wrong_units)}")
    lines.append(f"activity counts    {score.activity_counts}")
    lines.append(
        f"exceptions         precision {100 * score.precision:5.1f}% recall {100 * score.recall:5.1f}% "
        f"(matched {score.exceptions_matched}, listed {score.exceptions_got}, expected {score.exceptions_want}); "
        f"low_confidence {score.low_confidence} ({score.low_confidence_justified} on fields read wrong)"
    )
    worst = sorted(((t.share, k) for k, t in score.by_field.items() if t.right < t.total))
    if worst:
        lines.append("fields below 100%: " + ", ".join(f"{f}/{k} {100 * s:.0f}%" for s, (f, k) in worst[:25]))
    if detail:
        lines += ["-- wrong values"] + score.misses
        lines += ["-- false alarms"] + score.false_alarms
        lines += ["-- missed exceptions"] + score.missed_exceptions
        lines += ["-- confident wrong units"] + score.confident_wrong_units
    if per_field:
        lines.append("per field:")
        lines += [f"  {fmt:6} {column:32} {tally}" for (fmt, column), tally in sorted(score.by_field.items())]
    return "\n".join(lines)


def run_intake(inbox: Path, outdir: Path) -> None:
    """The product as a user runs it (no Prefect: same outputs, no server start-up)."""
    cmd = [
        sys.executable,
        "-m",
        "flows.cli",
        "run",
        "--inbox",
        str(inbox),
        "--out",
        str(outdir),
        "--no-prefect",
        "--full",
    ]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 3):
        raise RuntimeError(f"intake run failed ({done.returncode}): {done.stdout[-2000:]} {done.stderr[-2000:]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set_dir", type=Path, help="a folder with inbox/ and truth/ (e.g. samples/other_hands/dev)")
    parser.add_argument("--out", type=Path, help="score this existing output folder instead of running intake")
    parser.add_argument("--detail", action="store_true", help="list every wrong value and exception difference")
    args = parser.parse_args()
    truths = load_truths(args.set_dir / "truth")
    if args.out:
        print(report(score_run(args.out, truths), str(args.set_dir), args.detail))
        return
    with tempfile.TemporaryDirectory() as tmp:
        run_intake(args.set_dir / "inbox", Path(tmp) / "out")
        print(report(score_run(Path(tmp) / "out", truths), str(args.set_dir), args.detail))


if __name__ == "__main__":
    main()
