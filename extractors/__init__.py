"""File formats → Document. One module per format, each with `is_available()` and `extract(path)`.

`extract_document` is the single entry point: it triages by content (not by extension) and hands the
file to the module for its kind. Modules are imported lazily so a site without OCR still reads Word files.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from extractors.errors import ExtractorUnavailable, IntakeError, UnreadableFile
from extractors.model import Document, Seal
from extractors.triage import FileKind, detect_kind

__all__ = ["Document", "IntakeError", "UnreadableFile", "ExtractorUnavailable", "extract_document", "detect_kind"]


def extract_document(
    path: Path,
    *,
    max_pages: int | None = None,
    max_pixels_per_page: int | None = None,
    max_uncompressed: int | None = None,
    crops_dir: Path | None = None,
) -> Document:
    """Limits (None: the extractor's own default) come from flows.limits.Limits through the pipeline.

    crops_dir: where a scan keeps its page images and seal crops (evidence for staff); None writes nothing.
    """
    kind: FileKind = detect_kind(path)
    if kind == "unknown" and _head(path, 2) == b"PK":
        kind = "docx"  # a damaged zip or one without word/document.xml: the Word reader names the problem
    if kind == "docx":
        from extractors import docx

        doc = docx.extract(path, **_given(max_uncompressed=max_uncompressed))
        return _with_embedded_seals(doc, max_pixels_per_page)
    if kind == "pdf":
        from extractors import pdf

        return pdf.extract(
            path, crops_dir=crops_dir, **_given(max_pages=max_pages, max_pixels_per_page=max_pixels_per_page)
        )
    if kind == "image":
        from extractors import scan

        _check_image_size(path, max_pages, max_pixels_per_page)
        return scan.extract(path, crops_dir=crops_dir)
    if kind == "legacy_word":
        if _is_encrypted_ooxml(path):
            from extractors.docx import MSG_PASSWORD

            raise UnreadableFile(MSG_PASSWORD, "OLE compound file with an EncryptedPackage stream")
        return _extract_legacy(path, max_uncompressed, max_pixels_per_page)
    raise UnreadableFile(
        "无法识别的文件格式（不是Word、PDF或图片），请联系报送单位以Word或PDF格式重新发送",
        detail=f"unrecognised content: {path.name}",
    )


_METAFILES = ("image/x-emf", "image/x-wmf", "image/emf", "image/wmf")


def _with_embedded_seals(doc: Document, max_pixels: int | None = None) -> Document:
    """An electronic seal pasted into a Word file as a picture (body, header or footer) counts as a seal
    (stamp_present)."""
    if not doc.pictures:
        return doc
    from extractors.seal import image_has_seal

    for picture in doc.pictures:
        if picture.content_type.lower() in _METAFILES or picture.part.lower().endswith((".emf", ".wmf")):
            continue  # vector metafiles: image libraries cannot decode them
        if max_pixels is not None and _image_pixels(picture.data) > max_pixels:
            doc.notes.append(f"embedded picture {picture.part} is too large to check for a seal")
            continue  # a picture bomb inside a valid Word file: skip it, still read the text
        if image_has_seal(picture.data):
            doc.seals.append(Seal(page=picture.page, text=None))
    return doc


def _head(path: Path, n: int) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(n)


def _is_encrypted_ooxml(path: Path) -> bool:
    """A password-protected .docx is an OLE file like a .doc, but LibreOffice cannot convert it: say why."""
    with open(path, "rb") as fh:
        return "EncryptedPackage".encode("utf-16-le") in fh.read(64 * 1024 * 1024)


def _given(**limits: int | None) -> dict[str, int]:
    return {name: value for name, value in limits.items() if value is not None}


MSG_IMAGE_PIXELS = "图片尺寸异常（超过每页{limit:.0f}百万像素的上限），疑似异常文件，请联系报送单位重新扫描后发送。"
MSG_IMAGE_PAGES = "图片文件共{pages}页，超过每份文件{limit}页的处理上限，请确认是否发错文件。"
_BOMB = 1 << 62  # Pillow refused to even size it: more than twice its own limit


def _pixels(source: Path | bytes) -> tuple[int, int] | None:
    """(width × height, frames) from an image header, without decoding pixels; None if unreadable."""
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as im:  # header only
            return im.size[0] * im.size[1], getattr(im, "n_frames", 1)
    except Image.DecompressionBombError:
        return _BOMB, 1
    except Exception:  # undecodable: whoever decodes it reports that in their own words
        return None


def _image_pixels(data: bytes) -> int:
    size = _pixels(data)
    return size[0] if size else 0


def _check_image_size(path: Path, max_pages: int | None, max_pixels: int | None) -> None:
    """Refuse a decompression bomb from its header before a pixel is decoded (the scan extractor has no
    limit parameters of its own)."""
    size = _pixels(path) if (max_pages or max_pixels) else None
    if size is None:
        return
    pixels, frames = size
    if max_pixels is not None and pixels > max_pixels:
        raise UnreadableFile(MSG_IMAGE_PIXELS.format(limit=max_pixels / 1e6), f"{pixels} pixels > {max_pixels}")
    if max_pages is not None and frames > max_pages:
        raise UnreadableFile(MSG_IMAGE_PAGES.format(pages=frames, limit=max_pages), f"{frames} frames")


def _extract_legacy(path: Path, max_uncompressed: int | None = None, max_pixels: int | None = None) -> Document:
    from extractors import docx, legacy

    if not legacy.is_available():
        raise ExtractorUnavailable(
            "无法读取旧版Word/WPS文件（.doc/.wps），请另存为.docx后重新提交", detail="LibreOffice not installed"
        )
    converted = legacy.convert_to_docx(path)
    try:
        doc = docx.extract(converted, **_given(max_uncompressed=max_uncompressed))
        doc = _with_embedded_seals(doc, max_pixels)
    finally:
        shutil.rmtree(converted.parent, ignore_errors=True)
    doc.source = path
    doc.notes.append("converted from a legacy Word/WPS file with LibreOffice")
    return doc
