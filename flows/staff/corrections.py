"""Staff corrections: read what staff typed, apply it to the values as read, log what was applied.

The loop: a run writes exceptions.xlsx; staff type the right value in its 更正值 column (or add a row to
corrections.csv) and save; the next run calls `collect_corrections(outdir)`, which copies the workbook's
entries into corrections.csv (the durable store: the next workbook no longer lists a resolved exception, so
its typing would otherwise be lost on the run after), and `Corrections.apply` puts each value into the
FormRead before validation. A corrected value is then checked like any other: a right one clears the
exception, a wrong one leaves it (now showing the corrected text).

A correction is keyed by (submission_id or source_file, field, old_value). submission_id is a hash of the
file's bytes, so a unit's re-sent file starts fresh; old_value is what was read, so a correction never
overwrites a different reading. A correction that names only source_file (typed by hand into
corrections.csv) follows the file name; with an empty old_value it applies whatever was read.

A 加入别名 = 是 on a unit correction does not edit the registry: it appends the written name to
pending_aliases.csv in the registry folder on the share (flows/staff/registry_folder.py) for review. The
registry is the shared reference every run matches against; an alias there silently files every future
submission with that spelling under the unit, so a slip (海南省科协 saved as an alias of 海南州科协) would
misfile submissions with no exception to catch it. The registry owner moves reviewed rows into units.csv.
"""

from __future__ import annotations

import csv
import hashlib
import io
import logging
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from openpyxl import load_workbook

from flows.outcome import AppliedCorrection, Correction, squash
from flows.safe_files import atomic_write_bytes, csv_bytes, unneutralise
from flows.staff.registry_folder import pending_aliases as pending_aliases_in
from flows.staff.registry_folder import registry_folder
from schemas.form_schema import FieldSpec, FormSchema
from schemas.reader import FieldValue, FormRead
from schemas.registry import default_registry
from schemas.units import UnitRegistry

log = logging.getLogger("intake")

CORRECTIONS_CSV = "corrections.csv"
LOG_CSV = "corrections_log.csv"
WORKBOOK = "exceptions.xlsx"
ISSUES_SHEET = "问题清单"

CORRECTION_COLUMNS = [
    "submission_id",
    "source_file",
    "field",
    "old_value",
    "new_value",
    "add_alias",
    "entered_on",
    "entered_via",
]
LOG_COLUMNS = [
    "applied_at",
    "submission_id",
    "source_file",
    "form_type",
    "field",
    "old_value",
    "new_value",
    "entered_via",
    "entered_on",
]
ALIAS_COLUMNS = ["alias", "unit_id", "canonical_name", "source_file", "submission_id", "requested_on", "status"]

# Workbook headers this module reads (flows/staff/workbook.py writes them from the same constants).
H_SUBMISSION, H_FILE, H_FIELD, H_READ = "报送编号", "文件", "字段代码", "读取值"
H_CORRECTION, H_ALIAS = "更正值", "加入别名"
# a problem a Word file and its stamped copy share is one row: the copies' names and ids, `;`-separated, in order
H_ALSO, H_ALSO_IDS = "同一材料的其他文件", "其他文件报送编号"
H_ROW = "所在行"  # a value missing in a table row (a liaison's phone): the row's other value (the name)
YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "加入"})


