"""Scanner-bar streaks: thin vertical lines a dirty fax or feeder bar draws down the page.

Dirt on the bar marks one pixel column over a long stretch of the feed. The streak crosses text, tick
brackets and table rows alike, and it is read as a table rule (cells split or merged: `姓名何敏` in one
cell), as a tick in an empty bracket (`海外同行（|）`) or as a stroke of a letter. A printed rule is
different in two ways: it is part of the table, so both its ends meet a horizontal rule, and a skewed
page never keeps it in one pixel column for long.
"""

from __future__ import annotations

import numpy as np

_INK = 128  # grey level below which a pixel is ink (faxes are 0/255; grey scans are well under it)
_MIN_LONE = 0.6  # share of a streak's pixels with blank columns on both sides (elsewhere it crosses ink)
_GAP = 3  # dropped scan lines and specks break a streak for a pixel or two
_RULE = 30  # a horizontal rule at an end: ink this long (pixels) along the end's row


def remove_streaks(grey: np.ndarray) -> np.ndarray:
    """``grey`` with each streak's lone pixels turned white (a copy; the page is returned as is when it has
    none). Where the streak crosses a letter or a rule, the pixels with ink beside them stay, so nothing
    it crosses is cut."""
    h, w = grey.shape[:2]
    if h < 200 or w < 3:
        return grey
    ink = grey < _INK
    lone = ink.copy()
    lone[:, 1:-1] &= ~ink[:, :-2] & ~ink[:, 2:]
    lone[:, [0, -1]] = False
    min_len = h // 8  # a column of letters' strokes never adds up to this much lone ink
    candidates = np.flatnonzero(lone.sum(axis=0) >= _MIN_LONE * min_len)
    out = None
    for x in candidates:
        for y0, y1 in _runs(ink[:, x], min_len):
            if lone[y0:y1, x].mean() < _MIN_LONE or (_on_rule(ink, y0, x) and _on_rule(ink, y1 - 1, x)):
                continue  # mostly crossing ink, or a rule of an unskewed table (both ends on rules)
            if out is None:
                out = grey.copy()
            rows = np.arange(y0, y1)[lone[y0:y1, x]]
            out[rows, x] = 255
    return grey if out is None else out


def _runs(column: np.ndarray, min_len: int) -> list[tuple[int, int]]:
    """[start, end) of ink runs at least ``min_len`` long, bridging breaks up to ``_GAP`` pixels."""
    ys = np.flatnonzero(column)
    if ys.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(ys) > _GAP + 1)
    starts = np.concatenate(([ys[0]], ys[breaks + 1]))
    ends = np.concatenate((ys[breaks], [ys[-1]])) + 1
    return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True) if b - a >= min_len]


def _on_rule(ink: np.ndarray, y: int, x: int) -> bool:
    """Does a horizontal rule pass through (or end at) the point, give or take two rows?"""
    band = ink[max(0, y - 2) : y + 3, max(0, x - _RULE) : x + _RULE + 1].any(axis=0)
    left, right = band[: min(x, _RULE) + 1], band[min(x, _RULE) :]
    return bool(left.all() or right.all())
