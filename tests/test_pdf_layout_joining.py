"""Line and paragraph joining on text PDFs written by other hands: letter-spaced CJK, headings that follow a
finished sentence on a ragged right edge, a 落款 set flush right."""

from __future__ import annotations

from extractors.pdf_layout import drop_letter_spacing, group_lines, split_paragraphs, words_of

SIZE = 11.0


def _chars(text: str, x: float, top: float, spacing: float = 0.0) -> list[dict]:
    """pdfplumber-like glyphs: CJK a full em wide, Latin/digits half; ``spacing``: a space glyph of that
    advance after every CJK character (how some exporters letter-space)."""
    out = []
    for ch in text:
        width = SIZE if ord(ch) > 0x2E80 else SIZE / 2
        out.append(_glyph(ch, x, width, top))
        x += width
        if spacing and ord(ch) > 0x2E80:
            out.append(_glyph(" ", x, SIZE * 0.3, top))
            x += spacing
    return out


def _glyph(ch: str, x: float, width: float, top: float) -> dict:
    return {
        "text": ch,
        "x0": x,
        "x1": x + width,
        "top": top,
        "bottom": top + SIZE,
        "doctop": top,
        "upright": True,
        "size": SIZE,
        "width": width,
        "height": SIZE,
        "fontname": "F",
    }


def _texts(chars: list[dict], left: float = 72.0, right: float = 523.0) -> list[str]:
    return [p.text for p in split_paragraphs(group_lines(words_of(chars)), left, right)]


def test_letter_spaced_page_reads_as_plain_text() -> None:
    chars = _chars("庆祝建党100周年暨全国科技工作者日系列活动", 72, 100, spacing=0.25 * SIZE)
    chars += _chars("联系人姓名", 72, 130, spacing=0.25 * SIZE) + _chars("更登", 200, 130, spacing=0.25 * SIZE)
    lines = [ln.text for ln in group_lines(words_of(drop_letter_spacing(chars)))]
    assert lines[0] == "庆祝建党100周年暨全国科技工作者日系列活动"
    assert lines[1].replace(" ", "").endswith("更登") and "更 登" not in lines[1]


def test_a_real_space_in_letter_spaced_text_is_kept() -> None:
    chars = _chars("众心向党", 72, 100, spacing=0.25 * SIZE)
    x = chars[-1]["x1"] + 0.25 * SIZE
    chars += [_glyph(" ", chars[-1]["x1"], SIZE * 0.3, 100)]  # the writer's own space, after the spacing one
    chars += _chars("自立自强科技工作者座谈会与交流活动", x, 100, spacing=0.25 * SIZE)
    line = group_lines(words_of(drop_letter_spacing(chars)))[0]
    assert line.text == "众心向党 自立自强科技工作者座谈会与交流活动"


def test_a_page_with_few_spaces_is_left_alone() -> None:
    chars = _chars("姓", 72, 100) + [_glyph(" ", 83, 3.3, 100)] + _chars("名", 86.3, 100)
    chars += _chars("这是一段普通的正文内容没有任何字间距的排版方式用于对照检查", 72, 130)
    assert drop_letter_spacing(chars) == chars


def test_numbered_heading_after_a_finished_sentence_starts_a_paragraph() -> None:
    # the sentence ends 2 em short of the right edge, which a wrapped line may also do
    body = "预期形成一批有价值的意见建议为下一步做好联系服务科技工作者工作提供参考。"
    chars = _chars(body, 72, 100) + _chars("三、年度优秀学术论文表彰会", 72, 117.6)
    assert _texts(chars, right=72 + len(body) * SIZE + 2 * SIZE) == [body, "三、年度优秀学术论文表彰会"]


def test_a_line_cut_mid_sentence_still_wraps_into_a_numbered_line() -> None:
    first = "会议将围绕高原科技领域的前沿问题开展交流研讨并邀请省内外专家作报告共"
    chars = _chars(first, 72, 100) + _chars("3.5万字的成果汇编将印发各单位。", 72, 117.6)
    assert _texts(chars, right=72 + len(first) * SIZE + SIZE) == [first + "3.5万字的成果汇编将印发各单位。"]


def test_closing_lines_set_flush_right_stay_apart() -> None:
    right = 523.0
    unit, day = "青海省物理学会", "2021年6月21日"
    chars = _chars(unit, right - len(unit) * SIZE, 400)
    chars += _chars(day, right - (4 * SIZE + 6 * SIZE / 2), 418.6)
    assert _texts(chars, right=right) == [unit, day]
