"""The crash tests' fault injection: run the `intake` command and SIGKILL it at a named step.

    python -m tests.kill_at STEP intake-arguments…

STEP is one of STEPS: the step's function is wrapped here, in the child process, so the program itself carries
no test hook. A run's steps: plan, read every file (IsolatedRunner.result per file), write every table, commit the
ledger (Ledger.commit).
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable
from typing import Any

from flows import cli
from flows.reading.isolation import IsolatedRunner
from flows.state.ledger import Ledger


def _die() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _after(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        result = method(*args, **kwargs)
        _die()
        return result

    return wrapped


def _before(method: Callable[..., Any]) -> Callable[..., Any]:
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        _die()
        return method(*args, **kwargs)

    return wrapped


STEPS = {
    "extracting": (IsolatedRunner, "result", _after),  # the first file read, the others not yet
    "written": (Ledger, "commit", _before),  # every table written, the ledger not committed
    "committed": (Ledger, "commit", _after),  # the ledger committed
}


def main() -> None:
    step, *args = sys.argv[1:]
    owner, name, wrap = STEPS[step]
    setattr(owner, name, wrap(getattr(owner, name)))
    sys.argv = ["intake", *args]
    cli.main()


if __name__ == "__main__":
    main()
