"""The cleaned tables as pandas DataFrames, for analysts; and the same frames as Parquet (`intake export`).

    from flows.dataset import load_tables
    tables = load_tables("outputs")  # plans, activities, liaisons, reports, exceptions, units: DataFrames

Each column's dtype comes from its type in schemas/tables.yaml (`types`), through `DTYPES`:

- date → datetime64[ns] (NaT when empty); boolean → pandas "boolean"; integer → nullable "Int64";
  number → nullable "Float64"; text → pandas "string". An empty CSV cell is <NA> in every type.
- list (modules, audiences) → a Python list per row, in form order ([] when none is ticked): `"团结引领" in modules`;
  `plans.explode("modules")` for one row per module; `plans.modules.str.join(";").str.get_dummies(";")` for
  one-hot columns.
- Keys: `submission_id` joins plans ↔ activities ↔ exceptions; `unit_id` joins every table to `units` (the unit
  registry: unit_id, category, canonical_name, parent_unit_id). An unmatched unit's unit_id is <NA>, so it never
  joins to a registry unit.

A cell the CSV writer neutralised against spreadsheet formulas ('=…, '-…) is read back as typed
(flows/safe_files.py `unneutralise`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pandas as pd

from flows.safe_files import atomic_write_bytes, unneutralise
from schemas.form_schema import ColumnType, TableSpec
from schemas.form_schema import load_tables as load_table_specs
from schemas.registry import default_registry

DTYPES: dict[ColumnType, str] = {
    "text": "string",
    "date": "datetime64[ns]",
    "boolean": "boolean",
    "integer": "Int64",
    "number": "Float64",
    "list": "object",  # Python lists: Parquet stores them as list<string>
}
LIST_SEPARATOR = ";"  # the contract's multi-valued cells
UNIT_COLUMNS = ["unit_id", "category", "canonical_name", "parent_unit_id"]


def frame_name(table: str) -> str:
    """plans.csv → plans: the frames' keys, and the Parquet files' stems."""
    return Path(table).stem


def load_tables(outdir: str | Path) -> dict[str, pd.DataFrame]:
    """The cleaned tables in OUTDIR (plans, activities, liaisons, reports, exceptions) as typed DataFrames, plus
    `units`, the unit registry to join on unit_id. A table whose CSV is missing raises FileNotFoundError."""
    folder = Path(outdir)
    frames = {frame_name(name): read_csv_table(folder / name, spec) for name, spec in load_table_specs().items()}
    frames["units"] = units_frame()
    return frames


def read_csv_table(path: Path, spec: TableSpec) -> pd.DataFrame:
    """One contract CSV (UTF-8 with BOM, a header row) as a DataFrame with the spec's columns and dtypes."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return rows_frame(rows, spec, source=path.name)


def rows_frame(rows: list[dict[str, str]], spec: TableSpec, source: str = "") -> pd.DataFrame:
    """Rows of text cells (as the writer makes them, or as read from the CSV) → the typed frame."""
    text = pd.DataFrame(
        [[unneutralise(row.get(column) or "") for column in spec.columns] for row in rows],
        columns=list(spec.columns),
        dtype=object,
    )
    return pd.DataFrame(
        {column: _typed(text[column], kind, f"{source}: {column}") for column, kind in spec.column_types().items()}
    )


def _typed(cells: pd.Series, kind: ColumnType, where: str) -> pd.Series:
    empty = cells == ""
    try:
        if kind == "list":
            return cells.map(lambda cell: [item for item in cell.split(LIST_SEPARATOR) if item]).astype(object)
        if kind == "boolean":
            flags = cells.map({"true": True, "false": False, "": None})
            if flags[~empty].isna().any():
                raise ValueError(f"not true/false: {sorted(set(cells[flags.isna() & ~empty]))[:3]}")
            return flags.astype(DTYPES[kind])
        if kind == "date":
            return pd.to_datetime(cells.mask(empty), format="%Y-%m-%d").astype(DTYPES[kind])
        if kind in ("integer", "number"):
            return pd.to_numeric(cells.mask(empty)).astype(DTYPES[kind])
        return cells.mask(empty).astype(DTYPES[kind])
    except (ValueError, TypeError) as exc:  # a hand-edited CSV: say which file and column
        raise ValueError(f"{where}: not a {kind} column as schemas/tables.yaml declares ({exc})") from exc


def units_frame() -> pd.DataFrame:
    """The unit registry (schemas/registry/): one row per unit, to join on unit_id."""
    registry = default_registry()
    rows = [[u.unit_id, u.category, u.canonical_name, u.parent_unit_id] for u in registry]
    return pd.DataFrame(rows, columns=UNIT_COLUMNS).astype("string")


def export_parquet(outdir: str | Path, parquet_dir: str | Path) -> list[Path]:
    """Write load_tables(outdir) as PARQUET_DIR/<table>.parquet (atomically, like the CSVs); returns the paths."""
    frames = load_tables(outdir)  # first: a missing CSV leaves no empty folder behind
    target = Path(parquet_dir)
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in frames.items():
        buffer = io.BytesIO()
        frame.to_parquet(buffer, index=False)
        atomic_write_bytes(target / f"{name}.parquet", buffer.getvalue())
        written.append(target / f"{name}.parquet")
    return written


def read_parquet(parquet_dir: str | Path) -> dict[str, pd.DataFrame]:
    """The frames export_parquet wrote, as load_tables gives them (pd.read_parquet returns list cells as arrays)."""
    specs = load_table_specs()
    folder = Path(parquet_dir)
    frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in [*map(frame_name, specs), "units"]}
    for table, spec in specs.items():
        frame = frames[frame_name(table)]
        for column in spec.types.get("list", []):
            frame[column] = frame[column].map(list).astype(object)
    return frames
