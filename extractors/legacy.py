"""Legacy Word / WPS files (.doc, .wps) → .docx through LibreOffice, so the Word extractor reads them.

Each conversion runs ``soffice --headless --convert-to docx`` in its own
temporary folder with its own LibreOffice profile (``-env:UserInstallation``):
two conversions at once would otherwise fight over one profile lock and one of
them silently produce nothing. The original file is never opened by
LibreOffice: a copy under an ASCII name is converted (LibreOffice mishandles
some non-ASCII paths, and a crash must not damage the submission). The
process is started in its own process group, so a timeout kills LibreOffice's
helper processes too.

WPS Office saves ``.wps`` in the Word 97 binary layout; the copy is named
``.doc`` when the bytes are an OLE compound file, so LibreOffice picks its
Word filter rather than the (unrelated) Microsoft Works one.

``extract(path, options)`` converts, reads the result with ``extractors.docx`` and removes the
temporary folder; ``with converted(path) as docx_path: ...`` gives the converted file itself.

LibreOffice is looked for as ``soffice`` / ``libreoffice`` on PATH, or where ``INTAKE_SOFFICE`` points
(e.g. ``C:\\Program Files\\LibreOffice\\program\\soffice.exe``, which the Windows installer does not put
on PATH). Without it the file gets ``tool_missing`` (not the unit's fault) and is read again on the next
run once LibreOffice is installed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from extractors import docx
from extractors.docx_safety import ole_error
from extractors.errors import LegacyFailed, LegacyTimeout, LibreOfficeMissing, WordPassword
from extractors.model import Document
from extractors.options import DEFAULTS, ExtractOptions

SOFFICE_ENV = "INTAKE_SOFFICE"  # the LibreOffice program, when it is not on PATH
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_EXECUTABLES = ("soffice", "libreoffice")


def soffice_path() -> str | None:
    configured = os.environ.get(SOFFICE_ENV, "").strip()
    if configured:  # set: only that program counts, so a wrong setting shows instead of a silent fallback
        return shutil.which(configured)
    for name in _EXECUTABLES:
        found = shutil.which(name)
        if found:
            return found
    return None


def is_available() -> bool:
    return soffice_path() is not None


def extract(path: Path, options: ExtractOptions = DEFAULTS) -> Document:
    """A .doc/.wps (an OLE compound file) through LibreOffice and the Word reader.

    A password-protected .docx is an OLE file too: it is refused as such before LibreOffice is needed."""
    path = Path(path)
    with open(path, "rb") as fh:
        refusal = ole_error(fh)
    if isinstance(refusal, WordPassword):
        raise refusal
    with converted(path, options.legacy_timeout_s) as result:
        doc = docx.extract(result, options)
    doc.source = path
    doc.notes.append("converted from a legacy Word/WPS file with LibreOffice")
    return doc


def convert_to_docx(path: Path, timeout: float = DEFAULTS.legacy_timeout_s) -> Path:
    """Convert ``path`` and return the .docx, alone in a fresh temporary folder the caller removes."""
    if not is_available():
        raise LibreOfficeMissing(_where_looked())
    work = Path(tempfile.mkdtemp(prefix="intake-legacy-"))
    try:
        source = work / f"input{_suffix_for(path)}"
        shutil.copyfile(path, source)
        produced = soffice_convert(source, "docx:MS Word 2007 XML", work / "out", timeout)
        result = work / "converted.docx"
        produced.rename(result)
        for leftover in (source, work / "out"):
            _remove(leftover)
        return result
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise


def soffice_convert(source: Path, target: str, outdir: Path, timeout: float = DEFAULTS.legacy_timeout_s) -> Path:
    """``soffice --convert-to target`` with a private profile; returns the produced file.

    ``target`` is LibreOffice's ``ext[:filter[:options]]`` (``docx``, ``doc``, ``pdf``). Also used by
    the sample generator to print Word files to PDF.
    """
    soffice = soffice_path()
    if soffice is None:
        raise LibreOfficeMissing(_where_looked())
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="intake-lo-profile-") as profile:
        _run(soffice, source, outdir, Path(profile), target, timeout)
    produced = outdir / f"{source.stem}.{target.split(':')[0]}"
    if not produced.is_file() or produced.stat().st_size == 0:
        raise LegacyFailed("LibreOffice produced no output")
    return produced


@contextmanager
def converted(path: Path, timeout: float = DEFAULTS.legacy_timeout_s) -> Iterator[Path]:
    """The converted .docx for the duration of the block; its folder is removed afterwards."""
    result = convert_to_docx(path, timeout)
    try:
        yield result
    finally:
        shutil.rmtree(result.parent, ignore_errors=True)


def _where_looked() -> str:
    configured = os.environ.get(SOFFICE_ENV, "").strip()
    return f"{SOFFICE_ENV}={configured!r} is not a program" if configured else "soffice/libreoffice not on PATH"


def _suffix_for(path: Path) -> str:
    with open(path, "rb") as fh:
        head = fh.read(8)
    if head == _OLE_MAGIC:
        return ".doc"
    suffix = path.suffix.lower()
    return suffix if suffix.isascii() and suffix else ".doc"


def _run(soffice: str, source: Path, outdir: Path, profile: Path, target: str, timeout: float) -> None:
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--norestore",
        "--nologo",
        "--nodefault",
        "--nolockcheck",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source),
    ]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        _out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        _kill_group(proc)
        detail = f"soffice timed out after {timeout}s; process group {proc.pid} killed"
        raise LegacyTimeout(detail) from exc
    except BaseException:
        _kill_group(proc)
        raise
    if proc.returncode != 0:
        detail = err.decode("utf-8", "replace").strip()[-500:]
        raise LegacyFailed(f"soffice exit {proc.returncode}: {detail}")


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # start_new_session: the group id is the child's pid
    except ProcessLookupError:
        pass
    proc.communicate()


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    elif path.exists():
        path.unlink()
