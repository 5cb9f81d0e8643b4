"""Per-file work in worker processes that can be killed, so one bad file costs one row, not the batch.

A parser that loops on a hostile PDF, an OCR call that never returns, a segfault in a C library or
a worker the kernel kills for memory: each becomes an `unreadable_file` FileOutcome saying what
happened and what to do (a bug in the pipeline itself: `internal_error`), the pool (pebble's ProcessPool)
starts a fresh worker, and the batch goes on.

    with IsolatedRunner(workers=2, limits=Limits.from_env()) as runner:
        outcomes = runner.process_all(discover(inbox), inbox)

Workers are forked from a `forkserver` (a clean single-threaded process that has imported the
pipeline once), not from the caller: the caller may be Prefect with its threads and event loop, and
forking a threaded process can deadlock the child. Each worker reads at most `TASKS_PER_WORKER`
files before it is replaced, which bounds slow memory growth in parsers and the OCR runtime.

What one file may cost (flows/reading/budget.py): each worker's writable memory is capped at
`Limits.max_worker_memory_mb` (RLIMIT_DATA, 1280 MB by default), and each file gets `Limits.seconds_per_file`
CPU seconds (RLIMIT_CPU, moved before every file), and `Limits.wall_seconds_per_file` of wall time less the
time it waited for a CPU (budget.QuietClockWatch). Each stops a file with a row saying which limit of this
computer it reached; none depends on how busy the machine is. The pool's own wall-clock timeout
(`Limits.backstop_seconds_per_file`) is the last resort for a worker that cannot take a signal.
"""

from __future__ import annotations

import atexit
import ctypes
import ctypes.util
import logging
import multiprocessing
import multiprocessing.forkserver
import multiprocessing.resource_tracker
import multiprocessing.util
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from pathlib import Path
from types import FrameType

from pebble import ProcessExpired, ProcessPool

from extractors.errors import IntakeError
from flows.outcome import FileOutcome
from flows.reading import budget
from flows.reading.causes import (
    MemoryLimit,
    OutOfMemory,
    PipelineBug,
    WorkerCrashed,
    WorkerKilled,
    WorkerTimeout,
    bug,
)
from flows.reading.limits import Limits
from flows.reading.pipeline import file_sha256, process_file
from schemas.findings import problem_finding
from schemas.validate import DEFAULT_MIN_CONFIDENCE

log = logging.getLogger("intake")

DEFAULT_WORKERS = 2
# A fresh worker costs more than a Word file (bench/README.md): recycle rarely, just often enough that a
# leak in a parser or the OCR runtime cannot grow without bound over a long batch.
TASKS_PER_WORKER = 200
# Imported once in the fork server, so each worker starts with the parsers, schemas and registry loaded.
CHILD_STDERR_ENV = "INTAKE_CHILD_STDERR"  # the run's log file, for the fork server's stderr
_PRELOAD = [
    "flows.reading.pipeline",
    "extractors.docx",
    "extractors.pdf",
    "extractors.triage",
    "schemas.validate",
    "flows.reading.warm",
    "flows.reading.child_stderr",  # last: a failed import above still reaches the terminal
]

# the {reason} of WorkerCrashed (schemas/messages.yaml: worker_crashed)
_SIGNAL_NAMES = {
    signal.SIGSEGV: "段错误",
    signal.SIGABRT: "异常中止",
    signal.SIGBUS: "总线错误",
    signal.SIGFPE: "运算错误",
}

Work = Callable[..., FileOutcome]  # process_file's signature: (path, inbox, *, min_confidence, limits)


# ------------------------------------------------------------------------------------------ worker side


class _Stop(BaseException):
    """Raised in a busy worker on SIGTERM so `finally`/`except BaseException` blocks run (e.g. the
    legacy converter kills its LibreOffice process group) before the worker exits."""


_busy = False
_memory_capped_mb = 0  # the ceiling this worker runs under (0: none), to name it when an allocation fails
_quiet_clock: budget.QuietClockWatch | None = None


def _on_sigxcpu(signum: int, frame: FrameType | None) -> None:
    global _busy
    if _busy:  # a late signal after the file ended has nothing to stop; the kernel repeats SIGXCPU each second
        _busy = False
        raise budget.OverBudget()


def _on_sigalrm(signum: int, frame: FrameType | None) -> None:
    global _busy
    if _busy:
        _busy = False
        raise budget.QuietTimeSpent()


def _on_sigterm(signum: int, frame: object) -> None:
    if _busy:
        raise _Stop()
    multiprocessing.util._exit_function()  # what pebble's own handler does before exiting
    os._exit(128 + signum)


