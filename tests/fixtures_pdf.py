"""Builds real PDFs for the PDF extractor tests and the PDF benchmark.

Two sources. Word files made with python-docx and printed by LibreOffice
(``soffice --convert-to pdf``) give PDFs as units produce them: embedded CJK
fonts, ruled tables, merged cells, autospacing between CJK and Latin text.
``MiniPdf`` writes small PDFs byte by byte where the layout must be exact or
LibreOffice cannot make it: glyphs placed one by one with gaps (as WPS does),
drawn checkboxes, AcroForm widgets, a vector seal, images, unmapped ``(cid:…)``
glyphs. Its CJK font is the non-embedded Adobe ``STSong-Light`` with the
``UniGB-UCS2-H`` CMap, which pdfminer decodes without any font file.
"""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import docx
from docx.shared import Pt
from pdfminer.fontmetrics import FONT_METRICS
from PIL import Image

from extractors.legacy import soffice_convert

LONG_PARAGRAPH = "活动结束后，各单位及时总结经验做法，报送信息简报和图片资料，省科协择优在网站刊发。" * 40
ACTIVITY_TEXT = "于2021年5月28日在德令哈市召开科技工作者座谈会，邀请各界科技工作者代表约80人参加，交流科研经验。"


class MiniPdf:
    """One-page-layout PDF writer: coordinates are points from the page's top-left, like pdfplumber's."""

    def __init__(self, width: float = 595.0, height: float = 842.0) -> None:
        self.w, self.h = width, height
        self.ops: list[str] = []
        self.annots: list[str] = []
        self.images: list[tuple[bytes, int, int]] = []
        self.unmapped_cjk = False  # True: CJK glyphs without a Unicode map → "(cid:…)"

    def _y(self, top: float) -> float:
        return self.h - top

    def text(
        self,
        x: float,
        top: float,
        s: str,
        size: float = 12.0,
        spacing: float = 0.0,
        rgb: tuple[float, float, float] = (0, 0, 0),
    ) -> float:
        """Write ``s`` from (x, top); ``spacing`` is an extra gap after each CJK glyph. Returns the end x."""
        widths = FONT_METRICS["Helvetica"][1]
        ops, base = [], self._y(top) - size * 0.88
        for run in re.findall(r"[\x00-\x7f]+|[^\x00-\x7f]", s):
            if ord(run[0]) < 128:
                ops.append(f"/F2 {size} Tf 1 0 0 1 {x:.3f} {base:.3f} Tm <{run.encode('latin-1').hex()}> Tj")
                x += sum(widths.get(c, 556) for c in run) * size / 1000
            else:
                ops.append(f"/F1 {size} Tf 1 0 0 1 {x:.3f} {base:.3f} Tm <{run.encode('utf-16-be').hex()}> Tj")
                x += size + spacing
        r, g, b = rgb
        self.ops.append(f"BT {r} {g} {b} rg " + " ".join(ops) + " ET")
        return x

    def line(self, x0: float, t0: float, x1: float, t1: float, width: float = 0.75) -> None:
        self.ops.append(f"{width} w 0 0 0 RG {x0} {self._y(t0)} m {x1} {self._y(t1)} l S")

    def rect(self, x: float, top: float, w: float, h: float, width: float = 0.75) -> None:
        self.ops.append(f"{width} w 0 0 0 RG {x} {self._y(top) - h} {w} {h} re S")

    def circle(
        self, cx: float, ctop: float, rad: float, width: float = 2.0, rgb: tuple[float, float, float] = (0.85, 0.1, 0.1)
    ) -> None:
        k, cy = 0.5523 * rad, self._y(ctop)
        r, g, b = rgb
        self.ops.append(
            f"{width} w {r} {g} {b} RG {cx + rad} {cy} m "
            f"{cx + rad} {cy + k} {cx + k} {cy + rad} {cx} {cy + rad} c "
            f"{cx - k} {cy + rad} {cx - rad} {cy + k} {cx - rad} {cy} c "
            f"{cx - rad} {cy - k} {cx - k} {cy - rad} {cx} {cy - rad} c "
            f"{cx + k} {cy - rad} {cx + rad} {cy - k} {cx + rad} {cy} c S"
        )

    def rounded_box(
        self,
        x: float,
        top: float,
        w: float,
        h: float,
        r: float = 8.0,
        rgb: tuple[float, float, float] = (0.85, 0.1, 0.1),
    ) -> None:
        """A stroked rectangle with rounded corners (a red frame around a heading, say)."""
        x1, y0, y1 = x + w, self._y(top + h), self._y(top)
        k = 0.5523 * r
        cr, cg, cb = rgb
        self.ops.append(
            f"1.5 w {cr} {cg} {cb} RG {x + r} {y0} m {x1 - r} {y0} l "
            f"{x1 - r + k} {y0} {x1} {y0 + r - k} {x1} {y0 + r} c "
            f"{x1} {y1 - r} l {x1} {y1 - r + k} {x1 - r + k} {y1} {x1 - r} {y1} c {x + r} {y1} l "
            f"{x + r - k} {y1} {x} {y1 - r + k} {x} {y1 - r} c {x} {y0 + r} l {x} {y0 + r - k} {x + r - k} {y0} "
            f"{x + r} {y0} c S"
        )

    def grid(self, xs: list[float], tops: list[float]) -> None:
        """A fully ruled table: vertical lines at ``xs``, horizontal ones at ``tops``."""
        for y in tops:
            self.line(xs[0], y, xs[-1], y)
        for x in xs:
            self.line(x, tops[0], x, tops[-1])

    def image(self, picture: Image.Image, x: float, top: float, w: float, h: float) -> None:
        rgb = picture.convert("RGB")
        self.images.append((rgb.tobytes(), rgb.width, rgb.height))
        self.ops.append(f"q {w} 0 0 {h} {x} {self._y(top) - h} cm /Im{len(self.images)} Do Q")

    def checkbox(self, name: str, x: float, top: float, size: float, on: bool) -> None:
        state = "/On" if on else "/Off"
        self.annots.append(
            f"/Type /Annot /Subtype /Widget /FT /Btn /T ({name}) /V {state} /AS {state} "
            f"/Rect [{x} {self._y(top) - size} {x + size} {self._y(top)}]"
        )

    def textfield(self, name: str, x: float, top: float, w: float, h: float, value: str) -> None:
        hexv = "FEFF" + value.encode("utf-16-be").hex()
        self.annots.append(
            f"/Type /Annot /Subtype /Widget /FT /Tx /T ({name}) /V <{hexv}> "
            f"/Rect [{x} {self._y(top) - h} {x + w} {self._y(top)}]"
        )

    def to_bytes(self, pages: int = 1) -> bytes:
        """The PDF; ``pages`` > 1 repeats the page (for page-limit tests)."""
        objs: list[bytes] = [b"", b""]  # catalog and page tree, filled in last

        def add(body: bytes) -> int:
            objs.append(body)
            return len(objs)

        encoding, ordering = (
            ("Identity-H", "(Identity) /Supplement 0") if self.unmapped_cjk else ("UniGB-UCS2-H", "(GB1) /Supplement 2")
        )
        cid = add(
            f"<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo "
            f"<< /Registry (Adobe) /Ordering {ordering} >> /DW 1000 >>".encode()
        )
        f1 = add(
            f"<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /{encoding} "
            f"/DescendantFonts [{cid} 0 R] >>".encode()
        )
        f2 = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>")
        xobjs = []
        for data, pw, ph in self.images:
            raw = zlib.compress(data)
            head = (
                f"<< /Type /XObject /Subtype /Image /Width {pw} /Height {ph} /ColorSpace /DeviceRGB "
                f"/BitsPerComponent 8 /Filter /FlateDecode /Length {len(raw)} >>\nstream\n"
            )
            xobjs.append(add(head.encode() + raw + b"\nendstream"))
        content = "\n".join(self.ops).encode()
        cont = add(f"<< /Length {len(content)} >>\nstream\n".encode() + content + b"\nendstream")
        annots = [add(f"<< {a} >>".encode()) for a in self.annots]
        xo = " ".join(f"/Im{i + 1} {x} 0 R" for i, x in enumerate(xobjs))
        annot_refs = " ".join(f"{a} 0 R" for a in annots)
        kids = []
        for _ in range(pages):
            kids.append(
                add(
                    f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {self.w} {self.h}] "
                    f"/Resources << /Font << /F1 {f1} 0 R /F2 {f2} 0 R >> /XObject << {xo} >> >> "
                    f"/Contents {cont} 0 R /Annots [{annot_refs}] >>".encode()
                )
            )
        objs[1] = f"<< /Type /Pages /Kids [{' '.join(f'{k} 0 R' for k in kids)}] /Count {pages} >>".encode()
        form = f"/AcroForm << /Fields [{annot_refs}] >>" if annots else ""
        objs[0] = f"<< /Type /Catalog /Pages 2 0 R {form} >>".encode()
        out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for i, body in enumerate(objs, 1):
            offsets.append(len(out))
            out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
        xref = len(out)
        out += f"xref\n0 {len(objs) + 1}\n0000000000 65535 f \n".encode()
        out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
        out += f"trailer\n<< /Size {len(objs) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
        return bytes(out)

    def save(self, path: Path, pages: int = 1) -> Path:
        path.write_bytes(self.to_bytes(pages))
        return path


