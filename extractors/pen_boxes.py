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
    # A check that runs onto the cell's ruling joins the box to the whole table: take the rulings (straight
    # runs far longer than a box) out of the sides before looking for one.
    long = max(k + 1, int(round(3 * size)))
    rulings = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, long), np.uint8)) | cv2.morphologyEx(
        ink, cv2.MORPH_OPEN, np.ones((long, 1), np.uint8)
    )
    sides = sides & (1 - rulings)
    blobs = _components(ink & (1 - rulings), 12)  # the ink of box and check, not of the table they touch
    for x, y, w, h, _ in _components(sides, 12):
        # The arm may double its height; a letter the stroke touched may add to its width.
        if not (0.8 * size <= h <= 2.0 * size and 0.8 * size <= w <= 3.0 * size):
            continue
        frame = _frame(sides[y : y + h, x : x + w], size)
        if frame is not None:
            a, b, c, d = frame
            square = (x + a, y + b, x + c + 1, y + d + 1, False)  # filled or not is judged on the page
            if _is_pen_ticked(square, size, squares + found, open_boxes, blobs, avoid):
                found.append(square)
    # A thick check can cut a side out of the straight strokes: look, in the raw ink, for a frame of the
    # boxes' size where a box of the row or column may stand.
    for square in _frames_in_line(ink, open_boxes, int(round(size))):
        if _is_pen_ticked(square, size, squares + found, open_boxes, blobs, avoid):
            found.append(square)
    return found


def _is_pen_ticked(
    square: Square,
    size: float,
    taken: list[Square],
    open_boxes: list[Square],
    blobs: list[tuple[int, int, int, int, int]],
    avoid: list[BBox],
) -> bool:
    """Is ``square`` a box a pen ticked: its size, not taken, in line with the page's boxes, inside an ink
    blob (the box with its check) that rises well out of its top, where a check's long arm ends? A letter
    with a frame-like part (同, 服, 题) does not: the rest of the letter is beside or inside the frame."""
    side = square[3] - square[1]
    if abs(side - size) > 0.15 * size or any(_overlap(square, other) for other in taken):
        return False
    if any(_contains((int(r[0]), int(r[1]), int(r[2]), int(r[3]), False), square, 0) for r in avoid):
        return False
    holders = [bl for bl in blobs if _contains(_rect(bl), square, 2)]
    holder = min(holders, key=lambda bl: bl[2] * bl[3], default=None)
    if holder is None or not 1.3 * side <= max(holder[2], holder[3]) <= 4 * side:
        return False
    if holder[1] > square[1] - 0.3 * side:
        return False
    return _in_line_with(square, open_boxes, side)


# How far apart (in box sides) options' boxes stand: along a row of options, and down a column of them.
_ROW_REACH, _COLUMN_REACH = 40, 6
_FULL_SIDE = 0.9  # share of a side's length the ink must cover


def _frames_in_line(ink: np.ndarray, boxes: list[Square], size: int) -> list[Square]:
    """Square frames ``size`` across in the column or row of ``boxes`` (best first, not overlapping)."""
    if size < 6:
        return []
    thick = cv2.dilate(ink, np.ones((3, 3), np.uint8)).astype(np.float32)  # a side may wobble by a pixel
    across = cv2.blur(thick, (size, 1), anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)  # row run from (x, y)
    down = cv2.blur(thick, (1, size), anchor=(0, 0), borderType=cv2.BORDER_CONSTANT)  # column run from (x, y)
    h, w = ink.shape
    last = size - 1
    rows, cols = h - size, w - size  # where a frame's top-left corner can be
    if rows <= 0 or cols <= 0:
        return []
    sides = np.stack(
        [across[:rows, :cols], across[last : last + rows, :cols], down[:rows, :cols], down[:rows, last : last + cols]]
    )
    full = sides.min(axis=0) >= _FULL_SIDE
    near = np.zeros_like(full)
    for box in boxes:  # the box's column (a few boxes up and down) and its row
        bx, by = box[0], box[1]
        down_reach, row_reach = _COLUMN_REACH * size, _ROW_REACH * size
        near[max(0, by - down_reach) : by + down_reach + 1, max(0, bx - 3) : bx + 4] = True
        near[max(0, by - 3) : by + 4, max(0, bx - row_reach) : bx + row_reach + 1] = True
    ys, xs = np.nonzero(full & near)
    score = sides.sum(axis=0)
    candidates = [
        (float(score[y, x]), (int(x), int(y), int(x) + size, int(y) + size, False)) for y, x in zip(ys, xs, strict=True)
    ]
    chosen: list[Square] = []
    for _, square in sorted(candidates, key=lambda c: -c[0]):
        if not any(_overlap(square, other) for other in chosen + boxes):
            chosen.append(square)
    return chosen


def _components(ink: np.ndarray, min_px: int) -> list[tuple[int, int, int, int, int]]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return [tuple(int(v) for v in stats[i]) for i in range(1, n) if stats[i][4] >= min_px]


def _in_line_with(square: Square, boxes: list[Square], side: float) -> bool:
    """Options' boxes stand in a row or a column: another box on the same row, or a few rows above or below."""
    cx, cy = (square[0] + square[2]) / 2, (square[1] + square[3]) / 2
    for other in boxes:
        ox, oy = (other[0] + other[2]) / 2, (other[1] + other[3]) / 2
        if abs(cy - oy) < 0.5 * side and 0 < abs(cx - ox) < _ROW_REACH * side:
            return True
        if abs(cx - ox) < 0.5 * side and 0 < abs(cy - oy) < _COLUMN_REACH * side:
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


def _frame(sides: np.ndarray, size: float) -> tuple[int, int, int, int] | None:
    """The square (x0, y0, x1, y1, inclusive), about ``size`` across, drawn by the straight strokes in
    ``sides`` (a pen stroke's remains, or a letter it touched, may stick out of it): two full-height columns
    ``size`` apart and the full-width rows between them — or, when the check's arm rising out of the box
    makes the columns look short, the full-width rows first."""
    return _frame_from(sides, size) or _frame_from(sides.T, size, transposed=True)


def _frame_from(sides: np.ndarray, size: float, transposed: bool = False) -> tuple[int, int, int, int] | None:
    cols = np.flatnonzero(sides.mean(axis=0) >= 0.7)
    pair = _pair(cols, size)
    if pair is None:
        return None
    x0, x1 = pair
    inner = sides[:, x0 : x1 + 1]
    pair = _pair(np.flatnonzero(inner.mean(axis=1) >= 0.8), size)
    if pair is None:
        return None
    y0, y1 = pair
    w, h = x1 - x0 + 1, y1 - y0 + 1
    if h < 6 or not 0.75 <= w / h <= 1.33 or sides[y0 : y1 + 1, [x0, x1]].mean() < 0.8:
        return None
    return (y0, x0, y1, x1) if transposed else (x0, y0, x1, y1)


def _pair(lines: np.ndarray, size: float) -> tuple[int, int] | None:
    """The first of ``lines`` (sorted indexes) with another about ``size`` on (a box's two sides): the pair
    whose distance is nearest ``size``."""
    for a in lines:
        near = [int(b) for b in lines if abs(int(b) - int(a) + 1 - size) <= 0.15 * size]
        if near:
            return int(a), min(near, key=lambda b: abs(b - int(a) + 1 - size))
    return None
