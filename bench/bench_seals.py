"""Seal reading: is each seal's unit read right (by registry id), does a wrong unit's seal raise seal_mismatch and
a right one not, and how long the reading takes per seal.

Usage: python bench/bench_seals.py [--limit N]   — every registry unit's seal (bench/seal_set.py), stamped over
text. Aims (issue 14): the seal's unit read right on ≥ 95 % of seals, every wrong-unit seal flagged, no right one.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.seal_set import SealCase, seal_cases  # noqa: E402
from extractors import ocr  # noqa: E402
from extractors.seal import find_seals, red_mask  # noqa: E402
from extractors.seal_text import read_seal_words, seal_ink  # noqa: E402
from schemas.units import UnitRegistry  # noqa: E402

AIM = 0.95


def read_unit(case: SealCase, registry: UnitRegistry, engine: ocr.OcrEngine) -> tuple[str, str, float]:
    """(registry id or "", ring text as read, seconds spent reading the ring) for one stamped page."""
    red = red_mask(case.page)
    hits = find_seals(case.page, red)
    if not hits or hits[0].ellipse is None:
        return "", "", 0.0
    started = time.perf_counter()
    words = read_seal_words(seal_ink(case.page, red), hits[0].ellipse, engine.recognise, red=True)
    seconds = time.perf_counter() - started
    if words is None:
        return "", "", seconds
    match = registry.match(words.ring)
    return (match.unit.unit_id if match.status == "matched" and match.unit else ""), words.ring, seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--limit", type=int, default=0, help="only the first N units")
    args = parser.parse_args()
    cases = seal_cases()[: args.limit or None]
    registry, engine = UnitRegistry.load(), ocr.get_engine()
    right, seconds, by_category = 0, [], Counter()
    flagged_right, missed_wrong = 0, 0
    for i, case in enumerate(cases):
        unit_id, ring, spent = read_unit(case, registry, engine)
        seconds.append(spent)
        ok = unit_id == case.unit_id
        right += ok
        by_category[(case.category, ok)] += 1
        flagged_right += bool(unit_id) and not ok  # the unit's own seal read as another unit: a false alarm
        other = registry.get(cases[(i + 1) % len(cases)].unit_id)  # the same seal on the next unit's form
        missed_wrong += other is None or registry.other_unit_named(ring, other) is None
        if not ok:
            print(f"  {case.unit_id:24} {case.spec.shape:5} read {ring!r} -> {unit_id or '(no confident match)'}")
    n = len(cases)
    verdict = "met" if right / n >= AIM else "MISSED"
    print(f"seal unit read right: {right}/{n} = {right / n:.1%} (aim ≥ {AIM:.0%}: {verdict})")
    for category in sorted({c for c, _ in by_category}):
        got, total = by_category[(category, True)], by_category[(category, True)] + by_category[(category, False)]
        print(f"  {category:8} {got}/{total}")
    print(f"right seals flagged seal_mismatch: {flagged_right}; wrong-unit seals not flagged: {missed_wrong}")
    print(f"ring reading: {1000 * sum(seconds) / n:.0f} ms per seal (mean), {1000 * max(seconds):.0f} ms slowest")


if __name__ == "__main__":
    main()
