"""One incremental run, as every `intake run` (and each watched run) does it: through Prefect or without.

Without Prefect (`--no-prefect`): `run_incremental` (flows/state/incremental.py) with the files read in the
run's killable worker pool (`pooled`). With Prefect: the flow (flows/intake_flow.py) does the same steps as tasks;
on Prefect's temporary server the files are queued on the workers before the flow run starts, so reading overlaps
the server's start-up (flows/prefect_server.py). Both give the same outputs.
"""

from __future__ import annotations

from pathlib import Path

from flows.options import RunOptions
from flows.outcome import FileOutcome
from flows.prefect_server import one_shot_settings, prefect_api, start_temporary_server
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
    # the Prefect flow: importing it imports Prefect, which flows/quiet.py must have routed first and which a
    # --no-prefect run never needs
    import flows.intake_flow as intake_flow_module

    intake_flow_module.PROGRESS = progress
    try:
        if opts.dask_address:
            # Dask workers report their task runs to the Prefect API themselves; with no server they each
            # start a temporary one, which on a busy machine times out. Give them a real server to talk to.
            with prefect_api(opts.outdir / "state", opts.log_file):
                flow = intake_flow_module.make_flow(opts.workers, opts.dask_address)
                return flow(**opts.flow_parameters(), stable=stable)
        with one_shot_settings() as temporary:
            # With Prefect's temporary server, start it in the background and read meanwhile: the files
            # are queued on the workers before the flow run begins, and the flow run collects them.
            server = start_temporary_server() if temporary else None
            key = intake_flow_module.open_batch(**opts.flow_parameters(), stable=stable)
            try:
                if server is not None:
                    server.wait()
                flow = intake_flow_module.make_flow(opts.workers)
                return flow(**opts.flow_parameters(), stable=stable, prepared=key)
            finally:
                intake_flow_module.discard_batch(key)  # only if the flow run never took it
    finally:
        intake_flow_module.PROGRESS = None


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
