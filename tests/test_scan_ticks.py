"""Tick marks decided from pixels and written into the text — whatever the OCR read there."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.model import TICKED, UNDECIDED, UNTICKED
from extractors.ocr import OcrBox
from extractors.pen_checks import orphan_checks
from extractors.seal import remove_red
from extractors.ticks import box_state, bracket_state, rewrite_ticks
from samples.make_pdfs import seal_image
from samples.make_scans import press_seal

FONT = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 36)
X0, Y0 = 60, 40


def _render(text: str, marks: dict[int, str] | None = None) -> tuple[np.ndarray, OcrBox]:
    """A 200-dpi-like line of ``text`` (BGR page) and the OCR line for it with exact character spans.

    ``marks``: character index → what is drawn there instead ("√" tick, "." a smudge, " " nothing).
    """
    page = Image.new("RGB", (1400, 140), "white")
    draw = ImageDraw.Draw(page)
    marks = marks or {}
    spans, x = [], float(X0)
    for i, ch in enumerate(text):
        w = FONT.getlength(ch)
        drawn = marks.get(i, ch)
        if drawn == ".":
            draw.ellipse((x + w / 2 - 5, Y0 + 24, x + w / 2 + 6, Y0 + 35), fill="black")
        elif drawn.strip():
            draw.text((x, Y0), drawn, font=FONT, fill="black")
        spans.append((ch, x, x + w))
        x += w
    bbox = (X0 - 4.0, Y0 - 2.0, x + 4, Y0 + 52.0)
    width = bbox[2] - bbox[0]
    box = OcrBox(
        text,
        bbox,
        0.95,
        spans=[(ch, (a - bbox[0]) / width, (b - bbox[0]) / width) for ch, a, b in spans],
    )
    return cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR), box


LINE = "团结引领（√）建家办事（　）为民服务（√）"
TRUTH = "团结引领（√）建家办事（ ）为民服务（√）"


def test_brackets_decided_by_pixels_not_by_the_ocr_text() -> None:
    page, box = _render(LINE)
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert rewrite_ticks(box, grey).text == TRUTH
    # The OCR lost both ticks, invented one and read half-width brackets: the pixels still win.
    wrong = {"（": "(", "）": ")", "√": "", "\u3000": "√"}  # U+3000: the blank inside "（　）"
    spans = [(wrong.get(c, c), a, b) for c, a, b in box.spans if wrong.get(c, c)]
    misread = OcrBox("".join(c for c, _, _ in spans), box.bbox, 0.8, spans=spans)
    assert misread.text == "团结引领()建家办事(√)为民服务()"
    assert rewrite_ticks(misread, grey).text == TRUTH


def test_ticks_under_a_red_seal() -> None:
    page, box = _render(LINE)
    stamped = press_seal(page, seal_image("海西州科学技术协会", 480), (620, 70), 260, np.random.default_rng(5))
    grey = remove_red(stamped)
    assert rewrite_ticks(box, grey).text == TRUTH


def test_a_smudge_is_undecided() -> None:
    """A blot a third the size of a tick: neither clearly ticked nor empty — the reader flags it."""
    page, box = _render("团结引领（　）", marks={5: "."})
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert rewrite_ticks(box, grey).text == f"团结引领（{UNDECIDED}）"


def test_numbering_and_notes_in_brackets_are_not_options() -> None:
    page, box = _render("（一）同意推荐（盖章）")
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert rewrite_ticks(box, grey).text == "（一）同意推荐（盖章）"


def _boxes_page(ticked: list[bool]) -> tuple[np.ndarray, OcrBox]:
    """Drawn checkboxes before labels, as a Word checkbox prints: ☑科协系统干部 ☐科技工作者 …"""
    labels = ["科协系统干部", "科技工作者", "海外同行"]
    page = np.full((140, 1400, 3), 255, np.uint8)
    pil = Image.fromarray(page)
    draw = ImageDraw.Draw(pil)
    x = X0
    spans = []
    for label, tick in zip(labels, ticked, strict=True):
        draw.rectangle((x, Y0 + 10, x + 26, Y0 + 36), outline="black", width=2)
        if tick:
            draw.line((x + 5, Y0 + 22, x + 11, Y0 + 31, x + 22, Y0 + 13), fill="black", width=3)
        x += 36
        for ch in label:
            w = FONT.getlength(ch)
            draw.text((x, Y0), ch, font=FONT, fill="black")
            spans.append((ch, x, x + w))
            x += w
        x += 40
    bbox = (X0 + 32.0, Y0 - 2.0, float(x - 36), Y0 + 52.0)  # the detector left the first box out
    width = bbox[2] - bbox[0]
    box = OcrBox(
        "".join(c for c, _, _ in spans),  # the OCR dropped every box
        bbox,
        0.9,
        spans=[(c, (a - bbox[0]) / width, (b - bbox[0]) / width) for c, a, b in spans],
    )
    return cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR), box


def test_drawn_boxes_the_ocr_dropped_are_put_back() -> None:
    page, box = _boxes_page([False, True, True])
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    text = rewrite_ticks(box, grey).text
    assert text == f"{UNTICKED} 科协系统干部 {TICKED} 科技工作者 {TICKED} 海外同行"


@pytest.mark.parametrize("tick", [True, False])
def test_box_state(tick: bool) -> None:
    page, _ = _boxes_page([tick, False, False])
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert box_state(grey, (X0, Y0 + 10, X0 + 27, Y0 + 37)) == ("ticked" if tick else "empty")


def test_bracket_state_sees_the_tick() -> None:
    page, box = _render("为民服务（√）")
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    open_a, open_b = box.span_x(4)
    close_a, close_b = box.span_x(6)
    region = (open_a - 20, box.bbox[1], close_b + 20, box.bbox[3])
    assert bracket_state(grey, region, (open_a + open_b) / 2, (close_a + close_b) / 2) == "ticked"


def _narrow_cell_with_pen_check(check: bool) -> tuple[np.ndarray, tuple[float, float, float, float], OcrBox]:
    """A narrow table cell: `开放合作` on one line, under it `（　）` ticked with a pen that the OCR did not read."""
    page = Image.new("RGB", (400, 240), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 20, 300, 200), outline="black", width=2)
    draw.text((70, 40), "开放合作", font=FONT, fill="black")
    draw.text((110, 110), "（　）", font=FONT, fill="black")
    if check:
        draw.line([(128, 128), (148, 158), (196, 96)], fill=(20, 40, 160), width=5)  # blue pen, vertex low-left
    label = OcrBox("开放合作", (66.0, 38.0, 218.0, 90.0), 0.99)
    grey = remove_red(cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR))
    return grey, (41.0, 21.0, 299.0, 199.0), label


def test_pen_check_the_ocr_did_not_read_becomes_a_ticked_bracket() -> None:
    grey, cell, label = _narrow_cell_with_pen_check(True)
    found = orphan_checks(grey, [cell], [label])
    assert [b.text for b in found] == ["（√）"]
    assert found[0].bbox[1] > label.bbox[3] - 10  # under the label, in the same cell


def test_empty_brackets_and_letters_are_no_pen_check() -> None:
    grey, cell, label = _narrow_cell_with_pen_check(False)
    assert orphan_checks(grey, [cell], [label]) == []


def _pen_over_brackets(tick: bool) -> tuple[np.ndarray, OcrBox]:
    """`为民服务（　）` with a pen check that starts left of the opening bracket and runs over the closing one
    (one ink blob with both brackets), its arm rising above the letters: the OCR line box grows with it."""
    page, box = _render("为民服务（　）开放合作")
    if tick:
        pil = Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB))
        a, _ = box.span_x(4)
        _, b = box.span_x(6)
        draw = ImageDraw.Draw(pil)
        draw.line([(a + 12, Y0 + 24), (a + 34, Y0 + 46), (b - 18, Y0 - 20)], fill="black", width=4)
        page = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR)
    x0, _, x1, y1 = box.bbox
    return page, OcrBox(box.text, (x0, Y0 - 24.0, x1, y1), box.confidence, spans=box.spans)


@pytest.mark.parametrize("tick", [True, False])
def test_pen_check_over_both_brackets(tick: bool) -> None:
    page, box = _pen_over_brackets(tick)
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    assert rewrite_ticks(box, grey).text == ("为民服务（√）开放合作" if tick else "为民服务（ ）开放合作")


def test_pen_check_read_as_a_letter_is_a_tick() -> None:
    """The OCR read `（√）` drawn with a pen (one blob with its brackets) as `小` or `S`, or the check and one
    bracket as a letter beside the other (`3)`, a colour scan in dev21, tuned on): the line is a tick."""
    page = Image.new("RGB", (300, 140), "white")
    draw = ImageDraw.Draw(page)
    draw.text((60, 40), "（", font=FONT, fill="black")
    draw.text((110, 40), "）", font=FONT, fill="black")
    draw.line([(78, 66), (100, 88), (140, 20)], fill="black", width=4)
    grey = cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2GRAY)
    for letter in ("小", "S", "3)", "(3"):
        line = OcrBox(letter, (70.0, 18.0, 150.0, 92.0), 0.6)
        assert rewrite_ticks(line, grey).text == "（√）"
    page, box = _render("小")  # the letter itself is no tick
    assert rewrite_ticks(box, cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)).text == "小"


def test_small_brackets_in_a_photos_loose_line_box_are_read_as_brackets() -> None:
    """A phone photo (dev9, tuned on): the OCR's box for `团结引领( )建家办事(√)为民服务( )…` is twice as high as
    its blurred letters. Judged against the box, the empty brackets seemed too short to be brackets, a stroke of
    建 was taken for the closing one and the real `)` (or its faint blur) for a mark: 团结引领 came out ticked."""
    from pathlib import Path

    crop = cv2.imread(str(Path(__file__).parent / "data" / "photo_small_brackets.png"), cv2.IMREAD_GRAYSCALE)
    line = (9, 58)  # the OCR box's rows in the crop: 49 pixels for letters about 22 high
    states = [
        bracket_state(crop, (x0, line[0], x1, line[1]), opening, closing, True)
        for x0, x1, opening, closing in ((102, 280, 132, 156), (269, 451, 299, 328), (441, 613, 471, 489))
    ]
    assert states == ["empty", "ticked", "empty"]


def test_a_faint_tick_is_found_between_brackets_the_ocr_placed_half_a_letter_off() -> None:
    """A phone photo (dev5, tuned on): `科协系统干部(√) 科技工作者(√) 海外同行(√)`, the checks blurred light. The
    OCR's place for 科技工作者's `(` lies nearer its `)`: taken alone, the `)` was the opening bracket and the
    check between them was never looked at. Taken as a pair, the brackets are found and the check with them."""
    from pathlib import Path

    crop = cv2.imread(str(Path(__file__).parent / "data" / "photo_faint_tick.png"), cv2.IMREAD_GRAYSCALE)
    where = ((25, 193, 51, 83), (235, 403, 261, 293), (396, 560, 422, 453))  # region's x, the OCR's ( and )
    states = [bracket_state(crop, (x0, 12, x1, 56), opening, closing, True) for x0, x1, opening, closing in where]
    assert states == ["ticked", "ticked", "ticked"]


def test_a_pen_check_behind_a_bracket_the_ocr_left_open_is_read_up_to_the_next_words() -> None:
    """A colour scan (dev17, tuned on): `科技工作者(` read as one line and `海外同行（ ）` as the next; the pen's check
    inside the brackets runs over the unread `）`. Looking past where the next line starts took 海外同行's letters
    for words in brackets and kept the check out; up to that place the check is what the brackets hold."""
    page, box = _render("科技工作者（　）海外同行（　）")
    pil = Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB))
    a, _ = box.span_x(5)
    _, b = box.span_x(7)
    ImageDraw.Draw(pil).line([(a + 16, Y0 + 26), (a + 30, Y0 + 46), (b - 6, Y0 - 6)], fill=(20, 40, 160), width=5)
    grey = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2GRAY)
    x0, y0, x1, y1 = box.bbox
    cut = b + 2  # the line's box reaches over the check and the unread bracket
    scale = (x1 - x0) / (cut - x0)
    spans = [(c, p * scale, q * scale) for c, p, q in box.spans[:6]]
    first = OcrBox("科技工作者（", (x0, y0, cut, y1), 0.92, spans=spans)
    next_x, _ = box.span_x(8)
    assert rewrite_ticks(first, grey, next_text_x=next_x).text == "科技工作者（√）"


def test_a_space_the_recogniser_gave_no_place_keeps_the_letters_measured_places() -> None:
    """RapidOCR's word boxes skip the blank of `干部() 科技`: the letters keep their measured places (estimating
    every place from the line's width had put the brackets a letter off) and the blank spans the gap."""
    spans = [("部", 0.0, 0.2), ("(", 0.25, 0.3), (")", 0.35, 0.4), ("科", 0.6, 0.8)]
    box = OcrBox("部() 科", (0.0, 0.0, 100.0, 20.0), 0.9, spans=spans)
    assert box.spans == [*spans[:3], (" ", 0.4, 0.6), spans[3]]
    assert OcrBox("部科", (0.0, 0.0, 100.0, 20.0), 0.9, spans=spans).spans == spans  # not the same letters: kept


