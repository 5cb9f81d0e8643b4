"""Text PDFs → Document: tables with spans, tables across pages, CJK text, ticks, form fields, seals,
and the files staff must be told about (encrypted, broken, truncated, empty, too long, scans)."""

from __future__ import annotations

import sys
import types
from pathlib import Path

import pytest

from extractors import pdf, pdf_text
from extractors.errors import ToolMissing, UnreadableFile
from extractors.model import TICKED, UNTICKED, Document, Paragraph, Table
from extractors.options import ExtractOptions
from samples.make_pdfs import seal_image
from schemas.findings import problem_message
from tests.fixtures_pdf import ACTIVITY_TEXT, LONG_PARAGRAPH, MiniPdf, long_table_docx, plan_docx, to_pdf

pytestmark = pytest.mark.filterwarnings("ignore")


@pytest.fixture(scope="module")
def lo_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("lo")


@pytest.fixture(scope="module")
def plan_pdf(lo_dir) -> Path:
    return to_pdf(plan_docx(lo_dir / "plan.docx"), lo_dir)


@pytest.fixture(scope="module")
def long_pdf(lo_dir) -> Path:
    return to_pdf(long_table_docx(lo_dir / "long.docx"), lo_dir)


def tables(doc: Document) -> list[Table]:
    return [b for b in doc.blocks if isinstance(b, Table)]


def paragraphs(doc: Document) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def cell_at(table: Table, row: int, col: int):
    return next(c for c in table.cells() if c.row == row and c.col == col)


# --------------------------------------------------------------------------- tables


def test_merged_cells_get_spans_and_appear_once(plan_pdf):
    doc = pdf.extract(plan_pdf)
    assert doc.kind == "pdf_text" and doc.page_count == 1
    (table,) = tables(doc)
    unit = cell_at(table, 0, 1)
    assert (unit.text, unit.col_span, unit.row_span) == ("海西蒙古族藏族自治州科学技术协会", 4, 1)
    contact = cell_at(table, 2, 0)
    assert (contact.text, contact.row_span) == ("主办单位 联系人", 2)
    assert [c.col for c in table.rows[3]] == [1, 2, 3, 4]  # the merged label is not repeated
    assert cell_at(table, 3, 2).text == "13897012345"
    assert cell_at(table, 2, 4).text == "0977-8223456"  # wrapped inside its cell, joined back
    assert len(table.rows) == 6


def test_reading_order_interleaves_paragraphs_and_tables(plan_pdf):
    doc = pdf.extract(plan_pdf)
    kinds = [type(b).__name__ for b in doc.blocks]
    first_table = kinds.index("Table")
    title = "2021年“全国科技工作者日”特色亮点活动筹备方案（样表）"
    assert paragraphs(doc)[:3] == [title, "单位盖章：", "报送时间：2021年5月8日"]
    assert first_table == 3
    assert paragraphs(doc)[3:] == ["二、工作方案", "活动1：科技工作者座谈会", ACTIVITY_TEXT * 3]


def test_table_across_pages_is_one_table(long_pdf):
    doc = pdf.extract(long_pdf)
    assert doc.page_count >= 2
    liaison, activity = tables(doc)
    assert len(liaison.rows) == 31
    assert [c.text for c in liaison.rows[0]] == ["姓名", "工作单位及职务", "联系电话"]
    assert [c.row for c in liaison.rows[-1]] == [30, 30, 30]
    assert [c.text for c in liaison.rows[-1]] == ["人员29", "海东市科协办公室主任", "13897010029"]
    assert {c.page for c in liaison.cells()} == {1, 2}
    assert "表后段落。" in paragraphs(doc)


def test_row_split_by_page_break_is_joined(long_pdf):
    doc = pdf.extract(long_pdf)
    activity = tables(doc)[1]
    starts = [[c.text[:5] for c in row] for row in activity.rows]
    assert starts == [["活动名称", "科普进校园"], ["主要安排", "组织专家深"]]
    text = cell_at(activity, 1, 1).text.replace("\n", "")
    assert text == "组织专家深入中小学开展科普讲座和实验演示活动。" * 40


def test_paragraph_across_pages_is_one_paragraph(long_pdf):
    doc = pdf.extract(long_pdf)
    last = doc.blocks[-1]
    assert isinstance(last, Paragraph) and last.text == LONG_PARAGRAPH
    assert doc.page_count == 4


# --------------------------------------------------------------------------- text


