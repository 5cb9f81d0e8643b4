"""HTML → PDF (Chromium or LibreOffice) → page images, and where the invisible anchors landed."""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pdfplumber
from PIL import Image

logging.getLogger("pdfminer").setLevel(logging.ERROR)

MARKER = re.compile(r"@@(\w+)@@")


@dataclass(frozen=True)
class Anchor:
    page: int  # 0-based
    x: float  # points from the left
    y: float  # points from the top (the line the anchor sits on: its text's vertical middle)


@dataclass(frozen=True)
class Glyph:
    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


@dataclass
class Rendered:
    pages: list[Image.Image]  # RGB at `dpi`
    dpi: int
    anchors: dict[str, Anchor]
    glyphs: list[Glyph]  # every visible character, for placing ticks and dust

    def px(self, points: float) -> int:
        return round(points * self.dpi / 72)


def html_to_pdf(html: str, renderer: str, work: Path) -> Path:
    source = work / "form.html"
    source.write_text(html, encoding="utf-8")
    target = work / "form.pdf"
    if renderer == "chromium":
        command = [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--user-data-dir={work / 'chromium-profile'}",
            f"--print-to-pdf={target}",
            source.as_uri(),
        ]
    else:
        command = [
            "soffice",
            f"-env:UserInstallation={(work / 'lo-profile').as_uri()}",
            "--headless",
            "--infilter=HTML (StarWriter)",  # Writer proper (page styles, A4), not Writer/Web
            "--convert-to",
            "pdf:writer_pdf_Export",
            "--outdir",
            str(work),
            str(source),
        ]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    if not target.exists():
        raise RuntimeError(f"{renderer} wrote no PDF for {source}")
    return target


def pdf_layout(pdf_path: Path) -> tuple[dict[str, Anchor], list[Glyph]]:
    anchors: dict[str, Anchor] = {}
    glyphs: list[Glyph] = []
    with pdfplumber.open(pdf_path) as pdf:
        for number, pdf_page in enumerate(pdf.pages):
            chars = pdf_page.chars
            text = "".join(c["text"] for c in chars)
            for match in MARKER.finditer(text):
                first = chars[match.start()]
                middle = (first["top"] + first["bottom"]) / 2
                anchors[match.group(1)] = Anchor(number, first["x0"], middle)
            marker_spans = [range(m.start(), m.end()) for m in MARKER.finditer(text)]
            for i, c in enumerate(chars):
                if c["text"].strip() and not any(i in span for span in marker_spans):
                    glyphs.append(Glyph(number, c["text"], c["x0"], c["x1"], c["top"], c["bottom"]))
    return anchors, glyphs


def rasterise(pdf_path: Path, dpi: int, work: Path) -> list[Image.Image]:
    prefix = work / "page"
    command = ["pdftoppm", "-r", str(dpi), "-png", str(pdf_path), str(prefix)]
    subprocess.run(command, check=True, capture_output=True, timeout=240)
    files = sorted(work.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1]))
    return [Image.open(f).convert("RGB") for f in files]


def render(html: str, renderer: str, dpi: int) -> Rendered:
    with tempfile.TemporaryDirectory(prefix="oh-images-") as tmp:
        work = Path(tmp)
        pdf_path = html_to_pdf(html, renderer, work)
        anchors, glyphs = pdf_layout(pdf_path)
        pages = rasterise(pdf_path, dpi, work)
    return Rendered(pages, dpi, anchors, glyphs)
