"""`intake serve`: the flow as a Prefect deployment on a schedule, until interrupted.

Schedules need a real Prefect server (flows/prefect_server.py `prefect_api`: PREFECT_API_URL if set, else
`prefect server start` on localhost with its database under `<out>/state/prefect/`, stopped with us). Its
scheduler keeps only the next few runs on the calendar (SERVER_SETTINGS there). The scheduled runs are the same
incremental flow as `intake run`, under the same lock, and wait for a manual run to finish.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from flows.options import RunOptions
from flows.prefect_server import prefect_api

if TYPE_CHECKING:
    from prefect import Flow

log = logging.getLogger("intake")


def check_cron(cron: str) -> None:
    """A typo should fail at once, not after the server has started. Raises ValueError with a Chinese message."""
    from prefect.client.schemas.schedules import CronSchedule  # Prefect: loaded only when serving

    try:
        CronSchedule(cron=cron)
    except ValueError as exc:
        raise ValueError(f'定时表达式“{cron}”无效（格式：分 时 日 月 星期，例如 "0 8-18 * * 1-5"）') from exc


def serve(opts: RunOptions, *, cron: str | None = None, interval: float | None = None, name: str = "scheduled") -> None:
    """Serve the flow as a deployment on a schedule until interrupted (blocks)."""
    if cron is not None:
        check_cron(cron)
    params = {**opts.flow_parameters(), "wait_for_lock": True, "announce": True}
    with prefect_api(opts.log_file):
        # the Prefect flow: importing it imports Prefect, which flows/quiet.py must have routed first
        from flows.intake_flow import make_flow

        flow = make_flow(opts.workers, opts.dask_address)
        options = {"name": name, "cron": cron, "interval": interval, "parameters": params}
        # Prefect's runner on a thread of its own: on the main thread it would take SIGTERM over with a graceful
        # shutdown that took 7 s here; so flows/interrupt.py handles Ctrl-C and SIGTERM alike, within 5 s
        serving = threading.Thread(target=_serve, args=(flow, options), name="prefect-runner", daemon=True)
        serving.start()
        while serving.is_alive():
            serving.join(0.5)  # wakes for signals
    raise RuntimeError("Prefect 的定时运行意外结束，详见日志")


def _serve(flow: Flow, options: dict) -> None:
    try:
        flow.serve(**options, print_starting_message=False, pause_on_shutdown=True, limit=1)
    except Exception:  # noqa: BLE001 (logged; the main thread reports that serving ended)
        log.exception("serving the flow failed")
