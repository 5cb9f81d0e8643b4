"""Pages as pixels: image files and PDF pages → BGR arrays; turning pages upright and straight.

Orientation and skew are decided from the OCR result of the page itself (the angle
classifier's vote and the text lines' angles), so they cost no second OCR pass:
the lines are turned with the page.
"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import cv2
import numpy as np

from .errors import ImageUndecodable, PdfBroken
from .ocr import OcrBox

# Rendering resolution for image-only PDF pages (bench/bench_ocr.py --scales): the stamped probe
# page reads 100 % at 200 dpi and 98.8 % at 150 dpi for about the same time (the detector runs at
# a fixed size), and more dpi only costs memory.
RENDER_DPI = 200
# Scans at 300–600 dpi are shrunk to this long side (≈ A4 at 200 dpi) before anything else.
MAX_PAGE_SIDE = 2400


def load_image_pages(path: Path) -> list[np.ndarray]:
    """Every page of an image file (multi-page TIFF gives several) as BGR uint8."""
    from PIL import Image, ImageOps, ImageSequence

    pages: list[np.ndarray] = []
    try:
        with Image.open(path) as im:
            for index, frame in enumerate(ImageSequence.Iterator(im)):
                if index == 0:
                    frame = ImageOps.exif_transpose(frame)  # phone photos store rotation in EXIF
                pages.append(_fit(_to_bgr(frame)))
    except Exception as exc:  # Pillow raises many types for bad, truncated or exotic data
        raise ImageUndecodable(f"{type(exc).__name__}: {exc}") from exc
    if not pages:
        raise ImageUndecodable("no frames")
    return pages


def _to_bgr(frame) -> np.ndarray:
    """Pillow frame of any mode (1, L, I;16, P, RGBA, CMYK …) → BGR uint8, transparency on white."""
    from PIL import Image

    if frame.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(frame, dtype=np.float64)
        arr = (255 * arr / max(1.0, float(arr.max()))).astype(np.uint8)
        return cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
    if frame.mode in ("RGBA", "LA", "PA") or (frame.mode == "P" and "transparency" in frame.info):
        rgba = frame.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        frame = Image.alpha_composite(white, rgba)
    rgb = np.asarray(frame.convert("RGB"))
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2BGR)


def _fit(image: np.ndarray) -> np.ndarray:
    scale = MAX_PAGE_SIDE / max(image.shape[:2])
    if scale < 1:
        return cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    return image


def render_pdf_pages(path: Path, dpi: int = RENDER_DPI, pages: list[int] | None = None) -> list[np.ndarray]:
    """Render PDF pages (0-based indices; all when None) to BGR arrays with pypdfium2."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # pypdfium2 raises PdfiumError and others for damaged files
        raise PdfBroken(str(exc)) from exc
    out = []
    try:
        for index in range(len(pdf)) if pages is None else pages:
            page = pdf[index]
            bitmap = page.render(scale=dpi / 72)
            arr = bitmap.to_numpy()
            mode = getattr(bitmap, "mode", "BGR")
            if arr.ndim == 2:
                arr = cv2.cvtColor(arr, cv2.COLOR_GRAY2BGR)
            elif mode.startswith("RGB"):
                arr = cv2.cvtColor(arr[:, :, :3], cv2.COLOR_RGB2BGR)
            else:
                arr = arr[:, :, :3].copy()  # BGR / BGRA / BGRX; copy: the view dies with the bitmap
            bitmap.close()
            page.close()
            out.append(_fit(arr))
    finally:
        pdf.close()
    return out


# --- orientation ------------------------------------------------------------------------------


def page_turn(boxes: list[OcrBox]) -> int:
    """Clockwise degrees (0/90/180/270) that make the page upright, from its OCR lines.

    Lines mostly taller than wide mean the page lies on its side; the angle classifier's
    vote (lines it turned by 180°) separates upright from upside down — for a page on its
    side RapidOCR first turns each crop 90° counter-clockwise, so "flipped" then means the
    page was turned counter-clockwise.
    """
    if not boxes:
        return 0
    lines = [b for b in boxes if len(b.text.strip()) >= 3] or boxes
    tall = sum(1 for b in lines if (b.bbox[3] - b.bbox[1]) > 1.5 * (b.bbox[2] - b.bbox[0]))
    flipped = sum(1 for b in boxes if b.flipped) > len(boxes) / 2
    if tall > len(lines) / 2:
        return 90 if flipped else 270
    return 180 if flipped else 0


_CV_ROTATE = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180, 270: cv2.ROTATE_90_COUNTERCLOCKWISE}


def turn_image(image: np.ndarray, degrees: int) -> np.ndarray:
    return image if degrees % 360 == 0 else cv2.rotate(image, _CV_ROTATE[degrees % 360])


def turn_points(points: np.ndarray, degrees: int, width: int, height: int) -> np.ndarray:
    """Map (x, y) points of a width×height image turned clockwise by ``degrees``."""
    x, y = points[:, 0], points[:, 1]
    d = degrees % 360
    if d == 90:
        return np.stack([height - 1 - y, x], axis=1)
    if d == 180:
        return np.stack([width - 1 - x, height - 1 - y], axis=1)
    if d == 270:
        return np.stack([y, width - 1 - x], axis=1)
    return points.copy()


def turn_boxes(boxes: list[OcrBox], degrees: int, width: int, height: int) -> list[OcrBox]:
    if degrees % 360 == 0:
        return boxes
    return [_map_box(b, lambda p: turn_points(p, degrees, width, height)) for b in boxes]


def _map_box(box: OcrBox, fn) -> OcrBox:
    x0, y0, x1, y1 = box.bbox
    quad = box.quad if box.quad is not None else np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    quad = fn(np.asarray(quad, dtype=np.float32)).astype(np.float32)
    bbox = (float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max()))
    # spans are fractions in reading order, so they need no mapping; the page is now upright.
    return replace(box, bbox=bbox, quad=quad, flipped=False)


# --- skew -------------------------------------------------------------------------------------


def skew_angle(boxes: list[OcrBox]) -> float:
    """Median angle (degrees, image y down) of the long text lines' baselines on an upright page."""
    angles = []
    for b in boxes:
        if b.quad is None:
            continue
        q = np.asarray(b.quad, dtype=float)
        edges = [q[1] - q[0], q[2] - q[1]]
        long_edge = max(edges, key=lambda e: math.hypot(*e))
        length = math.hypot(*long_edge)
        short = min(math.hypot(*e) for e in edges)
        if length < 3 * max(short, 1) or length < 60:
            continue  # short lines give noisy angles
        a = math.degrees(math.atan2(long_edge[1], long_edge[0]))
        a = (a + 90) % 180 - 90  # direction-free, in [-90, 90)
        if abs(a) <= 15:
            angles.append(a)
    return float(np.median(angles)) if len(angles) >= 3 else 0.0


def deskew(image: np.ndarray, boxes: list[OcrBox], angle: float) -> tuple[np.ndarray, list[OcrBox], np.ndarray]:
    """Rotate the page (and its lines) so text runs level; returns the 2×3 matrix used."""
    h, w = image.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    border = 255 if image.ndim == 2 else (255, 255, 255)
    straight = cv2.warpAffine(
        image, matrix, (w, h), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=border
    )
    return straight, [_map_box(b, lambda p: apply_affine(p, matrix)) for b in boxes], matrix


def apply_affine(points: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    return points @ matrix[:, :2].T + matrix[:, 2]
