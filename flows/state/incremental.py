"""An incremental run: read the ledger, extract only what is new or changed, write the full tables.

    plan = plan_run(inbox, outdir, ledger, ...)      # decide: new / changed / unchanged / removed / pending
    outcomes = <extract plan.todo>                   # serially, in a process pool, or as Prefect tasks
    report = finish_run(plan, ledger, outcomes)      # write every table atomically, THEN commit the ledger

Decisions, per file found in the inbox:
- still being copied (flows/state/stability.py) → skipped this time; a version read earlier stays in the tables;
- same path, size and mtime as its ledger row, same reader version and extra key → unchanged: the stored
  outcome is reused without opening the file (like git and rsync; `--full` re-reads everything);
- otherwise it is hashed: same bytes as its ledger row → only the mtime changed; same bytes as any row
  read with the current reader version (a renamed or copied file) → that outcome is reused; else extracted;
- a file whose outcome says this computer lacked a program (`tool_missing`: LibreOffice, the OCR engine) is
  never taken as done: it is read again on every run, so it is read properly once the program is installed.
A ledger row whose path is no longer in the inbox (and was not archived) gets `removed_at` and leaves the
tables; the run reports it by name. Nothing is deleted from the ledger.

Crash safety: outputs are written from the new state before the ledger is committed, each file atomically
(all temp files first, then the renames). Killed before the commit, the next run finds the old ledger and
redoes the same work; killed after it, the outputs already match. Either way nothing is lost or doubled,
because the tables are rebuilt from the ledger's current rows on every run, never appended to.
"""

from __future__ import annotations

import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import partial
from pathlib import Path

from flows.outcome import FileOutcome
from flows.reading.limits import Limits
from flows.reading.pipeline import discover, file_sha256, precheck, process_file
from flows.staff.corrections import Corrections, collect_corrections
from flows.staff.registry_folder import open_registry
from flows.state.ledger import FileRecord, Ledger, now_iso, outcome_from_json, outcome_to_json, reader_version
from flows.state.runlock import RunLock
from flows.state.stability import DEFAULT_SETTLE_S, Snapshot, settle
from flows.tables.writer import RunSummary, write_outputs
from schemas.validate import DEFAULT_MIN_CONFIDENCE

log = logging.getLogger("intake")

CROPS_DIR = "crops"  # <out>/crops/<submission_id>/: scan page images, seal and field crops (evidence)
ExtraKey = Callable[[str, str], str]  # (source_file, sha256) -> e.g. a fingerprint of staff corrections
# (paths, inbox, corrections, crops_root) -> outcomes in the same order
Process = Callable[[list[Path], Path, "Corrections | None", "Path | None"], list[FileOutcome]]
Progress = Callable[[int, int], None]  # (done, total)


@dataclass
class Work:
    """One file to extract."""

    path: Path
    rel: str
    snap: Snapshot
    sha256: str  # "" when the file was refused before hashing or could not be read
    extra_key: str
    record: FileRecord | None = None  # same bytes, re-read for a new reader version / extra key: update it
    replaces: FileRecord | None = None  # different bytes at the same path: the old row is closed


@dataclass
class RunPlan:
    inbox: Path
    outdir: Path
    version: str
    started: str
    started_mono: float
    live: list[FileRecord]  # rows the tables are built from (updated in place as the run decides)
    dirty: list[FileRecord] = field(default_factory=list)  # rows to write at commit
    todo: list[Work] = field(default_factory=list)  # extracted this run (one per distinct content)
    twins: list[tuple[Work, int]] = field(default_factory=list)  # same bytes as todo[i]: reuse its outcome
    pending: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reused: int = 0  # new/changed files whose bytes the ledger already knew (renamed, copied)
    retried: int = 0  # unchanged files read again because a program was missing last time (tool_missing)
    inbox_looked_empty: bool = False
    corrections: Corrections | None = None  # staff corrections this run applies (flows/staff/corrections.py)
    registry_dir: Path | None = None  # the unit registry on the share (flows/staff/registry_folder.py)


