"""Lines a seal that is not red crosses: read again as one strip, across the seal.

On a grey scan or a 1-bit fax the seal cannot be erased by its colour: its ring and star are as dark as the text.
The line detector then stops where the ring crosses a line (`填报单` for `填报单位：昆仑学院`, `仑学院科协…` for
`昆仑学院科协…`), yet the recogniser, given the whole strip, reads through the ring. So a line that ends (or starts)
at a seal is re-read from the seal's far side (or the cell's edge, or the next line) and the longer reading is
kept when it holds the first one and the recogniser is sure of it.

A line the detector missed altogether under the star (`报送时间：2021年05月10日`, the date under a 落款) is found the
same way: strips across the seal where no line was detected, kept when the recogniser is sure of what it read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from difflib import SequenceMatcher

import numpy as np
from rapidfuzz.distance import LCSseq

from .model import BBox
from .ocr_box import OcrBox, Recognise

MIN_CONFIDENCE = 0.85  # the recogniser's own score for the longer reading
KEEP_SHARE = 0.8  # of the first reading's characters that the longer one must hold, in order
_PAD = 0.0  # of the line height, above and below the strip: the detector's box has its own margin; more takes in ring


def reread_under_seals(
    grey: np.ndarray,
    boxes: list[OcrBox],
    seal_boxes: list[BBox],
    cells: list[BBox],
    recognise: Recognise,
    rings: list[str] | None = None,
) -> list[OcrBox]:
    """``boxes`` with each line cut short by a seal replaced by its reading across the seal.

    ``rings``: the seals' ring text as read. A reading leftward that only puts a run of the ring's letters before
    the line (`术学联络员回执表` for a title that starts past the seal) read the ring, not more of the line. (Read
    rightward, a label gains the unit's name under the seal, often the ring's own words: `填报单位昆仑学院`.)"""
    if not seal_boxes:
        return boxes
    boxes = _joined_at_seals(boxes, seal_boxes, cells, grey, recognise)
    strips = [_strip_across(box, boxes, seal_boxes, cells, grey.shape[1]) for box in boxes]
    out = [_reread(box, strip, grey, recognise) if strip else box for box, strip in zip(boxes, strips, strict=True)]
    out = [box if _ring_before(box, read, rings or []) else read for box, read in zip(boxes, out, strict=True)]
    for i, (box, read) in enumerate(zip(boxes, out, strict=True)):
        if read is not box and read.bbox[0] < box.bbox[0]:
            out[i] = _without_left_echo(box, read, boxes, out)
    return out


def _joined_at_seals(
    boxes: list[OcrBox], seal_boxes: list[BBox], cells: list[BBox], grey: np.ndarray, recognise: Recognise
) -> list[OcrBox]:
    """``boxes`` with each two halves of one line that meet at a seal's ring read again as one strip.

    The ring splits `报送时间：2021年05月07日` into `报送时间：2021` and `105月07日` (年 under the ring read `1`): each
    half bounds the other's strip, so neither is read across. Read whole on the left half's rows, the line comes
    out right; it is kept when the recogniser is sure of it and it holds nearly all of both halves, in order. Two
    values in neighbouring cells of a table (a post and a phone) are no halves of one line."""
    out = list(boxes)
    for left in boxes:
        if left not in out:
            continue
        right = next(
            (
                b
                for b in out
                if b is not left and _meet_at_seal(left, b, seal_boxes) and _cell_of(left, cells) == _cell_of(b, cells)
            ),
            None,
        )
        if right is None:
            continue
        x0, y0, _, y1 = left.bbox
        text, score = recognise(grey[max(0, int(y0)) : int(y1) + 1, max(0, int(x0)) : int(right.bbox[2]) + 1])
        halves = "".join((left.text + right.text).split())
        if score < MIN_CONFIDENCE or LCSseq.similarity(halves, "".join(text.split())) < KEEP_SHARE * len(halves):
            continue
        joined = replace(left, text=text, bbox=(x0, y0, right.bbox[2], y1), confidence=score, spans=[], quad=None)
        out = [joined if b is left else b for b in out if b is not right]
    return out


def _line_height(boxes: list[OcrBox]) -> float | None:
    """The median height of the detected lines that hold text (None when none does)."""
    heights = sorted(b.bbox[3] - b.bbox[1] for b in boxes if b.text.strip())
    return heights[len(heights) // 2] if heights else None


def _cell_of(box: OcrBox, cells: list[BBox]) -> BBox | None:
    """The table cell a line starts in (None outside every table)."""
    x0, y0, _, y1 = box.bbox
    cx, cy = x0 + 0.25 * (y1 - y0), (y0 + y1) / 2
    return next((c for c in cells if c[0] <= cx <= c[2] and c[1] <= cy <= c[3]), None)


def _meet_at_seal(left: OcrBox, right: OcrBox, seal_boxes: list[BBox]) -> bool:
    """Are ``left`` and ``right`` one row's two halves, the one ending where the other starts, inside a seal?"""
    lx0, ly0, lx1, ly1 = left.bbox
    rx0, ry0, rx1, ry1 = right.bbox
    h = min(ly1 - ly0, ry1 - ry0)
    same_row = min(ly1, ry1) - max(ly0, ry0) >= 0.5 * h
    touching = lx0 < rx0 and lx1 < rx1 and rx0 <= lx1 + 0.5 * h
    junction = (lx1 + rx0) / 2  # on the ring's edge (the seal's box is the ring's outer edge, give or take)
    return (
        same_row
        and touching
        and any(s[0] - 0.5 * h <= junction <= s[2] + 0.5 * h and s[1] < ly1 and ly0 < s[3] for s in seal_boxes)
    )


