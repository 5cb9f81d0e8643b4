"""One run's options: what `intake run`, `intake watch` and `intake serve` hand down, and the Prefect flow's parameters.

Every field but `prefect` is a parameter of the flow, with the same name and default. flows/intake_flow.py spells
them out once more in the flow's signature, because Prefect builds its UI and checks a run's parameters from
that signature; tests/test_run_options.py checks that the two agree. The flow takes JSON (a deployment stores its
parameters): `flow_parameters()` and `from_flow()` convert.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from flows.reading.isolation import DEFAULT_WORKERS, IsolatedRunner
from flows.reading.limits import Limits
from flows.staff.corrections import Corrections
from flows.staff.registry_folder import registry_folder
from flows.state.stability import DEFAULT_SETTLE_S
from schemas.validate import DEFAULT_MIN_CONFIDENCE

NOT_FLOW_PARAMETERS = ("prefect",)
PATHS = ("inbox", "outdir", "log_file", "archive_to", "registry")  # Path here, text in the flow's parameters


@dataclass
class RunOptions:
    inbox: Path
    outdir: Path
    min_confidence: float = DEFAULT_MIN_CONFIDENCE
    workers: int = DEFAULT_WORKERS
    seconds_per_file: float | None = None  # None: Limits' own (or INTAKE_SECONDS_PER_FILE)
    log_file: Path | None = None
    full: bool = False
    settle_s: float = DEFAULT_SETTLE_S
    wait_for_lock: bool = False
    archive_to: Path | None = None
    dask_address: str = ""
    registry: Path | None = None  # the unit registry's folder; None: beside outdir (flows/staff/registry_folder.py)
    prefect: bool = True  # whether the run goes through Prefect at all

    @classmethod
    def flow_parameter_names(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls) if f.name not in NOT_FLOW_PARAMETERS)

    def flow_parameters(self) -> dict[str, object]:
        """The flow's parameters as JSON: paths absolute, as text; a None is left out, so the flow takes its own
        default for it (no log file, no archive, the default timeout)."""
        values: dict[str, object] = {}
        for name in self.flow_parameter_names():
            value = getattr(self, name)
            if value is not None:
                values[name] = str(value.absolute()) if isinstance(value, Path) else value
        return values

    @classmethod
    def from_flow(cls, parameters: Mapping[str, object]) -> RunOptions:
        """The options a flow run was given; names that are not run options (the flow's own) are ignored."""
        values = {name: parameters[name] for name in cls.flow_parameter_names() if name in parameters}
        for name in PATHS:
            if name in values:
                values[name] = Path(values[name]) if values[name] else None  # archive_to "": no archive
        return cls(**values)  # type: ignore[arg-type]

    @property
    def registry_dir(self) -> Path:
        return registry_folder(self.outdir, self.registry)

    def limits(self) -> Limits:
        return Limits.from_env(seconds_per_file=self.seconds_per_file)

    def worker_pool(self, corrections: Corrections | None, crops_root: Path | None) -> IsolatedRunner:
        """The run's killable worker processes (flows/reading/isolation.py), reading with its corrections."""
        pool = IsolatedRunner(self.workers, self.limits(), min_confidence=self.min_confidence, log_file=self.log_file)
        pool.kwargs["corrections"] = corrections
        pool.kwargs["crops_root"] = crops_root
        pool.kwargs["registry_dir"] = self.registry_dir
        return pool
