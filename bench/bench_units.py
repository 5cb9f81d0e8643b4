"""Unit-name matching speed: matches per second over the variant file (best of three passes).

Usage: python bench/bench_units.py   — prints the rate; the aim is ≥ 2000 matches/s on one core (a 300-file batch
spends well under a second matching). Moved here from a timed unit test: speed is the benchmark's job.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path

from schemas.units import UnitRegistry

VARIANTS = Path(__file__).resolve().parents[1] / "tests" / "data" / "unit_variants.csv"
AIM = 2000


def main() -> None:
    with VARIANTS.open(encoding="utf-8-sig", newline="") as fh:
        raws = [row["raw"] for row in csv.DictReader(fh)]
    registry = UnitRegistry.load()
    rates = []
    for _ in range(3):
        start = time.perf_counter()
        for raw in raws:
            registry.match(raw)
        rates.append(len(raws) / (time.perf_counter() - start))
    rate = max(rates)
    verdict = "met" if rate >= AIM else "MISSED"
    print(f"unit matching: {rate:.0f} matches/s over {len(raws)} names (aim ≥ {AIM}: {verdict})")


if __name__ == "__main__":
    main()
