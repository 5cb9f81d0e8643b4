"""File formats → Document. One module per format, each with `is_available()` and `extract(path)`.

`extract_document` is the single entry point: it triages by content (not by extension) and hands the
file to the module for its kind. Modules are imported lazily so a site without OCR still reads Word files.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

from extractors.errors import ExtractorUnavailable, IntakeError, UnreadableFile
from extractors.model import Document, Seal
from extractors.triage import FileKind, detect_kind

__all__ = ["Document", "IntakeError", "UnreadableFile", "ExtractorUnavailable", "extract_document", "detect_kind"]


def extract_document(path: Path) -> Document:
    kind: FileKind = detect_kind(path)
    if kind == "docx":
        from extractors import docx

        return _with_embedded_seals(path, docx.extract(path))
    if kind == "pdf":
        from extractors import pdf

        return pdf.extract(path)
    if kind == "image":
        from extractors import scan

        return scan.extract(path)
    if kind == "legacy_word":
        return _extract_legacy(path)
    raise UnreadableFile("无法识别的文件格式（不是Word、PDF或图片）", detail=f"unrecognised content: {path.name}")


EMBEDDED_IMAGE = "embedded_image:"


def _with_embedded_seals(path: Path, doc: Document) -> Document:
    """An electronic seal pasted into a Word file as a picture counts as a seal (stamp_present)."""
    parts = [n[len(EMBEDDED_IMAGE) :] for n in doc.notes if n.startswith(EMBEDDED_IMAGE)]
    if not parts:
        return doc
    from extractors.seal import image_has_seal

    with zipfile.ZipFile(path) as zf:
        for part in parts:
            if part.lower().endswith((".emf", ".wmf")):
                continue  # vector metafiles: image libraries cannot decode them
            try:
                data = zf.read(part)
            except KeyError:
                continue
            if image_has_seal(data):
                doc.seals.append(Seal(page=1, text=None))
    return doc


def _extract_legacy(path: Path) -> Document:
    from extractors import docx, legacy

    if not legacy.is_available():
        raise ExtractorUnavailable(
            "无法读取旧版Word/WPS文件（.doc/.wps），请另存为.docx后重新提交", detail="LibreOffice not installed"
        )
    converted = legacy.convert_to_docx(path)
    try:
        doc = _with_embedded_seals(converted, docx.extract(converted))
    finally:
        shutil.rmtree(converted.parent, ignore_errors=True)
    doc.source = path
    doc.notes.append("converted from a legacy Word/WPS file with LibreOffice")
    return doc
