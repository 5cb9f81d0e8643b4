"""What one file may cost a worker process: a memory ceiling and a CPU-time budget (issue 18, items 3 and 8).

Both are set inside the worker (flows/reading/isolation.py) and are the same on a quiet and on a busy machine:

- Memory: `RLIMIT_DATA` (Linux ≥ 4.7: heap, anonymous and other private writable mappings), not `RLIMIT_AS`.
  `RLIMIT_AS` counts address space that is only reserved: glibc reserves 64 MB per malloc arena (one per
  thread, up to 8 per core) and onnxruntime maps its library and thread pool, so an OCR worker whose
  resident peak is 0.6 GB reaches 1.3–1.65 GB of address space and breaks under a 1280 MB `RLIMIT_AS`.
  Reservations are `PROT_NONE` and do not count towards `RLIMIT_DATA`. Measured on the 2-core development
  VM (tests/test_worker_budget.py and the issue 18 report): the sample scans read under `RLIMIT_DATA` 1024 MB
  with 1 and with 16 OCR threads (resident peaks 0.51–0.66 GB); 768 MB fails. An allocation past the ceiling
  fails at once (MemoryError, std::bad_alloc, "Failed to allocate"): it never reaches the machine, unlike a
  watchdog sampling RSS, which a single large allocation outruns.
- CPU time: `RLIMIT_CPU`'s soft limit, moved to "CPU used so far + budget" before each file. Past it the
  kernel sends SIGXCPU and the file stops with a time-limit outcome. CPU seconds do not stretch when other
  programs share the cores, so the same file gets the same outcome under load.
- Waiting without computing (a stalled share, a helper program that never answers) is bounded by a
  "quiet clock": wall time less the time this process's threads spent runnable but waiting for a CPU
  (`/proc/self/task/*/schedstat`). On a quiet machine it is the wall clock; on a busy one it leaves out
  what the other programs took. `QuietClockWatch` sends SIGALRM when a file's quiet time passes its limit.
  Where schedstat is missing it is the wall clock. The pool keeps a far wall-clock backstop for a worker
  that cannot even take a signal.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
import resource
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import FrameType

from flows.outcome import FileOutcome
from flows.reading.causes import CpuBudgetSpent, MemoryLimit
from schemas.findings import problem_finding

# How a failed allocation surfaces, by library: Python, C++ (OpenCV, onnxruntime), C (errno), threads.
_ALLOCATION_FAILED = re.compile(
    r"MemoryError|bad_alloc|insufficient memory|failed to allocate|cannot allocate|out of memory|ENOMEM"
    r"|can't start new thread",
    re.IGNORECASE,
)


class OverBudget(BaseException):
    """Raised in a busy worker on SIGXCPU. A BaseException, so the pipeline's `except Exception` (which
    turns a parser's error into a finding) lets it through to the worker's loop."""


class QuietTimeSpent(BaseException):
    """Raised in a busy worker on SIGALRM from QuietClockWatch (same reason for BaseException)."""


def cap_memory(megabytes: int) -> bool:
    """Cap this process's writable memory; False where the platform has no such limit (not Linux)."""
    if not megabytes or not hasattr(resource, "RLIMIT_DATA"):
        return False
    cap = megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (cap, cap))
    except (ValueError, OSError):  # a hard limit already lower than this, set by the site: that one holds
        return False
    return True


def cpu_seconds_used() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def start_cpu_budget(seconds: float) -> None:
    """SIGXCPU once this process has used `seconds` more CPU time (every thread counts)."""
    if hasattr(resource, "RLIMIT_CPU"):
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        soft = math.ceil(cpu_seconds_used() + seconds)
        resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def stop_cpu_budget() -> None:
    if hasattr(resource, "RLIMIT_CPU"):
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        resource.setrlimit(resource.RLIMIT_CPU, (hard, hard))


def install_cpu_handler(on_spent: Callable[[int, FrameType | None], None]) -> None:
    if hasattr(signal, "SIGXCPU"):
        signal.signal(signal.SIGXCPU, on_spent)


