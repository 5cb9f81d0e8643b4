"""One run at a time per output folder: an exclusive lock file, `<out>/state/run.lock`.

Two runs writing the same outputs and ledger would interleave; the second one waits (`--wait`) or stops
with exit code 2 and a message naming the holder.

How the lock is held:
- `fcntl.flock` (POSIX) / `msvcrt.locking` (Windows) on the lock file. The kernel drops it when the process
  dies, even by SIGKILL, so a crashed run never blocks the next one. This is exact on a local disk.
- On an SMB/CIFS share byte-range locks may not reach other clients (e.g. mounted with `nobrl`), so the
  file also records pid, host and a heartbeat refreshed every `HEARTBEAT_S` seconds. A lock that the OS
  grants is still refused while the file names a live holder on another host (a fresh heartbeat); a holder
  killed there is taken over once its heartbeat is older than `STALE_S`.
- On this host a granted lock already proves the holder is gone: processes on one machine see each other's
  locks even on a share. The pid is not asked: a run killed by SIGKILL under a parent that never reaps
  (a container's PID 1 without `--init`) stays a zombie whose pid answers `kill(pid, 0)` for good, and
  trusting it locked out every later run (issue 18). `pid_running` counts a zombie as gone for the same
  reason.
The lock file itself is never deleted (deleting a lock file others may have open races with them);
releasing empties it.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import IO

try:  # POSIX
    import fcntl
except ImportError:  # Windows
    fcntl = None
    import msvcrt

HEARTBEAT_S = 20.0
STALE_S = 120.0
BUSY_MESSAGE = "另一个处理任务正在运行（{who}），请等它结束后再试，或加 --wait 排队等待。"

_held: dict[str, tuple[int, RunLock]] = {}  # lock path -> (depth, owner) for re-entry within one process
_held_guard = threading.Lock()


class RunLocked(Exception):
    """Another run holds the output folder."""

    def __init__(self, holder: dict) -> None:
        self.holder = holder
        who = (
            f"主机 {holder.get('host', '?')}，进程 {holder.get('pid', '?')}，开始于 {holder.get('started', '?')}"
            if holder
            else "持有者未知"
        )
        self.message_zh = BUSY_MESSAGE.format(who=who)
        super().__init__(self.message_zh)


def _os_lock(fh: IO[str]) -> bool:
    if fcntl is not None:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False
    try:
        fh.seek(0)
        msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)
        return True
    except OSError:
        return False


def _os_unlock(fh: IO[str]) -> None:
    if fcntl is not None:
        fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
        return
    fh.seek(0)
    msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)


def pid_running(pid: int) -> bool:
    """Is a process with this pid running on this host? A zombie (exited, not yet reaped) is not."""
    if pid <= 0:
        return False
    if os.name == "nt":  # os.kill(pid, 0) would terminate it on Windows; the heartbeat decides there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        pass  # someone else's process: it exists
    return not _is_zombie(pid)


def _is_zombie(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii", errors="replace")
    except OSError:  # no /proc (macOS) or it just went away: kill(pid, 0) has answered
        return False
    return stat[stat.rfind(")") + 1 :].split()[:1] == ["Z"]  # the name in () may hold spaces or ')'


def _read_holder(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8").strip()
        return json.loads(text) if text else {}
    except (OSError, ValueError):
        return {}


def holder_is_live(holder: dict, host: str = socket.gethostname(), os_lock_granted: bool = False) -> bool:
    """Does the lock file's content name a run that is still going?

    os_lock_granted: this process holds the OS lock, so a holder on this host is gone whatever its pid says.
    """
    if not holder:
        return False
    fresh = time.time() - float(holder.get("heartbeat", 0)) < STALE_S
    if holder.get("host") == host:
        if os_lock_granted or holder.get("pid") == os.getpid():
            return False
        return fresh and pid_running(int(holder.get("pid", 0)))
    return fresh


class RunLock:
    """`with RunLock(out, wait=False): ...` — raises RunLocked when busy and not waiting."""

    def __init__(self, outdir: Path, wait: bool = False, timeout_s: float | None = None, poll_s: float = 1.0) -> None:
        self.path = Path(outdir) / "state" / "run.lock"
        self.wait = wait
        self.timeout_s = timeout_s
        self.poll_s = poll_s
        self._fh: IO[str] | None = None
        self._stop = threading.Event()
        self._beat: threading.Thread | None = None

    def __enter__(self) -> RunLock:
        self.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release()

    def acquire(self) -> None:
        key = str(self.path.resolve())
        with _held_guard:
            if key in _held:  # the CLI took it and the flow it starts takes it again
                depth, owner = _held[key]
                _held[key] = (depth + 1, owner)
                return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = None if self.timeout_s is None else time.monotonic() + self.timeout_s
        while not self._try_once():
            if not self.wait or (deadline is not None and time.monotonic() >= deadline):
                raise RunLocked(_read_holder(self.path))
            time.sleep(self.poll_s)
        with _held_guard:
            _held[key] = (1, self)

    def _try_once(self) -> bool:
        fh = os.fdopen(os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666), "r+", encoding="utf-8")
        if not _os_lock(fh):
            fh.close()
            return False
        if holder_is_live(_read_holder(self.path), os_lock_granted=True):  # SMB: another PC's lock unseen here
            _os_unlock(fh)
            fh.close()
            return False
        self._fh = fh
        self._stamp(started=datetime.now().isoformat(timespec="seconds"))
        self._stop.clear()
        self._beat = threading.Thread(target=self._heartbeat, name="runlock-heartbeat", daemon=True)
        self._beat.start()
        return True

    def _stamp(self, started: str | None = None) -> None:
        fh = self._fh
        if fh is None:
            return
        info = _read_holder(self.path) if started is None else {}
        info.update(pid=os.getpid(), host=socket.gethostname(), heartbeat=time.time())
        if started:
            info["started"] = started
        fh.seek(0)
        fh.truncate()
        fh.write(json.dumps(info, ensure_ascii=False))
        fh.flush()
        os.fsync(fh.fileno())

    def _heartbeat(self) -> None:
        while not self._stop.wait(HEARTBEAT_S):
            try:
                self._stamp()
            except (OSError, ValueError):  # share gone for a moment; the next beat tries again
                pass

    def release(self) -> None:
        key = str(self.path.resolve())
        with _held_guard:
            depth, owner = _held.get(key, (0, self))
            if depth > 1:
                _held[key] = (depth - 1, owner)
                return
            _held.pop(key, None)
        owner._close()

    def _close(self) -> None:
        self._stop.set()
        if self._beat is not None:
            self._beat.join(timeout=5)
        fh, self._fh = self._fh, None
        if fh is None:
            return
        try:
            fh.seek(0)
            fh.truncate()
            fh.flush()
        finally:
            _os_unlock(fh)
            fh.close()
