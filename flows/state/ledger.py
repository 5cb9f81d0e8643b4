"""The ledger: every inbox file by content hash, what it produced, when, and with which reader version.

`<out>/state/ledger.sqlite` (stdlib sqlite3, WAL journal). One row per file the inbox has held:

| column | meaning |
|---|---|
| id | row id (a file archived out of the inbox keeps its row; a new file at the same path gets a new one) |
| path | where it was found, relative to the inbox (= source_file in the outputs) |
| sha256, size, mtime_ns | the content hash and the size/mtime it had when read |
| first_seen, last_seen | ISO times of the first and the latest run that saw it |
| produced_at | when its outcome was computed |
| schema_version | `reader_version()`: hash of the forms and reading code, + settings, campaign and unit registry |
| extra_key | anything else the outcome depends on (e.g. a corrections fingerprint), "" by default |
| outcome | the FileOutcome as JSON (not pickle: the ledger may sit on a shared drive others can write to) |
| removed_at | when a run noticed it was gone from the inbox, or replaced by new content at the same path |
| archived_path | where `--archive` moved it; the row follows the file |

The ledger is only ever written after the outputs (see flows/state/incremental.py), in one transaction, so a run
killed at any point leaves the previous ledger, and the next run redoes whatever was not committed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
import types
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from flows.outcome import FileOutcome
from schemas.campaign import campaign_digest
from schemas.registry import registry_digest

LEDGER_FILE = Path("state") / "ledger.sqlite"
ROOT = Path(__file__).resolve().parents[2]
# What a file's outcome depends on besides its bytes; writer/revision code is not here: tables are rebuilt
# from outcomes on every run anyway. The unit registry is staff's data, read from the registry folder on the
# share, and the campaign file may be named by INTAKE_CAMPAIGN: both enter `reader_version` by their content.
READER_INPUTS = (
    "extractors/*.py",
    "schemas/*.py",
    "schemas/forms/*.yaml",
    "schemas/messages.yaml",
    "schemas/registry/divisions.csv",
    "flows/outcome.py",
    "flows/reading/pipeline.py",
    "flows/reading/causes.py",
    "flows/reading/crops.py",
    "flows/reading/limits.py",
)

TOOL_MISSING = '"code":"tool_missing"'  # how a tool_missing finding reads in a stored outcome

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    produced_at TEXT NOT NULL,
    schema_version TEXT NOT NULL,
    extra_key TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL,
    removed_at TEXT,
    archived_path TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS files_live ON files(path) WHERE archived_path IS NULL AND removed_at IS NULL;
CREATE INDEX IF NOT EXISTS files_content ON files(sha256, schema_version, extra_key);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started TEXT NOT NULL,
    finished TEXT NOT NULL,
    extracted INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    removed INTEGER NOT NULL,
    pending INTEGER NOT NULL,
    seconds REAL NOT NULL
);
"""
COLUMNS = (
    "id", "path", "sha256", "size", "mtime_ns", "first_seen", "last_seen", "produced_at", "schema_version",
    "extra_key", "outcome", "removed_at", "archived_path",
)  # fmt: skip


def now_iso() -> str:
    return datetime.now().isoformat(timespec="seconds")


@cache
def _code_hash() -> str:
    digest = hashlib.sha256()
    for pattern in READER_INPUTS:
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.relative_to(ROOT).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


# Limits that bound time and memory, not what a file yields: changing them re-reads nothing. (A file that timed
# out stays so until it changes or `--full`; its exception tells staff to open it by hand.)
RESOURCE_LIMITS = {"seconds_per_file", "max_worker_memory_mb"}


def reader_version(min_confidence: float, limits: object = None, registry_dir: Path | None = None) -> str:
    """Changes whenever re-reading a file could give a different outcome: then the ledger re-reads it.
    `registry_dir`: the run's registry folder (None: the packaged registry); an edited registry re-reads every
    file, since a new alias or unit may change any file's unit match."""
    content_limits = (
        {f.name: getattr(limits, f.name) for f in dataclasses.fields(limits) if f.name not in RESOURCE_LIMITS}
        if dataclasses.is_dataclass(limits)
        else {}
    )
    # the campaign file in use (INTAKE_CAMPAIGN may name one outside the repo): its dates decide late/stage/window
    settings = f"{min_confidence!r}|{sorted(content_limits.items())!r}|{campaign_digest()}"
    settings += f"|{registry_digest(registry_dir)}"
    settings = hashlib.sha256(settings.encode()).hexdigest()[:6]
    return f"{_code_hash()}-{settings}"


