"""Phone photos of a paper page → a flat, evenly lit A4 page, before the scan reader sees it.

A photo (WeChat, a page lying on a desk) shows the page as a bright trapezoid inside a darker or
differently coloured surround, with a shadow or a light gradient across it. The scan reader expects a
page that fills the frame, upright, with white paper; so here the page's four corners are found,
the page is warped to an upright A4 rectangle and the light is evened out. A flat scan, a grey scan or
a fax fills the frame: it comes back untouched. The decision is made from the pixels only.
"""

from __future__ import annotations

import cv2
import numpy as np

# Output page: A4 at about 200 dpi. Small photos are upsampled: the OCR reads larger glyphs better.
A4_PX = (1654, 2339)  # width, height (portrait)
NOTE = "第{page}页为手机拍照，已自动校正透视和光照。"  # the caller fills in the page number

_DETECT_LONG_SIDE = 800  # the page outline is found on a small copy: fast, and text and grain fade out
_MIN_AREA_FRAC = 0.15  # a page smaller than this in the frame is not what we are looking at
_MAX_AREA_FRAC = 0.90  # a page filling more of the frame is a scan (or a photo that needs no warping)
_MIN_CONTRAST = 15  # paper over surround just across the page's border (0-255), on most of each side
_PROBE_PX = 6  # how far inside/outside the border (detection pixels) paper and surround are compared


def flatten_photo(image: np.ndarray) -> tuple[np.ndarray, str | None]:
    """``(image, None)`` unchanged (the same object) unless the image is a photo of a page on a background;
    then ``(the page warped to upright A4 with even light, NOTE)``. NOTE is a template: ``NOTE.format(page=n)``.
    """
    corners = find_page(image)
    if corners is None:
        return image, None
    colour = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    return even_light(warp_a4(colour, corners)), NOTE