def test_a_square_letter_of_one_line_is_no_lone_box_before_the_next() -> None:
    """A fax's title cell read as two lines, `…工作者日”` and `系列活动`: the 日 of the first is square, and the
    second looks a little to its left for a lone box the detector left out. That square is the first line's
    letter, not a box before 系列活动 (read `�`); a square inside no line stays every line's to look at."""
    from extractors.scan import _squares_per_line

    first = OcrBox("青师大科协2021年“全国科技工作者日”", (496.0, 719.0, 1102.0, 769.0), 0.99)
    second = OcrBox("系列活动", (1092.0, 717.0, 1250.0, 772.0), 0.92)
    letter, lone = (1047, 735, 1070, 763, False), (300, 735, 325, 763, False)
    assert _squares_per_line([letter, lone], [first, second]) == [[letter, lone], [lone]]


def test_a_faint_check_whose_closing_bracket_is_too_faint_to_find_reaches_to_where_the_ocr_put_it() -> None:
    """A phone photo (dev14, tuned on): `科技工作者(√)`, the check and the `)` blurred light. Without the `)` found the
    inside was cut a fifth of a line short of the OCR's place for it, and with it the check's rising arm: what was
    left was too short to be a mark, and the line read `（ ）` where the OCR had read the tick."""
    from pathlib import Path

    crop = cv2.imread(str(Path(__file__).parent / "data" / "photo_faint_tick_faint_bracket.png"), cv2.IMREAD_GRAYSCALE)
    assert bracket_state(crop, (19.6, 20, 183, 64), 46, 73, True) == "ticked"


