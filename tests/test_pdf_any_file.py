"""Issue 18, "any PDF or Word file, any load": one test per fix in the PDF extractor, each on a peer's
file (tests/peers/, see its README) or a tiny PDF made here.

1. a failing optional step (annotations, form fields, seals) costs that step, not the file;
2. tiny pages do not crash the grid finder;
3./4. fake-bold duplicates are dropped, real repeated letters are kept (pdfplumber's own duplicate test);
5. stacked one-word lines in a cell keep a separator, a token cut at the cell's edge is joined;
6. a table nested in a cell hangs on that cell, as the Word extractor reads it;
7. pages whose text runs sideways are read upright;
8. a page too large to render refuses the file before anything is parsed or rendered.
"""

from __future__ import annotations

from pathlib import Path

import docx
import numpy as np
import pypdfium2 as pdfium
import pytest
from pdfminer.fontmetrics import FONT_METRICS

from extractors import extract_document, grid, pdf, pdf_text
from extractors.errors import UnreadableFile
from extractors.model import Document, Paragraph, Table
from extractors.options import ExtractOptions
from schemas.findings import problem_message
from tests.fixtures_pdf import MiniPdf, to_pdf

pytestmark = pytest.mark.filterwarnings("ignore")

PEERS = Path(__file__).resolve().parent / "peers"


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def texts(table: Table) -> list[list[str]]:
    return [[c.text for c in row] for row in table.rows]


def right_aligned(m: MiniPdf, x1: float, top: float, s: str, size: float) -> None:
    widths = FONT_METRICS["Helvetica"][1]
    m.text(x1 - sum(widths[c] for c in s) * size / 1000, top, s, size)


# --------------------------------------------------------------------------- 1. optional steps


def test_looping_annotation_references_do_not_make_the_file_damaged():
    for name in ("pdfminer.six/pr-00530-ml-lines.pdf", "pdfplumber/federal-register-2020-17221.pdf"):
        doc = pdf.extract(PEERS / name)
        assert doc.kind == "pdf_text" and "Federal Register" in paragraphs(doc)[0]
        assert doc.notes == []  # widgets are read key by key: the looping links are never followed


def test_a_failing_optional_step_costs_that_step_and_leaves_a_note(tmp_path, monkeypatch):
    def loops(page):
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(pdf_text, "form_field_chars", loops)
    monkeypatch.setattr(pdf_text, "find_seals", loops)
    m = MiniPdf()
    m.grid([72, 180, 520], [100, 130, 160])
    m.text(76, 108, "联系人", 11)
    m.text(184, 108, "李想", 11)
    doc = pdf.extract(m.save(tmp_path / "form.pdf"))
    assert texts(tables(doc)[0])[0] == ["联系人", "李想"]
    assert sorted(doc.notes) == [
        "第1页的印章无法读取，已跳过，请人工核对该页。",
        "第1页的表单域无法读取，已跳过，请人工核对该页。",
    ]


# --------------------------------------------------------------------------- 2. tiny pages


@pytest.mark.parametrize("side", [1, 3, 11, 15])
def test_tiny_pages_have_no_grid_and_no_crash(side):
    for ink in (0, 255):
        page = np.full((side, side), ink, np.uint8)
        assert grid.find_grids(page) == []
        horizontal, vertical = grid.line_masks(page, repair=[(0, 0, side, side)])
        assert horizontal.shape == vertical.shape == (side, side)


# --------------------------------------------------------------------------- 3./4. fake bold


def test_fake_bold_copies_go_and_letters_in_a_row_stay(tmp_path):
    m = MiniPdf()
    m.text(72, 60, "二、工作方案", 14)
    m.text(72.3, 60, "二、工作方案", 14)  # fake bold: the run again, 0.3 pt to the right
    m.text(72, 100, "bharat@dhanviinformatics.com", 3.6)  # "ii" 0.8 pt apart: two letters
    m.text(72, 120, "Mississippi 2000011", 6)
    assert paragraphs(pdf.extract(m.save(tmp_path / "bold.pdf"))) == [
        "二、工作方案",
        "bharat@dhanviinformatics.com",
        "Mississippi 2000011",
    ]


