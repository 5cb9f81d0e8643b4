"""The Prefect API a run talks to, through Prefect's public, documented means only.

- `use_prefect_home(out)`: Prefect's home (settings profile, database, result storage) is `<out>/state/prefect/`,
  set as PREFECT_HOME in the environment before Prefect is first imported (Prefect reads its settings then). So a
  run writes nothing outside `--out` (not `~/.prefect/`), and the runs of one output folder stay in one database
  that the next run, `prefect flow-run ls` or the UI can read back.
- `LocalServer`: `prefect server start` as a subprocess on a free localhost port, with that home (SQLite
  `<out>/state/prefect/prefect.db`). A one-shot `intake run` starts it first and reads the plan and warms the
  worker pool while it comes up (flows/run_once.py); `intake serve` needs one anyway (schedules need a real
  server). The server's own output goes to the run's log file, never to the console.
- With PREFECT_API_URL set (a shared Prefect server), that server is used and nothing is started.

tests/test_prefect_public.py holds Prefect to the settings and CLI options named here: an upgrade that renames one
fails there, loudly, instead of writing to the user's home.

Prefect is imported inside the functions: a `--no-prefect` run, and a run with nothing new, never loads it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

# a cold start (database migrations) took 15–40 s on the 2-core development VM; waiting longer beats failing
SERVER_START_TIMEOUT_S = 120.0
SERVER_STOP_TIMEOUT_S = 3.0  # then SIGKILL: a stop must fit in Ctrl-C's 5 s
INTERRUPTED_STOP_S = 0.5
PREFECT_STATE = "prefect"  # under <out>/state/

# The settings a run gives Prefect, all public (docs.prefect.io, "Settings reference"); the guard test reads each
# back through prefect.settings.
SERVER_SETTINGS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_LOGGING_LEVEL": "WARNING",
    "PREFECT_UI_ENABLED": "false",
    # a served deployment: the next few runs on the calendar, not Prefect's 100 runs / 100 days ahead
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_RUNS": "5",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MIN_RUNS": "1",
    "PREFECT_SERVER_SERVICES_SCHEDULER_MAX_SCHEDULED_TIME": "P1D",
}


def prefect_home(outdir: Path) -> Path:
    return (outdir / "state" / PREFECT_STATE).absolute()


def use_prefect_home(outdir: Path) -> None:
    """Point Prefect's home and database into the output folder. Call before Prefect is imported.

    Also over a PREFECT_HOME set in the environment: a run's Prefect records belong with its outputs (a shared
    server is chosen with PREFECT_API_URL, which is kept)."""
    home = prefect_home(outdir)
    home.mkdir(parents=True, exist_ok=True)
    os.environ["PREFECT_HOME"] = str(home)


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


# servers this process started and has not stopped yet: an interrupt stops them (flows/interrupt.py)
RUNNING: list[LocalServer] = []


class LocalServer:
    """`prefect server start` in its own process group, started at once; `wait_ready()` blocks until it answers."""

    def __init__(self, log_file: Path | None = None) -> None:
        self.port = _free_port()
        self.api_url = f"http://127.0.0.1:{self.port}/api"
        self.log_file = log_file
        env = {**os.environ, **SERVER_SETTINGS}
        env.pop("PREFECT_API_URL", None)
        self._sink = open(log_file, "ab") if log_file else subprocess.DEVNULL  # noqa: SIM115 (closed in stop)
        command = [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(self.port)]
        self.process = subprocess.Popen(
            [*command, "--no-ui"], stdout=self._sink, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
            env=env, start_new_session=True,
        )  # fmt: skip
        RUNNING.append(self)

    def wait_ready(self) -> None:
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while not _healthy(self.api_url):
            if self.process.poll() is not None:
                code = self.process.returncode
                raise RuntimeError(f"Prefect 服务未能启动（退出码 {code}），详见日志 {self.log_file}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Prefect 服务在 {SERVER_START_TIMEOUT_S:.0f} 秒内未就绪，详见日志 {self.log_file}")
            time.sleep(0.25)

    def stop(self, timeout_s: float = SERVER_STOP_TIMEOUT_S) -> None:
        """SIGTERM to the server's process group, SIGKILL after `timeout_s`."""
        if self in RUNNING:
            RUNNING.remove(self)
        stop_group(self.process, timeout_s)
        if self._sink is not subprocess.DEVNULL:
            self._sink.close()


def stop_group(process: subprocess.Popen, timeout_s: float = SERVER_STOP_TIMEOUT_S) -> None:
    if process.poll() is not None:
        return
    group = hasattr(os, "killpg")  # POSIX: the server and the uvicorn process it started
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM) if group else process.terminate()
    try:
        process.wait(timeout_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL) if group else process.kill()
        process.wait()


@contextlib.contextmanager
def talking_to(api_url: str) -> Iterator[str]:
    """This process and the processes it starts (served flow runs) use `api_url` (Prefect's public
    `temporary_settings`; the environment for child processes)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings  # Prefect: see the module docstring

    os.environ["PREFECT_API_URL"] = api_url
    try:
        with temporary_settings(updates={PREFECT_API_URL: api_url}):
            yield api_url
    finally:
        os.environ.pop("PREFECT_API_URL", None)


@contextlib.contextmanager
def prefect_api(log_file: Path | None = None, server: LocalServer | None = None) -> Iterator[str]:
    """Yield the Prefect API URL to use: PREFECT_API_URL if set, else `server` (or a new one) once it answers;
    the server is stopped on the way out, whatever happened."""
    if os.environ.get("PREFECT_API_URL"):
        if server is not None:
            server.stop()
        yield os.environ["PREFECT_API_URL"]
        return
    server = server or LocalServer(log_file)
    try:
        server.wait_ready()
        with talking_to(server.api_url) as url:
            yield url
            send_pending_logs()
    except BaseException:
        # interrupted or failed: no graceful wait (the server's SQLite is crash-safe), Ctrl-C has 5 s in all
        server.stop(timeout_s=INTERRUPTED_STOP_S)
        raise
    server.stop()


def send_pending_logs() -> None:
    """Send the run loggers' queued lines to the server while it is still up; left for Prefect's exit hook, they
    would be retried for a minute against a server already stopped."""
    from prefect.logging.handlers import APILogHandler  # Prefect: see the module docstring

    with contextlib.suppress(Exception):
        APILogHandler().flush()
