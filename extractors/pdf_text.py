"""Text-layer PDF pages → Document (pdfplumber).

Per page: a page whose text runs sideways is turned upright and fake-bold
duplicate glyphs are dropped (``pdf_chars``); ruled tables, nested ones on
their cells, are read by ``pdf_tables``. The text outside tables becomes
paragraphs in reading order (see ``pdf_layout``), interleaved with the
tables by their vertical position. Drawn checkboxes and AcroForm values are
written into the text (``pdf_marks``); red seals are listed (``pdf_seals``).

Across pages: a table that carries on at the top of the next page with the
same column edges is merged into one table (a repeated header row is dropped,
a row split by the page break is joined back), and a paragraph cut by the page
break is joined. Page numbers and running headers/footers are dropped, as the
Word extractor drops headers and footers.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pdfplumber

from extractors.model import Block, Cell, Document, Paragraph, Seal, Table
from extractors.pdf_chars import dedupe_fake_bold, text_turn, turned
from extractors.pdf_layout import (
    Line,
    Para,
    drop_letter_spacing,
    group_lines,
    is_cjk,
    is_page_number,
    join_lines,
    split_paragraphs,
    starts_section,
    words_of,
)
from extractors.pdf_marks import drawn_boxes, form_field_chars, symbol_font_text
from extractors.pdf_seals import PageRenderer, find_seals, is_red, pdfium_crop_renderer
from extractors.pdf_tables import EDGE_TOL, TABLE_SETTINGS, edges, page_tables
from extractors.sentences import ends_sentence

__all__ = ["TABLE_SETTINGS", "PageItems", "PagesRead", "assemble", "extract", "join_texts", "read_page"]

MARGIN_ZONE = 0.08  # top/bottom share of the page where running headers and footers live
LONG_LINE_SHARE = 0.8  # a line this much of the text width long may have wrapped at a page break

log = logging.getLogger(__name__)


@dataclass
class PageItems:
    """One page's lines and tables in vertical order, before paragraphs are formed."""

    number: int
    width: float
    height: float
    items: list[tuple[float, Line | Table]] = field(default_factory=list)  # (top, line or table)
    seals: list[Seal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # steps of this page that could not be done


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
        notes=[n for p in pages for n in p.notes],
    )


# ---------------------------------------------------------------- one page


def read_page(page: Any, number: int, render: PageRenderer | None) -> PageItems:
    """One page → its lines and tables (paragraphs are formed later, across pages).

    A page whose text runs sideways or upside down is read turned upright (``pdf_chars.text_turn``).

    Seals, drawn checkboxes and form fields are optional steps: a failure in one (a cyclic annotation
    reference, a broken image) costs that step and a note, not the page.
    """
    turn = text_turn(page.chars)
    page = turned(page, turn)
    out = PageItems(number, float(page.width), float(page.height))
    crop = (lambda box: render(number, box, turn)) if render is not None else None
    out.seals = _optional(out, "印章", lambda: find_seals(page, number, crop), [])
    box_chars, hidden = _optional(out, "复选框", lambda: drawn_boxes(page), ([], set()))
    chars = [_symbol_mapped(c) for c in dedupe_fake_bold(page.chars) if not _seal_ink(c, out.seals)]
    chars = drop_letter_spacing(chars)
    chars += box_chars + _optional(out, "表单域", lambda: form_field_chars(page), [])
    ruled = page.filter(lambda obj: id(obj) not in hidden) if hidden else page
    tables, free = page_tables(ruled, chars, number)
    out.items.extend((table.bbox[1] if table.bbox else 0.0, table) for table in tables)
    for line in group_lines(words_of(free)):
        if not is_page_number(line, out.height):
            out.items.append((line.top, line))
    out.items.sort(key=lambda item: item[0])
    return out


T = TypeVar("T")


def _optional(out: PageItems, step_zh: str, step: Callable[[], T], fallback: T) -> T:
    """Run one optional step of a page; on failure log it, note it for staff and go on without it."""
    try:
        return step()
    except MemoryError:
        raise
    except Exception as exc:  # pdfminer/pdfplumber raise many kinds on odd annotations, images, paths
        log.warning("page %d: %s skipped: %s: %s", out.number, step_zh, type(exc).__name__, exc)
        out.notes.append(f"第{out.number}页的{step_zh}无法读取，已跳过，请人工核对该页。")
        return fallback


def _seal_ink(char: dict, seals: list[Seal]) -> bool:
    """Red lettering of a seal drawn as vector art: part of the seal, not of the text."""
    if not seals or not is_red(char.get("non_stroking_color")):
        return False
    cx, cy = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    return any(s.bbox and s.bbox[0] <= cx <= s.bbox[2] and s.bbox[1] <= cy <= s.bbox[3] for s in seals)


def _symbol_mapped(char: dict) -> dict:
    text = symbol_font_text(char)
    return char if text is None else {**char, "text": text}


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
        full = right - prev.x1 <= line.first_unit_width() + prev.wrap_slack()
        # a long line cut mid-sentence carries on, even where a ragged right edge hides that it was full
        open_sentence = not ends_sentence(prev.text) and prev.x1 - left >= LONG_LINE_SHARE * (right - left)
        if starts_section(prev, line):
            return
        if (full or open_sentence) and line.x0 <= left + 0.5 * em and abs(line.size - prev.size) <= 0.2 * em:
            last.lines.extend(first.lines)
            nxt.pop(0)


def _columns(table: Table) -> list[float]:
    return edges(v for c in table.cells() if c.bbox for v in (c.bbox[0], c.bbox[2]))


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
