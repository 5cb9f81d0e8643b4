"""Files staff and analysts open from the shared drive, written safely: whole or not at all (a temp file in the
same folder, then a rename), readable by colleagues, and with no cell Excel or WPS would run as a formula."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# what unneutralise takes back: the characters a person typing into corrections.csv would start a formula with
_TYPED_FORMULA_START = ("=", "+", "-", "@")


def neutralise(value: str) -> str:
    """Stop Excel/WPS from executing a cell: a leading apostrophe makes it plain text (OWASP advice)."""
    return "'" + value if value.startswith(FORMULA_START) else value


def unneutralise(value: str) -> str:
    """Undo `neutralise` on a value read back from a CSV staff saved (a leading apostrophe before a formula
    character)."""
    return value[1:] if value.startswith("'") and value[1:2] in _TYPED_FORMULA_START else value


def csv_bytes(header: list[str], rows: Iterable[dict[str, str]]) -> bytes:
    """A CSV as Excel on a Chinese Windows opens it: UTF-8 with BOM, CRLF, every cell neutralised."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([neutralise(str(row.get(col, "") if row.get(col) is not None else "")) for col in header])
    return buffer.getvalue().encode("utf-8-sig")


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


def atomic_write_many(files: dict[Path, bytes]) -> None:
    """Several files that belong together: every temp file is written and synced first, then all are renamed,
    so a run killed midway leaves the previous set (the renames take microseconds, not the encoding time)."""
    temps: list[tuple[str, Path]] = []
    try:
        for path, data in files.items():
            fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
            temps.append((tmp, path))
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; colleagues on the share must read it
        for tmp, path in temps:
            os.replace(tmp, path)
    except BaseException:
        for tmp, _ in temps:
            Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write via a temp file in the same folder + rename: readers never see half a file."""
    atomic_write_many({path: data})


def atomic_write_csv(path: Path, header: list[str], rows: Iterable[dict[str, str]]) -> None:
    atomic_write_bytes(path, csv_bytes(header, rows))
