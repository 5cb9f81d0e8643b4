"""Small python-docx helpers: the three office suites' looks, checkboxes, floating seals, reproducible bytes."""

from __future__ import annotations

import copy
import io
import itertools
import zipfile
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Pt, RGBColor

_SDT_IDS = itertools.count(100)
W14 = 'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml"'


@dataclass(frozen=True)
class Look:
    """How one office suite / one typist sets a document."""

    name: str  # word | wps | lo
    body_font: str
    title_font: str
    latin_font: str
    body_pt: float
    title_pt: float
    table_style: str | None
    app: str  # docProps/app.xml Application


LOOKS = {
    "word": Look("word", "宋体", "黑体", "Times New Roman", 12, 18, "Table Grid", "Microsoft Office Word"),
    "wps": Look(
        "wps", "仿宋_GB2312", "方正小标宋简体", "Times New Roman", 14, 20, "Table Grid", "WPS Office_11.1.0.10314"
    ),
    "lo": Look(
        "lo",
        "Noto Serif CJK SC",
        "Noto Sans CJK SC",
        "Liberation Serif",
        11,
        16,
        "Table Grid",
        "LibreOffice/7.4.7.2$Linux_X86_64 LibreOffice_project/40$Build-2",
    ),
}


def set_font(run, look: Look, size: float | None = None, bold: bool = False, east: str | None = None, color=None):
    run.font.name = look.latin_font
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east or look.body_font)
    run.font.size = Pt(size or look.body_pt)
    run.font.bold = bold or None
    if color:
        run.font.color.rgb = RGBColor(*color)


def new_document(look: Look):
    global _SDT_IDS
    _SDT_IDS = itertools.count(100)
    doc = Document()
    sec = doc.sections[0]
    sec.page_height, sec.page_width = Cm(29.7), Cm(21.0)
    margin = {"word": 2.54, "wps": 2.8, "lo": 2.0}[look.name]
    sec.left_margin = sec.right_margin = Cm(margin)
    sec.top_margin = sec.bottom_margin = Cm(2.5 if look.name != "lo" else 2.0)
    normal = doc.styles["Normal"]
    normal.font.name = look.latin_font
    normal.font.size = Pt(look.body_pt)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), look.body_font)
    doc.core_properties.author = {"word": "Administrator", "wps": "lenovo", "lo": ""}[look.name]
    return doc


def para(
    doc_or_cell,
    text: str,
    look: Look,
    size=None,
    bold=False,
    align=None,
    east=None,
    color=None,
    indent=False,
    space_after: float | None = None,
):
    p = doc_or_cell.add_paragraph()
    if text:
        set_font(p.add_run(text), look, size, bold, east, color)
    if align == "center":
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if indent:
        p.paragraph_format.first_line_indent = Pt((size or look.body_pt) * 2)
    if space_after is not None:
        p.paragraph_format.space_after = Pt(space_after)
    return p


def title(doc, lines: list[str], look: Look, color=None):
    for line in lines:
        para(
            doc,
            line,
            look,
            size=look.title_pt,
            bold=look.name == "word",
            align="center",
            east=look.title_font,
            color=color,
            space_after=2,
        )


def cell_text(cell, text: str, look: Look, size=None, bold=False, align=None):
    """Replace a cell's content; '\n' starts a new paragraph inside the cell."""
    first = cell.paragraphs[0]
    for extra in cell.paragraphs[1:]:
        extra._element.getparent().remove(extra._element)
    for i, line in enumerate(text.split("\n")):
        p = first if i == 0 else cell.add_paragraph()
        if line:
            set_font(p.add_run(line), look, size or look.body_pt - 1.5, bold)
        if align == "center":
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return cell


def table(doc_or_cell, rows: int, cols: int, look: Look, widths_cm: list[float] | None = None):
    t = doc_or_cell.add_table(rows=rows, cols=cols)
    if look.table_style:
        t.style = look.table_style
    t.alignment = WD_TABLE_ALIGNMENT.CENTER
    if widths_cm:
        t.autofit = False
        for col, w in zip(t.columns, widths_cm, strict=False):
            col.width = Cm(w)
        for row in t.rows:
            for cell, w in zip(row.cells, widths_cm, strict=False):
                cell.width = Cm(w)
    return t


