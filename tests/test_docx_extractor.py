"""The Word extractor on real .docx files built by tests/fixtures_docx.py."""

from __future__ import annotations

import time

import docx as python_docx
import pytest

from extractors import docx as word
from extractors.errors import (
    UnreadableFile,
    UnsafeXml,
    WordBroken,
    WordCorruptXml,
    WordIsLegacy,
    WordPassword,
    ZipBomb,
)
from extractors.model import TICKED, UNTICKED, Paragraph, Table
from extractors.options import ExtractOptions
from schemas.findings import problem_message
from tests import fixtures_docx as fx


def cells_by_text(table: Table) -> dict[str, tuple[int, int, int, int]]:
    """text -> (row, col, row_span, col_span) for every listed cell with text."""
    return {c.text: (c.row, c.col, c.row_span, c.col_span) for c in table.cells() if c.text}


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def test_module_contract():
    assert word.KIND == "docx"
    assert word.is_available() is True


# --------------------------------------------------------------------------- tables


def test_contact_form_merged_cells_and_reading_order(tmp_path):
    doc = word.extract(fx.contact_form(tmp_path / "form.docx"))

    kinds = [type(b).__name__ for b in doc.blocks]
    assert kinds == ["Paragraph", "Table", "Paragraph", "Table", "Paragraph"]
    assert doc.blocks[0].text == "一、基本信息" and doc.blocks[0].style == "Heading 1"
    assert doc.blocks[2].text.startswith("注：") and doc.blocks[2].style == "Normal"
    assert doc.blocks[4].text == "二、工作方案"
    assert doc.kind == "docx" and doc.seals == [] and doc.notes == []

    table = doc.blocks[1]
    where = cells_by_text(table)
    assert where["主办单位名称"] == (0, 0, 1, 1)
    assert where["海西州科协"] == (0, 1, 1, 4)
    assert where["主办单位联系人"] == (1, 0, 3, 1)  # spans the 姓名 / 手机 / 电子邮箱 rows
    assert where["姓 名"] == (1, 1, 1, 1)
    assert where["张明"] == (1, 2, 1, 1)
    assert where["办公电话"] == (1, 3, 1, 1)
    assert where["0977-8223456"] == (1, 4, 1, 1)
    assert where["手 机"] == (2, 1, 1, 1)
    assert where["13897012345"] == (2, 2, 1, 1)
    assert where["传 真"] == (2, 3, 1, 1)
    assert where["电子邮箱"] == (3, 1, 1, 1)
    assert where["hxkx2021@163.com"] == (3, 2, 1, 3)
    assert where["主办单位邮寄地址"] == (4, 0, 1, 1)
    assert where["德令哈市柴达木路1号"] == (4, 1, 1, 4)
    # the merged 主办单位联系人 cell is listed once, in its first row only
    assert [c.col for c in table.rows[2]] == [1, 2, 3, 4]
    assert table.rows[2][3].text == ""  # empty 传真 value still listed
    # the blank last row is kept, one empty cell per column
    assert [(c.text, c.col) for c in table.rows[5]] == [("", 0), ("", 1), ("", 2), ("", 3), ("", 4)]


def test_cell_texts_agree_with_python_docx(tmp_path):
    path = fx.contact_form(tmp_path / "form.docx")
    ours = word.extract(path).blocks[1]
    theirs = python_docx.Document(str(path)).tables[0]
    for cell in ours.cells():
        assert theirs.cell(cell.row, cell.col).text == cell.text


def test_label_and_value_in_one_cell(tmp_path):
    table = word.extract(fx.contact_form(tmp_path / "form.docx")).blocks[3]
    assert [c.text for c in table.rows[0]] == ["主办单位名称：海西州科协", "联系人：李想\n电话：6335628"]


def test_grid_before_differing_counts_and_merge_chains(tmp_path):
    doc = word.extract(fx.grid_table(tmp_path / "grid.docx"))
    assert texts(doc) == ["表前", "表后"]
    table = doc.blocks[1]
    pos = {c.text: (c.row, c.col, c.row_span, c.col_span) for c in table.cells()}
    assert pos["A"] == (0, 0, 1, 1)  # a vMerge continue with nothing above starts a cell
    assert pos["C"] == (0, 2, 1, 2)
    assert pos["D"] == (1, 1, 1, 2)  # gridBefore=1 shifts the row right
    assert pos["E"] == (1, 3, 1, 1)
    assert pos["F"] == (2, 0, 1, 3)  # a row with one cell
    assert pos["G"] == (3, 0, 3, 1)  # restart + two continues (the deleted row in between is gone)
    assert pos["H"] == (3, 1, 1, 3)
    assert pos["I"] == (4, 1, 1, 1)
    assert pos["J"] == (5, 1, 2, 2)  # legacy hMerge widens J; the next row's continue lengthens it
    assert pos["K"] == (5, 3, 1, 1)
    assert pos["L"] == (6, 0, 1, 1)
    assert pos["M"] == (6, 3, 1, 1)
    assert len(table.rows) == 7
    alltext = doc.all_text()
    assert "删除的行" not in alltext and "G的续格文字" not in alltext and "J2" not in alltext


