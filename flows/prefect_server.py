"""The Prefect API a run talks to: Prefect's temporary server for a one-shot run, or a real local server for
schedules and Dask.

- One-shot (`intake run`, no PREFECT_API_URL): Prefect's temporary (ephemeral) server, started on a thread so the
  files are read meanwhile (`start_temporary_server`), with flow-run heartbeats off (`one_shot_settings`).
- `prefect_api`: the temporary server cannot run schedules, and Dask workers would each start one of their own,
  so `intake serve` and Dask runs get a real one: `prefect server start` on a free localhost port, SQLite under
  `<out>/state/prefect/` (PREFECT_HOME), stopped when the caller is done. With PREFECT_API_URL set (a shared
  Prefect server), that server is used and nothing is started.

Prefect is imported inside the functions: a `--no-prefect` run never loads it, and flows/quiet.py must route its
logging before the first import.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

# a cold start took 15–40 s on the 2-core development VM; waiting longer beats failing the run
SERVER_START_TIMEOUT_S = 120.0
SERVER_STOP_TIMEOUT_S = 20.0


class start_temporary_server:  # noqa: N801 (used like a function)
    """Start Prefect's temporary API server on a thread: its start-up is seconds of imports (bench/README.md,
    "Prefect server start-up"), which the caller spends reading files."""

    def __init__(self) -> None:
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, name="prefect-temporary-server", daemon=True)
        self._thread.start()

    def _start(self) -> None:
        try:
            # Prefect: imported only for runs that use it (module docstring)
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
    up about a second at its end (bench/README.md: a trivial flow 1.13–1.21 s with it, 0.12–0.15 s without):
    as long as reading 100 Word files. Served runs and a shared server keep Prefect's default."""
    import prefect.context  # Prefect: imported only for runs that use it (module docstring)

    context = prefect.context.get_settings_context()
    if context.settings.api.url:
        yield False
        return
    # model_copy, not temporary_settings: that re-validates every setting (~0.25 s of CPU per run, measured on
    # the 2-core development VM)
    flows = context.settings.flows.model_copy(update={"heartbeat_frequency": None})
    settings = context.settings.model_copy(update={"flows": flows})
    with prefect.context.SettingsContext(profile=context.profile, settings=settings):
        yield True


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
        from prefect.settings import PREFECT_API_URL, temporary_settings  # Prefect: see the module docstring

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
