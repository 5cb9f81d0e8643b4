"""OCR'd Chinese text tidied as it was typed: specks dropped, punctuation widths as an IME writes them."""

from __future__ import annotations

import pytest

from extractors.ocr_text import tidy


@pytest.mark.parametrize(
    ("ocr", "typed"),
    [
        ("2021年6月3日（暂定）,.在玉树州科技馆举办", "2021年6月3日（暂定），在玉树州科技馆举办"),
        (".科技志愿服务进社区", "科技志愿服务进社区"),
        ("刘晓梅.", "刘晓梅"),
        ("2021年.6月20日下午", "2021年6月20日下午"),
        ("参加人员:一线科技工作者", "参加人员：一线科技工作者"),
        ("2021年5月16日（暂定)，在海南州", "2021年5月16日（暂定），在海南州"),
        ("·活动二：年度优秀学会工作者通报表扬", "活动二：年度优秀学会工作者通报表扬"),  # hid the activity's header
        ("海北州科协办公室主任·", "海北州科协办公室主任"),
        ("约50人。·邀请省外高校", "约50人。邀请省外高校"),
        ("座谈会由西宁城职院主要负责同志主·持，邀请科技工作者", "座谈会由西宁城职院主要负责同志主持，邀请科技工作者"),
        ("认真总结经验做法，，形成图文并茂的活动总结", "认真总结经验做法，形成图文并茂的活动总结"),  # a speck by it
        ("科技工作者之家……“家”的温暖——", "科技工作者之家……“家”的温暖——"),  # marks of two glyphs stay
        ("优秀科技工作者代表、：基层一线科技人员", "优秀科技工作者代表、基层一线科技人员"),  # a speck after 、
        ("受表彰代表、。单位负责同志", "受表彰代表、单位负责同志"),
        ("时间：。2021年5月13日上午", "时间：2021年5月13日上午"),  # a speck after the colon
        ("（-四）大力宣传先进典型。", "（四）大力宣传先进典型。"),  # a speck after the list number's bracket
        ("地点：，省科技馆", "地点：省科技馆"),
        ("现场协调解决实际问题5件。°", "现场协调解决实际问题5件。"),
        ("众心向党 自立自强”科技工作者座谈会", "“众心向党 自立自强”科技工作者座谈会"),  # lost at the cell's edge
    ],
)
def test_specks_and_half_width_punctuation_in_chinese_text(ocr: str, typed: str) -> None:
    assert tidy(ocr) == typed


@pytest.mark.parametrize(
    "kept",
    [
        "qhskx.bgs@163.com",
        "2021.5.7",
        "10:30—11:30",
        "1.节日慰问优秀科技工作者",
        "团结引领(√)",
        "P.001/003",
        "阿卜杜·热合曼",
        "室外气温25°以下",
    ],
)
def test_addresses_numbers_and_list_numbers_keep_their_points(kept: str) -> None:
    assert tidy(kept) == kept


@pytest.mark.parametrize(
    "kept",
    [
        "青师大科协2021年“全国科技工作者日”系列活动",  # both quotes read
        "围绕生态保护、高原特色农牧业、清洁能源等领域开展交流，形成图文并茂的活动总结，择优上传至科技工作者之家”平台",
    ],
)
def test_a_quote_lost_in_the_middle_of_a_text_is_not_guessed(kept: str) -> None:
    assert tidy(kept) == kept  # only a value's first words are quoted at the cell's edge
