"""Whole-file problems: every cause has its wording in schemas/messages.yaml, the pipeline turns each into the
finding its code says, our own bugs are `internal_error` (exit code 4), a missing program is `tool_missing`."""

from __future__ import annotations

import ast
import re
import string
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import flows.reading.causes
from extractors import errors
from extractors.errors import IntakeError, LibreOfficeMissing
from flows.reading import pipeline
from flows.reading.pipeline import process_file
from schemas.findings import _messages, problem_finding, problem_message, problem_wording
from tests.bad_corpus import liaison_docx
from tests.conftest import ROOT
from tests.fixtures_docx import legacy_doc

assert flows.reading.causes  # imported for its classes: they register as IntakeError subclasses
WHOLE_FILE_CODES = {"unreadable_file", "tool_missing", "internal_error"}


def _causes(cls: type[IntakeError] = IntakeError) -> list[type[IntakeError]]:
    found = []
    for sub in cls.__subclasses__():
        found += ([sub] if sub.key else []) + _causes(sub)
    return found


CAUSES = _causes()


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_the_causes_are_found() -> None:
    names = {c.__name__ for c in CAUSES}
    assert {"WordPassword", "PdfTooLong", "LibreOfficeMissing", "OcrMissing", "FileGone", "ReaderBug"} <= names
    assert len(CAUSES) == len({c.key for c in CAUSES}), "two causes share a message key"


@pytest.mark.parametrize("cause", CAUSES, ids=lambda c: c.__name__)
def test_every_cause_has_wording_that_says_who_acts(cause: type[IntakeError]) -> None:
    assert cause.code in WHOLE_FILE_CODES and cause.code in _messages()
    template = problem_wording().get(cause.key)
    assert template, f"schemas/messages.yaml file_problems has no {cause.key!r} for {cause.__name__}"
    assert _placeholders(template) <= {*cause.params, "page"}, (cause.__name__, template)
    example = cause("technical detail", page=2, **{name: 12.5 for name in cause.params})
    message = problem_message(example)
    assert "{" not in message and message.endswith("。") and "请" in message, message
    assert sum("\u4e00" <= ch <= "\u9fff" for ch in message) >= 10, message
    if cause.code != "unreadable_file":  # this computer's or the program's problem: never the unit's
        assert "不是报送单位的问题" in message and "联系报送单位" not in message, message
    finding = problem_finding(example)
    assert (finding.code, finding.severity, finding.message) == (cause.code, "error", message)
    assert (finding.raw_value, finding.page) == ("technical detail", 2)


def test_every_wording_belongs_to_a_cause() -> None:
    unused = set(problem_wording()) - {c.key for c in CAUSES}
    assert not unused, f"wording no cause uses: {sorted(unused)}"


def test_a_cause_takes_exactly_its_parameters() -> None:
    with pytest.raises(TypeError):
        errors.PdfTooLong("3 pages", pages=3)  # its limit is missing: a bug, caught here and not in a run


def test_no_staff_wording_is_left_in_the_code() -> None:
    """The sentences live in schemas/messages.yaml: no MSG_* constants in the extractors or the reading room,
    and no cause is raised with Chinese text."""
    found = []
    for folder in ("extractors", "flows/reading"):
        for path in sorted((ROOT / folder).glob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Assign) and any(
                    isinstance(t, ast.Name) and t.id.startswith("MSG_") for t in node.targets
                ):
                    found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
                if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                    texts = [a.value for a in node.exc.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                    if any(re.search(r"[\u4e00-\u9fff]", t) for t in texts):
                        found.append(f"{path.relative_to(ROOT)}:{node.lineno} raises with Chinese text")
    assert not found, found


def test_the_readme_and_the_contract_list_the_new_codes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    codes = readme.split("Exception codes:")[1].split("\n\n")[0]
    assert "`tool_missing`" in codes and "`internal_error`" in codes
    assert "| 4 |" in readme  # the exit code of a run with an internal_error


# --------------------------------------------------------------------------------------- through the pipeline


def test_a_legacy_file_without_libreoffice_is_tool_missing(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("INTAKE_SOFFICE", str(tmp_path / "not-installed" / "soffice"))
    legacy_doc(tmp_path / "方案.doc")
    (f,) = process_file(tmp_path / "方案.doc", tmp_path).file_findings
    assert (f.code, f.severity) == ("tool_missing", "error")
    assert "LibreOffice" in f.message and "libreoffice-writer-nogui" in f.message, f.message
    assert f.message == problem_message(LibreOfficeMissing())


def _boom(*args: object, **kwargs: object) -> None:
    raise KeyError("a bug of ours")


@pytest.mark.parametrize(("where", "words"), [("extract_document", "解析该文件时"), ("read_form", "表格内容时")])
def test_our_own_bug_is_internal_error_not_the_units(tmp_path: Path, monkeypatch, where: str, words: str) -> None:
    """A program error is ours: staff hand the file and the log to the technical contact; nobody phones the unit."""
    liaison_docx(tmp_path / "回执表.docx")
    monkeypatch.setattr(pipeline, where, _boom)
    outcome = process_file(tmp_path / "回执表.docx", tmp_path)
    (f,) = outcome.file_findings
    assert (f.code, f.severity, outcome.cleaned) == ("internal_error", "error", None)
    assert words in f.message and "日志" in f.message and "技术人员" in f.message, f.message
    assert "联系报送单位" not in f.message and "KeyError" in f.raw_value


def test_a_run_with_an_internal_error_exits_with_code_4(tmp_path: Path) -> None:
    """In-process workers (--workers 0) so the planted bug is in the process that reads the file."""
    inbox, out = tmp_path / "inbox", tmp_path / "out"
    inbox.mkdir()
    liaison_docx(inbox / "回执表.docx")
    script = textwrap.dedent(f"""
        import sys
        from flows.reading import pipeline
        def boom(*args, **kwargs):
            raise KeyError("a bug of ours")
        pipeline.read_form = boom
        from flows.cli import main
        sys.argv = ["intake", "run", "--inbox", {str(inbox)!r}, "--out", {str(out)!r}, "--no-prefect",
                    "--workers", "0", "--settle", "0"]
        main()
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert done.returncode == 4, done.stdout + done.stderr
    assert "程序内部错误：回执表.docx" in done.stdout and "Traceback" not in done.stdout, done.stdout
    assert "internal_error" in (out / "exceptions.csv").read_text(encoding="utf-8-sig")
