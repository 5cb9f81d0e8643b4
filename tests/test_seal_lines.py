"""Lines under a grey or fax seal that the detector did not return, read as strips across the seal
(extractors/seal_lines.py).

`tests/data/fax_seal_over_date.png` is cut from a generated "other hands" dev fax (dev14, tuned on, not held
out): the 落款 of a report, `…青海分公司科学技术` / `协会` / `6月12日`, under a dotted seal.
"""

from __future__ import annotations

from pathlib import Path

import cv2

from extractors.ocr import OcrBox, get_engine
from extractors.seal_lines import lines_under_seals, reread_under_seals

CROP = Path(__file__).parent / "data" / "fax_seal_over_date.png"


def test_a_date_close_to_the_ring_is_read_with_its_first_digit() -> None:
    """The detector returned no line for the date; the strip around the seal's centre that keeps the ring's
    letters out cut its `6` off (`月12日`: no month, the report's date was lost and staff got missing_field)."""
    grey = cv2.imread(str(CROP), cv2.IMREAD_GRAYSCALE)
    unit = OcrBox("中国铝业股份有限公司青海分公司科学技术", (0.0, 146.0, 562.0, 207.0), 0.98)
    seal = (136.0, 63.0, 454.0, 382.0)
    found = lines_under_seals(grey, [unit], [seal], get_engine().recognise, ["铝业与限公司请海分公司技术会"])
    assert "6月12日" in [b.text for b in found]


UNIT_CROP = Path(__file__).parent / "data" / "fax_seal_over_unit.png"  # dev14 fax liaison: 填报单位：农牧科技职院


def test_a_gap_under_the_seal_is_read_once_by_the_line_on_its_left() -> None:
    """The detector found `填报单位` and `技职院`, with the seal between them. Both were read again across the
    seal, each into the same gap, and the unit came out `农牧科农牧科技职院`."""
    grey = cv2.imread(str(UNIT_CROP), cv2.IMREAD_GRAYSCALE)
    label = OcrBox("填报单位", (58.8, 24.6, 201.7, 77.6), 1.0)
    rest = OcrBox("技职院", (307.9, 28.7, 397.7, 68.0), 1.0)
    seal = (219.9, -72.7, 533.0, 239.4)
    read = reread_under_seals(grey, [label, rest], [seal], [], get_engine().recognise)
    assert "".join(b.text for b in read).replace("：", "") == "填报单位农牧科技职院"


def test_a_label_is_not_read_on_across_the_seal_into_the_value_the_detector_found_beside_it() -> None:
    """`报送时间：` ends at the seal's ring and the detector read `2021.5.9` in a box overlapping its end: the label
    is not re-read across the seal (`2021.5.92021.5.9` and a false invalid_date), while a line starting on the
    ring's edge is still re-read leftward (a dev15 fax lost `20` of `2021.5.7` there)."""
    from extractors.seal_lines import _strip_across

    seal = (376.0, 357.0, 696.0, 677.0)
    label = OcrBox("报送时间：", (198.0, 493.0, 386.0, 554.0), 1.0)
    value = OcrBox("2021.5.9", (355.0, 489.0, 519.0, 554.0), 1.0)
    assert _strip_across(label, [label, value], [seal], [], 1654) is None
    on_edge = OcrBox("0215.7", (360.0, 493.0, 520.0, 554.0), 1.0)
    alone = OcrBox("报送时间：", (198.0, 493.0, 330.0, 554.0), 1.0)
    strip = _strip_across(on_edge, [alone, on_edge], [seal], [], 1654)
    assert strip is not None and strip[0] < 360.0 and strip[1] > 696.0


LINE_CROP = Path(__file__).parent / "data" / "fax_seal_over_unit_line.png"  # dev15 fax liaison (tuned on)


def test_a_short_line_under_the_seal_is_read_without_the_blank_tail_and_kept_though_it_shares_ring_letters() -> None:
    """The detector missed `填报单位：城市职院` under the seal. Read to the right margin it came out `填报单城院`
    (unsure); read to just past the seal it is whole. The narrow strip's `城市职院` was dropped as a piece of the
    ring `西宁城职业技术学院…`: it shares letters with it, but scattered, not a run of them."""
    from extractors.seal_lines import _of_ring

    grey = cv2.imread(str(LINE_CROP), cv2.IMREAD_GRAYSCALE)
    header = [
        OcrBox("联络员回执表", (556, 44, 843, 118), 1.0),
        OcrBox("序", (108, 228, 149, 275), 1.0),
        OcrBox("姓名", (261, 229, 367, 275), 1.0),
        OcrBox("工作单位及职务", (567, 228, 799, 287), 1.0),
        OcrBox("联系电话", (1055, 241, 1195, 292), 1.0),
    ]
    ring = "西宁城职业技术学院科学技术协会"
    found = lines_under_seals(grey, header, [(132.1, 32.8, 444.0, 344.7)], get_engine().recognise, [ring])
    assert "填报单位：城市职院" in [b.text for b in found]
    assert not _of_ring("城市职院", [ring])
    assert _of_ring("技术字院科", [ring])  # a run of the ring's letters, one misread


