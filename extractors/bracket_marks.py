"""Is there a mark between a pair of brackets on a scanned line (`团结引领（√）`)? Decided from the pixels,
whatever the OCR read there: the brackets are found as the tall thin ink blobs nearest the places the OCR
gave, and the ink between them is judged (a pen's check over them, a faint printed tick, words in brackets).
"""

from __future__ import annotations

from typing import Literal

import cv2
import numpy as np

from .pen_checks import check_across_brackets, letter_height

State = Literal["ticked", "empty", "unsure", "words"]  # words: brackets around text, not an option

INK_LEVEL = 120  # grey below this is ink (paper ~230–255, print ~0–80, seal ghosts > 160)


def ink_below(grey: np.ndarray, level: int = INK_LEVEL) -> np.ndarray:
    return (grey < level).astype(np.uint8)


def ink_blobs(ink: np.ndarray, min_px: int) -> list[tuple[int, int, int, int, int]]:
    """(x, y, w, h, area) of ink blobs bigger than specks."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    return [tuple(int(v) for v in stats[i]) for i in range(1, n) if stats[i][4] >= min_px]


def bracket_state(
    grey: np.ndarray, region: tuple[int, int, int, int], open_x: float, close_x: float, closed: bool = True
) -> State:
    """Is there a mark between the bracket glyphs near ``open_x`` and ``close_x`` in ``region``?

    ``region`` (x0, y0, x1, y1) is the text line around the brackets. The brackets are found
    as the tall thin ink blobs nearest the expected positions (the OCR's character positions
    are off by up to half a character); the interior between them is judged by its ink.
    ``closed`` False: the closing bracket wrapped to the next line, so the interior runs to
    the region's right end.
    """
    x0, y0, x1, y1 = clip_rect(region, grey.shape)
    if x1 - x0 < 4 or y1 - y0 < 6:
        return "unsure"
    crop = grey[y0:y1, x0:x1]
    line_h = y1 - y0
    ink = ink_below(crop)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    min_px = max(6, int(0.006 * line_h * line_h))
    blobs = [
        (*b, i)  # with its label
        for i, b in ((i, tuple(int(v) for v in stats[i])) for i in range(1, n))
        # Bits cut off at the top/bottom edge belong to the lines above/below; flat slivers are
        # pieces of ruling lines. A mark is at least a sixth of the line high.
        if b[4] >= min_px and not ((b[1] == 0 or b[1] + b[3] >= line_h) and b[3] < 0.25 * line_h) and b[3] >= line_h / 6
    ]
    mid = (open_x + close_x) / 2 - x0
    if check_across_brackets(blobs, labels, mid, letter_height(ink)):
        return "ticked"  # before the brackets are looked for: the check may have swallowed one
    # Bracket glyphs: tall and thin (a tick is about as wide as ~0.7 of its height). Tall for the letters: a
    # photo's line box may be twice their height, and its brackets would all seem short.
    glyph_h = min(line_h, _BOX_OVER_LETTERS * letter_height(ink))
    tall = [b for b in blobs if b[3] >= 0.35 * glyph_h and b[2] <= 0.4 * b[3]]
    pair = _bracket_pair(tall, open_x - x0, close_x - x0, glyph_h) if closed else None
    # The opening bracket stands left of the pair's middle (a closing one near it is not it).
    openers = [b for b in tall if b[0] + b[2] / 2 < mid] if closed else tall
    left = pair[0] if pair else _nearest_blob(openers, open_x - x0, glyph_h)
    if left is None and closed:  # a thin bracket a phone's blur broke up: its largest piece
        short = [b for b in blobs if b[3] >= 0.25 * glyph_h and b[2] <= 0.4 * b[3] and b[0] + b[2] / 2 < mid]
        left = _nearest_blob(short, open_x - x0, glyph_h)
    right = None
    if closed:
        # The closing bracket mirrors the opening one (same height and place); a letter's stroke does not.
        partners = [b for b in tall if left is None or (b[0] > left[0] + left[2] and _mirrors(left, b, glyph_h))]
        right = pair[1] if pair else _nearest_blob(partners, close_x - x0, glyph_h)
        if right is None and left is not None and partners:
            far = min(partners, key=lambda b: b[0])
            if far[0] - (left[0] + left[2]) > 1.6 * line_h:
                return "words"  # brackets around words the OCR lost ("(盖章)" read as "()")
    elif left is not None:
        # The OCR read the opening bracket only: a tall thin blob mirroring it further on is the closing one,
        # not a mark (`开放合作（ ）` read as `开放合作(`, its `）` ticked it).
        partners = [b for b in tall if b[0] > left[0] + left[2] and _mirrors(left, b, glyph_h)]
        right = min(partners, key=lambda b: b[0]) if partners else None
    lo = left[0] + left[2] if left is not None else int(open_x - x0 + 0.2 * line_h)
    if right is not None:
        hi = right[0]
    elif closed:
        hi = int(close_x - x0 - 0.2 * line_h)
    else:
        hi = x1 - x0
    found = left is not None and (right is not None or not closed)
    if hi - lo < 3:
        return "empty" if found else "unsure"
    inside = [b for b in blobs if b is not left and b is not right and b[0] >= lo - 2 and b[0] + b[2] <= hi + 2]
    if left is not None and not inside:
        # A pen's check starts inside the brackets and runs out over the closing one (one blob with it).
        big = 0.5 * line_h
        if any(b is not left and lo - 2 <= b[0] < hi and b[2] >= big and b[3] >= big for b in blobs):
            return "ticked"
    ink_px = sum(b[4] for b in inside)
    ratio = ink_px / max(1, (hi - lo) * line_h)
    big_blobs = [b for b in inside if b[3] >= 0.25 * line_h]
    big = bool(big_blobs)
    if big_blobs and left is not None:
        em = left[3] / 0.85  # a bracket is ~0.85 of a character's height
        span = max(b[0] + b[2] for b in big_blobs) - min(b[0] for b in big_blobs)
        # a tick is narrower than a character; this is text the OCR lost ("(盖章)"): letters, more than one blob
        # (one blob that wide is a pen's check run into the closing bracket the OCR did not read)
        if span > 1.2 * em and (len(big_blobs) > 1 or span > _ONE_BLOB_WORDS * em):
            return "words"
    if big and ratio >= 0.01:
        return "ticked" if found else "unsure"  # without both brackets, ink may be a lost letter
    # a faint check's arm rises to the closing bracket: without that bracket found, look up to where the OCR put it
    faint_hi = hi if right is not None or not closed else int(close_x - x0)
    if (left is not None or right is not None) and _faint_mark(crop, lo + 1, faint_hi - 1, line_h):
        return "ticked"
    if not inside or ratio < 0.004:
        return "empty" if found or ratio == 0 else "unsure"
    return "unsure"


_ONE_BLOB_WORDS = 2.0  # of a character's width: one ink blob wider than this inside brackets is letters run together
_BOX_OVER_LETTERS = 1.5  # a line box at most this much taller than its letters (more: a photo's loose box)
_PAIR_GAP = (0.0, 1.6)  # of the letters' height: the inside of a bracket pair, empty (`()`, no space) or holding a mark
_MARK_WIDTH = 0.45  # of its height: a faint mark narrower than this is a bracket's stroke, not a tick
_FAINT_INK = 70  # grey levels under the paper: a small printed √ blurred by a phone's camera is this light


def _faint_mark(crop: np.ndarray, lo: int, hi: int, line_h: int) -> bool:
    """Between the two brackets (columns lo..hi of the line's crop), a mark too light for INK_LEVEL but
    plainly darker than the paper, at least a third of the line high and not a thin upright stroke."""
    if hi - lo < 3:
        return False
    paper = float(np.median(crop))
    inner = (crop[:, lo:hi] < paper - _FAINT_INK).astype(np.uint8)
    blobs = ink_blobs(inner, max(6, int(0.006 * line_h * line_h)))
    # a tick is about as wide as it is high; a thin upright stroke is a bracket the blur made faint (`领( )建`)
    return any(h >= line_h / 3 and w >= _MARK_WIDTH * h for _, _, w, h, _ in blobs)


def _bracket_pair(tall, open_x: float, close_x: float, glyph_h: float):
    """The two bracket glyphs, judged as a pair: mirrored, a mark's width or so apart, together nearest where the
    OCR put them. Each alone may lie nearer the other's place (a photo's positions are off by half a letter: the
    `)` of `(√)` was taken for the opening one, and the mark between them was never looked at)."""
    best, cost = None, float("inf")
    for a in tall:
        for b in tall:
            gap = b[0] - (a[0] + a[2])
            if not (_PAIR_GAP[0] * glyph_h <= gap <= _PAIR_GAP[1] * glyph_h and _mirrors(a, b, glyph_h)):
                continue
            off_a, off_b = abs(a[0] + a[2] / 2 - open_x), abs(b[0] + b[2] / 2 - close_x)
            if max(off_a, off_b) <= glyph_h and off_a + off_b < cost:
                best, cost = (a, b), off_a + off_b
    return best


def _mirrors(a, b, line_h: float) -> bool:
    """Two blobs of the same height at the same height on the line (a bracket pair)."""
    return abs(a[3] - b[3]) <= 0.15 * line_h and abs(a[1] - b[1]) <= 0.12 * line_h


def _nearest_blob(blobs, x: float, line_h: float):
    best, dist = None, 0.9 * line_h
    for b in blobs:
        d = abs(b[0] + b[2] / 2 - x)
        if d < dist:
            best, dist = b, d
    return best


def clip_rect(rect, shape) -> tuple[int, int, int, int]:
    h, w = shape[:2]
    x0, y0, x1, y1 = rect
    return max(0, int(x0)), max(0, int(y0)), min(w, int(round(x1))), min(h, int(round(y1)))
