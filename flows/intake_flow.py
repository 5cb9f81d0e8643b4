"""The batch as a Prefect flow: one task per inbox file, then one write of the cumulative tables.

The library (flows/pipeline.py, flows/writer.py) does the work; this module only orchestrates, so a
run without Prefect gives the same outputs (tests check that).
"""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task
from prefect.task_runners import ThreadPoolTaskRunner

from flows.pipeline import FileOutcome, discover, process_file
from flows.writer import RunSummary, write_outputs
from schemas.validate import DEFAULT_MIN_CONFIDENCE


@task(name="read-submission", retries=0, persist_result=False, log_prints=False)
def read_submission(path: str, inbox: str, min_confidence: float) -> FileOutcome:
    return process_file(Path(path), Path(inbox), min_confidence=min_confidence)


@task(name="write-outputs", persist_result=False)
def write_tables(outdir: str, outcomes: list[FileOutcome]) -> RunSummary:
    return write_outputs(Path(outdir), outcomes)


@flow(name="submission-intake", task_runner=ThreadPoolTaskRunner(max_workers=2), persist_result=False)
def intake_flow(inbox: str, outdir: str, min_confidence: float = DEFAULT_MIN_CONFIDENCE) -> RunSummary:
    files = [str(p) for p in discover(Path(inbox))]
    futures = read_submission.map(files, inbox=inbox, min_confidence=min_confidence)
    outcomes = [f.result() for f in futures]
    return write_tables(outdir, outcomes)
