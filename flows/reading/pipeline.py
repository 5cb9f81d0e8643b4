"""One inbox file as plain functions: discover → precheck → extract → recognise → read → correct → validate.

`process_file` never raises for bad input: every problem becomes a finding on the file's FileOutcome. The
worker pool (flows/reading/isolation.py), the incremental run (flows/state/incremental.py) and the Prefect flow
(flows/intake_flow.py) all call it; tests and benchmarks call it directly.

A whole-file problem is a cause (extractors/errors.py, flows/reading/causes.py) turned into its finding with
the wording of schemas/messages.yaml: `unreadable_file` (the file), `tool_missing` (this computer lacks a
program) or `internal_error` (our own bug: staff hand the file and the log to the technical contact).
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import time
from datetime import datetime
from fnmatch import fnmatch
from pathlib import Path

from extractors import ExtractOptions, IntakeError, extract_document
from extractors.model import Document
from flows.outcome import FileOutcome
from flows.reading.causes import (
    AccessDenied,
    EmptyFile,
    ExtractorBug,
    FileGone,
    FileTooBig,
    NotAFile,
    OsProblem,
    OutOfMemory,
    OutsideInbox,
    ReaderBug,
    bug,
)
from flows.reading.crops import attach_crops
from flows.reading.limits import Limits
from flows.staff.corrections import Corrections
from schemas.findings import finding, problem_finding
from schemas.form_schema import FormSchema, load_forms
from schemas.reader import read_form, recognise_form
from schemas.registry import default_registry
from schemas.units import UnitRegistry
from schemas.validate import DEFAULT_MIN_CONFIDENCE, clean_submission

log = logging.getLogger("intake")

# Files office programs and file managers leave beside documents: never submissions (contract).
IGNORED_NAMES = ("~$*", ".~lock.*#", "*.tmp", "*.crdownload", "Thumbs.db", ".DS_Store", "desktop.ini")


def is_ignored(name: str) -> bool:
    return name.startswith(".") or any(fnmatch(name, pattern) for pattern in IGNORED_NAMES)


def discover(inbox: Path) -> list[Path]:
    """Every candidate submission under the inbox, sorted, skipping lock/temp/hidden files."""
    found: list[Path] = []
    for root, dirs, files in os.walk(inbox):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / name for name in files if not is_ignored(name)]
        # os.walk does not enter linked folders; one pointing outside the inbox still gets a row (refused)
        found += [Path(root) / d for d in dirs if os.path.islink(Path(root) / d) and not _inside(Path(root) / d, inbox)]
    return sorted(found, key=lambda p: p.relative_to(inbox).as_posix())


def _inside(path: Path, inbox: Path) -> bool:
    """Does the path, with every symlink followed, stay inside the inbox?"""
    try:
        return path.resolve().is_relative_to(inbox.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def os_problem(exc: OSError) -> IntakeError:
    """An OS error as a cause staff understand (strerror is English)."""
    detail = f"{type(exc).__name__} (errno {exc.errno})"  # not str(exc): it names paths, in English
    if isinstance(exc, FileNotFoundError):
        return FileGone(detail)
    if isinstance(exc, PermissionError):
        return AccessDenied(detail)
    if isinstance(exc, IsADirectoryError):
        return NotAFile(detail)
    return OsProblem(detail, errno=exc.errno)


def precheck(path: Path, inbox: Path, limits: Limits) -> IntakeError | None:
    """Why this path must not be read at all, or None: outside the inbox, gone, not a file, empty, too big.

    Nothing here opens the file, so a named pipe cannot block and a symlink to /etc is never read.
    """
    if not _inside(path, inbox):
        return OutsideInbox("resolves outside the inbox")
    try:
        info = os.stat(path)
    except OSError as exc:
        return os_problem(exc)
    if not stat.S_ISREG(info.st_mode):
        return NotAFile(f"st_mode {info.st_mode:o}")
    if info.st_size == 0:
        return EmptyFile("0 bytes")
    if info.st_size > limits.max_file_bytes:
        return FileTooBig(f"{info.st_size} bytes", size_mb=info.st_size / 1024 / 1024, limit_mb=limits.max_file_mb)
    return None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def process_file(
    path: Path,
    inbox: Path,
    forms: tuple[FormSchema, ...] | None = None,
    registry: UnitRegistry | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    limits: Limits | None = None,
    corrections: Corrections | None = None,
    crops_root: Path | None = None,
    registry_dir: Path | None = None,
) -> FileOutcome:
    """Read one inbox file. Never raises for bad input: problems become findings.

    registry_dir: the unit registry's folder on the share (None: the packaged registry), when `registry` is None.

    crops_root: a scan keeps its page images and seal/field crops in crops_root/<submission_id>/.
    """
    started = time.perf_counter()
    limits = limits or Limits()
    rel = path.relative_to(inbox).as_posix()
    refused = precheck(path, inbox, limits)
    if refused:
        outcome = FileOutcome(rel, "")
        outcome.file_findings.append(problem_finding(refused))
        return outcome
    try:
        sid = file_sha256(path)[:16]
    except OSError as exc:
        outcome = FileOutcome(rel, "")
        outcome.file_findings.append(problem_finding(os_problem(exc)))
        return outcome
    outcome = FileOutcome(rel, sid)
    outcome.source_path, outcome.received_at = str(path.absolute()), _modified(path)
    crops_dir = crops_root / sid if crops_root is not None else None
    try:
        doc = extract_document(path, extract_options(limits, crops_dir))
    except IntakeError as exc:
        return _unreadable(outcome, started, exc)
    except MemoryError:
        return _unreadable(outcome, started, OutOfMemory("MemoryError"))
    except Exception as exc:  # our bug (or a parser's) on a strange file: it must not stop the batch
        log.exception("extracting %s failed", rel)
        return _unreadable(outcome, started, bug(ExtractorBug, exc))
    outcome.source_kind = doc.kind
    outcome.pages = doc.page_count
    try:
        registry = registry or default_registry(registry_dir)
        _read_document(doc, outcome, forms or load_forms(), registry, min_confidence, corrections)
    except Exception as exc:  # same: a reader bug becomes a finding for this file only
        log.exception("reading %s failed", rel)
        outcome.cleaned = None
        return _unreadable(outcome, started, bug(ReaderBug, exc))
    outcome.seconds = time.perf_counter() - started
    return outcome


def extract_options(limits: Limits, crops_dir: Path | None = None) -> ExtractOptions:
    """The site's limits as the extractors take them."""
    return ExtractOptions(
        max_pages=limits.max_pages,
        max_pixels_per_page=limits.max_pixels_per_page,
        max_uncompressed_bytes=limits.max_uncompressed_bytes,
        crops_dir=crops_dir,
    )


def _unreadable(outcome: FileOutcome, started: float, cause: IntakeError) -> FileOutcome:
    outcome.file_findings.append(problem_finding(cause))
    outcome.seconds = time.perf_counter() - started
    return outcome


def _modified(path: Path) -> str:
    try:
        return datetime.fromtimestamp(os.stat(path).st_mtime).isoformat(timespec="seconds")
    except OSError:
        return ""


def _read_document(
    doc: Document,
    outcome: FileOutcome,
    forms: tuple[FormSchema, ...],
    registry: UnitRegistry,
    min_conf: float,
    corrections: Corrections | None = None,
) -> None:
    form = recognise_form(doc, forms)
    if form is None:
        outcome.file_findings.append(finding("unknown_form", "error"))
        return
    outcome.form_type = form.form_type
    read = read_form(doc, form)
    if corrections is not None:  # staff corrections go in before validation, so they are checked like the rest
        outcome.corrections_applied = corrections.apply(outcome.submission_id, outcome.source_file, read)
    outcome.cleaned = clean_submission(read, doc, registry, min_conf)
    if doc.page_images:  # scans: a picture of each problem field for the staff workbook
        attach_crops(doc, read, outcome.cleaned.findings)
