"""Writing pages the way the devices do: JPEG, PNG, multi-page TIFF, image-only PDF, bilevel fax TIFF."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
from PIL import Image

PRODUCERS = ("Canon iR-ADV C5535 PDF", "KONICA MINOLTA bizhub C368", "RICOH IM C3000", "Kyocera TASKalfa 3253ci")


def clean_background(page: Image.Image) -> Image.Image:
    """A scanner's 'remove background' setting: near-white paper becomes pure white (what keeps PNGs small)."""
    arr = np.asarray(page).copy()
    lum = arr if arr.ndim == 2 else arr.mean(axis=2)
    arr[lum > 222] = 255
    return Image.fromarray(arr)


def save_pages(
    pages: list[Image.Image], path: Path, fmt: str, dpi: int, quality: int, producer: str = "", day: str = "20210509"
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    first, rest = pages[0], pages[1:]
    if fmt in ("jpg", "png") and rest:
        raise ValueError(f"{path}: a {fmt} holds one page, got {len(pages)}")
    if fmt == "jpg":
        options = {"quality": quality, "subsampling": 2, "optimize": True}
        if dpi:
            options["dpi"] = (dpi, dpi)
        first.save(path, "JPEG", **options)
    elif fmt == "png":
        clean_background(first).save(path, "PNG", optimize=True, dpi=(dpi, dpi))
    elif fmt == "tif":
        if first.mode == "1":
            return  # fax pages go through save_fax
        # Colour pages go in as YCbCr (what scanners write: JPEG-in-TIFF with subsampled chroma), grey as is.
        pages = [p.convert("YCbCr") if p.mode == "RGB" else p for p in pages]
        pages[0].save(
            path, "TIFF", save_all=True, append_images=pages[1:], compression="jpeg", quality=quality, dpi=(dpi, dpi)
        )
    elif fmt == "pdf":
        stamp_time = time.strptime(day + "101500", "%Y%m%d%H%M%S")
        first.save(
            path,
            "PDF",
            save_all=True,
            append_images=rest,
            resolution=float(dpi),
            quality=quality,
            title="",
            producer=producer or PRODUCERS[0],
            creationDate=stamp_time,
            modDate=stamp_time,
        )
    else:
        raise ValueError(fmt)


def save_fax(pages: list[Image.Image], path: Path, compression: str) -> None:
    """Bilevel multi-page TIFF at 200 dpi, CCITT Group 4 or PackBits as fax servers store them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pages[0].save(path, "TIFF", save_all=True, append_images=pages[1:], compression=compression, dpi=(200, 200))
