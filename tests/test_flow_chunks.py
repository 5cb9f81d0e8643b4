"""How the Prefect flow takes a batch: every file in exactly one task of a few dozen; the batch (lock, plan, pool)
opened before the flow run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from flows.batch import _BATCHES, discard_batch, open_batch
from flows.intake_flow import CHUNK_FILES, chunked
from tests.conftest import INBOX, ROOT


@pytest.mark.parametrize("n", [0, 1, 2, 3, 25, 26, 200, 1001])
@pytest.mark.parametrize("workers", [0, 1, 2, 4])
def test_every_file_is_in_exactly_one_chunk(n: int, workers: int) -> None:
    files = [f"f{i:04d}.docx" for i in range(n)]
    chunks = chunked(files, workers)
    assert sorted(f for chunk in chunks for f in chunk) == files
    assert all(chunks), "no empty task"
    if n:
        assert max(map(len, chunks)) <= CHUNK_FILES
        # enough tasks that every worker thread has one, while there are files to go round
        assert len(chunks) >= min(n, max(1, workers))


def test_a_large_batch_is_a_few_tasks_not_one_per_file() -> None:
    chunks = chunked([f"{i}.docx" for i in range(200)], workers=2)
    assert len(chunks) == 200 // CHUNK_FILES


def test_a_batch_no_flow_run_took_releases_the_lock_and_stops_its_workers(tmp_path: Path) -> None:
    """A one-shot run opens its batch before Prefect's flow run starts; if that never starts, nothing stays held."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    for name in sorted(p.name for p in INBOX.glob("*.docx"))[:3]:
        shutil.copyfile(INBOX / name, inbox / name)
    params = {"inbox": str(inbox), "outdir": str(out), "workers": 1, "settle_s": 0}
    key = open_batch(**params)
    runner = _BATCHES[key].runner
    assert runner is not None and len(_BATCHES[key].files) == 3
    assert not _lock_is_free(out)  # the batch holds the output folder
    discard_batch(key)
    assert key not in _BATCHES and runner._pool is None
    assert _lock_is_free(out)


def _lock_is_free(out: Path) -> bool:
    """Whether another process could start a run on `out` now (the lock is re-entrant within one process)."""
    probe = (
        "import sys; from flows.state.runlock import RunLock;"
        " RunLock(__import__('pathlib').Path(sys.argv[1])).acquire()"
    )
    done = subprocess.run([sys.executable, "-c", probe, str(out)], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0 or "RunLocked" in done.stderr, done.stderr
    return done.returncode == 0