def test_pdfplumbers_duplicate_glyph_file_reads_once():
    (table,) = tables(pdf.extract(PEERS / "pdfplumber/issue-71-duplicate-chars.pdf"))
    cell = table.rows[1][1].text  # pdfplumber's test_dedupe_chars: the same cell, the same last line
    assert cell.split("\n")[-1] == "微软 培训课程： 名模意义一些有意义一些"


def test_tiny_text_keeps_every_letter():
    doc = pdf.extract(PEERS / "camelot/split_text_lattice.pdf")
    cells = {c.text for t in doc.iter_tables() for c in t.cells()}
    assert {"bharat@dhanviinformatics.com", "Mukand Infotel Pvt. Ltd."} <= cells


# --------------------------------------------------------------------------- 5. lines inside a cell


def test_stacked_values_keep_a_separator_and_a_cut_token_is_joined(tmp_path):
    m = MiniPdf()
    m.grid([72, 110, 190, 262], [100, 160])
    for i, value in enumerate(["18,870", "209", "2,303"]):  # a narrow right-aligned column of counts
        right_aligned(m, 107, 104 + 9 * i, value, 7)
    m.text(113, 104, "Under", 11)  # a word that wrapped
    m.text(113, 118, "control", 11)
    m.text(193, 104, "13897012345", 11)  # two phone numbers, one a line
    m.text(193, 118, "13912345678", 11)
    m.text(193, 132, "0971633562", 11)  # one number cut where the cell is full
    m.text(193, 146, "8", 11)
    (table,) = tables(pdf.extract(m.save(tmp_path / "stacked.pdf")))
    counts, words, phones = (c.text for c in table.rows[0])
    assert counts.split() == ["18,870", "209", "2,303"]
    assert words.split() == ["Under", "control"]
    assert phones.split() == ["13897012345", "13912345678", "09716335628"]


# --------------------------------------------------------------------------- 6. nested tables


def _nested_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("联系人信息")
    outer = d.add_table(rows=2, cols=2)
    outer.style = "Table Grid"
    outer.cell(0, 0).text, outer.cell(0, 1).text = "单位名称", "海东市科学技术协会"
    outer.cell(1, 0).text = "联系人"
    host = outer.cell(1, 1)
    host.paragraphs[0].text = "见下表"
    inner = host.add_table(rows=2, cols=2)
    inner.style = "Table Grid"
    for (r, c), value in {(0, 0): "姓名", (0, 1): "电话", (1, 0): "李想", (1, 1): "13897012345"}.items():
        inner.cell(r, c).text = value
    d.save(path)
    return path


def _shape(table: Table) -> list:
    """Cell texts (stripped) with the nested tables each cell holds."""
    return [[(c.text.strip(), [_shape(t) for t in c.tables]) for c in row] for row in table.rows]


def test_a_nested_table_reads_the_same_from_word_and_from_its_pdf(tmp_path):
    word = _nested_docx(tmp_path / "nested.docx")
    from_word = extract_document(word)
    from_pdf = extract_document(to_pdf(word, tmp_path))  # LibreOffice draws the inner table on the cell's border
    assert [_shape(t) for t in tables(from_pdf)] == [_shape(t) for t in tables(from_word)]
    assert _shape(tables(from_pdf)[0])[1][1] == (
        "见下表",
        [[[("姓名", []), ("电话", [])], [("李想", []), ("13897012345", [])]]],
    )


def test_a_free_standing_inner_table_keeps_its_text():
    (outer,) = tables(pdf.extract(PEERS / "pdfplumber/issue-140-example.pdf"))
    first = outer.rows[0][0]
    assert first.text == "" and len(first.tables) == 1
    # pdfplumber's test_edges_strict: the last row of the inner table
    assert texts(first.tables[0])[-1] == [
        "",
        "0085648100300",
        "CENTRAL KMA",
        "LILYS 55% DARK CHOC BAR",
        "415",
        "$ 0.61",
        "$ 253.15",
        "0.0000",
        "",
    ]


