"""Tick reading from the text extractors write: every tick style people use, and none-vs-unreadable."""

import pytest

from schemas.choices import read_choices

MODULES = ["团结引领", "建家办事", "为民服务", "开放合作", "表彰发布"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("团结引领（√）  建家办事（  ）  为民服务（√） 开放合作（ ） 表彰发布（ ）", ["团结引领", "为民服务"]),
        ("团结引领 (✓) 建家办事 ( ) 为民服务 ( ) 开放合作 (✓) 表彰发布 ( )", ["团结引领", "开放合作"]),
        ("☑团结引领 ☐建家办事 ☐为民服务 ☐开放合作 ☑表彰发布", ["团结引领", "表彰发布"]),
        ("■团结引领 □建家办事 ■为民服务 □开放合作 □表彰发布", ["团结引领", "为民服务"]),
        ("√团结引领 建家办事 为民服务 开放合作 表彰发布", ["团结引领"]),
        ("团结引领 ☑ 建家办事 ☐ 为民服务 ☑ 开放合作 ☐ 表彰发布 ☐", ["团结引领", "为民服务"]),
        ("团结引领 (V) 建家办事 ( ) 为民服务 ( ) 开放合作 ( ) 表彰发布 ( )", ["团结引领"]),
        ("团 结 引 领 （√） 建家办事（ ）", ["团结引领"]),
        # a grey scan's ✓ read as a Latin letter inside its brackets (dev40)
        ("团结引领（√）\n建家办事（ ）\n为民服务(i)\n开放合作（ ）\n表彰发布（ ）", ["团结引领", "为民服务"]),
        ("团结引领（J） 建家办事（ ） 为民服务（ ）", ["团结引领"]),
        ("团结引领、为民服务", ["团结引领", "为民服务"]),  # only the chosen ones typed, no boxes at all
        ("表彰发布（√） 团结引领（√）", ["团结引领", "表彰发布"]),  # output in form order
        # a bracketed box before each option: the box belongs to the option after it
        ("（√）团结引领    （√）建家办事    （ ）为民服务    （ ）开放合作    （ ）表彰发布", ["团结引领", "建家办事"]),
        ("（ ）团结引领 （√）建家办事 （ ）为民服务 （ ）开放合作 （ ）表彰发布", ["建家办事"]),
        ("(✓)团结引领  ( )建家办事  (✓)为民服务  ( )开放合作  ( )表彰发布", ["团结引领", "为民服务"]),
    ],
)
def test_ticked_options_in_form_order(text: str, expected: list[str]) -> None:
    assert read_choices(text, MODULES).ticked == expected


def test_none_ticked_is_not_unreadable() -> None:
    none = read_choices("团结引领（ ） 建家办事（ ） 为民服务（ ） 开放合作（ ） 表彰发布（ ）", MODULES)
    assert none.ticked == [] and none.undecided == [] and none.options_seen == 5
    unsure = read_choices("团结引领（\ufffd） 建家办事（ ）", MODULES)
    assert unsure.ticked == [] and unsure.undecided == ["团结引领"]


def test_word_inside_option_text_is_not_a_tick() -> None:
    # the V of "VR" is part of a word, not a tick
    assert read_choices("团结引领（ ）VR体验 建家办事（ ）", MODULES).ticked == []
    assert read_choices("团结引领（ ）iPad体验 建家办事（ ）Java课", MODULES).ticked == []


def test_marks_before_options_with_wide_spacing() -> None:
    audiences = ["科协系统干部", "科技工作者", "海外同行"]
    assert read_choices("科协系统干部    √科技工作者    海外同行", audiences).ticked == ["科技工作者"]
    assert read_choices("科协系统干部（ ）    科技工作者（√）    海外同行（ ）", audiences).ticked == ["科技工作者"]


def test_an_option_printed_with_one_letter_misread_still_counts() -> None:
    """A phone photo's `团结引额(√)` is 团结引领 ticked; a word two letters off is no option."""
    text = "团结引额(√) 建家办事()为民服务（√） 开放合作（ ）表影发布（ ）"
    read = read_choices(text, MODULES)
    assert read.ticked == ["团结引领", "为民服务"] and read.options_seen == 5
    assert read_choices("团体引导（√） 建家办事（ ）", MODULES).ticked == []


def test_an_option_that_lost_a_letter_at_one_end_keeps_its_own_tick() -> None:
    """A pen tick over `为` of 为民服务 on a fax left `民服务（√）`: that tick is 为民服务's, not 建家办事's (whose
    empty brackets came before it). A remnant inside a word is no option."""
    text = "团结引领（ ） 建家办事（ ） 民服务（√） 开放合作（ ） 表彰发布√"
    assert read_choices(text, MODULES).ticked == ["为民服务", "表彰发布"]
    assert read_choices("团结引领（ ） 建家办事（ ） 为民服（√） 开放合作（ ）", MODULES).ticked == ["为民服务"]
    assert read_choices("团结引领（√） 居民服务站", MODULES).ticked == ["团结引领"]


def test_an_option_without_the_box_every_other_option_shows_could_not_be_read() -> None:
    """A grey scan: pen checks drawn over two □ boxes left no box glyph at all (`☐ 团结引领 / 建家办事 / 为民服务 /
    ☐ 开放合作 / ☐ 表彰发布`). Those two are undecided (staff look), not "nothing ticked" (no_module_selected)."""
    read = read_choices("☐ 团结引领\n建家办事\n为民服务\n☐ 开放合作\n☐ 表彰发布", MODULES)
    assert read.ticked == [] and read.undecided == ["建家办事", "为民服务"]
    assert read_choices("☐ 团结引领 ☐ 建家办事 ☐ 为民服务", MODULES).undecided == []
    # a box for every option, one touching the option before it: nothing hidden, nothing undecided
    audiences = ["科协系统干部", "科技工作者", "海外同行"]
    assert read_choices("☐ 科协系统干部 ☐ 科技工作者☐ 海外同行", audiences).undecided == []


def test_a_box_touching_the_option_before_it_still_belongs_to_the_option_after_it() -> None:
    """A colour scan's `☑ 科协系统干部 ☐ 科技工作者☐ 海外同行`: the lost space makes `☐` touch 科技工作者, which alone
    would say the marks follow their options. The line's ends say otherwise: a box opens it, none ends it."""
    audiences = ["科协系统干部", "科技工作者", "海外同行"]
    assert read_choices("☑ 科协系统干部 ☐ 科技工作者☐ 海外同行", audiences).ticked == ["科协系统干部"]
    assert read_choices("科协系统干部（√） 科技工作者（ ）海外同行（ ）", audiences).ticked == ["科协系统干部"]


def test_an_empty_box_read_as_the_letter_kou_is_a_box_among_the_options() -> None:
    """A colour scan's `科协系统干部 ☐ 科技工作者 ☑海外同行 口`: the last empty □ came back as the letter 口. No option
    has it, so it is 海外同行's box and the ☑ before it is 科技工作者's."""
    audiences = ["科协系统干部", "科技工作者", "海外同行"]
    assert read_choices("科协系统干部 ☐ 科技工作者 ☑海外同行 口", audiences).ticked == ["科技工作者"]
