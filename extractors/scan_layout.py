"""Page layout for scans: OCR lines → tables (cells from the ruling-line grid) and paragraphs.

Each OCR character goes to the cell its centre falls in (a line the detector drew across a
ruling line is cut there); lines outside tables become paragraphs, with soft-wrapped
running text joined again. Also puts back the spaces OCR drops between Chinese words
("众心向党 自立自强"), judged from the gap in the pixels.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from dataclasses import dataclass

import cv2
import numpy as np

from .grid import Grid
from .model import TICKED, UNDECIDED, UNTICKED, BBox, Block, Cell, Paragraph, Table
from .ocr import OcrBox
from .ocr_text import tidy
from .ticks import Piece, char_pieces, with_pieces


@dataclass
class _Frag:
    """A run of characters of one OCR line that falls in one place (a cell, or outside tables)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2


def layout(boxes: list[OcrBox], grids: list[Grid], page: int) -> list[Block]:
    """Tables (cells filled with the characters whose centre is inside) and paragraphs, top to bottom."""
    per_cell: dict[tuple[int, int], list[_Frag]] = {}
    loose: list[_Frag] = []
    header = [b.bbox for b in boxes if _FAX_HEADER.search(b.text) or _garbled_fax_header(b, boxes)]
    for box in boxes:
        if any(_same_row(box.bbox, h) for h in header):
            continue  # the fax machine's line, all its pieces (`中铝青海分公司` between time and page count)
        cy = (box.bbox[1] + box.bbox[3]) / 2
        grid_i = next((i for i, g in enumerate(grids) if _inside(g.bbox, (box.bbox[0] + box.bbox[2]) / 2, cy)), None)
        if grid_i is None:
            loose.append(_Frag(box.text, *box.bbox, box.confidence))
            continue
        for cell_i, frag in _split_by_cells(box, grids[grid_i]):
            if cell_i is None:
                loose.append(frag)
            else:
                per_cell.setdefault((grid_i, cell_i), []).append(frag)

    placed: list[tuple[float, Block]] = []
    for gi, grid in enumerate(grids):
        placed.append((grid.bbox[1], _table(grid, gi, per_cell, page)))
    for para in _paragraphs(loose, page):
        placed.append((para.bbox[1] if para.bbox else 0.0, para))
    placed.sort(key=lambda item: item[0])
    return [block for _, block in placed]


# The line a fax machine prints across each page: `2021-06-20 09:57 FROM：0971-8616234 亚洲硅业 P.001/002`.
# The detector may cut it in two: a line ending in the machine's page count (` P.001/001`) is part of it too.
_FAX_HEADER = re.compile(
    r"^\s*\d{2,4}[-/.]\d{1,2}[-/.]\d{1,2}\s+\d{1,2}:\d{2}.*(?:FROM|P\.?\s*\d{1,3}\s*/\s*\d{1,3}\s*$)"
    r"|(?<![A-Za-z0-9])P\.\s*\d{3}\s*/\s*\d{3}\s*$",  # not \b: a Chinese name before P is a word character too
    re.I,
)


# The same line read badly through the fax's noise (`200/00-:03: --002`): the page's top line, machine print only.
_MACHINE_PRINT = re.compile(r"[0-9A-Za-z:：/.\-\s]{10,}")


def _garbled_fax_header(box: OcrBox, boxes: list[OcrBox]) -> bool:
    """Is ``box`` the fax header read too badly for `_FAX_HEADER`: the page's topmost line, of digits, Latin letters
    and separators only (no form's line is: its first line is 附件 or the title)?"""
    if not _MACHINE_PRINT.fullmatch(box.text) or sum(c.isdigit() for c in box.text) < 6:
        return False
    return all(other.bbox[1] >= box.bbox[3] or _same_row(other.bbox, box.bbox) for other in boxes)


def _same_row(a: BBox, b: BBox) -> bool:
    """Do two lines' boxes share most of their height (pieces of one printed line)?"""
    overlap = min(a[3], b[3]) - max(a[1], b[1])
    return overlap >= 0.6 * min(a[3] - a[1], b[3] - b[1])


