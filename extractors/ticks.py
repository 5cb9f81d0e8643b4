"""Decide tick marks from pixels, and write the decision into the OCR text.

OCR drops or invents check marks (a tick under a seal was lost by every engine in
the probe), so for each option written as ``团结引领（ ）`` / ``□团结引领`` the
pixels inside the parentheses or box decide, and the text is rewritten:
``（√）`` ticked, ``（ ）`` empty, ``（�）`` undecidable; a drawn box becomes
``☑`` / ``☐`` / ``�`` (the document model's convention).
Works on the grey page after seal removal, so red seal strokes are not ink.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

import cv2
import numpy as np

from .bracket_marks import State, bracket_state, clip_rect, ink_below, ink_blobs
from .dropped_checks import restore_dropped_checks
from .model import TICKED, UNDECIDED, UNTICKED, BBox
from .ocr import OcrBox
from .pen_boxes import Square, pen_ticked_boxes
from .pen_checks import CHECK_SPANS, line_is_check

# What OCR makes of a tick or cross inside brackets; digits and CJK letters mean numbering ("（一）", "(1)").
_MARKS = "√✓✔✗✘×xXvVJjyY/\\丿レ〆■●◆★☑☒✅"
_BRACKET = re.compile(r"[（(]([^（()）]{0,2})(?:[）)]|$)")
# Box glyphs OCR may return for a drawn checkbox; "口" only where a box can stand (see _box_position_ok).
_BOX_GLYPHS = {"□": None, "☐": None, "▢": None, "◻": None, "☑": True, "☒": True, "■": True, "口": None}

# Letters whose outline is a square, so a blob of that shape at their place is the letter itself.
_BOXY_LETTERS = set("口囗回国图团园圆围固困因四西田日目曰自百白亘国區图圖囚同周向问间网用司内冈门阅闻闭闲")

BOX_INK_LEVEL = 170
_MIN_HOLE = 0.38  # enclosed share: ☐ ~0.6–0.8, ☒ ~0.4, letters that are not in _BOXY_LETTERS lower


Piece = tuple[str, float, float]  # one character and its pixel x-range


def char_pieces(box: OcrBox) -> list[Piece]:
    """Each character of the line with an x-range: from the OCR's spans, else estimated by width."""
    x0, _, x1, _ = box.bbox
    text = box.text
    if box.spans and "".join(s[0] for s in box.spans) == text:
        pieces: list[Piece] = []
        for i, (piece, _, _) in enumerate(box.spans):
            a, b = box.span_x(i)
            step = (b - a) / max(1, len(piece))
            pieces.extend((ch, a + k * step, a + (k + 1) * step) for k, ch in enumerate(piece))
        return pieces
    # Full-width characters are about twice as wide as half-width ones.
    weights = [1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.55 for ch in text]
    total = sum(weights) or 1.0
    pieces, pos = [], float(x0)
    for ch, wgt in zip(text, weights, strict=True):
        width = (x1 - x0) * wgt / total
        pieces.append((ch, pos, pos + width))
        pos += width
    return pieces


def with_pieces(box: OcrBox, pieces: list[Piece]) -> OcrBox:
    """The line with its text (and spans) rebuilt from ``pieces``; the box grows to hold a piece past its end
    (a closing bracket the OCR did not read, found on the page: squeezed into the box, its place was lost and
    the check inside looked like one dropped after it)."""
    x0, y0, x1, y1 = box.bbox
    if pieces:
        x0, x1 = min(x0, min(a for _, a, _ in pieces)), max(x1, max(b for _, _, b in pieces))
    width = max(1.0, x1 - x0)
    spans = [(ch, max(0.0, (a - x0) / width), min(1.0, (b - x0) / width)) for ch, a, b in pieces]
    return replace(box, text="".join(ch for ch, _, _ in pieces), bbox=(x0, y0, x1, y1), spans=spans)


def _box_ink(grey: np.ndarray) -> np.ndarray:
    """Ink for drawn boxes: their strokes are thin and come out light after blur and JPEG, so a
    lighter threshold, and 1-pixel breaks closed so the outline stays a closed ring."""
    return cv2.morphologyEx(ink_below(grey, BOX_INK_LEVEL), cv2.MORPH_CLOSE, np.ones((2, 2), np.uint8))


