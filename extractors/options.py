"""What every extractor is told: one options object, and the one home of the limits' defaults.

    doc = extract_document(path, ExtractOptions(max_pages=10, crops_dir=out / "crops" / sid))

The limits here are the ones extractors enforce (flows/reading/limits.py takes its defaults from this class
and passes the site's overrides); each extractor uses what concerns its format and ignores the rest.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class ExtractOptions:
    # A PDF or multi-page image with more pages is refused before any page is read.
    max_pages: int = 50
    # A page (or image) larger than this at render resolution is refused before a pixel is decoded: ≈ A1 at
    # 200 dpi, or A4 at 600 dpi (35 MP); a 200 dpi A4 scan is ~4 MP.
    max_pixels_per_page: int = 40_000_000
    # A .docx whose members inflate past this many bytes (all together) is refused as a zip bomb.
    max_uncompressed_bytes: int = 200 * MB
    # A big member compressed more than this (uncompressed / compressed) is a zip bomb too.
    max_zip_ratio: float = 100
    # Seconds one LibreOffice conversion of a .doc/.wps may take before its process group is killed.
    legacy_timeout_s: float = 60
    # Where a scan keeps its page images and seal crops (evidence for staff); None writes nothing.
    crops_dir: Path | None = None
    # OCR engine for scanned pages ("rapidocr", "paddleocr"); None: INTAKE_OCR_ENGINE, else the default.
    ocr_engine: str | None = None


DEFAULTS = ExtractOptions()
