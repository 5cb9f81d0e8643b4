"""Word tables → model Tables: merged cells as spans, nested tables into ``Cell.tables``.

The grid is Word's: ``w:gridBefore`` shifts a row right, ``w:gridSpan`` widens a cell, ``w:vMerge``
continues the cell above (its ``row_span`` grows; the continuation is not listed), the legacy
``w:hMerge`` widens the cell to its left. Rows deleted with tracked changes are skipped. Rows and cells
wrapped in a content control or custom XML are read as if unwrapped.

A cell's own content (paragraphs, nested tables) is read by the caller's ``read_blocks``: the block
reader lives in docx_text, which calls this module, so passing it in keeps the two without an import circle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from .docx_xml import W_SDT, W_SDTCONTENT, W_TC, W_TCPR, W_TR, W_TRPR, W_VAL, W, int_val
from .model import Block, Cell, Paragraph, Table

ReadBlocks = Callable[[object], list[Block]]  # a container element -> its blocks


def wrapped(container, wanted: str) -> Iterator:
    """Children tagged `wanted`, also when wrapped in a content control or custom XML (rows and cells can be)."""
    for child in container:
        tag = child.tag
        if tag == wanted:
            yield child
        elif tag == W_SDT:
            content = child.find(W_SDTCONTENT)
            if content is not None:
                yield from wrapped(content, wanted)
        elif tag == W + "customXml":
            yield from wrapped(child, wanted)


def read_table(tbl, read_blocks: ReadBlocks) -> Table:
    rows: list[list[Cell]] = []
    above: dict[int, Cell] = {}  # grid column -> cell covering it in the previous row
    for tr in wrapped(tbl, W_TR):
        col = 0
        trpr = tr.find(W_TRPR)
        if trpr is not None:
            if trpr.find(W + "del") is not None:
                continue  # row deleted with tracked changes
            col = max(0, int_val(trpr.find(W + "gridBefore"), 0))
        r = len(rows)
        row: list[Cell] = []
        here: dict[int, Cell] = {}
        last: Cell | None = None
        for tc in wrapped(tr, W_TC):
            span, vmerge, hmerge = 1, None, None
            tcpr = tc.find(W_TCPR)
            if tcpr is not None:
                span = max(1, int_val(tcpr.find(W + "gridSpan"), 1))
                if (vm := tcpr.find(W + "vMerge")) is not None:
                    vmerge = vm.get(W_VAL) or "continue"
                if (hm := tcpr.find(W + "hMerge")) is not None:
                    hmerge = hm.get(W_VAL) or "continue"
            owner: Cell | None = None
            if hmerge == "continue" and last is not None:
                owner = last  # legacy horizontal merge: widens the cell to its left
                owner.col_span += span
            elif vmerge == "continue":
                candidate = above.get(col)
                if candidate is not None and candidate.row + candidate.row_span == r:
                    owner = candidate
                    owner.row_span += 1
            if owner is None:
                blocks = read_blocks(tc)
                owner = Cell(
                    text="\n".join(b.text for b in blocks if isinstance(b, Paragraph)),
                    row=r,
                    col=col,
                    col_span=span,
                    tables=[b for b in blocks if isinstance(b, Table)],
                )
                row.append(owner)
            for c in range(col, col + span):
                here[c] = owner
            last = owner if owner.row == r else None
            col += span
        rows.append(row)
        above = here
    return Table(rows=rows)