def box_state(grey: np.ndarray, square: tuple[int, int, int, int]) -> State:
    """Ticked / empty for a drawn checkbox whose outline is ``square`` (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = clip_rect(square, grey.shape)
    w, h = x1 - x0, y1 - y0
    if w < 6 or h < 6:
        return "unsure"
    inset_x, inset_y = max(2, int(0.22 * w)), max(2, int(0.22 * h))
    inner = ink_below(grey[y0 + inset_y : y1 - inset_y, x0 + inset_x : x1 - inset_x], BOX_INK_LEVEL)
    ratio = float(inner.mean()) if inner.size else 0.0
    if ratio >= 0.08:
        return "ticked"
    if ratio <= 0.02:
        return "empty"
    return "unsure"


def rewrite_ticks(
    box: OcrBox,
    grey: np.ndarray,
    cell: BBox | None = None,
    recognise=None,
    squares: list[Square] | None = None,
    pen_checks: bool = True,
    next_text_x: float | None = None,
) -> OcrBox:
    """The line with every option's mark decided from pixels (brackets and drawn boxes).

    ``cell``: the table cell the line sits in (a bracket search must not run into the next
    cell or onto its ruling lines). ``recognise(crop) -> (text, confidence)``: re-reads pieces
    of a line whose box glyphs the OCR dropped, so the marks land between the right words.
    ``squares``: page_squares() of the page, when the caller found them once for all lines.
    ``pen_checks``: may a pen's check the OCR did not read as one be found here (see page_has_options)?
    ``next_text_x``: where the next OCR line on the same text line starts (a closing bracket the OCR did not
    read lies before it).
    """
    if pen_checks and _short_junk(box.text) and line_is_check(grey, box.bbox):
        # A pen check with its brackets read as one letter (`S`, `小`): the mark is what the line says.
        return replace(box, text="（√）", spans=CHECK_SPANS)
    y0, y1 = box.bbox[1], box.bbox[3]
    if cell is not None and min(y1, cell[3]) - max(y0, cell[1]) >= 0.6 * (y1 - y0):
        y0, y1 = max(y0, cell[1]), min(y1, cell[3])  # keep the cell's ruling lines out of the brackets
    limit = float(cell[2]) if cell is not None else float(grey.shape[1])
    box = _rewrite_brackets(box, grey, limit, (y0, y1), next_text_x)
    if pen_checks:
        pieces = char_pieces(box)
        restored = restore_dropped_checks(box, pieces, grey, (y0, y1))
        if restored != pieces:
            box = with_pieces(box, restored)
    return _rewrite_boxes(box, grey, recognise, squares)


_OPTION_SIGNS = re.compile(r"[√✓☐☑□■]|[（(]\s*[）)]")


def page_has_options(texts: list[str]) -> bool:
    """Does the page offer options to tick (a `√` in its instructions, a box, empty brackets)? Only there is
    a stroke the OCR did not read a pen's check: on a page without options (a liaison table under a dithered
    fax seal) a ring's piece or a letter is not made one."""
    return any(_OPTION_SIGNS.search(text) for text in texts)


def _short_junk(text: str) -> bool:
    """A line of one or two letters, none of them a box (what OCR makes of a lone drawn mark), in brackets, beside
    one of them or not (`S`, `(小)`, `3)`)."""
    letters = text.strip()
    if len(letters) == 3 and letters[0] in "（(" and letters[2] in "）)":
        letters = letters[1]
    elif len(letters) == 2 and (letters[0] in "（(" or letters[1] in "）)"):
        letters = letters.strip("（()）")  # `3)`: the check and one bracket read as a letter
    return 0 < len(letters) <= 2 and not any(ch in "（()）" or ch in _BOX_GLYPHS for ch in letters)


