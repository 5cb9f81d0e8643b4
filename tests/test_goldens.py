"""Every committed sample's Document against its golden (tests/goldens/<path with / as __>.itxt): see
tests/goldens.py. A file the extractor refuses has its cause as its golden."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import IntakeError, ToolMissing, extract_document, ocr
from extractors.model import Cell, Document, Paragraph, Seal, Table
from flows.reading.pipeline import discover
from tests.conftest import INBOX, ROOT
from tests.goldens import check_golden, document_text

GOLDENS = ROOT / "tests" / "goldens"
SAMPLES = [p.relative_to(INBOX).as_posix() for p in discover(INBOX)]
SCANNED = {"pdf_scan", "image"}


def golden_for(rel: str) -> Path:
    return GOLDENS / (rel.replace("/", "__") + ".itxt")


def sample_text(rel: str) -> str:
    try:
        doc = extract_document(INBOX / rel)
    except ToolMissing as exc:
        pytest.skip(f"{rel}: this computer lacks a program ({type(exc).__name__})")
    except IntakeError as exc:
        return f"refused {exc.code} {exc.key}\n"
    if doc.kind in SCANNED and ocr.engine_name() != ocr.DEFAULT_ENGINE:
        pytest.skip(f"{rel}: goldens of scans are read with {ocr.DEFAULT_ENGINE}, this run uses {ocr.engine_name()}")
    return document_text(doc)


@pytest.mark.parametrize("rel", SAMPLES)
def test_sample_document_matches_its_golden(rel: str) -> None:
    if check_golden(sample_text(rel), golden_for(rel)):
        pytest.skip(f"wrote {golden_for(rel).name} (regenerating: nothing was compared)")


def test_every_golden_has_its_sample() -> None:
    stale = sorted(p.name for p in GOLDENS.glob("*.itxt") if p not in {golden_for(rel) for rel in SAMPLES})
    assert not stale, f"goldens of samples no longer in samples/inbox: {stale}"


def test_a_missing_golden_fails_and_is_not_written(tmp_path: Path) -> None:
    golden = tmp_path / "new.itxt"
    with pytest.raises(AssertionError, match="no golden"):
        check_golden("document kind=docx pages=1\n", golden, regen=False)
    assert not golden.exists()
    assert check_golden("document kind=docx pages=1\n", golden, regen=True) and golden.exists()
    check_golden("document kind=docx pages=1\n", golden, regen=False)
    with pytest.raises(AssertionError, match="differs"):
        check_golden("document kind=docx pages=2\n", golden, regen=False)


def test_the_snapshot_keeps_what_the_reader_relies_on_and_drops_what_is_volatile() -> None:
    inner = Table([[Cell("内表", 0, 0)]], page=1)
    outer = Table(
        [
            [Cell("主办单位名称", 0, 0), Cell("海东市科学技术协会", 0, 1, col_span=3, confidence=0.87654)],
            [
                Cell("模块", 1, 0, row_span=2, bbox=(1.0, 2.0, 3.0, 4.0), tables=[inner]),
                Cell("☑团结引领 ☐建家办事", 1, 1),
            ],
        ],
    )
    doc = Document(
        Path("x.pdf"),
        "pdf_scan",
        blocks=[Paragraph("一、基本信息", page=2, confidence=0.5), outer],
        seals=[Seal(page=2, bbox=(0, 0, 9, 9), confidence=0.93, crop_path="/tmp/crops/x_p2_seal1.png")],
        page_count=2,
        crops_dir="/tmp/crops",
        page_images={2: "/tmp/crops/x_p2.jpg"},
    )
    assert document_text(doc).splitlines() == [
        "document kind=pdf_scan pages=2",
        '  paragraph p2 "一、基本信息"',
        "  table p1 rows=2",
        "    row 0",
        '      cell r0 c0 "主办单位名称"',
        '      cell r0 c1 colspan=3 "海东市科学技术协会"',
        "    row 1",
        '      cell r1 c0 rowspan=2 "模块"',
        "        table p1 rows=1",
        "          row 0",
        '            cell r0 c0 "内表"',
        '      cell r1 c1 "☑团结引领 ☐建家办事"',
        "seal p2",
    ]
