"""What Prefect's API holds about the runs of one output folder, read back through Prefect's client, as JSON.

    python -m tests.prefect_readback <out>

Starts the folder's own Prefect server (its database under <out>/state/prefect/, as `intake run` left it) the
way the command does, reads flow runs, task runs, logs and artifacts with `get_client`, prints them, and stops
the server. Run in a subprocess: PREFECT_HOME must be set before Prefect is imported.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from flows.prefect_server import prefect_api, use_prefect_home


def main(out: Path) -> None:
    use_prefect_home(out)
    with prefect_api():
        from prefect import get_client  # imported after PREFECT_HOME is set (module docstring)

        with get_client(sync_client=True) as client:
            flow_runs = client.read_flow_runs()
            task_runs = client.read_task_runs()
            logs = client.read_logs()
            artifacts = client.read_artifacts()
    print(
        json.dumps(
            {
                "flow_runs": [{"id": str(r.id), "name": r.name, "state": r.state_name} for r in flow_runs],
                "task_runs": [
                    {"name": r.name, "flow_run_id": str(r.flow_run_id), "state": r.state_name, "runs": r.run_count}
                    for r in task_runs
                ],
                "logs": [{"message": log.message, "task_run_id": str(log.task_run_id)} for log in logs],
                "artifacts": [{"key": a.key, "type": a.type, "data": a.data} for a in artifacts],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]))