def _cell_text(value: object) -> str:
    """A cell as the text staff typed: Excel turns 13897012345 into a number and dates into datetimes."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# ------------------------------------------------------------------ the store


def _read_csv_rows(path: Path) -> list[dict[str, str]]:
    """Rows of a CSV staff may have saved from Excel: UTF-8 (with or without BOM), else GB18030."""
    if not path.exists():
        return []
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # "CSV (逗号分隔)" from a Chinese Excel
    rows = csv.DictReader(io.StringIO(text))
    return [{k.strip(): unneutralise((v or "").strip()) for k, v in row.items() if k} for row in rows]


def read_corrections_csv(path: Path) -> list[Correction]:
    out = []
    for row in _read_csv_rows(path):
        new = row.get("new_value", "")
        if not new or not row.get("field") or not (row.get("submission_id") or row.get("source_file")):
            continue
        out.append(
            Correction(
                submission_id=row.get("submission_id", ""),
                source_file=row.get("source_file", ""),
                field=row["field"],
                old_value=row.get("old_value", ""),
                new_value=new,
                add_alias=row.get("add_alias", "").lower() in YES,
                entered_on=row.get("entered_on", ""),
                entered_via=row.get("entered_via", "") or "csv",
            )
        )
    return out


def read_workbook_corrections(path: Path, today: date | None = None) -> list[Correction]:
    """Rows of the previous exceptions.xlsx whose 更正值 staff filled in (columns found by header)."""
    if not path.exists():
        return []
    book = load_workbook(path, read_only=True, data_only=True)
    try:
        if ISSUES_SHEET not in book.sheetnames:
            return []
        rows = book[ISSUES_SHEET].iter_rows(values_only=True)
        header = [_cell_text(v) for v in next(rows, ())]
        col = {name: i for i, name in enumerate(header)}
        if not {H_SUBMISSION, H_FILE, H_FIELD, H_READ, H_CORRECTION} <= col.keys():
            return []
        entered = (today or date.today()).isoformat()
        out = []
        for values in rows:
            cell = {name: _cell_text(values[i]) if i < len(values) else "" for name, i in col.items()}
            if not cell[H_CORRECTION] or not cell[H_FIELD]:
                continue
            typed = Correction(
                submission_id=cell[H_SUBMISSION],
                source_file=cell[H_FILE],
                field=cell[H_FIELD],
                old_value=cell[H_READ] or cell.get(H_ROW, ""),  # how _apply_to_people finds the person
                new_value=cell[H_CORRECTION],
                add_alias=cell.get(H_ALIAS, "").lower() in YES,
                entered_on=entered,
                entered_via="workbook",
            )
            out.append(typed)
            # typed once for the submission: the stamped copy listed on the same row gets it too
            others = zip(_split(cell.get(H_ALSO_IDS, "")), _split(cell.get(H_ALSO, "")), strict=False)
            out += [replace(typed, submission_id=sid, source_file=name) for sid, name in others if sid]
        return out
    finally:
        book.close()


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";")] if text else []


def _typed_in_workbook(path: Path, today: date | None) -> list[Correction]:
    """The workbook's corrections; one that cannot be read is copied aside before this run replaces it."""
    try:
        return read_workbook_corrections(path, today)
    except Exception as exc:  # saved in another format, damaged, locked: staff typing must not be lost
        keep = path.with_name(f"{path.stem}.unread-{datetime.now():%Y%m%d-%H%M%S}{path.suffix}")
        try:
            shutil.copy2(path, keep)
        except OSError:
            keep = path
        log.warning("无法读取 %s 中的更正（%s: %s），已另存为 %s，请把更正填入新的问题清单。", path.name,
                    type(exc).__name__, exc, keep.name)  # fmt: skip
        return []


def merge(stored: list[Correction], typed: list[Correction]) -> list[Correction]:
    """The store plus the workbook's entries; a workbook entry replaces a stored one with the same key."""
    merged: dict[tuple[str, str, str], Correction] = {c.key: c for c in stored}
    for c in typed:
        old = merged.get(c.key)
        if old is not None and old.new_value == c.new_value and old.add_alias == c.add_alias:
            continue  # the same typing seen again: keep its first date
        merged[c.key] = c
    return list(merged.values())


def _correction_row(c: Correction) -> dict[str, str]:
    return {
        "submission_id": c.submission_id,
        "source_file": c.source_file,
        "field": c.field,
        "old_value": c.old_value,
        "new_value": c.new_value,
        "add_alias": "是" if c.add_alias else "",
        "entered_on": c.entered_on,
        "entered_via": c.entered_via,
    }


