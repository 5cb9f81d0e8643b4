"""Ruled tables of a text PDF page → model tables, nested tables attached to the cell that holds them.

Tables are found from their drawn lines (pdfplumber's ``find_tables`` with the lines strategy). Each
cell's row/column span comes from its rectangle against the table's distinct x/y edges (pdfplumber's
``extract()`` only shows merged cells as ``None``); each character goes to the cell its centre lies in.

A table inside a cell of another table reads as the Word extractor reads it: the inner table hangs on
that cell (``Cell.tables``) and its text is not part of the cell's own text. Two shapes reach us:
- the inner table stands free inside the cell: pdfplumber finds two tables, the inner one's box lies
  inside one cell of the outer one (pdfplumber's issue-140 file, camelot's table_region);
- the inner table shares the cell's border (LibreOffice draws a nested table that way): pdfplumber
  finds one table whose cell list holds both the outer cell and the inner cells inside it.
Inner tables are built first, so they keep their own characters.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from typing import Any

import numpy as np

from extractors.model import BBox, Cell, Table
from extractors.pdf_layout import group_lines, split_paragraphs, words_of

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}
EDGE_TOL = 2.0  # points: cell edges closer than this are the same grid line


def page_tables(page: Any, chars: list[dict], page_number: int) -> tuple[list[Table], list[dict]]:
    """The page's top-level tables (nested ones hang on their cells) and the characters outside them."""
    found = [t for t in page.find_tables(TABLE_SETTINGS) if len(t.cells) > 1]  # a lone ruled box is a frame
    built: list[Table] = []
    for table_found in sorted(found, key=lambda t: _area(t.bbox)):  # innermost first
        table, chars = _build(list(table_found.cells), chars, page_number)
        built.append(table)
    top = []
    for table in built:
        host = _host_cell(table, built)
        if host is not None:
            host.tables.append(table)
        else:
            top.append(table)
    return top, chars


def edges(values: Iterable[float]) -> list[float]:
    """Distinct grid lines among cell edges (closer than EDGE_TOL: the same line)."""
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > EDGE_TOL:
            out.append(v)
    return out


def _area(bbox: BBox) -> float:
    return (bbox[2] - bbox[0]) * (bbox[3] - bbox[1])


def _contains(outer: BBox, inner: BBox) -> bool:
    return (
        outer[0] - EDGE_TOL <= inner[0]
        and inner[2] <= outer[2] + EDGE_TOL
        and outer[1] - EDGE_TOL <= inner[1]
        and inner[3] <= outer[3] + EDGE_TOL
    )


def _host_cell(table: Table, tables: list[Table]) -> Cell | None:
    """The smallest cell of another table that holds this table's whole box."""
    if table.bbox is None:
        return None
    best: tuple[float, Cell] | None = None
    for other in tables:
        if other is table:
            continue
        for cell in other.cells():
            if cell.bbox is None or not _contains(cell.bbox, table.bbox):
                continue
            area = _area(cell.bbox)
            if area > _area(table.bbox) and (best is None or area < best[0]):
                best = (area, cell)
    return best[1] if best else None


def _nested_groups(cells: list[BBox]) -> tuple[list[int], dict[int, list[int]]]:
    """Indices of the outermost cells, and for each of them that holds two or more other cells of the
    same table (an inner table drawn on its border), the indices of those cells."""
    box = np.asarray(cells, dtype=float).reshape(-1, 4)
    area = (box[:, 2] - box[:, 0]) * (box[:, 3] - box[:, 1])
    inside: dict[int, list[int]] = {}
    for i, (x0, top, x1, bottom) in enumerate(box):  # vectorised: a page of 10,000 small cells stays fast
        held = (
            (area < area[i])
            & (box[:, 0] >= x0 - EDGE_TOL)
            & (box[:, 2] <= x1 + EDGE_TOL)
            & (box[:, 1] >= top - EDGE_TOL)
            & (box[:, 3] <= bottom + EDGE_TOL)
        )
        if held.sum() >= 2:
            inside[i] = [int(j) for j in np.flatnonzero(held)]
    nested = {j for held in inside.values() for j in held}
    top_level = [i for i in range(len(cells)) if i not in nested]
    return top_level, {i: held for i, held in inside.items() if i in top_level}


def _build(cells: list[BBox], chars: list[dict], page_number: int) -> tuple[Table, list[dict]]:
    """Cells of one pdfplumber table → model Table (inner tables first); returns the characters left."""
    top, nested = _nested_groups(cells)
    inner: dict[int, Table] = {}
    for host, held in nested.items():
        inner[host], chars = _build([cells[j] for j in held], chars, page_number)
    outer = [cells[i] for i in top]
    hung = {k: inner[i] for k, i in enumerate(top) if i in inner}
    return _grid_table(outer, hung, chars, page_number)


def _index(grid: list[float], v: float) -> int:
    i = bisect.bisect_left(grid, v - EDGE_TOL)
    return min(i, len(grid) - 1)


def _grid_table(
    cells: list[BBox], hung: dict[int, Table], chars: list[dict], page_number: int
) -> tuple[Table, list[dict]]:
    """Non-overlapping cells → Table with spans; ``hung``: inner tables by cell index."""
    xs = edges(v for c in cells for v in (c[0], c[2]))
    ys = edges(v for c in cells for v in (c[1], c[3]))
    slots: dict[tuple[int, int], int] = {}
    spans = []
    for k, (x0, top, x1, bottom) in enumerate(cells):
        r0, r1 = _index(ys, top), _index(ys, bottom)
        c0, c1 = _index(xs, x0), _index(xs, x1)
        spans.append((r0, c0, max(r1 - r0, 1), max(c1 - c0, 1)))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                slots.setdefault((r, c), k)
    bbox = (xs[0], ys[0], xs[-1], ys[-1])
    inside: list[list[dict]] = [[] for _ in cells]
    outside = []
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        k = None
        if bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]:
            k = slots.get((bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1))
        if k is None:
            outside.append(ch)
        else:
            inside[k].append(ch)
    pad = _cell_padding(cells, inside)
    model = []
    for k, cell_box in enumerate(cells):
        r0, c0, rs, cs = spans[k]
        text = _cell_text(inside[k], cell_box, pad)
        cell = Cell(text, r0, c0, rs, cs, page=page_number, bbox=tuple(cell_box))
        cell.tables = [hung[k]] if k in hung else []
        model.append(cell)
    rows: list[list[Cell]] = [[] for _ in range(max(len(ys) - 1, 1))]
    for cell in sorted(model, key=lambda c: (c.row, c.col)):
        rows[min(cell.row, len(rows) - 1)].append(cell)
    return Table(rows=rows, page=page_number, bbox=bbox), outside


def _cell_padding(cells: list[BBox], inside: list[list[dict]]) -> float:
    pads = [min(c["x0"] for c in chars) - bbox[0] for bbox, chars in zip(cells, inside, strict=False) if chars]
    pads = sorted(p for p in pads if p >= 0)
    return min(max(pads[0] if pads else 2.0, 1.0), 8.0)


def _cell_text(chars: list[dict], bbox: BBox, pad: float) -> str:
    if not chars:
        return ""
    lines = group_lines(words_of(chars))
    paras = split_paragraphs(lines, bbox[0] + pad, bbox[2] - pad, indent_rule=False)
    return "\n".join(p.text for p in paras)