def _rewrite_brackets(
    box: OcrBox, grey: np.ndarray, right_limit: float, band: tuple[float, float], next_text_x: float | None = None
) -> OcrBox:
    matches = [m for m in _BRACKET.finditer(box.text) if _is_option(box.text, m)]
    if not matches:
        return box
    # On a line of options, a bracket left open right before the next option's words lost its mark and its
    # closing bracket to the OCR (`科技工作者（海外同行（）`): it is looked at up to those words.
    matches += [m for m in _OPEN_BEFORE_WORDS.finditer(box.text) if _left_open(box.text, m.start())]
    matches.sort(key=lambda m: m.start())
    pieces = char_pieces(box)
    y0, y1 = band
    line_h = y1 - y0
    out: list[Piece] = []
    cursor = 0
    for m in matches:
        out.extend(pieces[cursor : m.start()])
        opening = pieces[m.start()]
        closed = box.text[m.end() - 1] in "）)"
        limit = right_limit
        if closed:
            closing = pieces[m.end() - 1]
            close_x = (closing[1] + closing[2]) / 2
        else:  # the closing bracket was not read: look up to ~2 characters further on, short of the next words
            words_x = pieces[m.end()][1] if m.end() < len(pieces) else next_text_x
            limit = min(right_limit, words_x) if words_x is not None and words_x > opening[2] else limit
            close_x = min(opening[2] + 2.0 * line_h, limit - 0.2 * line_h)
        open_x = (opening[1] + opening[2]) / 2
        region = (open_x - 0.6 * line_h, y0, min(close_x + 2.5 * line_h, limit), y1)
        state = bracket_state(grey, region, open_x, close_x, closed)
        if state == "words":  # the OCR lost the words inside: keep what it read
            out.extend(pieces[m.start() : m.end()])
            cursor = m.end()
            continue
        content = m.group(1).strip()
        if state == "unsure" and content and all(ch in _MARKS for ch in content):
            state = "ticked"  # pixels unclear, but the OCR saw a mark
        mark = {"ticked": "√", "empty": " ", "unsure": UNDECIDED}[state]
        mid_a, mid_b = opening[2], max(opening[2] + 1, (close_x + opening[2]) / 2)
        out.append(("（", opening[1], opening[2]))
        out.append((mark, mid_a, mid_b))
        out.append(("）", mid_b, max(mid_b + 1, close_x + 0.3 * line_h)))
        cursor = m.end()
    out.extend(pieces[cursor:])
    return with_pieces(box, out)


# The empty group stands for the bracket's (lost) content, as group 1 of a _BRACKET match does.
_OPEN_BEFORE_WORDS = re.compile(r"[（(]()(?=[\u4e00-\u9fff])")


def _left_open(text: str, at: int) -> bool:
    """Is the bracket at ``at`` never closed: no closing bracket before the next opening one (or the line's end)?
    `（盖章）`, `（一）` are closed."""
    rest = re.split(r"[（(]", text[at + 1 :], maxsplit=1)[0]
    return not any(ch in "）)" for ch in rest)


def _is_option(text: str, m: re.Match) -> bool:
    """Brackets that hold a mark or nothing — not numbering "（一）", "(1)" or a note "(盖章)".

    A bracket alone on its line counts too: narrow cells wrap "团结引领" / "（√）".
    """
    content = m.group(1).strip()
    return all(ch in _MARKS for ch in content)


def _rewrite_boxes(box: OcrBox, grey: np.ndarray, recognise=None, page_squares_: list[Square] | None = None) -> OcrBox:
    """Drawn checkboxes on the line: replace the glyph OCR read, or put back the one it dropped."""
    x0, y0, x1, y1 = box.bbox
    if y1 - y0 < 8:
        return box
    squares = _squares(grey, box, page_squares_)
    if not squares:
        return box
    pieces = char_pieces(box)
    found: list[tuple[tuple[int, int, int, int, bool], int | None]] = []  # (square, piece it replaces)
    any_dropped = False
    for square in squares:
        centre, width = (square[0] + square[2]) / 2, square[2] - square[0]
        near = min(range(len(pieces)), key=lambda i: abs(sum(pieces[i][1:]) / 2 - centre), default=None)
        if near is not None and abs(sum(pieces[near][1:]) / 2 - centre) < 0.5 * width:
            ch = pieces[near][0]
            if ch.isspace():
                any_dropped = True  # OCR read the box as a gap
                found.append((square, near))
            elif ch in _BOX_GLYPHS and _box_position_ok(pieces, near):
                found.append((square, near))
            elif ch not in _BOXY_LETTERS:
                any_dropped = True  # the OCR's positions are off: the box sits next to this letter
                found.append((square, None))
            # else: a letter such as 国 or 回 that merely looks boxed
        else:
            any_dropped = True
            found.append((square, None))
    if not found:
        return box
    marks = [(sq, _glyph(grey, sq)) for sq, _ in found]
    confidence = box.confidence
    reread = None
    if any_dropped and recognise is not None:
        # Where a box was dropped the OCR's character positions are unreliable, so re-read the
        # stretches between the boxes and put each mark exactly between them — but only if the
        # re-read words are the line's words: cutting through a letter (the 口 in 织) changes them.
        reread = _reread(box, grey, [sq for sq, _ in found], recognise)
        if _letters(reread[0]) != _letters(char_pieces(box)):
            reread = None
            # Boxes at the line's very start or end need no positions inside it (`☑建家办事`).
            found = [(sq, _END if near is None and _at_end(sq, pieces) else near) for sq, near in found]
            found_marks = [(f, m) for f, m in zip(found, marks, strict=True) if f[1] is not None]
            found, marks = [f for f, _ in found_marks], [m for _, m in found_marks]
            if not found:
                return box
    if reread is not None:
        pieces, confidence = reread
        pieces += [(g, float(sq[0]), float(sq[2])) for sq, g in marks]
    else:
        for (sq, near), (_, g) in zip(found, marks, strict=True):
            if near == _END:
                pieces.append((g, float(sq[0]), float(sq[2])))
            elif near is not None:
                pieces[near] = (g, pieces[near][1], pieces[near][2])
            else:
                pieces.append((g, float(sq[0]), float(sq[2])))
    pieces.sort(key=lambda p: p[1])
    spaced: list[Piece] = []
    for ch, a, b in pieces:  # a box stands apart from the labels around it, as in the Word text
        is_mark = ch in (TICKED, UNTICKED, UNDECIDED)
        if spaced and not ch.isspace() and not spaced[-1][0].isspace():
            if is_mark or spaced[-1][0] in (TICKED, UNTICKED, UNDECIDED):
                spaced.append((" ", a, a))
        spaced.append((ch, a, b))
    while spaced and spaced[-1][0].isspace():
        spaced.pop()
    new_x0 = min(x0, spaced[0][1]) if spaced else x0
    return replace(with_pieces(replace(box, bbox=(new_x0, y0, x1, y1)), spaced), confidence=confidence)