def test_a_whole_date_is_not_lengthened_by_the_ring_into_a_non_date() -> None:
    """A grey report's 落款 date `2021/06/10` inside the seal, read on across the ring: `2021/06/104` (dev16).
    A re-read that turns a date into no date keeps the date; one that completes a cut date is still taken."""
    import numpy as np

    from extractors.seal_lines import _reread

    grey = np.full((100, 400), 255, np.uint8)
    date = OcrBox("2021/06/10", (10.0, 20.0, 200.0, 70.0), 1.0)
    assert _reread(date, (10.0, 300.0), grey, lambda _: ("2021/06/104", 0.95)).text == "2021/06/10"
    echoed = OcrBox("通2021/06/11", (10.0, 20.0, 200.0, 70.0), 1.0)  # a ring letter before it (dev46)
    assert _reread(echoed, (10.0, 300.0), grey, lambda _: ("通2021/06/114", 0.9)).text == "通2021/06/11"
    cut = OcrBox("2021/06/1", (10.0, 20.0, 190.0, 70.0), 1.0)
    assert _reread(cut, (10.0, 300.0), grey, lambda _: ("2021/06/10", 0.95)).text == "2021/06/10"


DATE_LINE_CROP = Path(__file__).parent / "data" / "grey_seal_over_date_line.png"  # dev23 grey plan (tuned on)


def test_a_ring_letter_the_detector_found_does_not_hide_the_line_under_the_seal() -> None:
    """A grey plan's `报送时间：2021年05月08日` lies under the seal's star; the detector returned only `海`, a letter of
    the ring, on that row. A letter or two inside the seal is no line of the form: the row is still read across
    the seal (the plan had lost its 报送时间, and staff got missing_field). The ring letter is dropped from the row
    the line was read on (else `…05月08日海`)."""
    from extractors.seal_lines import without_ring_letters_on

    grey = cv2.imread(str(DATE_LINE_CROP), cv2.IMREAD_GRAYSCALE)  # the levelled page, cut at y=330
    boxes = [
        OcrBox("特色亮点活动筹备方案", (597.0, 14.0, 1053.0, 68.0), 1.0),
        OcrBox("单位盖章", (205.0, 103.0, 322.0, 156.0), 1.0),
        OcrBox("海", (311.0, 172.0, 386.0, 215.0), 0.9),  # a ring letter on the date's row
        OcrBox("一、基本信息", (205.0, 231.0, 422.0, 290.0), 1.0),
        OcrBox("主办单位名称", (249.0, 304.0, 450.0, 357.0), 1.0),
        OcrBox("海南藏族自治州科学技术协会", (485.0, 306.0, 897.0, 353.0), 1.0),
        OcrBox("注：将根据主办单位联系人和邮寄地址等信息，邮寄优秀组织单位", (211.1, 1389.6, 1434.4, 1434.4), 1.0),
    ]
    seal = (301.4, 38.1, 613.8, 350.5)
    found = lines_under_seals(grey, boxes, [seal], get_engine().recognise, ["海南藏族自治州科学技术协会"])
    assert "报送时间2021年05月08日" in [b.text.replace("：", "") for b in found]
    line = OcrBox("报送时间：2021年05月08日", (205.0, 180.0, 700.0, 235.0), 0.95)
    assert without_ring_letters_on(boxes, [line], [seal]) == [b for b in boxes if b.text != "海"]
    assert without_ring_letters_on(boxes, [], [seal]) == boxes


UNIT_VALUE_CROP = Path(__file__).parent / "data" / "grey_seal_over_unit_value.png"  # dev34 grey liaison (tuned on)


def test_a_slanted_piece_of_the_ring_neither_bounds_the_label_nor_lends_the_title_its_letters() -> None:
    """`填报单位：卫生职院` with the unit's name under the seal's left side. The detector read `填报单位：` and a
    slanted piece of the ring, `业技术学院科学`, beside it; the piece stopped the label's strip at the ring and
    the unit was lost (liaison unit_raw empty). The piece is the seal's, not a line: the label is read on across
    the seal. The title that starts past the seal is read again leftward too, but what that adds is a run of the
    ring's letters (`术学联络员回执表`): the title stays as the detector read it."""
    from extractors.seal_lines import without_ring_pieces

    grey = cv2.imread(str(UNIT_VALUE_CROP), cv2.IMREAD_GRAYSCALE)  # the levelled page, cut at x=150, y=330
    ring = "青海卫职业技术学院科学技术协会"  # as the seal's words were read
    boxes = [
        OcrBox("业技术学院科学", (259.4, 36.5, 522.0, 179.7), 0.954),
        OcrBox("联络员回执表", (535.4, 23.2, 834.8, 87.3), 0.999),
        OcrBox("填报单位：", (62.5, 122.7, 224.9, 175.3), 0.918),
    ]
    seal = (219.2, 46.5, 532.5, 359.8)
    lines = without_ring_pieces(boxes, [seal], [ring])
    read = [
        b.text.replace("：", "") for b in reread_under_seals(grey, lines, [seal], [], get_engine().recognise, [ring])
    ]
    assert "填报单位卫生职院" in read
    assert "联络员回执表" in read


