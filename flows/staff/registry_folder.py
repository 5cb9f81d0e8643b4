"""Where staff keep the unit registry: a folder on the share, not the installed program.

The registry (units.csv, counties.csv) is staff's data: they add aliases to it, and the 加入别名 requests of
the workbook wait for review in its pending_aliases.csv. It lives beside the output folder (`<out>/../registry/`)
unless `--registry DIR` names another, and is seeded from the packaged copy (schemas/registry/) on the first run.
After that the folder's copy is the one every run reads: a newer program does not overwrite staff's edits.
Nothing a run writes goes into the installed code (a read-only site-packages, or a checkout that must stay clean).
"""

from __future__ import annotations

from pathlib import Path

from flows.safe_files import atomic_write_bytes
from schemas.registry import PACKAGED_REGISTRY, STAFF_FILES, default_registry

FOLDER_NAME = "registry"
PENDING_ALIASES = "pending_aliases.csv"


def registry_folder(outdir: Path, registry: Path | None = None) -> Path:
    """The run's registry folder: `registry` when given, else beside the output folder."""
    return (registry or Path(outdir).absolute().parent / FOLDER_NAME).absolute()


def seed_registry(folder: Path) -> Path:
    """Create the folder and copy in each registry file it lacks (from the packaged copy); returns the folder.
    Raises OSError when the folder cannot be made or written."""
    folder.mkdir(parents=True, exist_ok=True)
    for name in STAFF_FILES:
        target = folder / name
        if not target.exists():
            atomic_write_bytes(target, (PACKAGED_REGISTRY / name).read_bytes())
    return folder


class RegistryError(ValueError):
    """The registry staff keep cannot be read: the run stops at its start, saying which file and why."""


def open_registry(outdir: Path, registry: Path | None = None) -> Path:
    """The run's registry folder, seeded and loaded once: a registry staff saved wrongly (not CSV UTF-8, a
    column missing) stops the run at its start with the folder and file named, not file by file."""
    folder = seed_registry(registry_folder(outdir, registry))
    try:
        default_registry(folder)
    except ValueError as exc:  # schemas/units.py says what is wrong with which file, in Chinese
        raise RegistryError(f"单位登记表文件夹 {folder}：{str(exc).rstrip('。')}。请改正后重新运行。") from exc
    return folder


def pending_aliases(folder: Path) -> Path:
    return folder / PENDING_ALIASES
