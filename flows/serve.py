"""`intake serve`: the flow as a Prefect deployment on a schedule, until interrupted.

Prefect's temporary server cannot run schedules, so this runs against a real one (flows/prefect_server.py
`prefect_api`: PREFECT_API_URL if set, else a local server we start and stop). The scheduled runs are the same
incremental flow as `intake run`, under the same lock, and wait for a manual run to finish.
"""

from __future__ import annotations

import signal

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
    with prefect_api(opts.outdir / "state", opts.log_file):
        # the Prefect flow: importing it imports Prefect, which flows/quiet.py must have routed first
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
