"""The batch as plain functions: discover → extract → recognise → read → validate.

Prefect (flows/intake_flow.py) only orchestrates these; tests and benchmarks call them directly.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from dataclasses import dataclass, field
from fnmatch import fnmatch
from functools import lru_cache
from pathlib import Path

from extractors import IntakeError, extract_document
from extractors.model import Document
from schemas.findings import Finding, finding
from schemas.form_schema import FormSchema, load_forms
from schemas.reader import read_form, recognise_form
from schemas.units import UnitRegistry
from schemas.validate import DEFAULT_MIN_CONFIDENCE, Cleaned, clean_submission

log = logging.getLogger("intake")

# Files office programs and file managers leave beside documents: never submissions (contract).
IGNORED_NAMES = ("~$*", ".~lock.*#", "*.tmp", "*.crdownload", "Thumbs.db", ".DS_Store", "desktop.ini")


@dataclass
class FileOutcome:
    """Everything one inbox file produced: cleaned rows or whole-file findings, never nothing."""

    source_file: str  # relative to the inbox, with forward slashes
    submission_id: str
    source_kind: str = ""
    form_type: str = ""
    cleaned: Cleaned | None = None
    file_findings: list[Finding] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0
    duplicate_of: str = ""  # set when byte-identical to an earlier inbox file

    @property
    def findings(self) -> list[Finding]:
        return self.file_findings + (self.cleaned.findings if self.cleaned else [])

    @property
    def needs_review(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


def is_ignored(name: str) -> bool:
    return name.startswith(".") or any(fnmatch(name, pattern) for pattern in IGNORED_NAMES)


def discover(inbox: Path) -> list[Path]:
    """Every candidate submission under the inbox, sorted, skipping lock/temp/hidden files."""
    found: list[Path] = []
    for root, dirs, files in os.walk(inbox):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        found += [Path(root) / name for name in files if not is_ignored(name)]
    return sorted(found, key=lambda p: p.relative_to(inbox).as_posix())


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@lru_cache(maxsize=1)
def default_registry() -> UnitRegistry:
    return UnitRegistry.load()


def process_file(
    path: Path,
    inbox: Path,
    forms: tuple[FormSchema, ...] | None = None,
    registry: UnitRegistry | None = None,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
) -> FileOutcome:
    """Read one inbox file. Never raises for bad input: problems become findings."""
    started = time.perf_counter()
    rel = path.relative_to(inbox).as_posix()
    try:
        sid = file_sha256(path)[:16]
    except OSError as exc:
        outcome = FileOutcome(rel, "")
        outcome.file_findings.append(finding("unreadable_file", "error", detail=f"无法打开文件：{exc.strerror}"))
        return outcome
    outcome = FileOutcome(rel, sid)
    try:
        doc = extract_document(path)
    except IntakeError as exc:
        outcome.file_findings.append(
            finding("unreadable_file", "error", detail=exc.message_zh, raw=exc.detail, page=exc.page)
        )
        outcome.seconds = time.perf_counter() - started
        return outcome
    except Exception as exc:  # a parser bug on a strange file must not stop the batch
        log.exception("extracting %s failed", rel)
        outcome.file_findings.append(
            finding("unreadable_file", "error", detail="文件内容异常，程序无法解析", raw=f"{type(exc).__name__}: {exc}")
        )
        outcome.seconds = time.perf_counter() - started
        return outcome
    outcome.source_kind = doc.kind
    outcome.pages = doc.page_count
    try:
        _read_document(doc, outcome, forms or load_forms(), registry or default_registry(), min_confidence)
    except Exception as exc:  # same: a reader bug becomes a finding for this file only
        log.exception("reading %s failed", rel)
        outcome.cleaned = None
        outcome.file_findings.append(
            finding("unreadable_file", "error", detail="表格内容无法解析", raw=f"{type(exc).__name__}: {exc}")
        )
    outcome.seconds = time.perf_counter() - started
    return outcome


def _read_document(
    doc: Document, outcome: FileOutcome, forms: tuple[FormSchema, ...], registry: UnitRegistry, min_conf: float
) -> None:
    form = recognise_form(doc, forms)
    if form is None:
        outcome.file_findings.append(finding("unknown_form", "error"))
        return
    outcome.form_type = form.form_type
    outcome.cleaned = clean_submission(read_form(doc, form), doc, registry, min_conf)
