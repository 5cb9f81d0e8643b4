"""Text the OCR's first pass lost: a line read far too short is read again from the page
(extractors/short_reads.py), a cell (or a line in a cell) the detector skipped is read from its ink
(extractors/empty_cells.py), a typed space the recogniser dropped is put back from the pixels
(extractors/scan_layout.restore_spaces).

The line is from the committed other-hands dev scan `扫描件18.jpg` (tuned on, not held out): the OCR found the
whole line `（一）举办科技工作者座谈会。5月28日，青海农学会召开庆祝“全国科技工作者日”` but read `养一）` at 0.57,
and the report's 字数 came out 30 short.
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from extractors.empty_cells import skipped_lines_in_cells
from extractors.ocr import OcrBox, get_engine
from extractors.scan_layout import restore_spaces
from extractors.short_reads import reread_short_lines
from tests.test_scan_ticks import FONT, _render

SCAN = Path(__file__).resolve().parents[1] / "samples/other_hands/scanned/dev/inbox/scans/扫描件18.jpg"


def _page():
    return cv2.imread(str(SCAN), cv2.IMREAD_GRAYSCALE)


def test_a_line_read_as_three_letters_is_read_again_whole() -> None:
    misread = OcrBox(text="养一）", bbox=(285.0, 877.0, 1414.0, 936.0), confidence=0.571)
    [box] = reread_short_lines(_page(), [misread], get_engine().recognise)
    assert "举办科技工作者座谈会。5月28日，青海农学会召开庆祝" in box.text
    assert box.confidence >= 0.9 and box.bbox == misread.bbox


def test_a_short_line_read_with_confidence_is_left_alone() -> None:
    heading = OcrBox(text="二、主要活动开展情况", bbox=(269.0, 825.0, 588.0, 872.0), confidence=0.99)
    unsure_but_full = OcrBox(text="科技工作者座谈会，来自生产一线", bbox=(207.0, 923.0, 700.0, 983.0), confidence=0.6)
    assert reread_short_lines(_page(), [heading, unsure_but_full], get_engine().recognise) == [heading, unsure_but_full]


def _table_row(cells: list[str]) -> tuple[np.ndarray, list[tuple[float, float, float, float]]]:
    """One ruled table row (grey page) holding ``cells``, and the cells' inner boxes."""
    page = Image.new("L", (900, 160), 255)
    draw = ImageDraw.Draw(page)
    edges = [40, 220, 560, 860]
    for x in edges:
        draw.line([(x, 30), (x, 130)], fill=0, width=2)
    for y in (30, 130):
        draw.line([(40, y), (860, y)], fill=0, width=2)
    boxes = []
    for (left, right), text in zip(zip(edges, edges[1:], strict=False), cells, strict=True):
        draw.text((left + 20, 60), text, font=FONT, fill=0)
        boxes.append((left + 2.0, 32.0, right - 2.0, 128.0))
    return np.asarray(page), boxes


def test_a_name_the_detector_skipped_in_its_cell_is_read_from_the_cells_ink() -> None:
    """A liaison row whose name cell no detected line touches (a phone photo's `马丽萍`)."""
    grey, cells = _table_row(["马丽萍", "办公室副主任", "13039898093"])
    detected = [
        OcrBox("办公室副主任", (238.0, 58.0, 460.0, 106.0), 0.99),
        OcrBox("13039898093", (578.0, 58.0, 800.0, 106.0), 0.99),
    ]
    found = skipped_lines_in_cells(grey, cells, detected, [], get_engine().recognise)
    assert [b.text for b in found] == ["马丽萍"]
    assert cells[0][0] <= found[0].bbox[0] and found[0].bbox[2] <= cells[0][2]


def test_an_empty_cell_or_one_under_a_seal_gives_nothing() -> None:
    grey, cells = _table_row(["", "办公室副主任", "13039898093"])
    detected = [
        OcrBox("办公室副主任", (238.0, 58.0, 460.0, 106.0), 0.99),
        OcrBox("13039898093", (578.0, 58.0, 800.0, 106.0), 0.99),
    ]
    assert skipped_lines_in_cells(grey, cells, detected, [], get_engine().recognise) == []
    grey, cells = _table_row(["马丽萍", "办公室副主任", "13039898093"])
    detected = detected[:1]
    seal = (100.0, 0.0, 300.0, 160.0)
    found = skipped_lines_in_cells(grey, cells, detected, [seal], get_engine().recognise)
    assert [b.text for b in found] == ["13039898093"]  # the name cell is the seal's: its own reader's


