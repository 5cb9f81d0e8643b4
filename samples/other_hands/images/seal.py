"""公章 drawn the way a rubber stamp leaves them: ring, five-pointed star, the unit's name along the top arc, an
optional centre line and code digits along the bottom, round (≈42 mm) or oval; uneven and partly faded ink."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

SERIF_BOLD = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2)  # index 2: Noto Serif CJK SC
SANS_BOLD = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2)
SUPERSAMPLE = 3
RED_INK = (0.80, 0.12, 0.14)


@dataclass(frozen=True)
class SealSpec:
    unit_id: str
    ring_text: str
    centre_text: str = ""
    shape: str = "round"  # round | oval
    code: str = ""  # digits along the bottom arc, "" for none
    star: bool = True

    def truth(self, page: int) -> dict:
        return {
            "page": page,
            "unit_id": self.unit_id,
            "ring_text": self.ring_text,
            "centre_text": self.centre_text,
            "shape": self.shape,
        }


def _glyph(char: str, height: int, width_factor: float, font: ImageFont.FreeTypeFont) -> Image.Image:
    """One character as a white-on-black mask, `height` px tall, squeezed horizontally by width_factor."""
    size = int(height * 1.4)
    tile = Image.new("L", (size, size), 0)
    ImageDraw.Draw(tile).text((size / 2, size / 2), char, fill=255, font=font, anchor="mm")
    box = tile.getbbox() or (0, 0, size, size)
    cx = (box[0] + box[2]) / 2
    half = size / 2
    tile = tile.crop((int(cx - half), 0, int(cx + half), size))
    return tile.resize((max(1, int(size * width_factor)), size), Image.LANCZOS)


def _ellipse_arc(a: float, b: float, samples: int = 4000) -> tuple[np.ndarray, np.ndarray]:
    """Parameter angles and cumulative arc length of an ellipse, starting at its bottom (t = 90°, y down)."""
    t = np.linspace(math.pi / 2, math.pi / 2 + 2 * math.pi, samples)
    x, y = a * np.cos(t), b * np.sin(t)
    length = np.concatenate([[0], np.cumsum(np.hypot(np.diff(x), np.diff(y)))])
    return t, length


def _place_along(
    canvas: Image.Image,
    centre: tuple[float, float],
    a: float,
    b: float,
    text: str,
    height: float,
    font: ImageFont.FreeTypeFont,
    max_span: float,
    top: bool,
) -> None:
    """Writes `text` along the top (or bottom) of the ellipse, centred on it, each character following the curve."""
    t, length = _ellipse_arc(a, b)
    total = length[-1]
    mid = total / 2 if top else 0.0  # top of the ellipse is half-way round from the bottom
    n = len(text)
    natural = n * height * 1.02
    span = min(natural, max_span * total)
    width_factor = max(0.55, min(1.0, span / natural))
    step = span / n
    for i, char in enumerate(text):
        offset = (i + 0.5) * step - span / 2
        s = mid + offset if top else (mid - offset) % total
        k = int(np.searchsorted(length, s))
        k = min(k, len(t) - 1)
        angle = t[k]
        px, py = centre[0] + a * math.cos(angle), centre[1] + b * math.sin(angle)
        dx, dy = -a * math.sin(angle), b * math.cos(angle)  # tangent, in the direction of increasing t
        rotation = -math.degrees(math.atan2(dy, dx))
        if not top:
            rotation += 180
        glyph = _glyph(char, int(height), width_factor, font).rotate(rotation, resample=Image.BICUBIC, expand=True)
        canvas.paste(255, (int(px - glyph.width / 2), int(py - glyph.height / 2)), glyph)


def _star(draw: ImageDraw.ImageDraw, cx: float, cy: float, radius: float) -> None:
    points = []
    for k in range(10):
        r = radius if k % 2 == 0 else radius * 0.382
        angle = -math.pi / 2 + k * math.pi / 5
        points.append((cx + r * math.cos(angle), cy + r * math.sin(angle)))
    draw.polygon(points, fill=255)


def seal_mask(spec: SealSpec, dpi: int) -> np.ndarray:
    """Ink coverage 0..1 of a freshly inked stamp, before wear."""
    mm = dpi / 25.4 * SUPERSAMPLE
    if spec.shape == "round":
        a = b = 21 * mm
    else:
        a, b = 22.5 * mm, 15 * mm
    ring = 1.3 * mm
    pad = int(2 * mm)
    w, h = int(2 * a) + 2 * pad, int(2 * b) + 2 * pad
    canvas = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(canvas)
    cx, cy = w / 2, h / 2
    draw.ellipse((cx - a, cy - b, cx + a, cy + b), outline=255, width=int(ring))
    text_h = (7.2 if spec.shape == "round" else 5.6) * mm
    inner_a, inner_b = a - ring - 0.9 * mm - text_h / 2, b - ring - 0.9 * mm - text_h / 2
    font = ImageFont.truetype(SERIF_BOLD[0], int(text_h), index=SERIF_BOLD[1])
    span = 0.70 if spec.shape == "round" else 0.56
    _place_along(canvas, (cx, cy), inner_a, inner_b, spec.ring_text, text_h, font, span, top=True)
    if spec.code:
        code_h = 2.2 * mm
        code_font = ImageFont.truetype(SANS_BOLD[0], int(code_h), index=SANS_BOLD[1])
        ca, cb = a - ring - 0.7 * mm - code_h / 2, b - ring - 0.7 * mm - code_h / 2
        _place_along(canvas, (cx, cy), ca, cb, spec.code, code_h * 0.75, code_font, 0.2, top=False)
    if spec.star:
        star_r = (7.5 if spec.shape == "round" else 4.5) * mm
        star_y = cy - (1.0 if spec.centre_text else 0) * mm if spec.shape == "round" else cy - 3.2 * mm
        _star(draw, cx, star_y, star_r)
    if spec.centre_text:
        centre_h = (4.6 if spec.shape == "round" else 5.0) * mm
        centre_font = ImageFont.truetype(SERIF_BOLD[0], int(centre_h), index=SERIF_BOLD[1])
        centre_y = cy + (11.0 if spec.shape == "round" else (4.2 if spec.star else 0.0)) * mm
        draw.text((cx, centre_y), spec.centre_text, fill=255, font=centre_font, anchor="mm")
    small = canvas.resize((w // SUPERSAMPLE, h // SUPERSAMPLE), Image.LANCZOS)
    return np.asarray(small, dtype=np.float32) / 255.0


def wear(mask: np.ndarray, rng: random.Random, fade: float) -> np.ndarray:
    """Uneven ink: blotchy low-frequency density, paper grain, one side pressed harder than the other."""
    h, w = mask.shape
    seed = rng.randrange(2**31)
    noise_rng = np.random.default_rng(seed)
    blotch = cv2.GaussianBlur(noise_rng.random((h, w)).astype(np.float32), (0, 0), max(h, w) / 14)
    blotch = (blotch - blotch.min()) / (np.ptp(blotch) + 1e-6)
    grain = cv2.GaussianBlur(noise_rng.random((h, w)).astype(np.float32), (0, 0), 0.8)
    angle = rng.uniform(0, 2 * math.pi)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    ramp = ((xx - w / 2) * math.cos(angle) + (yy - h / 2) * math.sin(angle)) / (max(h, w) / 2)
    pressure = np.clip(1.0 - fade * (ramp + 1) / 2, 0.15, 1.0)
    density = (0.55 + 0.45 * blotch) * (0.8 + 0.35 * grain) * pressure
    inked = cv2.GaussianBlur(mask, (0, 0), 0.7) * np.clip(density, 0, 1) * 1.12
    return np.clip(inked, 0, 0.97)


def stamp(
    page: Image.Image,
    spec: SealSpec,
    dpi: int,
    centre: tuple[int, int],
    rng: random.Random,
    fade: float = 0.25,
    ink: tuple[float, float, float] = RED_INK,
) -> Image.Image:
    """Presses the seal onto an RGB page at `centre` (px), slightly turned; ink multiplies with what is printed."""
    mask = wear(seal_mask(spec, dpi), rng, fade)
    turned = Image.fromarray((mask * 255).astype(np.uint8)).rotate(
        rng.uniform(-14, 14), resample=Image.BICUBIC, expand=True
    )
    alpha = np.asarray(turned, dtype=np.float32) / 255.0
    arr = np.asarray(page, dtype=np.float32) / 255.0
    h, w = alpha.shape
    x0, y0 = centre[0] - w // 2, centre[1] - h // 2
    sx0, sy0 = max(0, -x0), max(0, -y0)
    x0c, y0c = max(0, x0), max(0, y0)
    x1c, y1c = min(arr.shape[1], x0 + w), min(arr.shape[0], y0 + h)
    if x1c <= x0c or y1c <= y0c:
        return page
    a = alpha[sy0 : sy0 + (y1c - y0c), sx0 : sx0 + (x1c - x0c), None]
    colour = np.array(ink, dtype=np.float32)[None, None, :]
    region = arr[y0c:y1c, x0c:x1c]
    arr[y0c:y1c, x0c:x1c] = region * (1 - a * (1 - colour))
    return Image.fromarray((np.clip(arr, 0, 1) * 255).astype(np.uint8))