def _runqueue_waits() -> dict[str, int]:
    """Nanoseconds each thread of this process has spent runnable but waiting for a CPU."""
    waits: dict[str, int] = {}
    try:
        tasks = os.listdir("/proc/self/task")
    except OSError:
        return waits
    for tid in tasks:
        try:
            with open(f"/proc/self/task/{tid}/schedstat", encoding="ascii") as fh:
                waits[tid] = int(fh.read().split()[1])
        except (OSError, ValueError, IndexError):  # the thread ended meanwhile
            continue
    return waits


class QuietClockWatch(threading.Thread):
    """Signals this process (SIGALRM) once the current file's quiet time passes its limit.

    Quiet time = wall time − the longest any one thread waited for a CPU since the file began: threads wait
    side by side, so the longest wait is what the file's wall time was stretched by.
    """

    POLL_S = 0.25

    def __init__(self) -> None:
        super().__init__(name="intake-quiet-clock", daemon=True)
        self._lock = threading.Lock()
        self._file: tuple[float, dict[str, int], float] | None = None  # (wall start, waits at start, limit)

    def begin(self, limit_s: float) -> None:
        with self._lock:
            self._file = (time.monotonic(), _runqueue_waits(), limit_s)

    def end(self) -> None:
        with self._lock:
            self._file = None

    def quiet_seconds(self) -> float:
        with self._lock:
            if self._file is None:
                return 0.0
            started, before, _ = self._file
        waited = max((ns - before.get(tid, 0) for tid, ns in _runqueue_waits().items()), default=0)
        return time.monotonic() - started - waited / 1e9

    def run(self) -> None:
        while True:
            time.sleep(self.POLL_S)
            with self._lock:
                limit = self._file[2] if self._file else None
            if limit is not None and self.quiet_seconds() > limit:
                self.end()
                os.kill(os.getpid(), signal.SIGALRM)


def over_budget(outcome: FileOutcome, seconds: float) -> FileOutcome:
    outcome.file_findings.append(problem_finding(CpuBudgetSpent(f"CPU time over {seconds:g}s", seconds=seconds)))
    return outcome


# A parser refused memory does not always say so (libxml2 reports "unknown error"): a file that failed while
# this worker's peak memory rose to within this share of the ceiling is counted as over it. Resident memory
# trails the limit, which counts reserved pages too: a 150 MB-text .docx refused at 1280 MB peaked at 1047 MB.
NEAR_CEILING = 0.75


def reset_peak_rss() -> None:
    """Start this process's peak-memory count afresh (Linux: VmHWM), so the next file's peak is its own."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_mb() -> float:
    """This process's peak resident memory since the last reset (VmHWM; else the lifetime peak)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def blame_the_ceiling(outcome: FileOutcome, megabytes: int, peak_before_mb: float | None = None) -> FileOutcome:
    """A file that failed because an allocation was refused under the ceiling is over the memory limit: say
    so (and which setting raises it) instead of calling it damaged or our bug. `peak_before_mb`: the worker's
    peak before this file, to tell whether this file drove it to the ceiling."""
    failed = [i for i, found in enumerate(outcome.file_findings) if found.code in ("internal_error", "unreadable_file")]
    if not failed:  # the common case: no /proc read on a file that was read
        return outcome
    peak = peak_rss_mb()
    near = peak_before_mb is not None and peak > peak_before_mb and peak >= NEAR_CEILING * megabytes
    for i in failed:
        found = outcome.file_findings[i]
        said = [line for line in found.raw_value.splitlines() if _ALLOCATION_FAILED.search(line)]
        if said or near:  # the technical reason keeps the library's own line (the whole traceback is in the log)
            first_line = found.raw_value.splitlines()[0] if found.raw_value else ""
            reason = said[-1] if said else f"{first_line} (peak {peak:.0f} MB)"
            outcome.file_findings[i] = problem_finding(MemoryLimit(reason.strip()[:300], limit_mb=megabytes))
    return outcome