def test_cjk_text_joins_without_stray_spaces(plan_pdf):
    doc = pdf.extract(plan_pdf)
    (table,) = tables(doc)
    # LibreOffice puts a small gap between CJK and Latin ("约300人次"): not a space.
    assert cell_at(table, 5, 1).text == "约300人次，邀请各界科技工作者代表约80人参加 Workshop on AI"
    assert cell_at(table, 2, 1).text == "姓 名"  # a typed space is kept


def test_glyphs_placed_one_by_one_with_gaps(tmp_path):
    m = MiniPdf()
    m.text(72, 60, "主办单位名称：海东市科学技术协会", 12, spacing=2.5)  # WPS-style justification
    m.text(72, 90, "联系人：李想 Email: lixiang@qq.com 电话0971-6335628", 12)
    m.text(72, 120, "姓", 12)
    m.text(72 + 12 * 4, 120, "名", 12)  # 分散对齐: a 3-em gap is a separator
    doc = pdf.extract(m.save(tmp_path / "wps.pdf"))
    assert paragraphs(doc) == [
        "主办单位名称：海东市科学技术协会",
        "联系人：李想 Email: lixiang@qq.com 电话0971-6335628",
        "姓 名",
    ]


def test_glyphs_printed_twice_for_bold_are_read_once(tmp_path):
    m = MiniPdf()
    m.text(72, 60, "二、工作方案", 14)
    m.text(72.3, 60, "二、工作方案", 14)  # WPS fake bold: the same run again, shifted a fraction of a point
    assert paragraphs(pdf.extract(m.save(tmp_path / "bold.pdf"))) == ["二、工作方案"]


def test_body_paragraphs_and_page_numbers(tmp_path):
    m = MiniPdf()
    line = "科技工作者日活动于五月举行，各级科协组织广泛开展科普宣传、科技志愿服务和宣讲报告等活动。"[:36]
    for i in range(3):
        m.text(72, 100 + 18 * i, line, 12)  # 36 em = full width: one paragraph over three lines
    m.text(96, 160, "第二段首行缩进两个字。", 12)
    m.text(290, 800, "- 1 -", 10)
    doc = pdf.extract(m.save(tmp_path / "body.pdf"))
    assert paragraphs(doc) == [line * 3, "第二段首行缩进两个字。"]


# --------------------------------------------------------------------------- ticks and form fields


def _form_page() -> MiniPdf:
    m = MiniPdf()
    m.grid([72, 180, 520], [100, 130, 160, 190])
    m.text(76, 108, "主题活动模块", 11)
    return m


def test_typed_tick_glyphs_stay_as_written(plan_pdf):
    (table,) = tables(pdf.extract(plan_pdf))
    assert [c.text for c in table.rows[1][1:]] == ["团结引领 (√)", "建家办事 ()", "为民服务 (■)", "开放合作 (☑)"]


def test_drawn_boxes_become_ticked_and_empty(tmp_path):
    m = _form_page()
    x = 184.0
    for name, tick in [("团结引领", "check"), ("建家办事", None), ("为民服务", "cross")]:
        m.rect(x, 109, 9, 9)
        if tick == "check":
            m.line(x + 1.5, 113.5, x + 4, 116.5)
            m.line(x + 4, 116.5, x + 9.5, 107)
        elif tick == "cross":  # how LibreOffice prints a ticked Word form-field checkbox
            m.line(x, 109, x + 9, 118)
            m.line(x, 118, x + 9, 109)
        x = m.text(x + 11, 108, name, 11) + 14
    (table,) = tables(pdf.extract(m.save(tmp_path / "drawn.pdf")))
    assert len(table.rows) == 3  # the small boxes did not become tables or split the cell
    assert cell_at(table, 0, 1).text == f"{TICKED}团结引领 {UNTICKED}建家办事 {TICKED}为民服务"


def test_acroform_values_land_in_their_cells(tmp_path):
    m = _form_page()
    m.checkbox("m1", 184, 109, 9, True)
    m.text(195, 108, "团结引领", 11)
    m.checkbox("m2", 260, 109, 9, False)
    m.text(271, 108, "建家办事", 11)
    m.text(76, 138, "联系人", 11)
    m.textfield("contact", 184, 133, 200, 20, "张明")
    (table,) = tables(pdf.extract(m.save(tmp_path / "form.pdf")))
    assert cell_at(table, 0, 1).text == f"{TICKED}团结引领 {UNTICKED}建家办事"
    assert cell_at(table, 1, 1).text == "张明"
    assert cell_at(table, 2, 1).text == ""


