"""Shared Word plumbing: an A4 document in the fonts of a 公文, paragraphs, tables, deterministic bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime, timezone

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt
from docx.table import Table, _Cell

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
HEADING_FONT = "黑体"


def new_document() -> DocxDocument:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    section.left_margin = section.right_margin = Cm(2.6)
    section.top_margin, section.bottom_margin = Cm(3.0), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.size = Pt(14)
    _east_asian(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.name = "Times New Roman"
    return doc


def _east_asian(rpr, font: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font)


def add_para(container, text: str = "", *, bold: bool = False, size: float | None = None,
             align: str = "", indent: bool = False, font: str | None = None):
    """A paragraph in `container` (document or cell); `align` is '', 'center' or 'right'."""
    para = container.add_paragraph()
    if align:
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER if align == "center" else WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        para.paragraph_format.first_line_indent = Pt(28)
    if text:
        style_run(para.add_run(text), bold=bold, size=size, font=font)
    return para


def style_run(run, *, bold: bool = False, size: float | None = None, font: str | None = None) -> None:
    run.bold = bold or None
    if size:
        run.font.size = Pt(size)
    if font:
        _east_asian(run._r.get_or_add_rPr(), font)


def write_cell(cell: _Cell, text: str, size: float | None = None) -> None:
    """Cell text; '\\n' starts a new paragraph, as when a person presses Enter inside the cell."""
    lines = text.split("\n")
    first = cell.paragraphs[0]
    for i, line in enumerate(lines):
        para = first if i == 0 else cell.add_paragraph()
        if line:
            style_run(para.add_run(line), size=size)


def set_table_font(table: Table, size: float) -> None:
    """Give every run in the table (nested tables included) that has no size of its own `size` points."""
    for run in table._tbl.iter(qn("w:r")):
        rpr = run.get_or_add_rPr()
        if rpr.sz_val is None:
            rpr.sz_val = Pt(size)


def grid_table(container, rows: int, widths_cm: list[float]) -> Table:
    table = container.add_table(rows=rows, cols=len(widths_cm))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for column, width in zip(table.columns, widths_cm, strict=True):
        column.width = Cm(width)  # the grid, which LibreOffice follows
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm, strict=True):
            cell.width = Cm(width)  # the cells, which Word follows
    return table


def finish(doc: DocxDocument, *, title: str, author: str, created: str) -> bytes:
    """Fixed core properties and zip timestamps, so the same spec always gives the same bytes."""
    when = datetime.fromisoformat(created.replace("Z", "+00:00")).astimezone(timezone.utc).replace(tzinfo=None)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, author, author
    props.comments, props.subject, props.keywords, props.category = "", "", "", ""
    props.created = props.modified = when
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return repack(buf.getvalue(), when.timetuple()[:6])


def repack(data: bytes, date_time: tuple) -> bytes:
    """Rewrite a zip with every member stamped `date_time` (python-docx stamps the current time)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=date_time)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            member.create_system = 3
            dst.writestr(member, src.read(info.filename))
    return out.getvalue()
