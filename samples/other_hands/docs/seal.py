"""Electronic seals: a red round PNG with an alpha mask, ring text = the unit's full name, a star in the middle."""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageChops, ImageDraw, ImageFont

from .model import Seal

SEAL_FONT = "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc"
SC_INDEX = 2  # Simplified Chinese face inside the collection
RED = (214, 30, 36)
UNDER = {"red": RED, "white": (255, 255, 255), "black": (0, 0, 0)}


def star_points(cx: float, cy: float, r: float, inner: float = 0.382) -> list[tuple[float, float]]:
    pts = []
    for i in range(10):
        rad = r if i % 2 == 0 else r * inner
        a = math.pi / 2 + i * math.pi / 5
        pts.append((cx + rad * math.cos(a), cy - rad * math.sin(a)))
    return pts


def ring_layout(text: str, span_deg: float | None = None) -> list[tuple[str, float]]:
    """(char, angle clockwise from the top in degrees) for text read left to right over the top arc."""
    n = len(text)
    span = span_deg or min(250.0, 20.0 * n + 40)
    if n == 1:
        return [(text, 0.0)]
    step = span / (n - 1)
    return [(ch, -span / 2 + i * step) for i, ch in enumerate(text)]


def seal_png(seal: Seal, size: int = 320, seed: int = 0) -> bytes:
    rng = random.Random(seed)
    scale = 3  # draw large, then shrink: smooth edges like a scanner-made seal file
    big = size * scale
    ink = Image.new("L", (big, big), 0)
    draw = ImageDraw.Draw(ink)
    c = big / 2
    r_out = big / 2 - 4 * scale
    ring_w = 11 * scale
    draw.ellipse([c - r_out, c - r_out, c + r_out, c + r_out], outline=255, width=ring_w)
    draw.polygon(star_points(c, c, big * 0.15), fill=255)
    n = len(seal.ring_text)
    font_px = int(big * (0.135 if n <= 10 else 0.115 if n <= 14 else 0.095))
    font = ImageFont.truetype(SEAL_FONT, font_px, index=SC_INDEX)
    r_text = r_out - ring_w - font_px * 0.62
    for ch, ang in ring_layout(seal.ring_text):
        glyph = Image.new("L", (font_px * 2, font_px * 2), 0)
        gd = ImageDraw.Draw(glyph)
        gd.text((font_px, font_px), ch, font=font, fill=255, anchor="mm")
        glyph = glyph.rotate(-ang, resample=Image.BICUBIC)
        th = math.radians(ang)
        x, y = c + r_text * math.sin(th), c - r_text * math.cos(th)
        ink.paste(255, (int(x - font_px), int(y - font_px)), glyph)
    if seal.centre_text:
        cfont = ImageFont.truetype(SEAL_FONT, int(font_px * 0.9), index=SC_INDEX)
        draw.text((c, c + big * 0.27), seal.centre_text, font=cfont, fill=255, anchor="mm")
    ink = ink.resize((size, size), Image.LANCZOS)
    # uneven ink: a smooth low-frequency pattern (seeded, so the bytes repeat) makes some parts lighter
    coarse = Image.new("L", (12, 12))
    coarse.putdata([rng.randrange(170, 256) for _ in range(144)])
    shade = coarse.resize((size, size), Image.BILINEAR)
    alpha = ImageChops.multiply(ink, shade)
    under = Image.new("RGB", (size, size), UNDER[seal.under])
    red = Image.new("RGB", (size, size), RED)
    rgb = Image.composite(red, under, ink)
    img = rgb.convert("RGBA")
    img.putalpha(alpha)
    out = io.BytesIO()
    img.save(out, "PNG", optimize=True)
    return out.getvalue()