_END = -1  # a box placed at an end of its line, not over one of its characters


def _at_end(square: Square, pieces: list[Piece]) -> bool:
    """Does the box stand at the line's start or end (its centre on the first or last character's outer half)?"""
    if not pieces:
        return False
    centre = (square[0] + square[2]) / 2
    first, last = pieces[0], pieces[-1]
    return centre <= (first[1] + first[2]) / 2 or centre >= (last[1] + last[2]) / 2


def _letters(pieces: list[Piece]) -> str:
    """The words of a line without spaces, box glyphs and bracket width differences."""
    text = "".join(ch for ch, _, _ in pieces if not ch.isspace() and ch not in _BOX_GLYPHS)
    return text.replace("(", "（").replace(")", "）")


def page_squares(grey: np.ndarray, min_h: float, max_h: float, avoid: list[BBox] | None = None) -> list[Square]:
    """Every checkbox-like square outline on the page, min_h–max_h pixels high.

    A box ticked with a pen is one blob with the stroke that crosses it, no longer square; its
    straight sides alone (the ink kept by opening with a horizontal and a vertical line) show it.
    ``avoid``: regions (seals left on a grey page) whose strokes may draw such sides too.
    """
    ink = _box_ink(grey)
    squares = _squares_in(ink, min_h, max_h)
    return squares + pen_ticked_boxes(ink, squares, min_h, avoid or [])


def _squares_in(ink: np.ndarray, min_h: float, max_h: float) -> list[Square]:
    squares = []
    for x, y, w, h, area in ink_blobs(ink, 12):
        if not (min_h <= h <= max_h and 0.75 <= w / max(h, 1) <= 1.33):
            continue
        patch = ink[y : y + h, x : x + w]
        filled = area > 0.85 * w * h
        if filled or (_has_outline(patch) and _hole_share(patch) >= _MIN_HOLE):
            squares.append((x, y, x + w, y + h, filled))
    return squares


def orphan_boxes(grey: np.ndarray, cells: list[BBox], squares: list[Square], lines: list[OcrBox]) -> list[OcrBox]:
    """Checkboxes inside table cells that no OCR line covers: the detector skips a box glyph
    standing alone on its line (a narrow cell wraps "开放合作" / "☐")."""
    found: list[OcrBox] = []
    for square in squares:
        x0, y0, x1, y1, _ = square
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if not any(c[0] <= x0 and x1 <= c[2] and c[1] <= y0 and y1 <= c[3] for c in cells):
            continue
        if any(
            b.bbox[0] - 1.2 * (b.bbox[3] - b.bbox[1]) <= cx <= b.bbox[2] and b.bbox[1] <= cy <= b.bbox[3] for b in lines
        ):
            continue  # near an OCR line: the line's own rewrite handles it
        glyph = _glyph(grey, square)
        found.append(OcrBox(glyph, (float(x0), float(y0), float(x1), float(y1)), 0.9, spans=[(glyph, 0.0, 1.0)]))
    return found