def collect_corrections(
    outdir: Path,
    registry: UnitRegistry | None = None,
    pending_aliases: Path | None = None,
    today: date | None = None,
    registry_dir: Path | None = None,
) -> Corrections:
    """Everything staff corrected so far: corrections.csv plus the workbook's 更正值; saves the merge.

    Call once per run, before the files are read. Unit ids typed as a unit's new value become its name,
    and 加入别名 requests go to pending_aliases.csv in the registry folder (`registry_dir`, by default beside
    `outdir`): never into the installed program.
    """
    folder = registry_dir or registry_folder(outdir)
    stored = read_corrections_csv(outdir / CORRECTIONS_CSV)
    typed = _typed_in_workbook(outdir / WORKBOOK, today)
    # the registry only matters for unit corrections: load it (aliases, pinyin) only when there are some
    by_unit = any(c.field == "unit_raw" for c in (*stored, *typed))
    if by_unit and registry is None:
        registry = default_registry(folder if folder.is_dir() else None)
    if registry is not None:
        typed = [_unit_id_to_name(c, registry) for c in typed]
    merged = merge(stored, typed)
    if merged != stored and outdir.is_dir():
        atomic_write_bytes(outdir / CORRECTIONS_CSV, csv_bytes(CORRECTION_COLUMNS, map(_correction_row, merged)))
    if registry is not None:
        request_aliases(merged, registry, pending_aliases or pending_aliases_in(folder), today)
    return Corrections(merged)


def _unit_id_to_name(c: Correction, registry: UnitRegistry) -> Correction:
    unit = registry.get(c.new_value) if c.field == "unit_raw" else None
    return replace(c, new_value=unit.canonical_name) if unit else c


def request_aliases(
    corrections: list[Correction], registry: UnitRegistry, path: Path, today: date | None = None
) -> list[dict[str, str]]:
    """Append each new 加入别名 request (written name → the unit its correction names) for review."""
    existing = _read_csv_rows(path)
    seen = {(r.get("alias", ""), r.get("unit_id", "")) for r in existing}
    added = []
    for c in corrections:
        if not c.add_alias or c.field != "unit_raw" or not c.old_value.strip():
            continue
        target = registry.match(c.new_value)
        if target.status != "matched" or target.unit is None:
            continue  # the correction itself names no registry unit: nothing to alias (the exception stays)
        if registry.match(c.old_value).unit == target.unit:
            continue  # already matched: not a new alias
        key = (c.old_value.strip(), target.unit.unit_id)
        if key in seen:
            continue
        seen.add(key)
        added.append(
            {
                "alias": key[0],
                "unit_id": target.unit.unit_id,
                "canonical_name": target.unit.canonical_name,
                "source_file": c.source_file,
                "submission_id": c.submission_id,
                "requested_on": (today or date.today()).isoformat(),
                "status": "待审核",
            }
        )
    if added:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_bytes(path, csv_bytes(ALIAS_COLUMNS, [*existing, *added]))
    return added


# ------------------------------------------------------------------ applying


@dataclass
class Corrections:
    items: list[Correction] = field(default_factory=list)

    def for_file(self, submission_id: str, source_file: str) -> list[Correction]:
        # by hash when the correction has one (a re-sent file under the same name starts fresh)
        return [
            c
            for c in self.items
            if (c.submission_id and c.submission_id == submission_id)
            or (not c.submission_id and c.source_file == source_file)
        ]

    def fingerprint(self, submission_id: str, source_file: str) -> str:
        """Changes when this file's corrections change ("" when it has none): a cache key for the ledger."""
        mine = sorted((c.key, c.new_value) for c in self.for_file(submission_id, source_file))
        return hashlib.sha256(repr(mine).encode()).hexdigest()[:12] if mine else ""

    def apply(self, submission_id: str, source_file: str, read: FormRead) -> list[AppliedCorrection]:
        """Put this file's corrections into `read` (in the order entered, so later ones build on earlier)."""
        applied = []
        for c in sorted(self.for_file(submission_id, source_file), key=lambda c: c.entered_on):
            old = _apply_one(c, read)
            if old is not None:
                applied.append(AppliedCorrection(c, read.schema.form_type, old))
        return applied


def correctable(form: FormSchema | None, column: str) -> bool:
    """Can a typed value fix a finding on this column? (Not a missing seal or a too-long text.)"""
    return form is not None and target_of(form, column) is not None


