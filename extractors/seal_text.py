"""The words on a round or oval seal: its ring, unrolled into a straight line, then the OCR's recogniser.

A 公章 carries the unit's full name around its ring, clockwise from the lower left, each character's top towards
the rim, with a gap at the bottom (under the star). The recogniser reads straight lines only, so the ring band is
unrolled around the seal's ellipse (a polar transform, rim at the top of the strip) starting in the middle of that
gap. On a colour page only the seal's red pixels are unrolled, so the black text a seal is stamped over is not in
the strip. A centre line (`办公室`, `专用章` under the star) is read as it stands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import cv2
import numpy as np

from . import ocr
from .ocr_box import Recognise
from .seal import find_seals, red_mask, shrunk_picture

Ellipse = tuple[tuple[float, float], tuple[float, float], float]  # cv2.fitEllipse: centre, axes, angle

# The ring text band, as shares of the rim's radius: from inside the border ring to above the star.
_BAND_OUTER, _BAND_INNER = 0.92, 0.56
# The centre line: below the star, across the seal's middle.
_CENTRE_TOP, _CENTRE_BOTTOM, _CENTRE_HALF_WIDTH = 0.28, 0.62, 0.62
_MIN_CENTRE_CONFIDENCE = 0.8
_SURE = 0.9  # the recogniser's score above which the first reading of the ring is kept
_INK = 128  # below this an unrolled pixel is ink
_NOT_NAME = re.compile(r"[^\u4e00-\u9fff（）()]")


@dataclass
class SealWords:
    ring: str
    confidence: float
    centre: str = ""
    strip: np.ndarray | None = None  # the unrolled ring, kept as evidence beside the seal's picture


def read_seal_words(ink: np.ndarray, ellipse: Ellipse, recognise: Recognise, red: bool) -> SealWords | None:
    """The ring (and centre) text of the seal fitted by ``ellipse`` on ``ink`` (uint8, dark ink on white).

    ``red``: ``ink`` holds the seal's red ink alone (see `seal_ink`); else it is the grey page, where the text the
    seal is stamped over fills its gap, and the ring is read from the bottom of the seal. None when nothing legible
    is there.
    """
    rim = _rim_ellipse(ink, ellipse)
    if rim is None:
        return None
    unrolled = _unroll(ink, rim)
    if unrolled is None:
        return None
    strip, thetas = unrolled
    # Where the text starts: the widest gap in the red ring, judged on the band's inner half (code digits printed
    # small along the rim fill the gap's outer part), or the bottom of a seal on a grey page. When that reading is
    # unsure, the widest gap across the whole band is tried as well.
    readings = _read_from(strip, _gap_middle(strip, inner=True) if red else _bottom_column(rim, thetas), recognise)
    if red and max(r[1] for r in readings) < _SURE:
        readings += _read_from(strip, _gap_middle(strip, inner=False), recognise)
    ring, confidence, strip = max(readings, key=lambda r: (_cjk_count(r[0]) > 0, r[1]))
    ring = _NOT_NAME.sub("", ring)  # code digits along the rim, specks: a unit's name is Chinese
    if _cjk_count(ring) == 0:
        return None
    centre = _centre(ink, rim, recognise) if red else ""  # on a grey page the text stamped over is there too
    return SealWords(ring=ring, confidence=round(float(confidence), 3), centre=centre, strip=strip)


def read_picture_seal(image: np.ndarray) -> SealWords | None:
    """The words on a seal picture (an e-seal pasted into a Word file or placed on a PDF page), from its own pixels.

    None when the picture shows no red seal, nothing on it is legible, or this computer has no OCR (the seal still
    counts for stamp_present; only the unit check is skipped)."""
    if image.ndim == 3 and image.shape[2] == 4:  # transparent parts may hide any colour: flatten onto paper
        alpha = image[:, :, 3:4].astype(np.float32) / 255.0
        image = (image[:, :, :3] * alpha + 255.0 * (1 - alpha)).astype(np.uint8)
    elif image.ndim == 2:
        image = cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    image = shrunk_picture(image)
    red = red_mask(image)
    hits = find_seals(image, red)
    if not hits or hits[0].ellipse is None or not ocr.is_available():
        return None
    try:
        engine = ocr.get_engine()
    except (ImportError, OSError, ValueError):
        return None
    return read_seal_words(seal_ink(image, red), hits[0].ellipse, engine.recognise, red=True)


def _read_from(strip: np.ndarray, start: int, recognise: Recognise) -> list[tuple[str, float, np.ndarray]]:
    """The strip read from column ``start``, at full size and at half: a seal's letters are tall and thin, and one
    of the two sizes is the one the recogniser was trained nearer to."""
    rolled = np.roll(strip, -start, axis=1)
    half = cv2.resize(rolled, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    return [(*recognise(rolled), rolled), (*recognise(half), rolled)]


def seal_ink(image_bgr: np.ndarray, red: np.ndarray | None) -> np.ndarray:
    """What to unroll: the red ink alone (black on white) on a colour seal, else the grey page."""
    if red is not None and cv2.countNonZero(red):
        return cv2.bitwise_not(red)
    return cv2.cvtColor(image_bgr, cv2.COLOR_BGR2GRAY) if image_bgr.ndim == 3 else image_bgr


def _rim_ellipse(ink: np.ndarray, ellipse: Ellipse) -> Ellipse | None:
    """The seal's outer rim: the first ink met coming in from outside, along 360 rays, fitted and trimmed.

    The seal finder's ellipse fits the seal's blob, which a stamp across text or a cut-off edge pulls aside; the
    band must follow the rim itself or the strip runs through the letters."""
    (cx, cy), (a, b), _ = ellipse
    radius = max(a, b) / 2
    if radius < 10:
        return None
    h, w = ink.shape[:2]
    radii = np.linspace(1.2 * radius, 0.6 * radius, max(8, int(0.6 * radius)))
    points = []
    for theta in np.linspace(0, 2 * np.pi, 360, endpoint=False):
        xs = np.round(cx + radii * np.cos(theta)).astype(int)
        ys = np.round(cy + radii * np.sin(theta)).astype(int)
        inside = (xs >= 0) & (xs < w) & (ys >= 0) & (ys < h)
        values = np.full(len(radii), 255)
        values[inside] = ink[ys[inside], xs[inside]]
        hit = np.flatnonzero(values < _INK)
        if len(hit):
            points.append((xs[hit[0]], ys[hit[0]]))
    if len(points) < 20:
        return None
    pts = np.asarray(points, dtype=np.float32)
    rim = cv2.fitEllipse(pts)
    for _ in range(2):  # drop rays that met text or the star before the rim
        (ex, ey), (ea, eb), _ = rim
        spread = np.hypot(pts[:, 0] - ex, pts[:, 1] - ey) / max(ea / 2, eb / 2, 1.0)
        keep = np.abs(spread - np.median(spread)) < 0.06
        if keep.sum() < 20:
            break
        rim = cv2.fitEllipse(pts[keep])
    (ex, ey), (ea, eb), angle = rim
    if min(ea, eb) < 0.5 * max(ea, eb) or abs(max(ea, eb) / 2 - radius) > 0.3 * radius:
        return None  # not the seal's rim
    return (float(ex), float(ey)), (float(ea), float(eb)), float(angle)


def _unroll(ink: np.ndarray, rim: Ellipse) -> tuple[np.ndarray, np.ndarray] | None:
    """The ring band as a straight strip: rim at the top, clockwise (the reading order) from left to right."""
    (cx, cy), (a, b), angle = rim
    ra, rb = a / 2, b / 2
    rows = int((_BAND_OUTER - _BAND_INNER) * max(ra, rb))
    mid_a, mid_b = (_BAND_OUTER + _BAND_INNER) / 2 * ra, (_BAND_OUTER + _BAND_INNER) / 2 * rb
    cols = int(np.pi * (3 * (mid_a + mid_b) - np.sqrt((3 * mid_a + mid_b) * (mid_a + 3 * mid_b))))  # Ramanujan
    if rows < 8 or cols < 40:
        return None
    # In image coordinates (y down) a growing angle runs clockwise on the page. Columns are spaced evenly along
    # the arc, not the angle: on an oval the letters at the narrow ends would otherwise come out squeezed.
    thetas = _even_arc(mid_a, mid_b, cols)
    theta, share = np.meshgrid(thetas, np.linspace(_BAND_OUTER, _BAND_INNER, rows))
    ex, ey = share * ra * np.cos(theta), share * rb * np.sin(theta)
    turn = np.deg2rad(angle)
    map_x = (cx + ex * np.cos(turn) - ey * np.sin(turn)).astype(np.float32)
    map_y = (cy + ex * np.sin(turn) + ey * np.cos(turn)).astype(np.float32)
    strip = cv2.remap(ink, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return strip, thetas


def _even_arc(ra: float, rb: float, cols: int) -> np.ndarray:
    """``cols`` ellipse angles a constant arc length apart, starting at angle 0."""
    fine = np.linspace(0, 2 * np.pi, 8 * cols + 1)
    steps = np.hypot(ra * np.diff(np.cos(fine)), rb * np.diff(np.sin(fine)))
    length = np.concatenate([[0.0], np.cumsum(steps)])
    return np.interp(np.linspace(0, length[-1], cols, endpoint=False), length, fine)


def _gap_middle(strip: np.ndarray, inner: bool) -> int:
    """Column of the middle of the widest run without ink (the gap where the ring text starts and ends).

    ``inner``: judged on the band's inner half (code digits printed small along the rim fill the gap's outer part).
    """
    rows = strip.shape[0]
    band = strip[int(0.4 * rows) : int(0.85 * rows)] if inner else strip
    empty = (band < _INK).sum(axis=0) <= max(1, int(0.02 * band.shape[0]))
    doubled = np.concatenate([empty, empty])  # the ring is circular: a run may cross column 0
    best_len, best_end, run = 0, 0, 0
    for i, is_empty in enumerate(doubled):
        run = run + 1 if is_empty else 0
        if run > best_len:
            best_len, best_end = min(run, len(empty)), i
    return int((best_end - best_len // 2) % len(empty))


def _bottom_column(rim: Ellipse, thetas: np.ndarray) -> int:
    """Column of the strip at the seal's lowest point (where a seal stamped upright has its gap)."""
    bottom = (np.pi / 2 - np.deg2rad(rim[2])) % (2 * np.pi)
    return int(np.argmin(np.abs(np.angle(np.exp(1j * (thetas - bottom))))))


def _centre(ink: np.ndarray, rim: Ellipse, recognise: Recognise) -> str:
    (cx, cy), (a, b), _ = rim
    radius = max(a, b) / 2
    h, w = ink.shape[:2]
    top, bottom = int(cy + _CENTRE_TOP * radius), int(cy + _CENTRE_BOTTOM * radius)
    left, right = int(cx - _CENTRE_HALF_WIDTH * radius), int(cx + _CENTRE_HALF_WIDTH * radius)
    crop = ink[max(0, top) : min(h, bottom), max(0, left) : min(w, right)]
    if crop.size == 0 or not np.any(crop < _INK):
        return ""
    text, confidence = recognise(crop)
    return text.strip() if confidence >= _MIN_CENTRE_CONFIDENCE and _cjk_count(text) >= 2 else ""


def _cjk_count(text: str) -> int:
    return sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
