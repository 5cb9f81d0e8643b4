"""The reader on forms written by other hands (samples/other_hands): Word files and text PDFs.

Two sets, each read in one run of the product (`intake run --no-prefect --full`) and scored with
samples/scoring.py against its truth:

- DEV  (samples/other_hands/dev): the set the reader was tuned on. Its figures are printed and guarded
  against regressions only.
- TEST (samples/other_hands/test): the HELD-OUT set. Nobody tuning the reader looks at it; its figures are
  printed and must meet the targets of issue 16: fields exactly right on ≥ 99.5 % of Word values and ≥ 99 %
  of text-PDF values, unit ids ≥ 99 % with no confident wrong match, activities counted right on ≥ 98 % of
  plans, exceptions recall ≥ 98 % and precision ≥ 95 %.

Only the Word/PDF family is read here (inbox/word, inbox/pdf and their truth): the scans family in the same
folders is scored by its own test. Run with ``-s`` to see the printed figures; ``-k dev`` reads the dev set only.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from samples.scoring import Score, load_truths, report, run_intake, score_run

ROOT = Path(__file__).resolve().parents[1] / "samples" / "other_hands"
FOLDERS = ("word", "pdf")

# Targets of issue 16, asserted on the held-out set.
WORD_FIELDS, PDF_FIELDS = 0.995, 0.99
UNIT_IDS, ACTIVITY_COUNTS = 0.99, 0.98
RECALL, PRECISION = 0.98, 0.95

# Dev: what the reader reaches today (every figure 100 % since copies yield to their originals by name and a
# large region such as 西北 marks another province's unit), as a floor against regressions: the same targets.
DEV_FLOOR = {
    "word": WORD_FIELDS,
    "pdf": PDF_FIELDS,
    "units": UNIT_IDS,
    "activities": ACTIVITY_COUNTS,
    "recall": RECALL,
    "precision": PRECISION,
}


def _score_set(name: str, tmp_path_factory: pytest.TempPathFactory) -> Score:
    """Copy the set's Word/PDF inbox to a temporary inbox, run the product once, score it."""
    source = ROOT / name
    work = tmp_path_factory.mktemp(f"other_hands_{name}")
    inbox = work / "inbox"
    for folder in FOLDERS:
        if (source / "inbox" / folder).is_dir():
            shutil.copytree(source / "inbox" / folder, inbox / folder)
    truths = {rel: t for rel, t in load_truths(source / "truth").items() if rel.split("/", 1)[0] in FOLDERS}
    assert truths, f"no Word/PDF truth under {source}"
    run_intake(inbox, work / "out")
    score = score_run(work / "out", truths)
    print()
    title = f"other hands, {name} ({'held out' if name == 'test' else 'tuned on'})"
    print(report(score, title, per_field=True))
    return score


@pytest.fixture(scope="module")
def dev(tmp_path_factory: pytest.TempPathFactory) -> Score:
    return _score_set("dev", tmp_path_factory)


@pytest.fixture(scope="module")
def heldout(tmp_path_factory: pytest.TempPathFactory) -> Score:
    return _score_set("test", tmp_path_factory)


def _share(score: Score, fmt: str) -> float:
    return score.fields[fmt].share


# ---------------------------------------------------------------- dev: printed, guarded


def test_dev_set_does_not_regress(dev: Score) -> None:
    assert _share(dev, "word") >= DEV_FLOOR["word"], dev.misses
    assert _share(dev, "pdf") >= DEV_FLOOR["pdf"], dev.misses
    assert dev.units.share >= DEV_FLOOR["units"] and not dev.confident_wrong_units, dev.confident_wrong_units
    assert dev.activity_counts.share >= DEV_FLOOR["activities"]
    assert dev.recall >= DEV_FLOOR["recall"], dev.missed_exceptions
    assert dev.precision >= DEV_FLOOR["precision"], dev.false_alarms


# ---------------------------------------------------------------- held out: the targets


def test_heldout_word_fields(heldout: Score) -> None:
    assert _share(heldout, "word") >= WORD_FIELDS, [m for m in heldout.misses if m.startswith("word/")]


def test_heldout_pdf_fields(heldout: Score) -> None:
    assert _share(heldout, "pdf") >= PDF_FIELDS, [m for m in heldout.misses if m.startswith("pdf/")]


def test_heldout_unit_ids_and_no_confident_wrong_match(heldout: Score) -> None:
    assert not heldout.confident_wrong_units, heldout.confident_wrong_units
    assert heldout.units.share >= UNIT_IDS


def test_heldout_activity_counts(heldout: Score) -> None:
    assert heldout.activity_counts.share >= ACTIVITY_COUNTS


def test_heldout_exceptions(heldout: Score) -> None:
    assert heldout.recall >= RECALL, heldout.missed_exceptions
    assert heldout.precision >= PRECISION, heldout.false_alarms
