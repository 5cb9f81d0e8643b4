"""Text-layer PDF pages → Document (pdfplumber).

Per page: ruled tables are found from their drawn lines (``find_tables`` with
the lines strategy) and turned into model tables with row/column spans taken
from each cell's rectangle against the table's distinct x/y edges (pdfplumber's
``extract()`` only shows merged cells as ``None``). The text outside tables
becomes paragraphs in reading order (see ``pdf_layout``), interleaved with the
tables by their vertical position. Drawn checkboxes and AcroForm values are
written into the text (``pdf_marks``); red seals are listed (``pdf_seals``).

Across pages: a table that carries on at the top of the next page with the
same column edges is merged into one table (a repeated header row is dropped,
a row split by the page break is joined back), and a paragraph cut by the page
break is joined. Page numbers and running headers/footers are dropped, as the
Word extractor drops headers and footers.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber

from extractors.model import Block, Cell, Document, Paragraph, Seal, Table
from extractors.pdf_layout import (
    WRAP_SLACK_EM,
    Line,
    Para,
    group_lines,
    is_cjk,
    is_page_number,
    join_lines,
    split_paragraphs,
    words_of,
)
from extractors.pdf_marks import drawn_boxes, form_field_chars, symbol_font_text
from extractors.pdf_seals import PageRenderer, find_seals, is_red, pdfium_crop_renderer

TABLE_SETTINGS = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
    "edge_min_length": 3,
}
EDGE_TOL = 2.0  # points: cell edges closer than this are the same grid line
MARGIN_ZONE = 0.08  # top/bottom share of the page where running headers and footers live


@dataclass
class PageItems:
    """One page's lines and tables in vertical order, before paragraphs are formed."""

    number: int
    width: float
    height: float
    items: list[tuple[float, Line | Table]] = field(default_factory=list)  # (top, line or table)
    seals: list[Seal] = field(default_factory=list)


@dataclass
class PagesRead:
    blocks: list[Block]
    seals: list[Seal]
    notes: list[str]


def extract(path: Path) -> Document:
    """Read every page through its text layer (``extractors.pdf`` decides which pages have one)."""
    with pdfplumber.open(path) as pdf, pdfium_crop_renderer(path) as render:
        pages = []
        for number, page in enumerate(pdf.pages, start=1):
            pages.append(read_page(page, number, render))
            page.close()
        read = assemble(pages)
    return Document(
        source=path,
        kind="pdf_text",
        blocks=read.blocks,
        seals=read.seals,
        page_count=len(pages),
        notes=read.notes,
    )


def assemble(pages: list[PageItems]) -> PagesRead:
    """Pages read one by one → blocks in reading order, joined across page breaks."""
    _drop_running_lines(pages)
    left, right = _text_edges(pages)
    blocks: list[Para | Table] = []
    prev_number = None
    for page in pages:
        page_blocks = _page_blocks(page, left, right)
        if blocks and page_blocks and prev_number == page.number - 1:
            _join_across_break(blocks, page_blocks, left, right)
        blocks.extend(page_blocks)
        prev_number = page.number
    return PagesRead(
        blocks=[_to_model(b) for b in blocks],
        seals=[s for p in pages for s in p.seals],
        notes=[],
    )


# ---------------------------------------------------------------- one page


def read_page(page: Any, number: int, render: PageRenderer | None) -> PageItems:
    """One page → its lines and tables (paragraphs are formed later, across pages)."""
    if _has_doubled_glyphs(page.chars):
        page = page.dedupe_chars(tolerance=1)  # WPS "fake bold" prints every glyph twice
    out = PageItems(number, float(page.width), float(page.height))
    crop = (lambda box: render(number, box)) if render is not None else None
    out.seals = find_seals(page, number, crop)
    box_chars, hidden = drawn_boxes(page)
    chars = [_symbol_mapped(c) for c in page.chars if not _seal_ink(c, out.seals)]
    chars += box_chars + form_field_chars(page)
    ruled = page.filter(lambda obj: id(obj) not in hidden) if hidden else page
    free = chars
    for found in ruled.find_tables(TABLE_SETTINGS):
        if len(found.cells) > 1:  # a lone ruled box is a frame, not a form table
            table, free = _build_table(found, free, number)
            out.items.append((found.bbox[1], table))
    for line in group_lines(words_of(free)):
        if not is_page_number(line, out.height):
            out.items.append((line.top, line))
    out.items.sort(key=lambda item: item[0])
    return out