def _inside(bbox: BBox, x: float, y: float) -> bool:
    return bbox[0] <= x <= bbox[2] and bbox[1] <= y <= bbox[3]


def _split_by_cells(box: OcrBox, grid: Grid) -> list[tuple[int | None, _Frag]]:
    """Cut a line where it crosses ruling lines (the detector sometimes joins label and value)."""
    _, y0, _, y1 = box.bbox
    cy = (y0 + y1) / 2
    runs: list[tuple[int | None, list]] = []
    for ch, a, b in char_pieces(box):
        cell = grid.cell_at((a + b) / 2, cy)
        index = grid.cells.index(cell) if cell is not None else None
        if index is None and runs:
            index = runs[-1][0]  # a character on a ruling line stays with its neighbour
        if runs and runs[-1][0] == index:
            runs[-1][1].append((ch, a, b))
        else:
            runs.append((index, [(ch, a, b)]))
    frags = []
    for index, chars in runs:
        text = "".join(c for c, _, _ in chars).strip()
        if text:
            frags.append((index, _Frag(text, chars[0][1], y0, chars[-1][2], y1, box.confidence)))
    return frags


# "开放合作（" / "）" wrapped in a narrow cell: the tick rewrite closed the bracket already.
_STRAY_BRACKET = re.compile("(（[√ \ufffd]）)\\s*[）)]")


def _table(grid: Grid, gi: int, per_cell: dict, page: int) -> Table:
    rows: list[list[Cell]] = [[] for _ in range(grid.n_rows)]
    for ci, gc in enumerate(grid.cells):
        frags = per_cell.get((gi, ci), [])
        text = tidy(_STRAY_BRACKET.sub(r"\1", _join_lines(_lines(frags), right_edge=gc.bbox[2])))
        confidence = min((f.confidence for f in frags), default=1.0)
        cell = Cell(
            text=text,
            row=gc.row,
            col=gc.col,
            row_span=gc.row_span,
            col_span=gc.col_span,
            page=page,
            bbox=gc.bbox,
            confidence=round(confidence, 4),
        )
        rows[min(gc.row, grid.n_rows - 1)].append(cell)
    for row in rows:
        row.sort(key=lambda c: c.col)
    return Table(rows=rows, page=page, bbox=grid.bbox)


def _lines(frags: list[_Frag]) -> list[list[_Frag]]:
    """Group fragments into visual lines (vertical overlap), each sorted left to right."""
    lines: list[list[_Frag]] = []
    for frag in sorted(frags, key=lambda f: f.cy):
        if lines:
            last = lines[-1]
            top = statistics.median(f.y0 for f in last)
            bottom = statistics.median(f.y1 for f in last)
            overlap = min(bottom, frag.y1) - max(top, frag.y0)
            if overlap > 0.5 * min(bottom - top, frag.y1 - frag.y0):
                last.append(frag)
                continue
        lines.append([frag])
    return [sorted(line, key=lambda f: f.x0) for line in lines]


def _line_text(line: list[_Frag]) -> str:
    parts = [line[0].text]
    for prev, frag in zip(line, line[1:], strict=False):
        height = max(1.0, prev.y1 - prev.y0)
        parts.append((" " if frag.x0 - prev.x1 > 0.8 * height else "") + frag.text)
    return "".join(parts)


def _join_lines(lines: list[list[_Frag]], right_edge: float) -> str:
    """Lines of one cell: a line that runs to the cell's right edge wrapped softly, so no break."""
    out = ""
    for i, line in enumerate(lines):
        text = _line_text(line)
        if i:
            prev = lines[i - 1]
            height = max(1.0, prev[-1].y1 - prev[-1].y0)
            out += "" if right_edge - prev[-1].x1 < 1.6 * height else "\n"
        out += text
    return out


