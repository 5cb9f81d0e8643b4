"""One incremental run, as every `intake run` (and each watched run) does it: through Prefect or without.

Without Prefect (`--no-prefect`): `run_incremental` (flows/state/incremental.py) with the files read in the
run's killable worker pool (`pooled`). With Prefect: first the batch (flows/batch.py: lock, ledger, plan) is
opened without Prefect; with nothing to read the run is recorded at once and no server is started (a re-run
with nothing new costs what a --no-prefect one does). Otherwise a local Prefect server is started
(flows/prefect_server.py) while the worker pool starts, and the flow (flows/intake_flow.py) reads the files in
its tasks. Both give the same outputs.
"""

from __future__ import annotations

import os
from pathlib import Path

from flows.batch import discard_batch, finish_without_reading, open_batch, peek_batch
from flows.options import RunOptions
from flows.outcome import FileOutcome
from flows.prefect_server import LocalServer, prefect_api, use_prefect_home
from flows.quiet import reattach
from flows.staff.corrections import Corrections
from flows.state.incremental import Process, Progress, RunReport, run_incremental


def run_once(
    opts: RunOptions, stable: dict[str, tuple[int, int]] | None = None, progress: Progress | None = None
) -> RunReport:
    """One incremental run, with Prefect or without; returns the RunReport. Raises RunLocked when busy."""
    if opts.prefect:
        return _with_prefect(opts, stable, progress)
    return run_incremental(
        opts.inbox,
        opts.outdir,
        min_confidence=opts.min_confidence,
        full=opts.full,
        settle_s=opts.settle_s,
        stable=stable,
        process=pooled(opts, progress),
        wait=opts.wait_for_lock,
        archive_to=opts.archive_to,
        registry=opts.registry,
    )


def _with_prefect(opts: RunOptions, stable: dict[str, tuple[int, int]] | None, progress: Progress | None) -> RunReport:
    key = open_batch(**opts.flow_parameters(), stable=stable)  # the lock, the plan, the pool: no Prefect yet
    try:
        if not peek_batch(key).files:
            return finish_without_reading(key, opts.archive_to)
        use_prefect_home(opts.outdir)  # before Prefect's first import (a no-op for a watch, which did it already)
        # the server starts in its own process while this one imports Prefect and the flow
        server = None if os.environ.get("PREFECT_API_URL") else LocalServer(opts.log_file)
        # the Prefect flow: importing it imports Prefect, which a run with nothing to read never needs
        import flows.intake_flow as intake_flow_module

        if opts.log_file:
            reattach(opts.log_file)  # Prefect set up its logging on import: route it to the run's log again
        intake_flow_module.PROGRESS = progress
        try:
            with prefect_api(opts.log_file, server):
                flow = intake_flow_module.make_flow(opts.workers, opts.dask_address)
                return flow(**opts.flow_parameters(), stable=stable, prepared=key)
        finally:
            intake_flow_module.PROGRESS = None
    finally:
        discard_batch(key)  # only if the flow run never took it


def pooled(opts: RunOptions, progress: Progress | None = None) -> Process:
    """Files through the run's killable worker pool (flows/reading/isolation.py), started only when there is work."""

    def process(
        paths: list[Path], inbox: Path, corrections: Corrections | None = None, crops_root: Path | None = None
    ) -> list[FileOutcome]:
        if not paths:
            return []
        with opts.worker_pool(corrections, crops_root) as pool:
            queued = [(p, pool.submit(p, inbox)) for p in paths]
            outcomes = []
            for i, (path, future) in enumerate(queued, 1):
                outcomes.append(pool.result(future, path, inbox))
                if progress:
                    progress(i, len(paths))
            return outcomes

    return process