# --------------------------------------------------------------------------- seals


def test_seal_picture_is_found_where_it_is(tmp_path):
    m = MiniPdf()
    m.text(72, 600, "单位盖章：", 12)
    m.image(seal_image(), 150, 560, 110, 110)
    doc = pdf.extract(m.save(tmp_path / "stamped.pdf"))
    (seal,) = doc.seals
    x0, top, x1, bottom = seal.bbox
    assert seal.page == 1 and abs(x0 - 150) < 8 and abs(top - 560) < 8 and abs(x1 - 260) < 8
    assert paragraphs(doc) == ["单位盖章："]


def test_no_seal_on_plain_page_or_non_red_picture(tmp_path, plan_pdf):
    from PIL import Image, ImageDraw

    logo = Image.new("RGB", (200, 200), "white")
    ImageDraw.Draw(logo).ellipse((10, 10, 190, 190), outline=(20, 60, 160), width=10)  # a blue round logo
    m = MiniPdf()
    m.text(72, 72, "青海省科学技术协会文件", 20, rgb=(0.85, 0.1, 0.1))  # red letterhead text is not a seal
    m.image(logo, 300, 300, 110, 110)
    m.rounded_box(300, 500, 90, 80)  # a red frame is not a round seal
    assert pdf.extract(m.save(tmp_path / "logo.pdf")).seals == []
    assert pdf.extract(plan_pdf).seals == []


def test_vector_seal_is_found_and_its_text_kept_out_of_the_body(tmp_path):
    m = MiniPdf()
    m.text(72, 300, "海东市科学技术协会", 12)
    m.circle(450, 300, 60)
    m.text(415, 295, "海东市科协", 12, rgb=(0.85, 0.1, 0.1))
    doc = pdf.extract(m.save(tmp_path / "vector.pdf"))
    (seal,) = doc.seals
    assert seal.bbox == pytest.approx((390, 240, 510, 360), abs=3)
    assert seal.text == "海东市科协"
    assert paragraphs(doc) == ["海东市科学技术协会"]


# --------------------------------------------------------------------------- files staff must hear about


def _lo_encrypted(plan_docx_path: Path, outdir: Path, password: str) -> Path:
    from extractors.legacy import soffice_convert

    flag = "EncryptFile" if password == "DocumentOpenPassword" else "RestrictPermissions"
    options = (
        f'pdf:writer_pdf_Export:{{"{flag}":{{"type":"boolean","value":"true"}},'
        f'"{password}":{{"type":"string","value":"secret"}}}}'
    )
    return soffice_convert(plan_docx_path, options, outdir)


def test_encrypted_pdf_asks_for_an_unencrypted_copy(lo_dir, plan_pdf):
    encrypted = _lo_encrypted(lo_dir / "plan.docx", lo_dir / "enc", "DocumentOpenPassword")
    with pytest.raises(UnreadableFile) as err:
        pdf.extract(encrypted)
    assert problem_message(err.value) == "PDF已加密，请联系报送单位发送未加密版本。"