def test_a_line_the_detector_skipped_between_two_it_found_in_one_cell_is_read() -> None:
    """A fax's 预期成效 cell: the detector returned the lines above and below one plain line and not that
    line (`结，择优上传至…年度`), and 29 letters were lost from the write-up."""
    lines = ["拓宽科技工作者学术视野搭建平台", "形成图文并茂的活动总结择优上传", "所需经费从本单位年度工作经费中"]
    page = Image.new("L", (900, 300), 255)
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 20, 860, 280), outline=0, width=2)
    for i, text in enumerate(lines):
        draw.text((60, 50 + i * 70), text, font=FONT, fill=0)
    grey = np.asarray(page)
    cell = (42.0, 22.0, 858.0, 278.0)
    detected = [
        OcrBox(lines[0], (55.0, 45.0, 700.0, 95.0), 0.99),
        OcrBox(lines[2], (55.0, 185.0, 700.0, 235.0), 0.99),
    ]
    found = skipped_lines_in_cells(grey, [cell], detected, [], get_engine().recognise)
    assert [b.text for b in found] == [lines[1]]
    assert detected[0].bbox[3] <= found[0].bbox[1] + 10 and found[0].bbox[3] <= detected[1].bbox[1] + 10


def _with_coarse_positions(text: str) -> tuple[np.ndarray, OcrBox]:
    """``text`` drawn as typed, read by an OCR that lost its spaces and placed its letters evenly (the
    recogniser's positions are ~8 px coarse: a half-width space does not move them)."""
    page, drawn = _render(text)
    read = text.replace(" ", "")
    step = 1.0 / len(read)
    spans = [(ch, i * step, (i + 1) * step) for i, ch in enumerate(read)]
    return cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), OcrBox(read, drawn.bbox, 0.95, spans=spans)


def test_a_typed_space_inside_a_quoted_title_is_put_back() -> None:
    grey, box = _with_coarse_positions("“走进科学 感受创新”开放日")
    assert restore_spaces(box, grey).text == "“走进科学 感受创新”开放日"


@pytest.mark.parametrize("text", ["2021年5月12日至6月25日", "全国科技工作者日主题活动", "国网青海电力科普部"])
def test_the_gaps_around_a_narrow_letter_are_no_space(text: str) -> None:
    grey, box = _with_coarse_positions(text)
    assert restore_spaces(box, grey).text == text


def test_a_name_under_the_edge_of_a_seal_is_read_and_one_under_its_middle_is_not() -> None:
    """A fax's liaison row: the seal's lower edge over the top of the name cell (`杨雪莲`, a fifth of the cell
    under the disc, though half under the seal's square box) left the name unread and staff got missing_field.
    Up to half the cell under the disc is read; a cell the seal covers mostly stays its own reader's."""
    grey, cells = _table_row(["马丽萍", "办公室副主任", "13039898093"])
    detected = [OcrBox("办公室副主任", (238.0, 58.0, 460.0, 106.0), 0.99)]
    edge = (-60.0, -250.0, 340.0, 50.0)  # a disc whose bottom reaches the cell's upper fifth
    found = skipped_lines_in_cells(grey, cells, detected, [edge], get_engine().recognise)
    assert "马丽萍" in [b.text for b in found]
    # a fax's seal whose lower arc runs through the name (`罗德明`, 0.37 of its cell under the disc)
    lower = (-60.0, -230.0, 340.0, 78.0)
    found = skipped_lines_in_cells(grey, cells, detected, [lower], get_engine().recognise)
    assert "马丽萍" in [b.text for b in found]
    middle = (20.0, -40.0, 240.0, 180.0)
    found = skipped_lines_in_cells(grey, cells, detected, [middle], get_engine().recognise)
    assert "马丽萍" not in [b.text for b in found]


