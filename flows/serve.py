"""`intake serve`: the flow as a Prefect deployment on a schedule, until interrupted.

Schedules need a real Prefect server (flows/prefect_server.py `prefect_api`: PREFECT_API_URL if set, else
`prefect server start` on localhost with its database under `<out>/state/prefect/`, stopped with us). Its
scheduler keeps only the next few runs on the calendar (SERVER_SETTINGS there). The scheduled runs are the same
incremental flow as `intake run`, under the same lock, and wait for a manual run to finish.
"""

from __future__ import annotations

import signal

from flows import interrupt
from flows.options import RunOptions
from flows.prefect_server import prefect_api


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
        flow.serve(
            name=name,
            cron=cron,
            interval=interval,
            parameters=params,
            print_starting_message=False,
            pause_on_shutdown=True,
            limit=1,
        )
    # Serving only ends on a signal. Ctrl-C raises flows/interrupt.py's Stopped through it; SIGTERM is taken by
    # Prefect's runner (it installs its own handler while serving), which shuts down gracefully and returns:
    # report it as the SIGTERM it was (exit 143), like every other command.
    if interrupt.interrupted() is None:
        raise interrupt.Stopped(signal.SIGTERM)
