""".doc / .wps → .docx through LibreOffice: the round trip keeps the form, the original is untouched,
a hung conversion is killed with its helpers, and a machine without LibreOffice says what to do."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest

from extractors import docx as docx_extractor
from extractors import legacy
from extractors.errors import LegacyTimeout, LibreOfficeMissing, ToolMissing, UnreadableFile
from extractors.model import Table
from schemas.findings import problem_message
from tests.fixtures_pdf import plan_docx

needs_soffice = pytest.mark.skipif(not legacy.is_available(), reason="LibreOffice (soffice) is not installed")


@pytest.fixture(scope="module")
def word97(tmp_path_factory) -> Path:
    """A Word 97 .doc, saved by LibreOffice from a Word file with merged cells and ticks."""
    work = tmp_path_factory.mktemp("legacy")
    source = plan_docx(work / "plan.docx")
    return legacy.soffice_convert(source, "doc:MS Word 97", work / "doc")


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@needs_soffice
@pytest.mark.parametrize("name", ["报送方案（海东）.doc", "联络员回执.wps"])
def test_round_trip_keeps_the_form_and_the_original(name, word97, tmp_path):
    original = tmp_path / name  # non-ASCII names, and a WPS name on Word 97 bytes
    shutil.copyfile(word97, original)
    before = _digest(original)
    with legacy.converted(original) as result:
        assert result.suffix == ".docx" and result.parent != original.parent
        doc = docx_extractor.extract(result)
        folder = result.parent
    assert not folder.exists()  # the temporary folder went with the block
    assert _digest(original) == before and sorted(p.name for p in tmp_path.iterdir()) == [name]
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    unit = next(c for c in table.cells() if c.row == 0 and c.col == 1)
    assert (unit.text, unit.col_span) == ("海西蒙古族藏族自治州科学技术协会", 4)
    assert "13897012345" in doc.all_text() and "团结引领 (√)" in doc.all_text()


def _group_members(pgid: int) -> list[str]:
    """Processes (not zombies) still in the process group, as 'pid state'."""
    alive = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2 :].split()
        if int(fields[2]) == pgid and fields[0] != "Z":
            alive.append(f"{entry} {fields[0]}")
    return alive


@needs_soffice
def test_timeout_kills_libreoffice_and_leaves_nothing(word97, tmp_path):
    before = set(Path("/tmp").glob("intake-legacy-*"))
    with pytest.raises(UnreadableFile) as err:
        legacy.convert_to_docx(word97, timeout=0.01)
    assert type(err.value) is LegacyTimeout
    pgid = int(err.value.detail.split("process group ")[1].split()[0])
    assert _group_members(pgid) == []
    assert set(Path("/tmp").glob("intake-legacy-*")) == before


@needs_soffice
def test_damaged_legacy_file_is_unreadable(tmp_path):
    bad = tmp_path / "坏文件.doc"
    bad.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4096)
    with pytest.raises(UnreadableFile) as err:
        legacy.convert_to_docx(bad, timeout=120)
    assert "另存为.docx" in problem_message(err.value)


def test_without_libreoffice_the_technical_contact_is_told_to_install_it(monkeypatch, tmp_path):
    """A missing LibreOffice is this computer's problem (tool_missing), not the unit's: the message names the
    program and how to install it, and does not send staff to the unit."""
    monkeypatch.setenv("PATH", str(tmp_path))  # no soffice anywhere on PATH
    monkeypatch.delenv(legacy.SOFFICE_ENV, raising=False)
    doc = tmp_path / "x.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1")
    assert not legacy.is_available()
    for attempt in (lambda: legacy.convert_to_docx(doc), lambda: legacy.extract(doc)):
        with pytest.raises(ToolMissing) as err:
            attempt()
        assert type(err.value) is LibreOfficeMissing and err.value.code == "tool_missing"
        message = problem_message(err.value)
        assert "LibreOffice" in message and "apt-get install libreoffice-writer-nogui" in message, message
        assert "不是报送单位的问题" in message and "联系报送单位" not in message, message


def test_the_soffice_setting_names_the_program(monkeypatch, tmp_path):
    """INTAKE_SOFFICE points at LibreOffice where it is not on PATH (the Windows installer); a wrong setting
    counts as missing rather than silently falling back to another program."""
    monkeypatch.setenv(legacy.SOFFICE_ENV, str(tmp_path / "nowhere" / "soffice"))
    assert not legacy.is_available()
    program = tmp_path / "bin" / "my-soffice"
    program.parent.mkdir()
    program.write_text("#!/bin/sh\nexit 0\n")
    program.chmod(0o755)
    monkeypatch.setenv(legacy.SOFFICE_ENV, str(program))
    assert legacy.soffice_path() == str(program)
