"""The batch as a Prefect flow: tasks that read the new or changed inbox files, then one write of the cumulative tables.

The library (flows/reading/pipeline.py, flows/tables/writer.py, flows/state/incremental.py) does the work; this
module only orchestrates, so a run without Prefect gives the same outputs (tests check that).

Where the files are read:
- default: `read-files` tasks of about CHUNK_FILES files each hand their files to the run's pool of killable
  worker processes (flows/reading/isolation.py) and wait for them, so Prefect's UI shows each task with its
  files, its log lines (`get_run_logger`), its state and duration, and its retries (one task per file cost more
  in Prefect's state bookkeeping than reading a Word file does);
- `make_flow(dask_address="tcp://…")`: on an existing Dask cluster (prefect-dask). Each Dask worker
  process reads files itself; workers must have this package installed and see the inbox at the same path.
A file whose opening hits an OS error (a share that dropped for a moment) fails its task, which Prefect retries
(`retries`, `retry_delay_seconds`); a file that is merely bad never does: that is a finding, not a failure.
The run ends with two artifacts (flows/artifacts.py): counts per form and status, and the problems by code.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from prefect import Flow, flow, get_run_logger, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.runtime import task_run as current_task_run
from prefect.task_runners import ThreadPoolTaskRunner

from flows.artifacts import publish_summary
from flows.batch import Batch, new_batch, take_batch
from flows.options import RunOptions
from flows.outcome import FileOutcome
from flows.reading.causes import PipelineBug, bug
from flows.reading.isolation import DEFAULT_WORKERS, IsolatedRunner
from flows.reading.limits import Limits
from flows.reading.pipeline import os_problem, precheck, process_file
from flows.staff.corrections import Corrections
from flows.state.incremental import CROPS_DIR, RunReport, archive, finish_run
from flows.state.stability import DEFAULT_SETTLE_S
from schemas.findings import problem_finding
from schemas.validate import DEFAULT_MIN_CONFIDENCE

# Set by the command line for an interactive run: called with (done, total) as files finish.
PROGRESS: Callable[[int, int], None] | None = None
IO_RETRIES = 2
IO_RETRY_DELAYS = [2, 10]
# Files per Prefect task: each task run costs as much state bookkeeping as reading a Word file takes. On 200
# Word files (bench/README.md, the 2-core benchmark VM) Prefect cost 1.10x the library with 25 per task, 1.05x
# with 50, 1.00x with 100; 50 keeps a task per few seconds of scans for the Prefect UI.
CHUNK_FILES = 50
# A task's per-file lines go to the Prefect API at most this often, as one log entry: one entry per Word file
# kept the server (on the same 2 cores as the workers) busy storing log rows while the workers read
LOG_EVERY_S = 2.0


@dataclass
class _Reading:
    """What the read-files tasks of one flow run share: the batch's worker pool, the outcomes read so far (a
    retried task reads only the files it could not open before), and the progress count. Found by key: a pool is
    no task parameter (Prefect would try to hash and serialise it)."""

    runner: IsolatedRunner
    total: int
    done: dict[str, FileOutcome] = field(default_factory=dict)
    queued: list[Future] = field(default_factory=list)  # cancelled when the run is interrupted
    finished: itertools.count = field(default_factory=lambda: itertools.count(1))


_READING: dict[str, _Reading] = {}


def _retry_on_io(task, task_run, state) -> bool:  # noqa: ANN001 (Prefect's retry_condition_fn signature)
    """Retry only when opening a file failed at the OS level (a share that dropped); any other failure is final."""
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


class FilesUnreachable(OSError):
    """Some files of a chunk could not be opened: the task fails and Prefect retries it (`_retry_on_io`)."""


@task(
    name="read-files",
    task_run_name="read-files-{label}",
    retries=IO_RETRIES,
    retry_delay_seconds=IO_RETRY_DELAYS,
    retry_condition_fn=_retry_on_io,
    persist_result=False,
    cache_policy=NO_CACHE,
    log_prints=False,
)
def read_files(paths: list[str], inbox: str, reading_key: str, label: str = "") -> list[FileOutcome]:
    """One chunk of files read on the run's killable workers; their outcomes, in order.

    A file the OS would not open (a share that dropped for a moment) fails the task, which Prefect retries after
    IO_RETRY_DELAYS, reading only what is still missing; on the last try it becomes an unreadable_file row. A file
    that is merely bad never fails the task: that is a finding, not a failure."""
    logger = get_run_logger()
    reading, in_dir = _READING[reading_key], Path(inbox)
    unreachable: dict[str, OSError] = {}
    queued = []
    for path in (p for p in paths if p not in reading.done):
        try:
            _probe(Path(path), in_dir)
        except OSError as exc:
            unreachable[path] = exc
            continue
        queued.append((path, reading.runner.submit(Path(path), in_dir)))
        reading.queued.append(queued[-1][1])
    lines, last_sent = [], time.monotonic()
    for path, future in queued:
        outcome = reading.done[path] = reading.runner.result(future, Path(path), in_dir)
        lines.append(_described(outcome))
        _tick(reading)
        if time.monotonic() - last_sent >= LOG_EVERY_S:  # a scan each time; Word files a few dozen per line
            logger.info("%s", "\n".join(lines))
            lines, last_sent = [], time.monotonic()
    if lines:
        logger.info("%s", "\n".join(lines))
    if unreachable:
        names = "、".join(Path(p).name for p in unreachable)
        if current_task_run.run_count <= IO_RETRIES:  # Prefect retries the task (retry_delay_seconds)
            first_reason = next(iter(unreachable.values()))
            logger.warning("无法打开 %d 个文件（%s），稍后重试：%s", len(unreachable), names, first_reason)
            raise FilesUnreachable(f"{len(unreachable)} files could not be opened: {names}")
        logger.warning("重试 %d 次后仍无法打开：%s", IO_RETRIES, names)
        for path, exc in unreachable.items():
            reading.done[path] = _unreachable(Path(path), in_dir, exc)
            _tick(reading)
    return [reading.done[p] for p in paths]


def _tick(reading: _Reading) -> None:
    done = next(reading.finished)
    if PROGRESS is not None:
        PROGRESS(min(done, reading.total), reading.total)


def _described(outcome: FileOutcome) -> str:
    """One log line per file, for the Prefect UI and the log file."""
    codes = sorted({f.code for f in outcome.findings})
    what = outcome.form_type or "未识别"
    problems = f"问题 {'、'.join(codes)}" if codes else "无问题"
    return f"{outcome.source_file}：{what}，{problems}（{outcome.seconds:.1f} 秒）"


def _unreachable(path: Path, inbox: Path, exc: Exception) -> FileOutcome:
    outcome = FileOutcome(path.relative_to(inbox).as_posix(), "")
    cause = os_problem(exc) if isinstance(exc, OSError) else bug(PipelineBug, exc)
    outcome.file_findings.append(problem_finding(cause))
    return outcome


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
    batch = take_batch(prepared) if prepared else new_batch(options, stable)
    logger = get_run_logger()
    with batch.stack:
        files = batch.files
        logger.info("本次需读取 %d 个文件（新 %d，改动 %d，未变 %d）", len(files), batch.plan.new, batch.plan.changed,
                    batch.plan.unchanged)  # fmt: skip
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
            outcomes = _read_chunks(batch, files, inbox, workers)
        report = finish_run(batch.plan, batch.ledger, outcomes)
        if archive_to:
            report.archived = archive(batch.plan, batch.ledger, Path(archive_to))
        publish_summary(out_dir, [rec.load_outcome() for rec in batch.plan.live], report)
    logger.info("%s", report.one_line())
    if announce:  # served and watched runs: one line on the console of `intake serve` / `intake watch`
        print(f"[{datetime.now():%Y-%m-%d %H:%M:%S}] {report.one_line()}", flush=True)
    return report


def _read_chunks(batch: Batch, files: list[str], inbox: str, workers: int) -> list[FileOutcome]:
    """The files as read-files tasks of about CHUNK_FILES each, on the batch's worker pool."""
    assert batch.runner is not None
    _READING[batch.key] = reading = _Reading(batch.runner, len(files))
    try:
        chunks = chunked(files, workers)
        labels = [f"{i + 1}-of-{len(chunks)}" for i in range(len(chunks))]
        futures = read_files.map(chunks, inbox=inbox, reading_key=batch.key, label=labels)
        outcomes = _gather_chunks(futures, chunks, files, Path(inbox))
    except BaseException:
        # Ctrl-C (flows/interrupt.py): the task threads wait on these; stopping the pool alone leaves them
        # waiting, and Prefect's task runner joins those threads before the flow run can end
        for future in list(reading.queued):
            future.cancel()
        raise
    finally:
        _READING.pop(batch.key, None)
    batch.runner.close()  # free the workers (an OCR model each) before writing
    return outcomes


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
            get_run_logger().error("a chunk of %d files failed: %s: %s", len(chunk), type(exc).__name__, exc)
            results = [_unreachable(Path(p), inbox, exc) for p in chunk]
        by_path.update(zip(chunk, results, strict=True))
    return [by_path[f] for f in files]


def make_flow(workers: int = DEFAULT_WORKERS, dask_address: str = "") -> Flow:
    """The flow with the task runner a run asks for: one thread per worker process, or a Dask cluster."""
    if dask_address:
        from prefect_dask import DaskTaskRunner  # optional extra (pip install .[dask]): only --dask-address needs it

        return intake_flow.with_options(task_runner=DaskTaskRunner(address=dask_address))
    # a thread per worker process, each task waiting for its files' workers, and one more whose task queues its
    # files before the others finish, so no worker idles between chunks; in-process reading (workers=0): one
    return intake_flow.with_options(task_runner=ThreadPoolTaskRunner(max_workers=workers + 1 if workers else 1))
