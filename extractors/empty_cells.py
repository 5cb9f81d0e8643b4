"""Lines the detector did not return, in a table cell or between two lines of running text: read from the ink.

On a phone photo the detector found every line of a liaison table but one name (`马丽萍`, plainly printed in
its own cell), so the person came out without a name and staff got a false `missing_field`; on a fax it
skipped one clean line in the middle of an activity's 预期成效 (`结，择优上传至…年度`), and 29 letters were
lost from the write-up. A cell's ink outside the detected lines, in rows the size of a line of text, is cut
into those rows and each is recognised; a row is kept when the recogniser is sure of it and it is more than
a lone mark (a drawn box `口`, a check `√`: the tick readers handle those). Outside the tables the gap between
two lines of running text is read the same way when it holds a line's worth of ink (a fax lost a whole line,
`主要安排：邀请省外高校…`, between two it found).
"""

from __future__ import annotations

import numpy as np

from .bracket_marks import ink_below
from .model import BBox
from .ocr_box import OcrBox, Recognise

_INSET = 4  # pixels inside the cell's rulings: what is left of a ruling is no text
_MIN_INK = 12  # dark pixels in a row of text; fewer is a speck
_MIN_LETTERS = 2  # a lone letter in a cell is a tick or a box more often than a word
_SURE = 0.9  # the recogniser's score needed to keep a row
_SEAL_SHARE = 0.5  # of a cell's area: a seal's lower arc over a name cell (through its top half) still lets it be read
_MARGIN = 0.15  # of the row's height, around the ink: the recogniser wants a little paper on every side
_GAP_LINES = (0.7, 2.5)  # line heights between two lines of running text where a skipped line may lie
_GAP_REACH = 0.35  # line heights read above and below such a gap (the halves of letters there are too short for a row)
_RUNNING_TEXT = 8  # line heights: the wider of two lines at least this long is running text
_MIN_RUNNING_LETTERS = 4  # a skipped line of running text is more than a speck read as a letter or two


def skipped_lines_in_cells(
    grey: np.ndarray, cells: list[BBox], lines: list[OcrBox], seal_boxes: list[BBox], recognise: Recognise
) -> list[OcrBox]:
    """Text rows read from the cells' ink that no line in ``lines`` covers (in cells no seal covers)."""
    if not lines:
        return []
    line_h = _line_height(lines)
    found: list[OcrBox] = []
    for cell in cells:
        if any(_covered_share(cell, s) > _SEAL_SHARE for s in seal_boxes):
            continue  # the seal's ring and star would be read as words; its own reader handles the lines it covers
        inside = [b for b in lines if _meets(cell, b.bbox, 0.5 * line_h)]
        found.extend(_read_cell(grey, cell, line_h, recognise, [(b.bbox[1], b.bbox[3]) for b in inside]))
        found.extend(_beside_lines(grey, cell, line_h, recognise, inside))
    return found


_BESIDE_GAP = 1.0  # line heights of blank that part two words' ink on one text line
_BESIDE_MIN = 1.5  # line heights: ink beside a line narrower than this is a mark or a bracket, not words


def _beside_lines(
    grey: np.ndarray, cell: BBox, line_h: float, recognise: Recognise, inside: list[OcrBox]
) -> list[OcrBox]:
    """Words on a detected line's own text line that its box left out (the detector found `科技工作者 （） 海外同行（）`
    but not `科协系统干部 (√)` before it on the same line): the cell's ink in that line's band, outside every
    detected box, read where it runs wider than a word."""
    x0, x1 = int(cell[0]) + _INSET, int(cell[2]) - _INSET
    margin = int(_MARGIN * line_h)
    out: list[OcrBox] = []
    for line in inside:
        top, bottom = max(int(cell[1]) + _INSET, int(line.bbox[1])), min(int(cell[3]) - _INSET, int(line.bbox[3]))
        if bottom - top < 0.5 * line_h or x1 - x0 < line_h:
            continue
        ink = ink_below(grey[top:bottom, x0:x1])
        for b in inside + out:  # what is read already, on this text line or reaching into it
            if min(bottom, b.bbox[3]) - max(top, b.bbox[1]) > 0.3 * (bottom - top):
                ink[:, max(0, int(b.bbox[0]) - x0) : max(0, int(b.bbox[2]) - x0)] = False
        for a, z in _ink_runs(ink.any(axis=0), _BESIDE_GAP * line_h):
            if z - a < _BESIDE_MIN * line_h or ink[:, a:z].sum() < _MIN_INK:
                continue
            left, right = max(0, x0 + a - margin), min(grey.shape[1], x0 + z + margin)
            out += _sure_read(grey, (left, top, right, bottom), recognise)
    return out


