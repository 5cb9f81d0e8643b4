"""One recipe: one way an outside office fills one form."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from .model import Doc
from .units import Unit


@dataclass
class Recipe:
    rid: str
    form: str  # activity_plan | liaison_reply | summary_report | notice | blank_plan | blank_liaison
    fmt: str  # docx | pdf_lo | pdf_direct
    pool: str
    spelling: str
    hand: str
    classes: list[str]
    opts: dict = field(default_factory=dict)
    tweak: Callable[[Doc, Unit, random.Random], None] | None = None
    seal: str = ""  # "" none | raster | vector | docx (seal picture inside the Word file)
    name: str = "{short}-筹备方案"
