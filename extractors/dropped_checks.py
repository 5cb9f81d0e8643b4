"""Pen checks the recogniser left out of an options line: a big check drawn over `（ ）` makes the OCR drop
the brackets and the check together (`团结引领建家办事（为民服务（ ）…`), leaving a gap between the
characters it read, or a lone opening bracket before it. Where such a gap holds one check-shaped stroke, the
line gets its `（√）` back.

Only lines that carry options already (another bracket pair) are looked at, so a signature or a flourish
elsewhere on the page is not made a tick.
"""

from __future__ import annotations

import statistics
import unicodedata

import cv2
import numpy as np

from .model import TICKED, UNDECIDED, UNTICKED
from .ocr_box import OcrBox
from .pen_checks import check_shape

Piece = tuple[str, float, float]

_INK = 140
_OPTION_MARKS = ("（√）", "（ ）", f"（{UNDECIDED}）", "(√)", "( )")
_MIN_GAP = 1.4  # character widths: narrower gaps are spacing between words
_MAX_FILL = 0.4  # a check (with the brackets it crosses) fills little of its box
_RULE_FILL = 0.9  # a pixel row this full of ink across the gap is a table rule, not a stroke


def restore_dropped_checks(
    box: OcrBox, pieces: list[Piece], grey: np.ndarray, band: tuple[float, float]
) -> list[Piece]:
    """``pieces`` (the line's characters and x-ranges) with `（√）` put back where a check was dropped."""
    if TICKED in box.text or UNTICKED in box.text:
        return pieces
    wide = [b - a for ch, a, b in pieces if unicodedata.east_asian_width(ch) in "WF" and ch not in "（）"]
    if len(wide) < 4:
        return pieces
    char_w = statistics.median(wide)
    if not any(mark in box.text for mark in _OPTION_MARKS):
        return pieces + _check_at_end(box, pieces, grey, band, char_w)
    out: list[Piece] = []
    i = 0
    while i < len(pieces):
        ch, a, b = pieces[i]
        after = i + 1
        # The space the OCR put where the check was is no option (`科技工作者（ 海外同行`, `干部 科技工作者`).
        while after < len(pieces) and pieces[after][0].isspace():
            after += 1
        nxt = pieces[after] if after < len(pieces) else None
        lone_open = ch in "（(" and (nxt is None or nxt[0] not in "）)√ " + UNDECIDED)
        left_end = a if lone_open else b
        if nxt is not None and nxt[1] - left_end >= _MIN_GAP * char_w and not ch.isspace() and not nxt[0].isspace():
            gap = (left_end, nxt[1])
            if _holds_check(grey, gap, band, char_w):
                if not lone_open:
                    out.append(pieces[i])
                out += _check_pieces(gap)
                i = after + 1 if nxt[0] in "）)" else after
                continue
        out.append(pieces[i])
        i += 1
    return out


def _check_at_end(
    box: OcrBox, pieces: list[Piece], grey: np.ndarray, band: tuple[float, float], char_w: float
) -> list[Piece]:
    """`（√）` for a check the line's box reaches over past its last letter (`科协系统干部` read from `科协系统干部
    (√)`: the brackets and the check dropped together, on a line holding no other option), [] when there is none.
    Only where the recogniser measured the letters' places: an estimated place says nothing of a blank."""
    if not box.spans or not pieces or not pieces[-1][0].strip():
        return []
    gap = (pieces[-1][2], float(box.bbox[2]))
    if gap[1] - gap[0] < _MIN_GAP * char_w or not _holds_check(grey, gap, band, char_w):
        return []
    return _check_pieces(gap)


def _check_pieces(gap: tuple[float, float]) -> list[Piece]:
    """`（√）` spread over the blank the check was dropped from."""
    step = (gap[1] - gap[0]) / 3
    return [("（", gap[0], gap[0] + step), ("√", gap[0] + step, gap[1] - step), ("）", gap[1] - step, gap[1])]


def _holds_check(grey: np.ndarray, gap: tuple[float, float], band: tuple[float, float], char_w: float) -> bool:
    """Is the biggest ink blob in the gap one pen check, about a letter high or more (brackets may be in it)?"""
    x0, x1 = int(round(gap[0])), int(round(gap[1]))
    y0, y1 = max(0, int(round(band[0]))), int(round(band[1]))
    crop = grey[y0:y1, max(0, x0) : max(0, x1)]
    if crop.size == 0:
        return False
    ink = (crop < _INK).astype(np.uint8)
    ink[ink.mean(axis=1) >= _RULE_FILL] = 0  # the table's rule the band touches would join the check's arm
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    if n < 2:
        return False
    i = 1 + int(np.argmax(stats[1:, 4]))
    bx, by, bw, bh, area = (int(v) for v in stats[i])
    if bh < 0.8 * char_w or bw < 0.5 * char_w or area > _MAX_FILL * bw * bh:
        return False
    return check_shape(labels[by : by + bh, bx : bx + bw] == i)
