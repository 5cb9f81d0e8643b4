"""A picture placed on a PDF page, as its own pixels: its colours under its soft mask, on white paper.

An electronic seal is a PNG with transparency; PDF writers store it as an image with an ``/SMask``
(LibreOffice, reportlab, pikepdf overlays). Printed with a multiply blend over a title or a table
line, the page shows its ring broken by black ink; the picture itself still holds the whole seal.
Only what PIL/numpy can decode without guessing is read: 8-bit grey, RGB or CMYK samples (Flate/LZW
and other filters pdfminer undoes) and JPEG (DCT); anything else gives None.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
from pdfminer.pdftypes import LITERALS_DCT_DECODE, resolve1
from PIL import Image

_CHANNELS = {"DeviceGray": 1, "CalGray": 1, "DeviceRGB": 3, "CalRGB": 3, "DeviceCMYK": 4}
MAX_PICTURE_PIXELS = 16_000_000  # a seal picture is a few hundred pixels across; skip anything huge


def picture_bgr(stream: Any) -> np.ndarray | None:
    """BGR uint8 pixels of an image XObject flattened onto white through its /SMask; None if unreadable."""
    colour = _samples(stream)
    if colour is None:
        return None
    rgb = colour if colour.ndim == 3 else np.repeat(colour[:, :, None], 3, axis=2)
    mask_stream = resolve1(stream.attrs.get("SMask"))
    if mask_stream is not None and hasattr(mask_stream, "attrs"):
        alpha = _samples(mask_stream)
        if alpha is not None and alpha.ndim == 2:
            if alpha.shape != rgb.shape[:2]:
                alpha = np.asarray(Image.fromarray(alpha).resize(rgb.shape[1::-1], Image.BILINEAR))
            a = alpha.astype(np.float32)[:, :, None] / 255.0
            rgb = (rgb.astype(np.float32) * a + 255.0 * (1.0 - a)).astype(np.uint8)
    return np.ascontiguousarray(rgb[:, :, ::-1])


def _samples(stream: Any) -> np.ndarray | None:
    """(h, w) grey or (h, w, 3) RGB uint8 samples of one image stream, with /Decode [1 0] applied."""
    attrs = stream.attrs
    width, height = _int(attrs.get("Width")), _int(attrs.get("Height"))
    if not width or not height or width * height > MAX_PICTURE_PIXELS:
        return None
    filters = [f for f, _ in stream.get_filters()]
    data = stream.get_data()
    if filters and filters[-1] in LITERALS_DCT_DECODE:
        with Image.open(io.BytesIO(data)) as im:
            pixels = np.asarray(im.convert("L" if im.mode in ("L", "1") else "RGB"))
        return pixels if pixels.shape[:2] == (height, width) else None
    if _int(attrs.get("BitsPerComponent")) != 8:
        return None
    channels = _channels(attrs.get("ColorSpace"))
    if channels is None or len(data) < width * height * channels:
        return None
    pixels = np.frombuffer(data[: width * height * channels], dtype=np.uint8).reshape(height, width, channels)
    decode = resolve1(attrs.get("Decode"))
    if isinstance(decode, list) and len(decode) >= 2 and _num(decode[0]) > _num(decode[1]):
        pixels = 255 - pixels  # an inverted soft mask ([1 0]): LibreOffice writes some so
    if channels == 4:
        cmy = pixels[:, :, :3].astype(np.float32) / 255.0
        k = pixels[:, :, 3:4].astype(np.float32) / 255.0
        return ((1.0 - cmy) * (1.0 - k) * 255.0).astype(np.uint8)
    return pixels[:, :, 0] if channels == 1 else pixels


def _channels(space: Any) -> int | None:
    space = resolve1(space)
    if isinstance(space, list) and space:  # [/ICCBased stream] or [/CalRGB dict]
        head = getattr(resolve1(space[0]), "name", None)
        if head == "ICCBased" and len(space) > 1:
            return {1: 1, 3: 3, 4: 4}.get(_int(resolve1(space[1]).attrs.get("N")) or 0)
        return _CHANNELS.get(head or "")
    return _CHANNELS.get(getattr(space, "name", ""))


def _int(value: Any) -> int | None:
    value = resolve1(value)
    return int(value) if isinstance(value, (int, float)) else None


def _num(value: Any) -> float:
    value = resolve1(value)
    return float(value) if isinstance(value, (int, float)) else 0.0
