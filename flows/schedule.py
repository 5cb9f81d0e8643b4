"""Unattended runs: `intake serve` (a Prefect deployment on a schedule) and `intake watch` (poll the inbox).

serve — Prefect's temporary (ephemeral) server cannot run schedules, so when no `PREFECT_API_URL` is set
we start a real one ourselves: `prefect server start` on a free localhost port, SQLite database under
`<out>/state/prefect/` (PREFECT_HOME), wait for /api/health, point this process at it, serve the flow, and
stop the server when serving stops (Ctrl+C / SIGTERM). With `PREFECT_API_URL` set (a shared Prefect
server), that server is used and nothing is started.

watch — no file-system events (inotify does not fire for SMB clients): every `interval` seconds it lists
the inbox, and when a file is new, changed or gone — and every new file has kept the same size and mtime
for two looks in a row (flows/state/stability.py) — it runs the flow once.

Both run the same incremental flow as `intake run`, under the same lock, so a manual run and a scheduled
one never interleave: the scheduled one waits.
"""

from __future__ import annotations

import contextlib
import dataclasses
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flows.reading.limits import Limits
from flows.reading.pipeline import discover
from flows.state.incremental import Process, Progress, RunReport, run_incremental
from flows.state.ledger import LEDGER_FILE, Ledger, reader_version
from flows.state.stability import StabilityTracker

log = logging.getLogger("intake")

SERVER_START_TIMEOUT_S = 120.0  # a cold start on a busy 2-core machine takes 15–40 s
SERVER_STOP_TIMEOUT_S = 20.0


@dataclass
class RunOptions:
    """What `intake run`, `watch` and `serve` share."""

    inbox: Path
    out: Path
    min_confidence: float = 0.80
    workers: int = 2
    seconds_per_file: float | None = None
    full: bool = False
    settle_s: float = 2.0
    wait: bool = False
    archive_to: Path | None = None
    dask_address: str = ""
    prefect: bool = True
    log_file: Path | None = None

    def flow_parameters(self) -> dict:
        """JSON-able parameters of flows.intake_flow.intake_flow (deployments store them)."""
        return {
            "inbox": str(self.inbox.absolute()),
            "outdir": str(self.out.absolute()),
            "min_confidence": self.min_confidence,
            "workers": self.workers,
            "seconds_per_file": self.seconds_per_file,
            "log_file": str(self.log_file.absolute()) if self.log_file else None,
            "full": self.full,
            "settle_s": self.settle_s,
            "wait_for_lock": self.wait,
            "archive_to": str(self.archive_to.absolute()) if self.archive_to else "",
            "dask_address": self.dask_address,
        }

    def batch_parameters(self) -> dict:
        """What flows.intake_flow.open_batch takes (the flow's parameters less what only the flow uses)."""
        params = self.flow_parameters()
        del params["archive_to"]
        return params


def run_once(opts: RunOptions, stable: dict[str, tuple[int, int]] | None = None, progress: Progress | None = None):
    """One incremental run, with Prefect or without; returns the RunReport. Raises RunLocked when busy."""
    if opts.prefect:
        import flows.intake_flow as intake_flow_module

        intake_flow_module.PROGRESS = progress
        try:
            if opts.dask_address:
                # Dask workers report their task runs to the Prefect API themselves; with no server they each
                # start a temporary one, which on a busy machine times out. Give them a real server to talk to.
                with prefect_api(opts.out / "state", opts.log_file):
                    flow = intake_flow_module.make_flow(opts.workers, opts.dask_address)
                    return flow(**opts.flow_parameters(), stable=stable)
            with one_shot_settings() as temporary:
                # With Prefect's temporary server, start it in the background and read meanwhile: the files
                # are queued on the workers before the flow run begins, and the flow run collects them.
                server = start_temporary_server() if temporary else None
                key = intake_flow_module.open_batch(**opts.batch_parameters(), stable=stable)
                try:
                    if server is not None:
                        server.wait()
                    flow = intake_flow_module.make_flow(opts.workers)
                    return flow(**opts.flow_parameters(), stable=stable, prepared=key)
                finally:
                    intake_flow_module.discard_batch(key)  # only if the flow run never took it
        finally:
            intake_flow_module.PROGRESS = None
    return run_incremental(
        opts.inbox,
        opts.out,
        min_confidence=opts.min_confidence,
        full=opts.full,
        settle_s=opts.settle_s,
        stable=stable,
        process=pooled(opts, progress),
        wait=opts.wait,
        archive_to=opts.archive_to,
    )


class start_temporary_server:  # noqa: N801 (used like a function)
    """Start Prefect's temporary API server on a thread (its start-up is ~10 s of imports on this machine)."""

    def __init__(self) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, name="prefect-temporary-server", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            from prefect.server.api.server import SubprocessASGIServer

            # the same instance Prefect's client asks for when no PREFECT_API_URL is set
            SubprocessASGIServer().start()
        except BaseException as exc:  # noqa: BLE001 (re-raised in the caller's thread by wait())
            self._error = exc

    def wait(self) -> None:
        self._thread.join()
        if self._error is not None:
            raise self._error


