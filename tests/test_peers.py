"""Other projects' test files (tests/peers/, listed with source and licence in its README) through our code.

1. Every .pdf and .docx goes through the per-file pipeline. Each gets an outcome; none is taken for one
   of our forms (they are not ours: unknown_form); only the files listed in UNREADABLE are refused, each
   for its listed reason; no program error (an exception other than our own UnreadableFile /
   ExtractorUnavailable) escapes the extractor or the form reader.
2. Where a peer ships the tables it expects, our PDF extractor's cells are compared with theirs on the
   same pages: camelot's tests/data.py (its ruled-table, "lattice", cases, rotated ones included) and
   pdfplumber's table tests. The agreement is printed (pytest -s) and held at its floor.
"""

from __future__ import annotations

import logging
import re
import runpy
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pytest

from extractors import pdf
from extractors.model import Document, Table
from flows.reading.pipeline import process_file as process_one_file  # the per-file pipeline: the one line to change

pytestmark = pytest.mark.filterwarnings("ignore")

PEERS = Path(__file__).resolve().parent / "peers"
FILES = sorted(p for p in PEERS.rglob("*") if p.suffix.lower() in (".pdf", ".docx"))

# The only files that may be refused, with a word the reason given to staff must hold.
UNREADABLE = {
    "pdfplumber/empty.pdf": "空文件",  # 0 bytes
    "pdfplumber/password-example.pdf": "加密",
    "camelot/health_protected.pdf": "加密",
    "pdfminer.six/aes-128.pdf": "加密",
    "pdfminer.six/rc4-40.pdf": "加密",
    "pypdf/encrypted-file.pdf": "加密",
}
# Files sent to OCR although they have some text layer: scans with an invisible OCR layer, or pictures.
SCANNED = {"pdfplumber/pr-136-example.pdf", "camelot/image.pdf"}