@dataclass
class RunReport:
    summary: RunSummary
    extracted: int
    new: int
    changed: int
    unchanged: int
    reused: int
    removed: list[str]
    pending: list[str]
    seconds: float
    archived: int = 0
    inbox_looked_empty: bool = False
    retried: int = 0
    tools_missing: dict[str, list[str]] = field(default_factory=dict)  # tool_missing message -> its files
    internal_errors: list[str] = field(default_factory=list)  # files with an internal_error (our bug)

    def one_line(self) -> str:
        parts = [f"新文件 {self.new} 个", f"有改动 {self.changed} 个", f"未变 {self.unchanged} 个"]
        if self.retried:
            parts.append(f"上次缺少程序、本次重新读取 {self.retried} 个")
        if self.inbox_looked_empty:
            parts.append("收件箱中一个文件也没有（共享盘可能未连接），上次的结果原样保留")
        if self.removed:
            parts.append(f"已从收件箱移走 {len(self.removed)} 个（{_names(self.removed)}，记录保留在台账中）")
        if self.pending:
            parts.append(f"仍在复制 {len(self.pending)} 个（{_names(self.pending)}，下次处理）")
        if self.archived:
            parts.append(f"已归档 {self.archived} 个")
        return "，".join(parts) + f"；实际读取 {self.extracted} 个，用时 {self.seconds:.1f} 秒。"


def _names(paths: list[str], shown: int = 3) -> str:
    more = f" 等{len(paths)}个" if len(paths) > shown else ""
    return "、".join(paths[:shown]) + more


# ---------------------------------------------------------------------------------------------- plan


def plan_run(
    inbox: Path,
    outdir: Path,
    ledger: Ledger,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    full: bool = False,
    settle_s: float = DEFAULT_SETTLE_S,
    stable: dict[str, tuple[int, int]] | None = None,
    extra_key_fn: ExtraKey | None = None,
    limits: Limits | None = None,
    registry: Path | None = None,
) -> RunPlan:
    """Decide what this run must read.

    `stable` ({path: (size, mtime_ns)} from a watch loop's tracker) replaces the settle wait: a file counts
    when it still has the size and mtime the tracker saw stay put. `registry`: the unit registry's folder.
    """
    limits = limits or Limits.from_env()
    registry_dir = open_registry(outdir, registry)
    version = reader_version(min_confidence, limits, registry_dir)
    for stale in outdir.glob(".*.tmp"):  # temp files of a run killed while writing (we hold the lock)
        stale.unlink(missing_ok=True)
    records = ledger.records()
    plan = RunPlan(inbox, outdir, version, now_iso(), time.monotonic(), live=[], registry_dir=registry_dir)
    if extra_key_fn is None:
        # a file whose staff corrections changed must be read again: their fingerprint is part of the key
        plan.corrections = corrections = collect_corrections(outdir, registry_dir=registry_dir)
        extra_key_fn = lambda rel, sha: corrections.fingerprint(sha[:16], rel)  # noqa: E731
    found = discover(inbox)
    found_rels = {p.relative_to(inbox).as_posix() for p in found}
    finished_moves = _resolve_archived(records, inbox, found_rels, plan)
    found = [p for p in found if p.relative_to(inbox).as_posix() not in finished_moves]
    live = {r.path: r for r in records if r.current and r.archived_path is None}
    plan.live = [r for r in records if r.current and r.archived_path is not None]
    by_content = {(r.sha256, r.schema_version, r.extra_key): r for r in records if r.sha256 and not r.awaits_tool}
    ready, pending = _split_stable(found, inbox, stable, settle_s)
    decide = _Decider(plan, by_content, extra_key_fn or (lambda _rel, _sha: ""), full, limits)
    for path in sorted(ready, key=lambda p: p.relative_to(inbox).as_posix()):
        rel = path.relative_to(inbox).as_posix()
        decide(path, rel, ready[path], live.pop(rel, None))
    plan.pending = sorted(p.relative_to(inbox).as_posix() for p in pending)
    if not found and live:  # an empty listing is likelier a share that is not mounted than every file deleted
        plan.inbox_looked_empty = True
        plan.live.extend(live.values())
        log.warning("the inbox lists no file at all; keeping the %d files of the last run", len(live))
        return plan
    for rel in sorted(live):
        rec = live[rel]
        if rel in found_rels:  # still being copied over an earlier version: keep that version for now
            plan.live.append(rec)
            continue
        rec.removed_at = plan.started
        plan.dirty.append(rec)
        plan.removed.append(rel)
    return plan