def _without_left_echo(box: OcrBox, read: OcrBox, boxes: list[OcrBox], reads: list[OcrBox]) -> OcrBox:
    """``read`` (``box`` read again leftward across the seal) less what the line on its left already read into the
    same gap: both were read across it, and the unit came out twice (`农牧科农牧科技职院`, `青海青海警官职业学院`).

    The left line's reading ends with the letters this one begins with; those stay with the left line. Each
    reading may see a letter under the seal the other missed, so the longest such overlap is cut. Without one,
    the line keeps what the detector read."""
    x0, y0, _, y1 = box.bbox
    for other, other_read in zip(boxes, reads, strict=True):
        if other is box or min(y1, other.bbox[3]) - max(y0, other.bbox[1]) < 0.5 * (y1 - y0):
            continue
        if other.bbox[2] > x0 or other_read.bbox[2] <= read.bbox[0]:
            continue  # not on its left, or not read into the same gap
        left, right = "".join(other_read.text.split()), "".join(read.text.split())
        k = next((n for n in range(min(len(left), len(right)), 0, -1) if left.endswith(right[:n])), 0)
        if not k:
            return box
        return replace(read, text=right[k:], bbox=(other_read.bbox[2], y0, read.bbox[2], y1))
    return read


MISSED_MIN_CONFIDENCE = 0.9  # a line found only by reading strips under the seal
_MISSED_MIN_CHARS = 4
# Of the seal's width, around its centre: inside the ring text. The narrow window keeps the ring's letters out;
# the wider one keeps a date's first digit that sits close to the ring (`6月12日`, read `月12日` in the narrow one),
# and is read for a date only: it cuts a longer line as well (`县科学技术协会` of 共和县科学技术协会).
_INSIDE = (0.5, 0.7)
_DATE = re.compile(r"(\d{2,4}\s*[年./-]\s*)?\d{1,2}\s*[月./-]\s*\d{1,2}\s*日?")
_PAST_SEAL = 1.0  # line heights past the seal's right side: the strip for a short line that ends under it
_SLANTED = 1.6  # line heights: a detected box this tall inside a seal follows the ring's curve


