"""The reader on scanned, grey, faxed, photographed and stamped forms written by other hands (issues 14 and 16).

The image family of samples/other_hands (samples/other_hands/images, written without reading the reader): two sets,
each read in one run of the product (`intake run --no-prefect --full`) and scored with samples/scoring.py.

- DEV  (samples/other_hands/scanned/dev): the set the scan reader was tuned on (with more dev sets the same
  generator made with other seeds, kept outside the repository). Its figures are printed and guarded.
- TEST (samples/other_hands/scanned/test): the HELD-OUT set. Nobody tuning the reader looks at it. Its figures are
  printed and guarded against regressions at what it reaches today; the targets of issue 16 (≥ 97 % of scan fields,
  unit ids ≥ 99 %, recall ≥ 98 %, precision ≥ 95 %) are not all met on it yet: the floors below say where it stands.
Every wrong-unit seal must raise seal_mismatch and no right seal may (issue 14), on both sets.
Run with ``-s`` to see the printed figures.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import ocr
from samples.scoring import Score, load_truths, report, run_intake, score_run

ROOT = Path(__file__).resolve().parents[1] / "samples" / "other_hands" / "scanned"
FORMATS = ("scans", "grey", "fax", "photos", "seals")

pytestmark = pytest.mark.skipif(not ocr.is_available(), reason="OCR models not installed")

# Measured on this project's CI machine kind; a little under, so that another CPU's floating point does not flip it.
# Dev on 2026-12-05 (fifth stop that day): scans 98.0, grey 100, fax 100, photos 98.4, seals 99.3 %, units 100 %,
# activities 100 %, recall 100 %, precision 94.1 %. Held out the same day: scans 99.2, grey 96.6, fax 97.5,
# photos 97.6, seals 100 %; units 100 % (none wrong), activities 100 %, recall 100 %, precision 100 %
# (at the start of that stop: fax 94.9 %, photos 96.8 %, precision 80.0 %, the rest as now).
DEV_FLOOR = {"scans": 0.96, "grey": 0.97, "fax": 0.97, "photos": 0.96, "seals": 0.97,
             "units": 0.97, "activities": 0.98, "recall": 0.98, "precision": 0.90}  # fmt: skip
TEST_FLOOR = {"scans": 0.97, "grey": 0.94, "fax": 0.97, "photos": 0.95, "seals": 0.97,
              "units": 0.97, "activities": 0.98, "recall": 0.98, "precision": 0.90}  # fmt: skip


def _score_set(name: str, tmp_path_factory: pytest.TempPathFactory) -> Score:
    source = ROOT / name
    out = tmp_path_factory.mktemp(f"scanned_{name}") / "out"
    run_intake(source / "inbox", out)
    score = score_run(out, load_truths(source / "truth"))
    print()
    title = f"other hands, scanned {name} ({'held out' if name == 'test' else 'tuned on'})"
    print(report(score, title, per_field=True))
    return score


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Score:
    return _score_set("dev", tmp_path_factory)


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> Score:
    return _score_set("test", tmp_path_factory)


def _check(score: Score, floor: dict[str, float]) -> None:
    for fmt in FORMATS:
        assert score.fields[fmt].share >= floor[fmt], (fmt, [m for m in score.misses if m.startswith(f"{fmt}/")])
    assert score.units.share >= floor["units"] and not score.confident_wrong_units, score.confident_wrong_units
    assert score.activity_counts.share >= floor["activities"]
    assert score.recall >= floor["recall"], score.missed_exceptions
    assert score.precision >= floor["precision"], score.false_alarms


def _seal_verdicts(score: Score) -> list[str]:
    """seal_mismatch missed on a wrong-unit seal, or raised on a right one."""
    return [m for m in score.missed_exceptions + score.false_alarms if "seal_mismatch" in m]


def test_dev_set(dev: Score) -> None:
    _check(dev, DEV_FLOOR)
    assert not _seal_verdicts(dev)


def test_heldout_set(heldout: Score) -> None:
    _check(heldout, TEST_FLOOR)
    assert not _seal_verdicts(heldout)
