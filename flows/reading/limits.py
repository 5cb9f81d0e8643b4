"""Per-file resource limits: what one submission may cost before it is refused.

A hostile or broken file (a 500-page scan, a decompression bomb, a parser that never
returns) must cost one exceptions.csv row, not the batch. Every limit has a safe default
and can be changed through an environment variable (or `Limits(...)` in code). The defaults of the limits the
extractors enforce (pages, pixels, uncompressed size) live in extractors/options.py:

| setting              | env var                      | default | what happens above it                        |
|----------------------|------------------------------|---------|----------------------------------------------|
| max_pages            | INTAKE_MAX_PAGES             | 50      | PDF / multi-page image refused               |
| max_pixels_per_page  | INTAKE_MAX_PIXELS_PER_PAGE   | 40e6    | image refused before it is decoded           |
| max_uncompressed_mb  | INTAKE_MAX_UNCOMPRESSED_MB   | 200     | .docx refused as a zip bomb                  |
| seconds_per_file     | INTAKE_SECONDS_PER_FILE      | 120     | CPU seconds: file stopped, "time limit" row  |
| max_file_mb          | INTAKE_MAX_FILE_MB           | 100     | file refused before it is read               |
| max_worker_memory_mb | INTAKE_MAX_WORKER_MEMORY_MB  | 1280    | allocation refused, "memory limit" row; 0=off|

seconds_per_file is CPU time (flows/reading/budget.py), so a busy machine does not turn a slow file into a
timed-out one; a file that waits without computing is stopped after `WALL_FACTOR` times as many seconds of
wall time less the time it waited for a CPU. max_worker_memory_mb caps each worker's writable memory
(`RLIMIT_DATA`, Linux): the sample scans peak at 0.51–0.66 GB resident and read under 1024 MB, so 1280 MB
leaves room, and a run's two workers and itself stay near the 2 GB a run may take.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from PIL import Image

from extractors.options import DEFAULTS as EXTRACTOR_DEFAULTS
from extractors.options import MB

ENV_PREFIX = "INTAKE_"
# Quiet-clock seconds a file may take (wall time less waiting for a CPU, flows/reading/budget.py), as a multiple
# of its CPU budget: room for work that waits on a disk or a helper program between bursts of computing.
WALL_FACTOR = 3.0
# The pool's plain wall-clock timeout, as a multiple of the quiet-clock limit: the last resort for a worker that
# cannot take a signal (stuck in C code); far enough that a busy machine does not reach it first.
BACKSTOP_FACTOR = 4.0


class LimitsError(ValueError):
    """An environment variable holds a value that is not a usable limit."""


@dataclass(frozen=True)
class Limits:
    max_pages: int = EXTRACTOR_DEFAULTS.max_pages
    max_pixels_per_page: int = EXTRACTOR_DEFAULTS.max_pixels_per_page
    max_uncompressed_mb: int = EXTRACTOR_DEFAULTS.max_uncompressed_bytes // MB
    seconds_per_file: float = 120.0
    max_file_mb: int = 100
    max_worker_memory_mb: int = 1280  # 0 = no memory ceiling on workers

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if value < 0 or (value == 0 and f.name != "max_worker_memory_mb"):
                raise LimitsError(f"限制值 {f.name} 必须为正数，当前为 {value}")

    @property
    def max_uncompressed_bytes(self) -> int:
        return self.max_uncompressed_mb * 1024 * 1024

    @property
    def wall_seconds_per_file(self) -> float:
        return self.seconds_per_file * WALL_FACTOR

    @property
    def backstop_seconds_per_file(self) -> float:
        return self.wall_seconds_per_file * BACKSTOP_FACTOR

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 1024 * 1024

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides: object) -> Limits:
        """Defaults, then INTAKE_* environment variables, then explicit overrides (e.g. CLI options)."""
        env = os.environ if env is None else env
        values: dict[str, object] = {}
        for f in fields(cls):
            name = ENV_PREFIX + f.name.upper()
            raw = env.get(name, "").strip()
            if not raw:
                continue
            try:
                number = float(raw)  # accepts "40e6" for pixels
            except ValueError:
                number = math.nan
            if not math.isfinite(number):
                raise LimitsError(f"环境变量 {name} 的值“{raw}”不是有效数字")
            values[f.name] = number if f.type in (float, "float") else int(number)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    def apply_to_pillow(self) -> None:
        """Pillow's own bomb guard: it warns above MAX_IMAGE_PIXELS and refuses above twice that.

        The scan extractor checks the pixel count itself before decoding (extractors/image_size.py); this is the
        backstop for any other code path that opens an image (e.g. pictures inside documents).
        """
        Image.MAX_IMAGE_PIXELS = self.max_pixels_per_page