def test_pdf_with_only_a_permissions_password_is_read(lo_dir, plan_pdf):
    restricted = _lo_encrypted(lo_dir / "plan.docx", lo_dir / "perm", "PermissionPassword")
    assert tables(pdf.extract(restricted))[0].rows[0][1].text == "海西蒙古族藏族自治州科学技术协会"


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty"])
def test_broken_files_are_unreadable(damage, tmp_path, plan_pdf):
    data = plan_pdf.read_bytes()
    broken = {"truncated": data[: len(data) // 2], "garbage": b"%PDF-1.4\n" + bytes(range(256)) * 20, "empty": b""}
    path = tmp_path / "broken.pdf"
    path.write_bytes(broken[damage])
    with pytest.raises(UnreadableFile) as err:
        pdf.extract(path)
    assert "PDF文件已损坏或不完整" in problem_message(err.value)


def test_wrong_xref_offset_is_repaired_not_refused(tmp_path, plan_pdf):
    data = bytearray(plan_pdf.read_bytes())
    at = data.rfind(b"startxref") + len(b"startxref\n")
    data[at : at + 4] = b"9999"
    path = tmp_path / "xref.pdf"
    path.write_bytes(bytes(data))
    assert tables(pdf.extract(path))[0].rows[0][1].text == "海西蒙古族藏族自治州科学技术协会"


def test_zero_pages_and_page_limit(tmp_path):
    m = MiniPdf()
    m.text(72, 72, "一页", 12)
    with pytest.raises(UnreadableFile) as err:
        pdf.extract(m.save(tmp_path / "empty.pdf", pages=0))
    assert "没有任何页面" in problem_message(err.value)
    long = m.save(tmp_path / "long.pdf", pages=4)
    assert pdf.extract(long, ExtractOptions(max_pages=4)).page_count == 4
    with pytest.raises(UnreadableFile) as err:
        pdf.extract(long, ExtractOptions(max_pages=3))
    assert "超过每份文件3页" in problem_message(err.value)


# --------------------------------------------------------------------------- text layer or scan


def _scan_stub(calls: list) -> types.ModuleType:
    """Stands in for extractors.scan (its own tests cover OCR): one paragraph per page image it gets."""
    module = types.ModuleType("extractors.scan")

    def extract_pages(images, source, kind, first_page, options=None):
        calls.append((len(images), kind, first_page, images[0].shape))
        blocks = [Paragraph(f"OCR page {first_page + i}", page=first_page + i) for i in range(len(images))]
        return Document(source=source, kind=kind, blocks=blocks, page_count=len(images))

    module.extract_pages = extract_pages
    return module


def _unmapped_page() -> MiniPdf:
    m = MiniPdf()
    m.unmapped_cjk = True
    m.text(72, 72, "主办单位名称海东市科学技术协会联系人电话", 12)
    return m


def test_unmapped_glyphs_go_to_ocr_at_200_dpi(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setitem(sys.modules, "extractors.scan", _scan_stub(calls))
    doc = pdf.extract(_unmapped_page().save(tmp_path / "cid.pdf"))
    assert doc.kind == "pdf_scan"
    assert calls == [(1, "pdf_scan", 1, (round(842 * 200 / 72), round(595 * 200 / 72), 3))]  # A4, 200 dpi, BGR
    assert paragraphs(doc) == ["OCR page 1"]


def test_mixed_pdf_keeps_page_order(tmp_path, monkeypatch, plan_pdf):
    import pypdfium2 as pdfium

    calls: list = []
    monkeypatch.setitem(sys.modules, "extractors.scan", _scan_stub(calls))
    _unmapped_page().save(tmp_path / "cid.pdf")
    merged = pdfium.PdfDocument.new()
    merged.import_pages(pdfium.PdfDocument(plan_pdf))
    merged.import_pages(pdfium.PdfDocument(tmp_path / "cid.pdf"))
    merged.import_pages(pdfium.PdfDocument(plan_pdf))
    merged.save(tmp_path / "mixed.pdf")
    doc = pdf.extract(tmp_path / "mixed.pdf")
    assert doc.kind == "pdf_text" and doc.page_count == 3
    assert [c[2] for c in calls] == [2]
    pages = [b.page for b in doc.blocks]
    assert pages == sorted(pages) and "OCR page 2" in paragraphs(doc)
    assert len(tables(doc)) == 2  # not merged across the scanned page


def test_scanned_page_with_invisible_ocr_layer_is_read_as_a_scan(tmp_path, monkeypatch):
    from PIL import Image

    calls: list = []
    monkeypatch.setitem(sys.modules, "extractors.scan", _scan_stub(calls))
    m = MiniPdf()
    m.image(Image.new("RGB", (60, 85), "white"), 0, 0, 595, 842)  # the photographed page
    m.text(72, 72, "主办单位名称海东市科学技术协会联系人电话手机电子邮箱", 12)  # a scanner app's OCR text
    doc = pdf.extract(m.save(tmp_path / "ocrd.pdf"))
    assert doc.kind == "pdf_scan" and len(calls) == 1


def test_blank_page_is_not_sent_to_ocr(tmp_path, monkeypatch):
    calls: list = []
    monkeypatch.setitem(sys.modules, "extractors.scan", _scan_stub(calls))
    doc = pdf.extract(MiniPdf().save(tmp_path / "blank.pdf"))
    assert (doc.kind, doc.blocks, calls) == ("pdf_text", [], [])


def test_scan_pages_without_scan_extractor_say_so(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "extractors.scan", None)  # import fails
    with pytest.raises(ToolMissing) as err:
        pdf.extract(_unmapped_page().save(tmp_path / "cid.pdf"))
    assert "扫描" in problem_message(err.value)


def test_pdf_text_extract_reads_without_the_dispatcher(plan_pdf):
    doc = pdf_text.extract(plan_pdf)
    assert doc.kind == "pdf_text" and len(tables(doc)) == 1
