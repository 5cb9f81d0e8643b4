"""`intake watch`: poll the inbox and run once whenever new files have finished copying.

No file-system events (inotify does not fire for SMB clients): every `interval` seconds it lists the inbox, and
when a file is new, changed or gone — and every new file has kept the same size and mtime for two looks in a row
(flows/state/stability.py) — it runs the flow once, like `intake run`, under the same lock: a manual run and a
watched one never interleave, the watched one waits.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from flows.options import RunOptions
from flows.prefect_server import prefect_api
from flows.reading.pipeline import discover
from flows.run_once import run_once
from flows.state.incremental import RunReport
from flows.state.ledger import LEDGER_FILE, Ledger, reader_version
from flows.state.stability import StabilityTracker

log = logging.getLogger("intake")


def has_work(opts: RunOptions, stable: dict[str, tuple[int, int]], found: list[str]) -> bool:
    """Would a run change anything? New/changed stable files, files gone, a new reader, or no outputs yet."""
    if not (opts.outdir / "plans.csv").exists() or not (opts.outdir / LEDGER_FILE).exists():
        return bool(stable) or not found
    version = reader_version(opts.min_confidence, opts.limits(), opts.registry_dir)
    with Ledger(opts.outdir) as ledger:
        live = {r.path: r for r in ledger.records() if r.current and r.archived_path is None}
    for rel, (size, mtime_ns) in stable.items():
        rec = live.get(rel)
        if rec is None or (rec.size, rec.mtime_ns, rec.schema_version) != (size, mtime_ns, version):
            return True  # (a file that could not be read is retried by the next run, but does not start one)
    present = set(found)
    return bool(found) and any(rel not in present for rel in live)  # an empty listing: see incremental.plan_run


def watch(
    opts: RunOptions,
    interval: float,
    *,
    stop: threading.Event | None = None,
    on_report: Callable[[RunReport], None] | None = None,
    on_error: Callable[[Exception], None] | None = None,
    max_runs: int | None = None,
) -> int:
    """Poll until `stop` is set (or `max_runs` runs happened); returns the number of runs.

    A run that fails (the output folder unreachable, a table open in Excel on Windows) is reported through
    `on_error` and tried again at the next poll: a watcher left running must not die of a passing problem.
    """
    loop = _Poller(opts, interval, stop or threading.Event(), on_report, on_error, max_runs)
    if opts.prefect:  # one Prefect server for the whole watch, not one start-up per run
        with prefect_api(opts.log_file):
            return loop.run()
    return loop.run()


@dataclass
class _Poller:
    opts: RunOptions
    interval: float
    stop: threading.Event
    on_report: Callable[[RunReport], None] | None
    on_error: Callable[[Exception], None] | None
    max_runs: int | None

    def run(self) -> int:
        opts, inbox = self.opts, self.opts.inbox
        tracker = StabilityTracker(settle_s=self.interval, require_two_looks=True)
        runs = 0
        while not self.stop.is_set():
            paths = discover(inbox)
            ready, _pending = tracker.observe(paths)
            stable = {p.relative_to(inbox).as_posix(): (s.size, s.mtime_ns) for p, s in ready.items()}
            if has_work(opts, stable, [p.relative_to(inbox).as_posix() for p in paths]):
                try:
                    report = run_once(dataclasses.replace(opts, wait_for_lock=True), stable=stable)
                except Exception as exc:  # noqa: BLE001
                    log.exception("watched run failed")
                    if self.on_error:
                        self.on_error(exc)
                else:
                    runs += 1
                    if self.on_report:
                        self.on_report(report)
                    if self.max_runs is not None and runs >= self.max_runs:
                        break
            self.stop.wait(self.interval)
        return runs
