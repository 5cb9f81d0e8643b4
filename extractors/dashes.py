"""Dashes as drawn. The dash of a date range: the recogniser reads an em dash `—` (a whole character wide) as a
hyphen `-` or as the character `一`, and a typed hyphen as `-` too; only the stroke's length tells them
apart. Used on scans, for a dash between a date's end (a digit, 日 or 号) and the next date (not in a phone
number). And a 破折号 `——` the recogniser left out altogether (faxes), put back where its stroke lies, or read
as one `—`.
"""

from __future__ import annotations

import re
import statistics
import unicodedata

import cv2
import numpy as np

from .ocr_box import OcrBox
from .pen_checks import letter_height
from .ticks import Piece, char_pieces, with_pieces

# 5月22日-6月29日, 5月22-29日: a date's end, the dash, a day or month number and its 月/日/号.
# The recogniser may read one dash twice as two different glyphs (`22日一—6月`).
_RANGE = re.compile(r"(?<=[0-9日号])([-－—一–]{1,2})(?=\d{1,2}[月日号])")
_INK = 140
_RULE_ROW = 0.5  # share of a row's pixels inked: a ruling line through the box, not letters
_EM = 0.7  # an em dash is at least this share of the letters' height long
_HYPHEN = 0.45  # a hyphen at most this
_DOUBLE_MIN, _DOUBLE_MAX = 1.6, 2.6  # a 破折号 `——` is two letters long (a table's rule is far longer)
_DASHES = ("—", "－", "-", "一一", "–")


def restore_dash_width(box: OcrBox, grey: np.ndarray) -> OcrBox:
    """`-` / `一` → `—` where the stroke between two dates is a whole character long, `—` → `-` where short; one
    stroke read as two glyphs (`一—`) → `—`."""
    text = box.text
    spots = [m.span(1) for m in _RANGE.finditer(text) if len(set(m.group(1))) == len(m.group(1))]
    if not spots:
        return box
    x0, y0, x1, y1 = (int(round(v)) for v in box.bbox)
    h = y1 - y0
    if h < 8:
        return box
    pieces = char_pieces(box)
    ink = (grey[max(0, y0) : y1, max(0, x0) : x1] < _INK).astype(np.uint8)
    ink[ink.mean(axis=1) > _RULE_ROW] = 0  # a table's rule the box takes in is no letter's height
    em = letter_height(ink)  # the font's size
    changed = False
    for i, j in reversed(spots):  # from the line's end: joining a doubled read moves the places after it
        read, a, b = "".join(ch for ch, _, _ in pieces[i:j]), pieces[i][1], pieces[j - 1][2]
        if j - i == 2:  # a 破折号's halves may print apart: measure all the flat ink under the two glyphs
            length = _strokes_extent(grey, (a, b), (y0, y1))
        else:
            length = _stroke_length(grey, (a + b) / 2, (y0, y1))
        if length is None:
            continue
        if j - i == 2 and length >= _DOUBLE_MIN * em:  # a 破折号 `——` between the dates
            drawn, mid = "——", (a + b) / 2
            if read != drawn:
                pieces[i:j] = [("—", a, mid), ("—", mid, b)]
                changed = True
            continue
        drawn = "—" if length >= _EM * em or j - i == 2 else "-" if length <= _HYPHEN * em else read
        if drawn != read:
            pieces[i:j] = [(drawn, a, b)]
            changed = True
    return with_pieces(box, pieces) if changed else box


def restore_dropped_dash(box: OcrBox, grey: np.ndarray) -> OcrBox:
    """`——` (破折号) the recogniser left out (`自立自强”玉树州…` for `自立自强”——玉树州…`): a flat stroke about two
    letters long across the middle of the line, where the text has no dash, is put back where it lies."""
    if any(dash in box.text for dash in _DASHES) or len(box.text) < 2:
        return box
    x0, y0, x1, y1 = (int(round(v)) for v in box.bbox)
    h = y1 - y0
    if h < 8 or x1 - x0 < 4 * h:
        return box
    pieces = char_pieces(box)
    em = _letter_pitch(pieces)  # (a table's rule through the box spoils the ink's height)
    if em is None:
        return box
    ink = (grey[max(0, y0) : y1, max(0, x0) : x1] < _INK).astype(np.uint8)
    _, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    inked = [(x0 + bx, x0 + bx + bw, by, bh) for bx, by, bw, bh, area in stats[1:].tolist() if area > 3]
    flat = sorted(
        (a, b, by + bh / 2, k)
        for k, (a, b, by, bh) in enumerate(inked)
        if bh <= 0.2 * h and b - a >= 0.6 * em and 0.25 * h <= by + bh / 2 <= 0.8 * h
    )
    strokes: list[tuple[float, float, float, set[int]]] = []  # the halves of `——` may print apart: joined
    for a, b, mid, k in flat:
        if strokes and a - strokes[-1][1] <= 0.25 * em and abs(mid - strokes[-1][2]) <= 0.1 * h:
            last = strokes.pop()
            strokes.append((last[0], b, last[2], last[3] | {k}))
        else:
            strokes.append((a, b, mid, {k}))
    dashes = [
        (a, b)
        for a, b, _, parts in strokes
        # any other ink over or under the stroke makes it a letter's strokes (在 玉, 二 一): a dash stands alone
        if _DOUBLE_MIN * em <= b - a <= _DOUBLE_MAX * em
        and not any(oa < b - 2 and ob > a + 2 for k, (oa, ob, _, _) in enumerate(inked) if k not in parts)
    ]
    if len(dashes) != 1:
        return box
    a, b = dashes[0]
    at = sum(1 for _, pa, pb in pieces if (pa + pb) / 2 < (a + b) / 2)
    if at == 0 or at == len(pieces):
        return box  # a stroke before or after every letter is a rule or an underline's end, not in the text
    mid = (a + b) / 2
    return with_pieces(box, [*pieces[:at], ("—", a, mid), ("—", mid, b), *pieces[at:]])


