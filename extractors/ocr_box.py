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

    def __post_init__(self) -> None:
        self.spans = spaced_spans(self.text, self.spans)

    def span_x(self, index: int) -> tuple[float, float]:
        """Pixel x-range of span ``index`` on an upright page."""
        x0, _, x1, _ = self.bbox
        _, a, b = self.spans[index]
        return x0 + a * (x1 - x0), x0 + b * (x1 - x0)


def quad_bbox(quad: np.ndarray) -> BBox:
    """The axis-aligned box around a detected quadrilateral."""
    return (float(quad[:, 0].min()), float(quad[:, 1].min()), float(quad[:, 0].max()), float(quad[:, 1].max()))


def spaced_spans(text: str, spans: list[tuple[str, float, float]]) -> list[tuple[str, float, float]]:
    """``spans`` with a span for each blank of ``text`` that the recogniser gave no position of its own
    (`干部() 科技`: the letters have places, the space between them none), so the letters keep their
    measured places instead of every position being guessed from the line's width."""
    pieces = "".join(piece for piece, _, _ in spans)
    if not spans or pieces == text or pieces != "".join(text.split()):
        return spans
    out: list[tuple[str, float, float]] = []
    queue = iter(spans)
    upcoming = next(queue, None)
    i = 0
    while i < len(text):
        if text[i].isspace() or upcoming is None:
            start = out[-1][2] if out else 0.0
            end = upcoming[1] if upcoming is not None else 1.0
            out.append((text[i], start, max(start, end)))  # the blank between its neighbours
            i += 1
        else:
            out.append(upcoming)
            i += len(upcoming[0])
            upcoming = next(queue, None)
    return out
