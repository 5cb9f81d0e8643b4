"""Whole-file problems an extractor raises: one exception class per cause.

Each class carries the contract's exception code (who must act: ``unreadable_file`` the unit,
``tool_missing`` whoever runs this computer) and a message KEY with its parameters. The words staff read
live in ``schemas/messages.yaml`` under ``file_problems`` (extractors know formats, not staff wording);
``schemas.findings.problem_finding`` turns a cause into the exceptions.csv row. A test checks that every
cause has its wording and that the wording uses only the cause's parameters.

    raise PdfTooLong(f"{count} pages", pages=count, limit=options.max_pages)

``detail`` is the technical reason, for the log and ``raw_value``; ``page`` the 1-based page it concerns.
"""

from __future__ import annotations

from typing import ClassVar


class IntakeError(Exception):
    """A file that cannot be read, and why. Subclasses set ``code``, ``key`` and ``params``."""

    code: ClassVar[str] = "unreadable_file"
    key: ClassVar[str] = ""  # schemas/messages.yaml: file_problems.<key>; "" on the abstract classes
    params: ClassVar[tuple[str, ...]] = ()  # the placeholders its wording may use, besides {page}

    def __init__(self, detail: str = "", *, page: int | None = None, **values: object) -> None:
        if set(values) != set(self.params):
            raise TypeError(f"{type(self).__name__} takes {self.params}, got {tuple(values)}")
        super().__init__(f"{self.key}: {detail}" if detail else self.key)
        self.detail = detail
        self.page = page
        self.values = values


class UnreadableFile(IntakeError):
    """The file itself is the problem: the unit must send it again (or staff check it by hand)."""

    code = "unreadable_file"


class ToolMissing(IntakeError):
    """This computer lacks a program the format needs: not the unit's fault, and read again once installed."""

    code = "tool_missing"


# ------------------------------------------------------------------------------------------ any format


class UnknownFormat(UnreadableFile):
    key = "unknown_format"


class CannotOpen(UnreadableFile):
    key = "cannot_open"


# ------------------------------------------------------------------------------------------ Word


class WordBroken(UnreadableFile):
    key = "word_broken"


class WordPassword(UnreadableFile):
    key = "word_password"


class WordIsLegacy(UnreadableFile):
    """An OLE file handed to the .docx reader (the dispatcher sends those to extractors.legacy)."""

    key = "word_is_legacy"


class WordNoBody(UnreadableFile):
    key = "word_no_body"


class ZipBomb(UnreadableFile):
    key = "zip_bomb"


class UnsafeXml(UnreadableFile):
    key = "unsafe_xml"


class WordCorruptXml(UnreadableFile):
    key = "word_corrupt_xml"


class LegacyTimeout(UnreadableFile):
    key = "legacy_timeout"


class LegacyFailed(UnreadableFile):
    key = "legacy_failed"


class LibreOfficeMissing(ToolMissing):
    key = "libreoffice_missing"


# ------------------------------------------------------------------------------------------ PDF


class PdfEncrypted(UnreadableFile):
    key = "pdf_encrypted"


class PdfBroken(UnreadableFile):
    key = "pdf_broken"


class PdfEmpty(UnreadableFile):
    key = "pdf_empty"


class PdfTooLong(UnreadableFile):
    key = "pdf_too_long"
    params = ("pages", "limit")


class PdfPageTooBig(UnreadableFile):
    key = "pdf_page_too_big"
    params = ("width_cm", "height_cm", "limit_m2")


class ScanReaderMissing(ToolMissing):
    """A PDF has image-only pages and the scan reader (extractors.scan and what it imports) is absent."""

    key = "scan_reader_missing"


# ------------------------------------------------------------------------------------------ images, OCR


class ImageUndecodable(UnreadableFile):
    key = "image_undecodable"


class ImageTooLarge(UnreadableFile):
    key = "image_too_large"
    params = ("megapixels",)


class ImageTooManyPages(UnreadableFile):
    key = "image_too_many_pages"
    params = ("pages", "limit")


class OcrMissing(ToolMissing):
    """The configured OCR engine or its model files are not installed here."""

    key = "ocr_missing"


class PaddleOcrMissing(OcrMissing):
    key = "paddle_ocr_missing"
