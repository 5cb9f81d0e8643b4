"""One inbox file as plain functions: discover → precheck → extract → recognise → read → correct → validate.

`process_file` never raises for bad input: every problem becomes a finding on the file's FileOutcome. The
worker pool (flows/reading/isolation.py), the incremental run (flows/state/incremental.py) and the Prefect flow
(flows/intake_flow.py) all call it; tests and benchmarks call it directly.
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

from extractors import IntakeError, extract_document
from extractors.model import Document
from flows.outcome import FileOutcome
from flows.reading.crops import attach_crops
from flows.reading.limits import Limits
from flows.staff.corrections import Corrections
from schemas.findings import finding
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


# Whole-file problems found before the file is read (each becomes the {detail} of unreadable_file).
MSG_OUTSIDE = "该文件是指向收件箱以外位置的快捷方式，出于安全原因未读取，请把原文件本身复制到收件箱"
MSG_GONE = "文件在读取前已被移走或删除，请确认收件箱中是否仍有该文件"
MSG_DENIED = "没有读取该文件的权限，请检查文件权限或重新复制到收件箱"
MSG_NOT_FILE = "该项不是普通文件（可能是文件夹、管道或设备），未读取，请确认收件箱中放的是文件"
MSG_EMPTY = "文件是空文件（0字节），没有任何内容，请联系报送单位重新发送"
MSG_TOO_BIG = "文件大小{size:.0f}MB，超过每份文件{limit}MB的上限，请确认是否发错文件"
MSG_NO_MEMORY = "文件过大或结构异常，处理时内存不足，请人工打开检查或联系报送单位重新发送"


def _inside(path: Path, inbox: Path) -> bool:
    """Does the path, with every symlink followed, stay inside the inbox?"""
    try:
        return path.resolve().is_relative_to(inbox.resolve())
    except (OSError, RuntimeError):  # a symlink loop
        return False


def os_problem(exc: OSError) -> str:
    """An OS error as a sentence staff understand (strerror is English)."""
    if isinstance(exc, FileNotFoundError):
        return MSG_GONE
    if isinstance(exc, PermissionError):
        return MSG_DENIED
    if isinstance(exc, IsADirectoryError):
        return MSG_NOT_FILE
    return f"无法打开文件（系统错误码{exc.errno}），请检查文件权限或重新复制到收件箱"


def precheck(path: Path, inbox: Path, limits: Limits) -> str | None:
    """Why this path must not be read at all, or None: outside the inbox, gone, not a file, empty, too big.

    Nothing here opens the file, so a named pipe cannot block and a symlink to /etc is never read.
    """
    if not _inside(path, inbox):
        return MSG_OUTSIDE
    try:
        info = os.stat(path)
    except OSError as exc:
        return os_problem(exc)
    if not stat.S_ISREG(info.st_mode):
        return MSG_NOT_FILE
    if info.st_size == 0:
        return MSG_EMPTY
    if info.st_size > limits.max_file_bytes:
        return MSG_TOO_BIG.format(size=info.st_size / 1024 / 1024, limit=limits.max_file_mb)
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
) -> FileOutcome:
    """Read one inbox file. Never raises for bad input: problems become findings.

    crops_root: a scan keeps its page images and seal/field crops in crops_root/<submission_id>/.
    """
    started = time.perf_counter()
    limits = limits or Limits()
    rel = path.relative_to(inbox).as_posix()
    refused = precheck(path, inbox, limits)
    if refused:
        outcome = FileOutcome(rel, "")
        outcome.file_findings.append(finding("unreadable_file", "error", detail=refused))
        return outcome
    try:
        sid = file_sha256(path)[:16]
    except OSError as exc:
        outcome = FileOutcome(rel, "")
        outcome.file_findings.append(finding("unreadable_file", "error", detail=os_problem(exc)))
        return outcome
    outcome = FileOutcome(rel, sid)
    outcome.source_path, outcome.received_at = str(path.absolute()), _modified(path)
    try:
        doc = extract_document(
            path,
            max_pages=limits.max_pages,
            max_pixels_per_page=limits.max_pixels_per_page,
            max_uncompressed=limits.max_uncompressed_bytes,
            crops_dir=crops_root / sid if crops_root is not None else None,
        )
    except IntakeError as exc:
        return _unreadable(outcome, started, exc.message_zh, exc.detail, exc.page)
    except MemoryError:
        return _unreadable(outcome, started, MSG_NO_MEMORY, "MemoryError")
    except Exception as exc:  # a parser bug on a strange file must not stop the batch
        log.exception("extracting %s failed", rel)
        return _unreadable(outcome, started, MSG_PARSER_BUG, f"{type(exc).__name__}: {exc}")
    outcome.source_kind = doc.kind
    outcome.pages = doc.page_count
    try:
        _read_document(doc, outcome, forms or load_forms(), registry or default_registry(), min_confidence, corrections)
    except Exception as exc:  # same: a reader bug becomes a finding for this file only
        log.exception("reading %s failed", rel)
        outcome.cleaned = None
        return _unreadable(outcome, started, MSG_READER_BUG, f"{type(exc).__name__}: {exc}")
    outcome.seconds = time.perf_counter() - started
    return outcome


MSG_PARSER_BUG = "文件内容异常，程序无法解析，请人工打开检查或联系报送单位重新发送"
MSG_READER_BUG = "表格内容无法解析，请人工打开检查"


def _unreadable(outcome: FileOutcome, started: float, detail: str, raw: str, page: int | None = None) -> FileOutcome:
    outcome.file_findings.append(finding("unreadable_file", "error", detail=detail, raw=raw, page=page))
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
