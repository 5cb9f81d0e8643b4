"""The batch as a Prefect flow: tasks that read the new or changed inbox files, then one write of the cumulative tables.

The library (flows/reading/pipeline.py, flows/tables/writer.py, flows/state/incremental.py) does the work; this
module only orchestrates, so a run without Prefect gives the same outputs (tests check that).

Where the per-file tasks run:
- default: every file is queued at once on a pool of killable worker processes (flows/reading/isolation.py); tasks
  of about CHUNK_FILES files each collect their outcomes (one task per file cost more in Prefect's state
  bookkeeping than reading a Word file does);
- `make_flow(dask_address="tcp://…")`: on an existing Dask cluster (prefect-dask). Each Dask worker
  process reads files itself; workers must have this package installed and see the inbox at the same path.
A file whose opening hits an OS error (a share that dropped for a moment) is retried; a file that is merely
bad never is: that is a finding, not a failure.
"""

from __future__ import annotations

import contextlib
import logging
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path

from prefect import Flow, flow, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.options import RunOptions
from flows.outcome import FileOutcome
from flows.reading.causes import PipelineBug, bug
from flows.reading.isolation import DEFAULT_WORKERS, IsolatedRunner
from flows.reading.limits import Limits
from flows.reading.pipeline import os_problem, precheck, process_file
from flows.staff.corrections import Corrections
from flows.state.incremental import CROPS_DIR, RunPlan, RunReport, archive, finish_run, plan_run
from flows.state.ledger import Ledger
from flows.state.runlock import RunLock
from flows.state.stability import DEFAULT_SETTLE_S
from schemas.findings import problem_finding
from schemas.validate import DEFAULT_MIN_CONFIDENCE

# One pool of killable workers per flow run; tasks find it by key (a pool is no task parameter:
# Prefect would try to hash and serialise it).
_RUNNERS: dict[str, IsolatedRunner] = {}
_QUEUED: dict[str, dict[str, Future]] = {}  # runner key -> {path: the pool's future for it}
log = logging.getLogger("intake")


# Set by the command line for an interactive run: called with (done, total) as files finish.
PROGRESS: Callable[[int, int], None] | None = None
IO_RETRIES = 2
# Files per Prefect task: each task run costs as much state bookkeeping as reading a Word file takes. On 200
# Word files (bench/README.md, the 2-core benchmark VM) Prefect cost 1.10x the library with 25 per task, 1.05x
# with 50, 1.00x with 100; 50 keeps a task per few seconds of scans for the Prefect UI.
CHUNK_FILES = 50
IO_RETRY_DELAYS = [2, 10]


def _retry_on_io(task, task_run, state) -> bool:  # noqa: ANN001 (Prefect's retry_condition_fn signature)
    """Retry only when opening the file failed at the OS level; any other failure is final."""
    try:
        exc = state.result(raise_on_failure=False)
    except Exception as raised:  # noqa: BLE001
        exc = raised
    return isinstance(exc, OSError)


def _probe(path: Path, inbox: Path) -> None:
    """Open the file once before reading it: an unreachable share raises OSError here, and is retried."""
    if precheck(path, inbox, Limits()) is None:  # never open a pipe or a link out of the inbox
        with open(path, "rb") as fh:
            fh.read(1)


@task(name="read-submissions", persist_result=False, cache_policy=NO_CACHE, log_prints=False)
def read_submissions(paths: list[str], inbox: str, runner_key: str) -> list[FileOutcome]:
    """One chunk of files: their outcomes, in order. The flow queued every file on the worker pool up front,
    so the pool never idles while Prefect records task states; chunks keep that bookkeeping per ~50 files
    instead of per file, which on Word files costs as much as reading them (bench/README.md)."""
    runner, queued = _RUNNERS[runner_key], _QUEUED[runner_key]
    return [_read_one(Path(path), Path(inbox), runner, queued.pop(path, None)) for path in paths]


def _read_one(path: Path, inbox: Path, runner: IsolatedRunner, future: Future | None) -> FileOutcome:
    """The file's outcome from the pool. Opening it is retried after IO_RETRY_DELAYS when the OS says no (a
    share that dropped for a moment); a file that is merely bad never is: that is a finding, not a failure."""
    for delay in [*IO_RETRY_DELAYS, None]:
        try:
            _probe(path, inbox)
            break
        except OSError as exc:
            if delay is None:
                log.warning("%s: still unreachable after %d retries: %s", path.name, len(IO_RETRY_DELAYS), exc)
                return _unreachable(path, inbox, exc)
            log.warning("%s: unreachable (%s), retrying in %ss", path.name, exc, delay)
            time.sleep(delay)
            future = None  # the worker may have met the same error: read it again now that it opens
    return runner.result(future or runner.submit(path, inbox), path, inbox)


def _unreachable(path: Path, inbox: Path, exc: Exception) -> FileOutcome:
    outcome = FileOutcome(path.relative_to(inbox).as_posix(), "")
    cause = os_problem(exc) if isinstance(exc, OSError) else bug(PipelineBug, exc)
    outcome.file_findings.append(problem_finding(cause))
    return outcome


