"""What scanners, fax machines and phone cameras do to a printed page."""

from __future__ import annotations

import math
import random

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FAX_FONT = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 1)  # WenQuanYi Zen Hei Sharp: a bitmap-ish face


def _np_rng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.randrange(2**31))


def paper(page: Image.Image, rng: random.Random) -> Image.Image:
    """Off-white paper with a faint uneven tone."""
    arr = np.asarray(page, dtype=np.float32)
    h, w = arr.shape[:2]
    warm = rng.uniform(0.0, 1.0)
    tint = np.array([0.99 - 0.005 * warm, 0.982 - 0.01 * warm, 0.965 - 0.025 * warm], dtype=np.float32)
    small = _np_rng(rng).random((8, 6)).astype(np.float32)
    tone = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
    tone = 1.0 - 0.025 * (tone - tone.min()) / (np.ptp(tone) + 1e-6)
    out = arr * tint[None, None, :] * tone[:, :, None]
    return Image.fromarray(np.clip(out, 0, 255).astype(np.uint8))


def scanner(page: Image.Image, rng: random.Random, angle: float, noise: float = 1.5) -> Image.Image:
    """Flatbed scan: the page a little crooked on the glass, the lid grey around it, soft optics, sensor noise."""
    grey_level = rng.randint(226, 240)
    lid = (grey_level, grey_level, grey_level - rng.randint(0, 4))
    shift = (rng.randint(-12, 12), rng.randint(-10, 14))
    turned = page.rotate(angle, resample=Image.BICUBIC, translate=shift, fillcolor=lid)
    turned = turned.filter(ImageFilter.GaussianBlur(rng.uniform(0.45, 0.7)))
    arr = np.asarray(turned, dtype=np.float32)
    arr = arr + _np_rng(rng).normal(0, noise, arr.shape[:2])[:, :, None]
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8))


def quarter_turn(page: Image.Image, turns: int) -> Image.Image:
    """The page fed sideways (90°) or upside down (180°)."""
    return {
        1: page.transpose(Image.ROTATE_90),
        2: page.transpose(Image.ROTATE_180),
        3: page.transpose(Image.ROTATE_270),
    }.get(turns, page)


def jpeg_again(page: Image.Image, quality: int) -> Image.Image:
    """Re-saved once already (e-mailed, edited): a first generation of JPEG artefacts."""
    import io

    buffer = io.BytesIO()
    page.save(buffer, "JPEG", quality=quality)
    buffer.seek(0)
    return Image.open(buffer).convert(page.mode)


def grey(page: Image.Image, rng: random.Random) -> Image.Image:
    """Greyscale scan; a red seal comes out as a mid-grey one."""
    out = page.convert("L")
    gamma = rng.uniform(0.9, 1.1)
    lut = [min(255, int(255 * (i / 255) ** gamma)) for i in range(256)]
    return out.point(lut)