def _split_stable(
    found: list[Path], inbox: Path, stable: dict[str, tuple[int, int]] | None, settle_s: float
) -> tuple[dict[Path, Snapshot], list[Path]]:
    if stable is None:
        return settle(found, settle_s)
    ready: dict[Path, Snapshot] = {}
    pending: list[Path] = []
    for p in found:
        snap = Snapshot.of(p)
        seen = stable.get(p.relative_to(inbox).as_posix())  # a list once it has been through JSON
        if snap is not None and seen is not None and tuple(seen) == (snap.size, snap.mtime_ns):
            ready[p] = snap
        else:
            pending.append(p)
    return ready, pending


@dataclass
class _Decider:
    """One stable inbox file against its ledger row: unchanged, re-read, reused from another row, or new."""

    plan: RunPlan
    by_content: dict[tuple[str, str, str], FileRecord]
    key: ExtraKey
    full: bool
    limits: Limits
    twins: dict[tuple[str, str], int] = field(default_factory=dict)

    def __call__(self, path: Path, rel: str, snap: Snapshot, rec: FileRecord | None) -> None:
        plan = self.plan
        same_stat = rec is not None and (rec.size, rec.mtime_ns) == (snap.size, snap.mtime_ns)
        # size and mtime as recorded: trust the row's hash, do not read the file (an empty hash is never trusted)
        trusted = same_stat and rec.sha256 and not self.full
        sha = rec.sha256 if trusted else _hash(path, plan.inbox, self.limits)
        extra = self.key(rel, sha)
        if rec is not None and rec.sha256 == sha:  # same bytes (perhaps copied again with a new mtime)
            rec.size, rec.mtime_ns = snap.size, snap.mtime_ns
            same_reading = sha and rec.schema_version == plan.version and rec.extra_key == extra and not self.full
            if same_reading and not rec.awaits_tool:
                plan.unchanged += 1
                if not same_stat:
                    plan.dirty.append(rec)
            else:  # new reader version, new extra key, --full, a file not hashed, or a program was missing
                plan.todo.append(Work(path, rel, snap, sha, extra, record=rec))
                if same_reading:
                    plan.retried += 1
                else:
                    plan.changed += 1
            plan.live.append(rec)
            return
        if rec is not None:
            plan.changed += 1
        else:
            plan.new += 1
        hit = self.by_content.get((sha, plan.version, extra)) if sha and not self.full else None
        if hit is not None:
            plan.reused += 1
            _adopt(plan, hit, rel, snap, rec)
            return
        work = Work(path, rel, snap, sha, extra, replaces=rec)
        if sha and (sha, extra) in self.twins:
            plan.twins.append((work, self.twins[(sha, extra)]))
            return
        if sha:
            self.twins[(sha, extra)] = len(plan.todo)
        plan.todo.append(work)


def _hash(path: Path, inbox: Path, limits: Limits) -> str:
    if precheck(path, inbox, limits):  # never open a pipe, a link out of the inbox, an oversized file
        return ""
    try:
        return file_sha256(path)
    except OSError:
        return ""  # extraction reports it; an empty hash is never trusted as unchanged


def _adopt(plan: RunPlan, hit: FileRecord, rel: str, snap: Snapshot, replaces: FileRecord | None) -> None:
    """A file whose bytes the ledger has read before under another name: copy that outcome."""
    outcome = outcome_from_json(hit.outcome)
    outcome.source_file, outcome.duplicate_of = rel, ""
    outcome.source_path = str((plan.inbox / rel).absolute())
    outcome.received_at = _iso(snap.mtime_ns)
    rec = FileRecord(
        None, rel, hit.sha256, snap.size, snap.mtime_ns, plan.started, plan.started, hit.produced_at,
        hit.schema_version, hit.extra_key, outcome_to_json(outcome),
    )  # fmt: skip
    if replaces is not None:
        replaces.removed_at = plan.started
        plan.dirty.append(replaces)
    plan.live.append(rec)
    plan.dirty.append(rec)


def _iso(mtime_ns: int) -> str:
    return datetime.fromtimestamp(mtime_ns / 1e9).isoformat(timespec="seconds")