# --------------------------------------------------------------------------- Word → PDF through LibreOffice


def plan_docx(path: Path, *, cjk_font: str | None = None) -> Path:
    """An activity-plan-like Word file: merged cells, typed ticks, Latin and CJK mixed."""
    d = docx.Document()
    if cjk_font:
        _set_east_asian_font(d, cjk_font)
    d.add_paragraph("2021年“全国科技工作者日”特色亮点活动筹备方案（样表）")
    d.add_paragraph("单位盖章：")
    d.add_paragraph("报送时间：2021年5月8日")
    t = d.add_table(rows=6, cols=5)
    t.style = "Table Grid"
    t.cell(0, 0).text = "主办单位名称"
    t.cell(0, 1).merge(t.cell(0, 4)).text = "海西蒙古族藏族自治州科学技术协会"
    t.cell(1, 0).text = "主题活动模块"
    for i, m in enumerate(["团结引领 (√)", "建家办事 ()", "为民服务 (■)", "开放合作 (☑)"]):
        t.cell(1, i + 1).text = m
    t.cell(2, 0).merge(t.cell(3, 0)).text = "主办单位 联系人"
    for col, text in enumerate(["姓 名", "张明", "办公电话", "0977-8223456"], start=1):
        t.cell(2, col).text = text
    for col, text in enumerate(["手 机", "13897012345", "传 真", ""], start=1):
        t.cell(3, col).text = text
    t.cell(4, 0).text = "电子邮箱"
    t.cell(4, 1).merge(t.cell(4, 4)).text = "hxkx2021@163.com"
    t.cell(5, 0).text = "预计活动规模"
    t.cell(5, 1).merge(t.cell(5, 4)).text = "约300人次，邀请各界科技工作者代表约80人参加 Workshop on AI"
    d.add_paragraph("二、工作方案")
    d.add_paragraph("活动1：科技工作者座谈会")
    d.add_paragraph(ACTIVITY_TEXT * 3)
    d.save(path)
    return path