def _ink_runs(inked: np.ndarray, gap: float) -> list[tuple[int, int]]:
    """Runs of ink (columns or pixel rows), as (start, end), joined across blanks narrower than ``gap`` (1: none)."""
    cols = np.flatnonzero(inked)
    if cols.size == 0:
        return []
    runs, start, prev = [], int(cols[0]), int(cols[0])
    for c in cols[1:]:
        if c - prev > gap:
            runs.append((start, prev + 1))
            start = int(c)
        prev = int(c)
    runs.append((start, prev + 1))
    return runs


_NEAR_LINES = 3  # line heights above and below a gap whose lines give the running text's width


def skipped_lines_between(
    grey: np.ndarray, cells: list[BBox], lines: list[OcrBox], seal_boxes: list[BBox], recognise: Recognise
) -> list[OcrBox]:
    """Text rows read from the gap between two lines of running text outside the tables, where a line's worth
    of ink lies that no detected line covers (a fax's `主要安排：邀请省外高校…` between 参加人员 and 研究进展)."""
    if not lines:
        return []
    lh = _line_height(lines)
    loose = sorted((b for b in lines if not any(_meets(c, b.bbox, 0.5 * lh) for c in cells)), key=lambda b: b.bbox[1])
    found: list[OcrBox] = []
    for above, below in zip(loose, loose[1:], strict=False):
        top, bottom = above.bbox[3], below.bbox[1]
        # the text's width around the gap: a paragraph's short last line (`政策。`) over a skipped first line of the
        # next one is still running text, as wide as the lines a few rows off
        near = [b for b in loose if b.bbox[1] < bottom + _NEAR_LINES * lh and b.bbox[3] > top - _NEAR_LINES * lh]
        x0, x1 = min(above.bbox[0], below.bbox[0]), max(b.bbox[2] for b in near)
        if not _GAP_LINES[0] * lh <= bottom - top <= _GAP_LINES[1] * lh or x1 - x0 < _RUNNING_TEXT * lh:
            continue  # no room for a line, or short lines (titles, labels) with their own spacing
        gap = (x0 - 0.5 * lh, top, x1 + 0.5 * lh, bottom)
        if any(_meets(gap, b.bbox, 0.3 * lh) for b in lines) or any(_meets(gap, s, 0) for s in seal_boxes):
            continue  # a line beside them is there, or a seal (read by its own reader)
        # else a little into the lines' loose boxes: the skipped line's letters may reach into them
        reach = _GAP_REACH * lh
        found.extend(
            _read_cell(grey, gap, lh, recognise, [])
            or _read_cell(grey, (gap[0], top - reach, gap[2], bottom + reach), lh, recognise, [])
        )
    return [b for b in found if len(b.text) >= _MIN_RUNNING_LETTERS]


