"""PDF → Document: decides per page between the text layer and OCR.

A page whose text layer is usable (enough real characters, not ``(cid:…)``
or private-use garbage from a font without a Unicode map, not a scanned page
image carrying an invisible OCR layer) is read by ``pdf_text``. Every other
page is rendered with pypdfium2 at ``render.RENDER_DPI`` and handed to the scan extractor
(``extractors.scan.extract_pages``). Runs of consecutive pages of one kind are
read together so tables and paragraphs carry on across page breaks; the
results are merged in page order.

The document is ``pdf_text`` when any page has a usable text layer,
``pdf_scan`` when none has. Files that cannot be read raise a cause from
``extractors/errors.py`` (PdfEncrypted, PdfBroken, …).

Before any page is parsed or rendered, every page's size is read from the
page tree (no content is decoded): a page that would exceed
``options.max_pixels_per_page`` at the render resolution refuses the file, so one
poster-sized page cannot take a worker's memory.
"""

from __future__ import annotations

import importlib
import logging
from pathlib import Path
from typing import Any

import numpy as np
import pdfplumber
import pypdfium2 as pdfium

from extractors.errors import (
    IntakeError,
    PdfBroken,
    PdfEmpty,
    PdfEncrypted,
    PdfPageTooBig,
    PdfTooLong,
    ScanReaderMissing,
)
from extractors.model import Document
from extractors.options import DEFAULTS, ExtractOptions
from extractors.pdf_seals import pdfium_crop_renderer
from extractors.pdf_text import PageItems, assemble, read_page
from extractors.render import RENDER_DPI

SCAN_CHUNK = 8  # pages rendered and handed to OCR at once
MIN_TEXT_CHARS = 5  # fewer real characters than this: nothing worth reading on the page
MAX_GARBAGE_SHARE = 0.3  # more unmapped glyphs than this: the text layer cannot be trusted
OUTLINED_TEXT_CURVES = 200  # a page with no characters but this many paths shows text drawn as outlines
PAGE_IMAGE_SHARE = 0.8  # an image this large with no ruling lines is a scanned page

log = logging.getLogger(__name__)


def is_available() -> bool:
    """Text PDFs need only pdfplumber and pypdfium2 (imported above); scanned pages also need
    ``extractors.scan`` and its OCR models, which report themselves when a scanned page comes."""
    return True


def extract(path: Path, options: ExtractOptions = DEFAULTS) -> Document:
    """Uses ``options.max_pages``, ``max_pixels_per_page``, ``crops_dir`` (scanned pages) and ``ocr_engine``.

    Not thread-safe (PDFium is not): run PDFs in parallel in separate processes, as the flow does."""
    path = Path(path)
    rendered = _open_pdfium(path)
    try:
        count = len(rendered)
        if count == 0:
            raise PdfEmpty("pdf has no pages")
        if count > options.max_pages:
            raise PdfTooLong(f"{count} pages", pages=count, limit=options.max_pages)
        check_page_sizes(rendered, RENDER_DPI, options.max_pixels_per_page)
        return _extract_open(path, rendered, count, RENDER_DPI, options)
    finally:
        rendered.close()


def check_page_sizes(rendered: pdfium.PdfDocument, dpi: int, max_pixels: int) -> None:
    """Refuse the file when a page would exceed ``max_pixels`` at ``dpi``, from the page tree alone."""
    max_area_pt = max_pixels * (72 / dpi) ** 2
    for index in range(len(rendered)):
        try:
            width, height = rendered.get_page_size(index)
        except pdfium.PdfiumError:
            continue  # no size in the page tree: the page's own reading decides what it is
        if width * height > max_area_pt:
            cm = 2.54 / 72
            raise PdfPageTooBig(
                f"page {index + 1}: {width:.0f} x {height:.0f} pt",
                page=index + 1,
                width_cm=width * cm,
                height_cm=height * cm,
                limit_m2=max_area_pt * (cm / 100) ** 2,
            )


def _open_pdfium(path: Path) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(path)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium.raw.FPDF_ERR_PASSWORD:
            raise PdfEncrypted(f"pdfium: {exc}") from exc
        if _has_no_pages(path):  # pdfium refuses a well-formed file with an empty page tree
            raise PdfEmpty("pdf has no pages") from exc
        raise PdfBroken(f"pdfium: {exc}") from exc
    except OSError as exc:
        raise PdfBroken(f"cannot open: {exc}") from exc


