"""One definition of a run's options (flows/options.py), held to the Prefect flow's signature, which Prefect needs
spelled out for its UI and its checks of a run's parameters."""

from __future__ import annotations

import inspect
import json
from dataclasses import fields
from pathlib import Path

import pytest

from flows.batch import open_batch
from flows.intake_flow import intake_flow
from flows.options import PATHS, RunOptions

FLOW_ONLY = ("stable", "announce", "prepared")  # the flow's run-time arguments, not options a person sets
SIGNATURE = inspect.signature(intake_flow.fn).parameters


def test_the_options_are_the_flows_parameters_in_its_order() -> None:
    assert list(RunOptions.flow_parameter_names()) == [name for name in SIGNATURE if name not in FLOW_ONLY]


def test_each_option_has_the_flows_type_text_for_paths() -> None:
    types = {f.name: f.type for f in fields(RunOptions)}
    for name in RunOptions.flow_parameter_names():
        flow_type = SIGNATURE[name].annotation
        if name in PATHS:
            assert flow_type in ("str", "str | None"), name
        else:
            assert types[name] == flow_type, name


def test_options_left_at_their_defaults_give_the_flow_its_own_defaults() -> None:
    given = RunOptions(Path("inbox"), Path("out")).flow_parameters()
    for name in RunOptions.flow_parameter_names():
        default = SIGNATURE[name].default
        if default is not inspect.Parameter.empty:
            assert given.get(name, default) == default, name


def test_the_flows_parameters_give_back_the_same_options(tmp_path: Path) -> None:
    opts = RunOptions(
        tmp_path / "inbox", tmp_path / "out", min_confidence=0.5, workers=3, seconds_per_file=9.0,
        log_file=tmp_path / "run.log", full=True, settle_s=0.5, wait_for_lock=True, archive_to=tmp_path / "archive",
        dask_address="tcp://scheduler:8786",
    )  # fmt: skip
    params = opts.flow_parameters()
    assert json.loads(json.dumps(params)) == params, "a deployment stores them as JSON"
    bound = inspect.signature(intake_flow.fn).bind(**params)  # the flow takes every one of them
    assert bound.arguments == params
    assert RunOptions.from_flow(params) == opts


def test_open_batch_refuses_a_parameter_the_flow_does_not_take(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match="min_confidense"):
        open_batch(inbox=str(tmp_path), outdir=str(tmp_path / "out"), min_confidense=0.5)
