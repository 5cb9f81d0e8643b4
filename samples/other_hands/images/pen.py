"""Marks a person adds on paper: pen check strokes in option brackets, dust, specks and hairs near the values."""

from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageDraw

from .render import Glyph, Rendered

BLUE_INK = (28, 52, 150)
BLACK_INK = (28, 28, 34)
SUPERSAMPLE = 3


def _multiply(page: Image.Image, layer: Image.Image, origin: tuple[int, int], colour: tuple[int, int, int]) -> None:
    """Composites an L coverage layer onto the page in place, ink multiplying with the paper."""
    x0, y0 = max(0, origin[0]), max(0, origin[1])
    x1, y1 = min(page.width, origin[0] + layer.width), min(page.height, origin[1] + layer.height)
    if x1 <= x0 or y1 <= y0:
        return
    region = np.asarray(page.crop((x0, y0, x1, y1)), dtype=np.float32)
    crop = layer.crop((x0 - origin[0], y0 - origin[1], x1 - origin[0], y1 - origin[1]))
    alpha = np.asarray(crop, dtype=np.float32)[:, :, None] / 255.0
    ink = np.array(colour, dtype=np.float32)[None, None, :] / 255.0
    mixed = region * (1 - alpha * (1 - ink))
    page.paste(Image.fromarray(np.clip(mixed, 0, 255).astype(np.uint8)), (x0, y0))


def check_stroke(page: Image.Image, centre: tuple[float, float], size: float, rng: random.Random, ink: str) -> None:
    """A hand-drawn ✓: a short stroke down to the right, then a long one up and out, with pressure and wobble."""
    s = SUPERSAMPLE
    box = int(size * 2.4)
    layer = Image.new("L", (box * s, box * s), 0)
    draw = ImageDraw.Draw(layer)
    ox, oy = box * s / 2, box * s / 2
    tilt = math.radians(rng.uniform(-12, 8))
    start = (-0.45 * size, -0.05 * size)
    bottom = (-0.1 * size + rng.uniform(-2, 2), 0.38 * size)
    end = (0.75 * size + rng.uniform(-3, 3), -0.85 * size + rng.uniform(-4, 4))
    points = []
    for a, b, n in ((start, bottom, 8), (bottom, end, 16)):
        for k in range(n):
            f = k / n
            x = a[0] + (b[0] - a[0]) * f + rng.uniform(-0.4, 0.4)
            y = a[1] + (b[1] - a[1]) * f - math.sin(f * math.pi) * size * 0.06 + rng.uniform(-0.4, 0.4)
            points.append((x, y))
    points.append(end)
    width = max(2.0, size * rng.uniform(0.09, 0.13))
    for k in range(len(points) - 1):
        pressure = 1.0 if k < len(points) * 0.7 else 1.0 - (k / len(points) - 0.7) * 2.2
        (x0, y0), (x1, y1) = points[k], points[k + 1]
        rot = [
            (ox + (x * math.cos(tilt) - y * math.sin(tilt)) * s, oy + (x * math.sin(tilt) + y * math.cos(tilt)) * s)
            for x, y in ((x0, y0), (x1, y1))
        ]
        draw.line(rot, fill=235, width=max(1, int(width * s * max(0.35, pressure))), joint="curve")
    small = layer.resize((box, box), Image.LANCZOS)
    colour = BLUE_INK if ink == "pen-blue" else BLACK_INK
    _multiply(page, small, (int(centre[0] - box / 2), int(centre[1] - box / 2)), colour)


def bracket_centre(rendered: Rendered, anchor_name: str) -> tuple[int, tuple[float, float], float]:
    """(page, centre px, glyph height px) of the bracket or box a pen-tick anchor sits in."""
    anchor = rendered.anchors[anchor_name]
    same_page = [g for g in rendered.glyphs if g.page == anchor.page]
    near = [g for g in same_page if g.top - 6 <= anchor.y <= g.bottom + 6]
    opening = min(
        (g for g in near if g.text in "（(□" and g.x0 <= anchor.x + 2),
        key=lambda g: (anchor.x - g.x1) if g.x1 <= anchor.x + 2 else 999,
    )
    if opening.text == "□":
        x_mid = (opening.x0 + opening.x1) / 2
    else:
        closing = min((g for g in near if g.text in "）)" and g.x0 >= opening.x1 - 1), key=lambda g: g.x0 - opening.x1)
        x_mid = (opening.x1 + closing.x0) / 2
    y_mid = (opening.top + opening.bottom) / 2
    height = rendered.px(opening.bottom - opening.top)
    return anchor.page, (rendered.px(x_mid), rendered.px(y_mid)), height


def dust(page: Image.Image, glyphs: list[Glyph], rendered: Rendered, rng: random.Random, amount: int) -> None:
    """Specks, toner dots and a hair or two, most of them close to printed values."""
    w, h = page.size
    layer = Image.new("L", (w, h), 0)
    draw = ImageDraw.Draw(layer)
    for _ in range(amount):
        if glyphs and rng.random() < 0.75:
            g = rng.choice(glyphs)
            x = rendered.px(rng.uniform(g.x0 - 6, g.x1 + 6))
            y = rendered.px(rng.uniform(g.top - 5, g.bottom + 5))
        else:
            x, y = rng.randrange(w), rng.randrange(h)
        r = rng.choice([0.8, 1.0, 1.2, 1.5, 2.0, 2.6])
        draw.ellipse((x - r, y - r, x + r * rng.uniform(0.7, 1.4), y + r), fill=rng.randrange(120, 230))
    for _ in range(rng.randint(0, 2)):  # hairs / fibres
        x, y = rng.randrange(w), rng.randrange(h)
        angle = rng.uniform(0, math.pi)
        pts = []
        for _step in range(14):
            angle += rng.uniform(-0.25, 0.25)
            x += math.cos(angle) * 6
            y += math.sin(angle) * 6
            pts.append((x, y))
        draw.line(pts, fill=rng.randrange(70, 140), width=1)
    _multiply(page, layer, (0, 0), (40, 40, 40))