def _has_no_pages(path: Path) -> bool:
    try:
        with pdfplumber.open(path) as plumber:
            return len(plumber.pages) == 0
    except Exception:  # not parseable either: plainly broken
        return False


def _extract_open(path: Path, rendered: pdfium.PdfDocument, count: int, dpi: int, options: ExtractOptions) -> Document:
    doc = Document(source=path, kind="pdf_scan", page_count=count)
    try:
        plumber = pdfplumber.open(path)
    except Exception as exc:  # pdfminer failed where pdfium coped: the pages can still be seen
        log.warning("pdfminer cannot parse %s (%s); reading it as images", path, exc)
        doc.notes.append("PDF结构异常，文字层无法读取，已按扫描件识别。")
        _add_scan_pages(doc, rendered, list(range(1, count + 1)), dpi, options)
        return doc
    with plumber, pdfium_crop_renderer(rendered) as render:
        text_run: list[PageItems] = []
        scan_run: list[int] = []
        try:
            for number, page in enumerate(plumber.pages, start=1):
                if has_text_layer(page):
                    _add_scan_pages(doc, rendered, scan_run, dpi, options)
                    scan_run = []
                    text_run.append(read_page(page, number, render))
                else:
                    _add_text_pages(doc, text_run)
                    text_run = []
                    scan_run.append(number)
                page.close()  # each page's layout is large; keep one at a time
        except IntakeError:
            raise
        except Exception as exc:  # pdfminer raises many kinds on damaged content streams
            raise PdfBroken(f"{type(exc).__name__}: {exc}") from exc
        _add_text_pages(doc, text_run)
        _add_scan_pages(doc, rendered, scan_run, dpi, options)
    return doc


def _add_text_pages(doc: Document, pages: list[PageItems]) -> None:
    if not pages:
        return
    doc.kind = "pdf_text"
    read = assemble(pages)
    doc.blocks.extend(read.blocks)
    doc.seals.extend(read.seals)
    doc.notes.extend(read.notes)


def has_text_layer(page: Any) -> bool:
    """True when the page's characters can be read as text rather than OCR'd from its image."""
    good = garbage = 0
    for char in page.chars:
        text = char["text"]
        if text.isspace():
            continue
        if text.startswith("(cid:") or text == "\ufffd" or any(0xE000 <= ord(c) <= 0xF8FF for c in text):
            garbage += 1
        else:
            good += 1
    if good < MIN_TEXT_CHARS:
        # Nearly empty: a blank or almost blank page is read as text (nothing to OCR); a picture, glyphs
        # without a Unicode map or text printed as outlines (thousands of curves) need OCR.
        return not page.images and garbage == 0 and len(page.curves) < OUTLINED_TEXT_CURVES
    if garbage > MAX_GARBAGE_SHARE * (good + garbage):
        return False
    page_area = float(page.width) * float(page.height)
    big_image = any(
        (img["x1"] - img["x0"]) * (img["bottom"] - img["top"]) >= PAGE_IMAGE_SHARE * page_area for img in page.images
    )
    ruled = len(page.lines) + len(page.rects) >= 4
    return not (big_image and not ruled)  # a scan with an invisible OCR layer: read the picture


def _scan_module():
    try:
        return importlib.import_module("extractors.scan")
    except ImportError as exc:
        raise ScanReaderMissing(f"extractors.scan missing: {exc}") from exc


def _page_pixels(page: pdfium.PdfPage, dpi: int) -> np.ndarray:
    """The page as the scan extractor takes it: BGR uint8 (pdfium's own byte order)."""
    pixels = page.render(scale=dpi / 72, grayscale=False, rev_byteorder=False).to_numpy()
    return np.ascontiguousarray(pixels[:, :, :3])


def _add_scan_pages(
    doc: Document, rendered: pdfium.PdfDocument, pages: list[int], dpi: int, options: ExtractOptions
) -> None:
    """Render image-only pages and let the scan extractor read them, a few pages at a time
    (a 200 dpi A4 page is ~12 MB of pixels)."""
    if not pages:
        return
    scan = _scan_module()
    for start in range(0, len(pages), SCAN_CHUNK):
        chunk = pages[start : start + SCAN_CHUNK]
        images = [_page_pixels(rendered[n - 1], dpi) for n in chunk]
        part = scan.extract_pages(images, doc.source, "pdf_scan", chunk[0], options=options)
        doc.blocks.extend(part.blocks)
        doc.seals.extend(part.seals)
        doc.notes.extend(part.notes)
        doc.page_images.update(part.page_images)
        doc.crops_dir = doc.crops_dir or part.crops_dir