def _glyph(grey: np.ndarray, square: Square) -> str:
    state = "ticked" if square[4] else box_state(grey, square[:4])
    return {"ticked": TICKED, "empty": UNTICKED, "unsure": UNDECIDED}[state]


def _squares(grey: np.ndarray, box: OcrBox, page: list[Square] | None = None) -> list[Square]:
    """Square outlines (checkboxes) on the line: from the page's list when given, else found here."""
    x0, y0, x1, y1 = box.bbox
    line_h = y1 - y0
    # The detector sometimes leaves a lone box glyph outside the line: look a little to the left.
    ox = int(max(0, x0 - 1.2 * line_h))
    oy = int(max(0, y0 - 0.15 * line_h))
    ex, ey = int(x1), int(y1 + 0.15 * line_h)
    if page is None:
        crop = grey[oy:ey, ox:ex]
        if crop.size == 0:
            return []
        page = [(a + ox, b + oy, c + ox, d + oy, f) for a, b, c, d, f in page_squares(crop, 0.4 * line_h, 1.2 * line_h)]
    return [
        sq
        for sq in page
        if ox <= sq[0]
        and sq[2] <= ex
        and oy <= sq[1]
        and sq[3] <= ey
        and 0.3 * line_h <= sq[3] - sq[1] <= 1.2 * line_h  # a pen tick can make the line box tall
    ]


def _reread(box: OcrBox, grey: np.ndarray, squares, recognise) -> tuple[list[Piece], float]:
    x0, y0, x1, y1 = (int(round(v)) for v in box.bbox)
    cuts = sorted((sq[0], sq[2]) for sq in squares)
    stretches, start = [], x0
    for a, b in cuts:
        stretches.append((start, a - 1))
        start = b + 1
    stretches.append((start, x1))
    pieces: list[Piece] = []
    confidence = box.confidence
    for a, b in stretches:
        if b - a < 0.5 * (y1 - y0):
            continue
        crop = cv2.copyMakeBorder(grey[y0:y1, a:b], 4, 4, 6, 6, cv2.BORDER_CONSTANT, value=255)
        text, conf = recognise(crop)
        text = text.strip()
        if not text:
            continue
        confidence = min(confidence, conf)
        step = (b - a) / len(text)
        pieces.extend((ch, a + k * step, a + (k + 1) * step) for k, ch in enumerate(text))
        pieces.append((" ", float(b), float(b)))
    return pieces, confidence


def _hole_share(ink: np.ndarray) -> float:
    """Share of an ink patch (0/1) enclosed by ink: ~0.8 for ☐, ~0.6 for ☒/☑, low for letters like 面."""
    free = (1 - ink).astype(np.uint8)
    padded = cv2.copyMakeBorder(free, 1, 1, 1, 1, cv2.BORDER_CONSTANT, value=1)
    mask = np.zeros((padded.shape[0] + 2, padded.shape[1] + 2), np.uint8)
    cv2.floodFill(padded, mask, (0, 0), 0)  # clear everything reachable from outside
    return float(padded[1:-1, 1:-1].sum()) / max(1, ink.size)


def _has_outline(ink: np.ndarray) -> bool:
    """A checkbox is a square outline: ink (0/1 patch) along all four sides."""
    h, w = ink.shape
    if h < 6 or w < 6:
        return False
    band_h, band_w = max(1, h // 6), max(1, w // 6)
    sides = [
        ink[:band_h].any(axis=0).mean(),
        ink[-band_h:].any(axis=0).mean(),
        ink[:, :band_w].any(axis=1).mean(),
        ink[:, -band_w:].any(axis=1).mean(),
    ]
    return min(sides) >= 0.8


def _box_position_ok(pieces: list[Piece], i: int) -> bool:
    """The glyph "口" is a box only where a box can stand: line start, or after a space, bracket or another box."""
    ch = pieces[i][0]
    if ch != "口":
        return True
    if i == 0:
        return True
    prev = pieces[i - 1][0]
    return prev.isspace() or prev in "）)：:，,；;" or prev in _BOX_GLYPHS or prev in (TICKED, UNTICKED)