def target_of(form: FormSchema, column: str) -> tuple[str, str, FieldSpec | None] | None:
    """Where a finding's column lives in a FormRead: ("field", column, spec), ("person", …) or ("title", …)."""
    for spec in form.fields:
        if column in (spec.column, spec.start_column, spec.end_column, spec.count_column):
            return ("field", spec.column, spec)
    if form.people is not None and column in {c.column for c in form.people.columns}:
        return ("person", column, None)
    if form.report is not None and column == "title":
        return ("title", column, None)
    return None


def _as_ticks(text: str, choices: list[str]) -> str:
    """团结引领;为民服务 typed by staff → every option with ☑/☐, which the choice reader cannot misread."""
    picked = {c for c in choices if c in text}
    return " ".join(("☑" if c in picked else "☐") + c for c in choices)


def _new_value(c: Correction, spec: FieldSpec | None, was: FieldValue | None) -> FieldValue:
    raw = _as_ticks(c.new_value, spec.choices) if spec is not None and spec.type == "choices" else c.new_value
    # confidence None: typed by a person, so no low_confidence finding for it
    return FieldValue(raw=raw, page=was.page if was else None, bbox=was.bbox if was else None)


def _unchanged(was: FieldValue | None, new: FieldValue) -> bool:
    return was is not None and was.raw == new.raw and was.confidence is None


def _apply_one(c: Correction, read: FormRead) -> str | None:
    """Apply one correction; the value it replaced, or None when it does not fit what was read."""
    target = target_of(read.schema, c.field)
    if target is None:
        return None
    kind, column, spec = target
    old = squash(c.old_value)
    if kind in ("field", "title"):
        was = read.fields.get(column) if kind == "field" else read.title
        if old and old != squash(was.raw if was else ""):
            return None  # the file now reads differently: this correction was for another reading
        new = _new_value(c, spec, was)
        if _unchanged(was, new):
            return None
        if kind == "field":
            read.fields[column] = new
        else:
            read.title = new
        return was.raw if was else ""
    return _apply_to_people(c, read, column, old)


def _apply_to_people(c: Correction, read: FormRead, column: str, old: str) -> str | None:
    # a person is found by the value read in this column, or (for a missing value, whose finding shows
    # the row's other value) by any value of the row; with no old value, only an unambiguous row
    people = read.people
    if old:
        rows = [p for p in people if column in p and squash(p[column].raw) == old]
        rows = rows or [p for p in people if column not in p and any(squash(v.raw) == old for v in p.values())]
    else:
        rows = [p for p in people if column not in p] if len(people) != 1 else people
        rows = rows if len(rows) == 1 else []
        if not people:
            people.append({})
            rows = people
    changed = None
    for person in rows:
        was = person.get(column)
        new = _new_value(c, None, was)
        if _unchanged(was, new):
            continue
        person[column] = new
        changed = was.raw if was else ""
    return changed


# ------------------------------------------------------------------ the log


def log_applied(
    outdir: Path, applied: Iterable[tuple[str, str, AppliedCorrection]], now: datetime | None = None
) -> int:
    """Append each (submission_id, source_file, correction) not logged before to corrections_log.csv."""
    path = outdir / LOG_CSV
    rows = _read_csv_rows(path)
    seen = {(r["submission_id"], r["field"], r["old_value"], r["new_value"]) for r in rows}
    stamp = (now or datetime.now()).isoformat(timespec="seconds")
    added = 0
    for sid, source_file, a in applied:
        key = (sid, a.correction.field, a.old_value, a.correction.new_value)
        if key in seen:
            continue  # applied again on a later run: the log keeps the first time
        seen.add(key)
        added += 1
        rows.append(
            {
                "applied_at": stamp,
                "submission_id": sid,
                "source_file": source_file,
                "form_type": a.form_type,
                "field": a.correction.field,
                "old_value": a.old_value,
                "new_value": a.correction.new_value,
                "entered_via": a.correction.entered_via,
                "entered_on": a.correction.entered_on,
            }
        )
    if added or not path.exists():
        atomic_write_bytes(path, csv_bytes(LOG_COLUMNS, rows))
    return added