def _resolve_archived(records: list[FileRecord], inbox: Path, found: set[str], plan: RunPlan) -> set[str]:
    """Rows `--archive` moved: follow them, and repair a move a kill interrupted.

    Returns inbox paths whose move to the archive was completed here (the copy was there, the original too).
    """
    live_paths = {r.path for r in records if r.current and r.archived_path is None}
    completed: set[str] = set()
    for rec in records:
        if not rec.current or rec.archived_path is None:
            continue
        there, here = Path(rec.archived_path).exists(), rec.path in found and rec.path not in live_paths
        if here and not there:  # killed before the move: the file is still in the inbox
            rec.archived_path = None
            plan.dirty.append(rec)
        elif here and there and _same_file(inbox / rec.path, rec):  # killed between copy and unlink
            (inbox / rec.path).unlink()
            completed.add(rec.path)
        elif not there:
            rec.removed_at = plan.started
            plan.dirty.append(rec)
            plan.removed.append(f"{rec.path}（归档于 {rec.archived_path}）")
    return completed


def _same_file(path: Path, rec: FileRecord) -> bool:
    snap = Snapshot.of(path)
    if snap is None or (snap.size, snap.mtime_ns) != (rec.size, rec.mtime_ns):
        return False
    try:
        return file_sha256(path) == rec.sha256
    except OSError:
        return False


# ---------------------------------------------------------------------------------------------- finish


def finish_run(plan: RunPlan, ledger: Ledger, outcomes: list[FileOutcome]) -> RunReport:
    """Record what was extracted, write the tables from every live row, then commit the ledger."""
    if len(outcomes) != len(plan.todo):
        raise ValueError(f"{len(outcomes)} outcomes for {len(plan.todo)} files")
    texts = [outcome_to_json(o) for o in outcomes]  # serialised before the writer marks duplicates
    for work, text in [*zip(plan.todo, texts, strict=True), *((w, texts[i]) for w, i in plan.twins)]:
        outcome = outcome_from_json(text)
        if outcome.source_file != work.rel:  # a twin: same bytes under another name
            outcome.source_file, outcome.source_path = work.rel, str(work.path.absolute())
            outcome.received_at = _iso(work.snap.mtime_ns)
            text = outcome_to_json(outcome)
        _record(plan, work, outcome, text)
    live = sorted(plan.live, key=lambda r: (r.first_seen, r.id is None, r.id or 0, r.path))  # arrival order
    current = [_for_tables(r) for r in live]
    tools_missing, internal_errors = _needing_us(current)
    summary = write_outputs(plan.outdir, current, plan.registry_dir)
    seconds = time.monotonic() - plan.started_mono
    ledger.commit(
        plan.dirty,
        {
            "started": plan.started,
            "finished": now_iso(),
            "extracted": len(plan.todo),
            "unchanged": plan.unchanged,
            "removed": len(plan.removed),
            "pending": len(plan.pending),
            "seconds": seconds,
        },
    )
    for rel in plan.removed:
        log.warning("no longer in the inbox: %s (kept in the ledger)", rel)
    return RunReport(
        summary, len(plan.todo), plan.new, plan.changed, plan.unchanged, plan.reused,
        plan.removed, plan.pending, seconds, inbox_looked_empty=plan.inbox_looked_empty, retried=plan.retried,
        tools_missing=tools_missing, internal_errors=internal_errors,
    )  # fmt: skip


def _needing_us(outcomes: list[FileOutcome]) -> tuple[dict[str, list[str]], list[str]]:
    """Files whose problem is this computer's (tool_missing, by message: one line per missing program) or the
    program's own (internal_error), not the unit's."""
    tools: dict[str, list[str]] = {}
    bugs: list[str] = []
    for outcome in outcomes:
        for f in outcome.file_findings:
            if f.code == "tool_missing":
                tools.setdefault(f.message, []).append(outcome.source_file)
            elif f.code == "internal_error":
                bugs.append(outcome.source_file)
    return tools, bugs


def _for_tables(rec: FileRecord) -> FileOutcome:
    outcome = rec.load_outcome()
    if rec.archived_path:  # the staff workbook links to the file where it now is
        outcome.source_path = rec.archived_path
    return outcome


