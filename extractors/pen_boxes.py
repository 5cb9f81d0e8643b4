"""Checkboxes ticked with a pen: the check stroke runs through the box's outline and out of it, so box and
stroke are one ink blob that is no longer square, and the square finder in ticks.py misses the one box that
matters. Its straight sides survive an opening with a horizontal and a vertical line; a box drawn by them,
the size of the page's other boxes, in a row or column with them, inside a blob that rises above it (the
check's long arm), is that box.
"""

from __future__ import annotations

import cv2
import numpy as np

from .model import BBox

Square = tuple[int, int, int, int, bool]  # a drawn checkbox: x0, y0, x1, y1, filled


def pen_ticked_boxes(ink: np.ndarray, squares: list[Square], min_h: float, avoid: list[BBox]) -> list[Square]:
    """Boxes (not in ``squares``) whose outline a pen's check has joined to itself.

    ``ink``: the page's box ink (0/1); ``squares``: the boxes found as clean squares; ``avoid``: regions (a
    seal left on a grey page) whose strokes may draw such sides too.
    """
    found: list[Square] = []
    open_boxes = [sq for sq in squares if not sq[4]]
    if not open_boxes:
        return found  # a pen-ticked box is told by its likeness to the page's other boxes
    size = float(np.median([sq[3] - sq[1] for sq in open_boxes]))
    k = max(3, int(round(0.6 * min_h)))
    sides = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, k), np.uint8)) | cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, np.ones((k, 1), np.uint8)
    )
    blobs = _components(ink, 12)
    for x, y, w, h, _ in _components(sides, 12):
        if not (0.8 * size <= h <= 1.6 * size and 0.8 * size <= w <= 1.6 * size):
            continue
        frame = _frame(sides[y : y + h, x : x + w])
        if frame is None:
            continue
        a, b, c, d = frame
        square = (x + a, y + b, x + c + 1, y + d + 1, False)  # filled or not is judged on the page
        side = square[3] - square[1]
        if abs(side - size) > 0.15 * size or any(_overlap(square, other) for other in squares + found):
            continue
        if any(_contains((int(r[0]), int(r[1]), int(r[2]), int(r[3]), False), square, 0) for r in avoid):
            continue
        # The pen's stroke runs out of the box: the ink blob holding it is clearly bigger than the box.
        holders = [bl for bl in blobs if _contains(_rect(bl), square, 2)]
        holder = min(holders, key=lambda bl: bl[2] * bl[3], default=None)
        # A pen's check rises well above the box; a letter framed like a box (同, 周) has its top on the frame.
        if holder is not None and max(holder[2], holder[3]) >= 1.3 * side and holder[1] <= square[1] - 0.3 * side:
            if _in_line_with(square, open_boxes, side):
                found.append(square)
    return found


def _components(ink: np.ndarray, min_px: int) -> list[tuple[int, int, int, int, int]]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return [tuple(int(v) for v in stats[i]) for i in range(1, n) if stats[i][4] >= min_px]


def _in_line_with(square: Square, boxes: list[Square], side: float) -> bool:
    """Options' boxes stand in a row or a column: another box on the same row, or a few rows above or below."""
    cx, cy = (square[0] + square[2]) / 2, (square[1] + square[3]) / 2
    for other in boxes:
        ox, oy = (other[0] + other[2]) / 2, (other[1] + other[3]) / 2
        if abs(cy - oy) < 0.5 * side and 0 < abs(cx - ox) < 40 * side:
            return True
        if abs(cx - ox) < 0.5 * side and 0 < abs(cy - oy) < 6 * side:
            return True
    return False


def _rect(blob: tuple[int, int, int, int, int]) -> Square:
    x, y, w, h, _ = blob
    return (x, y, x + w, y + h, False)


def _contains(outer: Square, inner: Square, slack: int) -> bool:
    return (
        outer[0] - slack <= inner[0]
        and outer[1] - slack <= inner[1]
        and inner[2] <= outer[2] + slack
        and inner[3] <= outer[3] + slack
    )


def _overlap(a: Square, b: Square) -> bool:
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


def _frame(sides: np.ndarray) -> tuple[int, int, int, int] | None:
    """The square (x0, y0, x1, y1, inclusive) drawn by the straight strokes in ``sides`` (a pen stroke's
    remains may stick out of it): the outermost full-height columns and full-width rows between them."""
    cols = np.flatnonzero(sides.mean(axis=0) >= 0.7)
    rows = np.flatnonzero(sides.mean(axis=1) >= 0.5)
    if len(cols) < 2 or len(rows) < 2:
        return None
    x0, x1 = int(cols[0]), int(cols[-1])
    inner = sides[:, x0 : x1 + 1]
    rows = np.flatnonzero(inner.mean(axis=1) >= 0.8)
    if len(rows) < 2:
        return None
    y0, y1 = int(rows[0]), int(rows[-1])
    w, h = x1 - x0 + 1, y1 - y0 + 1
    if h < 6 or not 0.75 <= w / h <= 1.33 or sides[y0 : y1 + 1, [x0, x1]].mean() < 0.8:
        return None
    return x0, y0, x1, y1
