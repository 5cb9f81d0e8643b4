"""The unit registry every run matches against (schemas/registry/units.csv, counties.csv), loaded once per
process: building it (aliases, pinyin, abbreviation rules) costs more than reading a Word file."""

from __future__ import annotations

from functools import lru_cache

from schemas.units import UnitRegistry


@lru_cache(maxsize=1)
def default_registry() -> UnitRegistry:
    return UnitRegistry.load()