def test_only_ring_letters_read_before_a_line_are_the_rings_and_a_unit_read_after_a_label_is_kept() -> None:
    """Read rightward across the seal, a label gains the unit's name under it, often the ring's own words
    (`填报单位昆仑学院` under `青海大学昆仑学院科学技术协会`, a committed dev fax): that is the line. Read leftward, a
    title past the seal that gains only a run of the ring (`术学联络员回执表`) gained the ring."""
    from extractors.seal_lines import _ring_before

    label = OcrBox("填报单", (209.0, 424.0, 321.0, 477.0), 1.0)
    unit = OcrBox("填报单位昆仑学院", (209.0, 424.0, 651.0, 477.0), 0.999)
    assert not _ring_before(label, unit, ["青海大学昆仑学院科学技术协会"])
    title = OcrBox("联络员回执表", (535.4, 23.2, 834.8, 87.3), 0.999)
    with_ring = OcrBox("术学联络员回执表", (250.0, 23.2, 834.8, 87.3), 0.99)
    assert _ring_before(title, with_ring, ["青海卫职业技术学院科学技术协会"])
    date = OcrBox("215.7", (360.0, 493.0, 520.0, 554.0), 1.0)  # a date starting on the ring's edge gains its digits
    assert not _ring_before(date, OcrBox("2021.5.7", (300.0, 493.0, 700.0, 554.0), 0.99), ["青海省科学技术协会"])


TWO_LINES_CROP = Path(__file__).parent / "data" / "grey_seal_joins_two_lines.png"  # dev35 grey plan (tuned on)


def test_a_box_the_ring_joined_two_lines_into_is_read_as_its_rows() -> None:
    """`单位盖章：` over `报送时间：2021年5月8日`, both under a dark grey seal: the detector returned one box two lines
    tall, which the recogniser read `合1008号` at 0.50. The plan lost its 报送时间 (a false missing_field). The
    unsure two-line box is no line: its rows are read as strips across the seal, and the box goes."""
    from extractors.seal_lines import without_ring_letters_on

    grey = cv2.imread(str(TWO_LINES_CROP), cv2.IMREAD_GRAYSCALE)  # the levelled page, cut at x=150, y=310
    boxes = [
        OcrBox("特色亮点活动筹备方案", (461.4, 17.6, 916.0, 71.8), 1.0),
        OcrBox("合1008号", (57.5, 132.9, 486.9, 232.9), 0.501),
        OcrBox("一、基本信息", (70.1, 232.9, 283.3, 290.5), 1.0),
        OcrBox("主办单位名称", (113.2, 308.0, 315.8, 359.6), 0.999),
        OcrBox("青海省草原学会", (350.5, 308.8, 578.9, 360.7), 1.0),
    ]
    seal = (176.2, 18.0, 486.4, 329.2)
    found = lines_under_seals(grey, boxes, [seal], get_engine().recognise, ["青海省草原学会"])
    assert "报送时间2021年5月8日" in [b.text.replace("：", "") for b in found]
    kept = [b.text for b in without_ring_letters_on(boxes, found, [seal])]
    assert "合1008号" not in kept and "一、基本信息" in kept
    sure = OcrBox("合1008号", (57.5, 132.9, 486.9, 232.9), 0.95)  # a box the recogniser is sure of is a line
    assert (
        lines_under_seals(
            grey,
            [sure if b.text == "合1008号" else b for b in boxes],
            [seal],
            get_engine().recognise,
            ["青海省草原学会"],
        )
        == []
    )


def test_a_garbled_short_reading_is_held_by_the_line_read_across_the_seal_when_its_letters_come_in_order() -> None:
    """The detector's box inside a grey seal read `220`: digits of `2021年05月07日` with the ring between them. Read
    across the seal it is the whole date; all three digits are in it in order, though not as one block (the plan
    had lost its 报送时间). A reading that holds the first one's letters out of order is another line."""
    import numpy as np

    from extractors.seal_lines import _reread

    grey = np.full((100, 500), 255, np.uint8)
    garbled = OcrBox("220", (150.0, 20.0, 470.0, 90.0), 0.8)
    assert _reread(garbled, (150.0, 500.0), grey, lambda _: ("2021年05月07日", 0.99)).text == "2021年05月07日"
    label = OcrBox("学院", (150.0, 20.0, 250.0, 90.0), 0.9)
    assert _reread(label, (150.0, 500.0), grey, lambda _: ("院学科协", 0.99)) is label


