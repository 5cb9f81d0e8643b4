"""Check marks drawn with a pen where the OCR read nothing: a narrow cell holding `开放合作` over a `（　）`
that a pen ticked is read as the label alone (the detector drops a line whose brackets a big stroke
crosses). The check is found by its shape and given to the cell as a ticked `（√）` line.

A pen check is one thin stroke, taller than the letters around it or about as tall, whose lowest point (the
vertex) is in its left half and whose highest point (the long arm's end) is on its right.
"""

from __future__ import annotations

import statistics

import cv2
import numpy as np

from .model import BBox, boxes_overlap
from .ocr_box import OcrBox

_INK = 140
_MAX_FILL = 0.3  # a stroke fills little of its box; a letter or a blot fills more
_LEAST_HEIGHT = 0.35  # of the line box height: a check inside its brackets is no taller than they (22 px of 56, fax)
_MAX_CHECK_FILL = 0.35  # the same, for a check drawn over a bracket pair (it holds them too)


def orphan_checks(
    grey: np.ndarray, cells: list[BBox], lines: list[OcrBox], avoid: list[BBox] | None = None
) -> list[OcrBox]:
    """A `（√）` line for each pen check inside a table cell that no OCR line covers.

    ``avoid``: seals left on the page (a grey seal's star and ring text are strokes too).
    """
    if not lines or not cells:
        return []
    line_h = statistics.median(b.bbox[3] - b.bbox[1] for b in lines)
    found: list[OcrBox] = []
    for cell in cells:
        x0, y0, x1, y1 = (int(round(v)) for v in cell)
        pad = 4  # keep the cell's ruling lines out
        crop = grey[y0 + pad : y1 - pad, x0 + pad : x1 - pad]
        if crop.size == 0:
            continue
        # A fax's dots break a stroke where it thins (a one-row gap in the long arm): close such gaps first.
        ink = cv2.morphologyEx((crop < _INK).astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 1), np.uint8))
        origin = (x0 + pad, y0 + pad)
        checks = _checks_in(ink, origin, line_h, lines, avoid or [])
        if not checks and _holds_a_label(cell, lines):
            # a check whose arm runs into its option's letters is one blob with them until they go
            checks = _checks_in(_without_words(ink, origin, lines), origin, line_h, lines, avoid or [])
        found += [OcrBox("（√）", box, 0.9, spans=CHECK_SPANS) for box in checks]
    return found


CHECK_SPANS = [("（", 0.0, 0.2), ("√", 0.2, 0.8), ("）", 0.8, 1.0)]  # `（√）` over a check's box


def _checks_in(
    ink: np.ndarray, origin: tuple[int, int], line_h: float, lines: list[OcrBox], avoid: list[BBox]
) -> list[BBox]:
    """Page boxes of the check-shaped blobs of a cell's ``ink`` (top-left at ``origin``) no OCR line read."""
    ox, oy = origin
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    checks = []
    for i in range(1, n):
        bx, by, bw, bh, area = (int(v) for v in stats[i])
        if not (_LEAST_HEIGHT * line_h <= bh <= 2.5 * line_h and 0.4 * line_h <= bw <= 2.0 * line_h):
            continue
        if area > _MAX_FILL * bw * bh or not check_shape(labels[by : by + bh, bx : bx + bw] == i):
            continue
        box = (float(ox + bx), float(oy + by), float(ox + bx + bw), float(oy + by + bh))
        if any(_read_by(box, line.bbox) for line in lines) or any(boxes_overlap(box, seal) for seal in avoid):
            continue
        checks.append(box)
    return checks


_LABEL_MAX = 6  # letters: an option's label (`表彰发布`, `科协系统干部`); a longer line is running text


def _holds_a_label(cell: BBox, lines: list[OcrBox]) -> bool:
    """Does the cell hold words, all of them short enough to be an option's label (a narrow module cell)?"""
    inside = []
    for line in lines:
        x, y = (line.bbox[0] + line.bbox[2]) / 2, (line.bbox[1] + line.bbox[3]) / 2
        if cell[0] <= x <= cell[2] and cell[1] <= y <= cell[3]:
            inside.append(line.text.strip())
    return bool(inside) and all(len(text) <= _LABEL_MAX for text in inside)