def checkbox_sdt(paragraph, checked: bool, look: Look):
    """A Word 2010+ content-control checkbox (w14:checkbox) showing ☒ / ☐."""
    glyph = "☒" if checked else "☐"
    xml = (
        f'<w:sdt {nsdecls("w")} {W14}><w:sdtPr><w:id w:val="{next(_SDT_IDS)}"/>'
        f'<w14:checkbox><w14:checked w14:val="{1 if checked else 0}"/>'
        '<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        "<w:sdtContent><w:r><w:rPr>"
        '<w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic" w:hint="eastAsia"/>'
        f"</w:rPr><w:t>{glyph}</w:t></w:r></w:sdtContent></w:sdt>"
    )
    paragraph._p.append(parse_xml(xml))


def checkbox_legacy(paragraph, checked: bool):
    """A legacy form-field checkbox (FORMCHECKBOX) as older Word and WPS write it."""
    state = "<w:checked/>" if checked else '<w:checked w:val="0"/>'
    begin = (
        f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val=""/><w:enabled/>'
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/><w:default w:val="0"/>{state}</w:checkBox>'
        "</w:ffData></w:fldChar></w:r>"
    )
    paragraph._p.append(parse_xml(begin))
    paragraph._p.append(
        parse_xml(f'<w:r {nsdecls("w")}><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>')
    )
    paragraph._p.append(parse_xml(f'<w:r {nsdecls("w")}><w:fldChar w:fldCharType="end"/></w:r>'))


_ANCHOR = (
    '<wp:anchor {ns} distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" '
    'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
    '<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="{rel_h}"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="{rel_v}"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
    '<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
    '<wp:docPr id="{pid}" name="电子印章 {pid}"/><wp:cNvGraphicFramePr/>{graphic}</wp:anchor>'
)


def floating_picture(paragraph, png: bytes, size_cm: float, x_cm: float, y_cm: float, rel: str = "paragraph"):
    """Insert a picture floating in front of the text (as WPS/Word place an electronic seal)."""
    run = paragraph.add_run()
    inline_shape = run.add_picture(io.BytesIO(png), width=Cm(size_cm), height=Cm(size_cm))
    inline = inline_shape._inline
    graphic = inline.find(qn("a:graphic"))
    emu = int(Cm(1))
    xml = _ANCHOR.format(
        ns=nsdecls("wp", "a", "pic", "r"),
        rel_h="column",
        rel_v=rel,
        x=int(x_cm * emu),
        y=int(y_cm * emu),
        cx=int(size_cm * emu),
        cy=int(size_cm * emu),
        pid=inline.docPr.id,
        graphic="{graphic}",
    )
    anchor = parse_xml(xml.replace("{graphic}", ""))
    anchor.append(copy.deepcopy(graphic))
    drawing = inline.getparent()
    drawing.replace(inline, anchor)


def inline_picture(paragraph, png: bytes, size_cm: float):
    paragraph.add_run().add_picture(io.BytesIO(png), width=Cm(size_cm), height=Cm(size_cm))


FIXED_TIME = (2021, 5, 7, 9, 30, 0)


def save(doc, path: Path, look: Look, when: tuple = FIXED_TIME) -> None:
    """Save with fixed zip timestamps and the suite's app name, so the same spec gives the same bytes."""
    buf = io.BytesIO()
    doc.core_properties.created = doc.core_properties.modified = __import__("datetime").datetime(*when)
    doc.core_properties.last_modified_by = doc.core_properties.author
    doc.core_properties.revision = 1
    doc.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/app.xml":
                data = _set_app(data, look.app)
            zi = zipfile.ZipInfo(info.filename, date_time=when)
            zi.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(zi, data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(out.getvalue())


def _set_app(data: bytes, app: str) -> bytes:
    text = data.decode("utf-8")
    start, end = text.find("<Application>"), text.find("</Application>")
    if start >= 0 and end > start:
        text = text[: start + len("<Application>")] + app + text[end:]
    return text.encode("utf-8")


def merge_row(t, row: int, c0: int, c1: int):
    return t.cell(row, c0).merge(t.cell(row, c1))


def shade(cell, hex_fill: str):
    tcpr = cell._tc.get_or_add_tcPr()
    tcpr.append(parse_xml(f'<w:shd {nsdecls("w")} w:val="clear" w:color="auto" w:fill="{hex_fill}"/>'))
