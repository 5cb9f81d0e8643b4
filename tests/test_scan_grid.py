"""Table grids from ruling lines, and OCR lines put into their cells (no OCR run here)."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from extractors.grid import find_grids
from extractors.model import Paragraph, Table
from extractors.ocr import OcrBox
from extractors.scan_layout import layout
from samples.make_probe import PROBE_DIR as PROBE


def _gt() -> list[dict]:
    return json.loads((PROBE / "gt.json").read_text(encoding="utf-8"))["cells"]


def _centre(box) -> tuple[float, float]:
    return (box[0] + box[2]) / 2, (box[1] + box[3]) / 2


def test_grid_of_the_probe_form() -> None:
    grey = cv2.imread(str(PROBE / "clean.png"), cv2.IMREAD_GRAYSCALE)
    grids = find_grids(grey)
    assert len(grids) == 1
    grid = grids[0]
    assert (grid.n_rows, grid.n_cols, len(grid.cells)) == (8, 4, 22)
    for pair in _gt():
        label, value = grid.cell_at(*_centre(pair["label_box"])), grid.cell_at(*_centre(pair["value_box"]))
        assert label is not None and value is not None and label is not value, pair["label"]
        assert label.row == value.row and value.col == label.col + label.col_span, pair["label"]
        # The cell found is the drawn one (inside its lines), merged cells included.
        assert np.allclose(value.bbox, pair["value_box"], atol=12), (pair["label"], value.bbox)
    merged = [c for c in grid.cells if c.col_span == 3]
    assert len(merged) == 5  # 主办单位名称, 主题活动名称, 模块, 简介, 意见 values span the 3 right columns


def test_no_grid_on_a_page_without_rules() -> None:
    page = np.full((1200, 900), 255, np.uint8)
    cv2.putText(page, "no table here", (100, 300), cv2.FONT_HERSHEY_SIMPLEX, 2, 0, 3)
    cv2.line(page, (100, 600), (800, 600), 0, 2)  # a lone rule is not a table
    assert find_grids(page) == []


def _line(text: str, box) -> OcrBox:
    x0, y0, x1, y1 = box
    h = 40
    cy = (y0 + y1) / 2
    width = min(x1 - x0 - 20, 38 * len(text))
    return OcrBox(text, (x0 + 12, cy - h / 2, x0 + 12 + width, cy + h / 2), 0.97)


def test_lines_go_to_their_cells_and_give_label_value_pairs() -> None:
    grey = cv2.imread(str(PROBE / "clean.png"), cv2.IMREAD_GRAYSCALE)
    grids = find_grids(grey)
    lines = []
    for pair in _gt():
        lines.append(_line(pair["label"], pair["label_box"]))
        value_lines = pair["value"].split("\n")
        x0, y0, x1, y1 = pair["value_box"]
        step = (y1 - y0) / len(value_lines)
        for i, text in enumerate(value_lines):
            lines.append(_line(text.replace(" ", ""), (x0, y0 + i * step, x1, y0 + (i + 1) * step)))
    lines.append(OcrBox("填表日期：2021年5月10日", (146, 1340, 525, 1379), 0.99))
    blocks = layout(lines, grids, page=1)
    assert isinstance(blocks[0], Table) and isinstance(blocks[-1], Paragraph)
    table = blocks[0]
    pairs = {}
    for row in table.rows:
        for left, right in zip(row, row[1:], strict=False):
            pairs.setdefault(left.text, right.text)
    for pair in _gt():
        assert pairs[pair["label"]].replace("\n", "") == pair["value"].replace(" ", "").replace("\n", ""), pair["label"]
    assert all(c.confidence == pytest.approx(0.97) for c in table.cells() if c.text)
    assert blocks[-1].text == "填表日期：2021年5月10日"


def _fax_table(right_border: bool, short_rule: bool) -> np.ndarray:
    """A label | value table of four rows on a 200-dpi page, as a fax thins it: the right border may be
    gone, and the rule under row 1 may stop short of the left border."""
    page = np.full((1400, 1000), 255, np.uint8)
    top, left, mid, right, row_h = 300, 100, 400, 900, 80
    for r in range(5):
        x0 = left + 25 if short_rule and r == 2 else left
        cv2.line(page, (x0, top + r * row_h), (right, top + r * row_h), 0, 2)
    cv2.line(page, (left, top), (left, top + 4 * row_h), 0, 2)
    cv2.line(page, (mid, top), (mid, top + 4 * row_h), 0, 2)
    if right_border:
        cv2.line(page, (right, top), (right, top + 4 * row_h), 0, 2)
    return page


@pytest.mark.parametrize(("right_border", "short_rule"), [(False, False), (True, True), (False, True)])
def test_a_table_whose_fax_lost_its_right_side_or_a_rules_end_keeps_its_cells(
    right_border: bool, short_rule: bool
) -> None:
    grids = find_grids(_fax_table(right_border, short_rule))
    assert len(grids) == 1
    grid = grids[0]
    assert (grid.n_rows, grid.n_cols, len(grid.cells)) == (4, 2, 8)


def test_a_line_run_over_the_rule_between_label_and_value_keeps_the_rule() -> None:
    """The OCR read `主办单位名称` and its value as one line, but its letters leave the rule a blank."""
    page = _fax_table(True, False)
    x0, x1 = 120.0, 700.0
    width = x1 - x0
    spans = [
        (ch, (a - x0) / width, (a + 36 - x0) / width) for ch, a in zip("主办单位名称", range(120, 336, 36), strict=True)
    ]
    spans += [
        (ch, (a - x0) / width, (a + 36 - x0) / width) for ch, a in zip("海北州科协", range(420, 600, 36), strict=True)
    ]
    line = OcrBox("主办单位名称海北州科协", (x0, 320.0, x1, 360.0), 0.95, spans=spans)
    from extractors.scan import _gaps

    grids = find_grids(page, text=[(line.bbox, _gaps(line))])
    assert len(grids) == 1 and len(grids[0].cells) == 8


def _table_cut_by_a_page_break(at_bottom: bool) -> np.ndarray:
    """A label | value table that runs over a page break: on the page before it, its borders and column rule
    stop together at the foot with no rule under the last row; on the page after it, they start together at
    the head with no rule over the first row."""
    page = np.full((1400, 1000), 255, np.uint8)
    left, mid, right = 100, 400, 900
    rules = [300, 380, 460, 540] if at_bottom else [380, 460, 540, 620]
    top, bottom = (300, 800) if at_bottom else (150, 620)
    for y in rules:
        cv2.line(page, (left, y), (right, y), 0, 2)
    for x in (left, mid, right):
        cv2.line(page, (x, top), (x, bottom), 0, 2)
    return page


@pytest.mark.parametrize("at_bottom", [True, False])
def test_a_table_cut_by_a_page_break_keeps_its_rows(at_bottom: bool) -> None:
    """Without the missing rule every vertical had a free end and the whole activity table came out as
    loose paragraphs (a fax's third activity)."""
    grids = find_grids(_table_cut_by_a_page_break(at_bottom))
    assert len(grids) == 1
    assert (grids[0].n_rows, grids[0].n_cols, len(grids[0].cells)) == (4, 2, 8)


def test_a_line_read_across_the_column_rule_in_the_last_row_leaves_the_rows_above_their_rule() -> None:
    """The OCR read `主要内邀请省外…` as one line with no blank at the rule, so the rule is lost in that row; the
    rule above it then ended free, and dropping it whole merged every row's label and value
    (`活动名\\n青年科技工作者学术沙龙\\n称`)."""
    page = _fax_table(True, False)
    line = OcrBox("主要内邀请省外高校和科研院所专家", (110.0, 560.0, 880.0, 600.0), 0.95)
    grids = find_grids(page, text=[(line.bbox, [])])
    assert len(grids) == 1
    cells = sorted((c.row, c.col, c.col_span) for c in grids[0].cells)
    assert cells == [(0, 0, 1), (0, 1, 1), (1, 0, 1), (1, 1, 1), (2, 0, 1), (2, 1, 1), (3, 0, 2)]


def test_a_seals_ring_crossing_two_rules_is_no_column_rule() -> None:
    """The ring's side is a long near-vertical stroke; where it crosses the table's top rule and the header's
    bottom one it must not split the 姓名 header (a fax liaison table lost its names' column). The seal's box,
    found from its ink, may stop just inside the ring's outer edge."""
    page = _fax_table(True, False)
    cv2.circle(page, (330, 330), 170, 0, 8)
    grids = find_grids(page, [(166.0, 166.0, 494.0, 494.0)])
    assert len(grids) == 1
    assert sorted((c.row, c.col, c.col_span) for c in grids[0].cells) == [(r, c, 1) for r in range(4) for c in range(2)]


def test_a_seals_ring_over_the_header_row_adds_no_column() -> None:
    """A seal stamped on the table's top rule: the near-vertical sides of its ring cross that rule and end free
    inside the header row, wholly at the seal. They are no column rules (a fax's 姓名 header and the names under
    it were split off into columns of their own, and the liaison persons lost their names)."""
    page = _fax_table(True, False)
    cv2.circle(page, (250, 340), 130, 0, 8)  # a fax's thick ring: its sides stay upright for a row's height
    grids = find_grids(page, [(116.0, 206.0, 384.0, 474.0)])
    assert len(grids) == 1
    assert sorted((c.row, c.col, c.col_span) for c in grids[0].cells) == [(r, c, 1) for r in range(4) for c in range(2)]
