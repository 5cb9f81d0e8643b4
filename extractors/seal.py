"""Red official seals (公章): find them on a colour image, and erase them before OCR.

Finding works on the colour image (the seal is the evidence for stamp_present);
removal keeps the red channel as grey, so red ink turns white while black ink
under the seal stays black (measured: OCR on a stamped page back to ~100 %,
~15 ms a page). Also used by the PDF and Word extractors for embedded pictures.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from .model import BBox

# HSV red: hue wraps around 0 (OpenCV hue is 0–179).
_HUE_LOW, _HUE_HIGH = 12, 155
_MIN_SAT, _MIN_VAL = 50, 70
# Seal diameter limits: at least 9 % of the image's long side (and 40 px), at most the short side.
# An official seal is 38–45 mm, ≥ 12 % of an A4 page's height; a big red title character is < 9 %.
_MIN_DIAMETER_FRAC, _MIN_DIAMETER_PX = 0.09, 40
_MIN_SCORE = 0.55
_MIN_FILL = 0.6  # the shape fills at least this share of its fitted ellipse
_BROKEN_RING_RIM = 0.7  # a ring broken by text crossing it still shows most of its rim
# Seals without red (find_ring_seals): the page is judged at this long side; a seal is at most this share
# of it across; its ring is ink all round, and just outside it mostly paper.
_RING_SIDE = 800
_RING_MAX_DIAMETER_FRAC = 0.2
_RING_INK = 170
_RING_INK_DITHERED = 200  # on a fax's reduced copy (see find_ring_seals)
_RING_MIN_COVER, _RING_MAX_OUTSIDE = 0.85, 0.35
_RING_SCALES = (0.92, 0.96, 1.0, 1.04)  # the Hough radius is rough: the ring is looked for a little in and out
_RING_NEAR = 0.6  # a candidate this well covered is looked at again a few pixels off its Hough centre
_RECENTRE_PX = 3  # on the reduced copy (~10 px on a 200 dpi page)
# Red-ink pixels lighter than this become paper; darker ones are black ink mixed in (kept).
_WHITEN_ABOVE = 160


@dataclass
class SealHit:
    bbox: BBox  # x0, y0, x1, y1 in image pixels
    mask: np.ndarray  # bool, bbox-sized: the seal's red pixels
    score: float  # 0–1: how seal-like (round, ring-bordered, filled)
    ellipse: tuple | None = None  # cv2.fitEllipse result, image pixels


def red_mask(image_bgr: np.ndarray) -> np.ndarray:
    """uint8 0/255 mask of red-ink pixels."""
    hsv = cv2.cvtColor(image_bgr, cv2.COLOR_BGR2HSV)
    h, s, v = cv2.split(hsv)
    red = ((h < _HUE_LOW) | (h > _HUE_HIGH)) & (s > _MIN_SAT) & (v > _MIN_VAL)
    return red.astype(np.uint8) * 255


def find_seals(image_bgr: np.ndarray, mask: np.ndarray | None = None) -> list[SealHit]:
    """Round/oval red seals on the image, best first. ``mask``: red_mask(image_bgr) if already made."""
    if image_bgr.ndim != 3 or image_bgr.shape[2] < 3:
        return []  # a grey image cannot show a red seal
    h, w = image_bgr.shape[:2]
    if mask is None:
        mask = red_mask(image_bgr[:, :, :3])
    if cv2.countNonZero(mask) < _MIN_DIAMETER_PX * 4:
        return []
    # Shapes are judged at half size on big pages: 4× less work, same answer for a ~300 px seal.
    f = 0.5 if max(h, w) > 1200 else 1.0
    small = cv2.resize(mask, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else mask
    small = cv2.threshold(small, 60, 255, cv2.THRESH_BINARY)[1]
    # Close the gaps between ring, star and ring text so one seal is one blob.
    k = max(3, int(round(f * max(h, w) / 160)) | 1)
    closed = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (k, k)))
    contours, _ = cv2.findContours(closed, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
    min_d = f * max(_MIN_DIAMETER_PX, _MIN_DIAMETER_FRAC * max(h, w))
    max_d = f * 1.02 * min(h, w)
    hits = []
    for contour in contours:
        x, y, bw, bh = cv2.boundingRect(contour)
        if max(bw, bh) < min_d or max(bw, bh) > max_d or len(contour) < 5:
            continue
        score, ellipse = _seal_score(contour, small)
        if score < _MIN_SCORE:
            continue
        x0, y0 = int(x / f), int(y / f)
        x1, y1 = min(w, int(round((x + bw) / f))), min(h, int(round((y + bh) / f)))
        (cx, cy), (a, b), angle = ellipse
        ellipse = ((cx / f, cy / f), (a / f, b / f), angle)
        crop = mask[y0:y1, x0:x1] > 0
        hits.append(SealHit((float(x0), float(y0), float(x1), float(y1)), crop, score, ellipse))
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return hits


def find_ring_seals(image: np.ndarray) -> list[SealHit]:
    """Seals that are not red (a greyscale scan, a 1-bit fax, a copy): judged by shape alone.

    A seal is a closed ring, 38–45 mm across, with ring text and a star inside: a circle of ink
    almost all the way round, and paper just outside it (dense text around a circle drawn at random
    covers both). Candidate circles come from a Hough transform on a ~800 px copy of the page.
    """
    grey = cv2.cvtColor(image[:, :, :3], cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    h, w = grey.shape[:2]
    f = min(1.0, _RING_SIDE / max(h, w))
    small = cv2.resize(grey, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else grey
    paper = float(np.percentile(small, 90))
    # A 1-bit fax dithers a seal's grey into dots, which the reduced copy averages to a light grey.
    level = _RING_INK_DITHERED if _bilevel(grey) else _RING_INK
    ink = (small < min(level, paper - 50)).astype(np.uint8)
    long_side = max(small.shape)
    min_r = int(max(_MIN_DIAMETER_PX * f, _MIN_DIAMETER_FRAC * long_side) / 2)
    max_r = int(_RING_MAX_DIAMETER_FRAC * long_side / 2)
    circles = cv2.HoughCircles(
        cv2.GaussianBlur(small, (5, 5), 0),
        cv2.HOUGH_GRADIENT,
        dp=1.5,
        minDist=max(4, min_r // 3),  # many candidates: the ring test below decides
        param1=120,
        param2=30,
        minRadius=min_r,
        maxRadius=max_r,
    )
    hits: list[SealHit] = []
    for cx, cy, r in [] if circles is None else circles[0]:
        ring = max(_ring_cover(ink, cx, cy, r * k) for k in _RING_SCALES)
        if _RING_NEAR <= ring < _RING_MIN_COVER:
            ring, cx, cy, r = _recentred(ink, cx, cy, r)
        outside = _ring_cover(ink, cx, cy, r * 1.18)
        if ring < _RING_MIN_COVER or outside > _RING_MAX_OUTSIDE:
            continue
        if any(
            abs(cx - (hit.bbox[0] + hit.bbox[2]) * f / 2) < r and abs(cy - (hit.bbox[1] + hit.bbox[3]) * f / 2) < r
            for hit in hits
        ):
            continue  # the same seal found twice
        x0, y0 = max(0, int((cx - r) / f)), max(0, int((cy - r) / f))
        x1, y1 = min(w, int((cx + r) / f)), min(h, int((cy + r) / f))
        crop = grey[y0:y1, x0:x1] < min(level, paper - 50)
        score = float(0.5 * ring + 0.5 * (1 - outside))
        hits.append(
            SealHit(
                (float(x0), float(y0), float(x1), float(y1)),
                crop,
                score,
                ((cx / f, cy / f), (2 * r / f, 2 * r / f), 0.0),
            )
        )
    hits.sort(key=lambda hit: hit.score, reverse=True)
    return hits


def _bilevel(grey: np.ndarray) -> bool:
    """Is the page black and white only (a fax), with no greys between?"""
    sample = grey[::4, ::4]
    return int(np.count_nonzero((sample > 10) & (sample < 245))) < 0.01 * sample.size


def _recentred(ink: np.ndarray, cx: float, cy: float, r: float) -> tuple[float, float, float, float]:
    """(ring cover, cx, cy, r) of the best circle a few pixels around a Hough candidate.

    The Hough centre of a dotted fax seal may sit 3 px (reduced copy) off: the ring then covers 0.79 of the
    circle tried, under the test's 0.85, and a stamped fax page counts as unstamped (false missing_stamp)."""
    best = (0.0, cx, cy, r)
    for dx in range(-_RECENTRE_PX, _RECENTRE_PX + 1):
        for dy in range(-_RECENTRE_PX, _RECENTRE_PX + 1):
            for k in _RING_SCALES:
                cover = _ring_cover(ink, cx + dx, cy + dy, r * k)
                if cover > best[0]:
                    best = (cover, cx + dx, cy + dy, r * k)
    return best


