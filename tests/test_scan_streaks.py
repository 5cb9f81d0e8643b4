"""Scanner-bar streaks on fax pages (extractors/streaks.py): the streak goes, what it crosses and the
table's own rules stay."""

from __future__ import annotations

import cv2
import numpy as np

from extractors.streaks import remove_streaks


def _page() -> np.ndarray:
    page = np.full((1400, 1000), 255, np.uint8)
    cv2.line(page, (100, 400), (900, 400), 0, 2)  # a table rule the streak crosses
    cv2.rectangle(page, (480, 600), (520, 640), 0, -1)  # a letter's stroke it crosses
    return page


def test_a_streak_is_whitened_but_not_where_it_crosses_ink() -> None:
    page = _page()
    cv2.line(page, (500, 100), (500, 900), 0, 1)
    cleaned = remove_streaks(page)
    assert cleaned[200:390, 500].min() == 255 and cleaned[700:900, 500].min() == 255
    assert cleaned[400, 500] == 0 and cleaned[620, 500] == 0  # the rule and the letter are whole
    assert page[200, 500] == 0  # the page given is not changed


def test_an_upright_one_pixel_rule_between_two_rules_is_kept() -> None:
    """A thin column rule of an unskewed table ends on the table's top and bottom rules: not a streak."""
    page = np.full((1400, 1000), 255, np.uint8)
    for y in (300, 1100):
        cv2.line(page, (100, y), (900, y), 0, 2)
    cv2.line(page, (400, 300), (400, 1100), 0, 1)
    assert remove_streaks(page) is page


def test_a_page_without_streaks_comes_back_as_it_is() -> None:
    page = _page()
    assert remove_streaks(page) is page
