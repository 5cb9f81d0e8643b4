"""Write the contract's CSV files (UTF-8 with BOM, atomic, formula-safe: flows/safe_files.py), rebuilt from every
current outcome on each run, then the staff's files beside them (flows/staff/)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from flows.outcome import FileOutcome
from flows.safe_files import atomic_write_bytes, atomic_write_csv, atomic_write_many, csv_bytes
from flows.staff.corrections import log_applied
from flows.staff.report import render_report
from flows.staff.tracker import TRACKER_COLUMNS, build_tracker
from flows.staff.workbook import build_workbook
from flows.tables.copy_names import is_copy_name_of
from flows.tables.revisions import Link, link_revisions, problem_key, shared_problems
from schemas.findings import finding
from schemas.form_schema import load_tables
from schemas.registry import default_registry

SEVERITY_ORDER = {"error": 0, "warning": 1}


@dataclass
class RunSummary:
    files: int = 0
    clean: int = 0
    needs_review: int = 0
    unreadable: int = 0
    unknown: int = 0
    duplicates: int = 0
    by_form: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    warnings: int = 0
    superseded: int = 0  # files replaced by a newer version from the same unit (flows/tables/revisions.py)
    paired: int = 0  # stamped copies counted with their Word version

    @property
    def all_clean(self) -> bool:
        return self.needs_review == 0 and self.unreadable == 0 and self.unknown == 0


def mark_duplicates(outcomes: list[FileOutcome]) -> list[FileOutcome]:
    """A byte-identical copy is reported once and its rows are not written twice.

    The original is the first in the order given (discover() order, by name, for a one-off read; the order
    files first reached the inbox for an incremental run, as flows/state/incremental.py passes them), except
    that a file named like a copy of another (`X(1).pdf`, `X - 副本.docx`) yields to it.
    """
    first_path: dict[str, str] = {}
    for outcome in outcomes:
        sid = outcome.submission_id
        if sid and (sid not in first_path or is_copy_name_of(first_path[sid], outcome.source_file)):
            first_path[sid] = outcome.source_file
    for outcome in outcomes:
        sid = outcome.submission_id
        if not sid:
            continue
        if first_path[sid] != outcome.source_file:
            # counted once: the copy's rows are dropped and it carries no form of its own in the tables
            outcome.cleaned = None
            outcome.form_type = ""
            outcome.file_findings = [finding("duplicate_submission", "warning", first=first_path[sid])]
            outcome.duplicate_of = first_path[sid]
    return outcomes


def build_tables(outcomes: list[FileOutcome]) -> tuple[dict[str, list[dict[str, str]]], RunSummary]:
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in load_tables()}
    summary = RunSummary()
    links = link_revisions(mark_duplicates(outcomes))
    shared = shared_problems(outcomes, links)  # a Word + stamped pair's common problems: one row each
    for outcome in sorted(outcomes, key=lambda o: o.source_file):
        summary.files += 1
        base = {"submission_id": outcome.submission_id, "source_file": outcome.source_file}
        cleaned = outcome.cleaned
        link = links.get((outcome.source_file, outcome.submission_id), Link())
        if outcome.duplicate_of:
            summary.duplicates += 1
        elif cleaned is not None and link.superseded_by:  # a newer version replaces it: nothing to review
            summary.superseded += 1
            _add_rows(tables, outcome, base, link)
        elif cleaned is None:
            if any(f.code == "unknown_form" for f in outcome.file_findings):
                summary.unknown += 1
            else:
                summary.unreadable += 1
        else:
            if link.counted:
                summary.by_form[cleaned.form_type] = summary.by_form.get(cleaned.form_type, 0) + 1
            else:  # the stamped copy of a Word file: one submission, but its own problems still count
                summary.paired += 1
            if outcome.needs_review:
                summary.needs_review += 1
            else:
                summary.clean += 1
            _add_rows(tables, outcome, base, link)
        for f in sorted(outcome.findings + link.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 9)):
            key = problem_key(outcome.source_file, f)
            if key in shared.listed_elsewhere:
                continue
            summary.errors += f.severity == "error"
            summary.warnings += f.severity == "warning"
            tables["exceptions.csv"].append(
                {
                    **base,
                    "form_type": outcome.form_type,
                    "field": f.field,
                    "code": f.code,
                    "severity": f.severity,
                    "message": f.message + shared.note(key),
                    "raw_value": f.raw_value,
                    "suggestion": f.suggestion,
                    "page": str(f.page) if f.page else "",
                    "confidence": f"{f.confidence:.2f}" if f.confidence is not None else "",
                    "superseded_by": link.superseded_by,
                    "also_in": ";".join(shared.also_in.get(key, [])),
                    "row_hint": f.row_hint,  # not a CSV column: the workbook shows it, corrections use it
                }
            )
    return tables, summary


def _add_rows(tables: dict[str, list[dict[str, str]]], outcome: FileOutcome, base: dict[str, str], link: Link) -> None:
    cleaned = outcome.cleaned
    assert cleaned is not None
    linked = {
        "superseded_by": link.superseded_by,
        "paired_with": link.paired_with,
        "counted": str(link.counted).lower(),
    }
    row = {**base, **cleaned.row, **linked}
    if cleaned.form_type == "activity_plan":
        row.update(source_kind=outcome.source_kind, status="needs_review" if outcome.needs_review else "clean")
        tables["plans.csv"].append(row)
        for act in cleaned.activities:
            tables["activities.csv"].append(
                {"submission_id": outcome.submission_id, "unit_id": row.get("unit_id", ""), **act}
            )
    elif cleaned.form_type == "liaison_reply":
        unit = {k: row.get(k, "") for k in ("unit_id", "unit_name", "unit_raw")}
        for person in cleaned.people:
            tables["liaisons.csv"].append({**base, **unit, **person, **linked})
    elif cleaned.form_type == "summary_report":
        tables["reports.csv"].append(row)


def write_outputs(outdir: Path, outcomes: list[FileOutcome], registry_dir: Path | None = None) -> RunSummary:
    outdir.mkdir(parents=True, exist_ok=True)
    tables, summary = build_tables(outcomes)
    specs = load_tables()
    atomic_write_many({outdir / name: csv_bytes(list(specs[name].columns), rows) for name, rows in tables.items()})
    write_staff_files(outdir, outcomes, tables, summary, registry_dir)
    return summary


def write_staff_files(
    outdir: Path,
    outcomes: list[FileOutcome],
    tables: dict[str, list[dict[str, str]]],
    summary: RunSummary,
    registry_dir: Path | None = None,
) -> None:
    """Beside the CSVs, for staff: tracker.csv, corrections_log.csv, exceptions.xlsx, report.html.
    `registry_dir`: the run's unit registry folder (None: the packaged registry)."""
    registry = default_registry(registry_dir)
    received = {o.source_file: o.received_at for o in outcomes}
    tracker = build_tracker(tables, registry, received=received)
    atomic_write_csv(outdir / "tracker.csv", TRACKER_COLUMNS, tracker)
    log_applied(outdir, [(o.submission_id, o.source_file, a) for o in outcomes for a in o.corrections_applied])
    atomic_write_bytes(outdir / "exceptions.xlsx", build_workbook(outcomes, tables, tracker, outdir, registry))
    atomic_write_bytes(outdir / "report.html", render_report(tables, summary, tracker).encode("utf-8"))
