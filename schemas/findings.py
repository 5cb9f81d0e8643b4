"""Findings: one problem in one submission, as staff will read it in exceptions.csv."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from schemas.form_schema import SCHEMA_DIR


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


@lru_cache(maxsize=1)
def _messages(path: Path = SCHEMA_DIR / "messages.yaml") -> dict[str, str]:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


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
    **fmt: object,
) -> Finding:
    """Build a Finding whose message comes from schemas/messages.yaml."""
    template = _messages()[code]  # KeyError here means a code missing from messages.yaml: a bug, not input
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
    )
