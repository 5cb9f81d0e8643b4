"""When does a file on a shared drive count? Once its size and mtime have stopped changing.

A unit's file copied onto an SMB share appears at once but grows for seconds or minutes; reading it then
gives a truncated document. inotify does not fire for changes made by other SMB clients, so we poll:
a file is stable when two looks at least `settle_s` apart saw the same size and mtime, or when its mtime
is already older than `settle_s` (nothing has touched it for a while).

Clock skew between the file server and this machine can make a file that is still growing look old;
`require_two_looks=True` (what `intake watch` uses) ignores the age shortcut and always wants two looks.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

# Seconds a file must have kept its size and mtime to count (`intake run --settle`).
DEFAULT_SETTLE_S = 2.0


@dataclass(frozen=True)
class Snapshot:
    size: int
    mtime_ns: int

    @classmethod
    def of(cls, path: Path) -> Snapshot | None:
        try:
            st = os.stat(path)
        except OSError:  # vanished between listing and stat (moved, renamed by the copier)
            if not os.path.islink(path):
                return None
            # a dangling link still gets its row (process_file refuses it): judge the link itself
            try:
                st = os.lstat(path)
            except OSError:
                return None
        return cls(st.st_size, st.st_mtime_ns)


class StabilityTracker:
    """Remembers what each path looked like at the previous poll; use one per watch loop."""

    def __init__(self, settle_s: float = DEFAULT_SETTLE_S, require_two_looks: bool = False) -> None:
        self.settle_s = settle_s
        self.require_two_looks = require_two_looks
        self._seen: dict[Path, tuple[Snapshot, float]] = {}  # path -> (snapshot, monotonic time first seen so)

    def observe(self, paths: list[Path]) -> tuple[dict[Path, Snapshot], list[Path]]:
        """One poll: returns (stable files with their snapshot, files still changing)."""
        now_mono, now_wall = time.monotonic(), time.time()
        stable: dict[Path, Snapshot] = {}
        pending: list[Path] = []
        seen: dict[Path, tuple[Snapshot, float]] = {}
        for path in paths:
            snap = Snapshot.of(path)
            if snap is None:
                continue
            before = self._seen.get(path)
            since = before[1] if before and before[0] == snap else now_mono
            seen[path] = (snap, since)
            unchanged_long_enough = before is not None and before[0] == snap and now_mono - since >= self.settle_s
            old_enough = not self.require_two_looks and now_wall - snap.mtime_ns / 1e9 >= self.settle_s
            if unchanged_long_enough or old_enough:
                stable[path] = snap
            else:
                pending.append(path)
        self._seen = seen
        return stable, pending


def settle(paths: list[Path], settle_s: float = DEFAULT_SETTLE_S) -> tuple[dict[Path, Snapshot], list[Path]]:
    """For a one-shot run: files older than `settle_s` count at once; younger ones get a second look.

    The run waits (once, `settle_s` seconds) only when some file was touched in the last `settle_s`
    seconds, so a run over an inbox nobody is writing to does not wait at all. `settle_s=0` trusts every file.
    """
    if settle_s <= 0:
        return {p: s for p in paths if (s := Snapshot.of(p)) is not None}, []
    tracker = StabilityTracker(settle_s)
    stable, pending = tracker.observe(paths)
    if not pending:
        return stable, []
    time.sleep(settle_s)
    again, still = tracker.observe(pending)
    stable.update(again)
    return stable, still
