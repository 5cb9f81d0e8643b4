"""A page holding only a line or two (a report's last page with its 落款 date) is read from the area its ink covers.

On the committed other-hands dev scan `seals/SCAN_0660.pdf` (tuned on, not held out) the detector found nothing on
page 2, which holds only `2021年6月14日` among dust specks, and staff got a false missing_field for 报送时间.
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from extractors.ocr import get_engine
from extractors.sparse_pages import read_ink_area
from tests.test_scan_ticks import FONT


def _page(lines: dict[tuple[int, int], str], dust: int = 40) -> np.ndarray:
    page = Image.new("L", (1654, 2339), 250)
    draw = ImageDraw.Draw(page)
    for (x, y), text in lines.items():
        draw.text((x, y), text, font=FONT, fill=20)
    rng = np.random.default_rng(7)
    for x, y in zip(rng.integers(50, 1600, dust), rng.integers(50, 2300, dust), strict=True):
        draw.ellipse((int(x), int(y), int(x) + 4, int(y) + 4), fill=60)  # specks: dots, not strokes
    return np.asarray(page)


def test_the_one_line_on_a_last_page_is_read_where_it_stands() -> None:
    grey = _page({(1000, 200): "2021年6月14日"})
    [box] = read_ink_area(grey, get_engine().read)
    assert box.text == "2021年6月14日"
    x0, y0, x1, y1 = box.bbox
    assert 980 <= x0 <= 1010 and 190 <= y0 <= 215 and x1 > 1200 and y1 < 270  # page coordinates


def test_a_blank_page_or_one_written_all_over_gives_nothing_new() -> None:
    assert read_ink_area(_page({}), get_engine().read) == []  # dust only
    full = _page({(100, 100): "二、主要活动开展情况", (1200, 2200): "2021年6月14日"})
    assert read_ink_area(full, get_engine().read) == []  # the ink spans the page: it was read as it is