def _line_height(lines: list[OcrBox]) -> float:
    """The median height of the detected lines' boxes."""
    heights = sorted(b.bbox[3] - b.bbox[1] for b in lines)
    return heights[len(heights) // 2]


def _covered_share(cell: BBox, seal: BBox) -> float:
    """Share of the cell's area under the seal (round: the disc its box holds), from a grid of points."""
    cx, cy = (seal[0] + seal[2]) / 2, (seal[1] + seal[3]) / 2
    rx, ry = max(1.0, (seal[2] - seal[0]) / 2), max(1.0, (seal[3] - seal[1]) / 2)
    xs = np.linspace(cell[0], cell[2], 12)
    ys = np.linspace(cell[1], cell[3], 12)
    gx, gy = np.meshgrid(xs, ys)
    return float(np.mean(((gx - cx) / rx) ** 2 + ((gy - cy) / ry) ** 2 <= 1.0))


def _meets(a: BBox, b: BBox, least: float) -> bool:
    """Do the boxes share more than ``least`` pixels each way (a line's box may reach over a ruling)?"""
    return min(a[2], b[2]) - max(a[0], b[0]) > least and min(a[3], b[3]) - max(a[1], b[1]) > least


def _read_cell(
    grey: np.ndarray, cell: BBox, line_h: float, recognise: Recognise, covered: list[tuple[float, float]]
) -> list[OcrBox]:
    x0, y0 = int(cell[0]) + _INSET, int(cell[1]) + _INSET
    x1, y1 = int(cell[2]) - _INSET, int(cell[3]) - _INSET
    if x1 - x0 < line_h or y1 - y0 < 0.5 * line_h:
        return []
    ink = ink_below(grey[y0:y1, x0:x1])
    for top, bottom in covered:  # the detected lines' rows are read already (their boxes fit their ink loosely)
        ink[max(0, int(top) - y0 - _INSET) : max(0, int(bottom) - y0 + _INSET)] = False
    per_row = ink.sum(axis=1)
    out: list[OcrBox] = []
    for top, bottom in _ink_runs(per_row >= 1, 1):
        got = _read_rows(grey, ink, (x0, y0), (top, bottom), line_h, recognise)
        if not got:
            # Fax specks in the blank between a seal's arc (or a ruling's remains) and the words join them into one
            # run the recogniser is unsure of: read the runs of rows with more than a speck's ink instead.
            for a, b in _ink_runs(per_row[top:bottom] >= _SPECK_ROW, 1):
                got += _read_rows(grey, ink, (x0, y0), (top + a, top + b), line_h, recognise)
        out += got
    return out


_SPECK_ROW = 5  # dark pixels in a pixel row of a cell: fewer are a fax's specks, not a letter's stroke


def _read_rows(
    grey: np.ndarray,
    ink: np.ndarray,
    origin: tuple[int, int],
    rows: tuple[int, int],
    line_h: float,
    recognise: Recognise,
) -> list[OcrBox]:
    """The words in pixel rows ``rows`` of a cell's ink (whose top left is ``origin`` on the page), when those rows
    are as tall as a line of text (half a line to a line and a half) and hold more than a speck."""
    (x0, y0), (top, bottom) = origin, rows
    if not 0.5 * line_h <= bottom - top <= 1.5 * line_h or ink[top:bottom].sum() < _MIN_INK:
        return []
    cols = np.flatnonzero(ink[top:bottom].any(axis=0))
    margin = int(_MARGIN * line_h)
    crop_top, crop_bottom = max(0, y0 + top - margin), min(grey.shape[0], y0 + bottom + margin)
    left, right = max(0, x0 + cols[0] - margin), min(grey.shape[1], x0 + cols[-1] + 1 + margin)
    return _sure_read(grey, (left, crop_top, right, crop_bottom), recognise)


def _sure_read(grey: np.ndarray, area: tuple[int, int, int, int], recognise: Recognise) -> list[OcrBox]:
    """The line ``recognise`` reads in ``area`` of the page, when it is sure of it and it is more than a lone
    mark; else []."""
    left, top, right, bottom = area
    text, score = recognise(grey[top:bottom, left:right])
    if score >= _SURE and len("".join(ch for ch in text if ch.isalnum())) >= _MIN_LETTERS:
        return [OcrBox(text, (float(left), float(top), float(right), float(bottom)), score)]
    return []
