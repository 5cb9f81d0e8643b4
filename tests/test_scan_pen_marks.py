"""Marks other hands make that the OCR reads wrong or not at all: a pen's check over a checkbox that joins
the box to the table or cuts its side, a check the OCR dropped with its brackets, a small printed √ a phone
blurred to grey, and the dash of a date range (— or -) whatever the OCR guessed."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from extractors.dashes import restore_dash_width
from extractors.ocr import OcrBox
from extractors.pen_checks import orphan_checks
from extractors.ticks import bracket_state, page_squares, rewrite_ticks
from tests.test_scan_ticks import FONT, Y0, _render

SIDE = 26


def _box_column(checked: list[bool], thick: bool) -> np.ndarray:
    """A table cell with one checkbox per row (☐开放合作 …), under the cell's top ruling; a pen's check on
    the rows in ``checked`` whose arm runs up onto the ruling (and, ``thick``, cuts the box's right side)."""
    page = Image.new("L", (500, 60 + 46 * len(checked)), 255)
    draw = ImageDraw.Draw(page)
    draw.line((20, 20, 480, 20), fill=0, width=3)  # the cell's top ruling
    draw.line((20, 20, 20, page.height - 5), fill=0, width=3)
    for row, check in enumerate(checked):
        x, y = 60, 40 + 46 * row
        draw.rectangle((x, y, x + SIDE - 1, y + SIDE - 1), outline=0, width=2)
        draw.text((x + 36, y - 8), "开放合作", font=FONT, fill=0)
        if check:
            top = 20 if row == 0 else y - 20
            draw.line([(x - 6, y + 10), (x + 9, y + SIDE - 2), (x + 34, top)], fill=30, width=9 if thick else 5)
    return np.asarray(page)


@pytest.mark.parametrize("thick", [False, True])
def test_a_checkbox_a_pen_ticked_is_found_even_joined_to_the_table(thick: bool) -> None:
    grey = _box_column([True, False, True, False], thick)
    squares = [sq for sq in page_squares(grey, 17, 80) if sq[0] < 100]  # the box column
    tops = sorted(sq[1] for sq in squares)
    assert len(tops) == 4, squares
    assert all(abs(top - (40 + 46 * row)) <= 3 for row, top in enumerate(tops))


def test_a_letter_with_a_frame_in_the_boxes_row_is_no_box() -> None:
    """`☐为民服务`: 服 has a square part beside the box's row; it is not a checkbox a pen ticked."""
    page = Image.new("L", (700, 120), 255)
    draw = ImageDraw.Draw(page)
    for k, label in enumerate(("为民服务", "开放合作")):
        x = 40 + 300 * k
        draw.rectangle((x, 40, x + SIDE - 1, 40 + SIDE - 1), outline=0, width=2)
        draw.text((x + 36, 32), label, font=FONT, fill=0)
    squares = page_squares(np.asarray(page), 17, 80)
    assert [round(sq[0], -1) for sq in sorted(squares)] == [40, 340], squares


def _check_dropped_by_the_ocr(check: bool) -> tuple[np.ndarray, OcrBox]:
    """`团结引领（√）建家办事（　）` with the first check drawn by a pen over its brackets; the OCR returned
    `团结引领建家办事（）` — the brackets and the check gone, a gap where they were."""
    page, full = _render("团结引领（　）建家办事（　）")
    if check:
        pil = Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB))
        a, _ = full.span_x(4)
        _, b = full.span_x(6)
        ImageDraw.Draw(pil).line([(a + 6, Y0 + 22), (a + 26, Y0 + 46), (b - 4, Y0 - 12)], fill=(30, 40, 150), width=6)
        page = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR)
    x0, _, x1, y1 = full.bbox
    width = x1 - x0
    kept = [i for i in range(len(full.text)) if i not in (4, 5, 6)]
    spans = [(full.text[i], (full.span_x(i)[0] - x0) / width, (full.span_x(i)[1] - x0) / width) for i in kept]
    box = OcrBox("".join(full.text[i] for i in kept), (x0, Y0 - 14.0, x1, y1), 0.9, spans=spans)
    return cv2.cvtColor(page, cv2.COLOR_BGR2GRAY), box