def _paragraphs(frags: list[_Frag], page: int) -> list[Paragraph]:
    """Text outside tables: one paragraph per line, soft-wrapped lines of running text merged."""
    lines = _lines(frags)
    if not lines:
        return []
    rights = sorted(line[-1].x1 for line in lines)
    lefts = sorted(line[0].x0 for line in lines)
    right_margin = rights[int(0.9 * (len(rights) - 1))]
    left_margin = lefts[int(0.1 * (len(lefts) - 1))]
    paras: list[Paragraph] = []
    prev_line = None
    for line in lines:
        text = _line_text(line)
        conf = min(f.confidence for f in line)
        bbox = (line[0].x0, min(f.y0 for f in line), line[-1].x1, max(f.y1 for f in line))
        wraps = prev_line is not None and _soft_wrap(prev_line, line, left_margin, right_margin)
        if wraps and paras:
            last = paras[-1]
            lb = last.bbox or bbox
            if _speck_stop(prev_line, right_margin):
                last.text = last.text[:-1]
            last.text += text
            last.bbox = (min(lb[0], bbox[0]), lb[1], max(lb[2], bbox[2]), bbox[3])
            last.confidence = round(min(last.confidence or 1.0, conf), 4)
        else:
            paras.append(Paragraph(text=text, page=page, bbox=bbox, confidence=round(conf, 4)))
        prev_line = line
    for para in paras:
        para.text = tidy(para.text)
    return paras


def _soft_wrap(prev: list[_Frag], line: list[_Frag], left_margin: float, right_margin: float) -> bool:
    """Does ``line`` continue running text from ``prev`` (wrapped by the layout, not a new paragraph)?

    Only for body text: the previous line runs to the right margin and starts flush or with
    the usual two-character indent, both lines have the same type size and follow closely,
    and the new line starts at the left margin. Titles (centred, bigger) and label：value
    lines (short) stay apart.
    """
    ph = statistics.median(f.y1 - f.y0 for f in prev)
    h = statistics.median(f.y1 - f.y0 for f in line)
    if min(h, ph) / max(h, ph, 1.0) < 0.6:
        return False
    close = min(f.y0 for f in line) - max(f.y1 for f in prev) < 1.0 * h
    # A centred title that wrapped: a first line spanning the text width, a centred remainder.
    centre = (left_margin + right_margin) / 2
    if (
        close
        and prev[0].x0 - left_margin < 2.5 * ph
        and right_margin - prev[-1].x1 < 2.5 * ph
        and abs((prev[0].x0 + prev[-1].x1) / 2 - centre) < ph
        and abs((line[0].x0 + line[-1].x1) / 2 - centre) < ph
        and line[-1].x1 - line[0].x0 < 0.6 * (prev[-1].x1 - prev[0].x0)
    ):
        return True
    indent = (prev[0].x0 - left_margin) / _em(prev, ph)  # in characters: a line box is taller than a glyph
    return (
        right_margin - prev[-1].x1 < 2.0 * ph
        and len("".join(f.text for f in prev).replace(" ", "")) >= _MIN_WRAPPED
        and (indent < 0.35 or _INDENT[0] < indent < _INDENT[1])
        and line[0].x0 - left_margin < 0.35 * h
        and close
        and (not prev[-1].text.rstrip().endswith(_ENDS_PARAGRAPH) or _speck_stop(prev, right_margin))
    )


def _speck_stop(line: list[_Frag], right_margin: float) -> bool:
    """Is the `。` ending this full line a speck past the text's right margin (`…分组深入生产一线，看望。` over
    `慰问长期扎根基层的…`)? A typed `。` stands in the last letter's place, its ink short of the margin."""
    ph = statistics.median(f.y1 - f.y0 for f in line)
    return line[-1].text.endswith("。") and line[-1].x1 > right_margin + _PAST_MARGIN * _em(line, ph)


# Letters in a line of running text that wrapped: on a page of few lines the margins come from the lines
# themselves, and a title (`…联络员回执表`, 9 letters) ending at the "margin" is no wrapped line: joined to the
# `填报单位：…` under it, the unit was lost.
_MIN_WRAPPED = 12