@pytest.mark.parametrize("tick", [True, False])
def test_a_check_the_ocr_dropped_with_its_brackets_at_the_end_of_a_line_is_put_back(tick: bool) -> None:
    """A colour scan (dev2, tuned on): `科协系统干部` read from `科协系统干部 (√)`, the box reaching over the check
    and the brackets it crosses; the line holds no other option. The check is put back where the letters end."""
    page, box = _render("科协系统干部（　）")
    if tick:
        pil = Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB))
        a, _ = box.span_x(6)
        _, b = box.span_x(8)
        ImageDraw.Draw(pil).line([(a + 14, Y0 + 26), (a + 30, Y0 + 46), (b - 4, Y0 - 8)], fill=(20, 40, 160), width=5)
        page = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2BGR)
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    read = OcrBox("科协系统干部", box.bbox, 0.99, spans=box.spans[:6])
    assert rewrite_ticks(read, grey).text == ("科协系统干部（√）" if tick else "科协系统干部")


def test_a_pen_check_whose_arm_runs_into_its_options_letters_is_found() -> None:
    """A fax (dev12, tuned on): `表彰发布` over `（√）` in a narrow cell, the check's long arm drawn up into 发布. One
    blob with the letters had no check's shape; without the letters the OCR read, the check is there."""
    page = Image.new("RGB", (400, 240), "white")
    draw = ImageDraw.Draw(page)
    draw.rectangle((40, 20, 300, 200), outline="black", width=2)
    draw.text((70, 40), "表彰发布", font=FONT, fill="black")
    draw.text((110, 110), "（　）", font=FONT, fill="black")
    draw.line([(128, 128), (150, 160), (185, 62)], fill=(20, 40, 160), width=5)  # the arm ends inside 发
    label = OcrBox("表彰发布", (66.0, 38.0, 218.0, 90.0), 0.99)
    grey = remove_red(cv2.cvtColor(np.asarray(page), cv2.COLOR_RGB2BGR))
    found = orphan_checks(grey, [(41.0, 21.0, 299.0, 199.0)], [label])
    assert [b.text for b in found] == ["（√）"] and found[0].bbox[1] >= label.bbox[3] - 2


