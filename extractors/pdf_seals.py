"""Red official seals (公章) on a text PDF page.

Two ways a seal reaches a text PDF: a picture of the stamp placed on the page
(an image object, usually near 单位盖章/落款), or a seal drawn as vector art (a
red stroked circle with red text and a star). Images are judged on what the
page shows there (the page is rendered at the image's box, so transparency and
overlapping text look as they print); vector seals by their colours and shape.

The rendered crops are judged by ``extractors.seal.find_seals``, so scans and
text PDFs share one definition of "a seal".
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

from extractors import seal
from extractors.model import BBox, Seal, boxes_overlap
from extractors.pdf_pictures import picture_bgr
from extractors.seal_text import SealWords, read_picture_seal

SEAL_MIN_PT, SEAL_MAX_PT = 30.0, 260.0  # a seal is 3.8–5 cm across; allow small scans of it
RENDER_SCALE = 1.5  # 108 dpi: plenty for a ring of red and cheap to render
# A picture prints when the page shows at least this share of the red its own pixels hold.
PRINTED_SHARE = 0.5

Renderer = Callable[[BBox], Image.Image]  # page box in points (x0, top, x1, bottom) → rendered RGB crop
PageRenderer = Callable[[int, BBox, int], Image.Image]  # the same for page n turned clockwise by 0/90/180/270


@contextmanager
def pdfium_crop_renderer(source: Path | pdfium.PdfDocument) -> Iterator[PageRenderer]:
    """Renders boxes of a PDF's pages as they print (for judging pictures placed on the page)."""
    owned = not isinstance(source, pdfium.PdfDocument)
    doc = pdfium.PdfDocument(source) if owned else source

    def render(number: int, bbox: BBox, turn: int = 0) -> Image.Image:
        page = doc[number - 1]
        width, height = page.get_size()
        if turn in (90, 270):  # the page was read turned on its side (pdf_chars.turned): so is the box
            width, height = height, width
        x0, top, x1, bottom = bbox
        crop = (max(x0, 0), max(height - bottom, 0), max(width - x1, 0), max(top, 0))  # cut after turning
        return page.render(scale=RENDER_SCALE, rotation=turn, crop=crop).to_pil().convert("RGB")

    try:
        yield render
    finally:
        if owned:
            doc.close()


def is_red(color: Any) -> bool:
    """A pdfplumber stroking/non-stroking colour that prints as seal red."""
    if not isinstance(color, (tuple, list)):
        return False
    try:
        values = [float(v) for v in color]
    except (TypeError, ValueError):
        return False  # a pattern colour space
    if len(values) == 3:
        r, g, b = values
        return r >= 0.55 and g <= 0.4 and b <= 0.4 and r - max(g, b) >= 0.35
    if len(values) == 4:
        c, m, y, k = values
        return c <= 0.25 and m >= 0.6 and y >= 0.45 and k <= 0.35
    return False


def find_seals(page: Any, page_number: int, render: Renderer | None) -> list[Seal]:
    seals = _vector_seals(page, page_number)
    if render is not None:
        for image in page.images:
            bbox = (image["x0"], image["top"], image["x1"], image["bottom"])
            w, h = bbox[2] - bbox[0], bbox[3] - bbox[1]
            if w < SEAL_MIN_PT or h < SEAL_MIN_PT or any(boxes_overlap(bbox, s.bbox) for s in seals):
                continue
            crop = render(bbox)
            found = _seals_in_image(crop) or _seal_in_picture(image, crop)
            words = _picture_words(image) if found else None
            for found_box, confidence in found:
                seals.append(
                    Seal(page_number, _to_page(found_box, bbox, crop.size), confidence=confidence,
                         text=words.ring if words else None, text_confidence=words.confidence if words else None)
                )  # fmt: skip
    return seals


def _picture_words(image: dict) -> SealWords | None:
    """The seal's words from the picture's own pixels (no page text over them, full resolution)."""
    stream = image.get("stream")
    own = picture_bgr(stream) if stream is not None else None
    return read_picture_seal(own) if own is not None else None


