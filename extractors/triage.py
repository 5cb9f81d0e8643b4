"""Decide what kind of file this is from its bytes, not its name."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Literal

FileKind = Literal["docx", "pdf", "image", "legacy_word", "unknown"]

_IMAGE_MAGIC = (
    b"\x89PNG\r\n\x1a\n",
    b"\xff\xd8\xff",  # JPEG
    b"II*\x00",  # TIFF little-endian
    b"MM\x00*",  # TIFF big-endian
    b"BM",  # BMP
    b"GIF8",
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .doc / .wps / .xls …


def detect_kind(path: Path) -> FileKind:
    with open(path, "rb") as fh:
        head = fh.read(16)
    if head.startswith(b"%PDF") or b"%PDF" in _peek(path, 1024):
        return "pdf"
    if head.startswith(b"PK"):
        return "docx" if _is_wordprocessing_zip(path) else "unknown"
    if head.startswith(_OLE_MAGIC):
        return "legacy_word"
    if any(head.startswith(m) for m in _IMAGE_MAGIC) or (head[:4] == b"RIFF" and head[8:12] == b"WEBP"):
        return "image"
    return "unknown"


def _peek(path: Path, n: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _is_wordprocessing_zip(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False