def lines_under_seals(
    grey: np.ndarray, boxes: list[OcrBox], seal_boxes: list[BBox], recognise: Recognise, rings: list[str]
) -> list[OcrBox]:
    """Text lines under a seal that the detector did not return, read as strips across the seal.

    ``rings``: the seals' own ring text as read: a strip through the ring reads pieces of it (`学院科`), which are
    the seal's words, not a line of the form."""
    lh = _line_height(boxes)
    if not seal_boxes or lh is None:
        return []
    right_margin = max(b.bbox[2] for b in boxes)
    found: list[OcrBox] = []
    for sx0, sy0, sx1, sy1 in seal_boxes:
        candidates = []
        seal = (sx0, sy0, sx1, sy1)
        form_lines = [b for b in boxes if not (_ring_letters(b, seal) or _rows_run_together(b, seal, lh))]
        y = sy0
        while y + lh <= sy1 + 0.5 * lh:
            y0, y1 = y, y + 1.1 * lh
            y += 0.5 * lh
            if any(_overlap(y0, y1, b) > 0.3 * lh and b.bbox[0] < sx1 and b.bbox[2] > sx0 for b in form_lines + found):
                continue  # a line was detected there
            # from the left margin of the lines around (a label outside the seal is part of the line) to past it
            near = [b.bbox[0] for b in boxes if abs(b.bbox[1] - y0) < 4 * lh and b.bbox[0] < sx0]
            x0, x1 = max(0.0, min([sx0 - 2 * lh, *near])), min(float(grey.shape[1]), max(sx1 + 4 * lh, right_margin))
            for b in boxes:  # but not into a line detected beside it
                if _overlap(y0, y1, b) > 0.3 * lh:
                    if b.bbox[2] <= sx0:
                        x0 = max(x0, b.bbox[2] + 2)
                    elif b.bbox[0] >= sx1:
                        x1 = min(x1, b.bbox[0] - 2)
            # the whole width, and the seal's inside alone (a short line under the star, between the ring's sides)
            centre, half = (sx0 + sx1) / 2, (sx1 - sx0) / 2
            # (left, right, centred, dates only)
            windows = [(x0, x1, False, False)]
            if x1 > sx1 + _PAST_SEAL * lh:  # a long blank tail after a short line muddles the recogniser
                windows.append((x0, sx1 + _PAST_SEAL * lh, False, False))  # `填报单：城院` for 填报单位：城市职院
            windows += [(max(x0, centre - k * half), min(x1, centre + k * half), True, k > _INSIDE[0]) for k in _INSIDE]
            for a, b, centred, dates_only in windows:
                text, score = recognise(grey[int(y0) : int(y1), int(a) : int(b)])
                text = text.strip()
                if dates_only and not _DATE.fullmatch(text):
                    continue  # the wider window is for a date; a name it cuts (`县科学技术协会` of 共和县…) is no line
                if score >= MISSED_MIN_CONFIDENCE and len(text) >= _MISSED_MIN_CHARS and not _of_ring(text, rings):
                    # the line's own width, not the strip's (a line that seems to reach the margin is joined to the
                    # next as a soft wrap): from the strip's left, or around the seal's centre
                    width = min(
                        b - a, sum(lh if unicodedata.east_asian_width(ch) in "WF" else 0.55 * lh for ch in text)
                    )
                    left = (a + b - width) / 2 if centred else a
                    candidates.append(OcrBox(text=text, bbox=(left, y0, left + width, y1), confidence=score))
        # overlapping strips: the longest sure reading (a narrower strip may be surer of part of the line)
        for box in sorted(candidates, key=lambda b: (-len(b.text), -b.confidence)):
            if all(_overlap(box.bbox[1], box.bbox[3], other) <= 0.3 * lh for other in found):
                found.append(box)
    return found


_RING_LETTERS = 2  # a "line" of at most this many letters wholly inside a seal is letters of its ring or its star
_UNSURE_TALL = 0.6  # the recogniser's score below which a two-line box across a seal is no reading of either line


def _rows_run_together(box: OcrBox, seal: BBox, line: float) -> bool:
    """A box two lines tall across the seal that the recogniser could not read (`合1008号` for `单位盖章：` over
    `报送时间：2021年5月8日`): the ring joined the lines into one box. Its rows are read as strips instead."""
    x0, y0, x1, y1 = box.bbox
    crosses = x0 < seal[2] and x1 > seal[0] and y0 < seal[3] and y1 > seal[1]
    return crosses and y1 - y0 >= _SLANTED * line and box.confidence < _UNSURE_TALL


def _ring_letters(box: OcrBox, seal: BBox) -> bool:
    """A letter or two the detector found inside the seal (`海` of its ring over `报送时间：…`): not a line of the form,
    so the line it sits on is still read across the seal."""
    x0, y0, x1, y1 = box.bbox
    inside = seal[0] <= x0 and x1 <= seal[2] and seal[1] <= y0 and y1 <= seal[3]
    return inside and len(box.text.strip()) <= _RING_LETTERS