# A full line ending a sentence, followed by one at the margin, is a paragraph's end and a heading's start
# (`…坚定创新自信。` / `活动三：…`); a label line ends in a colon.
_ENDS_PARAGRAPH = ("。", "！", "？", "；", "：", ":")
# A paragraph's first line indented two characters, as measured: the line's box may start a little before its
# first letter or after it (`（一）举办…` on a fax measured 2.6).
_INDENT = (1.5, 3.0)
_PAST_MARGIN = 0.2  # of a letter's width: a line's last mark this far past the right margin lies outside the text


def _em(line: list[_Frag], fallback: float) -> float:
    """Width of one Chinese character in this line (half-width letters and digits count half)."""
    chars = sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for f in line for c in f.text)
    width = sum(f.x1 - f.x0 for f in line)
    return width / chars if chars >= 4 else fallback


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


_DOT_PX = 4  # a fax dithers the paper's grey into lone dots (a pixel or two, blurred a little by levelling)
_DITHERED = 1 / 1000  # lone dots per pixel of a line's band above which the page is a dithered fax
_PHRASE = 4  # ideographs on each side of a space typed in a title on a fax (`走进科学 感受创新`)
_NARROW = 0.6  # of the letters' height: a letter whose ink is narrower (卜, 川) has blanks of its own at its sides


_GLYPH_GAP = 2  # pixels: a blank this narrow inside a letter (between 忄 and 合 of 恰) parts no letters
_EDGE_PIECE = 0.25  # of a letter's place: ink at its edge no wider than this that runs on past it is the neighbour's


def _ink_width(inked: np.ndarray, piece: Piece, x0: int) -> float:
    """Width of the letter's ink inside its place on the line, less a sliver at either end of the place that runs on
    into the letter beside it (the OCR's places are coarse: 卜's took in the start of the 恰 after it)."""
    a, b = max(0, int(piece[1]) - x0), min(inked.shape[1], int(piece[2]) - x0)
    any_ink = inked.any(axis=0)
    cols = np.flatnonzero(any_ink[a:b]) + a if b > a else np.array([], dtype=int)
    if cols.size == 0:
        return 0.0
    runs = np.split(cols, np.flatnonzero(np.diff(cols) > _GLYPH_GAP + 1) + 1)
    sliver = _EDGE_PIECE * (b - a)
    if len(runs) > 1 and runs[-1][-1] - runs[-1][0] < sliver and any_ink[b : b + _GLYPH_GAP + 1].any():
        runs = runs[:-1]
    if len(runs) > 1 and runs[0][-1] - runs[0][0] < sliver and any_ink[max(0, a - _GLYPH_GAP - 1) : a].any():
        runs = runs[1:]
    return float(runs[-1][-1] - runs[0][0] + 1)


def _ideograph_run(pieces: list[Piece], start: int, step: int) -> int:
    """How many ideographs follow one another from ``start`` in direction ``step``."""
    n, i = 0, start
    while 0 <= i < len(pieces) and _ideograph(pieces[i][0]):
        n, i = n + 1, i + step
    return n


def _without_dither_dots(ink: np.ndarray) -> np.ndarray:
    """``ink`` less its lone dots when the band is full of them (a fax): they stand in the blank between two
    words, and the typed space in `“科技志愿服务 助力乡村振兴”` was never seen. On other scans nothing goes (a
    thin stroke's faint pieces are small too)."""
    n, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    dots = stats[:, cv2.CC_STAT_AREA] <= _DOT_PX
    dots[0] = False
    if dots.sum() < _DITHERED * ink.size:
        return ink
    return ink & ~dots[labels]


