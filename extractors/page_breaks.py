"""A paragraph of a scan that a page break cut: joined back (`…在工作、生活` / `中遇到的实际困难，…`).

Each scanned page is laid out on its own, so the last line of page N and the first of page N+1 came out as two
paragraphs, and an activity's text got a line break mid-sentence. They are one paragraph when the first stops
mid-sentence at the right margin and the second starts flush at the left margin (an indent starts a paragraph)
with neither a heading number nor a `标签：` of its own.
"""

from __future__ import annotations

import re

from .model import Block, Paragraph
from .sentences import ends_sentence

_EDGE_CHARS = 1.5  # characters (of the page's median line height) a line may stop short of a margin and still reach it
_MIN_CUT_LETTERS = 8  # a shorter paragraph is a label, a name or a date, not running text
_OWN_START = re.compile(r"^\s*(?:[（(]?[一二三四五六七八九十\d]{1,3}[)）、.．]|\S{1,8}[:：])")


def join_cut_paragraph(before: list[Block], page: list[Block]) -> None:
    """Move ``page``'s first paragraph onto the end of ``before``'s last one where the break cut it (in place)."""
    if not before or not page or not isinstance(before[-1], Paragraph) or not isinstance(page[0], Paragraph):
        return
    last, first = before[-1], page[0]
    if last.bbox is None or first.bbox is None or first.page != last.page + 1:
        return
    if ends_sentence(last.text) or len(last.text.strip()) < _MIN_CUT_LETTERS or _OWN_START.match(first.text):
        return
    left = _margins([b for b in page if isinstance(b, Paragraph)])[0]
    right = _margins([b for b in before if isinstance(b, Paragraph) and b.page == last.page])[1]
    if left is None or right is None:
        return
    em = _line_height([b for b in [*before, *page] if isinstance(b, Paragraph) and b.page in (last.page, first.page)])
    if last.bbox[2] < right - _EDGE_CHARS * em or first.bbox[0] > left + 0.5 * em:
        return
    last.text = last.text.rstrip() + first.text.lstrip()
    page.pop(0)


def _margins(paragraphs: list[Paragraph]) -> tuple[float | None, float | None]:
    """The page's text edges: most lines start at the left one and the long ones reach the right one."""
    boxes = [p.bbox for p in paragraphs if p.bbox is not None]
    if len(boxes) < 3:
        return None, None
    lefts, rights = sorted(b[0] for b in boxes), sorted(b[2] for b in boxes)
    return lefts[int(0.1 * (len(lefts) - 1))], rights[int(0.9 * (len(rights) - 1))]


def _line_height(paragraphs: list[Paragraph]) -> float:
    """A line's height: the lower quartile of the paragraphs' heights (most are one line high)."""
    heights = sorted(p.bbox[3] - p.bbox[1] for p in paragraphs if p.bbox is not None)
    return heights[len(heights) // 4] if heights else 0.0
