"""Seals of every unit in the registry, stamped over printed text, for measuring the seal reader (issue 14).

The seals are drawn by the "other hands" sample family's own stamp (samples/other_hands/images/seal.py, written
without reading the reader): ring text, star, an optional centre line (办公室) and code digits along the bottom,
round or oval, worn ink, turned up to ±14°. Each is pressed over a few lines of black text, as a seal over 单位盖章
and the date is, on a 200 dpi page. The cases cycle through shapes and decorations by unit, so every unit type
gets round and oval seals.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from samples.other_hands.images.seal import SealSpec, stamp

ROOT = Path(__file__).resolve().parents[1]
UNITS_CSV = ROOT / "schemas" / "registry" / "units.csv"
FONT = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)
DPI = 200
_CENTRES = ("", "办公室", "", "")  # a centre line on one seal in four
_LINES = ("单位盖章：", "报送时间：2021年5月8日", "联系人：张明  电话：0971-6301234")


@dataclass(frozen=True)
class SealCase:
    unit_id: str
    category: str
    spec: SealSpec
    page: np.ndarray  # BGR


def registry_units() -> list[dict[str, str]]:
    with open(UNITS_CSV, encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def seal_cases(units: list[dict[str, str]] | None = None, seed: int = 14) -> list[SealCase]:
    """One stamped page per unit: shape, centre line and code digits vary with the unit's place in the list."""
    rng = random.Random(seed)
    font = ImageFont.truetype(FONT[0], 34, index=FONT[1])
    cases = []
    for i, unit in enumerate(units if units is not None else registry_units()):
        spec = SealSpec(
            unit_id=unit["unit_id"],
            ring_text=unit["canonical_name"],
            centre_text=_CENTRES[i % len(_CENTRES)],
            shape="oval" if i % 3 == 2 else "round",
            code="".join(rng.choice("0123456789") for _ in range(13)) if i % 5 == 4 else "",
        )
        page = Image.new("RGB", (900, 700), "white")
        draw = ImageDraw.Draw(page)
        for k, line in enumerate(_LINES):
            draw.text((60, 260 + 60 * k), line, font=font, fill="black")
        page = stamp(page, spec, DPI, (330 + rng.randint(-30, 30), 330 + rng.randint(-20, 20)), rng)
        cases.append(SealCase(unit["unit_id"], unit["category"], spec, np.asarray(page)[:, :, ::-1].copy()))
    return cases
