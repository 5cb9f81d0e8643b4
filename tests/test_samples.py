"""Every committed sample's outputs equal its ground truth: fields, activities, people, exceptions.

Ground truth (samples/truth/*.json) is written by the generator from what it meant to write, never by
running this pipeline; docs/ground-truth-format.md defines it.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from tests.conftest import INBOX, discover, load_truths

TRUTHS = load_truths()
SKIP_PLAN_COLUMNS = {"submission_id", "source_file", "unit_score"}


def _rows_for(tables, name: str, sid: str) -> list[dict[str, str]]:
    return [r for r in tables[name] if r["submission_id"] == sid]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_every_inbox_file_has_truth() -> None:
    files = {p.relative_to(INBOX).as_posix() for p in discover(INBOX)}
    assert files, "samples/inbox is empty"
    assert files == set(TRUTHS), f"inbox files without truth: {files - set(TRUTHS)}; stale truth: {set(TRUTHS) - files}"


@pytest.mark.parametrize("rel", sorted(TRUTHS))
def test_sample_matches_truth(rel: str, sample_outcomes, sample_tables) -> None:
    truth = TRUTHS[rel]
    outcome = sample_outcomes[rel]
    sid = outcome.submission_id
    assert outcome.form_type == truth["form_type"], "form type"
    assert outcome.source_kind == truth["source_kind"], "source kind"

    # a problem a Word file and its stamped copy share is one row, on the Word file, naming the copy in also_in
    mine = [r for r in sample_tables["exceptions.csv"] if rel in (r["source_file"], *r["also_in"].split(";"))]
    got = Counter((r["code"], r["field"], r["severity"]) for r in mine)
    want = Counter((e["code"], e["field"], e["severity"]) for e in truth["exceptions"])
    assert got == want, "exceptions: " + "; ".join(f"{r['code']}/{r['field']}: {r['raw_value']}" for r in mine)

    if truth.get("plan"):
        rows = [r for r in _rows_for(sample_tables, "plans.csv", sid) if r["source_file"] == rel]
        assert len(rows) == 1
        diffs = {
            k: (rows[0].get(k), v)
            for k, v in truth["plan"].items()
            if k not in SKIP_PLAN_COLUMNS and rows[0].get(k) != v
        }
        assert not diffs, f"plan fields (got, want): {diffs}"
        acts = _rows_for(sample_tables, "activities.csv", sid)
        assert len(acts) == len(truth["activities"]), [a["title"] for a in acts]
        for got_act, want_act in zip(acts, truth["activities"], strict=False):
            for key, want_value in want_act.items():
                if key == "description":
                    assert _squash(got_act[key]) == _squash(want_value), f"activity {want_act['seq']} description"
                else:
                    assert got_act[key] == want_value, f"activity {want_act['seq']} {key}"
    if truth.get("liaisons") is not None and truth["form_type"] == "liaison_reply":
        people = [r for r in _rows_for(sample_tables, "liaisons.csv", sid) if r["source_file"] == rel]
        assert [{k: p[k] for k in w} for p, w in zip(people, truth["liaisons"], strict=False)] == truth["liaisons"]
        assert len(people) == len(truth["liaisons"])
    if truth.get("report"):
        rows = [r for r in _rows_for(sample_tables, "reports.csv", sid) if r["source_file"] == rel]
        assert len(rows) == 1
        diffs = {k: (rows[0].get(k), v) for k, v in truth["report"].items() if rows[0].get(k) != v}
        assert not diffs, f"report fields (got, want): {diffs}"


def test_field_accuracy_report(sample_tables) -> None:
    """Prints the share of plan fields exactly right over all samples (the figure quoted in notes)."""
    right = total = 0
    for rel, truth in TRUTHS.items():
        if not truth.get("plan"):
            continue
        rows = [r for r in sample_tables["plans.csv"] if r["source_file"] == rel]
        for key, value in truth["plan"].items():
            if key in SKIP_PLAN_COLUMNS:
                continue
            total += 1
            right += bool(rows) and rows[0].get(key) == value
    print(f"\nplan fields exactly right: {right}/{total} = {100 * right / max(total, 1):.1f}%")
    assert total > 0
