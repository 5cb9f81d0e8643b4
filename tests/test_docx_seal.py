"""A Word file with an electronic seal picture gets stamp_present=true; an ordinary picture does not."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
from docx import Document as WordDocument
from docx.shared import Cm

from extractors import extract_document


def _png(image: np.ndarray) -> io.BytesIO:
    ok, data = cv2.imencode(".png", image)
    assert ok
    return io.BytesIO(data.tobytes())


def _seal_png() -> io.BytesIO:
    img = np.full((400, 400, 3), 255, np.uint8)
    red = (30, 30, 220)  # BGR
    cv2.circle(img, (200, 200), 180, red, 12)
    star = np.array(
        [
            [200, 110],
            [222, 175],
            [290, 175],
            [235, 215],
            [255, 280],
            [200, 240],
            [145, 280],
            [165, 215],
            [110, 175],
            [178, 175],
        ],
        np.int32,
    )
    cv2.fillPoly(img, [star], red)
    cv2.putText(img, "SEAL", (140, 340), cv2.FONT_HERSHEY_SIMPLEX, 1.4, red, 4)
    return _png(img)


def _photo_png() -> io.BytesIO:
    rng = np.random.default_rng(1)
    return _png(rng.integers(0, 255, (300, 400, 3), dtype=np.uint8))


def _word_with(picture: io.BytesIO, path: Path) -> Path:
    doc = WordDocument()
    doc.add_paragraph("单位盖章：")
    doc.add_picture(picture, width=Cm(4))
    doc.add_paragraph("报送时间：2021年5月8日")
    doc.save(path)
    return path


def test_electronic_seal_picture_counts_as_a_seal(tmp_path: Path) -> None:
    doc = extract_document(_word_with(_seal_png(), tmp_path / "sealed.docx"))
    assert len(doc.seals) == 1


def test_ordinary_picture_is_not_a_seal(tmp_path: Path) -> None:
    doc = extract_document(_word_with(_photo_png(), tmp_path / "photo.docx"))
    assert doc.seals == []
