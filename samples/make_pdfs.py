"""Text PDFs and legacy Word files made from the Word samples, with their ground truth.

    python -m samples.make_pdfs [--samples samples]     # after python -m samples.generate

Units send a Word file and a stamped PDF of it, and some still send .doc/.wps. For a few chosen Word
samples this prints the file to PDF with LibreOffice (some in another CJK font, as different
machines would), places a picture of the unit's red seal next to 单位盖章 (or on the signature of a
reply/report) — except on one plan, which is left unstamped — and saves two more as Word 97 files
(one under a WPS name). Output: samples/inbox/pdf/*.pdf, samples/inbox/legacy/*.doc|*.wps.

The truth is the Word sample's truth for the new rendering (``truth_for(spec, "pdf_text", stamped)``):
the same fields, ``source_kind`` pdf_text, ``stamp_present`` true/false and ``missing_stamp`` on the
unstamped plan; legacy files keep ``source_kind`` docx. Nothing here runs the pipeline.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import math
import re
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from extractors.legacy import soffice_convert  # noqa: E402
from samples.generator import dumps, spec_by_file, truth_file_name, truth_for  # noqa: E402
from samples.generator.units import unit_name  # noqa: E402

NOTO_SERIF = "Noto Serif CJK SC"
WQY = "WenQuanYi Zen Hei"
SEAL_PT = 119.0  # 42 mm, the usual diameter of a unit's official seal
SEAL_RED = (215, 30, 35)
SEAL_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@dataclass(frozen=True)
class Pick:
    source: str  # Word sample in samples/inbox
    stamped: bool = True
    font: str | None = None  # CJK font the printing machine had; None: LibreOffice's own fallback


PDF_PICKS = [
    Pick("海西州科协-特色亮点活动筹备方案.docx"),
    Pick("省医学会 特色亮点活动方案.docx", font=NOTO_SERIF),  # legacy form-field ticks
    Pick("盐湖股份科协活动筹备方案.docx", font=WQY),  # one table per activity, boxed ticks
    Pick("组人部-特色亮点活动筹备方案.docx"),
    Pick("QHU-tese-huodong-fangan.docx", font=NOTO_SERIF),  # content-control ticks
    Pick("海东市科协活动筹备方案.docx", stamped=False),  # printed, never stamped → missing_stamp
    Pick("海东市科协联络员回执表.docx", font=WQY),
    Pick("海西州科协-活动总结报告.docx", font=NOTO_SERIF),
]
LEGACY_PICKS = [("青海省科技馆-筹备方案.docx", ".doc"), ("回执表-蓝科锂业.docx", ".wps")]


def make(samples: Path) -> list[str]:
    inbox, truth_dir = samples / "inbox", samples / "truth"
    missing = [p.source for p in PDF_PICKS if not (inbox / p.source).is_file()]
    missing += [name for name, _ in LEGACY_PICKS if not (inbox / name).is_file()]
    if missing:
        raise SystemExit(f"Word samples missing (run python -m samples.generate first): {missing}")
    written = []
    with tempfile.TemporaryDirectory(prefix="make-pdfs-") as tmp:
        work = Path(tmp)
        for pick in PDF_PICKS:
            rel = f"pdf/{Path(pick.source).stem}.pdf"
            _write(inbox / rel, _pdf_for(inbox / pick.source, pick, work))
            _write_truth(truth_dir, rel, truth_for(spec_by_file(pick.source), "pdf_text", pick.stamped, file=rel))
            written.append(rel)
        for source, suffix in LEGACY_PICKS:
            rel = f"legacy/{Path(source).stem}{suffix}"
            _write(inbox / rel, _word97(inbox / source, work))
            _write_truth(truth_dir, rel, truth_for(spec_by_file(source), "docx", file=rel))
            written.append(rel)
    return written


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _write_truth(truth_dir: Path, rel: str, truth: dict) -> None:
    truth_dir.mkdir(parents=True, exist_ok=True)
    (truth_dir / truth_file_name(rel)).write_text(dumps(truth), encoding="utf-8")


# --------------------------------------------------------------------------- PDF


def _pdf_for(source: Path, pick: Pick, work: Path) -> bytes:
    job = work / hashlib.sha1(source.name.encode()).hexdigest()[:10]
    job.mkdir()
    docx_copy = job / "input.docx"
    docx_copy.write_bytes(_with_font(source.read_bytes(), pick.font) if pick.font else source.read_bytes())
    pdf_path = soffice_convert(docx_copy, "pdf", job / "out", timeout=180)
    if pick.stamped:
        spec = spec_by_file(pick.source)
        _stamp(pdf_path, unit_name(spec.unit_id) or spec.unit_raw, spec.unit_raw)
    return _deterministic(pdf_path.read_bytes(), seed=pick.source)


def _with_font(docx_bytes: bytes, font: str) -> bytes:
    """The same Word file with every East Asian font set to ``font`` (what another machine would print)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename in ("word/document.xml", "word/styles.xml"):
                text = data.decode("utf-8")
                text = re.sub(r'w:eastAsiaTheme="[^"]*"', "", text)
                text = re.sub(r'w:eastAsia="[^"]*"', f'w:eastAsia="{font}"', text)
                if info.filename == "word/styles.xml" and "w:eastAsia=" not in text:
                    text = text.replace("<w:rPrDefault><w:rPr>",
                                        f'<w:rPrDefault><w:rPr><w:rFonts w:eastAsia="{font}"/>', 1)
                data = text.encode("utf-8")
            dst.writestr(info, data)
    return out.getvalue()


