"""Text PDFs exported from our Word files by LibreOffice, then stamped the way signing tools stamp them."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pdfplumber
import pikepdf
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from .model import Doc
from .pdf_direct import _fonts, _red_decoration, _vector_seal, overlay_pages


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SystemExit("LibreOffice (soffice) is needed to export the Word samples to PDF")
    return exe


def convert(docx: Path, outdir: Path) -> Path:
    profile = outdir / "lo-profile"
    subprocess.run(
        [
            soffice(),
            f"-env:UserInstallation=file://{profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(outdir),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return outdir / (docx.stem + ".pdf")


def _find(pdf_bytes: bytes, needle: str) -> tuple[int, float, float] | None:
    """(page, x, y) in PDF user space of the centre of the first occurrence of `needle` (spaces ignored)."""
    pattern = r"\s*".join(re.escape(ch) for ch in needle if not ch.isspace())
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            hits = page.search(pattern, regex=True)
            if hits:
                h = hits[0]
                return i, (h["x0"] + h["x1"]) / 2, float(page.height) - (h["top"] + h["bottom"]) / 2
    return None


def clean_metadata(pdf: pikepdf.Pdf) -> None:
    """Fixed dates and no XMP so that a re-run writes the same bytes."""
    with pdf.open_metadata(set_pikepdf_as_editor=False, update_docinfo=False) as meta:
        for key in list(meta.keys()):
            del meta[key]
    if "/Metadata" in pdf.Root:
        del pdf.Root["/Metadata"]
    pdf.docinfo["/CreationDate"] = "D:20210507093000+08'00'"
    pdf.docinfo["/ModDate"] = "D:20210507093000+08'00'"
    for key in ("/ID", "/DocChecksum"):  # LibreOffice's per-run file ID and checksum; qpdf derives a new ID
        if key in pdf.trailer:
            del pdf.trailer[key]


def stamp(pdf_bytes: bytes, doc: Doc, seal_png: bytes | None, near: list[str], red: str = "") -> bytes:
    _fonts()
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    where = None
    for needle in near:
        if needle:
            where = _find(pdf_bytes, needle)
            if where:
                break
    if doc.seal is not None or red:
        page_no, x, y = where or (1, 420.0, 650.0)
        x += doc.opts.get("seal_dx", 0.0)
        size = pdf.pages[0].mediabox
        w, h = float(size[2]), float(size[3])
        buf = io.BytesIO()
        c = Canvas(buf, pagesize=(w, h), invariant=1)
        for p in range(1, len(pdf.pages) + 1):
            if p == 1 and red:
                _red_decoration(c, red, "WQY")
            if p == page_no and doc.seal is not None:
                c.saveState()
                c.setBlendMode("Multiply")
                r = 60.0
                if doc.seal.vector:
                    _vector_seal(c, doc.seal, x, y, r)
                else:
                    c.drawImage(ImageReader(io.BytesIO(seal_png)), x - r, y - r, 2 * r, 2 * r, mask="auto")
                c.restoreState()
            c.showPage()
        c.save()
        over = pikepdf.open(io.BytesIO(buf.getvalue()))
        overlay_pages(pdf, over)
    clean_metadata(pdf)
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, compress_streams=True)
    return out.getvalue()


def export(
    doc: Doc,
    write_docx,
    path: Path,
    seal_png: bytes | None,
    near: list[str],
    red: str = "",
    embed_seal_in_docx: bool = False,
) -> None:
    """write_docx(doc, docx_path, seal_png_or_None) makes the Word file; LibreOffice turns it into the PDF."""
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        src = tmpdir / "source.docx"
        write_docx(doc, src, seal_png if embed_seal_in_docx else None)
        pdf_bytes = convert(src, tmpdir).read_bytes()
    if embed_seal_in_docx:  # the seal travels inside the Word file; LibreOffice exports it as an image with SMask
        saved, doc.seal = doc.seal, None
        data = stamp(pdf_bytes, doc, None, near, red)
        doc.seal = saved
    else:
        data = stamp(pdf_bytes, doc, seal_png, near, red)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
