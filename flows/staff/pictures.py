"""How big the workbook shows a crop of a scanned field: big enough to read, never squashed.

A crop is placed so that each line of text in it is at least `MIN_LINE_PX` pixels high at 100 % zoom (a
990×42 px field squeezed into a 240 px wide cell came out 10 px high: unreadable), keeping its aspect ratio.
Large crops are shrunk towards `FIT_W`×`FIT_H` but never below that line height; the sheet's column and row are
then sized to the picture (flows/staff/workbook.py). Lines are counted from the crop itself: bands of dark rows
(text), so a one-line phone number and a ten-line activity description each get readable lines.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

MIN_LINE_PX = 28  # a line of Chinese text reads at about 28 px or more at 100 % zoom
FIT_W, FIT_H = 420, 200  # what a crop is shrunk towards when its lines allow it
MAX_H = 540  # Excel's tallest row is 409 pt (545 px): a picture beyond it would spill into the next row
INK = 150  # grey level below which a pixel is ink (text, rules); paper and light noise are above it
# a band of ink rows lower than this is a cell's rule (thick or doubled on a scan: 2–6 px) or a speck, not a line
# of text (the scans' text lines are 20–35 px high)
MIN_BAND_PX = 10
ROW_INK_SHARE = 0.03  # a pixel row is part of a line when at least this share of it is ink (below: scan noise)


def text_lines(image: Image.Image) -> int:
    """How many lines of text the crop holds (at least 1): bands of rows with ink, table rules left out."""
    grey = np.asarray(image.convert("L"))
    if grey.size == 0:
        return 1
    inked = (grey < INK).mean(axis=1) >= ROW_INK_SHARE
    full = (grey < INK).mean(axis=1) >= 0.9  # a ruled line across the crop: a cell border, not text
    rows = inked & ~full
    bands, run = 0, 0
    for on in [*rows.tolist(), False]:
        if on:
            run += 1
            continue
        bands += run >= MIN_BAND_PX
        run = 0
    return max(1, bands)


def display_size(width: int, height: int, lines: int) -> tuple[int, int]:
    """Pixels to show a width×height crop of `lines` lines at: aspect kept, every line ≥ MIN_LINE_PX high."""
    width, height = max(width, 1), max(height, 1)
    fit = min(1.0, FIT_W / width, FIT_H / height)
    readable = MIN_LINE_PX * lines / height  # the smallest scale at which each line is MIN_LINE_PX high
    scale = min(max(fit, readable), MAX_H / height)
    return max(1, round(width * scale)), max(1, round(height * scale))