def _ring_cover(ink: np.ndarray, cx: float, cy: float, r: float) -> float:
    """Share of the circle (cx, cy, r) that runs over ink, with a pixel's tolerance either side."""
    t = np.linspace(0, 2 * np.pi, 240, endpoint=False)
    hit = np.zeros(t.shape, dtype=bool)
    for dr in (-1.0, 0.0, 1.0):
        px = np.clip(np.round(cx + (r + dr) * np.cos(t)).astype(int), 0, ink.shape[1] - 1)
        py = np.clip(np.round(cy + (r + dr) * np.sin(t)).astype(int), 0, ink.shape[0] - 1)
        hit |= ink[py, px] > 0
    return float(np.mean(hit))


def _seal_score(contour: np.ndarray, mask: np.ndarray) -> tuple[float, tuple]:
    """Roundness × fill × red border: a seal is an ellipse whose rim is drawn in red.

    A seal printed over text (an e-seal placed with a multiply blend, a stamp across a table line) has
    its ring broken wherever black ink crosses it, and its outline then leaks inward (fill far below
    the ellipse's). Such a shape is judged by its convex hull, which is the seal's round outline, and
    must then show a ring: most of the rim just inside the hull's ellipse is red.
    """
    ellipse = cv2.fitEllipse(contour)
    area = cv2.contourArea(contour)
    if _fill(area, ellipse) < _MIN_FILL:
        hull = cv2.convexHull(contour)
        if len(hull) < 5:
            return 0.0, ellipse
        broken = cv2.fitEllipse(hull)
        if _fill(cv2.contourArea(hull), broken) < _MIN_FILL or _rim(broken, mask) < _BROKEN_RING_RIM:
            return 0.0, ellipse
        ellipse, area = broken, cv2.contourArea(hull)
    (cx, cy), (a, b), angle = ellipse
    if min(a, b) <= 0:
        return 0.0, ellipse
    axis_ratio = min(a, b) / max(a, b)  # 1 for a circle; oval seals ~0.65
    fill = _fill(area, ellipse)  # ellipse fills its own contour
    rim = _rim(ellipse, mask)
    if axis_ratio < 0.5:
        return 0.0, ellipse
    score = 0.4 * rim + 0.3 * axis_ratio + 0.3 * min(fill, 1.0)
    return float(score), ellipse