def test_nested_table_goes_into_cell_tables(tmp_path):
    doc = word.extract(fx.nested_table(tmp_path / "nested.docx"))
    outer = doc.blocks[0]
    host = outer.rows[0][1]
    # own paragraphs only; python-docx puts an empty paragraph after a nested table, as Word requires
    assert host.text == "见下表\n\n（表内完）"
    assert "时间" not in host.text and "西宁" not in host.text
    assert len(host.tables) == 1
    inner = host.tables[0]
    assert [[c.text for c in row] for row in inner.rows] == [["时间", "地点"], ["5月28日", "西宁"]]
    assert doc.iter_tables() == [outer, inner]
    assert outer.rows[1][0].text == "备注"


def test_ten_thousand_rows_in_reasonable_time(tmp_path):
    path = fx.big_table(tmp_path / "big.docx", rows=10_000)
    started = time.perf_counter()
    doc = word.extract(path)
    elapsed = time.perf_counter() - started
    table = doc.blocks[0]
    assert len(table.rows) == 10_000
    assert [c.text for c in table.rows[-1]] == ["9998", "姓名9998", "13900009998", ""]
    assert elapsed < 5.0, f"10,000 rows took {elapsed:.1f} s"


# --------------------------------------------------------------------------- checkboxes and symbols


def test_checkboxes_become_glyphs(tmp_path):
    doc = word.extract(fx.checkboxes(tmp_path / "boxes.docx"))
    paras = texts(doc)
    # content controls: val 1/true ticked, 0/false or no w14:checked unticked; the shown glyph is replaced
    expected = f"控件：团结引领{TICKED}建家办事{UNTICKED}为民服务{TICKED}开放合作{UNTICKED}表彰发布{UNTICKED}"
    assert paras[0] == expected
    # form fields: <w:checked/> and val=1/true ticked, val=0/false unticked even if default is 1,
    # no w:checked → w:default; the field's stray result text never leaks
    assert paras[1] == "域：甲☑乙☐丙☑丁☑戊☐己☐庚☑"
    assert "X" not in paras[1]
    # w:sym: Wingdings FE/A8/FC, Wingdings 2 R/T/£, Symbol √; code without F0 prefix; unmapped kept as read
    assert paras[2] == "符号：☑科协系统干部☐科技工作者√☑☒☐√☑\uf04a"
    # symbol characters typed in a Wingdings run (what WPS writes)
    assert paras[3] == "字体：☑☑☑"
    # typed ticks stay as written
    assert paras[4] == "手打：海外同行（√）✓☑□■☒"
    cell = doc.blocks[-1].rows[0][1]
    assert cell.text == "科技工作者☑ 海外同行☐"


def test_symbol_map_is_documented_for_the_common_ticks():
    assert word.SYMBOL_MAP["wingdings"][0xFE] == TICKED
    assert word.SYMBOL_MAP["wingdings"][0xA8] == UNTICKED
    assert word.SYMBOL_MAP["wingdings"][0xFC] == "√"
    assert word.SYMBOL_MAP["wingdings 2"][0x52] == TICKED


# --------------------------------------------------------------------------- paragraph content


def test_inline_content_is_read_and_deletions_skipped(tmp_path):
    paras = texts(word.extract(fx.rich_paragraphs(tmp_path / "rich.docx")))
    assert paras[0] == "邮箱：hxkx2021@163.com"  # hyperlink
    assert paras[1] == "联系人：张明"  # smart tag
    assert paras[2] == "单位：海西州科协"  # text content control
    assert paras[3] == "地点："  # control still showing its prompt: empty
    assert paras[4] == "姓名：李想"  # FORMTEXT result, instruction text not shown
    assert paras[5] == "活动时间：5月28日，地点西宁"  # w:ins kept, w:del dropped
    assert "FORMTEXT" not in "".join(paras) and "5月20日" not in "".join(paras)
    assert "可见文字" in paras  # hidden run dropped


def test_text_box_paragraphs_follow_their_anchor_once(tmp_path):
    paras = texts(word.extract(fx.rich_paragraphs(tmp_path / "rich.docx")))
    i = paras.index("承办单位：")
    assert paras[i + 1 : i + 4] == ["签字：张三", "日期：2021年5月8日", "落款"]
    assert paras.count("签字：张三") == 1  # DrawingML and its VML fallback are the same box


def test_text_box_in_cell_and_block_content_controls(tmp_path):
    doc = word.extract(fx.text_box_in_cell(tmp_path / "cellbox.docx"))
    cell = doc.blocks[0].rows[0][1]
    assert cell.text == "（签字）\n王五"
    # a box inside a box is read once, after the paragraph that anchors it; placeholder control dropped
    assert texts(doc) == ["外框锚点", "外框", "外框第二段", "内框", "控件里的段落"]