def _stamp(pdf_path: Path, seal_text: str, signature: str) -> None:
    """Place the seal picture over 单位盖章 (plans) or the unit's signature (replies, reports)."""
    page_index, (cx, cy) = _seal_spot(pdf_path, signature)
    picture = seal_image(seal_text, size=360)
    doc = pdfium.PdfDocument(pdf_path)
    page = doc[page_index]
    width, height = page.get_size()
    x0 = min(max(cx - SEAL_PT / 2, 10), width - SEAL_PT - 10)
    top = min(max(cy - SEAL_PT / 2, 10), height - SEAL_PT - 10)
    image = pdfium.PdfImage.new(doc)
    image.set_bitmap(pdfium.PdfBitmap.from_pil(picture))
    image.set_matrix(pdfium.PdfMatrix().scale(SEAL_PT, SEAL_PT).translate(x0, height - top - SEAL_PT))
    page.insert_obj(image)
    page.gen_content()
    buf = io.BytesIO()
    doc.save(buf)
    doc.close()
    pdf_path.write_bytes(buf.getvalue())


def _seal_spot(pdf_path: Path, signature: str) -> tuple[int, tuple[float, float]]:
    """Page index and centre (points from top-left) where the unit would press its seal."""
    with pdfplumber.open(pdf_path) as pdf:
        for i, page in enumerate(pdf.pages):
            hits = page.search("单位盖章")
            if hits:
                hit = hits[0]
                return i, (hit["x1"] + 70, (hit["top"] + hit["bottom"]) / 2)
        last = pdf.pages[-1]
        hits = last.search(re.escape(signature)) if signature else []
        if hits:
            hit = hits[-1]
            return len(pdf.pages) - 1, ((hit["x0"] + hit["x1"]) / 2, (hit["top"] + hit["bottom"]) / 2)
        words = last.extract_words()
        bottom = max((w["bottom"] for w in words), default=last.height / 2)
        return len(pdf.pages) - 1, (last.width * 0.7, bottom - 10)


def _deterministic(data: bytes, seed: str) -> bytes:
    """Same bytes on every run: dates and the document id replaced by fixed values of the same length
    (so the cross-reference offsets stay right)."""
    digest = hashlib.sha256(seed.encode("utf-8")).hexdigest().upper().encode()
    data = re.sub(rb"D:\d{14}", b"D:20210508090000", data)
    data = re.sub(rb"/DocChecksum\s*/[0-9A-F]{32}", lambda m: m.group(0)[:-32] + digest[:32], data)  # LibreOffice's

    def fixed_id(m: re.Match) -> bytes:
        return b"<" + (digest * 4)[: len(m.group(1))] + b">"

    return re.sub(rb"<([0-9A-Fa-f]{16,})>", fixed_id, data) if b"/ID" in data else data


def seal_image(text: str = "海东市科学技术协会", size: int = 240) -> Image.Image:
    """A round red seal: ring, five-pointed star, unit name along the top arc (transparent outside)."""
    img = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    red = SEAL_RED + (235,)
    draw.ellipse((6, 6, size - 6, size - 6), outline=red, width=max(size // 24, 3))
    outer, inner = size / 6, size / 15
    star = [
        (size / 2 + (outer if k % 2 == 0 else inner) * math.sin(math.pi * k / 5),
         size / 2 - (outer if k % 2 == 0 else inner) * math.cos(math.pi * k / 5))
        for k in range(10)
    ]
    draw.polygon(star, fill=red)
    font = ImageFont.truetype(SEAL_FONT, size // 9)
    n, spread = len(text), min(240, 24 * len(text))
    for i, ch in enumerate(text):
        angle = -90 - spread / 2 + spread * i / max(n - 1, 1)  # degrees, across the top of the ring
        glyph = Image.new("RGBA", (size // 7, size // 7), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((2, 0), ch, font=font, fill=red)
        glyph = glyph.rotate(-angle - 90, expand=True)
        r = size * 0.33
        cx = size / 2 + r * math.cos(math.radians(angle)) - glyph.width / 2
        cy = size / 2 + r * math.sin(math.radians(angle)) - glyph.height / 2
        img.alpha_composite(glyph, (int(cx), int(cy)))
    return img


# --------------------------------------------------------------------------- Word 97


def _word97(source: Path, work: Path) -> bytes:
    job = work / ("legacy-" + hashlib.sha1(source.name.encode()).hexdigest()[:10])
    job.mkdir()
    copy = job / "input.docx"
    copy.write_bytes(_paragraph_after_last_table(source.read_bytes()))
    return soffice_convert(copy, "doc:MS Word 97", job / "out", timeout=180).read_bytes()


def _paragraph_after_last_table(docx_bytes: bytes) -> bytes:
    """Word always keeps a paragraph after a table that ends the document; python-docx does not, and
    LibreOffice's Word 97 export then drops that table. Add the paragraph Word would have saved."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = re.sub(rb"</w:tbl>(\s*<w:sectPr)", rb"</w:tbl><w:p/>\1", data)
            dst.writestr(info, data)
    return out.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make text PDFs and .doc/.wps files from the Word samples")
    parser.add_argument("--samples", type=Path, default=Path(__file__).resolve().parent,
                        help="folder holding inbox/ and truth/ (default: samples/)")
    args = parser.parse_args(argv)
    names = make(args.samples)
    print(f"wrote {len(names)} files and their truth: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