@pytest.mark.parametrize("check", [True, False])
def test_a_check_the_ocr_dropped_with_its_brackets_is_put_back(check: bool) -> None:
    grey, box = _check_dropped_by_the_ocr(check)
    text = rewrite_ticks(box, grey).text
    assert text == ("团结引领（√）建家办事（ ）" if check else "团结引领建家办事（ ）")


def test_a_check_the_ocr_dropped_leaving_its_open_bracket_and_a_space_is_put_back() -> None:
    """A fax's `科技工作者（ 海外同行（ ）`: the OCR kept `（` and a space where the pen's check and `）` were, and
    the check's long arm reaches up to the table's rule over the line (one blob with it, unless the rule goes)."""
    page, full = _render("团结引领（　）建家办事（　）")
    pil = Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB))
    a, _ = full.span_x(4)
    _, b = full.span_x(6)
    draw = ImageDraw.Draw(pil)
    rule = Y0 - 14
    draw.line([(0, rule), (pil.width, rule)], fill=(0, 0, 0), width=3)
    draw.line([(a + 6, Y0 + 22), (a + 26, Y0 + 46), (b - 4, rule)], fill=(30, 40, 150), width=6)
    grey = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2GRAY)
    x0, _, x1, y1 = full.bbox
    width = x1 - x0
    kept = [(full.text[i], *full.span_x(i)) for i in range(len(full.text)) if i not in (5, 6, 12)]
    kept.insert(5, (" ", full.span_x(5)[0], full.span_x(5)[0] + 12))
    spans = [(ch, (ka - x0) / width, (kb - x0) / width) for ch, ka, kb in kept]
    box = OcrBox("".join(ch for ch, _, _ in kept), (x0, rule, x1, y1), 0.9, spans=spans)
    assert box.text == "团结引领（ 建家办事（）"
    assert rewrite_ticks(box, grey).text == "团结引领（√）建家办事（ ）"


def test_a_faint_printed_tick_between_brackets_counts() -> None:
    """A phone photo leaves a small printed √ light grey (~160) while the brackets stay dark."""
    page, box = _render("为民服务（　）")
    pil = Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB))
    a, b = box.span_x(5)
    mid = (a + b) / 2
    ImageDraw.Draw(pil).line(
        [(mid - 8, Y0 + 28), (mid - 2, Y0 + 40), (mid + 9, Y0 + 14)], fill=(165, 165, 165), width=3
    )
    grey = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2GRAY)
    open_a, open_b = box.span_x(4)
    close_a, close_b = box.span_x(6)
    region = (open_a - 20, box.bbox[1], close_b + 20, box.bbox[3])
    assert bracket_state(grey, region, (open_a + open_b) / 2, (close_a + close_b) / 2) == "ticked"
    page, _ = _render("为民服务（　）")  # and paper alone stays empty
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert bracket_state(grey, region, (open_a + open_b) / 2, (close_a + close_b) / 2) == "empty"


@pytest.mark.parametrize(
    ("drawn", "read", "want"), [("—", "-", "—"), ("—", "一", "—"), ("-", "-", "-"), ("-", "—", "-")]
)
def test_the_dash_of_a_date_range_is_what_was_drawn(drawn: str, read: str, want: str) -> None:
    page, box = _render(f"2021年5月11日{drawn}6月24日")
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    ocr = OcrBox(
        box.text.replace(drawn, read),
        box.bbox,
        box.confidence,
        spans=[(read if c == drawn else c, a, b) for c, a, b in box.spans],
    )
    assert restore_dash_width(ocr, grey).text == f"2021年5月11日{want}6月24日"