def find_page(image: np.ndarray) -> np.ndarray | None:
    """The page's corners (4×2 float32, tl tr br bl, full-size pixels) when the image is a photo of a page
    lying inside the frame on a darker/different surround; None for a page that fills the frame."""
    h, w = image.shape[:2]
    if image.ndim != 3 or min(h, w) < 200:
        return None  # a grey or tiny image: a scan or a fax, never a phone photo
    f = min(1.0, _DETECT_LONG_SIDE / max(h, w))
    small = cv2.resize(image, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1 else image
    score = _paperness(small)
    # The page's border is a sharp step; a shadow's edge is soft and too weak for these thresholds, so a
    # shadow across the page does not cut it in two (a brightness threshold would).
    edges = cv2.Canny(score, 20, 60)
    linked = cv2.dilate(edges, np.ones((3, 3), np.uint8))
    contours, _ = cv2.findContours(linked, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    frame = float(score.size)
    quads = [q for q in map(_quad, contours) if q is not None]
    quads = [q for q in quads if _MIN_AREA_FRAC * frame <= cv2.contourArea(q) <= _MAX_AREA_FRAC * frame]
    for quad in sorted(quads, key=cv2.contourArea, reverse=True):
        if _stands_out(score, quad):
            return _order(_refine(edges, quad) / f)
    return None


def _paperness(small: np.ndarray) -> np.ndarray:
    """Paper is bright and nearly colourless (a desk is darker, or wood-coloured): brightness minus saturation,
    with text, table lines and the seal (dark or red specks inside the page) closed over."""
    hsv = cv2.cvtColor(small, cv2.COLOR_BGR2HSV)
    v = hsv[:, :, 2].astype(np.int16)
    s = hsv[:, :, 1].astype(np.int16)
    score = np.clip(v - s, 0, 255).astype(np.uint8)
    k = max(5, round(max(small.shape[:2]) / 60) | 1)
    score = cv2.morphologyEx(score, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (k, k)))
    return cv2.GaussianBlur(score, (5, 5), 0)


def _quad(blob: np.ndarray) -> np.ndarray | None:
    """The blob's outline as a convex 4-gon (float32 4×2), or None when it is no quadrilateral."""
    hull = cv2.convexHull(blob)
    perimeter = cv2.arcLength(hull, True)
    for eps in (0.01, 0.02, 0.03, 0.04, 0.05):
        approx = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(approx) == 4 and cv2.isContourConvex(approx):
            return approx.reshape(4, 2).astype(np.float32)
        if len(approx) < 4:
            break
    return None


def _stands_out(score: np.ndarray, quad: np.ndarray) -> bool:
    """Every side of the quadrilateral must be a page border: paler just inside than just outside, all along
    it. A side that follows a desk's grain or a shadow's edge instead has the same on both sides somewhere."""
    h, w = score.shape
    centre = quad.mean(axis=0)
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        along = np.linspace(0.1, 0.9, 24)[:, None]
        points = a + along * (b - a)
        normal = np.array([a[1] - b[1], b[0] - a[0]], np.float32)
        normal /= np.linalg.norm(normal)
        if normal @ (centre - a) < 0:
            normal = -normal  # pointing into the page
        inner = np.round(points + _PROBE_PX * normal).astype(int)
        outer = np.round(points - _PROBE_PX * normal).astype(int)
        seen = (outer[:, 0] >= 0) & (outer[:, 0] < w) & (outer[:, 1] >= 0) & (outer[:, 1] < h)
        if seen.mean() < 0.5:
            return False  # a "side" along the frame's edge: the page runs out of the picture there
        inner = np.clip(inner[seen], 0, [w - 1, h - 1])
        outer = outer[seen]
        step = score[inner[:, 1], inner[:, 0]].astype(np.int16) - score[outer[:, 1], outer[:, 0]]
        # A shadow dims page and desk alike, so the step stays; a quarter of the side may be a seal or a
        # dark object lying on the border.
        if np.percentile(step, 25) < _MIN_CONTRAST:
            return False
    return True


def _refine(edges: np.ndarray, quad: np.ndarray) -> np.ndarray:
    """Each side fitted as a straight line through the edge pixels near it (sub-pixel, and a dog-eared corner
    does not pull it), the corners as the crossings of neighbouring sides."""
    ys, xs = np.nonzero(edges)
    pts = np.column_stack([xs, ys]).astype(np.float32)
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        d = b - a
        length = float(np.hypot(*d))
        t = ((pts - a) @ d) / (length * length)
        dist = np.abs(d[0] * (pts[:, 1] - a[1]) - d[1] * (pts[:, 0] - a[0])) / length
        near = pts[(t > 0.1) & (t < 0.9) & (dist < 4)]
        if len(near) < 0.3 * length:
            return quad
        vx, vy, x0, y0 = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    out = []
    for i in range(4):
        (p, u), (q, v) = lines[i - 1], lines[i]
        m = np.array([u, -v]).T
        if abs(np.linalg.det(m)) < 1e-6:
            return quad
        s, _ = np.linalg.solve(m, q - p)
        out.append(p + s * u)
    refined = np.array(out, np.float32)
    # A crossing far from the rough corner means a fit went astray: keep the rough one.
    return refined if np.all(np.hypot(*(refined - quad).T) < 8) else quad


def _order(quad: np.ndarray) -> np.ndarray:
    """Corners as top-left, top-right, bottom-right, bottom-left."""
    s = quad.sum(axis=1)
    d = np.diff(quad, axis=1).ravel()
    return np.array([quad[np.argmin(s)], quad[np.argmin(d)], quad[np.argmax(s)], quad[np.argmax(d)]], np.float32)


def warp_a4(image: np.ndarray, corners: np.ndarray) -> np.ndarray:
    """The page between ``corners`` (tl tr br bl) as an upright A4 rectangle at about 200 dpi; a page photographed
    lying sideways stays landscape (the scan reader turns it upright from its text)."""
    tl, tr, br, bl = corners
    wide = np.hypot(*(tr - tl)) + np.hypot(*(br - bl))
    tall = np.hypot(*(bl - tl)) + np.hypot(*(br - tr))
    w, h = A4_PX if tall >= wide else A4_PX[::-1]
    target = np.array([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(corners.astype(np.float32), target)
    return cv2.warpPerspective(image, matrix, (w, h), flags=cv2.INTER_CUBIC, borderMode=cv2.BORDER_REPLICATE)


def even_light(page: np.ndarray) -> np.ndarray:
    """Divide each colour channel by its own paper background (the page with the ink closed away), so the
    paper becomes white everywhere (shadow and tint gone) while ink keeps its hue: a red seal stays red."""
    h, w = page.shape[:2]
    # The background is estimated on an eighth-size copy: a closing there spans ~60 px of the page, wider
    # than any stroke, table line or seal ring, and costs little.
    small = cv2.resize(page, (w // 8, h // 8), interpolation=cv2.INTER_AREA)
    background = cv2.morphologyEx(small, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (9, 9)))
    background = cv2.GaussianBlur(background, (0, 0), 3)
    background = cv2.resize(background, (w, h), interpolation=cv2.INTER_LINEAR)
    flat = page.astype(np.float32) * (255.0 / np.maximum(background.astype(np.float32), 1.0))
    # A photo's ink is soft (lens blur, JPEG, upsampling): an unsharp mask gives strokes and ruling lines
    # their dark cores back without making them wider.
    flat = cv2.addWeighted(flat, 1.0 + _SHARPEN, cv2.GaussianBlur(flat, (0, 0), 2.0), -_SHARPEN, 0)
    flat = np.clip(flat, 0, 255).astype(np.uint8)
    # Thin strokes (brackets of a tick option, small print) stay mid-grey even so, lighter than the scan
    # reader's ink level; a gamma darkens the mid-greys and leaves the paper white. Same curve on every
    # channel, so a hue does not change (red seal, blue tick).
    return cv2.LUT(flat, _GAMMA)


# Tuned on the dev photos: sharpen 0.5-1.2 and gamma 1.3-2.0 all help; these were best.
_SHARPEN = 0.8
_GAMMA = np.round(255 * (np.arange(256) / 255.0) ** 1.5).astype(np.uint8)
