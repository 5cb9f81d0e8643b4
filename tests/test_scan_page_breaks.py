"""A scanned paragraph cut by a page break is joined back (extractors/page_breaks.py).

The case comes from a generated "other hands" dev fax (dev16, tuned on): an activity's `主要安排` ran from the
foot of page 1 (`…走访中详细了解科技工作者在工作、生活`) to the top of page 2 (`中遇到的实际困难，…`), and its
text got a line break mid-sentence.
"""

from __future__ import annotations

from extractors.model import Block, Paragraph
from extractors.page_breaks import join_cut_paragraph

BODY = "看望慰问长期扎根基层的科技工作者和老科技工作者。"


def _page_one() -> list[Block]:
    return [
        Paragraph("（一）走访慰问一线科技工作者", 1, (234, 1805, 697, 1858)),
        Paragraph("时间：2021年5月24日上午", 1, (288, 1860, 800, 1915)),
        Paragraph("主要安排：节日期间，" + BODY + "走访中详细了解科技工作者在工作、生活", 1, (191, 2024, 1432, 2190)),
    ]


def test_a_sentence_cut_at_the_foot_of_a_page_goes_on_at_the_top_of_the_next() -> None:
    before = _page_one()
    page: list[Block] = [
        Paragraph("中遇到的实际困难，能现场解决的现场解决。", 2, (194, 183, 1410, 358)),
        Paragraph("的凝聚力。", 2, (194, 407, 355, 464)),
        Paragraph("（二）青少年科技体验营", 2, (214, 469, 580, 532)),
        Paragraph("时间：2021年6月3日下午", 2, (269, 522, 654, 584)),
    ]
    join_cut_paragraph(before, page)
    assert before[-1].text.endswith("在工作、生活中遇到的实际困难，能现场解决的现场解决。")
    assert [b.text for b in page][0] == "的凝聚力。"


def test_a_finished_sentence_an_indent_a_heading_or_a_label_starts_a_new_paragraph() -> None:
    second = [
        Paragraph("（二）青少年科技体验营", 2, (194, 469, 580, 532)),
        Paragraph("时间：2021年6月3日下午", 2, (194, 522, 654, 584)),
        Paragraph("面向社会公众免费开放科普展厅和实验室，安排科技辅导员讲解。", 2, (194, 576, 1420, 640)),
    ]
    for first in (
        Paragraph("（二）青少年科技体验营", 2, (194, 183, 580, 240)),  # a heading
        Paragraph("地点：果洛州科协实验室", 2, (194, 183, 800, 240)),  # a label of its own
        Paragraph("开展科技志愿服务活动，组织专家深入基层。", 2, (290, 183, 1410, 240)),  # indented
    ):
        before, page = _page_one(), [first, *second]
        join_cut_paragraph(before, page)
        assert len(page) == 4, first.text
    ended = _page_one()
    ended[-1].text += "。"
    page = [Paragraph("中遇到的实际困难。", 2, (194, 183, 1410, 240)), *second]
    join_cut_paragraph(ended, page)
    assert len(page) == 4
