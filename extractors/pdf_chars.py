"""A text PDF page's characters before they are read: fake-bold duplicates and the direction text runs in.

Fake bold: WPS and some printers draw every glyph of a bold run twice, the second copy shifted a
fraction of a point (measured on pdfplumber's issue-71 files: 0–0.34 pt, under 0.05 em). Only such a
copy is dropped: the same text, the same size, at the same place. Two real letters in a row ("ii" in
"dhanviinformatics" at 3.6 pt) sit a whole glyph width apart and both stay.

Direction: a landscape table is often printed on a portrait page turned by 90°, or a page carries a
``/Rotate`` that turns its text on its side. When most characters run the same way and that way is not
left to right, the page is re-read with the turn that makes them upright (pdfminer applies ``/Rotate``
itself, so every object — lines, rects, images — turns with the text).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from pdfplumber.page import Page

# A copy this close (share of the glyph's width across, of its size down) is the same glyph drawn again.
SAME_PLACE_WIDTH = 0.3
SAME_PLACE_EM = 0.25
MIN_SAME_PLACE_EM = 0.02  # zero-width glyphs: only an exact repeat counts
BUCKET_PT = 4.0  # characters are looked up in 4-pt squares; no copy is farther than one square away
TURN_MAJORITY = 0.5  # share of a page's characters that must run one way before the page is turned


def dedupe_fake_bold(chars: list[dict]) -> list[dict]:
    """The characters without the second copies of fake-bold glyphs, in their original order."""
    kept: list[dict] = []
    near: dict[tuple[str, int, int], list[dict]] = {}  # (text, x square, top square) → kept characters there
    for char in chars:
        text = char["text"]
        col, row = int(char["x0"] // BUCKET_PT), int(char["top"] // BUCKET_PT)
        if not text.isspace() and any(
            _same_glyph(char, other)
            for c in (col - 1, col, col + 1)
            for r in (row - 1, row, row + 1)
            for other in near.get((text, c, r), ())
        ):
            continue
        kept.append(char)
        near.setdefault((text, col, row), []).append(char)
    return kept


def _same_glyph(a: dict, b: dict) -> bool:
    size = max(float(a.get("size") or 0.0), float(a["bottom"] - a["top"]), 0.1)
    if abs(float(b.get("size") or size) - size) > 0.1 * size:
        return False
    width = max(float(a["x1"] - a["x0"]), 0.0)
    across = min(max(SAME_PLACE_WIDTH * width, MIN_SAME_PLACE_EM * size), BUCKET_PT)
    down = min(SAME_PLACE_EM * size, BUCKET_PT)
    return abs(a["x0"] - b["x0"]) <= across and abs(a["top"] - b["top"]) <= down


def text_turn(chars: list[dict]) -> int:
    """Clockwise degrees (0/90/180/270) that turn the page's prevailing text upright; 0 when it already is
    or when no one direction prevails."""
    directions = Counter(_direction(c) for c in chars if not c["text"].isspace())
    directions.pop(None, None)
    total = sum(directions.values())
    if not total:
        return 0
    way, count = directions.most_common(1)[0]
    return way if count > TURN_MAJORITY * total else 0


def _direction(char: dict) -> int | None:
    """Clockwise turn that makes this character's baseline run left to right (None: slanted)."""
    matrix = char.get("matrix")
    if not matrix:
        return 0
    a, b = float(matrix[0]), float(matrix[1])
    if abs(b) <= 0.1 * abs(a):
        return 0 if a > 0 else 180
    if abs(a) <= 0.1 * abs(b):
        return 90 if b > 0 else 270  # baseline up the page: turn the page clockwise
    return None


def turned(page: Any, degrees: int) -> Any:
    """The same page read again with ``degrees`` more clockwise rotation (only this process's copy of
    the page dictionary changes; the file is never touched)."""
    if degrees % 360 == 0:
        return page
    obj = page.page_obj
    rotation = (int(page.rotation) + degrees) % 360
    obj.attrs = {**obj.attrs, "Rotate": rotation}
    obj.rotate = rotation
    return Page(page.pdf, obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
