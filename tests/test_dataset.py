"""flows.dataset: the samples run's CSVs as typed DataFrames (dtypes from schemas/tables.yaml), the same values
as the CSVs, keys that join, and `intake export --parquet` reading back equal."""

from __future__ import annotations

import csv
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml

from flows.dataset import DTYPES, frame_name, load_tables, read_parquet
from flows.tables.writer import write_outputs
from schemas.form_schema import SchemaError, load_forms
from schemas.form_schema import load_tables as load_table_specs
from tests.conftest import ROOT

SPECS = load_table_specs()


@pytest.fixture(scope="module")
def outdir(sample_outcomes, tmp_path_factory) -> Path:
    """The samples run (conftest's one read of samples/inbox), written once for this module."""
    out = tmp_path_factory.mktemp("dataset") / "outputs"
    write_outputs(out, list(sample_outcomes.values()))
    return out


@pytest.fixture(scope="module")
def tables(outdir: Path) -> dict[str, pd.DataFrame]:
    return load_tables(outdir)


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_every_table_has_the_contract_columns_and_rows(tables, outdir: Path) -> None:
    assert set(tables) == {*(frame_name(name) for name in SPECS), "units"}
    for name, spec in SPECS.items():
        frame = tables[frame_name(name)]
        assert list(frame.columns) == list(spec.columns), name
        assert len(frame) == len(_csv(outdir / name)), name
    assert len(tables["plans"]) > 10 and len(tables["activities"]) > 10 and len(tables["exceptions"]) > 5


def test_dtypes_are_the_ones_tables_yaml_declares(tables) -> None:
    for name, spec in SPECS.items():
        frame = tables[frame_name(name)]
        for column, kind in spec.column_types().items():
            assert frame[column].dtype == DTYPES[kind], (name, column, kind, frame[column].dtype)
    plans, reports, exceptions = tables["plans"], tables["reports"], tables["exceptions"]
    # what an analyst relies on, stated outright
    assert str(plans["planned_start"].dtype) == "datetime64[ns]" and str(reports["submitted_on"].dtype) == (
        "datetime64[ns]"
    )
    assert str(plans["stamp_present"].dtype) == "boolean" and str(plans["counted"].dtype) == "boolean"
    assert str(plans["expected_participants"].dtype) == "Int64" and str(tables["activities"]["seq"].dtype) == "Int64"
    assert str(exceptions["page"].dtype) == "Int64" and str(exceptions["confidence"].dtype) == "Float64"
    assert str(plans["unit_id"].dtype) == "string" and str(tables["units"]["unit_id"].dtype) == "string"
    # the values behind the dtypes
    assert plans["planned_start"].dropna().between("2021-01-01", "2021-12-31").all()
    assert plans["stamp_present"].notna().all() and plans["stamp_present"].any() and not plans["stamp_present"].all()
    assert (plans["planned_end"] >= plans["planned_start"]).dropna().all()
    assert exceptions["confidence"].dropna().between(0, 1).all()


def test_modules_and_audiences_are_lists_of_the_forms_choices(tables) -> None:
    choices = {f.column: f.choices for form in load_forms() for f in form.fields if f.type == "choices"}
    plans = tables["plans"]
    for column in ("modules", "audiences"):
        assert plans[column].map(type).eq(list).all(), column
        ticked = [item for items in plans[column] for item in items]
        assert ticked and set(ticked) <= set(choices[column]), column
        for items in plans[column]:  # in form order
            assert items == sorted(items, key=choices[column].index)
    assert plans["modules"].map(len).eq(0).any(), "a plan with no module ticked has []"
    exploded = plans.explode("modules").dropna(subset=["modules"])
    assert len(exploded) == plans["modules"].map(len).sum()


def _as_text(value: object, kind: str) -> str:
    """How the CSV writes a value of this type (the contract): the test's own rendering, not the loader's."""
    if kind == "list":
        return ";".join(value)  # type: ignore[arg-type]
    if value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "date":
        return value.strftime("%Y-%m-%d")  # type: ignore[union-attr]
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "number":
        return f"{value:.2f}"
    return str(value)


def test_round_trip_csv_to_dataframe_gives_the_same_values(tables, outdir: Path) -> None:
    checked = 0
    for name, spec in SPECS.items():
        frame = tables[frame_name(name)]
        for i, row in enumerate(_csv(outdir / name)):
            for column, kind in spec.column_types().items():
                cell = row[column]
                if cell.startswith("'") and cell[1:2] in ("=", "+", "-", "@"):  # neutralised for Excel
                    cell = cell[1:]
                assert _as_text(frame[column].iloc[i], kind) == cell, (name, i, column)
                checked += 1
    assert checked > 1000