def restore_spaces(box: OcrBox, grey: np.ndarray) -> OcrBox:
    """Put back a space between two Chinese characters where the pixels show a word gap.

    Ordinary gaps between ideographs are under ~0.15 of the letters' height; a typed
    half-width space makes ~0.22+. Gaps next to digits, Latin or punctuation are left alone: the
    renderer adds those itself ("5月19日" prints with gaps but has no spaces). A thin
    light stroke (``一``, the top of ``下``) can vanish in a scan and fake a blank, so the gap must
    also be confirmed: a gap of 0.2 of the line box's height where the OCR's character positions
    (if any) stand further apart than the line's usual pitch (a space moves the next character
    along); or a gap of a quarter of the letters' own height (natural gaps reach ~0.23) up to a
    half-width space that is twice as wide as the gaps on the two characters' other sides
    (the OCR's positions are coarse, ~8 px; a narrow letter such as 日 has wide gaps on both its
    sides, and a vanished stroke leaves a letter-wide one).
    """
    x0, y0, x1, y1 = (int(round(v)) for v in box.bbox)
    h = y1 - y0
    if h < 8 or x1 - x0 < 2 * h:
        return box
    band = grey[y0 + h // 10 : y1 - h // 10, max(0, x0) : x1]
    if band.size == 0:
        return box
    # Any ink darker than the paper counts: thin strokes come out light grey (~150–170) in a scan.
    level = min(200.0, float(np.percentile(band, 90)) - 50.0)
    raw = band < level
    inked = _without_dither_dots(raw)
    dithered = inked is not raw
    letter_h = _letter_height(inked, h)
    runs = _blank_runs(~inked.any(axis=0), x0)
    if not any(width >= 0.2 * letter_h for _, width in runs):
        return box
    pieces = char_pieces(box)
    if any(ch in (TICKED, UNTICKED, UNDECIDED) for ch, _, _ in pieces) or len(pieces) < 2:
        return box  # gaps around drawn boxes are not word spaces; the tick rewrite spaced them
    pitch = _ideograph_pitch(box, pieces)
    gap_at: dict[int, float] = {}  # boundary i (between pieces i and i+1) → the widest blank run there
    for centre, width in runs:
        dist, i = min((abs((pieces[i][2] + pieces[i + 1][1]) / 2 - centre), i) for i in range(len(pieces) - 1))
        if dist < 0.45 * max(pieces[i][2] - pieces[i][1], 1):
            gap_at[i] = max(width, gap_at.get(i, 0.0))
    inserts = set()
    for i, width in gap_at.items():
        if width < 0.2 * letter_h or not (_ideograph(pieces[i][0]) and _ideograph(pieces[i + 1][0])):
            continue
        apart = (pieces[i + 1][1] + pieces[i + 1][2] - pieces[i][1] - pieces[i][2]) / 2
        moved = width >= 0.2 * h and (pitch is None or apart > 1.1 * pitch)
        beside = max(gap_at.get(i - 1, 0.0), gap_at.get(i + 1, 0.0))
        if dithered and min(_ideograph_run(pieces, i, -1), _ideograph_run(pieces, i + 1, 1)) < _PHRASE:
            continue  # on a fax the blanks beside a narrow letter (恰卜, 昆仑) open up with the dots gone
        if min(_ink_width(inked, pieces[k], x0) for k in (i, i + 1)) < _NARROW * letter_h:
            continue  # a narrow letter's own blank beside it (恰卜恰镇; on a fax, clear once the dots are gone)
        if moved or (0.25 * letter_h <= width <= 0.6 * letter_h and width >= 2 * beside):
            inserts.add(i)
    if not inserts:
        return box
    out: list[Piece] = []
    for i, piece in enumerate(pieces):
        out.append(piece)
        if i in inserts:
            out.append((" ", piece[2], pieces[i + 1][1]))
    return with_pieces(box, out)


def _letter_height(inked: np.ndarray, box_height: int) -> float:
    """The letters' own height: the detector's box has a margin that varies with the scan (46 px for letters
    of 29), and a word space is a share of the letters, not of the box."""
    rows = np.flatnonzero(inked.sum(axis=1) >= 0.01 * inked.shape[1])
    if rows.size == 0:
        return float(box_height)
    height = float(rows[-1] - rows[0] + 1)
    return height if height >= 0.4 * box_height else float(box_height)


def _blank_runs(blank: np.ndarray, x0: int) -> list[tuple[float, float]]:
    """(page x of the centre, width) of each run of ink-free columns between two inked ones."""
    runs, start = [], None
    for i, free in enumerate(blank):
        if free and start is None:
            start = i
        elif not free and start is not None:
            if start > 0:
                runs.append((x0 + (start + i) / 2, float(i - start)))
            start = None
    return runs


def _ideograph_pitch(box: OcrBox, pieces: list[Piece]) -> float | None:
    """Median distance between the centres of neighbouring Chinese characters, from the OCR's own
    character positions (None when it gave none, or too few pairs to say)."""
    if not box.spans or "".join(s[0] for s in box.spans) != box.text:
        return None
    steps = [
        (b[1] + b[2] - a[1] - a[2]) / 2
        for a, b in zip(pieces, pieces[1:], strict=False)
        if _ideograph(a[0]) and _ideograph(b[0])
    ]
    return statistics.median(steps) if len(steps) >= 3 else None


def restore_bracket_width(box: OcrBox, grey: np.ndarray) -> OcrBox:
    """Half-width "(" → "（" (and ")" → "）") where the pixels show a full-width bracket around Chinese text.

    OCR returns half-width brackets for full-width ones ("(线上)"); a full-width bracket draws its
    stroke at one side of a whole character cell, so the blank beside it (outside the bracket) is
    about half a character wide, against the usual letter gap for a half-width one.
    """
    if "(" not in box.text and ")" not in box.text:
        return box
    pieces = char_pieces(box)
    x0, y0, x1, y1 = (int(round(v)) for v in box.bbox)
    h = y1 - y0
    band = grey[y0 + h // 10 : y1 - h // 10, max(0, x0) : x1]
    if h < 8 or band.size == 0:
        return box
    ink = band < 140
    cols = ink.any(axis=0)
    changed = False
    for i, (ch, a, b) in enumerate(pieces):
        inner = pieces[i + 1][0] if ch == "(" and i + 1 < len(pieces) else pieces[i - 1][0] if ch == ")" and i else ""
        if not inner or not _ideograph(inner):
            continue
        stroke = _bracket_column(ink, (a + b) / 2 - x0, h)
        if stroke is None:
            continue
        lo, hi = stroke
        step = -1 if ch == "(" else 1
        k, blank = (lo - 1, 0) if ch == "(" else (hi + 1, 0)
        while 0 <= k < len(cols) and not cols[k]:
            blank += 1
            k += step
        if 0 <= k < len(cols) and blank >= 0.3 * h:  # ink further out, beyond a half-cell gap
            pieces[i] = ("（" if ch == "(" else "）", a, b)
            changed = True
            # Its partner at the line's end or start has no outside to measure: same width as this one.
            partner = (
                next((j for j in range(i + 1, len(pieces)) if pieces[j][0] in ")）"), None)
                if ch == "("
                else next((j for j in range(i - 1, -1, -1) if pieces[j][0] in "(（"), None)
            )
            if partner is not None and pieces[partner][0] in "()":
                pc, pa, pb = pieces[partner]
                pieces[partner] = ("）" if pc == ")" else "（", pa, pb)
    return with_pieces(box, pieces) if changed else box


def _bracket_column(ink: np.ndarray, x: float, h: int) -> tuple[int, int] | None:
    """Column range of the tall thin stroke (a bracket) nearest ``x`` in a line's ink band."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    best, dist = None, 0.7 * h
    for i in range(1, n):
        bx, _, bw, bh, _ = stats[i]
        if bh >= 0.45 * ink.shape[0] and bw <= 0.4 * bh and abs(bx + bw / 2 - x) < dist:
            best, dist = (int(bx), int(bx + bw - 1)), abs(bx + bw / 2 - x)
    return best
