"""Keep Prefect's internals off the staff's console; keep them in a log file in the output folder.

Prefect's server and client print ERROR lines and tracebacks (a server shutting down, a retried request) even
after a successful flow. Staff would read that as failure, so everything Prefect and its server log goes to
outputs/logs/ (and the run loggers' lines to the Prefect API too, for the UI), and the console shows our summary
only.
"""

from __future__ import annotations

import logging
import os
from datetime import datetime
from pathlib import Path

_NOISY = ("prefect", "uvicorn", "httpx", "httpcore", "alembic", "sqlalchemy", "docket", "fakeredis", "asyncio")


def quiet_prefect(log_dir: Path) -> Path:
    """Call before importing prefect. Returns the log file path."""
    log_dir.mkdir(parents=True, exist_ok=True)
    log_file = log_dir / f"run-{datetime.now():%Y%m%d-%H%M%S}.log"
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO")
    os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_CLI_COLORS", "false")
    # no console handler from Prefect's own logging config: our file handler below gets everything
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_FLOW_RUNS_LEVEL", "CRITICAL")
    os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_TASK_RUNS_LEVEL", "CRITICAL")
    handler = _handler_for(log_file)
    for name in (*_NOISY, "intake"):
        _attach(logging.getLogger(name), handler)
    logging.getLogger("intake").setLevel(logging.INFO)
    return log_file


def reattach(log_file: Path) -> None:
    """Prefect configures logging on import; route its loggers to our file again afterwards."""
    handler = _handler_for(log_file)
    for name in list(logging.root.manager.loggerDict):
        if name.split(".")[0] in _NOISY:
            logger = logging.getLogger(name)
            for old in list(logger.handlers):
                if isinstance(old, logging.StreamHandler) and not isinstance(old, logging.FileHandler):
                    logger.removeHandler(old)
            if name in _NOISY:
                _attach(logger, handler)


_HANDLERS: dict[Path, logging.FileHandler] = {}


def _handler_for(log_file: Path) -> logging.FileHandler:
    """One handler per log file: two on one logger would write every line twice."""
    if log_file not in _HANDLERS:
        handler = logging.FileHandler(log_file, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        _HANDLERS[log_file] = handler
    return _HANDLERS[log_file]


def _attach(logger: logging.Logger, handler: logging.Handler) -> None:
    if handler not in logger.handlers:
        logger.addHandler(handler)
    logger.propagate = False


def drop_if_empty(log_file: Path) -> None:
    """A run that logged nothing leaves no 0-byte log behind."""
    for handler in [h for h in _HANDLERS.values() if Path(h.baseFilename) == log_file.absolute()]:
        handler.flush()
    try:
        if log_file.stat().st_size == 0:
            log_file.unlink()
    except OSError:
        pass