def test_list_numbers_rendered_and_styles_kept(tmp_path):
    doc = word.extract(fx.rich_paragraphs(tmp_path / "rich.docx"))
    paras = texts(doc)
    start = paras.index("一、活动一")
    assert paras[start : start + 5] == ["一、活动一", "（1）细节", "（2）细节二", "二、活动二", "（1）细节"]
    assert doc.blocks[-1].text == "标题段" and doc.blocks[-1].style == "Heading 2"


def test_embedded_pictures_listed_for_seal_detection(tmp_path):
    path = fx.rich_paragraphs(tmp_path / "rich.docx")
    doc = word.extract(path)
    assert doc.seals == []
    images = [picture.part for picture in doc.pictures]
    assert len(images) == 1 and images[0].startswith("word/media/")
    assert doc.pictures[0].content_type == "image/png" and doc.pictures[0].location == "body"
    import zipfile

    with zipfile.ZipFile(path) as zf:
        assert zf.read(images[0]) == fx.red_seal_png() == doc.pictures[0].data


def test_strict_open_xml_is_read(tmp_path):
    assert texts(word.extract(fx.strict_ooxml(tmp_path / "strict.docx"))) == ["严格格式正文"]


# --------------------------------------------------------------------------- speed


def test_typical_form_speed(tmp_path):
    path = fx.typical_form(tmp_path / "typical.docx")
    word.extract(path)
    best = 0.0
    for _ in range(3):  # best of three batches: the test machine is shared
        started = time.perf_counter()
        for _ in range(10):
            word.extract(path)
        best = max(best, 10 / (time.perf_counter() - started))
    assert best >= 40, f"{best:.0f} files/s"


# --------------------------------------------------------------------------- unreadable files


@pytest.mark.parametrize(
    ("build", "cause"),
    [
        (fx.not_a_zip, WordBroken),
        (fx.truncated, WordBroken),
        (fx.zip_without_document, WordBroken),
        (fx.broken_xml, WordCorruptXml),
        (fx.lying_sizes, WordBroken),
        (fx.encrypted_docx, WordPassword),
        (fx.legacy_doc, WordIsLegacy),
        (fx.zip_bomb, ZipBomb),
        (lambda p: fx.with_doctype(p, kind="xxe"), UnsafeXml),
        (lambda p: fx.with_doctype(p, kind="lol"), UnsafeXml),
        (lambda p: fx.with_doctype(p, kind="xxe", pad=8000), UnsafeXml),
        (lambda p: fx.with_doctype(p, kind="lol", pad=8000), UnsafeXml),
        (lambda p: fx.with_doctype(p, member="word/styles.xml"), UnsafeXml),
    ],
    ids=[
        "not-zip",
        "truncated",
        "no-document",
        "broken-xml",
        "lying-sizes",
        "encrypted",
        "legacy-doc",
        "zip-bomb",
        "xxe",
        "billion-laughs",
        "xxe-late",
        "laughs-late",
        "doctype-in-styles",
    ],
)
def test_unreadable_files_raise_unreadable_file(tmp_path, build, cause):
    path = build(tmp_path / "bad.docx")
    with pytest.raises(UnreadableFile) as info:
        word.extract(path)
    assert type(info.value) is cause
    assert info.value.code == "unreadable_file"
    assert info.value.detail  # the technical reason, for the log
    assert "请" in problem_message(info.value)  # tells staff what to do


def test_xxe_never_reads_the_referenced_file(tmp_path):
    path = fx.with_doctype(tmp_path / "xxe.docx", kind="xxe")
    with pytest.raises(UnreadableFile) as info:
        word.extract(path)
    assert "root:" not in info.value.detail


def test_total_uncompressed_size_limit(tmp_path):
    path = fx.simple_docx(tmp_path / "ok.docx")
    assert texts(word.extract(path)) == ["正文"]
    with pytest.raises(UnreadableFile) as info:
        word.extract(path, ExtractOptions(max_uncompressed_bytes=10_000))
    assert type(info.value) is ZipBomb


def test_missing_and_empty_files(tmp_path):
    with pytest.raises(UnreadableFile):
        word.extract(tmp_path / "missing.docx")
    empty = tmp_path / "empty.docx"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableFile):
        word.extract(empty)


def test_fixture_docx_files_open_in_python_docx(tmp_path):
    # the hand-made OOXML must still be a package Word tooling accepts
    for build in (fx.checkboxes, fx.rich_paragraphs, fx.grid_table, fx.text_box_in_cell):
        python_docx.Document(str(build(tmp_path / f"{build.__name__}.docx")))


def test_damaged_styles_part_still_gives_the_text(tmp_path):
    path = fx.simple_docx(tmp_path / "styles.docx")
    fx.replace_member(path, "word/styles.xml", b"<w:styles><w:style")
    doc = word.extract(path)
    assert texts(doc) == ["正文"]
    assert doc.blocks[0].style is None
    assert any("styles.xml" in note for note in doc.notes)