# --------------------------------------------------------------------------- 7. rotated pages


def _table_page(tmp_path: Path, name: str, rotate: int) -> Path:
    m = MiniPdf()
    m.grid([72, 200, 400], [100, 130, 160])
    for top, label, value in [(108, "单位名称", "海东市科学技术协会"), (138, "Contact", "Li Xiang 13897012345")]:
        m.text(76, top, label, 11)
        m.text(204, top, value, 11)
    path = m.save(tmp_path / f"{name}.pdf")
    if rotate:
        turned = pdfium.PdfDocument(path)
        turned[0].set_rotation(rotate)
        turned.save(tmp_path / f"{name}-{rotate}.pdf")
        turned.close()
        path = tmp_path / f"{name}-{rotate}.pdf"
    return path


@pytest.mark.parametrize("rotate", [90, 180, 270])
def test_a_page_turned_by_rotate_reads_like_the_upright_one(tmp_path, rotate):
    upright = texts(tables(pdf.extract(_table_page(tmp_path, "page", 0)))[0])
    assert upright == [["单位名称", "海东市科学技术协会"], ["Contact", "Li Xiang 13897012345"]]
    assert texts(tables(pdf.extract(_table_page(tmp_path, "page", rotate)))[0]) == upright


@pytest.mark.parametrize("rotate", [90, 270])
def test_a_seal_on_a_turned_page_is_found_where_it_is_upright(tmp_path, rotate):
    from samples.make_pdfs import seal_image

    m = MiniPdf()
    m.text(72, 100, "海东市科学技术协会", 12)
    m.text(72, 600, "单位盖章：", 12)
    m.image(seal_image(), 150, 560, 110, 110)
    path = m.save(tmp_path / "stamped.pdf")
    turned = pdfium.PdfDocument(path)
    turned[0].set_rotation(rotate)
    turned.save(tmp_path / "turned.pdf")
    turned.close()
    (upright,) = pdf.extract(path).seals
    doc = pdf.extract(tmp_path / "turned.pdf")
    (seal,) = doc.seals
    assert seal.bbox == pytest.approx(upright.bbox, abs=3)
    assert paragraphs(doc) == ["海东市科学技术协会", "单位盖章："]


def test_tables_printed_sideways_read_upright():
    first_rows = []
    for name in ("camelot/clockwise_table_1.pdf", "camelot/anticlockwise_table_1.pdf"):
        table = tables(pdf.extract(PEERS / name))[0]
        first_rows.append(texts(table)[2])
    assert (
        first_rows[0]
        == first_rows[1]
        == ["Kerala", "5738", "6633", "8864", "8297", "245", "2161", "3195", "1645", "2391"]
    )


# --------------------------------------------------------------------------- 8. page size


def test_a_huge_page_is_refused_before_it_is_parsed(tmp_path, monkeypatch):
    poster = MiniPdf(width=14400, height=14400)  # 200 × 200 inches
    poster.text(72, 72, "海报", 200)
    path = poster.save(tmp_path / "poster.pdf")

    def no_parsing(*args, **kwargs):
        raise AssertionError("the page was parsed")

    monkeypatch.setattr(pdf.pdfplumber, "open", no_parsing)
    with pytest.raises(UnreadableFile) as err:
        pdf.extract(path)
    assert err.value.page == 1
    assert problem_message(err.value).startswith("PDF第1页尺寸为508×508厘米，超过每页约0.65平方米的处理上限")


def test_the_pipelines_pixel_limit_reaches_pdf_pages(tmp_path):
    a4 = MiniPdf()
    a4.text(72, 72, "一页", 12)
    path = a4.save(tmp_path / "a4.pdf")
    # A4 at 200 dpi: 3.9 MP
    assert extract_document(path, ExtractOptions(max_pixels_per_page=4_000_000)).page_count == 1
    with pytest.raises(UnreadableFile) as err:
        extract_document(path, ExtractOptions(max_pixels_per_page=3_000_000))
    assert "尺寸为21×30厘米" in problem_message(err.value)
