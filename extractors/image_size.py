"""An image's size from its header, before a pixel is decoded: the guard against decompression bombs."""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image

from .errors import ImageTooLarge, ImageTooManyPages
from .options import ExtractOptions

_BOMB = 1 << 62  # Pillow refused to even size it: more than twice its own limit


def image_size(source: Path | bytes) -> tuple[int, int] | None:
    """(width × height, frames) from an image header, without decoding pixels; None if unreadable."""
    try:
        with Image.open(io.BytesIO(source) if isinstance(source, bytes) else source) as im:  # header only
            return im.size[0] * im.size[1], getattr(im, "n_frames", 1)
    except Image.DecompressionBombError:
        return _BOMB, 1
    except Exception:  # undecodable: whoever decodes it reports that as its own cause
        return None


def image_pixels(data: bytes) -> int:
    size = image_size(data)
    return size[0] if size else 0


def check_image_file(path: Path, options: ExtractOptions) -> None:
    """Refuse an image file with too many pixels per page or too many pages (multi-page TIFF)."""
    size = image_size(path)
    if size is None:
        return
    pixels, frames = size
    if pixels > options.max_pixels_per_page:
        limit = options.max_pixels_per_page
        raise ImageTooLarge(f"{pixels} pixels > {limit}", megapixels=limit / 1e6)
    if frames > options.max_pages:
        raise ImageTooManyPages(f"{frames} frames", pages=frames, limit=options.max_pages)