def test_keys_join_plans_activities_exceptions_and_units(tables) -> None:
    plans, activities, units = tables["plans"], tables["activities"], tables["units"]
    assert plans["submission_id"].is_unique and units["unit_id"].is_unique
    joined = activities.merge(plans, on="submission_id", how="left", suffixes=("", "_plan"), validate="many_to_one")
    assert joined["source_file"].notna().all(), "every activity belongs to a plan"
    assert joined["unit_id"].equals(joined["unit_id_plan"])
    for name in ("plans", "activities", "liaisons", "reports"):
        ids = tables[name]["unit_id"].dropna()
        assert ids.isin(units["unit_id"]).all(), name
    assert plans["unit_id"].isna().any(), "an unmatched unit is <NA>, not an empty string that joins"
    # an error a Word file and its stamped copy share is one row, on the Word file, naming the copy in also_in
    errors = tables["exceptions"].query("severity == 'error'")
    named = set(errors["source_file"]) | {f for files in errors["also_in"].dropna() for f in files.split(";") if f}
    review = plans["status"] == "needs_review"
    assert review.tolist() == plans["source_file"].isin(named).tolist()


def test_the_readme_analyst_lines_run(tables, outdir: Path) -> None:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```python\n(from flows\.dataset import load_tables\n.*?)```", text, re.S)
    assert block, "README: the analysts' lines"
    lines = block.group(1).strip().splitlines()
    assert len(lines) == 4  # the import and three lines: load, filter, count
    scope: dict[str, object] = {}
    exec("\n".join([*lines[:-1], f"result = {lines[-1]}"]).replace('"outputs"', repr(str(outdir))), scope)
    counts = scope["result"]
    plans = tables["plans"]
    assert int(counts.sum()) == int((plans["status"] == "needs_review").sum()) > 0
    categories = dict(zip(tables["units"]["unit_id"], tables["units"]["category"], strict=True))
    for category, count in counts.items():
        if not pd.isna(category):
            review = plans[plans["status"] == "needs_review"]
            assert count == review["unit_id"].map(categories.get).eq(category).sum(), category


def test_export_parquet_reads_back_equal(tables, outdir: Path, tmp_path: Path) -> None:
    target = tmp_path / "parquet"
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / ".prefect")}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "export", "--out", str(outdir), "--parquet", str(target)],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    back = read_parquet(target)
    assert set(back) == set(tables)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(back[name], frame, obj=name)
    # what another tool sees: typed columns, not text
    schema = pq.read_schema(target / "plans.parquet")
    assert str(schema.field("planned_start").type).startswith("timestamp")
    assert str(schema.field("counted").type) == "bool" and str(schema.field("expected_participants").type) == "int64"
    assert str(schema.field("modules").type) == "list<element: string>"
    plain = pd.read_parquet(target / "plans.parquet")  # an analyst's plain read works too
    assert list(plain["modules"].iloc[0]) == tables["plans"]["modules"].iloc[0]


def test_export_without_a_run_says_so(tmp_path: Path) -> None:
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / ".prefect")}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "export", "--out", str(tmp_path / "none"), "--parquet", "pq"],
        capture_output=True, text=True, cwd=tmp_path, env=env, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2
    assert "plans.csv" in done.stdout and "intake run" in done.stdout
    assert not (tmp_path / "pq").exists()


def test_a_hand_edited_cell_of_the_wrong_type_names_file_and_column(outdir: Path, tmp_path: Path) -> None:
    for name in SPECS:
        (tmp_path / name).write_bytes((outdir / name).read_bytes())
    rows = _csv(tmp_path / "plans.csv")
    rows[0]["counted"] = "yes"
    with open(tmp_path / "plans.csv", "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    with pytest.raises(ValueError, match=r"plans\.csv: counted: not a boolean column"):
        load_tables(tmp_path)


def test_tables_yaml_types_must_name_the_tables_columns(tmp_path: Path) -> None:
    raw = yaml.safe_load((ROOT / "schemas" / "tables.yaml").read_text(encoding="utf-8"))
    raw["plans.csv"]["types"]["date"].append("planned_stat")  # a typo
    bad = tmp_path / "tables.yaml"
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError, match="planned_stat"):
        load_table_specs(bad)
    raw["plans.csv"]["types"]["date"].remove("planned_stat")
    raw["plans.csv"]["types"]["text"] = ["counted"]  # counted is boolean already
    bad.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    with pytest.raises(SchemaError, match="counted"):
        load_table_specs(bad)
