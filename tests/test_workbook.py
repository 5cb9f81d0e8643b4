"""exceptions.xlsx as staff open it: Chinese headers, errors first grouped by unit, links, pictures of scans."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook
from PIL import Image, ImageDraw

from extractors.options import ExtractOptions
from flows.outcome import FileOutcome
from flows.reading.pipeline import _read_document, discover, process_file
from flows.staff.pictures import MIN_LINE_PX, display_size, text_lines
from flows.staff.workbook import ISSUE_COLUMNS, TRACKER_HEADERS, build_workbook
from flows.tables.writer import build_tables, write_outputs
from schemas.findings import finding
from schemas.form_schema import load_forms
from schemas.registry import default_registry
from tests.conftest import INBOX

EMU_PER_PX = 9525
SAMPLES = [
    "西宁市科协-特色亮点活动筹备方案.docx",  # error: invalid_mobile
    "hainan_kexie_fangan.docx",  # error: unit not in the registry
    "调宣部特色亮点活动方案.docx",  # warning: late
    "省农学会筹备方案.docx",  # warning: no audience
    "玉树州科协回执表.docx",  # error: a person without a phone
    "海东市科协活动筹备方案.docx",  # warning: too long
    "pdf/海东市科协活动筹备方案.pdf",  # same unit: error (no stamp) + warning
    "upload_interrupted.docx",  # error: unreadable, no unit
]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("wb")
    inbox, out = base / "inbox", base / "out"
    for name in SAMPLES:
        (inbox / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(INBOX / name, inbox / name)
    write_outputs(out, [process_file(p, inbox) for p in discover(inbox)])
    return out


def _rows(ws) -> list[dict[str, object]]:
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_sheets_headers_frozen_and_filtered(written: Path) -> None:
    book = load_workbook(written / "exceptions.xlsx")
    assert book.sheetnames[:2] == ["问题清单", "报送情况"]
    issues, tracker = book["问题清单"], book["报送情况"]
    assert [c.value for c in issues[1]] == [name for name, _ in ISSUE_COLUMNS]
    assert [c.value for c in tracker[1]] == [name for name, _, _ in TRACKER_HEADERS]
    for ws in (issues, tracker):
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
        widths = [ws.column_dimensions[chr(ord("A") + i)].width for i in range(8)]
        assert all(6 <= w <= 60 for w in widths), widths
    # the message column is wide enough to read and wraps
    message_col = [name for name, _ in ISSUE_COLUMNS].index("问题说明") + 1
    assert issues.cell(2, message_col).alignment.wrap_text


def test_every_exception_is_listed_errors_first_grouped_by_unit(written: Path) -> None:
    import csv

    with open(written / "exceptions.csv", encoding="utf-8-sig", newline="") as fh:
        csv_rows = list(csv.DictReader(fh))
    rows = _rows(load_workbook(written / "exceptions.xlsx")["问题清单"])
    to_act_on = [r for r in csv_rows if not r.get("superseded_by")]  # a replaced file's problems need no action
    assert sorted((r["报送编号"], r["问题代码"], r["字段代码"] or "") for r in rows) == sorted(
        (r["submission_id"], r["code"], r["field"]) for r in to_act_on
    )
    severities = [r["严重程度"] for r in rows]
    assert set(severities) == {"错误", "提醒"}
    assert severities == sorted(severities, key=["错误", "提醒"].index), "a warning before an error"
    for severity in ("错误", "提醒"):
        units = [r["单位"] for r in rows if r["严重程度"] == severity]
        blocks = [u for i, u in enumerate(units) if i == 0 or units[i - 1] != u]
        assert len(blocks) == len(set(blocks)), f"a unit's {severity} rows are split: {units}"
    # Chinese for staff: labels, not column names
    mobile = next(r for r in rows if r["问题代码"] == "invalid_mobile")
    assert (mobile["字段"], mobile["单位"], mobile["读取值"]) == ("手机", "西宁市科学技术协会", "1399712345")
    haidong = {r["单位"] for r in rows if "海东" in str(r["文件"])}
    assert haidong == {"海东市科学技术协会"}
    assert any(r["单位"] == "海南省科协（名录中未找到）" for r in rows)


def test_each_row_links_to_its_source_file(written: Path) -> None:
    ws = load_workbook(written / "exceptions.xlsx")["问题清单"]
    file_col = [name for name, _ in ISSUE_COLUMNS].index("文件") + 1
    for row in range(2, ws.max_row + 1):
        cell = ws.cell(row, file_col)
        assert cell.hyperlink is not None, cell.value
        target = unquote(cell.hyperlink.target)
        assert not os.path.isabs(target), "absolute links break when the share is mounted elsewhere"
        linked = (written / target).resolve()
        assert linked.is_file() and linked.as_posix().endswith(cell.value), (cell.value, target)


def test_text_that_looks_like_a_formula_stays_text(tmp_path: Path) -> None:
    outcome = FileOutcome("a.docx", "0123456789abcdef", form_type="activity_plan")
    outcome.file_findings.append(finding("unknown_form", "error", raw='=HYPERLINK("http://x","y")'))
    tables, _ = build_tables([outcome])
    book = load_workbook(io.BytesIO(build_workbook([outcome], tables, [], tmp_path, default_registry())))
    cell = next(c for c in book["问题清单"][2] if c.value and str(c.value).startswith("="))
    assert cell.data_type == "s"


def _scan_of(docx: Path, workdir: Path) -> Path:
    """The Word sample printed and scanned: LibreOffice → PDF → 150 dpi PNG of page 1."""
    if not shutil.which("soffice") or not shutil.which("pdftoppm"):
        pytest.skip("LibreOffice or poppler-utils missing")
    src = workdir / "plan.docx"
    shutil.copy(docx, src)
    env = {**os.environ, "HOME": str(workdir)}  # LibreOffice's profile goes to the temp folder
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(workdir), str(src)],
        check=True,
        capture_output=True,
        timeout=120,
        env=env,
    )
    pdf, stem = str(workdir / "plan.pdf"), str(workdir / "scan")
    subprocess.run(["pdftoppm", "-r", "150", "-f", "1", "-l", "1", "-png", pdf, stem], check=True, timeout=60)
    return next(workdir.glob("scan*.png"))


def test_a_scanned_field_is_shown_as_a_picture_in_its_row(tmp_path: Path) -> None:
    from extractors import scan

    if not scan.is_available():
        pytest.skip("OCR engine not installed")
    png = _scan_of(INBOX / SAMPLES[0], tmp_path)
    doc = scan.extract(png, ExtractOptions(crops_dir=tmp_path / "crops"))
    outcome = FileOutcome("scan/plan.png", "feedfacecafebeef", source_kind=doc.kind)
    _read_document(doc, outcome, load_forms(), default_registry(), 0.80)
    mobile = next(f for f in outcome.findings if f.field == "mobile")
    assert getattr(mobile, "crop_path", None), "no picture cut for the mobile field"

    out = tmp_path / "out"
    out.mkdir()
    tables, _ = build_tables([outcome])
    (out / "exceptions.xlsx").write_bytes(build_workbook([outcome], tables, [], out, default_registry()))
    ws = load_workbook(out / "exceptions.xlsx")["问题清单"]
    rows = _rows(ws)
    images = ws._images
    assert len(images) == len([f for f in outcome.findings if getattr(f, "crop_path", None)]) >= 1
    crop_col = [name for name, _ in ISSUE_COLUMNS].index("原件截图")
    mobile_row = next(i for i, r in enumerate(rows, start=1) if r["字段代码"] == "mobile")  # 0-based sheet row
    anchor = next(im.anchor._from for im in images if im.anchor._from.row == mobile_row)
    assert anchor.col == crop_col
    blobs = [im._data() for im in images]  # each picture's bytes can be read once
    picture = Image.open(io.BytesIO(blobs[0])).convert("L")
    assert picture.width > picture.height, "a field is a strip, not a page"
    dark = sum(picture.histogram()[:128])
    assert 0.01 < dark / (picture.width * picture.height) < 0.6, "the picture is blank or solid"
    assert ws.row_dimensions[mobile_row + 1].height >= 20, "the row is too low to show the picture"

    # readable at 100 % zoom: every picture's anchor is at least 28 px high per line of text, the aspect ratio is
    # the crop's, the row and the column hold it, and the page number links to the whole page
    col_letter = chr(ord("A") + crop_col)
    for im, blob in zip(images, blobs, strict=True):
        data = Image.open(io.BytesIO(blob))
        shown_w, shown_h = im.anchor.ext.width / EMU_PER_PX, im.anchor.ext.height / EMU_PER_PX
        assert shown_h >= MIN_LINE_PX * text_lines(data), (data.size, shown_w, shown_h)
        assert abs(shown_w / shown_h - data.width / data.height) < 0.02 * data.width / data.height
        row = im.anchor._from.row + 1
        assert ws.row_dimensions[row].height * 4 / 3 >= shown_h, "the row cuts the picture off"
        assert ws.column_dimensions[col_letter].width * 7 >= shown_w, "the picture covers the next column"
        page_cell = ws.cell(row, [name for name, _ in ISSUE_COLUMNS].index("页码") + 1)
        assert page_cell.hyperlink is not None, "no link to the whole page"
        assert (out / unquote(page_cell.hyperlink.target)).is_file()


def test_a_wide_one_line_crop_is_shown_28_px_high_aspect_kept() -> None:
    """The case of the issue: a 990×42 px field crop had been placed 10 px high."""
    strip = Image.new("L", (990, 42), 255)
    draw = ImageDraw.Draw(strip)
    for x in range(20, 700, 40):  # a line of glyph-like marks, 24 px high
        draw.rectangle((x, 9, x + 26, 33), fill=0)
    assert text_lines(strip) == 1
    assert display_size(990, 42, 1) == (660, 28)


def test_each_line_of_a_multi_line_crop_gets_28_px() -> None:
    block = Image.new("L", (800, 300), 255)
    draw = ImageDraw.Draw(block)
    draw.line((0, 2, 799, 2), fill=0, width=2)  # a table rule above the cell is not a line of text
    for top in range(20, 280, 26):  # ten lines of 16 px text, 10 px apart
        for x in range(10, 760, 24):
            draw.rectangle((x, top, x + 18, top + 16), fill=0)
    lines = text_lines(block)
    assert lines == 10
    width, height = display_size(800, 300, lines)
    assert height >= 28 * lines and abs(width / height - 800 / 300) < 0.01