RING_TOP_CROP = Path(__file__).parent / "data" / "grey_seal_ring_top_over_unit.png"  # dev38 grey liaison (was unseen)


def test_a_level_piece_of_the_rings_top_is_the_rings_and_the_line_under_it_is_read() -> None:
    """Along the ring's flat top the detector read `仑学院科` as a level box (not the tall one of a slanted piece)
    just over `填报单位：昆仑学院`, and no box for that line: the piece was read on across the seal into `填据仑学院科`
    and the liaison lost its unit. Wholly inside the seal and out on its ring, a run of the ring's letters is the
    ring's; the line under it is then read across the seal. A line of the form that crosses the seal's edge stays,
    though its words are the ring's too."""
    from extractors.seal_lines import without_ring_pieces

    grey = cv2.imread(str(RING_TOP_CROP), cv2.IMREAD_GRAYSCALE)  # the levelled page, cut at x=100, y=320
    ring = "青海大学昆仑学院科技术协会"  # as the seal's words were read
    boxes = [
        OcrBox("联络员回执表", (589.9, 12.8, 888.3, 75.7), 0.999),
        OcrBox("仑学院科", (245.0, 52.0, 417.9, 136.9), 0.964),
        OcrBox("工作单位及职务", (522.7, 199.6, 773.6, 256.6), 1.0),
        OcrBox("刘", (205.1, 299.5, 239.2, 334.8), 1.0),
        OcrBox("涛", (249.5, 295.2, 309.8, 343.1), 1.0),
        OcrBox("昆仑学院科协办公室主任", (381.0, 293.9, 761.6, 344.5), 1.0),
    ]
    seal = (140.2, 32.7, 487.7, 381.1)
    lines = without_ring_pieces(boxes, [seal], [ring])
    assert [b.text for b in lines] == ["联络员回执表", "工作单位及职务", "刘", "涛", "昆仑学院科协办公室主任"]
    found = lines_under_seals(grey, lines, [seal], get_engine().recognise, [ring])
    assert "填报单位昆仑学院" in [b.text.replace("：", "") for b in found]


SPLIT_LINE_CROP = Path(__file__).parent / "data" / "grey_seal_splits_date_line.png"  # dev42 grey plan (tuned on)


def test_a_line_the_ring_split_in_two_is_read_whole_across_the_seal() -> None:
    """The ring's left edge split `报送时间：2021年05月07日` into `报送时间：2021` and `105月07日` (年 under the ring
    read as `1`). Each half bounded the other's strip, so the plan's date read `2021105月07日` and staff got a false
    missing_field. Read as one strip, the line is whole; a half on another row is left alone."""
    grey = cv2.imread(str(SPLIT_LINE_CROP), cv2.IMREAD_GRAYSCALE)  # the levelled page, cut at x=150, y=330
    boxes = [
        OcrBox("单位盖章：", (63.7, 101.5, 224.5, 151.0), 0.998),
        OcrBox("105月07日", (284.4, 136.9, 478.1, 207.6), 0.912),
        OcrBox("报送时间：2021", (63.7, 154.5, 298.5, 201.7), 1.0),
    ]
    seal = (290.0, 40.0, 598.0, 348.0)
    read = [b.text for b in reread_under_seals(grey, boxes, [seal], [], get_engine().recognise)]
    assert read == ["单位盖章：", "报送时间：2021年05月07日"]


def test_a_post_and_a_phone_in_neighbouring_cells_are_not_one_line_split_by_the_ring() -> None:
    """A grey liaison's `海东市科协办公` and `13192959689` meet under the seal, but a column rule stands between
    them: read as one strip they became `海东市科协办公3192959689` and the person lost the phone (dev31)."""
    import numpy as np

    from extractors.seal_lines import _joined_at_seals

    grey = np.full((800, 1000), 255, np.uint8)
    post = OcrBox("海东市科协办公", (370.0, 600.0, 603.0, 650.0), 0.95)
    phone = OcrBox("13192959689", (618.0, 626.0, 824.0, 671.0), 1.0)
    seal = (450.0, 400.0, 760.0, 710.0)
    cells = [(360.0, 590.0, 610.0, 690.0), (612.0, 590.0, 900.0, 690.0)]

    def recognise(_):
        return "海东市科协办公3192959689", 0.95

    assert _joined_at_seals([post, phone], [seal], cells, grey, recognise) == [post, phone]
    assert [b.text for b in _joined_at_seals([post, phone], [seal], [], grey, recognise)] == [
        "海东市科协办公3192959689"
    ]