def _queue_all(runner: IsolatedRunner, files: list[str], inbox: Path) -> dict[str, Future]:
    """Every file on the pool at once; progress is reported as workers finish files, whatever the tasks do.
    (Done-callbacks all run on the pool's one result thread, so the count needs no lock; a module-level lock
    would also stop Prefect from pickling this module's functions for served runs.)"""
    progress, done = PROGRESS, [0]

    def tick(_: Future) -> None:
        done[0] += 1
        if progress is not None:
            progress(min(done[0], len(files)), len(files))

    queued = {}
    for f in files:
        queued[f] = future = runner.submit(Path(f), inbox)
        future.add_done_callback(tick)
    return queued


def chunked(files: list[str], workers: int) -> list[list[str]]:
    """About CHUNK_FILES files per task, and at least one task per worker thread while there are files."""
    count = max(min(len(files), max(1, workers)), -(-len(files) // CHUNK_FILES))
    return [files[i::count] for i in range(count)] if files else []


@task(
    name="read-submission-on-worker",
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAYS,
    retry_condition_fn=_retry_on_io,
    persist_result=False,
    log_prints=False,
)
def read_on_worker(
    path: str,
    inbox: str,
    min_confidence: float,
    seconds_per_file: float | None,
    corrections: Corrections | None,
    crops_root: str = "",
    registry_dir: str = "",
) -> FileOutcome:
    """For Dask: the worker process is the isolation; no pool inside it."""
    _probe(Path(path), Path(inbox))
    limits = Limits.from_env(seconds_per_file=seconds_per_file)
    return process_file(
        Path(path), Path(inbox), min_confidence=min_confidence, limits=limits, corrections=corrections,
        crops_root=Path(crops_root) if crops_root else None, registry_dir=Path(registry_dir) if registry_dir else None,
    )  # fmt: skip


@dataclass
class Batch:
    """A run's lock, ledger and plan, with its files already queued on the worker pool (they are being read)."""

    key: str
    stack: contextlib.ExitStack  # closes the pool, the ledger and the lock, in that order
    ledger: Ledger
    plan: RunPlan
    runner: IsolatedRunner | None  # None: nothing to read, or the files go to Dask
    queued: dict[str, Future]  # path -> the pool's future for it


_BATCHES: dict[str, Batch] = {}  # key -> a batch opened before its flow run started (see `open_batch`)


def open_batch(stable: dict[str, tuple[int, int]] | None = None, **parameters: object) -> str:
    """Take the lock, plan the run and queue every file on the pool: workers start reading at once.

    `parameters`: the flow's (flows/options.py). Returns the key `intake_flow(prepared=key)` takes. A one-shot
    run calls this while Prefect's temporary server is still starting, so the reading overlaps the start-up
    (flows/run_once.py); a flow run without a key opens its own batch. Raises RunLocked when another run holds
    the output folder."""
    unknown = parameters.keys() - set(RunOptions.flow_parameter_names())
    if unknown:
        raise TypeError(f"open_batch() got parameters the flow does not take: {sorted(unknown)}")
    batch = _open_batch(RunOptions.from_flow(parameters), stable)
    _BATCHES[batch.key] = batch
    return batch.key


def _open_batch(options: RunOptions, stable: dict[str, tuple[int, int]] | None) -> Batch:
    in_dir, out_dir = options.inbox, options.outdir
    stack = contextlib.ExitStack()
    try:
        stack.enter_context(RunLock(out_dir, wait=options.wait_for_lock))
        ledger = stack.enter_context(Ledger(out_dir))
        plan = plan_run(
            in_dir, out_dir, ledger, min_confidence=options.min_confidence, full=options.full,
            settle_s=options.settle_s, stable=stable, limits=options.limits(), registry=options.registry,
        )  # fmt: skip
        runner, queued = None, {}
        files = [str(w.path) for w in plan.todo]
        if files and not options.dask_address:
            runner = stack.enter_context(options.worker_pool(plan.corrections, out_dir / CROPS_DIR))
            queued = _queue_all(runner, files, in_dir)
    except BaseException:
        stack.close()
        raise
    return Batch(uuid.uuid4().hex, stack, ledger, plan, runner, queued)


def discard_batch(key: str) -> None:
    """Close a batch whose flow run never took it (Prefect failed to start): the lock must not stay held."""
    batch = _BATCHES.pop(key, None)
    if batch is not None:
        with batch.stack:
            if batch.runner is not None:
                batch.runner.close(stop=True)


@flow(name="submission-intake", task_runner=ThreadPoolTaskRunner(max_workers=2), persist_result=False)
def intake_flow(
    inbox: str,
    outdir: str,
    min_confidence: float = DEFAULT_MIN_CONFIDENCE,
    workers: int = DEFAULT_WORKERS,
    seconds_per_file: float | None = None,
    log_file: str | None = None,
    full: bool = False,
    settle_s: float = DEFAULT_SETTLE_S,
    wait_for_lock: bool = False,
    archive_to: str = "",
    stable: dict[str, tuple[int, int]] | None = None,
    dask_address: str = "",
    registry: str | None = None,
    announce: bool = False,
    prepared: str = "",
) -> RunReport:
    """Incremental run (flows/state/incremental.py): only new or changed files are read.

    The parameters up to `registry` are the run's options (flows/options.py, which tests hold to this
    signature); `stable` comes from a watch loop, `announce` from served and watched runs, and `prepared` is the
    key of a batch `open_batch` opened before this flow run started (one-shot runs)."""
    options = RunOptions.from_flow(locals())
    in_dir, out_dir = options.inbox, options.outdir
    _log_to(log_file)
    # the prepared batch is looked up here, in the flow, not in open_batch: a served flow run loads this
    # module as dynamic code, where a helper function may not share the flow's module globals
    batch = _BATCHES.pop(prepared) if prepared else _open_batch(options, stable)
    key = batch.key
    with batch.stack:
        files = [str(w.path) for w in batch.plan.todo]
        if not files:
            outcomes: list[FileOutcome] = []
        elif batch.runner is None:  # Dask
            futures = read_on_worker.map(
                files, inbox=inbox, min_confidence=min_confidence, seconds_per_file=seconds_per_file,
                corrections=unmapped(batch.plan.corrections), crops_root=str(out_dir / CROPS_DIR),
                registry_dir=str(batch.plan.registry_dir or ""),
            )  # fmt: skip
            outcomes = _gather(futures, files, in_dir)
        else:
            _RUNNERS[key], _QUEUED[key] = batch.runner, batch.queued
            try:
                chunks = chunked(files, workers)
                futures = read_submissions.map(chunks, inbox=inbox, runner_key=key)
                outcomes = _gather_chunks(futures, chunks, files, in_dir)
            finally:
                _RUNNERS.pop(key, None)
                _QUEUED.pop(key, None)
            batch.runner.close()  # free the workers (an OCR model each) before writing
        report = finish_run(batch.plan, batch.ledger, outcomes)
        if archive_to:
            report.archived = archive(batch.plan, batch.ledger, Path(archive_to))
    if announce:  # served and watched runs: one line on the console of `intake serve` / `intake watch`
        print(report.one_line(), flush=True)
    return report


def _log_to(log_file: str | None) -> None:
    """A served run executes in a fresh process: keep its log in the output folder's log file too."""
    if not log_file:
        return
    target = str(Path(log_file).absolute())
    logger = logging.getLogger("intake")
    if any(getattr(h, "baseFilename", None) == target for h in logger.handlers):
        return  # the command line already routes this process's logs there
    handler = logging.FileHandler(target, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"))
    for name in ("intake", "prefect"):
        logging.getLogger(name).addHandler(handler)
    logger.setLevel(logging.INFO)


def _gather(futures, files: list[str], inbox: Path) -> list[FileOutcome]:  # noqa: ANN001
    """Outcomes in file order, reporting progress as tasks finish; a task that failed for good
    (its file unreachable after the retries) becomes an unreadable_file outcome (internal_error for a bug), not a
    failed batch."""
    position = {id(f): i for i, f in enumerate(futures)}
    outcomes: list[FileOutcome | None] = [None] * len(files)
    for done, future in enumerate(as_completed(list(futures)), 1):
        i = position[id(future)]
        try:
            outcomes[i] = future.result()
        except Exception as exc:  # noqa: BLE001
            outcomes[i] = _unreachable(Path(files[i]), inbox, exc)
        if PROGRESS is not None:
            PROGRESS(done, len(files))
    return [o for o in outcomes if o is not None]


def _gather_chunks(futures, chunks: list[list[str]], files: list[str], inbox: Path) -> list[FileOutcome]:  # noqa: ANN001
    """Every chunk's outcomes, back in the order the files were planned (chunks interleave them). A chunk
    task that failed outright (a bug, not a file) still leaves one internal_error row per file."""
    by_path: dict[str, FileOutcome] = {}
    for chunk, future in zip(chunks, futures, strict=True):
        try:
            results = future.result()
        except Exception as exc:  # noqa: BLE001
            log.error("a chunk of %d files failed: %s: %s", len(chunk), type(exc).__name__, exc)
            results = [_unreachable(Path(p), inbox, exc) for p in chunk]
        by_path.update(zip(chunk, results, strict=True))
    return [by_path[f] for f in files]


def make_flow(workers: int = DEFAULT_WORKERS, dask_address: str = "") -> Flow:
    """The flow with the task runner a run asks for: one thread per worker process, or a Dask cluster."""
    if dask_address:
        from prefect_dask import DaskTaskRunner  # optional extra (pip install .[dask]): only --dask-address needs it

        return intake_flow.with_options(task_runner=DaskTaskRunner(address=dask_address))
    # one thread per worker process: each task only waits for its file's worker
    return intake_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=max(1, workers)))
