"""The people who typed the forms: fonts, table layouts and how each one marks a ticked option."""

from __future__ import annotations

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Hand:
    key: str
    note: str  # the one-line "hand" written into the truth
    font: str = "Noto Serif CJK SC"
    title_font: str = "Noto Sans CJK SC"
    size_pt: float = 12
    line_height: float = 1.5
    margins_mm: tuple[int, int, int, int] = (25, 24, 22, 26)  # top right bottom left
    tick: str = "✓"  # ✓ √ ☑ ■ typed, or pen-blue / pen-black drawn on the page afterwards
    bracket: str = "ascii"  # ascii "( )", tight "()", full "（　）", box "□"
    tick_side: str = "after"  # the mark before or after the option's label
    module_layout: str = "cells"  # cells (seed: one cell each), wrap (label over mark), inline, lines
    audience_layout: str = "inline"  # inline, lines, cells
    activity_layout: str = "（一）"  # a numbering (（一） 一、 1. 1、 活动一： 活动1：) or table (一项一表)
    instructions: bool = False  # keeps the seed's "(应突出重点……)" note under 二、工作方案
    sign_at_end: bool = False  # 单位盖章 / 报送时间 at the end of the plan instead of under the title
    liaison_layout: str = "plain"  # plain, narrow (name and 工作单位及职务 in narrow columns), numbered
    keep_footer: bool = False  # leaves the seed's 省科协联系方式 block under the liaison table
    label_spaced: bool = True  # "姓  名" rather than "姓名"
    title_two_lines: bool = True
    renderer: str = "chromium"  # chromium or writer (LibreOffice reading the same HTML)

    @property
    def pen(self) -> bool:
        return self.tick.startswith("pen")

    def with_(self, **changes) -> Hand:
        return replace(self, **changes)


EMPTY = {"ascii": "( )", "tight": "()", "full": "（\u3000）", "box": "□"}


def mark(hand: Hand, selected: bool, marker: str = "") -> str:
    """The printed mark for one option; `marker` (an invisible anchor) sits where a pen tick will be drawn."""
    if hand.pen:
        empty = EMPTY[hand.bracket]
        if not selected:
            return empty
        return empty[:1] + marker + empty[1:]
    if hand.bracket == "box":
        return ("☑" if hand.tick != "■" else "■") if selected else "□"
    if not selected:
        return EMPTY[hand.bracket]
    left, right = ("（", "）") if hand.bracket == "full" else ("(", ")")
    return f"{left}{hand.tick}{right}"


def option(hand: Hand, label: str, selected: bool, marker: str = "", wrap: bool = False) -> str:
    """Label and mark, in this hand's order; wrap puts them on two lines (narrow cells)."""
    sign = mark(hand, selected, marker)
    joiner = "<br>" if wrap else ("" if hand.bracket == "box" and hand.tick_side == "before" else " ")
    return f"{sign}{joiner}{label}" if hand.tick_side == "before" else f"{label}{joiner}{sign}"


HANDS: dict[str, Hand] = {
    h.key: h
    for h in (
        Hand(
            "seed_copy",
            "copies the notice's 样表 cell for cell in 宋体; √ typed inside ASCII ( ) after each module",
            tick="√",
            bracket="tight",
        ),
        Hand(
            "narrow_cells",
            "黑体 labels, five narrow module cells so each label sits over its （✓） on a second line",
            font="Noto Sans CJK SC",
            tick="✓",
            bracket="full",
            module_layout="wrap",
            audience_layout="cells",
            activity_layout="一、",
            label_spaced=False,
            size_pt=11,
        ),
        Hand(
            "ballot_boxes",
            "WPS user: ☑/□ before every option, modules and audiences each in one wide cell",
            tick="☑",
            bracket="box",
            tick_side="before",
            module_layout="inline",
            audience_layout="inline",
            activity_layout="1.",
            instructions=True,
        ),
        Hand(
            "one_per_line",
            "lists the options one per line inside the cell, ✓ in full-width brackets after each",
            font="WenQuanYi Zen Hei",
            tick="✓",
            bracket="full",
            module_layout="lines",
            audience_layout="lines",
            activity_layout="活动一：",
            size_pt=11,
        ),
        Hand(
            "filled_square",
            "marks chosen options with ■ and leaves □ on the others, before the label",
            tick="■",
            bracket="box",
            tick_side="before",
            module_layout="inline",
            audience_layout="inline",
            activity_layout="（一）",
        ),
        Hand(
            "pen_brackets",
            "printed the blank form and ticked the modules with a pen inside full-width （　）",
            tick="pen-blue",
            bracket="full",
            module_layout="cells",
            audience_layout="inline",
            activity_layout="table",
            instructions=True,
        ),
        Hand(
            "pen_boxes",
            "printed the blank form with □ boxes and ticked them by hand in black ink",
            tick="pen-black",
            bracket="box",
            tick_side="before",
            module_layout="lines",
            audience_layout="lines",
            activity_layout="1、",
            font="Noto Sans CJK SC",
            size_pt=11,
        ),
        Hand(
            "word_writer",
            "typed in Word (rendered by LibreOffice), √ in ASCII ( ) after the label, 一项一表 activities",
            tick="√",
            bracket="ascii",
            module_layout="cells",
            activity_layout="table",
            renderer="writer",
            sign_at_end=True,
        ),
        Hand(
            "compact",
            "squeezes the whole plan onto one page in small type, ✓ in ASCII ( ) after each label",
            tick="✓",
            bracket="ascii",
            module_layout="inline",
            audience_layout="inline",
            activity_layout="活动1：",
            size_pt=9.5,
            line_height=1.3,
            margins_mm=(14, 16, 12, 16),
            title_two_lines=False,
        ),
    )
}

HANDS["compact_square"] = HANDS["compact"].with_(
    key="compact_square",
    note="one-page plan in small 黑体, ■ before the chosen options and □ before the others",
    font="Noto Sans CJK SC",
    tick="■",
    bracket="box",
    tick_side="before",
    activity_layout="（一）",
)
HANDS["compact_pen"] = HANDS["compact"].with_(
    key="compact_pen",
    note="one-page plan printed with empty full-width （　） after each option, ticked by hand in blue ballpoint",
    tick="pen-blue",
    bracket="full",
    activity_layout="一、",
)
