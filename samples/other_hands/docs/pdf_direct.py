"""Text PDFs written directly, the way WPS's exporter writes them: every character placed on its own, table lines
drawn as thin filled rectangles, the seal an RGBA picture printed with a multiply blend (or vector art)."""

from __future__ import annotations

import io
import math
from pathlib import Path

from reportlab.lib.colors import Color, black
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from .model import Seal
from .seal import RED, star_points

W, H = 595.28, 841.89
LEFT, RIGHT, TOP, BOTTOM = 72.0, W - 72.0, H - 64.0, 64.0
_FONTS_READY = False
SEAL_RED = Color(RED[0] / 255, RED[1] / 255, RED[2] / 255)


def _fonts():
    global _FONTS_READY
    if not _FONTS_READY:
        pdfmetrics.registerFont(TTFont("WQY", "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", subfontIndex=0))
        pdfmetrics.registerFont(TTFont("DejaVu", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"))
        _FONTS_READY = True


class Sheet:
    """A page cursor that writes characters one by one and breaks pages."""

    def __init__(self, path: Path, font: str = "WQY", spaced: bool = False):
        _fonts()
        self.buf = io.BytesIO()
        self.c = Canvas(self.buf, pagesize=(W, H), invariant=1, pageCompression=1)
        self.c.setAuthor("")
        self.c.setCreator("WPS 文字")
        self.c.setProducer("")
        self.path = path
        self.font = font
        self.spaced = spaced
        self.y = TOP
        self.marks: dict[str, tuple[int, float, float]] = {}  # name → (page, x, y) for the seal
        self.page = 1

    def font_for(self, ch: str) -> str:
        if ch in "☑☐☒✓":
            return "DejaVu"
        return self.font

    def width(self, text: str, size: float) -> float:
        return sum(pdfmetrics.stringWidth(ch, self.font_for(ch), size) for ch in text)

    def chars(self, x: float, y: float, text: str, size: float, color=black, gap: float = 0.0):
        """Place each character on its own text matrix (the WPS way); `spaced` adds a real space glyph after CJK."""
        c = self.c
        t = c.beginText()
        t.setFillColor(color)
        for ch in text:
            font = self.font_for(ch)
            t.setFont(font, size)
            t.setTextOrigin(x, y)
            t.textOut(ch)
            adv = pdfmetrics.stringWidth(ch, font, size) + gap
            if self.spaced and "\u4e00" <= ch <= "\u9fff":
                t.setTextOrigin(x + adv, y)
                t.textOut(" ")
                adv += size * 0.25
            x += adv
        c.drawText(t)
        return x

    def wrap(self, text: str, size: float, width: float) -> list[str]:
        lines, cur = [], ""
        for ch in text:
            extra = size * 0.25 if self.spaced and "\u4e00" <= ch <= "\u9fff" else 0
            if self.width(cur + ch, size) + extra * (len(cur) + 1) > width and cur:
                lines.append(cur)
                cur = ""
            cur += ch
        if cur:
            lines.append(cur)
        return lines or [""]

    def need(self, h: float):
        if self.y - h < BOTTOM:
            self.c.showPage()
            self.page += 1
            self.y = TOP

    def line(
        self,
        text: str,
        size: float = 12,
        align: str = "left",
        color=black,
        indent: float = 0.0,
        lead: float = 1.6,
        mark: str = "",
    ):
        for i, ln in enumerate(self.wrap(text, size, RIGHT - LEFT - indent)):
            self.need(size * lead)
            self.y -= size * lead
            w = self.width(ln, size)
            x = {"left": LEFT + (indent if i == 0 else 0), "center": (W - w) / 2, "right": RIGHT - w}[align]
            self.chars(x, self.y, ln, size, color)
            if mark and i == 0:
                self.marks[mark] = (self.page, x + w / 2, self.y + size / 2)

    def rule(self, x0, y0, x1, y1, width=0.6, color=black):
        """A table line as WPS draws it: a thin filled rectangle, not a stroked path."""
        self.c.setFillColor(color)
        if abs(y0 - y1) < 0.01:
            self.c.rect(min(x0, x1), y0 - width / 2, abs(x1 - x0), width, stroke=0, fill=1)
        else:
            self.c.rect(x0 - width / 2, min(y0, y1), width, abs(y1 - y0), stroke=0, fill=1)
        self.c.setFillColor(black)

    def table(
        self,
        rows: list[list[str]],
        widths: list[float],
        size: float = 10.5,
        marks: dict | None = None,
        spans: dict | None = None,
    ):
        """rows of cell texts; spans {(r, c): n} merges n columns; '' cells under a span are skipped."""
        spans = spans or {}
        pad = 4.0
        xs = [LEFT]
        for w_ in widths:
            xs.append(xs[-1] + w_)
        for r, row in enumerate(rows):
            cells = []
            c = 0
            while c < len(row):
                n = spans.get((r, c), 1)
                cw = xs[c + n] - xs[c]
                cells.append((c, n, self.wrap(row[c], size, cw - 2 * pad)))
                c += n
            h = max(len(lines) for _, _, lines in cells) * size * 1.45 + 2 * pad
            self.need(h)
            top = self.y
            for c, _n, lines in cells:
                for i, ln in enumerate(lines):
                    self.chars(xs[c] + pad, top - pad - (i + 1) * size * 1.3, ln, size)
                if marks and (r, c) in marks:
                    self.marks[marks[(r, c)]] = (self.page, xs[c] + pad + self.width(lines[0], size) * 0.6, top - h / 2)
            self.rule(xs[0], top, xs[-1], top)
            self.rule(xs[0], top - h, xs[-1], top - h)
            for c, _n, _ in cells:
                self.rule(xs[c], top, xs[c], top - h)
            self.rule(xs[-1], top, xs[-1], top - h)
            self.y = top - h

    def finish(self, seal: Seal | None, seal_png: bytes | None, at: str, red: str = ""):
        self.c.showPage()
        self.c.save()
        data = self.buf.getvalue()
        if seal is not None or red:
            data = _overlay(data, self.marks, seal, seal_png, at, red, self.font)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_bytes(data)


def _overlay(data: bytes, marks, seal, seal_png, at, red, font) -> bytes:
    """Seal and red decorations are drawn in a second pass over the finished pages (as a signing tool does)."""
    import pikepdf

    page_no, x, y = marks.get(at, (1, RIGHT - 90, TOP - 120))
    stamp_buf = io.BytesIO()
    c = Canvas(stamp_buf, pagesize=(W, H), invariant=1)
    pages = len(pikepdf.open(io.BytesIO(data)).pages)
    for p in range(1, pages + 1):
        if p == 1 and red:
            _red_decoration(c, red, font)
        if p == page_no and seal is not None:
            c.saveState()
            c.setBlendMode("Multiply")
            r = 58.0
            if seal.vector:
                _vector_seal(c, seal, x, y, r)
            else:
                c.drawImage(ImageReader(io.BytesIO(seal_png)), x - r, y - r, 2 * r, 2 * r, mask="auto")
            c.restoreState()
        c.showPage()
    c.save()
    base = pikepdf.open(io.BytesIO(data))
    over = pikepdf.open(io.BytesIO(stamp_buf.getvalue()))
    overlay_pages(base, over)
    out = io.BytesIO()
    base.save(out, deterministic_id=True)
    return out.getvalue()


def overlay_pages(base, over) -> None:
    """Draw each page of `over` on top of the same page of `base` under a fixed resource name (pikepdf's own
    add_overlay picks a random one, which would change the bytes on every run)."""
    import pikepdf

    for i, page in enumerate(base.pages):
        form = base.copy_foreign(over.pages[i].as_form_xobject())
        name = f"/SealLayer{i + 1}"  # one name per page: LibreOffice shares one resource dictionary between pages
        page.add_resource(form, pikepdf.Name.XObject, name=pikepdf.Name(name))
        page.contents_add(pikepdf.Stream(base, b"q\n"), prepend=True)
        page.contents_add(pikepdf.Stream(base, f"\nQ q {name} Do Q\n".encode()), prepend=False)


def _red_decoration(c: Canvas, red: str, font: str):
    c.saveState()
    c.setFillColor(SEAL_RED)
    c.setStrokeColor(SEAL_RED)
    if red == "underline":
        c.setLineWidth(2.2)
        c.line(LEFT, TOP - 58, RIGHT, TOP - 58)
        c.setLineWidth(0.8)
        c.line(LEFT, TOP - 62, RIGHT, TOP - 62)
    elif red == "logo":  # a unit emblem in the corner: red, round-ish, but no ring text and no star
        c.roundRect(LEFT - 40, TOP + 14, 30, 30, 6, stroke=0, fill=1)
        c.setFillColorRGB(1, 1, 1)
        c.setFont("WQY", 15)
        c.drawCentredString(LEFT - 25, TOP + 22, "科")
        c.setFillColor(SEAL_RED)
        c.setFont("WQY", 8)
        c.drawString(LEFT - 6, TOP + 26, "青海科协系统")
    c.restoreState()


def _vector_seal(c: Canvas, seal: Seal, x: float, y: float, r: float):
    c.setStrokeColor(SEAL_RED)
    c.setFillColor(SEAL_RED)
    c.setLineWidth(2.4)
    c.circle(x, y, r - 2, stroke=1, fill=0)
    pts = star_points(x, H - y, r * 0.3)
    path = c.beginPath()
    path.moveTo(pts[0][0], H - pts[0][1])
    for px, py in pts[1:]:
        path.lineTo(px, H - py)
    path.close()
    c.drawPath(path, stroke=0, fill=1)
    n = len(seal.ring_text)
    size = 11.5 if n <= 10 else 9.5 if n <= 14 else 8
    span = min(240.0, 19.0 * n + 40)
    step = span / max(n - 1, 1)
    for i, ch in enumerate(seal.ring_text):
        ang = -span / 2 + i * step
        th = math.radians(ang)
        rr = r - 4 - size * 0.9
        c.saveState()
        c.translate(x + rr * math.sin(th), y + rr * math.cos(th))
        c.rotate(-ang)
        c.setFont("WQY", size)
        c.drawCentredString(0, -size * 0.35, ch)
        c.restoreState()
    if seal.centre_text:
        c.setFont("WQY", size)
        c.drawCentredString(x, y - r * 0.62, seal.centre_text)