def _fill(area: float, ellipse: tuple) -> float:
    (_, _), (a, b), _ = ellipse
    return area / (np.pi * a * b / 4) if min(a, b) > 0 else 0.0


def _rim(ellipse: tuple, mask: np.ndarray) -> float:
    """Share of points just inside the fitted rim that are red: the seal's ring."""
    (cx, cy), (a, b), angle = ellipse
    t = np.linspace(0, 2 * np.pi, 180, endpoint=False)
    rad = np.deg2rad(angle)
    hits = np.zeros(t.shape, dtype=bool)
    for scale in (0.90, 0.94, 0.98):
        ex = scale * a / 2 * np.cos(t)
        ey = scale * b / 2 * np.sin(t)
        px = np.clip(np.round(cx + ex * np.cos(rad) - ey * np.sin(rad)).astype(int), 0, mask.shape[1] - 1)
        py = np.clip(np.round(cy + ex * np.sin(rad) + ey * np.cos(rad)).astype(int), 0, mask.shape[0] - 1)
        hits = np.maximum(hits, mask[py, px] > 0)
    return float(np.mean(hits))


def remove_red(image_bgr: np.ndarray, mask: np.ndarray | None = None) -> np.ndarray:
    """Grey page without red ink: the red channel, with light red-ink pixels set to white.

    ``mask``: red_mask(image_bgr) if the caller already made it (find_seals needs it too).

    The red channel alone leaves a light-grey ghost of the seal that OCR still reads
    (``专用章``); whitening only the *light* red pixels clears it without erasing black
    strokes under the seal (those are dark, so not in the red mask).
    """
    if image_bgr.ndim == 2:
        return image_bgr.copy()
    grey = np.ascontiguousarray(image_bgr[:, :, 2])
    if mask is None:
        mask = red_mask(image_bgr[:, :, :3])
    mask = cv2.dilate(mask, np.ones((3, 3), np.uint8))
    light = cv2.threshold(grey, _WHITEN_ABOVE, 255, cv2.THRESH_BINARY)[1]
    return cv2.max(grey, cv2.bitwise_and(mask, light))  # 255 where light and red, else unchanged


