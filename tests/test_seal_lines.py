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
