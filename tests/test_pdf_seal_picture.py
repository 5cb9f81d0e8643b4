"""An e-seal placed on a text PDF as a picture with a soft mask, printed with a multiply blend over a black
title: the page shows its ring broken, the picture itself holds the whole seal."""

from __future__ import annotations

import zlib
from pathlib import Path

import numpy as np
import pdfplumber
import pytest

from extractors.pdf_pictures import picture_bgr
from extractors.pdf_seals import find_seals, pdfium_crop_renderer
from samples.make_pdfs import seal_image


def _stream(attrs: str, data: bytes) -> bytes:
    packed = zlib.compress(data)
    return f"<< {attrs} /Filter /FlateDecode /Length {len(packed)} >>\nstream\n".encode() + packed + b"\nendstream"


def _seal_pdf(path: Path, *, underneath: tuple[int, int, int], cover: bool = False) -> Path:
    """A 300 pt page: a black title band across the top of a seal picture placed with /BM /Multiply.

    ``underneath``: the colour the picture holds under its transparent pixels; ``cover``: an opaque white
    box drawn over the picture afterwards (the picture is in the file but does not print).
    """
    rgba = np.asarray(seal_image("青海省水力发电工程学会", 320).convert("RGBA"))
    alpha = rgba[:, :, 3]
    colour = np.where(alpha[:, :, None] > 0, rgba[:, :, :3], np.array(underneath, dtype=np.uint8))
    content = b"0 0 0 rg 0 228 300 26 re f 0 80 300 1.5 re f q /GS1 gs 200 0 0 200 50 50 cm /Im1 Do Q"
    content += b" 1 1 1 rg 40 40 220 220 re f" if cover else b""
    content += b" 0 0 0 rg BT /F1 12 Tf 20 20 Td (stamp here) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R /Resources << /XObject"
        b" << /Im1 5 0 R >> /ExtGState << /GS1 7 0 R >> /Font << /F1 8 0 R >> >> >>",
        _stream("", content),
        _stream(
            "/Type /XObject /Subtype /Image /Width 320 /Height 320 /ColorSpace /DeviceRGB /BitsPerComponent 8"
            " /SMask 6 0 R",
            np.ascontiguousarray(colour).tobytes(),
        ),
        _stream(
            "/Type /XObject /Subtype /Image /Width 320 /Height 320 /ColorSpace /DeviceGray /BitsPerComponent 8",
            np.ascontiguousarray(alpha).tobytes(),
        ),
        b"<< /Type /ExtGState /BM /Multiply >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(out)
    return path


def _seals(path: Path):
    with pdfplumber.open(path) as pdf, pdfium_crop_renderer(path) as render:
        return find_seals(pdf.pages[0], 1, lambda box: render(1, box, 0))


@pytest.mark.parametrize("underneath", [(200, 30, 40), (255, 255, 255), (0, 0, 0)])
def test_seal_picture_over_a_black_title_is_found(tmp_path: Path, underneath) -> None:
    path = _seal_pdf(tmp_path / "stamped.pdf", underneath=underneath)
    seals = _seals(path)
    assert len(seals) == 1
    x0, top, x1, bottom = seals[0].bbox
    assert 45 <= x0 < 150 < x1 <= 255 and 45 <= top < 150 < bottom <= 255, "a box on the seal, in page points"


def test_picture_pixels_follow_the_soft_mask(tmp_path: Path) -> None:
    path = _seal_pdf(tmp_path / "stamped.pdf", underneath=(0, 0, 0))
    with pdfplumber.open(path) as pdf:
        pixels = picture_bgr(pdf.pages[0].images[0]["stream"])
    assert pixels is not None and pixels.shape == (320, 320, 3)
    assert (pixels[0, 0] == 255).all(), "the transparent corner is paper, not the black stored under it"


def test_seal_picture_covered_by_an_opaque_box_is_not_a_seal(tmp_path: Path) -> None:
    assert _seals(_seal_pdf(tmp_path / "hidden.pdf", underneath=(255, 255, 255), cover=True)) == []