def _die_with_the_fork_server() -> None:
    """Have the kernel SIGKILL this worker when its parent, the fork server, exits (Linux `PR_SET_PDEATHSIG`).

    The fork server exits as soon as the run does (its "alive" pipe closes), so a run killed by SIGKILL on its pid
    alone, not its process group, leaves no worker reading on for minutes (issue 18)."""
    # A forked child keeps the run's end of the fork server's "alive" pipe (so that it could start processes
    # itself): a worker holding it keeps the fork server up after the run dies. Workers start none: let it go.
    server = multiprocessing.forkserver._forkserver
    alive_fd = getattr(server, "_forkserver_alive_fd", None)  # private; without it nothing changes
    if alive_fd is not None:
        os.close(alive_fd)
        server._forkserver_alive_fd = None
    parent = os.getppid()
    if _LIBC is None or not hasattr(_LIBC, "prctl"):
        return
    _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # the fork server went before the request took
        os._exit(1)


def _init_worker(limits: Limits, log_file: str | None, ocr_threads: int, explicit: bool) -> None:
    limits.apply_to_pillow()
    # N workers each running onnxruntime on every core would fight over the CPUs; an INTAKE_OCR_THREADS the
    # user set wins over that default, a count the caller gave wins over both
    if explicit:
        os.environ["INTAKE_OCR_THREADS"] = str(ocr_threads)
    else:
        os.environ.setdefault("INTAKE_OCR_THREADS", str(ocr_threads))
    if log_file:  # the fork server is a fresh interpreter: route warnings and tracebacks to the run's log
        logging.basicConfig(
            filename=log_file, level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s[%(process)d]: %(message)s"
        )
        logging.captureWarnings(True)
    _die_with_the_fork_server()
    global _memory_capped_mb, _quiet_clock
    _memory_capped_mb = limits.max_worker_memory_mb if budget.cap_memory(limits.max_worker_memory_mb) else 0
    budget.install_cpu_handler(_on_sigxcpu)
    signal.signal(signal.SIGALRM, _on_sigalrm)
    signal.signal(signal.SIGTERM, _on_sigterm)
    _quiet_clock = budget.QuietClockWatch()
    _quiet_clock.start()


def _run_one(work: Work, path: Path, inbox: Path, kwargs: dict) -> FileOutcome:
    global _busy
    limits: Limits = kwargs["limits"]
    seconds, quiet_s = limits.seconds_per_file, limits.wall_seconds_per_file
    _busy = True
    budget.start_cpu_budget(seconds)
    if _quiet_clock is not None:
        _quiet_clock.begin(quiet_s)
    outcome: FileOutcome | None = None
    peak_before_mb: float | None = None
    if _memory_capped_mb:  # only a ceiling needs to know whether this file drove the peak
        budget.reset_peak_rss()
        peak_before_mb = budget.peak_rss_mb()
    try:
        outcome = work(path, inbox, **kwargs)
    except MemoryError:
        # Leave the except clause first: its traceback holds the frames that hold the memory, and sending the
        # exception back to the parent needs memory too (under the ceiling the worker then died with exit code 1).
        pass
    except _Stop:
        os._exit(128 + signal.SIGTERM)
    except budget.OverBudget:
        log.warning("%s: CPU budget of %gs spent, file stopped", path.name, seconds)
        return budget.over_budget(_failed(path, inbox, None), seconds)
    except budget.QuietTimeSpent:
        log.warning("%s: no result after %gs (time waiting for a CPU left out), file stopped", path.name, quiet_s)
        return _failed(path, inbox, WorkerTimeout(f"timeout {quiet_s:.0f}s", seconds=quiet_s), quiet_s)
    finally:
        _busy = False
        if _quiet_clock is not None:
            _quiet_clock.end()
        budget.stop_cpu_budget()
        _give_back_memory()
    if outcome is None:  # MemoryError, its frames now released
        return _failed(path, inbox, _memory_cause(_memory_capped_mb))
    return budget.blame_the_ceiling(outcome, _memory_capped_mb, peak_before_mb) if _memory_capped_mb else outcome


def _memory_cause(capped_mb: int | None) -> IntakeError:
    """A file that ran out of memory: our ceiling's, when one was set, else the machine's."""
    return MemoryLimit("MemoryError", limit_mb=capped_mb) if capped_mb else OutOfMemory("MemoryError")


