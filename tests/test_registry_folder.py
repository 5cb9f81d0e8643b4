"""The unit registry is staff's data on the share: a run reads and writes it beside the output folder (or in
`--registry DIR`), seeds it from the packaged copy, and writes nothing into the installed program."""

from __future__ import annotations

import csv
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from flows.staff.corrections import CORRECTION_COLUMNS, CORRECTIONS_CSV
from flows.staff.registry_folder import PENDING_ALIASES
from flows.state.incremental import run_incremental
from schemas.registry import PACKAGED_REGISTRY, STAFF_FILES, default_registry
from tests.conftest import INBOX, ROOT

PLAN_FOREIGN_UNIT = "hainan_kexie_fangan.docx"  # 海南省科协: unit_unmatched (samples' truth)
PLAN_XINING = "西宁市科协-特色亮点活动筹备方案.docx"  # 西宁市科协 → city-xining
CODE_DIRS = ("flows", "extractors", "schemas")


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def code_snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Every file of the program (bytecode caches aside) with its size and mtime."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_size, p.stat().st_mtime_ns)
        for d in CODE_DIRS
        for p in (root / d).rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }


def alias_request(out: Path) -> None:
    """A 加入别名 staff typed earlier (as the corrections store keeps it): 海南省科协 is 海南州科协."""
    out.mkdir(parents=True, exist_ok=True)
    row = {c: "" for c in CORRECTION_COLUMNS}
    row.update(source_file=PLAN_FOREIGN_UNIT, field="unit_raw", old_value="海南省科协", new_value="海南州科协")
    row.update(add_alias="是", entered_on="2021-05-20", entered_via="csv")
    with open(out / CORRECTIONS_CSV, "w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, CORRECTION_COLUMNS)
        writer.writeheader()
        writer.writerow(row)


@pytest.fixture()
def inbox(tmp_path: Path) -> Path:
    folder = tmp_path / "inbox"
    folder.mkdir()
    for name in (PLAN_FOREIGN_UNIT, PLAN_XINING):
        shutil.copy(INBOX / name, folder / name)
    return folder


def test_the_registry_is_seeded_beside_out_and_alias_requests_land_there(inbox: Path, tmp_path: Path) -> None:
    out = tmp_path / "share" / "outputs"
    alias_request(out)
    code_before = code_snapshot(ROOT)
    run_incremental(inbox, out, settle_s=0)
    registry = tmp_path / "share" / "registry"
    for name in STAFF_FILES:
        assert (registry / name).read_bytes() == (PACKAGED_REGISTRY / name).read_bytes(), name
    pending = read_csv(registry / PENDING_ALIASES)
    assert [(r["alias"], r["unit_id"], r["status"]) for r in pending] == [("海南省科协", "city-hainan", "待审核")]
    assert code_snapshot(ROOT) == code_before, "a run wrote into the program's own folders"
    assert not (PACKAGED_REGISTRY / PENDING_ALIASES).exists()


def test_staff_edits_to_the_registry_folder_are_what_the_next_run_matches(inbox: Path, tmp_path: Path) -> None:
    out, registry = tmp_path / "out", tmp_path / "elsewhere" / "registry"
    run_incremental(inbox, out, settle_s=0, registry=registry)
    plans = {r["source_file"]: r for r in read_csv(out / "plans.csv")}
    assert plans[PLAN_XINING]["unit_id"] == "city-xining"
    assert not (tmp_path / "registry").exists(), "--registry given: nothing beside out"

    # staff give 西宁市科协 a new id in their copy (an edit like adding an alias): the files are read again
    units = registry / "units.csv"
    units.write_bytes(units.read_bytes().replace(b"city-xining,", b"city-xining-2021,", 1))
    report = run_incremental(inbox, out, settle_s=0, registry=registry)
    assert report.extracted == 2, "a changed registry must re-read the files it may match differently"
    plans = {r["source_file"]: r for r in read_csv(out / "plans.csv")}
    assert plans[PLAN_XINING]["unit_id"] == "city-xining-2021"
    assert run_incremental(inbox, out, settle_s=0, registry=registry).extracted == 0


def test_a_registry_saved_in_the_wrong_encoding_stops_the_run_with_the_file_named(inbox: Path, tmp_path: Path) -> None:
    registry = tmp_path / "registry"
    registry.mkdir()
    (registry / "units.csv").write_bytes((PACKAGED_REGISTRY / "units.csv").read_text("utf-8").encode("gb18030"))
    with pytest.raises(ValueError, match="units.csv"):
        run_incremental(inbox, tmp_path / "out", settle_s=0)
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    args = ["run", "--no-prefect", "--inbox", str(inbox), "--out", str(tmp_path / "out")]
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", *args],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env,
    )  # fmt: skip
    assert done.returncode == 2, done.stdout + done.stderr
    assert f"单位登记表文件夹 {registry}" in done.stdout and "不是 UTF-8 编码" in done.stdout, done.stdout