@contextlib.contextmanager
def one_shot_settings() -> Iterator[bool]:
    """Prefect settings for a run on the temporary server (no PREFECT_API_URL): no flow-run heartbeats.
    Yields whether the run uses the temporary server.

    Heartbeats let a real server mark crashed runs; the temporary server dies with this process, so there is
    nobody to tell. And Prefect's heartbeat thread sleeps in whole seconds, so joining it holds every flow run
    up ~1 s at its end (measured: a trivial flow 1.13–1.21 s with it, 0.12–0.15 s without): as long as
    reading 100 Word files. Served runs and a shared server keep Prefect's default."""
    import prefect.context

    context = prefect.context.get_settings_context()
    if context.settings.api.url:
        yield False
        return
    # model_copy, not temporary_settings: that re-validates every setting (~0.25 s of CPU per run)
    flows = context.settings.flows.model_copy(update={"heartbeat_frequency": None})
    settings = context.settings.model_copy(update={"flows": flows})
    with prefect.context.SettingsContext(profile=context.profile, settings=settings):
        yield True


def pooled(opts: RunOptions, progress: Progress | None = None) -> Process:
    """Files through flows/reading/isolation.py's killable worker pool, started only when there is work."""

    def process(paths: list[Path], inbox: Path, corrections=None, crops_root=None) -> list:  # noqa: ANN001
        if not paths:
            return []
        from flows.reading.isolation import IsolatedRunner

        limits = Limits.from_env(seconds_per_file=opts.seconds_per_file)
        with IsolatedRunner(opts.workers, limits, min_confidence=opts.min_confidence, log_file=opts.log_file) as pool:
            pool.kwargs["corrections"] = corrections
            pool.kwargs["crops_root"] = crops_root
            queued = [(p, pool.submit(p, inbox)) for p in paths]
            outcomes = []
            for i, (path, future) in enumerate(queued, 1):
                outcomes.append(pool.result(future, path, inbox))
                if progress:
                    progress(i, len(paths))
            return outcomes

    return process


# ---------------------------------------------------------------------------------------------- watch


def has_work(opts: RunOptions, stable: dict[str, tuple[int, int]], found: list[str]) -> bool:
    """Would a run change anything? New/changed stable files, files gone, a new reader, or no outputs yet."""
    if not (opts.out / "plans.csv").exists() or not (opts.out / LEDGER_FILE).exists():
        return bool(stable) or not found
    version = reader_version(opts.min_confidence, Limits.from_env(seconds_per_file=opts.seconds_per_file))
    with Ledger(opts.out) as ledger:
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
    if opts.dask_address and opts.prefect:  # one Prefect server for the whole watch, not one per run
        with prefect_api(opts.out / "state", opts.log_file):
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
                    report = run_once(dataclasses.replace(opts, wait=True), stable=stable)
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


# ---------------------------------------------------------------------------------------------- serve


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(api_url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=2) as resp:
            return resp.status == 200
    except OSError:
        return False


@contextlib.contextmanager
def prefect_api(state_dir: Path, log_file: Path | None = None) -> Iterator[str]:
    """Yield a Prefect API URL that can run schedules: PREFECT_API_URL if set, else a server we start."""
    if os.environ.get("PREFECT_API_URL"):
        yield os.environ["PREFECT_API_URL"]
        return
    home = state_dir / "prefect"
    home.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home.absolute()),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    }
    sink = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 (closed below)
    command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)]
    server = subprocess.Popen(
        [*command, "--no-ui"], stdout=sink, stderr=subprocess.STDOUT, env=env, start_new_session=True
    )
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _healthy(api_url):
            if server.poll() is not None:
                raise RuntimeError(f"Prefect 服务未能启动（退出码 {server.returncode}），详见日志 {log_file}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Prefect 服务在 {SERVER_START_TIMEOUT_S:.0f} 秒内未就绪，详见日志 {log_file}")
            time.sleep(0.5)
        # the flow-run processes inherit the environment; this process's settings were read at import
        os.environ["PREFECT_API_URL"] = api_url
        from prefect.settings import PREFECT_API_URL, temporary_settings

        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)
        _stop(server)
        if log_file:
            sink.close()


def _stop(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    group = hasattr(os, "killpg")  # POSIX: the server and the uvicorn workers it started
    with contextlib.suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM) if group else server.terminate()
    try:
        server.wait(SERVER_STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL) if group else server.kill()
        server.wait()


def check_cron(cron: str) -> None:
    """A typo should fail at once, not after the server has started. Raises ValueError with a Chinese message."""
    from prefect.client.schemas.schedules import CronSchedule

    try:
        CronSchedule(cron=cron)
    except ValueError as exc:
        raise ValueError(f'定时表达式“{cron}”无效（格式：分 时 日 月 星期，例如 "0 8-18 * * 1-5"）') from exc


def serve(opts: RunOptions, *, cron: str | None = None, interval: float | None = None, name: str = "scheduled") -> None:
    """Serve the flow as a deployment on a schedule until interrupted (blocks)."""
    if cron is not None:
        check_cron(cron)
    params = {**opts.flow_parameters(), "wait_for_lock": True, "announce": True}
    with prefect_api(opts.out / "state", opts.log_file):
        from flows.intake_flow import make_flow

        flow = make_flow(opts.workers, opts.dask_address)
        # SIGTERM (a service manager stopping us) ends serving like Ctrl+C, so the server is stopped too
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            flow.serve(
                name=name,
                cron=cron,
                interval=interval,
                parameters=params,
                print_starting_message=False,
                pause_on_shutdown=True,
                limit=1,
            )
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def stamp() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")
