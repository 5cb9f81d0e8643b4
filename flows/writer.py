"""Write the contract's CSV files: UTF-8 with BOM, atomic, formula-safe, cumulative per run."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from flows.pipeline import FileOutcome
from schemas.findings import finding
from schemas.form_schema import load_tables

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
SEVERITY_ORDER = {"error": 0, "warning": 1}


def neutralise(value: str) -> str:
    """Stop Excel/WPS from executing a cell: a leading apostrophe makes it plain text (OWASP advice)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder + rename: readers never see half a file."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; colleagues on the share must read it
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_csv(path: Path, header: list[str], rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(str(row.get(col, "") if row.get(col) is not None else "")) for col in header])
    atomic_write_bytes(path, buffer.getvalue().encode("utf-8-sig"))


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

    @property
    def all_clean(self) -> bool:
        return self.needs_review == 0 and self.unreadable == 0 and self.unknown == 0


def mark_duplicates(outcomes: list[FileOutcome]) -> list[FileOutcome]:
    """A byte-identical copy is reported once and its rows are not written twice."""
    first_path: dict[str, str] = {}
    for outcome in sorted(outcomes, key=lambda o: o.source_file):
        sid = outcome.submission_id
        if not sid:
            continue
        if sid in first_path:
            # counted once: the copy's rows are dropped and it carries no form of its own in the tables
            outcome.cleaned = None
            outcome.form_type = ""
            outcome.file_findings = [finding("duplicate_submission", "warning", first=first_path[sid])]
            outcome.duplicate_of = first_path[sid]
        else:
            first_path[sid] = outcome.source_file
    return outcomes


def build_tables(outcomes: list[FileOutcome]) -> tuple[dict[str, list[dict[str, str]]], RunSummary]:
    tables: dict[str, list[dict[str, str]]] = {name: [] for name in load_tables()}
    summary = RunSummary()
    for outcome in sorted(mark_duplicates(outcomes), key=lambda o: o.source_file):
        summary.files += 1
        base = {"submission_id": outcome.submission_id, "source_file": outcome.source_file}
        cleaned = outcome.cleaned
        if outcome.duplicate_of:
            summary.duplicates += 1
        elif cleaned is None:
            if any(f.code == "unknown_form" for f in outcome.file_findings):
                summary.unknown += 1
            else:
                summary.unreadable += 1
        else:
            summary.by_form[cleaned.form_type] = summary.by_form.get(cleaned.form_type, 0) + 1
            if outcome.needs_review:
                summary.needs_review += 1
            else:
                summary.clean += 1
            _add_rows(tables, outcome, base)
        for f in sorted(outcome.findings, key=lambda f: SEVERITY_ORDER.get(f.severity, 9)):
            summary.errors += f.severity == "error"
            summary.warnings += f.severity == "warning"
            tables["exceptions.csv"].append(
                {
                    **base,
                    "form_type": outcome.form_type,
                    "field": f.field,
                    "code": f.code,
                    "severity": f.severity,
                    "message": f.message,
                    "raw_value": f.raw_value,
                    "suggestion": f.suggestion,
                    "page": str(f.page) if f.page else "",
                    "confidence": f"{f.confidence:.2f}" if f.confidence is not None else "",
                }
            )
    return tables, summary


def _add_rows(tables: dict[str, list[dict[str, str]]], outcome: FileOutcome, base: dict[str, str]) -> None:
    cleaned = outcome.cleaned
    assert cleaned is not None
    row = {**base, **cleaned.row}
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
            tables["liaisons.csv"].append({**base, **unit, **person})
    elif cleaned.form_type == "summary_report":
        tables["reports.csv"].append(row)


def write_outputs(outdir: Path, outcomes: list[FileOutcome]) -> RunSummary:
    outdir.mkdir(parents=True, exist_ok=True)
    tables, summary = build_tables(outcomes)
    specs = load_tables()
    for name, rows in tables.items():
        atomic_write_csv(outdir / name, list(specs[name].columns), rows)
    return summary