def _has_doubled_glyphs(chars: list[dict]) -> bool:
    """Cheap test before pdfplumber's (slow) dedupe: any glyph printed twice at about one place."""
    seen = set()
    for c in chars:
        key = (c["text"], round(c["x0"]), round(c["top"]))
        if key in seen:
            return True
        seen.add(key)
    return False


def _seal_ink(char: dict, seals: list[Seal]) -> bool:
    """Red lettering of a seal drawn as vector art: part of the seal, not of the text."""
    if not seals or not is_red(char.get("non_stroking_color")):
        return False
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return any(s.bbox and s.bbox[0] <= cx <= s.bbox[2] and s.bbox[1] <= cy <= s.bbox[3] for s in seals)


def _symbol_mapped(char: dict) -> dict:
    text = symbol_font_text(char)
    return char if text is None else {**char, "text": text}


def _edges(values: Iterable[float]) -> list[float]:
    edges: list[float] = []
    for v in sorted(values):
        if not edges or v - edges[-1] > EDGE_TOL:
            edges.append(v)
    return edges


def _index(edges: list[float], v: float) -> int:
    i = bisect.bisect_left(edges, v - EDGE_TOL)
    return min(i, len(edges) - 1)


def _build_table(found: Any, chars: list[dict], page_number: int) -> tuple[Table, list[dict]]:
    """A pdfplumber table → model Table; returns the characters left outside it."""
    xs = _edges(v for c in found.cells for v in (c[0], c[2]))
    ys = _edges(v for c in found.cells for v in (c[1], c[3]))
    slots: dict[tuple[int, int], int] = {}
    spans = []
    for k, (x0, top, x1, bottom) in enumerate(found.cells):
        r0, r1 = _index(ys, top), _index(ys, bottom)
        c0, c1 = _index(xs, x0), _index(xs, x1)
        spans.append((r0, c0, max(r1 - r0, 1), max(c1 - c0, 1)))
        for r in range(r0, max(r1, r0 + 1)):
            for c in range(c0, max(c1, c0 + 1)):
                slots.setdefault((r, c), k)
    inside: list[list[dict]] = [[] for _ in found.cells]
    outside = []
    tx0, ttop, tx1, tbottom = found.bbox
    for ch in chars:
        cx, cy = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
        k = None
        if tx0 <= cx <= tx1 and ttop <= cy <= tbottom:
            r, c = bisect.bisect_right(ys, cy) - 1, bisect.bisect_right(xs, cx) - 1
            k = slots.get((r, c))
        if k is None:
            outside.append(ch)
        else:
            inside[k].append(ch)
    pad = _cell_padding(found.cells, inside)
    cells = []
    for k, bbox in enumerate(found.cells):
        r0, c0, rs, cs = spans[k]
        text = _cell_text(inside[k], bbox, pad)
        cells.append(Cell(text, r0, c0, rs, cs, page=page_number, bbox=tuple(bbox)))
    rows: list[list[Cell]] = [[] for _ in range(max(len(ys) - 1, 1))]
    for cell in sorted(cells, key=lambda c: (c.row, c.col)):
        rows[min(cell.row, len(rows) - 1)].append(cell)
    return Table(rows=rows, page=page_number, bbox=tuple(found.bbox)), outside


def _cell_padding(cells: list[tuple], inside: list[list[dict]]) -> float:
    pads = [min(c["x0"] for c in chars) - bbox[0] for bbox, chars in zip(cells, inside, strict=False) if chars]
    pads = sorted(p for p in pads if p >= 0)
    return min(max(pads[0] if pads else 2.0, 1.0), 8.0)


def _cell_text(chars: list[dict], bbox: tuple, pad: float) -> str:
    if not chars:
        return ""
    lines = group_lines(words_of(chars))
    paras = split_paragraphs(lines, bbox[0] + pad, bbox[2] - pad, indent_rule=False)
    return "\n".join(p.text for p in paras)


# ---------------------------------------------------------------- whole document


