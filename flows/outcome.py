"""The data that travels between the rooms of flows/: what one inbox file produced, and the staff corrections
that were applied to it. Plain dataclasses, stored in the ledger as JSON (flows/state/ledger.py); every room
imports them and this module imports no room."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from schemas.findings import Finding
from schemas.validate import Cleaned


def squash(text: str) -> str:
    """Text compared without whitespace and control characters: the workbook cannot hold the latter, so they
    never round-trip through staff typing."""
    return re.sub(r"[\s\x00-\x1f]+", "", text or "")


@dataclass(frozen=True)
class Correction:
    """One value staff typed (exceptions.xlsx 更正值 or a row of corrections.csv; flows/staff/corrections.py)."""

    submission_id: str
    source_file: str
    field: str
    old_value: str  # as read when staff corrected it; "" = whatever is read
    new_value: str
    add_alias: bool = False
    entered_on: str = ""
    entered_via: str = "csv"  # csv | workbook

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.submission_id or self.source_file, self.field, squash(self.old_value))


@dataclass(frozen=True)
class AppliedCorrection:
    """One correction that changed what a file was read as, in this run."""

    correction: Correction
    form_type: str
    old_value: str  # what was read before the change


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
    source_path: str = ""  # absolute path, for the staff workbook's link to the file
    received_at: str = ""  # the file's modification time (ISO): when it landed in the inbox
    corrections_applied: list[AppliedCorrection] = field(default_factory=list)  # staff corrections used

    @property
    def findings(self) -> list[Finding]:
        return self.file_findings + (self.cleaned.findings if self.cleaned else [])

    @property
    def needs_review(self) -> bool:
        return any(f.severity == "error" for f in self.findings)