def long_table_docx(path: Path) -> Path:
    """A liaison table that runs onto the next page, then a one-activity table whose long cell is split by
    the page break (Word and LibreOffice let a row break across pages), then a paragraph that does too."""
    d = docx.Document()
    for i in range(18):
        d.add_paragraph(f"第{i}段填充文字，用于把表格推到页面底部附近。")
    t = d.add_table(rows=1, cols=3)
    t.style = "Table Grid"
    for c, tx in zip(t.rows[0].cells, ["姓名", "工作单位及职务", "联系电话"], strict=True):
        c.text = tx
    for i in range(30):
        r = t.add_row().cells
        r[0].text, r[1].text, r[2].text = f"人员{i}", "海东市科协办公室主任", f"1389701{i:04d}"
    d.add_paragraph("表后段落。")
    t2 = d.add_table(rows=2, cols=2)
    t2.style = "Table Grid"
    t2.cell(0, 0).text, t2.cell(0, 1).text = "活动名称", "科普进校园"
    t2.cell(1, 0).text = "主要安排"
    t2.cell(1, 1).text = "组织专家深入中小学开展科普讲座和实验演示活动。" * 40
    closing = d.add_paragraph(LONG_PARAGRAPH)
    closing.paragraph_format.first_line_indent = Pt(22)
    d.save(path)
    return path


def _set_east_asian_font(d: docx.document.Document, font: str) -> None:
    from docx.oxml.ns import qn

    style = d.styles["Normal"]
    style.font.size = Pt(12)
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), font)


def to_pdf(docx_path: Path, outdir: Path) -> Path:
    return soffice_convert(docx_path, "pdf", outdir, timeout=120)