def _lines_page(lines: list[str], size: tuple[int, int], at: tuple[int, int], pitch: int) -> np.ndarray:
    """A grey page of ``size`` with ``lines`` of running text, the first at ``at``, one every ``pitch`` pixels."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    for i, text in enumerate(lines):
        draw.text((at[0], at[1] + i * pitch), text, font=FONT, fill=0)
    return np.asarray(page)


def test_a_line_of_running_text_the_detector_skipped_between_two_is_read() -> None:
    """A fax's activity written as lines: the detector found `参加人员：…` and `研究进展。…` but not the line
    between them, `主要安排：邀请省外高校…`; 34 letters were lost. A wide gap with no ink gives nothing."""
    from extractors.empty_cells import skipped_lines_between

    lines = [
        "参加人员：省内外专家学者和青年科技工作者约30人",
        "主要安排：邀请省外高校和科研院所专家线上作报告",
        "研究进展。组织省内青年科技工作者汇报研究成果",
    ]
    grey = _lines_page(lines, (1100, 320), (40, 40), 70)
    detected = [OcrBox(lines[0], (35.0, 36.0, 930.0, 90.0), 0.99), OcrBox(lines[2], (35.0, 176.0, 870.0, 230.0), 0.99)]
    found = skipped_lines_between(grey, [], detected, [], get_engine().recognise)
    assert [b.text for b in found] == [lines[1]]
    blank = np.asarray(Image.new("L", (1100, 320), 255))
    assert skipped_lines_between(blank, [], detected, [], get_engine().recognise) == []


def test_a_typed_space_on_a_fax_full_of_dither_dots_is_put_back_and_none_is_made() -> None:
    """A fax dithers the paper's grey into lone dots, and a dot in the blank between two words hid the typed
    space of `“科技志愿服务 助力乡村振兴”` (titles on the dev faxes). The dots are not ink there; where nothing was
    typed (the narrow 卜 of 恰卜恰镇 has wide blanks beside it) no space is made."""
    rng = np.random.default_rng(7)
    for typed in ("“科技志愿服务 助力乡村振兴”下乡活动", "海南州共和县恰卜恰镇海湖大道122号"):
        page, drawn = _render(typed)
        grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
        grey[(rng.random(grey.shape) < 0.008) & (grey > 128)] = 0
        # the OCR lost the space; its letters stay where they were printed
        spans = [(c, a, b) for c, a, b in drawn.spans if c != " "]
        read = OcrBox("".join(c for c, _, _ in spans), drawn.bbox, 0.95, spans=spans)
        assert restore_spaces(read, grey).text == typed


def test_the_blanks_beside_a_narrow_letter_are_no_space_on_a_clean_scan_either() -> None:
    """A grey plan's 邮寄地址 `海南州共和县恰卜恰镇团结路18号` came out `恰 卜恰镇` (dev23; dev24 too): 卜's ink is a
    stroke and a dot, and the blank on its left is its own, not a typed space."""
    page, drawn = _render("海南州共和县恰卜恰镇团结路18号")
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert restore_spaces(drawn, grey).text == "海南州共和县恰卜恰镇团结路18号"
    # the OCR's places are coarse: 卜's may reach into the 恰 after it, whose ink is no part of 卜
    into = 6 / (drawn.bbox[2] - drawn.bbox[0])
    spans = [
        (c, a, b + into) if i == 7 else (c, a + into, b) if i == 8 else (c, a, b)
        for i, (c, a, b) in enumerate(drawn.spans)
    ]
    read = OcrBox(drawn.text, drawn.bbox, drawn.confidence, spans=spans)
    assert restore_spaces(read, grey).text == "海南州共和县恰卜恰镇团结路18号"
    for typed in ("“科技志愿服务 助力乡村振兴”下乡活动", "活动一：“走进科学 感受创新”开放日"):  # a typed space stays
        page, drawn = _render(typed)
        spans = [(c, a, b) for c, a, b in drawn.spans if c != " "]
        lost = OcrBox("".join(c for c, _, _ in spans), drawn.bbox, 0.95, spans=spans)
        assert restore_spaces(lost, cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)).text == typed


def test_a_line_the_detector_skipped_between_two_close_lines_of_running_text_is_read() -> None:
    """A phone photo (dev17, tuned on): lines 45 px apart, the detector's boxes loose, the line between two it
    found not found (`2021年6月4日上午，在湟源县市民中心…`). The gap between the boxes is under a line's height (0.7
    of it here), and still holds a whole line."""
    from extractors.empty_cells import skipped_lines_between

    lines = [
        "二、庆祝建党一百周年科技工作者代表座谈会举办",
        "座谈会由县科协主要负责同志主持邀请科技工",
        "作者代表结合党史学习教育畅谈切身体会",
    ]
    grey = _lines_page(lines, (1000, 260), (60, 50), 40)  # letters' ink: rows 61–94, 101–134, 141–174
    detected = [OcrBox(lines[0], (55.0, 54.0, 880.0, 101.0), 0.99), OcrBox(lines[2], (55.0, 134.0, 760.0, 181.0), 0.99)]
    found = skipped_lines_between(grey, [], detected, [], get_engine().recognise)
    assert [b.text for b in found] == [lines[1]]


def test_words_before_a_detected_line_on_its_own_text_line_are_read() -> None:
    """The detector found `科技工作者 海外同行` but not `科协系统干部` before it on the same line of the same cell."""
    page = Image.new("L", (1000, 160), 255)
    draw = ImageDraw.Draw(page)
    for x in (40, 960):
        draw.line([(x, 30), (x, 130)], fill=0, width=2)
    for y in (30, 130):
        draw.line([(40, y), (960, y)], fill=0, width=2)
    draw.text((60, 60), "科协系统干部", font=FONT, fill=0)
    draw.text((340, 60), "科技工作者  海外同行", font=FONT, fill=0)
    grey, cell = np.asarray(page), (42.0, 32.0, 958.0, 128.0)
    detected = [OcrBox("科技工作者 海外同行", (334.0, 58.0, 730.0, 108.0), 0.99)]
    found = skipped_lines_in_cells(grey, [cell], detected, [], get_engine().recognise)
    assert [b.text for b in found] == ["科协系统干部"]
    assert found[0].bbox[2] < detected[0].bbox[0]
    # With the whole line found there is nothing beside it to read.
    whole = [OcrBox("科协系统干部 科技工作者 海外同行", (54.0, 58.0, 730.0, 108.0), 0.99)]
    assert skipped_lines_in_cells(grey, [cell], whole, [], get_engine().recognise) == []


def test_a_name_under_a_seals_arc_on_a_fax_full_of_specks_is_read() -> None:
    """A fax's liaison row: the seal's ring dips into the top of the name cell and the fax's specks fill every
    pixel row between the arc and `汪刚`, so the cell's ink was one tall run the recogniser was unsure of and the
    person lost the name. The rows with more than a speck's ink are read on their own."""
    grey, cells = _table_row(["汪刚", "科研管理科干事", "13336021228"])
    grey = grey.copy()
    cv2.ellipse(grey, (130, -70), (140, 125), 0, 20, 160, 0, 6)  # the ring's lowest arc, in the cell's top rows
    rng = np.random.default_rng(3)
    for y in range(34, 127):  # a speck on every pixel row of the name cell
        grey[y, rng.integers(50, 210)] = 0
    detected = [
        OcrBox("科研管理科干事", (238.0, 58.0, 500.0, 106.0), 0.99),
        OcrBox("13336021228", (578.0, 58.0, 800.0, 106.0), 0.99),
    ]
    seal = (-10.0, -195.0, 270.0, 55.0)  # the ring's box: a sliver of the name cell
    found = skipped_lines_in_cells(grey, cells, detected, [seal], get_engine().recognise)
    assert [b.text for b in found] == ["汪刚"]


CLOSING_DATE_CROP = Path(__file__).parent / "data" / "grey_seal_over_closing_date.png"  # dev32 grey report (tuned on)


def test_a_doubtful_line_across_a_grey_seal_is_read_again_from_its_straight_box() -> None:
    """A grey report's 落款 date `2021/06/16` under the seal's star: the detector's box took in part of the ring and
    the first reading lost a digit (`2021/0/16`, 0.62), so the report had no 报送时间 and the date line counted as
    body text (字数 +9). Cut straight out of the levelled page, the same box reads whole. Away from a seal the same
    doubtful reading is left alone (it is no line read far too short)."""
    grey = cv2.imread(str(CLOSING_DATE_CROP), cv2.IMREAD_GRAYSCALE)  # the levelled page, cut at x=980, y=1600
    doubtful = OcrBox(text="2021/0/16", bbox=(47.6, 38.4, 286.3, 134.4), confidence=0.616)
    seal = (30.0, -95.3, 370.3, 244.0)
    [box] = reread_short_lines(grey, [doubtful], get_engine().recognise, [seal])
    assert box.text == "2021/06/16" and box.confidence >= 0.9
    assert reread_short_lines(grey, [doubtful], get_engine().recognise) == [doubtful]
