"""The document model every extractor produces and the form reader consumes.

Extractors know file formats, not forms. Whatever the format (Word, text PDF,
scan), they hand over the same thing: blocks in reading order (paragraphs and
tables), seals found on the pages, and per-item page/bbox/confidence where the
format has them.

Conventions every extractor follows, so one form reader serves all formats:
- A table row lists the cells that *start* in that row, left to right. A cell
  merged across columns appears once with ``col_span > 1``; a cell merged down
  several rows appears only in its first row with ``row_span > 1``.
- A checkbox that is a control rather than text (Word content-control or
  legacy form-field checkbox, PDF AcroForm box, a drawn box on a scan) is
  written into the text as ``☑`` (ticked) or ``☐`` (empty), or ``�`` when
  the extractor cannot tell. Ticks typed as text (``（√）``, ``■``) stay as written.
- Text is kept as read: no normalisation of digits or widths here.
- Pictures stored inside the file (a Word file's media parts) are listed in
  ``Document.pictures`` with their bytes; extract_document checks them for an
  electronic seal. A scan's page images are not listed there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Union

SourceKind = Literal["docx", "pdf_text", "pdf_scan", "image"]
PictureLocation = Literal["body", "header", "footer"]
BBox = tuple[float, float, float, float]  # x0, y0, x1, y1 in the page's own units (points or pixels)


def boxes_overlap(a: BBox, b: BBox | None) -> bool:
    """True when the two boxes share some area (touching edges do not count)."""
    if b is None:
        return False
    return min(a[2], b[2]) > max(a[0], b[0]) and min(a[3], b[3]) > max(a[1], b[1])


TICKED = "☑"
UNTICKED = "☐"
UNDECIDED = "\ufffd"  # the extractor saw a box but cannot tell its state


@dataclass
class Cell:
    text: str
    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    page: int = 1
    bbox: BBox | None = None
    confidence: float | None = None  # 0–1 reading confidence (OCR); None = exact (text layer)
    tables: list[Table] = field(default_factory=list)  # tables nested inside this cell


@dataclass
class Table:
    rows: list[list[Cell]]
    page: int = 1
    bbox: BBox | None = None

    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row]


@dataclass
class Paragraph:
    text: str
    page: int = 1
    bbox: BBox | None = None
    confidence: float | None = None
    style: str | None = None  # e.g. "Heading 1" where the format names it


Block = Union[Paragraph, Table]  # noqa: UP007 - a runtime alias, must work on Python 3.10


@dataclass
class Seal:
    """A red official seal (公章) seen on a page: the evidence for stamp_present."""

    page: int
    bbox: BBox | None = None
    text: str | None = None  # ring text, when it could be read
    confidence: float | None = None  # how seal-like the shape is
    crop_path: str | None = None  # image of the seal kept as evidence
    centre_text: str | None = None  # a line across the middle (`办公室`), when there is one
    text_confidence: float | None = None  # the recogniser's, for the ring text


@dataclass
class EmbeddedPicture:
    """A picture the document shows that is stored in the file itself (an electronic seal is one)."""

    part: str  # the package member holding it, e.g. "word/media/image1.png"
    content_type: str  # as the package declares it, e.g. "image/png"
    data: bytes = field(repr=False)  # the stored bytes (the file is not reopened to get them)
    page: int = 1  # Word files carry no page layout: 1 unless the format knows the page
    location: PictureLocation = "body"  # a seal in a header counts too


@dataclass
class Document:
    source: Path
    kind: SourceKind
    blocks: list[Block] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)
    page_count: int = 1
    notes: list[str] = field(default_factory=list)  # extractor remarks worth showing staff
    crops_dir: str | None = None  # where per-region crops of a scan were written, if any
    page_images: dict[int, str] = field(default_factory=dict)  # page -> rendered image path (scans)
    pictures: list[EmbeddedPicture] = field(default_factory=list)  # stored in the file, in reading order

    def iter_paragraphs(self) -> list[Paragraph]:
        """Top-level paragraphs in reading order (table cells are not included)."""
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    def iter_tables(self) -> list[Table]:
        """Every table, nested ones after their parent, in reading order."""
        out: list[Table] = []

        def walk(table: Table) -> None:
            out.append(table)
            for cell in table.cells():
                for inner in cell.tables:
                    walk(inner)

        for block in self.blocks:
            if isinstance(block, Table):
                walk(block)
        return out

    def all_text(self) -> str:
        """Every piece of text, in reading order, one line each (for form recognition)."""
        lines: list[str] = []

        def table_lines(table: Table) -> None:
            for cell in table.cells():
                lines.append(cell.text)
                for inner in cell.tables:
                    table_lines(inner)

        for block in self.blocks:
            if isinstance(block, Paragraph):
                lines.append(block.text)
            else:
                table_lines(block)
        return "\n".join(lines)