@pytest.mark.parametrize(("drawn", "read"), [("开放合作（　）", "开放合作（ ）"), ("开放合作（√）", "开放合作（√）")])
def test_a_closing_bracket_the_ocr_did_not_read_is_no_mark(drawn: str, read: str) -> None:
    """The OCR read `开放合作(` and stopped: the `）` on the page is looked for up to the next words, and that
    bracket is the bracket, not a tick (a fax plan got 开放合作 ticked from its own empty brackets)."""
    page, full = _render(drawn)
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    right = full.span_x(4)[1] + 2
    width = right - full.bbox[0]
    spans = [
        (
            c if c != "（" else "(",
            (full.span_x(i)[0] - full.bbox[0]) / width,
            (full.span_x(i)[1] - full.bbox[0]) / width,
        )
        for i, c in enumerate(drawn[:5])
    ]
    cut = OcrBox("开放合作(", (full.bbox[0], full.bbox[1], right, full.bbox[3]), 0.9, spans=spans)
    assert rewrite_ticks(cut, grey, next_text_x=full.bbox[2] + 60).text == read


def test_checks_the_ocr_read_as_spaces_are_put_back() -> None:
    """The OCR dropped two pen checks with their brackets and put a space where each was (`科协系统干部 科技工作者
    海外同行( )`): the space is no option, the check in its place is."""
    drawn = "科协系统干部（√）科技工作者（√）海外同行（　）"
    page, full = _render(drawn)
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    width = full.bbox[2] - full.bbox[0]
    spans, i = [], 0
    while i < len(drawn):
        a, b = full.span_x(i)
        if drawn[i : i + 3] == "（√）":
            b, i = full.span_x(i + 2)[1], i + 3
            spans.append((" ", (a - full.bbox[0]) / width, (b - full.bbox[0]) / width))
            continue
        spans.append((drawn[i], (a - full.bbox[0]) / width, (b - full.bbox[0]) / width))
        i += 1
    read = OcrBox("".join(c for c, _, _ in spans), full.bbox, 0.9, spans=spans)
    assert read.text == "科协系统干部 科技工作者 海外同行（　）"
    assert rewrite_ticks(read, grey).text == "科协系统干部（√）科技工作者（√）海外同行（ ）"


