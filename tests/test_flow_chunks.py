"""How the Prefect flow splits a batch into tasks: every file in exactly one task, a few dozen files per task."""

from __future__ import annotations

import pytest

from flows.intake_flow import CHUNK_FILES, chunked


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