@pytest.mark.parametrize(("drawn", "read", "want"), [("—", "一—", "—"), ("——", "——", "——"), ("——", "一—", "——")])
def test_one_dash_read_as_two_glyphs_is_one_dash(drawn: str, read: str, want: str) -> None:
    """A scan's `2021年5月22日一—6月27日`: the recogniser read the one em dash twice (as 一 and —), and the range
    lost its end. A 破折号 `——` drawn between the dates stays two (its stroke is two letters long)."""
    page, box = _render(f"2021年5月11日{drawn}6月24日")
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    a = box.text.index(drawn)
    spans = list(box.spans)
    left, right = spans[a][1], spans[a + len(drawn) - 1][2]
    mid = (left + right) / 2
    spans[a : a + len(drawn)] = [(read[0], left, mid), (read[1], mid, right)]
    ocr = OcrBox(box.text.replace(drawn, read), box.bbox, box.confidence, spans=spans)
    assert restore_dash_width(ocr, grey).text == f"2021年5月11日{want}6月24日"


@pytest.mark.parametrize(("drawn", "want"), [("—", "—"), ("-", "-")])
def test_the_dash_of_a_date_range_on_a_blurred_photo_under_a_tables_rule(drawn: str, want: str) -> None:
    """A phone photo: the blur lightens a dash's thin ends past the ink level (an em dash measured 7 of its 20
    pixels), and the cell's rule the OCR's box took in made the letters seem half as tall again: `—` read `-`."""
    from extractors.ticks import char_pieces

    page, box = _render(f"2021年5月11日{drawn}6月24日")
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    _, a, b = char_pieces(box)[box.text.index(drawn)]
    top = int(box.bbox[1]) + 1
    grey[top : top + 2, :] = 0  # the cell's rule along the box's top
    grey[grey < 128] = 100  # a photo's grey ink
    stroke = grey[:, int(a) : int(b) + 1]  # the dash's ends lighter still, as a blur leaves them: not ink
    dark = np.argwhere(stroke[top + 3 :] < 128)
    left, right = dark[:, 1].min(), dark[:, 1].max()
    fade = int(0.35 * (right - left))
    for x in (*range(left, left + fade), *range(right - fade + 1, right + 1)):
        column = stroke[top + 3 :, x]
        column[column < 128] = 160
    ocr = OcrBox(box.text.replace(drawn, "-"), box.bbox, box.confidence, spans=[
        ("-" if c == drawn else c, a, b) for c, a, b in box.spans
    ])  # fmt: skip
    assert restore_dash_width(ocr, grey).text == f"2021年5月11日{want}6月24日"


def test_a_double_dash_the_ocr_left_out_is_put_back_where_it_was_drawn() -> None:
    """A fax's `“众心向党、自立自强”——玉树州…` came back without its 破折号; a line without one gets none."""
    from extractors.dashes import restore_dropped_dash

    page, box = _render("“自立自强”——玉树州庆祝活动")
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    kept = [(c, a, b) for c, a, b in box.spans if c != "—"]
    ocr = OcrBox("".join(c for c, _, _ in kept), box.bbox, box.confidence, spans=kept)
    assert ocr.text == "“自立自强”玉树州庆祝活动"
    assert restore_dropped_dash(ocr, grey).text == "“自立自强”——玉树州庆祝活动"
    page, plain = _render("“自立自强”玉树州庆祝活动")
    assert restore_dropped_dash(plain, cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)).text == "“自立自强”玉树州庆祝活动"
    for letters in ("庆祝建党一百周年", "二〇二一年六月十日"):  # 一 and 二's strokes are letters, not a dash
        page, line = _render(letters)
        assert restore_dropped_dash(line, cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)).text == letters