def _without_words(ink: np.ndarray, origin: tuple[int, int], lines: list[OcrBox]) -> np.ndarray:
    """``ink`` less the words the OCR read there (a line of marks, `()` or `(S)`, is a check's own reading)."""
    ox, oy = origin
    h, w = ink.shape
    out = ink.copy()
    for line in lines:
        if not any("\u4e00" <= ch <= "\u9fff" for ch in line.text):
            continue
        x0, y0, x1, y1 = (int(round(v)) for v in line.bbox)
        a, b, c, d = max(0, x0 - ox), max(0, y0 - oy), min(w, x1 - ox), min(h, y1 - oy)
        if a < c and b < d:
            out[b:d, a:c] = 0
    return out


def line_is_check(grey: np.ndarray, bbox: BBox) -> bool:
    """Is an OCR line's ink one pen check (the OCR read a check with its brackets as a letter: `S`, `小`)?

    Its biggest ink blob holds about half the line's ink or more (the brackets and a neighbour's edge hold the
    rest), fills the line's height and has a check's shape.
    """
    x0, y0, x1, y1 = (int(round(v)) for v in bbox)
    crop = grey[max(0, y0) : max(0, y1), max(0, x0) : max(0, x1)]
    if crop.size == 0 or y1 - y0 < 8:
        return False
    ink = (crop < _INK).astype(np.uint8)
    # A cell's ruling the check's arm touches would make one blob with it: straight runs longer than the
    # line is high are rulings, not strokes.
    run = max(3, int(1.5 * (y1 - y0)))
    ink &= 1 - cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return False
    i = 1 + int(np.argmax(stats[1:, 4]))
    bx, by, bw, bh, area = (int(v) for v in stats[i])
    if area < 0.45 * int(stats[1:, 4].sum()) or bh < 0.6 * (y1 - y0) or area > _MAX_FILL * bw * bh:
        return False
    return check_shape(labels[by : by + bh, bx : bx + bw] == i)


def letter_height(ink: np.ndarray) -> int:
    """Height of the band of rows that carry the line's letters (rows with a fair share of the most ink)."""
    rows = ink.sum(axis=1)
    if not rows.any():
        return ink.shape[0]
    band = np.flatnonzero(rows >= 0.2 * rows.max())
    return int(band[-1] - band[0] + 1)


def check_across_brackets(blobs, labels: np.ndarray, mid: float, letter_h: int) -> bool:
    """A pen's check drawn over the brackets: one blob with them (it starts left of the opening bracket
    and runs over the closing one), over the middle between them, about as tall as the letters or taller,
    shaped like a check. ``blobs`` carry their label as a sixth item; the line box itself may be tall (the
    check's arm rises above the letters), so sizes are judged against the letters' height."""
    for x, y, w, h, area, label in blobs:
        if not (x <= mid <= x + w and h >= 0.8 * letter_h and 0.5 * letter_h <= w <= 2.5 * letter_h):
            continue
        if area <= _MAX_CHECK_FILL * w * h and check_shape(labels[y : y + h, x : x + w] == label):
            return True
    return False


def check_shape(blob: np.ndarray) -> bool:
    """Vertex low and left of centre, long arm ending high on the right."""
    h, w = blob.shape
    ys, xs = np.nonzero(blob)
    low = xs[ys >= ys.max() - max(1, h // 10)].mean()
    high = xs[ys <= ys.min() + max(1, h // 10)].mean()
    return low < 0.6 * w and high > 0.6 * w and high - low > 0.25 * w


def _covered(box: BBox, line: BBox) -> bool:
    """Does an OCR line cover most of the box (the OCR read something there)?"""
    ix = min(box[2], line[2]) - max(box[0], line[0])
    iy = min(box[3], line[3]) - max(box[1], line[1])
    if ix <= 0 or iy <= 0:
        return False
    return ix * iy > 0.4 * (box[2] - box[0]) * (box[3] - box[1])


def _read_by(check: BBox, line: BBox) -> bool:
    """Did the OCR line read this check? It covers most of it and holds its vertex: a check drawn under its
    option (`团结引领` / `(√)`) whose long arm rises into the option's letters is below that line."""
    return _covered(check, line) and check[3] <= line[3] + 0.25 * (line[3] - line[1])
