"""Lines the recogniser read far too short: read again from the upright page.

The detector finds a whole printed line (`（一）举办科技工作者座谈会。5月28日，…`, 1130 px wide) yet the first
reading holds three letters (`养一）`, score 0.57): the line's slanted crop was turned or warped before it was
recognised. The same line cut straight out of the upright, levelled page reads whole at 0.98. So a line whose
letters are far fewer than its width holds, read with little confidence, is recognised again from its box, and
the second reading is kept when it is longer and the recogniser is sure of it.

So is a doubtful line across a seal that is not red (its ring and star stay on the page): the detector's box takes
in part of the ring and its warped crop loses a digit (`2021/0/16`, score 0.62), where the straight cut of the
same box reads `2021/06/16` at 0.93.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np

from .model import BBox
from .ocr_box import OcrBox, Recognise

_MIN_WIDTH = 4.0  # line heights: a shorter box is a word or a number, whose length says nothing
_LETTERS_PER_HEIGHT = 0.5  # a printed line holds about one CJK letter per line height; far fewer is a misreading
_DOUBTFUL = 0.9  # the first reading's score below which it is read again
_SURE = 0.9  # the second reading's score needed to replace the first


def reread_short_lines(
    grey: np.ndarray, boxes: list[OcrBox], recognise: Recognise, seal_boxes: list[BBox] | None = None
) -> list[OcrBox]:
    """``boxes`` with every line read far too short, or read with doubt across one of ``seal_boxes`` (seals left
    on the page), replaced by its reading from ``grey`` (upright page)."""
    seals = seal_boxes or []
    return [_reread(box, grey, recognise) if _too_short(box) or _doubtful_on_seal(box, seals) else box for box in boxes]


def _doubtful_on_seal(box: OcrBox, seal_boxes: list[BBox]) -> bool:
    x0, y0, x1, y1 = box.bbox
    on_seal = any(x0 < s[2] and x1 > s[0] and y0 < s[3] and y1 > s[1] for s in seal_boxes)
    return on_seal and box.confidence < _DOUBTFUL


def _too_short(box: OcrBox) -> bool:
    x0, y0, x1, y1 = box.bbox
    height, width = y1 - y0, x1 - x0
    if height <= 0 or width < _MIN_WIDTH * height or box.confidence >= _DOUBTFUL:
        return False
    return len("".join(box.text.split())) < _LETTERS_PER_HEIGHT * width / height


def _reread(box: OcrBox, grey: np.ndarray, recognise: Recognise) -> OcrBox:
    x0, y0, x1, y1 = (int(round(v)) for v in box.bbox)
    top, bottom = max(0, y0), min(grey.shape[0], y1 + 1)
    left, right = max(0, x0), min(grey.shape[1], x1 + 1)
    if right - left < 2 or bottom - top < 2:
        return box
    text, score = recognise(grey[top:bottom, left:right])
    if score < _SURE or score <= box.confidence or len("".join(text.split())) <= len("".join(box.text.split())):
        return box
    # Character positions are estimated from the box's width later (char_pieces); the quad is dropped so that
    # skew is judged from the lines as detected.
    return replace(box, text=text, confidence=score, spans=[], quad=None)