def fax(page: Image.Image, rng: random.Random, header: str, angle: float) -> Image.Image:
    """Bilevel 200 dpi fax page: skewed feed, dithered greys (the seal turns black and dotted), noise, header line."""
    g = page.convert("L").rotate(angle, resample=Image.BICUBIC, fillcolor=255)
    arr = np.asarray(g, dtype=np.float32)
    arr = np.clip((arr - 55) * 255.0 / (210 - 55), 0, 255)
    arr = arr + _np_rng(rng).normal(0, 9, arr.shape)
    bilevel = Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8)).convert("1")  # Floyd–Steinberg
    draw = ImageDraw.Draw(bilevel)
    w, h = bilevel.size
    nrng = _np_rng(rng)
    for _ in range(int(w * h * 0.00025)):  # line noise: isolated black pels
        x, y = int(nrng.integers(0, w)), int(nrng.integers(0, h))
        draw.point((x, y), fill=0)
    for _ in range(rng.randint(1, 3)):  # a dirty line on the scanner bar: a thin vertical streak
        x = rng.randrange(w)
        y0 = rng.randrange(h // 2)
        draw.line((x, y0, x, y0 + rng.randrange(h // 4, h // 2)), fill=0, width=1)
    for _ in range(rng.randint(2, 5)):  # dropped scan lines: white horizontal gaps through the text
        y = rng.randrange(h)
        draw.line((0, y, w, y), fill=1, width=1)
    font = ImageFont.truetype(FAX_FONT[0], 26, index=FAX_FONT[1])
    draw.rectangle((0, 0, w, 44), fill=1)
    draw.text((40, 10), header, fill=0, font=font)
    return bilevel


def desk(size: tuple[int, int], rng: random.Random) -> np.ndarray:
    """A desk top seen by the camera: wood grain, or a grey laminate with speckles."""
    w, h = size
    nrng = _np_rng(rng)
    if rng.random() < 0.6:
        base = np.array([rng.uniform(120, 165), rng.uniform(85, 115), rng.uniform(55, 80)], dtype=np.float32)
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        warp = cv2.GaussianBlur(nrng.random((h, w)).astype(np.float32), (0, 0), 40) * 60
        grain = 0.5 + 0.5 * np.sin((xx * 0.9 + yy * 0.12 + warp) / rng.uniform(6, 11))
        fine = cv2.GaussianBlur(nrng.random((h, w)).astype(np.float32), (0, 0), 1.2)
        shade = 0.82 + 0.14 * grain + 0.08 * fine
    else:
        base = np.array([rng.uniform(160, 200)] * 3, dtype=np.float32) * np.array([1.0, 0.99, 0.96])
        shade = 0.93 + 0.07 * cv2.GaussianBlur(nrng.random((h, w)).astype(np.float32), (0, 0), 2)
    return shade[:, :, None] * base[None, None, :]


def photo_corners(w: int, h: int, frame: tuple[int, int], tilt: float, rng: random.Random) -> np.ndarray:
    """Where the page's corners land in a phone photo: tilted `tilt`° about its horizontal axis (a trapezoid),
    a little about the vertical one, turned in the plane, projected through a ~26 mm-equivalent lens."""
    fw, fh = frame
    focal = 0.95 * max(fw, fh)
    ax = math.radians(tilt) * rng.choice([1, -1])
    ay = math.radians(rng.uniform(-0.3, 0.3) * tilt)
    az = math.radians(rng.uniform(-6, 6))
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    corners = np.array([[-w / 2, -h / 2, 0], [w / 2, -h / 2, 0], [w / 2, h / 2, 0], [-w / 2, h / 2, 0]])
    placed = corners @ (rz @ ry @ rx).T
    fill = rng.uniform(0.74, 0.86)
    distance = focal * h / (fh * fill)
    cx, cy = fw / 2 + rng.uniform(-0.04, 0.04) * fw, fh / 2 + rng.uniform(-0.03, 0.03) * fh
    z = distance + placed[:, 2]
    return np.stack([cx + focal * placed[:, 0] / z, cy + focal * placed[:, 1] / z], axis=1).astype(np.float32)


def photograph(page: Image.Image, rng: random.Random, tilt: float, long_side: int) -> Image.Image:
    """A phone photo of the page lying on a desk: perspective, uneven light, a shadow, slight blur, warm cast."""
    w, h = page.size
    frame = (round(long_side * 3 / 4), long_side)
    corners = photo_corners(w, h, frame, tilt, rng)
    src = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float32)
    matrix = cv2.getPerspectiveTransform(src, corners)
    sheet = cv2.warpPerspective(np.asarray(page, dtype=np.float32), matrix, frame, flags=cv2.INTER_AREA)
    cover = cv2.warpPerspective(np.ones((h, w), np.float32), matrix, frame, flags=cv2.INTER_LINEAR)[:, :, None]
    scene = sheet * cover + desk(frame, rng) * (1 - cover)
    fw, fh = frame
    yy, xx = np.mgrid[0:fh, 0:fw].astype(np.float32)
    angle = rng.uniform(0, 2 * math.pi)
    ramp = ((xx - fw / 2) * math.cos(angle) + (yy - fh / 2) * math.sin(angle)) / (max(fw, fh) / 2)
    light = 0.93 + 0.12 * ramp - 0.10 * (((xx - fw / 2) / fw) ** 2 + ((yy - fh / 2) / fh) ** 2) * 2
    shadow = Image.new("L", frame, 0)
    edge = rng.choice(["left", "right", "bottom", "top"])
    depth = rng.uniform(0.22, 0.42)
    poly = {
        "left": [(0, 0), (fw * depth, 0), (fw * (depth + 0.15), fh), (0, fh)],
        "right": [(fw, 0), (fw * (1 - depth), 0), (fw * (1 - depth - 0.12), fh), (fw, fh)],
        "bottom": [(0, fh), (0, fh * (1 - depth)), (fw, fh * (1 - depth - 0.1)), (fw, fh)],
        "top": [(0, 0), (fw, 0), (fw, fh * depth), (0, fh * (depth + 0.08))],
    }[edge]
    ImageDraw.Draw(shadow).polygon(poly, fill=255)
    soft = np.asarray(shadow.filter(ImageFilter.GaussianBlur(rng.uniform(25, 60))), dtype=np.float32) / 255
    light = light * (1 - rng.uniform(0.25, 0.4) * soft)
    cast = np.array([1.0, rng.uniform(0.95, 0.98), rng.uniform(0.86, 0.92)], dtype=np.float32)
    scene = scene * light[:, :, None] * cast[None, None, :]
    scene = cv2.GaussianBlur(scene, (0, 0), rng.uniform(0.7, 1.2))
    scene = scene + _np_rng(rng).normal(0, 3.5, scene.shape)
    return Image.fromarray(np.clip(scene, 0, 255).astype(np.uint8))