def _make_read_only(root: Path) -> None:
    for p in [root, *root.rglob("*")]:
        p.chmod(p.stat().st_mode & ~(stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))


def _make_writable(root: Path) -> None:
    for p in [root, *root.rglob("*")]:
        p.chmod(p.stat().st_mode | stat.S_IWUSR)


def test_a_non_editable_read_only_install_runs_with_alias_requests(inbox: Path, tmp_path: Path) -> None:
    """`pip install .` (not -e) into a folder made read-only, run from elsewhere: the run works, the alias
    request goes to the registry folder, and the installed program is left as it was (compared file by file:
    root may write into a read-only folder)."""
    site, source = tmp_path / "site", tmp_path / "source"  # built from a copy: setuptools writes build/ in-tree
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for name in CODE_DIRS:
        shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__"))
    built = subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(source)],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    if built.returncode != 0:
        pytest.skip(f"could not build the package here: {built.stderr[-300:]}")
    out = tmp_path / "share" / "outputs"
    alias_request(out)
    installed = code_snapshot(site)
    _make_read_only(site)
    try:
        code = f"import sys, flows; assert flows.__file__.startswith({str(site)!r}), flows.__file__; " + (
            "from flows.cli import main; sys.argv = ['intake', *sys.argv[1:]]; main()"
        )
        env = {**os.environ, "PYTHONPATH": str(site), "PREFECT_HOME": str(tmp_path / "prefect-home")}
        done = subprocess.run(
            [sys.executable, "-c", code, "run", "--no-prefect", "--workers", "0", "--inbox", str(inbox),
             "--out", str(out), "--settle", "0"],
            capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env,
        )  # fmt: skip
    finally:
        _make_writable(site)
    assert done.returncode == 3, done.stdout + done.stderr
    pending = read_csv(tmp_path / "share" / "registry" / PENDING_ALIASES)
    assert [r["alias"] for r in pending] == ["海南省科协"]
    assert code_snapshot(site) == installed


def _git_status() -> str | None:
    try:
        done = subprocess.run(["git", "status", "--porcelain"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None


def test_a_run_leaves_a_checkout_clean(inbox: Path, tmp_path: Path) -> None:
    before = _git_status()
    if before is None:
        pytest.skip("not a git checkout")
    out = tmp_path / "out"
    alias_request(out)
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect-home")}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "run", "--no-prefect", "--workers", "0", "--inbox", str(inbox),
         "--out", str(out), "--settle", "0"],
        capture_output=True, text=True, timeout=300, cwd=ROOT, env=env,
    )  # fmt: skip
    assert done.returncode == 3, done.stdout + done.stderr
    assert (tmp_path / "registry" / PENDING_ALIASES).exists()
    assert _git_status() == before


def test_a_folder_not_seeded_yet_reads_the_packaged_registry(tmp_path: Path) -> None:
    """A library caller reading files without a run (the benchmark, a notebook) gets our units, not an error."""
    missing = tmp_path / "no-such-registry"
    registry = default_registry(missing)
    assert len(registry) == len(default_registry()) and not missing.exists()
    assert registry.match("青海省科协").status == "matched"
