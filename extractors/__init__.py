"""File formats → Document: one registry of formats, one interface, one options object.

Every format is a module in this package that provides

    def is_available() -> bool
        Can this computer read the format (its libraries, programs and models are here)?
    def extract(path: Path, options: ExtractOptions = DEFAULTS) -> Document
        The file as a Document (extractors/model.py). It uses the options that concern its format
        (extractors/options.py: limits, crops folder, OCR engine) and ignores the rest. A file it cannot
        read raises a cause (extractors/errors.py): an ``UnreadableFile`` when the file is the problem,
        a ``ToolMissing`` when this computer lacks a program (then ``is_available()`` is False).

Formats are registered by the kind triage gives them (``FORMATS``), and imported only when a file of that
kind comes, so a site without OCR still reads Word files. ``extract_document`` is the single entry point:
it triages by content (not by extension), hands the file to its format and checks the pictures a document
stores for an electronic seal.
"""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Protocol, cast

from extractors.errors import IntakeError, ToolMissing, UnknownFormat, UnreadableFile
from extractors.image_size import image_pixels
from extractors.model import Document, Seal
from extractors.options import DEFAULTS, ExtractOptions
from extractors.triage import FileKind, detect_kind

__all__ = [
    "FORMATS",
    "Document",
    "ExtractOptions",
    "Extractor",
    "IntakeError",
    "ToolMissing",
    "UnreadableFile",
    "detect_kind",
    "extract_document",
    "extractor_for",
]


class Extractor(Protocol):
    """What a format module provides (see the module docstring)."""

    def is_available(self) -> bool: ...

    def extract(self, path: Path, options: ExtractOptions = DEFAULTS) -> Document: ...


# triage kind -> the module that reads it
FORMATS: dict[FileKind, str] = {
    "docx": "extractors.docx",
    "legacy_word": "extractors.legacy",  # .doc/.wps through LibreOffice, then the Word reader
    "pdf": "extractors.pdf",  # text layer per page, image-only pages through the scan reader
    "image": "extractors.scan",
}


def extractor_for(kind: FileKind) -> Extractor:
    return cast(Extractor, importlib.import_module(FORMATS[kind]))


def extract_document(path: Path, options: ExtractOptions = DEFAULTS) -> Document:
    path = Path(path)
    kind = detect_kind(path)
    if kind == "unknown" and _head(path, 2) == b"PK":
        kind = "docx"  # a damaged zip or one without word/document.xml: the Word reader names the problem
    if kind not in FORMATS:
        raise UnknownFormat(f"unrecognised content: {path.name}")
    doc = extractor_for(kind).extract(path, options)
    return _with_embedded_seals(doc, options)


_METAFILES = ("image/x-emf", "image/x-wmf", "image/emf", "image/wmf")


def _with_embedded_seals(doc: Document, options: ExtractOptions) -> Document:
    """An electronic seal pasted into a Word file as a picture (body, header or footer) counts as a seal
    (stamp_present)."""
    if not doc.pictures:
        return doc
    from extractors.seal import decode_picture, picture_has_seal  # OpenCV: only documents that store pictures need it
    from extractors.seal_text import read_picture_seal

    for picture in doc.pictures:
        if picture.content_type.lower() in _METAFILES or picture.part.lower().endswith((".emf", ".wmf")):
            continue  # vector metafiles: image libraries cannot decode them
        if image_pixels(picture.data) > options.max_pixels_per_page:
            doc.notes.append(f"embedded picture {picture.part} is too large to check for a seal")
            continue  # a picture bomb inside a valid Word file: skip it, still read the text
        pixels = decode_picture(picture.data)  # once: judged for a seal, then its words read
        if pixels is not None and picture_has_seal(pixels):
            words = read_picture_seal(pixels)
            doc.seals.append(
                Seal(page=picture.page, text=words.ring if words else None,
                     text_confidence=words.confidence if words else None)
            )  # fmt: skip
    return doc


def _head(path: Path, n: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)