def without_ring_letters_on(boxes: list[OcrBox], lines: list[OcrBox], seal_boxes: list[BBox]) -> list[OcrBox]:
    """``boxes`` less the ring letters (see _ring_letters) that sit on one of ``lines`` read across a seal: they are
    the seal's, and would be joined to the line's text (`报送时间：2021年05月08日海`). So go the unread two-line boxes
    (see _rows_run_together) whose rows were read: the lines read there replace them."""
    lh = _line_height(boxes) or 0.0

    def on_a_line(box: OcrBox) -> bool:  # each line is read across the whole seal: its row is enough
        height = box.bbox[3] - box.bbox[1]
        return any(
            _overlap(line.bbox[1], line.bbox[3], box) > 0.5 * min(height, line.bbox[3] - line.bbox[1]) for line in lines
        )

    def seal_clutter(box: OcrBox) -> bool:
        return any(_ring_letters(box, s) or _rows_run_together(box, s, lh) for s in seal_boxes)

    return [b for b in boxes if not (seal_clutter(b) and on_a_line(b))]


_RING_BAND = 0.55  # of the seal's radius: a box centred this far out lies on the ring's letters, not under the star


def without_ring_pieces(boxes: list[OcrBox], seal_boxes: list[BBox], rings: list[str]) -> list[OcrBox]:
    """``boxes`` less the seal's own ring text where the detector read a piece of it inside the seal.

    A piece of the ring runs along the curve, so its box is much taller than a line. Along the ring's flat top or
    bottom a piece reads as a level line (`仑学院科` over `填报单位：昆仑学院`), but it lies wholly inside the seal and
    out on the ring. A line of the form under the seal (often the unit's name, the same words as the ring) is a
    line's height and crosses the seal's middle or its edge, and stays."""
    line = _line_height(boxes)
    if line is None or not seal_boxes:
        return boxes

    def ring_piece(box: OcrBox) -> bool:
        cx, cy = (box.bbox[0] + box.bbox[2]) / 2, (box.bbox[1] + box.bbox[3]) / 2
        seal = next((s for s in seal_boxes if s[0] <= cx <= s[2] and s[1] <= cy <= s[3]), None)
        if seal is None or len("".join(box.text.split())) < 2 or not _of_ring(box.text, rings):
            return False
        return box.bbox[3] - box.bbox[1] >= _SLANTED * line or _out_on_ring(box, seal)

    return [box for box in boxes if not ring_piece(box)]


def _out_on_ring(box: OcrBox, seal: BBox) -> bool:
    """Does ``box`` lie wholly inside the seal, its centre out on the ring rather than near the star?"""
    x0, y0, x1, y1 = box.bbox
    if not (seal[0] <= x0 and x1 <= seal[2] and seal[1] <= y0 and y1 <= seal[3]):
        return False
    radius = min(seal[2] - seal[0], seal[3] - seal[1]) / 2
    dx, dy = (x0 + x1 - seal[0] - seal[2]) / 2, (y0 + y1 - seal[1] - seal[3]) / 2
    return (dx * dx + dy * dy) ** 0.5 >= _RING_BAND * radius


def _of_ring(text: str, rings: list[str]) -> bool:
    """Are most of ``text``'s characters, in order, the ring's, from one stretch of it? A strip crossing the ring
    reads a run of its letters (`技术字院科`); the unit's own short name under the seal shares letters with the
    ring, but scattered along it (`城市职院` in 西宁城职业技术学院…)."""
    squashed = "".join(text.split())
    if not squashed:
        return False
    for ring in rings:
        blocks = [m for m in SequenceMatcher(None, squashed, ring, autojunk=False).get_matching_blocks() if m.size]
        if sum(m.size for m in blocks) < 0.6 * len(squashed):
            continue
        stretch = blocks[-1].b + blocks[-1].size - blocks[0].b
        if stretch <= len(squashed) + 1:
            return True
    return False


def _overlap(y0: float, y1: float, box: OcrBox) -> float:
    return min(y1, box.bbox[3]) - max(y0, box.bbox[1])