def _give_back_memory() -> None:
    """Return the heap a file freed to the OS. glibc keeps freed memory for reuse, so after one scan a worker
    would go on holding it while it reads Word files; with two workers that decided whether the 300-file
    benchmark batch fitted in 2 GB (bench/README.md, "Memory")."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc() -> ctypes.CDLL | None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None  # glibc only (not musl, not macOS)
    except OSError:
        return None


_LIBC = _load_libc()
_PR_SET_PDEATHSIG = 1  # <sys/prctl.h>


# ------------------------------------------------------------------------------------------ caller side


def _failed(path: Path, inbox: Path, cause: IntakeError | None, seconds: float = 0.0) -> FileOutcome:
    rel = path.relative_to(inbox).as_posix()
    try:
        sid = file_sha256(path)[:16]  # the file was read by the worker, so it is a regular file
    except OSError:
        sid = ""
    outcome = FileOutcome(rel, sid, seconds=seconds)
    if cause is not None:
        outcome.file_findings.append(problem_finding(cause))
    return outcome


def _stop_helper_processes() -> None:
    """Stop the fork server and multiprocessing's resource tracker, and wait for them.

    Left alone they notice the caller is gone only after it has exited: they outlive `intake run`, and under a
    parent that does not reap (a container's PID 1 without --init) they stay as zombies (issue 18). `_stop` is
    private (CPython's own tests use it, present since 3.8); where it is missing they exit on their own, as before.
    """
    for helper in (multiprocessing.forkserver._forkserver, multiprocessing.resource_tracker._resource_tracker):
        stop = getattr(helper, "_stop", None)
        try:
            if stop is not None:
                stop()
        except (OSError, TypeError, ValueError, ChildProcessError):  # not started by this process
            continue


_helpers_stopped_at_exit = False


class IsolatedRunner:
    """`process(path, inbox)` / `process_all(paths, inbox)` in killable workers; `workers=0` runs in-process
    (no isolation: for debugging only)."""

    def __init__(
        self,
        workers: int = DEFAULT_WORKERS,
        limits: Limits | None = None,
        *,
        min_confidence: float = DEFAULT_MIN_CONFIDENCE,
        log_file: Path | None = None,
        work: Work = process_file,
        tasks_per_worker: int = TASKS_PER_WORKER,
        ocr_threads: int | None = None,
    ) -> None:
        self.limits = limits or Limits.from_env()
        self.workers = max(0, workers)
        self.work = work
        self.kwargs = {"min_confidence": min_confidence, "limits": self.limits}
        self.limits.apply_to_pillow()
        self._pool: ProcessPool | None = None
        if self.workers:
            global _helpers_stopped_at_exit
            if not _helpers_stopped_at_exit:  # once per process, by the process that starts the fork server
                atexit.register(_stop_helper_processes)
                _helpers_stopped_at_exit = True
            if log_file:  # read once, by the fork server when it starts (flows/reading/child_stderr.py)
                os.environ[CHILD_STDERR_ENV] = str(log_file)
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(_PRELOAD)
            threads = ocr_threads or max(1, (os.cpu_count() or 1) // self.workers)
            self._pool = ProcessPool(
                max_workers=self.workers,
                max_tasks=tasks_per_worker,
                initializer=_init_worker,
                initargs=(self.limits, str(log_file) if log_file else None, threads, ocr_threads is not None),
                context=context,
            )

    def submit(self, path: Path, inbox: Path) -> Future:
        if self._pool is None:
            future: Future = Future()
            try:
                future.set_result(self.work(path, inbox, **self.kwargs))
            except Exception as exc:
                future.set_exception(exc)
            return future
        return self._pool.schedule(
            _run_one, args=(self.work, path, inbox, self.kwargs), timeout=self.limits.backstop_seconds_per_file
        )

    def result(self, future: Future, path: Path, inbox: Path) -> FileOutcome:
        """The file's outcome; a worker that timed out, died or raised becomes an unreadable_file one."""
        limit = self.limits.backstop_seconds_per_file
        rel = path.relative_to(inbox).as_posix()
        try:
            return future.result()
        except TimeoutError:
            log.warning("%s: timed out after %.0fs, worker killed", rel, limit)
            return _failed(path, inbox, WorkerTimeout(f"timeout {limit:.0f}s", seconds=limit), limit)
        except ProcessExpired as exc:
            code = exc.exitcode
            log.warning("%s: worker died with exit code %s", rel, code)
            if code == -signal.SIGKILL:
                return _failed(path, inbox, WorkerKilled(f"worker killed (SIGKILL), exit code {code}"))
            reason = _SIGNAL_NAMES.get(-code if code and code < 0 else 0, f"退出码{code}")
            return _failed(path, inbox, WorkerCrashed(f"worker died, exit code {code}", reason=reason))
        except MemoryError:
            return _failed(path, inbox, _memory_cause(self.limits.max_worker_memory_mb))
        except Exception as exc:  # a bug in the pipeline itself: still one file, not the batch
            log.error("%s: %s: %s", rel, type(exc).__name__, exc)
            return _failed(path, inbox, bug(PipelineBug, exc))

    def process(self, path: Path, inbox: Path) -> FileOutcome:
        return self.result(self.submit(path, inbox), path, inbox)

    def process_all(self, paths: Iterable[Path], inbox: Path) -> list[FileOutcome]:
        """Every file queued at once (the workers take them in turn); outcomes in the order given."""
        queued = [(path, self.submit(path, inbox)) for path in paths]
        return [self.result(future, path, inbox) for path, future in queued]

    def close(self, stop: bool = False) -> None:
        """Wait for the workers to finish their files and exit; `stop`: kill them without waiting."""
        if self._pool is not None:
            self._pool.stop() if stop else self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> IsolatedRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(stop=exc[0] is not None)  # interrupted: do not wait for queued files
