"""The unit registry every run matches against, loaded once per process per content: building it (aliases,
pinyin, abbreviation rules) costs more than reading a Word file.

The registry is staff's data: a run reads `units.csv` and `counties.csv` from the registry folder on the share
(flows/staff/registry_folder.py puts it beside the output folder and seeds it from the copies packaged here,
`schemas/registry/`). `default_registry()` without a folder reads the packaged copies (tests, the worker pool's
warm start). Registries are cached by the files' content, so an unchanged staff copy reuses the warm one and an
edited one is built again, also in a long-running `intake watch`.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from schemas.units import REGISTRY_DIR, UnitRegistry

__all__ = ["PACKAGED_REGISTRY", "STAFF_FILES", "default_registry", "registry_digest", "registry_files"]

PACKAGED_REGISTRY = REGISTRY_DIR
STAFF_FILES = ("units.csv", "counties.csv")  # what staff edit; divisions.csv is reference data of the program
_BUILT: dict[str, UnitRegistry] = {}
_KEEP = 4  # registries kept per process (a watch loop over an edited registry must not grow without end)


def registry_files(folder: Path | None = None) -> tuple[Path, ...]:
    """The registry's files: staff's copy in `folder` where it has one, else the packaged one (a folder not seeded
    yet, as when a library caller reads files without a run, reads what seeding would copy there)."""
    return tuple(
        folder / name if folder is not None and (folder / name).exists() else PACKAGED_REGISTRY / name
        for name in STAFF_FILES
    )


def registry_digest(folder: Path | None = None) -> str:
    """Changes with the content of the registry's files (not their names or folder)."""
    digest = hashlib.sha256()
    for path in registry_files(folder):
        digest.update(path.read_bytes() if path.exists() else b"")
        digest.update(b"\0")
    return digest.hexdigest()[:12]


def default_registry(folder: Path | None = None) -> UnitRegistry:
    key = registry_digest(folder)
    registry = _BUILT.get(key)
    if registry is None:
        if len(_BUILT) >= _KEEP:
            _BUILT.pop(next(iter(_BUILT)))
        registry = _BUILT[key] = UnitRegistry.load(*registry_files(folder))
    return registry