def _strip_across(
    box: OcrBox, boxes: list[OcrBox], seal_boxes: list[BBox], cells: list[BBox], width: int
) -> tuple[float, float] | None:
    """The x-range to read for ``box`` (None when no seal cuts it short)."""
    x0, y0, x1, y1 = box.bbox
    h = y1 - y0
    if h <= 0 or not box.text.strip():
        return None
    lo, hi = _limits(box, boxes, cells, width)
    new_x0, new_x1 = x0, x1
    for sx0, sy0, sx1, sy1 in seal_boxes:
        if min(y1, sy1) - max(y0, sy0) < 0.5 * h:  # the seal does not cross this line
            continue
        if sx0 - 0.5 * h < x0 <= sx1 + h:  # the line starts inside the seal (its ring's edge counts) or just after
            new_x0 = min(new_x0, max(lo, sx0 - 0.5 * h))
        if sx0 - h <= x1 < sx1:  # the line ends inside the seal or just before it
            new_x1 = max(new_x1, min(hi, sx1 + 0.5 * h))
    if new_x1 - new_x0 < (x1 - x0) + 0.5 * h:  # nothing worth a second reading
        return None
    return new_x0, new_x1


def _limits(box: OcrBox, boxes: list[OcrBox], cells: list[BBox], width: int) -> tuple[float, float]:
    """How far a strip may reach: the line's cell, and the next lines on its row."""
    x0, y0, x1, y1 = box.bbox
    h = y1 - y0
    lo, hi = 0.0, float(width)
    cell = _cell_of(box, cells)
    if cell is not None:
        lo, hi = cell[0] + 2, cell[2] - 2
    for other in boxes:
        if other is box or min(y1, other.bbox[3]) - max(y0, other.bbox[1]) < 0.5 * h:
            continue
        ox0, _, ox1, _ = other.bbox
        # A neighbour that overlaps this line's box still bounds it: read past it and its text comes out twice
        # (`报送时间：` read on across the seal into `2021.5.9`, beside the detector's own `2021.5.9`).
        if ox1 <= x0 + 0.5 * h or (ox0 < x0 and ox1 < x1):
            lo = max(lo, ox1 + 2)
        elif ox0 >= x1 - 0.5 * h or (ox0 > x0 and ox1 > x1):
            hi = min(hi, ox0 - 2)
    return lo, hi


def _reread(box: OcrBox, strip: tuple[float, float], grey: np.ndarray, recognise: Recognise) -> OcrBox:
    x0, y0, x1, y1 = box.bbox
    pad = _PAD * (y1 - y0)
    top, bottom = max(0, int(y0 - pad)), min(grey.shape[0], int(y1 + pad + 1))
    left, right = max(0, int(strip[0])), min(grey.shape[1], int(strip[1] + 1))
    if right - left < 2 or bottom - top < 2:
        return box
    text, score = recognise(grey[top:bottom, left:right])
    if not _holds(text, box.text) or score < MIN_CONFIDENCE:
        return box
    if _date_lengthened(box.text, text):
        return box  # the ring beyond a whole date read as a letter more (`2021/06/104`, `通2021/06/114`)
    # Character positions come from the new strip's width (char_pieces estimates them); the quad is dropped so
    # that skew is judged from the lines as detected.
    return replace(box, text=text, bbox=(float(left), y0, float(right), y1), confidence=score, spans=[], quad=None)


_WHOLE_DATE = re.compile(r"\d{4}\s*[年./-]\s*\d{1,2}\s*[月./-]\s*\d{1,2}(?!\d)")


def _date_lengthened(first: str, longer: str) -> bool:
    """Does ``first`` hold a whole date (year, month and day) where ``longer`` holds none: run on into a digit?"""
    return _WHOLE_DATE.search(first) is not None and _WHOLE_DATE.search(longer) is None


def _holds(longer: str, first: str) -> bool:
    """Does ``longer`` add characters to ``first`` while keeping nearly all of it, in order?"""
    a, b = "".join(first.split()), "".join(longer.split())
    if len(b) <= len(a):
        return False
    # in order, not as matching blocks: `220` (the digits the ring left of `2021年05月07日`) shares the block `20`
    # with it and then nothing, though all three digits are there in order
    return LCSseq.similarity(a, b) >= KEEP_SHARE * len(a)


def _ring_before(box: OcrBox, read: OcrBox, rings: list[str]) -> bool:
    """Did reading ``box`` again leftward only put a run of the ring's letters before its text?"""
    if read is box or read.bbox[0] >= box.bbox[0]:
        return False
    a, b = "".join(box.text.split()), "".join(read.text.split())
    first = SequenceMatcher(None, a, b, autojunk=False).get_matching_blocks()[0]
    return first.size > 0 and _of_ring(b[: first.b], rings)