def seal_crop(image_bgr: np.ndarray, hit: SealHit, margin: int = 6) -> np.ndarray:
    """The seal's region of the colour image, for keeping as evidence."""
    h, w = image_bgr.shape[:2]
    x0, y0, x1, y1 = (int(v) for v in hit.bbox)
    return image_bgr[max(0, y0 - margin) : min(h, y1 + margin), max(0, x0 - margin) : min(w, x1 + margin)]


def decode_picture(image_bytes: bytes) -> np.ndarray | None:
    """BGR image from encoded bytes, transparency flattened onto white; None if undecodable."""
    data = np.frombuffer(image_bytes, dtype=np.uint8)
    img = cv2.imdecode(data, cv2.IMREAD_UNCHANGED) if data.size else None
    if img is None:
        img = _decode_with_pillow(image_bytes)
    if img is None:
        return None
    if img.dtype != np.uint8:
        img = cv2.convertScaleAbs(img, alpha=255.0 / max(1, int(img.max())))
    if img.ndim == 2:
        return cv2.cvtColor(img, cv2.COLOR_GRAY2BGR)
    if img.shape[2] == 4:
        # Seal pictures are often PNGs with a transparent background whose hidden colour is black.
        alpha = img[:, :, 3:4].astype(np.float32) / 255.0
        return (img[:, :, :3].astype(np.float32) * alpha + 255.0 * (1 - alpha)).astype(np.uint8)
    return img[:, :, :3]


def _decode_with_pillow(image_bytes: bytes) -> np.ndarray | None:
    import io

    from PIL import Image

    try:
        with Image.open(io.BytesIO(image_bytes)) as im:
            rgba = im.convert("RGBA")
    except Exception:  # Pillow raises many types for bad or unsupported data (EMF/WMF …)
        return None
    return cv2.cvtColor(np.asarray(rgba), cv2.COLOR_RGBA2BGRA)


PICTURE_SIDE = 1600  # pixels: a seal on a picture is judged and read at no more than this


def shrunk_picture(img: np.ndarray) -> np.ndarray:
    """A picture no larger than PICTURE_SIDE: pages photographed at high resolution need no more for a seal."""
    scale = PICTURE_SIDE / max(img.shape[:2])
    return cv2.resize(img, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else img


def image_has_seal(image_bytes: bytes) -> bool:
    """Does this embedded picture (PDF/Word image) show a red seal?"""
    img = decode_picture(image_bytes)
    return img is not None and picture_has_seal(img)


def picture_has_seal(img: np.ndarray) -> bool:
    """Does this decoded picture show a red seal?"""
    if min(img.shape[:2]) < _MIN_DIAMETER_PX:
        return False
    return bool(find_seals(shrunk_picture(img)))
