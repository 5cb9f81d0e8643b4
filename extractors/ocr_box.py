"""What every OCR backend returns: one text line with its box, confidence and character positions."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

from .model import BBox

# Reads one line's image (no detection): the text and the recogniser's score, for re-reading part of a page.
Recognise = Callable[[np.ndarray], tuple[str, float]]


@dataclass
class OcrBox:
    """One text line as the OCR read it."""

    text: str
    bbox: BBox  # axis-aligned, image pixels
    confidence: float
    quad: np.ndarray | None = None  # 4x2 corner points as detected (for skew)
    # Pieces of the text (characters for CJK, words for Latin) with their start/end as fractions
    # (0–1) of the line's length in reading order; survives rotating the page by 90°/180°.
    spans: list[tuple[str, float, float]] = field(default_factory=list)
    flipped: bool = False  # the angle classifier read this line as upside down

    def span_x(self, index: int) -> tuple[float, float]:
        """Pixel x-range of span ``index`` on an upright page."""
        x0, _, x1, _ = self.bbox
        _, a, b = self.spans[index]
        return x0 + a * (x1 - x0), x0 + b * (x1 - x0)


def quad_bbox(quad: np.ndarray) -> BBox:
    """The axis-aligned box around a detected quadrilateral."""
    return (float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max()))
