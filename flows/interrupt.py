"""Ctrl-C (SIGINT) and SIGTERM: every command stops within seconds, says so in Chinese, and exits 130 / 143.

On the first signal the command prints one sentence (schemas/messages.yaml, console) and raises `Stopped` in
the main thread, so the run unwinds as it would on any error: the worker pool is stopped (flows/batch.py), the
Prefect server this process started is stopped (flows/prefect_server.py), the lock is released. Nothing is
half-written: the tables are written atomically and the ledger is committed after them
(flows/state/incremental.py), so the next run simply redoes what this one did not finish.

`Stopped` is no KeyboardInterrupt on purpose: click would print "Aborted!" for one and exit 1.

If the unwinding takes longer than GRACE_S (a Prefect client retrying a server that is already gone, a worker
stuck in a C library), a watchdog kills what this process started — the servers, then every child process —
and exits with the same code. A second signal does that at once.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable

import psutil

from flows.prefect_server import RUNNING
from schemas.findings import console_message

GRACE_S = 3.5  # within the 5 s a user waits after Ctrl-C
SIGNAL_NAMES = {signal.SIGINT: "Ctrl+C", signal.SIGTERM: "SIGTERM"}


class Stopped(BaseException):  # noqa: N818 (not an error: the user asked)
    """Raised in the main thread on SIGINT/SIGTERM; `code` is the exit code (128 + the signal)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.code = 128 + signum


_state: dict[str, object] = {"signum": None}
_say: list[Callable[[str], None]] = []


def install(say: Callable[[str], None]) -> None:
    """Handle SIGINT and SIGTERM in this process (also when SIGINT was ignored by whoever started it: a service
    manager stops with SIGTERM, a user at the console presses Ctrl-C). Call from the main thread."""
    _say[:] = [say]
    _state["signum"] = None
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, _on_signal)


def _on_signal(signum: int, frame: object) -> None:
    if _state["signum"] is not None:  # the second signal: no more waiting
        force_exit(128 + signum)
    _state["signum"] = signum
    with contextlib.suppress(Exception):
        for say in _say:
            say(console_message("interrupted", signal=SIGNAL_NAMES.get(signum, str(signum))))
    watchdog = threading.Thread(target=_watchdog, args=(128 + signum,), name="intake-stop-watchdog", daemon=True)
    watchdog.start()
    raise Stopped(signum)


def interrupted() -> int | None:
    """The exit code of a signal received so far, if any."""
    signum = _state["signum"]
    return 128 + signum if isinstance(signum, int) else None


def _watchdog(code: int) -> None:
    threading.Event().wait(GRACE_S)
    force_exit(code)


def force_exit(code: int) -> None:
    """Stop the servers and every child process this process started, then exit at once with `code`."""
    for server in list(RUNNING):
        with contextlib.suppress(Exception):
            os.killpg(server.process.pid, signal.SIGKILL)
    with contextlib.suppress(Exception):
        children = psutil.Process().children(recursive=True)
        for child in children:
            with contextlib.suppress(psutil.Error):
                child.kill()
        psutil.wait_procs(children, timeout=1)
    with contextlib.suppress(Exception):
        sys.stdout.flush()
    os._exit(code)