def test_a_bracket_left_open_before_the_next_options_words_holds_the_pen_check() -> None:
    """A fax (dev21, tuned on): one line `科技工作者（海外同行（）`. The OCR dropped the pen's check and the `）` it
    runs into; the open bracket is looked at up to 海外同行."""
    page, box = _render("科技工作者（　）海外同行（　）")
    pil = Image.fromarray(cv2.cvtColor(page, cv2.COLOR_BGR2RGB))
    a, _ = box.span_x(5)
    _, b = box.span_x(7)
    ImageDraw.Draw(pil).line([(a + 28, Y0 + 14), (a + 46, Y0 + 52), (b + 16, Y0 - 26)], fill="black", width=7)
    grey = cv2.cvtColor(np.asarray(pil), cv2.COLOR_RGB2GRAY)
    read = [i for i in range(len(box.text)) if i not in (6, 7)]  # the mark's place and the closing bracket lost
    ocr = OcrBox("".join(box.text[i] for i in read), box.bbox, 0.9, spans=[box.spans[i] for i in read])
    assert ocr.text == "科技工作者（海外同行（　）"
    # the bracket reader alone (a pen's check the OCR dropped is looked for elsewhere too)
    assert rewrite_ticks(ocr, grey, pen_checks=False).text == "科技工作者（√）海外同行（ ）"


def test_one_blob_of_a_check_run_into_its_closing_bracket_is_no_lost_words() -> None:
    """The same fax's crop between `（` and 海外同行: the check and the `）` are one blob a letter and a half wide.
    Letters the OCR lost are more than one blob; this one is the check."""
    from pathlib import Path

    crop = cv2.imread(str(Path(__file__).parent / "data" / "fax_check_over_closing_bracket.png"), cv2.IMREAD_GRAYSCALE)
    assert bracket_state(crop, (0, 0, crop.shape[1], crop.shape[0]), 32.0, 110.3, False) == "ticked"