def restore_double_dash(box: OcrBox, grey: np.ndarray) -> OcrBox:
    """`—` → `——` where the one dash the recogniser read is a stroke two letters long (`自立自强”—果洛州…` for
    `自立自强”——果洛州…`): a 破折号 is typed as two, and its halves print as one line."""
    lone = [
        i
        for i, ch in enumerate(box.text)
        if ch == "—" and "—" not in box.text[max(0, i - 1) : i] + box.text[i + 1 : i + 2]
    ]
    x0, y0, x1, y1 = (int(round(v)) for v in box.bbox)
    if not lone or y1 - y0 < 8:
        return box
    pieces = char_pieces(box)
    em = _letter_pitch(pieces)
    if em is None:
        return box
    changed = False
    for i in reversed(lone):
        _, a, b = pieces[i]
        length = _strokes_extent(grey, (a, b), (y0, y1))  # the stroke itself (a blur may join it to letters' strokes)
        if length is not None and _DOUBLE_MIN * em <= length <= _DOUBLE_MAX * em:
            mid = (a + b) / 2
            pieces[i : i + 1] = [("—", a, mid), ("—", mid, b)]
            changed = True
    return with_pieces(box, pieces) if changed else box


def _letter_pitch(pieces: list[Piece]) -> float | None:
    """The median width of the line's full-width letters (None with fewer than four: too few to tell)."""
    wide = [b - a for ch, a, b in pieces if unicodedata.east_asian_width(ch) == "W"]
    return statistics.median(wide) if len(wide) >= 4 else None


def _stroke_length(grey: np.ndarray, x: float, band: tuple[int, int]) -> float | None:
    """Length of the flat stroke nearest ``x`` in the middle of the line (None when there is none)."""
    y0, y1 = band
    h = y1 - y0
    left, right = max(0, int(x - 1.5 * h)), min(grey.shape[1], int(x + 1.5 * h))
    crop = grey[max(0, y0) : y1, left:right]
    if crop.size == 0:
        return None
    ink = (crop < _INK).astype(np.uint8)
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    centre = x - left
    best: tuple[float, int] | None = None  # (distance from x, length)
    for i in range(1, n):
        bx, by, bw, bh, _ = (int(v) for v in stats[i])
        flat = _flat(by, bw, bh, h)
        distance = max(bx - centre, 0.0, centre - (bx + bw))
        if flat and distance <= 0.5 * h and (best is None or distance < best[0]):
            best = (distance, _half_dark_length(crop, bx, by + bh // 2, bw))
    return float(best[1]) if best is not None else None


def _flat(top: int, width: int, height: int, line_h: int) -> bool:
    """Is an ink piece a dash's stroke: thin, long and across the middle of the line?"""
    return height <= 0.2 * line_h and width >= 2 * height and 0.25 * line_h <= top + height / 2 <= 0.8 * line_h


def _strokes_extent(grey: np.ndarray, span: tuple[float, float], band: tuple[int, int]) -> float | None:
    """From the first to the last end of the flat strokes in the middle of the line that reach into ``span``."""
    (a, b), (y0, y1) = span, band
    h = y1 - y0
    left = max(0, int(a - h))
    crop = grey[max(0, y0) : y1, left : min(grey.shape[1], int(b + h))]
    if crop.size == 0:
        return None
    _, _, stats, _ = cv2.connectedComponentsWithStats((crop < _INK).astype(np.uint8), connectivity=8)
    ends = [
        (bx, bx + bw)
        for bx, by, bw, bh, _ in stats[1:].tolist()
        if _flat(by, bw, bh, h) and bx < b - left and bx + bw > a - left
    ]
    return float(max(e for _, e in ends) - min(s for s, _ in ends)) if ends else None


def _half_dark_length(crop: np.ndarray, bx: int, row: int, width: int) -> int:
    """The stroke's length along its row, to where it is no longer half as dark as its core: a phone's blur
    lightens a thin stroke's ends, and the ink level alone keeps only its middle (7 of an em dash's 20 pixels)."""
    profile = crop[max(0, row - 1) : row + 2].min(axis=0).astype(int)
    paper = int(np.median(crop))
    level = (paper + int(profile[bx : bx + width].min())) / 2
    a, b = bx, bx + width - 1
    while a > 0 and profile[a - 1] < level:
        a -= 1
    while b + 1 < len(profile) and profile[b + 1] < level:
        b += 1
    return b - a + 1
