"""A page the detector found no text on though it holds some: the last page of a report with nothing on it but
the 落款's date (`2021年6月14日` under dust specks), which the detector, looking at the whole page shrunk to its
working size, did not see. Read again from the area the letters' ink covers, it is found.
"""

from __future__ import annotations

from dataclasses import replace

import cv2
import numpy as np

from .ocr_box import OcrBox

_INK = 160  # grey below this is ink (light strokes of a scan included)
_LETTER_PX = 12  # a letter's stroke is this long one way or the other; dust is a dot smaller than that
_PAD = 24  # pixels of paper kept around the ink (the detector wants a margin)
_MOST = 0.6  # of the page's area: an ink area this large is the page itself, and was read as it is


def read_ink_area(grey: np.ndarray, read) -> list[OcrBox]:
    """The lines ``read(image)`` finds in the part of the page the letters' ink covers, in page coordinates
    ([] when there is no such ink, or it covers most of the page)."""
    ink = (grey < _INK).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    letters = [s for s in stats[1:] if max(s[2], s[3]) >= _LETTER_PX]
    if not letters:
        return []
    h, w = grey.shape[:2]
    x0 = max(0, min(int(s[0]) for s in letters) - _PAD)
    y0 = max(0, min(int(s[1]) for s in letters) - _PAD)
    x1 = min(w, max(int(s[0] + s[2]) for s in letters) + _PAD)
    y1 = min(h, max(int(s[1] + s[3]) for s in letters) + _PAD)
    if (x1 - x0) * (y1 - y0) >= _MOST * w * h:
        return []
    return [_moved(box, x0, y0) for box in read(grey[y0:y1, x0:x1])]


def _moved(box: OcrBox, dx: int, dy: int) -> OcrBox:
    x0, y0, x1, y1 = box.bbox
    quad = None if box.quad is None else box.quad + np.array([dx, dy], dtype=box.quad.dtype)
    return replace(box, bbox=(x0 + dx, y0 + dy, x1 + dx, y1 + dy), quad=quad)
