"""Findings: one problem in one submission, as staff will read it in exceptions.csv."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from extractors.errors import IntakeError
from schemas.form_schema import SCHEMA_DIR

PROBLEMS = "file_problems"  # messages.yaml: the wording of each whole-file cause, by its key
CONSOLE = "console"  # messages.yaml: the command line's own sentences (an interrupt), not exception codes


@dataclass
class Finding:
    code: str
    severity: str  # "error" | "warning"
    message: str
    field: str = ""
    raw_value: str = ""
    suggestion: str = ""
    page: int | None = None
    confidence: float | None = None
    crop_path: str | None = None  # picture of the field (scans), shown in the staff workbook
    page_image: str | None = None  # the whole page that picture was cut from (the workbook links to it)
    # a value missing in one row of a table (a liaison without a phone) reads as "": another value of that row
    # (the person's name) says which row, for staff and for a correction typed for it
    row_hint: str = ""


@lru_cache(maxsize=1)
def _wording(path: Path = SCHEMA_DIR / "messages.yaml") -> dict:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _messages() -> dict[str, str]:
    """One template per exception code."""
    return {code: template for code, template in _wording().items() if code not in (PROBLEMS, CONSOLE)}


def console_message(key: str, **values: object) -> str:
    """A sentence the command line prints (schemas/messages.yaml, console)."""
    return _wording()[CONSOLE][key].format(**values)


def problem_wording() -> dict[str, str]:
    """One sentence per whole-file cause (extractors/errors.py, flows/reading/causes.py), by its key."""
    return _wording()[PROBLEMS]


class _Blank(dict):
    def __missing__(self, key: str) -> str:
        return ""


def finding(
    code: str,
    severity: str,
    field: str = "",
    *,
    label: str = "",
    raw: str = "",
    suggestion: str = "",
    page: int | None = None,
    confidence: float | None = None,
    row_hint: str = "",
    **fmt: object,
) -> Finding:
    """Build a Finding whose message comes from schemas/messages.yaml."""
    template = _wording()[code]  # KeyError here means a code missing from messages.yaml: a bug, not input
    shown_raw = raw if len(raw) <= 60 else raw[:57] + "…"
    message = template.format_map(_Blank(label=label, raw=shown_raw, suggestion=suggestion, **fmt)).strip()
    if not message.endswith(("。", "！", "？")):
        message += "。"  # one full sentence, whatever the extractor's wording
    return Finding(
        code=code,
        severity=severity,
        message=message,
        field=field,
        raw_value=raw,
        suggestion=suggestion,
        page=page,
        confidence=confidence,
        row_hint=row_hint,
    )


def problem_message(cause: IntakeError) -> str:
    """The staff's sentence for a whole-file cause; a KeyError means a cause without wording: a bug."""
    return problem_wording()[cause.key].format(page=cause.page, **cause.values)


def problem_finding(cause: IntakeError) -> Finding:
    """The exceptions.csv row for a file that could not be read: its code, its sentence, the technical reason
    as raw_value."""
    return finding(cause.code, "error", raw=cause.detail, page=cause.page, detail=problem_message(cause))
