"""Table grids from ruling lines on a straightened grey page.

Morphological opening with long thin kernels keeps the horizontal and vertical
ruling lines and drops text; each table is one connected set of lines; its cells
are the white regions the lines enclose. Cell edges are then clustered into grid
boundaries, which gives row/column indices and the spans of merged cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .model import BBox


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    bbox: BBox  # inner area (inside the lines), pixels


@dataclass
class Grid:
    bbox: BBox
    cells: list[GridCell]
    n_rows: int
    n_cols: int

    def cell_at(self, x: float, y: float) -> GridCell | None:
        for cell in self.cells:
            x0, y0, x1, y1 = cell.bbox
            if x0 - 3 <= x <= x1 + 3 and y0 - 3 <= y <= y1 + 3:
                return cell
        return None


TextLine = tuple[BBox, list[tuple[float, float]]]  # a text line's box and the x-ranges of its gaps


def line_masks(
    grey: np.ndarray, repair: list[BBox] | tuple = (), text: list[TextLine] | tuple = ()
) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) ruling-line masks, uint8 0/255.

    ``repair``: areas (seals) where rules may be broken: gaps there are bridged across the area.
    ``text``: OCR text lines with their gaps (spaces): a vertical rule never cuts through letters.
    """
    h, w = grey.shape[:2]
    ink = cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, 25, 10)
    # Thin, light rules with text sitting on them fall below the local mean; on clean paper a
    # threshold under the paper level keeps them (skipped on uneven photos, where it would flood).
    paper = float(np.median(grey))
    dark = cv2.threshold(grey, max(0.0, paper - 45), 255, cv2.THRESH_BINARY_INV)[1]
    if cv2.countNonZero(dark) < 0.2 * dark.size:
        ink = cv2.bitwise_or(ink, dark)
    # Kernels longer than any text stroke: a CJK character is ~1/50 of an A4 page's height.
    h_len = max(20, w // 22)
    v_len = max(16, h // 45)
    horiz = cv2.morphologyEx(ink, cv2.MORPH_OPEN, _kernel(h_len, 1))
    vert = cv2.morphologyEx(ink, cv2.MORPH_OPEN, _kernel(1, v_len))
    # Rejoin a rule broken where touching text thinned it (collinear pieces, short gap). Only
    # across: vertical rules of different rows often share an x and must stay apart …
    horiz = cv2.morphologyEx(horiz, cv2.MORPH_CLOSE, _kernel(w // 16, 1))
    # … except under a seal, where a ring running along a rule erases it for a long stretch.
    for x0, y0, x1, y1 in repair:
        xa, ya, xb, yb = max(0, int(x0)), max(0, int(y0)), min(w, int(x1)), min(h, int(y1))
        if xb - xa < 3 or yb - ya < 3:
            continue
        for mask, size in ((horiz, (xb - xa, 1)), (vert, (1, yb - ya))):
            # Close over a wider window so pieces entering the area from outside join too.
            pad_x, pad_y = (size[0] // 2, 0) if size[1] == 1 else (0, size[1] // 2)
            wa, wb = max(0, xa - pad_x), min(w, xb + pad_x)
            ha, hb = max(0, ya - pad_y), min(h, yb + pad_y)
            closed = cv2.morphologyEx(mask[ha:hb, wa:wb], cv2.MORPH_CLOSE, _kernel(*size))
            mask[ya:yb, xa:xb] = closed[ya - ha : yb - ha, xa - wa : xb - wa]
    # In tight tables the text touches the rules, and a stroke above a rule, the rule and a stroke
    # below it add up to a "vertical line": drop vertical ink inside lines of text, except in their
    # gaps (the detector sometimes runs one line across a rule, reading the rule as a space).
    for (x0, y0, x1, y1), gaps in text:
        th = y1 - y0
        ya, yb = max(0, int(y0 + 0.15 * th)), max(0, int(y1 - 0.15 * th))
        keep = vert[ya:yb].copy()
        vert[ya:yb, max(0, int(x0 + 0.6 * th)) : max(0, int(x1 - 0.6 * th))] = 0
        for ga, gb in gaps:
            vert[ya:yb, max(0, int(ga)) : max(0, int(gb))] = keep[:, max(0, int(ga)) : max(0, int(gb))]
    _close_cut_ends(horiz, vert, 3 * v_len)
    vert = _anchored(vert, horiz, repair)
    _reach_verticals(horiz, vert, max(4, w // 40))
    # Bridge small breaks (scan noise, JPEG) and make lines meet at the joints.
    horiz = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 3)))
    vert = cv2.dilate(vert, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 5)))
    return horiz, vert


_MIN_CUT_SIDES = 3  # a table's verticals that end together at a page break: both borders and a column rule


def _close_cut_ends(horiz: np.ndarray, vert: np.ndarray, min_len: int) -> None:
    """Draw the rule a page break left out (in place): a table that runs on to the next page has no bottom rule
    on this one and no top rule on that one; its borders and column rules stop together at one height there.

    Three or more long verticals whose ends lie within a few pixels of one height are joined by a rule at that
    height, so the rows above (or below) the break are still enclosed cells. Else every vertical of the table
    has a free end, none is kept, and the whole activity table is read as loose paragraphs.
    """
    n, _, stats, _ = cv2.connectedComponentsWithStats(vert, connectivity=8)
    pieces = [(int(s[0] + s[2] // 2), int(s[1]), int(s[1] + s[3] - 1)) for s in stats[1:] if s[3] >= min_len]
    h = vert.shape[0]
    for end in (1, 2):  # tops, bottoms
        ys = sorted({p[end] for p in pieces})
        for y in ys:
            together = sorted(p[0] for p in pieces if abs(p[end] - y) <= 4)
            if len(together) < _MIN_CUT_SIDES:
                continue
            band = horiz[max(0, y - 4) : min(h, y + 5), together[0] : together[-1] + 1]
            if band.any(axis=0).mean() > 0.9:
                continue  # the rule is there
            cv2.line(horiz, (together[0], y), (together[-1], y), 255, 1)


def _reach_verticals(horiz: np.ndarray, vert: np.ndarray, reach: int) -> None:
    """Extend each horizontal rule that stops short of a vertical one (a fax thinned its end away) to meet it,
    when the vertical is within ``reach`` pixels of its end on its row (in place). Else the two cells it
    parts run into one (`主题活动名称主题活动模块`)."""
    n, _, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    h, w = horiz.shape
    for i in range(1, n):
        x, y, bw, bh, _ = (int(v) for v in stats[i])
        if bw < 4 * reach:
            continue
        yc = y + bh // 2
        rows = vert[max(0, yc - 2) : min(h, yc + 3)].any(axis=0)
        left = np.flatnonzero(rows[max(0, x - reach) : x])
        if left.size:
            horiz[y : y + bh, max(0, x - reach) + int(left[-1]) : x] = 255
        right = np.flatnonzero(rows[x + bw : min(w, x + bw + reach)])
        if right.size:
            horiz[y : y + bh, x + bw : x + bw + int(right[0]) + 1] = 255


def _in_any(x: float, y: float, boxes: list[BBox] | tuple) -> bool:
    return any(x0 <= x <= x1 and y0 <= y <= y1 for x0, y0, x1, y1 in boxes)


def _wholly_in_one(x: float, top: float, bottom: float, boxes: list[BBox]) -> bool:
    return any(x0 <= x <= x1 and y0 <= top and bottom <= y1 for x0, y0, x1, y1 in boxes)


def _kernel(width: int, height: int) -> np.ndarray:
    """A rectangular kernel of at least one pixel each way: sizes derived from a tiny page (a 4×4 pt
    PDF page is 11 px at 200 dpi) round down to 0, which OpenCV refuses."""
    return cv2.getStructuringElement(cv2.MORPH_RECT, (max(1, int(width)), max(1, int(height))))


def _anchored(vert: np.ndarray, horiz: np.ndarray, repair: list[BBox] | tuple = (), tol: int = 4) -> np.ndarray:
    """Vertical pieces that run from a horizontal rule to a horizontal rule.

    In tight tables the text touches the rules, and a stroke above a rule, the rule and a stroke
    below it add up to a "vertical line" — one whose ends are free. A real separator ends on rules.
    An end inside a seal counts too: bridging the rules under a seal joins a separator to the seal's own strokes
    above it (a grey seal over the table's top rule hid the label | value column of every row).
    """
    n, labels, stats, _ = cv2.connectedComponentsWithStats(vert, connectivity=8)
    keep = np.zeros(n, dtype=bool)
    h, w = vert.shape
    near = cv2.dilate(horiz, cv2.getStructuringElement(cv2.MORPH_RECT, (2 * tol + 1, 2 * tol + 1)))
    trimmed = np.zeros_like(vert)
    # Not at a seal: the ring's side is a long near-vertical stroke that crosses the rules too (and the
    # seal's box, found from its ink, may stop just inside the ring's outer edge).
    near_seal = [
        (a - _SEAL_PAD * (c - a), b - _SEAL_PAD * (d - b), c + _SEAL_PAD * (c - a), d + _SEAL_PAD * (d - b))
        for a, b, c, d in repair
    ]
    for i in range(1, n):
        x, y, bw, bh, _ = stats[i]
        # A piece wholly at a seal (a side of its ring) gets no end from the seal: a rule it hides comes out of it.
        at_seal = [] if _wholly_in_one(x + bw / 2, y, y + bh, near_seal) else repair
        # The page edge counts as an end too: a table cut off by the scan.
        top = y <= tol or near[y, x : x + bw].any() or _in_any(x + bw / 2, y, at_seal)
        bottom = (
            y + bh >= h - tol or near[min(h - 1, y + bh - 1), x : x + bw].any() or _in_any(x + bw / 2, y + bh, at_seal)
        )
        keep[i] = top and bottom
        if not keep[i] and not _in_any(x + bw / 2, y + bh / 2, near_seal):
            span = _between_rules(near[y : y + bh, x : x + bw].any(axis=1), top, bottom)
            if span is not None:
                a, b = y + span[0], y + span[1]
                trimmed[a:b, x : x + bw][labels[a:b, x : x + bw] == i] = 255
    return np.maximum(np.where(keep[labels], 255, 0).astype(np.uint8), trimmed)


_SEAL_PAD = 0.1  # of a seal's box on each side: still the seal's ring


def _between_rules(touches: np.ndarray, top: bool, bottom: bool) -> tuple[int, int] | None:
    """The stretch of a vertical piece with a free end that still parts cells: from its first to its last
    crossing of a horizontal rule (an anchored end stays where it is), when that stretch meets two rules.

    A line of text the detector ran across a column rule (`主要内邀请…`, no space read at the rule) erases the
    rule in that row only; the piece above then ends free, and dropping it whole merged the label and value of
    every row above (`活动名\\n青年科技工作者学术沙龙\\n称`). A text stroke's "rule" crosses one rule at most."""
    rows = np.flatnonzero(touches)
    if rows.size == 0:
        return None
    runs = 1 + int(np.count_nonzero(np.diff(rows) > 1))  # separate rules met
    start = 0 if top else int(rows[0])
    end = len(touches) if bottom else int(rows[-1]) + 1
    return (start, end) if runs >= 2 else None


def find_grids(grey: np.ndarray, repair: list[BBox] | tuple = (), text: list[TextLine] | tuple = ()) -> list[Grid]:
    """Every ruled table on the page, top to bottom (bboxes in ``grey``'s pixels).

    ``repair``: seal areas, where broken rules are bridged; ``text``: OCR lines (see line_masks).
    """
    # Big pages are searched at half size: 4× less work, and a ruling line stays a line.
    f = 0.5 if max(grey.shape[:2]) > 1400 else 1.0
    if f < 1:
        grey = cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA)
    scaled_text = [(tuple(v * f for v in b), [(a * f, z * f) for a, z in gaps]) for b, gaps in text]
    grids = _find_grids(grey, [tuple(v * f for v in b) for b in repair], scaled_text)
    if f < 1:
        grids = [_scaled(g, 1 / f) for g in grids]
    return grids


def _scaled(grid: Grid, k: float) -> Grid:
    def sc(b: BBox) -> BBox:
        return (b[0] * k, b[1] * k, b[2] * k, b[3] * k)

    cells = [GridCell(c.row, c.col, c.row_span, c.col_span, sc(c.bbox)) for c in grid.cells]
    return Grid(sc(grid.bbox), cells, grid.n_rows, grid.n_cols)


def _find_grids(grey: np.ndarray, repair: list, text: list) -> list[Grid]:
    h, w = grey.shape[:2]
    horiz, vert = line_masks(grey, repair, text)
    lines = cv2.bitwise_or(horiz, vert)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    grids = []
    for i in range(1, n):
        x, y, bw, bh, _area = stats[i]
        if bw < w * 0.2 or bh < h * 0.02:
            continue  # a stray rule or a long dash in the text, not a table
        region = (labels[y : y + bh, x : x + bw] == i).astype(np.uint8) * 255
        _close_outer_sides(region, cv2.bitwise_and(horiz[y : y + bh, x : x + bw], region))
        grid = _cells_of(region, x, y)
        if grid is not None:
            grids.append(grid)
    grids.sort(key=lambda g: g.bbox[1])
    return grids


_MIN_RULES_ENDING = 3  # rules that end together at a table's side


def _close_outer_sides(region: np.ndarray, horiz: np.ndarray) -> None:
    """Draw a table's outer side where a fax or a faint scan lost it: the long rules of the table end
    together at one x (three or more within a few pixels), outermost; a line joins those ends (in place).

    Without it the cells along that side open onto the page and the whole label | value column is lost.
    """
    rw = region.shape[1]
    _, _, stats, _ = cv2.connectedComponentsWithStats(horiz, connectivity=8)
    rules = [(int(s[0]), int(s[0] + s[2] - 1), int(s[1] + s[3] // 2)) for s in stats[1:] if s[2] >= 0.5 * rw]
    if len(rules) < _MIN_RULES_ENDING:
        return
    for side in (0, 1):  # left ends, right ends
        edge = (min if side == 0 else max)(r[side] for r in rules)
        together = [r for r in rules if abs(r[side] - edge) <= 6]
        if len(together) < _MIN_RULES_ENDING:
            continue
        x = int(np.median([r[side] for r in together]))
        top, bottom = min(r[2] for r in together), max(r[2] for r in together)
        cv2.line(region, (x, top), (x, bottom), 255, 3)


def _cells_of(region: np.ndarray, ox: int, oy: int) -> Grid | None:
    rh, rw = region.shape
    free = cv2.bitwise_not(region)
    n, labels, stats, _ = cv2.connectedComponentsWithStats(free, connectivity=4)
    boxes = []
    for i in range(1, n):
        x, y, bw, bh, area = stats[i]
        if x == 0 or y == 0 or x + bw >= rw or y + bh >= rh:
            continue  # open to the outside: not enclosed by lines
        if bw < 6 or bh < 6 or area < 0.75 * bw * bh:
            continue  # slivers between double lines, or ragged non-rectangular gaps
        boxes.append((ox + x, oy + y, ox + x + bw, oy + y + bh))
    if len(boxes) < 2:
        return None
    xs = _boundaries([b[0] for b in boxes] + [b[2] for b in boxes])
    ys = _boundaries([b[1] for b in boxes] + [b[3] for b in boxes])
    cells = []
    for x0, y0, x1, y1 in boxes:
        c0, c1 = _nearest(xs, x0), _nearest(xs, x1)
        r0, r1 = _nearest(ys, y0), _nearest(ys, y1)
        cells.append(GridCell(r0, c0, max(1, r1 - r0), max(1, c1 - c0), (float(x0), float(y0), float(x1), float(y1))))
    cells.sort(key=lambda c: (c.row, c.col))
    # The table is where its cells are (and their ruling lines): a column rule joined to a seal's strokes may
    # poke out above it, and the table must not start there.
    pad = _RULE_PAD
    bbox = (
        float(max(ox, min(b[0] for b in boxes) - pad)),
        float(max(oy, min(b[1] for b in boxes) - pad)),
        float(min(ox + rw, max(b[2] for b in boxes) + pad)),
        float(min(oy + rh, max(b[3] for b in boxes) + pad)),
    )
    return Grid(bbox, cells, n_rows=len(ys) - 1, n_cols=len(xs) - 1)


_RULE_PAD = 4  # pixels around the outer cells: the outer ruling line itself


def _boundaries(values: list[float], tol: float = 7) -> list[float]:
    """Cluster cell edges: the two sides of one ruling line become one boundary."""
    values = sorted(values)
    groups: list[list[float]] = [[values[0]]]
    for v in values[1:]:
        if v - groups[-1][-1] <= tol:
            groups[-1].append(v)
        else:
            groups.append([v])
    return [float(np.mean(g)) for g in groups]


def _nearest(bounds: list[float], v: float) -> int:
    return int(np.argmin([abs(b - v) for b in bounds]))
