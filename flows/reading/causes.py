"""Whole-file problems found around the extractors: before a file is read (precheck), by the worker that reads
it (isolation), and our own bugs. Same shape as extractors/errors.py: one class per cause, carrying its code
and the key of its wording in schemas/messages.yaml (file_problems)."""

from __future__ import annotations

from extractors.errors import IntakeError, UnreadableFile

# ------------------------------------------------------------------------------------ before it is read


class OutsideInbox(UnreadableFile):
    key = "outside_inbox"


class FileGone(UnreadableFile):
    key = "file_gone"


class AccessDenied(UnreadableFile):
    key = "access_denied"


class NotAFile(UnreadableFile):
    key = "not_a_file"


class EmptyFile(UnreadableFile):
    key = "empty_file"


class FileTooBig(UnreadableFile):
    key = "file_too_big"
    params = ("size_mb", "limit_mb")


class OsProblem(UnreadableFile):
    key = "os_error"
    params = ("errno",)


# ------------------------------------------------------------------------------------ while it is read


class OutOfMemory(UnreadableFile):
    key = "out_of_memory"


class MemoryLimit(UnreadableFile):
    """An allocation refused under the worker's memory ceiling (flows/reading/budget.py)."""

    key = "memory_limit"
    params = ("limit_mb",)


class CpuBudgetSpent(UnreadableFile):
    """The file used up its CPU-time budget: this computer's limit, not a fault of the file."""

    key = "cpu_budget"
    params = ("seconds",)


class WorkerTimeout(UnreadableFile):
    key = "worker_timeout"
    params = ("seconds",)


class WorkerKilled(UnreadableFile):
    key = "worker_killed"


class WorkerCrashed(UnreadableFile):
    key = "worker_crashed"
    params = ("reason",)


# ------------------------------------------------------------------------------------ our own bugs


class InternalError(IntakeError):
    """The program failed on this file: a bug for the technical contact, never the unit's to fix."""

    code = "internal_error"


class ExtractorBug(InternalError):
    key = "extractor_bug"


class ReaderBug(InternalError):
    key = "reader_bug"


class PipelineBug(InternalError):
    key = "pipeline_bug"


def bug(cause: type[InternalError], exc: BaseException) -> InternalError:
    """The exception and what it was raised from, one line each: a library that wraps a refused allocation in
    its own error (rapidocr's `ResizeImgError` around OpenCV's "Insufficient memory") still says why."""
    lines, seen = [], set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen and len(lines) < _CHAIN_MAX:
        seen.add(id(current))
        lines.append(f"{type(current).__name__}: {current}".strip())
        current = current.__cause__ or current.__context__
    return cause("\n".join(lines))


_CHAIN_MAX = 4  # exceptions of a chain kept in the technical detail (the whole traceback is in the log)
