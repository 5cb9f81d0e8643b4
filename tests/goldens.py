"""Goldens between the stages: a committed sample's Document as indented text, compared line by line.

The final CSV rows go through a tolerant reader, so an extractor regression it absorbs (a lost merged cell,
reordered lines, a tick read as text) would pass unseen; the snapshot of what the extractor handed over does
not. It keeps what the form reader relies on (block order, table rows and cells with their spans, nested
tables, tick glyphs, seals and pages, notes, stored pictures) and leaves out what changes without meaning
(bounding boxes, confidences, crop and page-image paths, picture bytes).

Goldens are written only when asked: `INTAKE_REGEN_GOLDENS=1 pytest tests/test_goldens.py`; a missing golden
fails the test, it never writes itself.
"""

from __future__ import annotations

import difflib
import json
import os
from pathlib import Path

from extractors.model import Document, Paragraph, Table

REGEN_ENV = "INTAKE_REGEN_GOLDENS"
INDENT = "  "


def _quoted(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)  # one line whatever the text holds; spaces stay visible


def _table(table: Table, depth: int) -> list[str]:
    pad = INDENT * depth
    lines = [f"{pad}table p{table.page} rows={len(table.rows)}"]
    for index, row in enumerate(table.rows):
        lines.append(f"{pad}{INDENT}row {index}")
        for cell in row:
            spans = f" rowspan={cell.row_span}" if cell.row_span > 1 else ""
            spans += f" colspan={cell.col_span}" if cell.col_span > 1 else ""
            page = f" p{cell.page}" if cell.page != table.page else ""
            lines.append(f"{pad}{INDENT * 2}cell r{cell.row} c{cell.col}{spans}{page} {_quoted(cell.text)}")
            for inner in cell.tables:
                lines += _table(inner, depth + 3)
    return lines


def document_text(doc: Document) -> str:
    lines = [f"document kind={doc.kind} pages={doc.page_count}"]
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            style = f" style={_quoted(block.style)}" if block.style else ""
            lines.append(f"{INDENT}paragraph p{block.page}{style} {_quoted(block.text)}")
        else:
            lines += _table(block, 1)
    for seal in doc.seals:
        lines.append(f"seal p{seal.page}" + (f" text={_quoted(seal.text)}" if seal.text else ""))
    for picture in doc.pictures:
        lines.append(f"picture {picture.location} p{picture.page} {picture.content_type} {picture.part}")
    for note in doc.notes:
        lines.append(f"note {_quoted(note)}")
    return "\n".join(lines) + "\n"


def check_golden(text: str, golden: Path, regen: bool | None = None) -> bool:
    """Compare with the golden; write it instead when regenerating (returns True then). A missing golden fails."""
    if regen is None:
        regen = os.environ.get(REGEN_ENV) == "1"
    if regen:
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(text, encoding="utf-8")
        return True
    assert golden.is_file(), (
        f"no golden {golden.name}: make it with {REGEN_ENV}=1 pytest tests/test_goldens.py, read it, commit it"
    )
    expected = golden.read_text(encoding="utf-8")
    if text != expected:
        diff = difflib.unified_diff(expected.splitlines(), text.splitlines(), "golden", "now", lineterm="", n=2)
        raise AssertionError(
            f"{golden.name} differs (if the change is right: {REGEN_ENV}=1 and commit the new golden):\n"
            + "\n".join(list(diff)[:80])
        )
    return False