# ---------------------------------------------------------------------------- FileOutcome <-> JSON


def outcome_to_json(outcome: FileOutcome) -> str:
    return json.dumps(dataclasses.asdict(outcome), ensure_ascii=False, separators=(",", ":"))


def outcome_from_json(text: str) -> FileOutcome:
    return _decoder(FileOutcome)(json.loads(text))


Decode = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


@cache
def _decoder(tp: Any) -> Decode:
    """A function rebuilding `tp` from its JSON form, made once per type from the type hints (nested
    dataclasses like Cleaned inside FileOutcome, Findings in lists). Unknown keys are dropped, so a ledger
    written by an older version still loads."""
    origin, args = typing.get_origin(tp), typing.get_args(tp)
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        fields = {f.name: _decoder(hints[f.name]) for f in dataclasses.fields(tp)}

        def build(data: dict) -> Any:
            return tp(**{k: (fields[k](v) if v is not None else None) for k, v in data.items() if k in fields})

        return build
    if origin in (typing.Union, types.UnionType):
        nested = [a for a in args if dataclasses.is_dataclass(a)]
        if nested:
            inner = _decoder(nested[0])
            return lambda v: inner(v) if isinstance(v, dict) else v
        return _identity
    if origin is list and args:
        item = _decoder(args[0])
        return _identity if item is _identity else (lambda v: [item(x) for x in v])
    if origin is tuple and args:
        item = _decoder(args[0])
        return lambda v: tuple(item(x) for x in v)
    if origin is dict and len(args) == 2:
        item = _decoder(args[1])
        return _identity if item is _identity else (lambda v: {k: item(x) for k, x in v.items()})
    return _identity


# ---------------------------------------------------------------------------- the store


@dataclass
class FileRecord:
    id: int | None
    path: str
    sha256: str
    size: int
    mtime_ns: int
    first_seen: str
    last_seen: str
    produced_at: str
    schema_version: str
    extra_key: str
    outcome: str  # JSON
    removed_at: str | None = None
    archived_path: str | None = None

    @property
    def current(self) -> bool:
        return self.removed_at is None

    @property
    def awaits_tool(self) -> bool:
        """Its outcome says this computer lacked a program (tool_missing): never reused, read again each run
        until the program is there. (A text search: outcome_to_json writes no spaces, and no form value can
        hold the quotes around it.)"""
        return TOOL_MISSING in self.outcome

    def load_outcome(self) -> FileOutcome:
        return outcome_from_json(self.outcome)


class Ledger:
    """`with Ledger(outdir) as ledger:` — read all records, then `commit()` once at the end of a run."""

    def __init__(self, outdir: Path) -> None:
        self.path = Path(outdir) / LEDGER_FILE
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")  # a committed run survives a power cut, not just a kill
        self.db.executescript(SCHEMA)

    def __enter__(self) -> Ledger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def records(self) -> list[FileRecord]:
        rows = self.db.execute(f"SELECT {', '.join(COLUMNS)} FROM files ORDER BY id").fetchall()
        return [FileRecord(*row) for row in rows]

    def commit(self, records: list[FileRecord], run: dict[str, Any]) -> None:
        """Write the new and changed records, stamp last_seen on every live one, log the run: all or nothing."""
        fields = COLUMNS[1:]
        with self.db:  # sqlite3's context manager: BEGIN … COMMIT, ROLLBACK on error
            self.db.execute("BEGIN IMMEDIATE")
            # updates first: a replaced record must leave the live-path index before its successor enters
            for rec in sorted(records, key=lambda r: r.id is None):
                values = [getattr(rec, f) for f in fields]
                if rec.id is None:
                    cur = self.db.execute(
                        f"INSERT INTO files ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})", values
                    )
                    rec.id = cur.lastrowid
                else:
                    assignments = ", ".join(f + "=?" for f in fields)
                    self.db.execute(f"UPDATE files SET {assignments} WHERE id=?", [*values, rec.id])
            self.db.execute("UPDATE files SET last_seen=? WHERE removed_at IS NULL", (run["finished"],))
            self.db.execute(
                "INSERT INTO runs (started, finished, extracted, unchanged, removed, pending, seconds)"
                " VALUES (:started, :finished, :extracted, :unchanged, :removed, :pending, :seconds)",
                run,
            )

    def set_archived(self, record_id: int, archived_path: str | None) -> None:
        with self.db:
            self.db.execute("UPDATE files SET archived_path=? WHERE id=?", (archived_path, record_id))
