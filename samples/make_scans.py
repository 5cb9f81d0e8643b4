"""Stamped scan samples made from the Word samples, with their ground truth.

    python -m samples.make_scans [--samples samples]     # after python -m samples.generate

Units print the form, press the red seal on it and scan or photograph it. For a few chosen Word
samples this prints the file to PDF with LibreOffice, renders the pages at 200 dpi, presses a red
seal (ring, star, the unit's name along the arc; multiplied into the paper so black text under it
stays black) over 单位盖章 or the unit's signature, overlapping the values around it — except on one
plan, which is left unstamped — then turns the page a little (±2°), blurs it, adds noise and JPEG
compression; two pages are scanned upside down. Output goes to samples/inbox/scans/ as JPG, PNG,
multi-page TIFF and image-only PDF.

The truth is the Word sample's truth for the new rendering (``truth_for(spec, kind, stamped)``):
source_kind ``image`` or ``pdf_scan``, ``stamp_present`` true, and ``missing_stamp`` on the
unstamped plan. Nothing here runs the pipeline.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image  # noqa: E402

from extractors.legacy import soffice_convert  # noqa: E402
from extractors.render import render_pdf_pages  # noqa: E402
from samples.generator import dumps, spec_by_file, truth_file_name, truth_for  # noqa: E402
from samples.generator.units import unit_name  # noqa: E402
from samples.make_pdfs import _deterministic, _seal_spot, seal_image  # noqa: E402

DPI = 200
SEAL_MM = 42  # the usual diameter of a unit's official seal


@dataclass(frozen=True)
class ScanPick:
    source: str  # Word sample in samples/inbox
    fmt: str  # jpg | png | tiff | pdf
    stamped: bool = True
    upside_down: tuple[int, ...] = ()  # 1-based pages scanned upside down
    seed: int = 0


SCAN_PICKS = [
    ScanPick("guowang_qinghai_plan.docx", "tiff", upside_down=(2,), seed=1),  # drawn boxes ☐/☒
    ScanPick("西宁市科协-特色亮点活动筹备方案.docx", "pdf", seed=2),
    ScanPick("黄南州科协-特色亮点活动筹备方案.docx", "pdf", seed=3),
    ScanPick("青海省气像学会-活动方案.docx", "pdf", stamped=False, seed=4),  # → missing_stamp
    ScanPick("省农学会筹备方案.docx", "pdf", seed=5),
    ScanPick("调宣部特色亮点活动方案.docx", "pdf", seed=6),
    ScanPick("玉树州科协回执表.docx", "jpg", upside_down=(1,), seed=7),
    ScanPick("附件2 联络员回执表（青海大学）.docx", "png", seed=8),
    ScanPick("省气象学会总结报告.docx", "pdf", seed=9),
]


def make(samples: Path, picks: list[ScanPick] = SCAN_PICKS) -> list[str]:
    inbox, truth_dir = samples / "inbox", samples / "truth"
    missing = [p.source for p in picks if not (inbox / p.source).is_file()]
    if missing:
        raise SystemExit(f"Word samples missing (run python -m samples.generate first): {missing}")
    written = []
    with tempfile.TemporaryDirectory(prefix="make-scans-") as tmp:
        for i, pick in enumerate(picks):
            job = Path(tmp) / f"job{i}"
            job.mkdir()
            copy = job / "input.docx"
            copy.write_bytes((inbox / pick.source).read_bytes())
            pdf_path = soffice_convert(copy, "pdf", job / "out", timeout=180)
            pages = scanned_pages(pdf_path, pick)
            fmt = pick.fmt if len(pages) == 1 or pick.fmt in ("tiff", "pdf") else "tiff"
            rel = f"scans/{Path(pick.source).stem}.{'tif' if fmt == 'tiff' else fmt}"
            target = inbox / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            data = encode(pages, fmt)
            target.write_bytes(_deterministic(data, seed=rel) if fmt == "pdf" else data)  # no dates in the PDF
            kind = "pdf_scan" if fmt == "pdf" else "image"
            truth = truth_for(spec_by_file(pick.source), kind, pick.stamped, file=rel)
            (truth_dir / truth_file_name(rel)).write_text(dumps(truth), encoding="utf-8")
            written.append(rel)
    return written


def scanned_pages(pdf_path: Path, pick: ScanPick) -> list[np.ndarray]:
    """The printed pages as a scanner would return them (BGR), seal pressed where the unit signs."""
    rng = np.random.default_rng(pick.seed)
    pages = render_pdf_pages(pdf_path, DPI)
    if pick.stamped:
        spec = spec_by_file(pick.source)
        page_index, (cx_pt, cy_pt) = _seal_spot(pdf_path, spec.unit_raw)
        scale = DPI / 72
        # Pressed a little off the printed mark, as people do, so it covers the values around it.
        centre = (cx_pt * scale + rng.uniform(-40, 40), cy_pt * scale + rng.uniform(10, 60))
        seal = seal_image(unit_name(spec.unit_id) or spec.unit_raw, size=480)
        pages[page_index] = press_seal(pages[page_index], seal, centre, SEAL_MM / 25.4 * DPI, rng)
    out = []
    for number, page in enumerate(pages, start=1):
        page = degrade(page, rng, noise=0.0 if pick.fmt == "png" else 1.0)  # lossless PNG: no grain
        out.append(cv2.rotate(page, cv2.ROTATE_180) if number in pick.upside_down else page)
    return out


def press_seal(
    page_bgr: np.ndarray,
    seal_rgba: Image.Image,
    centre: tuple[float, float],
    diameter_px: float,
    rng: np.random.Generator,
    strength: float = 0.9,
) -> np.ndarray:
    """Multiply a seal picture into the page: white paper turns red, black text stays black.

    The ink is uneven (a real seal never prints solid): the alpha is modulated by smooth noise.
    """
    size = max(8, int(round(diameter_px)))
    seal = np.asarray(seal_rgba.convert("RGBA").resize((size, size), Image.LANCZOS), dtype=np.float32) / 255.0
    texture = cv2.GaussianBlur(rng.uniform(0.55, 1.0, (size, size)).astype(np.float32), (0, 0), size / 60)
    alpha = seal[:, :, 3] * np.clip(texture * 1.25, 0, 1) * strength
    ink_bgr = seal[:, :, 2::-1]  # RGBA → BGR
    out = page_bgr.astype(np.float32)
    h, w = out.shape[:2]
    x0, y0 = int(round(centre[0] - size / 2)), int(round(centre[1] - size / 2))
    sx0, sy0 = max(0, -x0), max(0, -y0)
    px0, py0 = max(0, x0), max(0, y0)
    px1, py1 = min(w, x0 + size), min(h, y0 + size)
    if px1 <= px0 or py1 <= py0:
        return page_bgr
    a = alpha[sy0 : sy0 + py1 - py0, sx0 : sx0 + px1 - px0, None]
    ink = ink_bgr[sy0 : sy0 + py1 - py0, sx0 : sx0 + px1 - px0]
    region = out[py0:py1, px0:px1]
    out[py0:py1, px0:px1] = region * (1 - a) + region * ink * a  # multiply blend
    return np.clip(out, 0, 255).astype(np.uint8)


def degrade(page_bgr: np.ndarray, rng: np.random.Generator, noise: float = 1.0) -> np.ndarray:
    """A flatbed scan: slightly turned, soft, noisy (``noise`` scales it), on off-white paper."""
    h, w = page_bgr.shape[:2]
    angle = float(rng.uniform(-2.0, 2.0))
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    page = cv2.warpAffine(page_bgr, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=(250, 250, 250))
    page = cv2.GaussianBlur(page, (0, 0), float(rng.uniform(0.5, 0.9)))
    paper = np.array([rng.uniform(0.93, 0.97), rng.uniform(0.96, 0.99), 1.0], dtype=np.float32)  # BGR tint
    grain = rng.normal(0, noise * float(rng.uniform(2.0, 3.5)), (h, w, 1)).astype(np.float32)
    out = page.astype(np.float32) * paper + grain
    return np.clip(out, 0, 255).astype(np.uint8)


def encode(pages: list[np.ndarray], fmt: str) -> bytes:
    """Pages (BGR) in the file format a unit would send; JPEG inside TIFF and PDF keeps them small."""
    images = [Image.fromarray(cv2.cvtColor(p, cv2.COLOR_BGR2RGB)) for p in pages]
    buf = io.BytesIO()
    if fmt == "jpg":
        images[0].save(buf, "JPEG", quality=68, dpi=(DPI, DPI))
    elif fmt == "png":
        # A scanner's PNG: lossless, so keep it small with a 32-colour palette (no dithering).
        small = images[0].quantize(32, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(buf, "PNG", optimize=True, dpi=(DPI, DPI))
    elif fmt == "tiff":
        images[0].save(
            buf, "TIFF", save_all=True, append_images=images[1:], compression="jpeg", quality=50, dpi=(DPI, DPI)
        )
    elif fmt == "pdf":
        images[0].save(buf, "PDF", save_all=True, append_images=images[1:], resolution=DPI, quality=68)
    else:
        raise ValueError(f"unknown format {fmt!r}")
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make stamped scan samples from the Word samples")
    parser.add_argument(
        "--samples",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="folder holding inbox/ and truth/ (default: samples/)",
    )
    args = parser.parse_args(argv)
    names = make(args.samples)
    total = sum((args.samples / "inbox" / n).stat().st_size for n in names)
    print(f"wrote {len(names)} scans ({total / 1e6:.1f} MB) and their truth: {', '.join(names)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
