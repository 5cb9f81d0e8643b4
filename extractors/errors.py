"""Errors an extractor raises for a file it cannot read.

Each carries the contract's exception code and a sentence in Chinese telling
staff what to do; the pipeline turns it into an exceptions.csv row and goes on
with the other files.
"""

from __future__ import annotations


class IntakeError(Exception):
    code = "unreadable_file"

    def __init__(self, message_zh: str, detail: str = "", page: int | None = None) -> None:
        super().__init__(message_zh)
        self.message_zh = message_zh
        self.detail = detail  # technical reason, for the log and raw_value
        self.page = page


class UnreadableFile(IntakeError):
    code = "unreadable_file"


class ExtractorUnavailable(UnreadableFile):
    """A tool the format needs (OCR models, LibreOffice) is not installed here."""