def _norm_running(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def _drop_running_lines(pages: list[PageItems]) -> None:
    """Lines repeated at the same place near the top/bottom of several pages are headers/footers."""
    if len(pages) < 2:
        return

    def key(page: PageItems, line: Line) -> tuple[str, int] | None:
        zone = page.height * MARGIN_ZONE
        if line.bottom < zone or line.top > page.height - zone:
            return (_norm_running(line.text), round(line.top / 4))
        return None

    counts = Counter(k for p in pages for _, item in p.items if isinstance(item, Line) if (k := key(p, item)))
    for page in pages:
        page.items = [
            (top, item)
            for top, item in page.items
            if not (isinstance(item, Line) and counts.get(key(page, item), 0) >= 2)
        ]


def _text_edges(pages: list[PageItems]) -> tuple[float, float]:
    """Left/right edges of the body text across the document (paragraph wrap decisions use them).

    The right edge is at least the page width less the left margin: with only a few short lines
    the longest of them says nothing about where a full line would end.
    """
    lines = [item for p in pages for _, item in p.items if isinstance(item, Line)]
    tables = [item for p in pages for _, item in p.items if isinstance(item, Table)]
    if not lines:
        return 0.0, pages[0].width if pages else 0.0
    x0s = sorted(ln.x0 for ln in lines)
    x1s = sorted(ln.x1 for ln in lines)
    left = x0s[len(x0s) // 20]
    right = max(x1s[min(len(x1s) - 1, len(x1s) * 19 // 20)], min(p.width for p in pages) - left)
    if tables:
        right = max(right, sorted(t.bbox[2] for t in tables if t.bbox)[len(tables) // 2])
    return left, right


def _page_blocks(page: PageItems, left: float, right: float) -> list[Para | Table]:
    """Lines between tables → paragraphs; tables stay where they are."""
    blocks: list[Para | Table] = []
    run: list[Line] = []
    for _, item in page.items:
        if isinstance(item, Line):
            run.append(item)
            continue
        blocks.extend(split_paragraphs(run, left, right))
        run = []
        blocks.append(item)
    blocks.extend(split_paragraphs(run, left, right))
    for block in blocks:
        if isinstance(block, Para):
            block.page = page.number
    return blocks


def _join_across_break(blocks: list[Para | Table], nxt: list[Para | Table], left: float, right: float) -> None:
    """Merge the first block of a page into the last of the previous page when it carries on."""
    last, first = blocks[-1], nxt[0]
    if isinstance(last, Table) and isinstance(first, Table) and _same_columns(last, first):
        _append_table(last, first)
        nxt.pop(0)
    elif isinstance(last, Para) and isinstance(first, Para):
        prev, line = last.lines[-1], first.lines[0]
        em = max(prev.size, 1.0)
        full = right - prev.x1 <= line.first_unit_width() + WRAP_SLACK_EM * em
        if full and line.x0 <= left + 0.5 * em and abs(line.size - prev.size) <= 0.2 * em:
            last.lines.extend(first.lines)
            nxt.pop(0)


def _columns(table: Table) -> list[float]:
    return _edges(v for c in table.cells() if c.bbox for v in (c.bbox[0], c.bbox[2]))


def _same_columns(a: Table, b: Table) -> bool:
    xa, xb = _columns(a), _columns(b)
    return len(xa) == len(xb) and all(abs(p - q) <= EDGE_TOL * 2 for p, q in zip(xa, xb, strict=False))


def _row_texts(row: list[Cell]) -> list[tuple[int, str]]:
    return [(c.col, re.sub(r"\s+", "", c.text)) for c in row]


def _append_table(head: Table, tail: Table) -> None:
    rows = tail.rows
    if (
        rows
        and head.rows
        and _row_texts(rows[0]) == _row_texts(head.rows[0])
        and any(t for _, t in _row_texts(rows[0]))
    ):
        rows = rows[1:]  # header row repeated on the new page
    if rows and head.rows and _continues_row(head.rows[-1], rows[0]):
        for upper, lower in zip(head.rows[-1], rows[0], strict=False):
            if lower.text:
                upper.text = join_texts(upper.text, lower.text)
        rows = rows[1:]
    offset = len(head.rows)
    for i, row in enumerate(rows):
        for cell in row:
            cell.row = offset + i
    head.rows.extend(rows)


def _continues_row(upper: list[Cell], lower: list[Cell]) -> bool:
    """A row Word split at the page break: same cells, no label in the first column below."""
    if [(c.col, c.col_span) for c in upper] != [(c.col, c.col_span) for c in lower] or len(upper) < 2:
        return False
    return bool(upper[0].text.strip()) and not lower[0].text.strip() and any(c.text.strip() for c in lower[1:])


def join_texts(upper: str, lower: str) -> str:
    """Text of a cell continued on the next page: joined like a wrapped line."""
    if not upper:
        return lower
    if is_cjk(upper[-1]) or is_cjk(lower[0]):
        return upper + lower
    return upper + " " + lower


def _to_model(block: Para | Table) -> Block:
    if isinstance(block, Table):
        return block
    return Paragraph(text=join_lines(block.lines), page=block.page, bbox=block.bbox)