def _seal_in_picture(image: dict, crop: Image.Image) -> list[tuple[BBox, float]]:
    """The picture's own pixels show a seal, and the page prints its red ink: a seal whose ring text or
    line crosses the page's text (a multiply blend breaks the ring there). Boxes are in crop pixels."""
    w, h = image["x1"] - image["x0"], image["bottom"] - image["top"]
    if max(w, h) > SEAL_MAX_PT:
        return []  # a page-sized picture holding a seal is judged by what prints
    stream = image.get("stream")
    own = picture_bgr(stream) if stream is not None else None
    if own is None:
        return []
    hits = seal.find_seals(own)
    if not hits:
        return []
    shown = np.asarray(crop.convert("RGB"))[:, :, ::-1]
    if _red_share(shown) < PRINTED_SHARE * _red_share(own):
        return []  # hidden (under an opaque box) or clipped away: nothing red prints
    sx, sy = crop.size[0] / own.shape[1], crop.size[1] / own.shape[0]
    best = hits[0]
    x0, y0, x1, y1 = best.bbox
    return [((x0 * sx, y0 * sy, x1 * sx, y1 * sy), round(best.score, 2))]


def _red_share(bgr: np.ndarray) -> float:
    return float(np.mean(seal.red_mask(np.ascontiguousarray(bgr)) > 0))


def _vector_seals(page: Any, page_number: int) -> list[Seal]:
    """Red stroked circles/ovals of seal size; the red lettering inside is the seal's text."""
    seals: list[Seal] = []
    for curve in page.curves:
        w, h = curve["x1"] - curve["x0"], curve["bottom"] - curve["top"]
        if not (SEAL_MIN_PT <= w <= SEAL_MAX_PT and SEAL_MIN_PT <= h <= SEAL_MAX_PT and 0.6 <= w / h <= 1.7):
            continue
        if not curve.get("stroke") or not is_red(curve.get("stroking_color")) or not _round(curve):
            continue
        bbox = (curve["x0"], curve["top"], curve["x1"], curve["bottom"])
        if any(boxes_overlap(bbox, s.bbox) for s in seals):
            continue
        text = _ring_text(page, bbox)
        seals.append(Seal(page_number, bbox, text=text, confidence=0.9 if text else 0.7))
    return seals


def _round(curve: dict) -> bool:
    """Every point of the path lies near the ellipse inscribed in its box (a rectangle's corners do not)."""
    pts = curve.get("pts") or []
    if len(pts) < 4:
        return False
    cx, cy = (curve["x0"] + curve["x1"]) / 2, (curve["top"] + curve["bottom"]) / 2  # pts are (x, top)
    rx, ry = (curve["x1"] - curve["x0"]) / 2, (curve["bottom"] - curve["top"]) / 2
    return all(0.8 <= ((x - cx) / rx) ** 2 + ((y - cy) / ry) ** 2 <= 1.2 for x, y in pts)


def _ring_text(page: Any, bbox: BBox) -> str | None:
    chars = [c for c in page.chars if is_red(c.get("non_stroking_color")) and _center_in(c, bbox)]
    return "".join(c["text"] for c in chars) or None


def _center_in(obj: dict, bbox: BBox | None) -> bool:
    if bbox is None:
        return False
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return bbox[0] <= cx <= bbox[2] and bbox[1] <= cy <= bbox[3]


def _to_page(found: BBox, image_box: BBox, size: tuple[int, int]) -> BBox:
    sx = (image_box[2] - image_box[0]) / size[0]
    sy = (image_box[3] - image_box[1]) / size[1]
    return (
        image_box[0] + found[0] * sx,
        image_box[1] + found[1] * sy,
        image_box[0] + found[2] * sx,
        image_box[1] + found[3] * sy,
    )


def _seals_in_image(image: Image.Image) -> list[tuple[BBox, float]]:
    """Seal boxes (pixels of the crop) and their scores, by the scan extractor's seal finder."""
    bgr = np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
    return [(hit.bbox, round(hit.score, 2)) for hit in seal.find_seals(bgr)]