def test_a_double_dash_read_as_one_is_two() -> None:
    """A grey plan's `“众心向党、自立自强”——果洛州…` read with one `—` (dev25, tuned on): the stroke is two letters
    long. A single dash's stroke (`5月22日—6月27日`) stays one."""
    from extractors.dashes import restore_double_dash

    page, box = _render("“自立自强”——玉树州庆祝活动")
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    a = box.text.index("—")
    spans = list(box.spans)
    spans[a : a + 2] = [("—", spans[a][1], spans[a + 1][2])]
    ocr = OcrBox(box.text.replace("——", "—"), box.bbox, box.confidence, spans=spans)
    assert restore_double_dash(ocr, grey).text == "“自立自强”——玉树州庆祝活动"
    page, single = _render("2021年5月22日—6月27日在玉树州举办")
    assert restore_double_dash(single, cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)).text == single.text


def test_a_dash_that_is_no_date_range_is_left_alone() -> None:
    page, box = _render("0971-6305285")
    assert restore_dash_width(box, cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)).text == "0971-6305285"


def test_a_page_without_options_gets_no_pen_checks() -> None:
    """A liaison table under a dithered fax seal: the ring's strokes in `序号` look like a check, but a page
    that offers nothing to tick has no ticks."""
    from extractors.ticks import page_has_options

    assert page_has_options(["主题活动模块(请在相应模块划√，可多选)", "团结引领"])
    assert page_has_options(["科协系统干部（ ）科技工作者（ ）"])
    assert page_has_options(["□为民服务"])
    assert not page_has_options(["序号", "姓 名", "工作单位及职务", "联系电话", "（一）活动名称", "(盖章)"])
    page = Image.new("RGB", (300, 140), "white")
    ImageDraw.Draw(page).line([(78, 66), (100, 88), (140, 20)], fill="black", width=4)
    grey = cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2GRAY)
    line = OcrBox("序", (70.0, 18.0, 150.0, 92.0), 0.6)
    assert rewrite_ticks(line, grey).text == "（√）"
    assert rewrite_ticks(line, grey, pen_checks=False).text == "序"


def _option_over_check(
    size: tuple[int, int],
    option: tuple[str, int, int],
    brackets: tuple[int, int, int],
    check: list[tuple[int, int]],
    width: int,
) -> np.ndarray:
    """A table cell's page (grey): ``option`` (text, x, y) over its bracket pair (left x, right x, y) and a pen
    ``check`` (polyline, ``width`` px) drawn by hand in or through them."""
    page = Image.new("L", size, 255)
    draw = ImageDraw.Draw(page)
    text, x, y = option
    draw.text((x, y), text, font=FONT, fill=0)
    left, right, top = brackets
    draw.text((left, top), "(", font=FONT, fill=0)
    draw.text((right, top), ")", font=FONT, fill=0)
    draw.line(check, fill=0, width=width)
    return np.asarray(page).copy()


def test_a_check_under_its_option_whose_arm_rises_into_the_letters_is_found() -> None:
    """`团结引领` over `(√)` in a narrow cell: the pen check's long arm runs up through `引`, so the OCR line of
    the option covers most of the check, yet its vertex is below that line: the OCR did not read it."""
    grey = _option_over_check((320, 220), ("团结引领", 20, 28), (60, 160, 84), [(100, 95), (112, 120), (142, 40)], 5)
    option = OcrBox("团结引领", (18.0, 26.0, 170.0, 84.0), 0.99)
    found = orphan_checks(grey, [(4.0, 4.0, 316.0, 216.0)], [option])
    assert [b.text for b in found] == ["（√）"]


def test_a_small_check_inside_its_brackets_broken_by_the_fax_is_found() -> None:
    """`为民服务` over `(√)` on a 200-dpi fax: the check is no taller than its brackets (22 px of a 56-px line box)
    and the fax's dots broke its long arm where it thins (a blank row)."""
    ink = _option_over_check((240, 200), ("为民服务", 20, 20), (40, 130, 95), [(72, 118), (84, 132), (104, 110)], 4)
    ink[119:121, 94:104] = 255  # the break in the long arm
    option = OcrBox("为民服务", (16.0, 14.0, 172.0, 70.0), 0.99)
    found = orphan_checks(ink, [(4.0, 4.0, 236.0, 196.0)], [option])
    assert [b.text for b in found] == ["（√）"]
