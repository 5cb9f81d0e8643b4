"""A run's batch before any Prefect: the output folder's lock, the ledger, the plan, and the worker pool.

Opened before Prefect is started, so a run decides from the ledger what needs reading (flows/state/incremental.py
`plan_run`) without paying for a server: with nothing to read, `finish_without_reading` records the run and
Prefect is never imported (flows/run_once.py). Otherwise the pool's workers start while the Prefect server
comes up, and the flow run (flows/intake_flow.py) takes the batch by its key: its tasks hand the files to the
pool. This module imports no Prefect.
"""

from __future__ import annotations

import contextlib
import uuid
from dataclasses import dataclass
from pathlib import Path

from flows.options import RunOptions
from flows.reading.isolation import IsolatedRunner
from flows.state.incremental import CROPS_DIR, RunPlan, RunReport, archive, finish_run, plan_run
from flows.state.ledger import Ledger
from flows.state.runlock import RunLock


@dataclass
class Batch:
    """A run's lock, ledger and plan, and the worker pool its files will be read on."""

    key: str
    stack: contextlib.ExitStack  # closes the pool, the ledger and the lock, in that order
    ledger: Ledger
    plan: RunPlan
    runner: IsolatedRunner | None  # None: nothing to read, or the files go to Dask

    @property
    def files(self) -> list[str]:
        return [str(w.path) for w in self.plan.todo]


_BATCHES: dict[str, Batch] = {}  # key -> a batch opened before its flow run started (see `open_batch`)


def open_batch(stable: dict[str, tuple[int, int]] | None = None, **parameters: object) -> str:
    """Take the lock, plan the run and start the pool if there is anything to read.

    `parameters`: the flow's (flows/options.py). Returns the key `intake_flow(prepared=key)` takes; a flow run
    without a key opens its own batch. Raises RunLocked when another run holds the output folder."""
    unknown = parameters.keys() - set(RunOptions.flow_parameter_names())
    if unknown:
        raise TypeError(f"open_batch() got parameters the flow does not take: {sorted(unknown)}")
    batch = new_batch(RunOptions.from_flow(parameters), stable)
    _BATCHES[batch.key] = batch
    return batch.key


def take_batch(key: str) -> Batch:
    return _BATCHES.pop(key)


def peek_batch(key: str) -> Batch:
    return _BATCHES[key]


def new_batch(options: RunOptions, stable: dict[str, tuple[int, int]] | None) -> Batch:
    in_dir, out_dir = options.inbox, options.outdir
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(RunLock(out_dir, wait=options.wait_for_lock))
        ledger = stack.enter_context(Ledger(out_dir))
        plan = plan_run(
            in_dir, out_dir, ledger, min_confidence=options.min_confidence, full=options.full,
            settle_s=options.settle_s, stable=stable, limits=options.limits(), registry=options.registry,
        )  # fmt: skip
        runner = None
        if plan.todo and not options.dask_address:
            runner = stack.enter_context(options.worker_pool(plan.corrections, out_dir / CROPS_DIR))
    except BaseException:
        stack.close()
        raise
    return Batch(uuid.uuid4().hex, stack, ledger, plan, runner)


def finish_without_reading(key: str, archive_to: Path | None) -> RunReport:
    """A batch with nothing to read: write the tables and commit the ledger as any run does, no flow run."""
    batch = take_batch(key)
    with batch.stack:
        report = finish_run(batch.plan, batch.ledger, [])
        if archive_to:
            report.archived = archive(batch.plan, batch.ledger, archive_to)
    return report


def discard_batch(key: str) -> None:
    """Close a batch whose flow run never took it (Prefect failed to start): the lock must not stay held."""
    batch = _BATCHES.pop(key, None)
    if batch is not None:
        with batch.stack:
            if batch.runner is not None:
                batch.runner.close(stop=True)