def _record(plan: RunPlan, work: Work, outcome: FileOutcome, text: str) -> None:
    # The file changed between our hash and the extractor's, or could not be opened this time (a share that
    # dropped, retries exhausted): keep the result, but make the next run read it again.
    mtime_ns = work.snap.mtime_ns
    if work.sha256 and outcome.submission_id != work.sha256[:16]:
        mtime_ns = -1
    rec = work.record  # already in plan.live
    if rec is None:
        rec = FileRecord(None, work.rel, "", 0, 0, plan.started, plan.started, "", "", "", "")
        plan.live.append(rec)
    rec.sha256, rec.size, rec.mtime_ns = work.sha256, work.snap.size, mtime_ns
    rec.produced_at, rec.schema_version, rec.extra_key, rec.outcome = now_iso(), plan.version, work.extra_key, text
    plan.dirty.append(rec)
    if work.replaces is not None:
        work.replaces.removed_at = plan.started
        plan.dirty.append(work.replaces)


# ---------------------------------------------------------------------------------------------- run


def serial(
    min_confidence: float = DEFAULT_MIN_CONFIDENCE, progress: Progress | None = None, registry_dir: Path | None = None
) -> Process:
    def run(
        paths: list[Path], inbox: Path, corrections: Corrections | None = None, crops_root: Path | None = None
    ) -> list[FileOutcome]:
        read = partial(process_file, min_confidence=min_confidence, registry_dir=registry_dir)
        out = []
        for i, path in enumerate(paths, 1):
            out.append(read(path, inbox, corrections=corrections, crops_root=crops_root))
            if progress:
                progress(i, len(paths))
        return out

    return run


def run_incremental(
    inbox: Path,
    outdir: Path,
    *,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    full: bool = False,
    settle_s: float = DEFAULT_SETTLE_S,
    stable: dict[str, tuple[int, int]] | None = None,
    extra_key_fn: ExtraKey | None = None,
    process: Process | None = None,
    wait: bool = False,
    archive_to: Path | None = None,
    registry: Path | None = None,
) -> RunReport:
    """The whole run without Prefect, under the output folder's lock (raises RunLocked when busy)."""
    with RunLock(outdir, wait=wait), Ledger(outdir) as ledger:
        plan = plan_run(
            inbox, outdir, ledger, min_confidence=min_confidence, full=full, settle_s=settle_s, stable=stable,
            extra_key_fn=extra_key_fn, registry=registry,
        )  # fmt: skip
        outcomes = (process or serial(min_confidence, registry_dir=plan.registry_dir))(
            [w.path for w in plan.todo], inbox, plan.corrections, outdir / CROPS_DIR
        )
        report = finish_run(plan, ledger, outcomes)
        if archive_to is not None:
            report.archived = archive(plan, ledger, archive_to)
        return report


# ---------------------------------------------------------------------------------------------- archive


def archive(plan: RunPlan, ledger: Ledger, archive_to: Path) -> int:
    """Move every processed file still in the inbox to `archive_to/YYYY-MM-DD/<path>`; the ledger follows.

    The ledger records the destination before the move, so a kill in between is repaired next run
    (_resolve_archived): the file is either still in the inbox (the row goes back) or in the archive.
    """
    day = archive_to / date.today().isoformat()
    moved = 0
    for rec in plan.live:
        src = plan.inbox / rec.path
        if rec.archived_path is not None or rec.path in plan.pending or not src.exists() or rec.id is None:
            continue
        dest = _free_name(day / rec.path)
        ledger.set_archived(rec.id, str(dest))
        try:
            _move(src, dest)
        except OSError as exc:
            log.warning("could not archive %s: %s", rec.path, exc)
            ledger.set_archived(rec.id, None)
            continue
        rec.archived_path = str(dest)
        moved += 1
    return moved


def _free_name(dest: Path) -> Path:
    candidate, n = dest, 2
    while candidate.exists():
        candidate = dest.with_name(f"{dest.stem} ({n}){dest.suffix}")
        n += 1
    return candidate


def _move(src: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(src, dest)  # same file system: atomic
        return
    except OSError:
        pass
    tmp = dest.with_name(f".{dest.name}.part")
    shutil.copy2(src, tmp)  # keeps the mtime, which the ledger compares
    if os.path.getsize(tmp) != os.path.getsize(src):
        tmp.unlink(missing_ok=True)
        raise OSError(f"archive copy of {src} is incomplete")
    os.replace(tmp, dest)
    src.unlink()