class _Errors(logging.Handler):
    """Log records that carry a traceback: the pipeline logs every unexpected exception that way."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: dict[int, logging.LogRecord] = {}

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records[id(record)] = record


@dataclass
class Run:
    outcomes: dict[str, object]  # relative path → the pipeline's outcome
    tracebacks: list[str]


@pytest.fixture(scope="module")
def run() -> Run:
    errors = _Errors()
    loggers = [logging.getLogger(), logging.getLogger("intake")]
    for logger in loggers:
        logger.addHandler(errors)
    try:
        outcomes = {p.relative_to(PEERS).as_posix(): process_one_file(p, PEERS) for p in FILES}
    finally:
        for logger in loggers:
            logger.removeHandler(errors)
    slowest = sorted(outcomes.items(), key=lambda item: -item[1].seconds)[:5]
    print("slowest peer files:", ", ".join(f"{name} {o.seconds:.1f} s" for name, o in slowest))
    return Run(outcomes, [f"{r.getMessage()}: {r.exc_info[1]!r}" for r in errors.records.values()])


def test_the_corpus_is_mixed_and_small():
    kinds = Counter(p.suffix.lower() for p in FILES)
    assert kinds[".pdf"] >= 80 and kinds[".docx"] >= 25
    assert sum(p.stat().st_size for p in PEERS.rglob("*")) < 25 * 1024 * 1024
    listed = (PEERS / "README.md").read_text(encoding="utf-8")
    assert all(f"`{p.relative_to(PEERS).as_posix()}`" in listed for p in FILES)  # source, commit, licence
    assert all((PEERS / project / "LICENSE").is_file() for project in {p.relative_to(PEERS).parts[0] for p in FILES})


def test_every_file_is_accounted_for(run: Run):
    assert sorted(run.outcomes) == sorted(p.relative_to(PEERS).as_posix() for p in FILES)
    assert all(outcome.findings for outcome in run.outcomes.values())  # each file said something to staff


def test_no_program_error_escapes(run: Run):
    assert run.tracebacks == []


def test_only_truly_unreadable_files_are_refused(run: Run):
    refused = {
        name: " ".join(f.message for f in outcome.findings if f.code == "unreadable_file")
        for name, outcome in run.outcomes.items()
        if any(f.code == "unreadable_file" for f in outcome.findings)
    }
    assert sorted(refused) == sorted(UNREADABLE)
    for name, word in UNREADABLE.items():
        assert word in refused[name], (name, refused[name])


def test_no_peer_file_is_taken_for_one_of_our_forms(run: Run):
    for name, outcome in run.outcomes.items():
        assert outcome.form_type == "", name
        if name not in UNREADABLE:
            assert [f.code for f in outcome.findings] == ["unknown_form"], name


def test_text_pdfs_are_read_through_their_text_layer(run: Run):
    kinds = {name: outcome.source_kind for name, outcome in run.outcomes.items() if name.endswith(".pdf")}
    assert all(kinds[name] == "pdf_scan" for name in SCANNED)
    for name in ("pdfplumber/federal-register-2020-17221.pdf", "pdfminer.six/pr-00530-ml-lines.pdf"):
        assert kinds[name] == "pdf_text" and run.outcomes[name].pages >= 1


# --------------------------------------------------------------------------- agreement with the peers' tables


def _norm(text: str) -> str:
    """Cell text compared without line layout: whitespace runs are one space, a hyphen ends a line."""
    return re.sub(r"-\s+", "-", re.sub(r"\s+", " ", text)).strip()


def _page_tables(doc: Document, page: int) -> list[Table]:
    return [t for t in doc.iter_tables() if t.page == page]


# camelot's tests/test_lattice.py: file, page, the expected table in tests/data.py, whether camelot copied
# a row-spanning cell's text into every row it spans (copy_text="v"; we keep it once, with row_span).
CAMELOT_LATTICE = [
    ("us-030.pdf", 2, "data_lattice", False),
    ("clockwise_table_1.pdf", 1, "data_lattice_table_rotated", False),
    ("anticlockwise_table_1.pdf", 1, "data_lattice_table_rotated", False),
    ("twotables_2.pdf", 1, "data_lattice_two_tables_1", False),
    ("twotables_2.pdf", 1, "data_lattice_two_tables_2", False),
    ("table_region.pdf", 1, "data_lattice_table_regions", False),
    ("background_lines_1.pdf", 1, "data_lattice_process_background", False),
    ("row_span_1.pdf", 1, "data_lattice_copy_text", True),
    ("column_span_2.pdf", 1, "data_lattice_shift_text_left_top", False),
    ("arabic.pdf", 1, "data_arabic", False),
    ("split_text_lattice.pdf", 1, "data_lattice_split_text", False),
]
CAMELOT_FLOOR = 0.995  # reached: 1226 of 1232 expected cells (2026-12-04)


def test_camelot_ruled_tables_agree():
    expected_tables = runpy.run_path(str(PEERS / "camelot" / "data.py"))
    docs: dict[str, Document] = {}
    total = found = 0
    for name, page, key, copied in CAMELOT_LATTICE:
        doc = docs.setdefault(name, pdf.extract(PEERS / "camelot" / name))
        ours: Counter[str] = Counter()
        for table in _page_tables(doc, page):
            for cell in table.cells():
                ours[_norm(cell.text)] += cell.row_span if copied else 1
        expected = Counter(_norm(text) for row in expected_tables[key] for text in row if _norm(text))
        hits = sum(min(n, ours[text]) for text, n in expected.items())
        print(f"camelot {name} p{page} {key}: {hits}/{sum(expected.values())}")
        if "rotated" in key:
            assert hits == sum(expected.values()), name  # turned pages read whole
        total, found = total + sum(expected.values()), found + hits
    print(f"camelot ruled tables: {found}/{total} expected cells with the same text ({found / total:.1%})")
    assert found / total >= CAMELOT_FLOOR


def test_pdfplumber_tables_agree():
    """pdfplumber's table tests (tests/test_table.py, test_dedupe_chars.py), and its rotated copy of the
    NICS report against the upright one."""
    plumber = PEERS / "pdfplumber"
    checks: list[tuple[str, bool]] = []
    (outer,) = _page_tables(pdf.extract(plumber / "issue-140-example.pdf"), 1)[:1]
    inner = outer.rows[0][0].tables[0]
    last = ["", "0085648100300", "CENTRAL KMA", "LILYS 55% DARK CHOC BAR", "415", "$ 0.61", "$ 253.15", "0.0000", ""]
    checks += [("issue-140 last row", [c.text for c in inner.rows[-1]] == last)]
    (curves,) = _page_tables(pdf.extract(plumber / "table-curves-example.pdf"), 1)
    checks += [("table-curves t[-2][-2]", curves.rows[-2][-2].text == "Uncommon")]
    counts = [len(t.rows) for t in _page_tables(pdf.extract(plumber / "issue-336-example.pdf"), 1)]
    checks += [("issue-336 three tables of 8, 11, 2 rows", counts == [8, 11, 2])]
    (resume,) = _page_tables(pdf.extract(plumber / "issue-71-duplicate-chars.pdf"), 1)
    checks += [
        (
            "issue-71 deduplicated line",
            resume.rows[1][1].text.split("\n")[-1] == "微软 培训课程： 名模意义一些有意义一些",
        )
    ]
    upright, turned = (
        [c.text for t in pdf.extract(plumber / name).iter_tables() for c in t.cells()]
        for name in ("nics-background-checks-2015-11.pdf", "nics-background-checks-2015-11-rotated.pdf")
    )
    checks += [("nics rotated: as many cells as upright", len(turned) == len(upright) > 300)]
    checks += [
        (f"nics rotated = upright, cell {i}", a == b) for i, (a, b) in enumerate(zip(upright, turned, strict=False))
    ]
    agreed = sum(ok for _, ok in checks)
    print(f"pdfplumber tables: {agreed}/{len(checks)} checks agree")
    assert [name for name, ok in checks if not ok] == []
