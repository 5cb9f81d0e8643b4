"""Shapes outside offices write (the "other hands" classes), each built here with python-docx: titles broken
over paragraphs, a 落款 without labels, blank templates and forwarded notices, ticks before their option,
options one per line, activities as rows of one table, a value broken over two paragraphs."""

from __future__ import annotations

from pathlib import Path

from docx import Document as WordDocument

from flows.reading.pipeline import process_file

BODY = (
    "今年是中国共产党成立100周年。西宁市科协认真落实中国科协和省科协的部署要求，以庆祝建党百年为主线，"
    "聚焦团结引领、建家办事、为民服务等重点，扎实开展了系列活动，取得了较好成效。"
)


def _run(doc, tmp_path: Path, name: str):
    path = tmp_path / name
    doc.save(path)
    return process_file(path, tmp_path)


def _codes(outcome) -> set[tuple[str, str]]:
    return {(f.code, f.field) for f in outcome.findings}


def _basic_plan(doc, modules: list[str] | None = None) -> None:
    doc.add_paragraph("2021年“全国科技工作者日”特色亮点活动筹备方案")
    for line in [
        "主办单位名称：西宁市科学技术协会",
        "主题活动名称：科技工作者之家开放日",
        *(modules or ["主题活动模块：团结引领☑ 建家办事☐ 为民服务☐ 开放合作☐ 表彰发布☐"]),
        "拟举办时间：2021年5月29日",
        "拟举办地点：西宁市科技馆",
        "面向群体：科协系统干部☐ 科技工作者☑ 海外同行☐",
        "联系人姓名：马红",
        "手机：13909721234",
        "办公电话：0971-8612345",
        "电子邮箱：xnkx@126.com",
        "主办单位邮寄地址：西宁市城西区胜利路1号",
    ]:
        doc.add_paragraph(line)


def test_report_title_on_two_paragraphs_and_a_closing_on_one_line(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("2021年“全国科技工作者日”")
    doc.add_paragraph("特色亮点活动总结报告")
    doc.add_paragraph(BODY)
    doc.add_paragraph("西宁市科学技术协会    2021年6月11日")
    outcome = _run(doc, tmp_path, "r.docx")
    row = outcome.cleaned.row
    assert outcome.form_type == "summary_report"
    assert row["title"] == "2021年“全国科技工作者日”特色亮点活动总结报告"
    assert row["unit_id"] == "city-xining" and row["submitted_on"] == "2021-06-11"
    assert row["char_count"] == str(len(BODY))  # the 落款 is not body


def test_report_unit_line_under_the_title_is_not_body_and_names_the_unit(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("2021年“全国科技工作者日”系列活动的总结报告")
    doc.add_paragraph("西宁市科学技术协会")
    doc.add_paragraph(BODY)
    outcome = _run(doc, tmp_path, "r.docx")
    row = outcome.cleaned.row
    assert row["char_count"] == str(len(BODY))  # the title, and the unit's name under it, are not body
    assert row["unit_id"] == "city-xining"  # no 落款, no label: the line under the title names the unit


def test_report_titled_as_the_summary_of_a_series(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("西宁市科协关于开展2021年“全国科技工作者日”系列活动的总结")
    doc.add_paragraph(BODY)
    doc.add_paragraph("西宁市科学技术协会")
    doc.add_paragraph("二〇二一年六月十一日")
    outcome = _run(doc, tmp_path, "r.docx")
    row = outcome.cleaned.row
    assert outcome.form_type == "summary_report"
    assert row["title"] == "西宁市科协关于开展2021年“全国科技工作者日”系列活动的总结"
    assert row["unit_raw"] == "西宁市科学技术协会" and row["submitted_on"] == "2021-06-11"


def test_blank_plan_template_is_not_a_submission(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("附件")
    doc.add_paragraph("2021年“全国科技工作者日”特色亮点活动筹备方案（样表）")
    doc.add_paragraph("单位盖章：")
    doc.add_paragraph("报送时间：")
    table = doc.add_table(rows=5, cols=2)
    for row, label in zip(
        table.rows, ["主办单位名称", "主题活动名称", "主题活动模块", "拟举办时间", "拟举办地点"], strict=True
    ):
        row.cells[0].text = label
    table.rows[2].cells[1].text = "团结引领（  ）建家办事（  ）为民服务（  ）开放合作（  ）表彰发布（  ）"
    doc.add_paragraph("二、工作方案")
    doc.add_paragraph("（应突出重点，言简意赅，列出约3项。）")
    outcome = _run(doc, tmp_path, "t.docx")
    assert outcome.form_type == ""
    assert _codes(outcome) == {("unknown_form", "")}


def test_forwarded_notice_with_blank_reply_form_is_not_a_submission(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("海东市科协关于转发《关于印发〈2021年“全国科技工作者日”青海省活动方案〉的通知》的通知")
    doc.add_paragraph("各县（区）科协，各学会、协会：")
    doc.add_paragraph("现将通知转发给你们，请于5月6日前将联络员回执表和活动方案报送我会办公室。")
    doc.add_paragraph("附件2")
    doc.add_paragraph("2021年“全国科技工作者日”活动联络员回执表")
    doc.add_paragraph("填报单位：")
    table = doc.add_table(rows=3, cols=3)
    for cell, label in zip(table.rows[0].cells, ["姓名", "工作单位及职务", "联系电话"], strict=True):
        cell.text = label
    doc.add_paragraph("联 系 人：李想  6335628  15897098299")
    outcome = _run(doc, tmp_path, "n.docx")
    assert outcome.form_type == ""
    assert _codes(outcome) == {("unknown_form", "")}


def test_plan_closing_without_labels_gives_the_date_and_ends_the_last_activity(tmp_path: Path) -> None:
    doc = WordDocument()
    _basic_plan(doc)
    doc.add_paragraph("二、工作方案")
    doc.add_paragraph("一、科技工作者座谈会")
    doc.add_paragraph("5月18日召开座谈会。")
    doc.add_paragraph("二、科技志愿服务")
    doc.add_paragraph("6月10日开展志愿服务。")
    doc.add_paragraph("")
    doc.add_paragraph("西宁市科学技术协会")
    doc.add_paragraph("2021/05/06")
    outcome = _run(doc, tmp_path, "p.docx")
    assert outcome.cleaned.row["submitted_on"] == "2021-05-06"
    assert [a["description"] for a in outcome.cleaned.activities] == ["5月18日召开座谈会。", "6月10日开展志愿服务。"]
    assert ("missing_field", "submitted_on") not in _codes(outcome)


def test_ticks_in_brackets_before_each_option(tmp_path: Path) -> None:
    doc = WordDocument()
    _basic_plan(
        doc, ["主题活动模块：（√）团结引领    （√）建家办事    （ ）为民服务    （ ）开放合作    （ ）表彰发布"]
    )
    doc.add_paragraph("二、工作方案")
    doc.add_paragraph("一、科技工作者座谈会")
    doc.add_paragraph("5月18日召开座谈会。")
    outcome = _run(doc, tmp_path, "p.docx")
    assert outcome.cleaned.row["modules"] == "团结引领;建家办事"


def test_a_bare_tick_before_one_option(tmp_path: Path) -> None:
    doc = WordDocument()
    _basic_plan(doc, ["主题活动模块：√团结引领  建家办事  为民服务  开放合作  表彰发布"])
    doc.add_paragraph("二、工作方案")
    doc.add_paragraph("一、科技工作者座谈会")
    doc.add_paragraph("5月18日召开座谈会。")
    outcome = _run(doc, tmp_path, "p.docx")
    assert outcome.cleaned.row["modules"] == "团结引领"


def test_options_one_per_line_under_their_label(tmp_path: Path) -> None:
    doc = WordDocument()
    lines = ["主题活动模块（可多选）：", "■团结引领", "□建家办事", "■为民服务", "■开放合作", "□表彰发布"]
    _basic_plan(doc, lines)
    doc.add_paragraph("二、工作方案")
    doc.add_paragraph("一、科技工作者座谈会")
    doc.add_paragraph("5月18日召开座谈会。")
    outcome = _run(doc, tmp_path, "p.docx")
    assert outcome.cleaned.row["modules"] == "团结引领;为民服务;开放合作"
    assert ("no_module_selected", "modules") not in _codes(outcome)


def test_activities_as_rows_leave_the_number_column_out(tmp_path: Path) -> None:
    doc = WordDocument()
    _basic_plan(doc)
    doc.add_paragraph("二、工作方案")
    table = doc.add_table(rows=3, cols=4)
    for cell, text in zip(table.rows[0].cells, ["序号", "活动名称", "时间", "主要内容"], strict=True):
        cell.text = text
    for i, (name, day, what) in enumerate(
        [("座谈会", "5月13日", "通报工作情况。"), ("志愿服务", "6月2日", "走进社区。")]
    ):
        for cell, text in zip(table.rows[i + 1].cells, [str(i + 1), name, day, what], strict=True):
            cell.text = text
    outcome = _run(doc, tmp_path, "p.docx")
    assert [(a["title"], a["description"]) for a in outcome.cleaned.activities] == [
        ("座谈会", "时间：5月13日\n主要内容：通报工作情况。"),
        ("志愿服务", "时间：6月2日\n主要内容：走进社区。"),
    ]


def test_a_value_broken_over_two_paragraphs_of_its_cell(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("2021年“全国科技工作者日”特色亮点活动筹备方案")
    table = doc.add_table(rows=3, cols=2)
    table.rows[0].cells[0].text = "主办单位名称"
    table.rows[0].cells[1].text = "西宁市科学技术协会"
    table.rows[1].cells[0].text = "主题活动名称"
    cell = table.rows[1].cells[1]
    cell.text = "庆祝建党100周年暨“全国科"
    cell.add_paragraph("技工作者日”科技工作者系列活动")
    table.rows[2].cells[0].text = "拟举办地点"
    table.rows[2].cells[1].text = "西宁市科技馆"
    doc.add_paragraph("二、工作方案")
    doc.add_paragraph("一、科技工作者座谈会")
    doc.add_paragraph("5月18日召开座谈会。")
    outcome = _run(doc, tmp_path, "p.docx")
    assert outcome.cleaned.row["activity_name"] == "庆祝建党100周年暨“全国科技工作者日”科技工作者系列活动"


def test_a_phone_typed_with_a_letter_for_a_digit_is_invalid(tmp_path: Path) -> None:
    # OCR confuses O and 0 (a scan's value is repaired); a unit that typed O sent a wrong number
    doc = WordDocument()
    _basic_plan(doc)
    doc.add_paragraph("传真：0972-6086O27")
    doc.add_paragraph("二、工作方案")
    doc.add_paragraph("一、科技工作者座谈会")
    doc.add_paragraph("5月18日召开座谈会。")
    outcome = _run(doc, tmp_path, "p.docx")
    assert outcome.cleaned.row["fax"] == ""
    assert ("invalid_phone", "fax") in _codes(outcome)
    assert outcome.cleaned.row["office_phone"] == "0971-8612345"


def test_report_title_wrapped_after_the_units_name_and_a_wrapped_closing(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("化隆回族自治县科学技术协会")
    doc.add_paragraph("2021年“全国科技工作者日”活动的总结报告")
    doc.add_paragraph(BODY)
    doc.add_paragraph("青海黄河上游水电开发有限责任公司科")
    doc.add_paragraph("学技术协会。")
    doc.add_paragraph("二〇二一年六月十一日")
    outcome = _run(doc, tmp_path, "r.docx")
    row = outcome.cleaned.row
    assert row["title"] == "化隆回族自治县科学技术协会2021年“全国科技工作者日”活动的总结报告"
    assert row["unit_raw"] == "青海黄河上游水电开发有限责任公司科学技术协会"  # the 落款 names the sender
    assert row["char_count"] == str(len(BODY))


def test_liaison_names_lose_layout_spaces_and_a_name_cell_holding_the_title_is_split(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("2021年“全国科技工作者日”活动联络员回执表")
    doc.add_paragraph("填报单位：西宁市科学技术协会")
    table = doc.add_table(rows=3, cols=3)
    rows = [
        ["姓 名", "工作单位及职务", "联系电话"],
        ["尼 玛", "西宁市科协办公室主任", "13909721234"],
        ["孙宏伟 西宁市科协科普部部长", "", "13909725678"],
    ]
    for row, values in zip(table.rows, rows, strict=True):
        for cell, value in zip(row.cells, values, strict=True):
            cell.text = value
    outcome = _run(doc, tmp_path, "l.docx")
    people = [(p["name"], p["org_title"]) for p in outcome.cleaned.people]
    assert people == [("尼玛", "西宁市科协办公室主任"), ("孙宏伟", "西宁市科协科普部部长")]


def test_activity_tables_that_lost_their_rules_continue_as_label_lines() -> None:
    """A fax page where the 一项一表 rules did not survive: its `活动名称…` lines are the next activity, and its
    `活动时间2021年…` lines read `活动时间：2021年…` as the table's rows do (the label's cell rule was lost)."""
    from extractors.model import Cell, Paragraph, Table
    from schemas.activities import read_activities
    from schemas.form_schema import load_forms

    spec = next(f for f in load_forms() if f.activities is not None).activities
    table = Table(
        rows=[[Cell("活动名称", 0, 0), Cell("座谈会", 0, 1)], [Cell("活动时间", 1, 0), Cell("5月20日", 1, 1)]]
    )
    lines = [
        "活动名称高原生态保护线上学术交流会",
        "活动时间2021年6月10日下午",
        "主要内容 邀请专家作报告，",
        "介绍最新进展。",
    ]
    blocks = [Paragraph("二、工作方案"), table, *[Paragraph(text, page=2) for text in lines], Paragraph("单位盖章")]
    got = read_activities(blocks, spec)
    assert [a.title for a in got] == ["座谈会", "高原生态保护线上学术交流会"]
    assert got[1].description.splitlines() == [
        "活动时间：2021年6月10日下午",
        "主要内容：邀请专家作报告，",
        "介绍最新进展。",
    ]
    assert got[0].description == "活动时间：5月20日"  # the same shape as a table that kept its rules


def test_a_closing_unit_whose_last_character_is_under_the_star() -> None:
    from schemas.closing import is_unit_line

    assert is_unit_line("亚洲硅业（青海）股份有限公司科学技术协")
    assert not is_unit_line("各部门分工负责、相互协")  # a line cut after 协 that is no unit's name


def test_a_people_header_cell_a_seal_blanked_or_garbled_is_named_by_the_forms_column_order() -> None:
    """A grey fax's seal hid `姓 名` (blank cell), a photo's left `姓 书`, a ring letter joined it: the column
    between 序号 and 工作单位及职务 is still the names; a numbering column is not taken for it."""
    from extractors.model import Cell, Document, Table
    from schemas.form_schema import load_forms
    from schemas.reader import read_people

    form = next(f for f in load_forms() if f.people is not None)
    headers = (
        ["序", "", "工作单位及职务", "联系电话"],
        ["序号", "姓 书", "工作单位及职务", "联系电话"],
        ["序号", "姓 名海", "工在单位及职务", "联系电话"],  # and one misread letter in a long label
    )
    for header in headers:
        rows = [header, ["1", "更登", "青海建筑职院办公室主任", "18771840267"]]
        table = Table(rows=[[Cell(text, r, c) for c, text in enumerate(row)] for r, row in enumerate(rows)])
        people = read_people(Document(source=Path("f.tif"), kind="image", blocks=[table]), form)
        assert [(p["name"].raw, p["org_title"].raw) for p in people] == [("更登", "青海建筑职院办公室主任")]
    rows = [["序号", "工作单位及职务", "联系电话"], ["1", "青海建筑职院办公室主任", "18771840267"]]
    table = Table(rows=[[Cell(text, r, c) for c, text in enumerate(row)] for r, row in enumerate(rows)])
    people = read_people(Document(source=Path("f.tif"), kind="image", blocks=[table]), form)
    assert all("name" not in p for p in people)  # no names column at all: 序号 is not made one


def test_a_rule_drawn_in_the_people_header_row_alone_does_not_move_the_names() -> None:
    """A fax streak through the seal drew a rule in the header row only (`序号 | | 姓名 | …`): each name cell spans
    the blank header column and 姓名's, and is still read as the name, not as 序号."""
    from extractors.model import Cell, Document, Table
    from schemas.form_schema import load_forms
    from schemas.reader import read_people

    form = next(f for f in load_forms() if f.people is not None)
    header = [Cell(text, 0, c) for c, text in enumerate(["序号", "", "姓名", "工作单位及职务", "联系电话"])]
    body = [
        Cell("1", 1, 0),
        Cell("魏德明", 1, 1, col_span=2),
        Cell("青海高职院办公室主任", 1, 3),
        Cell("13588174832", 1, 4),
    ]
    people = read_people(Document(source=Path("f.tif"), kind="image", blocks=[Table(rows=[header, body])]), form)
    assert [(p["name"].raw, p["org_title"].raw, p["phone"].raw) for p in people] == [
        ("魏德明", "青海高职院办公室主任", "13588174832")
    ]


def test_a_closing_under_a_grey_seal_with_its_star_read_as_a_letter_and_a_speck_before_the_date() -> None:
    """`湟中区科学技术协会` / `白2021/06/16` / `A`: the star's `A` is no body text and does not hide the
    落款 (with its date, a ring's piece before it and all) above it."""
    from extractors.model import Paragraph
    from schemas.closing import read_closing

    body = [Paragraph("活动开展中也存在一些不足，还需进一步健全。")]
    closing = read_closing([*body, Paragraph("湟中区科学技术协会"), Paragraph("白2021/06/16"), Paragraph("A")])
    assert closing.start == 1
    assert closing.unit is not None and closing.unit.text == "湟中区科学技术协会"
    assert closing.date is not None and closing.date.text == "白2021/06/16"
    assert read_closing([*body, Paragraph("A")]).start == 1  # the star alone is no body text either
    # two letters of the ring read apart under the date (`范 会` of 茫崖市…协会) are no body text either
    closing = read_closing([*body, Paragraph("范崖市科学技术协会"), Paragraph("崖2021/06/16"), Paragraph("范 会")])
    assert closing.start == 1 and closing.date is not None and closing.date.text == "崖2021/06/16"


def test_a_labels_last_character_read_twice_at_the_seam_is_dropped() -> None:
    from schemas.labels import LabelIndex

    index = LabelIndex({"unit_raw": ["填报单位"], "name": ["姓名"]})
    assert index.split_leading("填报单位位青海建筑职院") == ("unit_raw", "青海建筑职院")
    assert index.split_line("填报单位：位青海建筑职院") == [("unit_raw", "青海建筑职院")]
    assert index.split_line("姓名：名欢") == [("name", "名欢")]  # a short label: its value may start so


def test_an_ocr_read_unit_name_one_letter_off_its_listed_spelling_is_read_as_listed() -> None:
    """A scan's `尖扎藝科学技术协会` (县 misread) is 尖扎县科学技术协会 as written; a typed name is kept as typed."""
    from extractors.model import Document, Paragraph
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.report is not None)
    for confidence, kind, want in ((0.97, "image", "尖扎县科学技术协会"), (None, "docx", "尖扎藝科学技术协会")):
        lines = ["2021年“全国科技工作者日”系列活动的总结报告", BODY, "尖扎藝科学技术协会", "2021年6月11日"]
        doc = Document(
            source=Path("r.tif"), kind=kind, blocks=[Paragraph(t, page=1, confidence=confidence) for t in lines]
        )
        row = clean_submission(read_form(doc, form), doc, UnitRegistry.load()).row
        assert row["unit_id"] == "county-jianzha" and row["unit_raw"] == want


def test_a_row_number_or_a_tick_inside_a_persons_name_is_no_part_of_it() -> None:
    """A fax whose rule between 序号 and 姓名 was lost (`2 冶浩`); a pen stroke read as a tick (`薛 ☑ 海燕`); the 日
    of 旦 taken for a checkbox the tick reader could not decide (`� 旦正`); a grey scan's speck after the name read
    as a colon (`周志刚：`, dev31)."""
    from extractors.model import Cell, Document, Table
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.people is not None)
    rows = [
        ["姓名", "工作单位及职务", "联系电话"],
        ["2 冶浩", "昆仑学院科协秘书长", "13997001234"],
        ["薛 ☑ 海燕", "昆仑学院科协干事", "13997005678"],
        ["\ufffd 旦正", "金诃藏医药集团办公室主任", "13723642379"],
        ["周志刚：", "昆仑学院科协干事", "13997004321"],
    ]
    table = Table(
        rows=[[Cell(text, r, c, confidence=0.97) for c, text in enumerate(row)] for r, row in enumerate(rows)]
    )
    doc = Document(source=Path("f.tif"), kind="image", blocks=[table])
    people = clean_submission(read_form(doc, form), doc, UnitRegistry.load()).people
    assert [p["name"] for p in people] == ["冶浩", "薛海燕", "旦正", "周志刚"]


def test_a_closing_whose_date_the_seal_half_hid_still_ends_the_body() -> None:
    """A fax's `青海盐湖蓝科锂业股份有限公司科学技术协` / `月10日`: the seal hid `会` and `2021年6`. Both lines are
    the 落款 (not body, so not in the 字数), the unit is read, the date is left unread."""
    from extractors.model import Paragraph
    from schemas.closing import read_closing

    body = [Paragraph("不断提升服务科技工作者的能力和水平。")]
    closing = read_closing([*body, Paragraph("青海盐湖蓝科锂业股份有限公司科学技术协"), Paragraph("月10日")])
    assert closing.start == 1 and closing.date is None
    # read by OCR: an unsure date (low_confidence: staff look at the original; the unit did write one)
    scanned = read_closing(
        [*body, Paragraph("青海盐湖蓝科锂业股份有限公司科学技术协"), Paragraph("月10日", confidence=0.99)]
    )
    assert scanned.date is not None and scanned.date.text == "月10日" and scanned.date.confidence == 0.5
    assert closing.unit is not None and closing.unit.text == "青海盐湖蓝科锂业股份有限公司科学技术协"
    whole = read_closing([*body, Paragraph("青海盐湖蓝科锂业股份有限公司科学技术协"), Paragraph("6月10日")])
    assert whole.date is not None and whole.date.text == "6月10日"  # a whole 月日 is the date, not a piece


def test_a_closing_keeps_its_date_over_a_ring_letter_and_does_not_join_the_rings_echo() -> None:
    """A grey report's `2021/06/14` over `格` (a letter of 格尔木市… from the ring below it), and a fax whose ring
    read `有限公司科` over the unit's whole name: the date is read, and the echo (even misread) is no first half of
    the name."""
    from extractors.model import Paragraph
    from schemas.closing import read_closing

    body = [Paragraph("三是活动的常态化、长效化机制还需进一步健全。")]
    closing = read_closing([*body, Paragraph("格尔木市科学技术协会"), Paragraph("2021/06/14"), Paragraph("格")])
    assert closing.start == 1 and closing.date is not None and closing.date.text == "2021/06/14"
    echo = read_closing([*body, Paragraph("有限公司科"), Paragraph("西部矿业集团有限公司科学技术协会")])
    assert echo.unit is not None and echo.unit.text == "西部矿业集团有限公司科学技术协会"
    assert echo.start == 1  # the echo is no body text either (not in the 字数)
    # a grey report's ring read with a letter or two wrong (`上族自治县科学处`): still the ring, not the name's start
    misread = read_closing([*body, Paragraph("上族自治县科学处"), Paragraph("大通回族土族自治县科学技术协会")])
    assert misread.unit is not None and misread.unit.text == "大通回族土族自治县科学技术协会" and misread.start == 1
    wrapped = read_closing([*body, Paragraph("青海黄河上游水电开发有限责任公司科"), Paragraph("学技术协会")])
    assert wrapped.unit is not None and wrapped.unit.text == "青海黄河上游水电开发有限责任公司科学技术协会"
    assert read_closing([*body, Paragraph("格")]).start == 2  # a lone letter under body text stays body


def test_a_long_labels_last_letter_misread_on_a_scan_still_labels_its_value() -> None:
    """Photos read 报送时间 as `报送时时：` and `报送时前2021年5月7日`; typed text must name its label exactly."""
    from schemas.labels import LabelIndex

    index = LabelIndex({"submitted_on": ["报送时间", "报送日期"]})
    assert index.split_line("报送时时：2021年5月8日", fuzzy=True) == [("submitted_on", "2021年5月8日")]
    assert index.split_line("报送时前2021年5月7日", fuzzy=True) == [("submitted_on", "2021年5月7日")]
    assert index.split_line("报送时时：2021年5月8日") == []  # typed: no guessing
    assert index.split_line("报送时长很久", fuzzy=True) == []  # no colon, no number: a sentence


def _sealed_liaison(unit_line: str, ring: str, seal_box: tuple[float, float, float, float]):
    from extractors.model import Cell, Document, Paragraph, Seal, Table
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.people is not None)
    rows = [["姓名", "工作单位及职务", "联系电话"], ["魏海龙", "青民大科协办公室主任", "17757137476"]]
    table = Table(rows=[[Cell(t, r, c, confidence=0.97) for c, t in enumerate(row)] for r, row in enumerate(rows)])
    unit = Paragraph(unit_line, page=1, bbox=(210, 418, 652, 479), confidence=0.91)
    seal = Seal(page=1, bbox=seal_box, text=ring, confidence=0.93)
    doc = Document(source=Path("f.jpg"), kind="image", blocks=[unit, table], seals=[seal])
    return clean_submission(read_form(doc, form), doc, UnitRegistry.load())


def test_a_unit_name_the_seal_half_hides_is_the_unit_its_ring_names() -> None:
    """`青海民大科协` under the ring read `青海科` (a letter off hq's 青海科协): the ring 青海民族大学科学技术会 names
    the unit, and every letter still seen is in its name. A whole name of another unit keeps its unit (and
    seal_mismatch tells staff); a seal away from the value does not rename it."""
    cleaned = _sealed_liaison("填报单位：青海科", "青海民族大学科学技术会", (410, 391, 722, 702))
    assert cleaned.row["unit_id"] == "univ-qhmu"
    assert not [f for f in cleaned.findings if f.code == "seal_mismatch"]
    other = _sealed_liaison("填报单位：海东市科学技术协会", "青海民族大学科学技术会", (410, 391, 722, 702))
    assert other.row["unit_id"] == "city-haidong"
    assert [f.code for f in other.findings if f.code == "seal_mismatch"] == ["seal_mismatch"]
    away = _sealed_liaison("填报单位：青海科", "青海民族大学科学技术会", (900, 1900, 1200, 2200))
    assert away.row["unit_id"] == "dept-hq"


def test_a_unit_line_the_seal_hid_whole_is_named_by_its_ring() -> None:
    """填报单位（盖章）: the ring names the unit the cell does not show; no missing_field for staff to chase."""
    cleaned = _sealed_liaison("立：青海开", "海开放大学科学技术协会", (263, 357, 574, 668))
    assert cleaned.row["unit_id"] == "univ-qhou"
    assert not [f for f in cleaned.findings if f.field == "unit_raw"]


def test_the_own_ring_read_in_part_is_no_other_units_seal() -> None:
    """A photographed report of 青海省科学技术协会机关工会 whose ring read `青港省科学技术协会机关` (工会 lost, one
    letter misread) matched the association itself: a false seal_mismatch. Another unit's whole ring still is one."""
    from schemas.units import UnitRegistry

    registry = UnitRegistry.load()
    union, hq, xining = registry.get("dept-union"), registry.get("dept-hq"), registry.get("city-xining")
    assert union is not None and hq is not None and xining is not None
    assert registry.other_unit_named("青港省科学技术协会机关", union) is None
    assert registry.other_unit_named("青海省科学技术协会", xining) == hq
    # the own name's letters scattered, or another unit's whole listed name sharing its start, still name others
    school, orgpers = registry.get("univ-qhxm"), registry.get("dept-orgpers")
    assert school is not None and orgpers is not None
    assert registry.other_unit_named("青海省科学技术协会", school) == hq
    museum = registry.other_unit_named("青海省科学技术馆", orgpers)
    assert museum is not None and museum.unit_id == "dept-museum"


def test_a_ring_misread_about_as_near_the_forms_own_unit_is_no_seal_mismatch() -> None:
    """`通国上族自治县科学技术协会` on 大通回族土族自治县's plan matches 互助土族自治县 (77) but is nearly as near
    大通 (73): not a sure reading of another unit's seal."""
    from schemas.units import UnitRegistry

    registry = UnitRegistry.load()
    datong, huzhu = registry.get("county-datong"), registry.get("county-huzhu")
    assert datong is not None and huzhu is not None
    assert registry.other_unit_named("通国上族自治县科学技术协会", datong) is None
    assert registry.other_unit_named("互助土族自治县科学技术协会", datong) == huzhu
    assert registry.other_unit_named("大通回族土族自治县科学技术协会", datong) is None
    hainan, huangnan = registry.get("city-hainan"), registry.get("city-huangnan")
    assert hainan is not None and huangnan is not None  # a whole listed name is sure, one letter from `own` or not
    assert registry.other_unit_named("黄南藏族自治州科学技术协会", hainan) == huangnan


def test_a_closing_unit_the_seal_cut_after_ke_xue_ji_is_still_the_unit_over_its_date() -> None:
    """A fax's `青海黄河上游水电开发有限责任公司科学技` over `6月11日`: the seal hid 术协会. Over a date the line is the
    落款's unit (not body, so not in the 字数); with no date under it such a line stays body."""
    from extractors.model import Paragraph
    from schemas.closing import read_closing

    body = [Paragraph("不断提升服务科技工作者的能力和水平。")]
    closing = read_closing([*body, Paragraph("青海黄河上游水电开发有限责任公司科学技"), Paragraph("6月11日")])
    assert closing.start == 1 and closing.unit is not None
    assert closing.unit.text == "青海黄河上游水电开发有限责任公司科学技"
    assert read_closing([*body, Paragraph("青海黄河上游水电开发有限责任公司科学技")]).start == 2
    # The seal hid 技术协会 on another fax: `…股份有限公司科学` over `6月13日`.
    shorter = read_closing([*body, Paragraph("亚洲硅业（青海）股份有限公司科学"), Paragraph("6月13日")])
    assert shorter.start == 1 and shorter.unit is not None and shorter.unit.text == "亚洲硅业（青海）股份有限公司科学"


def test_a_unit_name_no_reading_is_sure_of_alone_is_taken_when_the_seals_ring_agrees() -> None:
    """A fax's `西部矿业业集团…` (a doubled letter of the name's core: not sure alone) and its seal's ring
    `西部矿业集风有限公司科学教术协会` (not sure either) agree on 西部矿业: that is the unit. A ring nearest another
    unit confirms nothing, and staff decide."""
    far = (900, 1900, 1200, 2200)
    agreed = _sealed_liaison("填报单位：西部矿业业集团有限公司科学技术协会", "西部矿业集风有限公司科学教术协会", far)
    assert agreed.row["unit_id"] == "ent-westmining"
    assert not [f for f in agreed.findings if f.field == "unit_raw"]
    other = _sealed_liaison("填报单位：西部矿业业集团有限公司科学技术协会", "海卫职业技术学院科学技术协会", far)
    assert other.row["unit_id"] == ""
    assert [f.code for f in other.findings if f.field == "unit_raw"] == ["unit_ambiguous"]


def test_a_unit_name_whose_end_an_unread_seal_hid_is_the_one_unit_it_begins() -> None:
    """`青海黄河上游水电开发有限责任公司科学技` under a seal whose ring could not be read: what is left begins one
    unit's name only. A short remainder (`青海省科学技术`) begins many and stays for staff."""
    over = (180, 380, 500, 700)
    cut = _sealed_liaison("填报单位：青海黄河上游水电开发有限责任公司科学技", "青水电发有限责任公学技术会", over)
    assert cut.row["unit_id"] == "ent-huanghe"
    short = _sealed_liaison("填报单位：青海省科学技术", "", over)
    assert short.row["unit_id"] == ""


def test_a_closing_date_with_a_digit_too_many_is_the_date_line_and_asks_staff() -> None:
    """A grey scan's `2021/06/114` (a piece of the seal read as a digit) under the unit: the line is the 落款's, not
    body; which digit is extra the OCR cannot say, so the date is flagged low_confidence, never guessed. Typed text
    with such a date keeps the writer's typo (invalid_date)."""
    from extractors.model import Document, Paragraph
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.report is not None)
    lines = ["2021年“全国科技工作者日”系列活动的总结报告", BODY, "共和县科学技术协会", "2021/06/114"]
    doc = Document(source=Path("r.png"), kind="image", blocks=[Paragraph(t, page=1, confidence=0.95) for t in lines])
    cleaned = clean_submission(read_form(doc, form), doc, UnitRegistry.load())
    assert cleaned.row["char_count"] == str(len(BODY)) and cleaned.row["unit_id"] == "county-gonghe"
    assert [(f.code, f.raw_value) for f in cleaned.findings] == [("low_confidence", "2021/06/114")]
    typed = Document(source=Path("r.docx"), kind="docx", blocks=[Paragraph(t, page=1) for t in lines])
    assert read_form(typed, form).fields.get("submitted_on") is None


def test_a_closing_date_whose_month_the_seal_hid_is_the_date_line_and_asks_staff() -> None:
    """A grey report's 落款 date `2021/06/16` under the seal's star, read `2021/0/16` (dev32): no date parses, yet
    the line is the 落款's (not body: the 字数 came out 9 over) and the unreadable date goes to staff as
    low_confidence, not to the unit as 未填写."""
    from extractors.model import Document, Paragraph
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.report is not None)
    for lost in ("2021/0/16", "2021年月16日"):
        lines = ["刚察县科学技术协会", "2021年“全国科技工作者日”活动的总结报告", BODY, lost]
        doc = Document(
            source=Path("r.png"), kind="image", blocks=[Paragraph(t, page=1, confidence=0.95) for t in lines]
        )
        cleaned = clean_submission(read_form(doc, form), doc, UnitRegistry.load())
        assert cleaned.row["char_count"] == str(len(BODY))
        assert [(f.code, f.raw_value) for f in cleaned.findings] == [("low_confidence", lost)]


def test_a_closing_name_the_seal_took_letters_out_of_is_no_body_and_the_titles_whole_name_is_the_unit() -> None:
    """A grey report's 落款 `乐都区科学技术协会` under the seal, read `都区科学技会` (dev38): no unit's ending, so it
    was counted as body (字数 6 over). Its end still reads as most of 科学技术协会: it is the 落款's name. The report's
    unit is the whole name its title starts with, not what the seal left."""
    from extractors.model import Document, Paragraph
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.report is not None)
    lines = ["乐都区科学技术协会", "2021年“全国科技工作者日”活动的总结报告", BODY, "都区科学技会", "2021/06/12"]
    doc = Document(source=Path("r.png"), kind="image", blocks=[Paragraph(t, page=1, confidence=0.95) for t in lines])
    cleaned = clean_submission(read_form(doc, form), doc, UnitRegistry.load())
    assert cleaned.row["char_count"] == str(len(BODY))
    assert cleaned.row["unit_raw"] == "乐都区科学技术协会" and cleaned.row["submitted_on"] == "2021-06-12"
    sentence = [
        "乐都区科学技术协会",
        "2021年“全国科技工作者日”活动的总结报告",
        BODY,
        "进一步健全长效机制",
        "2021/06/12",
    ]
    doc = Document(source=Path("r.png"), kind="image", blocks=[Paragraph(t, page=1, confidence=0.95) for t in sentence])
    assert read_form(doc, form).body.endswith("进一步健全长效机制")


def test_a_closing_unit_cut_over_what_the_seal_left_of_its_date() -> None:
    """A fax's `中国铝业股份有限公司青海分公司科学技术` over `5日` (the seal hid 协会 and 2021年6月1)."""
    from extractors.model import Paragraph
    from schemas.closing import read_closing

    body = [Paragraph("不断提升服务科技工作者的能力和水平。")]
    closing = read_closing([*body, Paragraph("中国铝业股份有限公司青海分公司科学技术"), Paragraph("5日")])
    assert closing.start == 1 and closing.date is None
    assert closing.unit is not None and closing.unit.text == "中国铝业股份有限公司青海分公司科学技术"


def test_a_people_table_whose_rule_between_name_and_post_a_fax_lost_is_split_at_the_name() -> None:
    """A fax lost the rule between 姓名 and 工作单位及职务: one header cell `姓名 工作单位及职务` and cells
    `铁婷 西宁特殊钢办公室主任`. Each row's name (2–4 letters, a spaced `吴 敏` too) and post come back apart."""
    from extractors.model import Cell, Document, Table
    from schemas.form_schema import load_forms
    from schemas.reader import read_people

    form = next(f for f in load_forms() if f.people is not None)
    rows = [
        ["姓名 工作单位及职务", "联系电话"],
        ["铁婷 西宁特殊钢办公室主任", "18805947579"],
        ["吴 敏 西宁特殊钢技术中心副主任", "0971-8526815"],
    ]
    table = Table(rows=[[Cell(t, r, c, confidence=0.97) for c, t in enumerate(row)] for r, row in enumerate(rows)])
    people = read_people(Document(source=Path("f.tif"), kind="image", blocks=[table]), form)
    assert [(p["name"].raw, p["org_title"].raw, p["phone"].raw) for p in people] == [
        ("铁婷", "西宁特殊钢办公室主任", "18805947579"),
        ("吴 敏", "西宁特殊钢技术中心副主任", "0971-8526815"),
    ]


def test_a_write_up_that_runs_on_over_a_page_break_under_an_empty_label_is_one_text() -> None:
    """A fax's third activity: its 预期成效 fills the foot of page 2 and goes on at the head of page 3 in a row
    whose label cell is empty. It is the same text, joined as it was written (no line break, nothing lost)."""
    from extractors.model import Cell, Paragraph, Table
    from schemas.activities import read_activities
    from schemas.form_schema import load_forms

    spec = next(f for f in load_forms() if f.activities is not None).activities

    def table(rows: list[list[str]], page: int) -> Table:
        return Table(rows=[[Cell(t, r, c) for c, t in enumerate(row)] for r, row in enumerate(rows)], page=page)

    before = table([["活动名称", "青年科技工作者学术沙龙"], ["预期成效", "拓宽学术视野，参加人员须出示健康"]], 2)
    after = table([["", "码和行程码，活动现场配备体温检测设备。"]], 3)
    [activity] = read_activities([Paragraph("二、工作方案"), before, after], spec)
    assert activity.title == "青年科技工作者学术沙龙"
    assert activity.description == "预期成效：拓宽学术视野，参加人员须出示健康码和行程码，活动现场配备体温检测设备。"


def test_a_date_ocr_garbled_under_a_seal_is_for_staff_to_check_not_an_invalid_date() -> None:
    """`报送时间：2021.5.9` under the ring read `2029`: the unit wrote a date, so low_confidence (staff look at
    the original), not invalid_date (the unit asked for a date it gave). Away from any seal it stays invalid_date."""
    from extractors.model import Cell, Document, Paragraph, Seal, Table
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.form_type == "activity_plan")
    rows = [["主办单位名称", "青海民族大学科学技术协会"], ["主题活动名称", "青海民族大学系列活动"]]
    table = Table(rows=[[Cell(t, r, c, confidence=0.97) for c, t in enumerate(row)] for r, row in enumerate(rows)])
    title = Paragraph(
        "2021年“全国科技工作者日”特色亮点活动筹备方案", page=1, bbox=(400, 200, 1200, 260), confidence=0.99
    )
    date = Paragraph("报送时间：2029", page=1, bbox=(210, 500, 520, 550), confidence=0.97)
    codes = {}
    for where, box in (("under", (380, 350, 700, 670)), ("away", (900, 1900, 1200, 2200))):
        seal = Seal(page=1, bbox=box, text="青海民族大学科学技术协会", confidence=0.93)
        doc = Document(source=Path("f.tif"), kind="image", blocks=[title, date, table], seals=[seal])
        cleaned = clean_submission(read_form(doc, form), doc, UnitRegistry.load())
        codes[where] = [f.code for f in cleaned.findings if f.field == "submitted_on"]
    assert codes == {"under": ["low_confidence"], "away": ["invalid_date"]}


def test_a_year_read_through_a_seal_that_is_not_the_campaigns_is_for_staff_to_check() -> None:
    """A photo's `报送时间：2021年5月7日` under the ring read `2023年5月7日`: a digit the ring hid, not a form sent
    two years late. Staff check the original (low_confidence); a typed 2023 would stay the unit's date."""
    from extractors.model import Document, Paragraph, Seal
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.form_type == "activity_plan")
    title = Paragraph("2021年“全国科技工作者日”特色亮点活动筹备方案", page=1, bbox=(400, 200, 1200, 260))
    seal = Seal(page=1, bbox=(262, 158, 598, 494), text="湟源县科学技术协会", confidence=0.99)
    codes = {}
    for confidence, year in ((0.98, "2023"), (None, "2023"), (0.98, "2021")):
        date = Paragraph(f"报送时间：{year}年5月7日", page=1, bbox=(133, 292, 443, 340), confidence=confidence)
        doc = Document(source=Path("f.jpg"), kind="image", blocks=[title, date], seals=[seal])
        cleaned = clean_submission(read_form(doc, form), doc, UnitRegistry.load())
        codes[(confidence, year)] = [f.code for f in cleaned.findings if f.field == "submitted_on"]
    assert codes == {(0.98, "2023"): ["low_confidence"], (None, "2023"): ["late_submission"], (0.98, "2021"): []}


def test_a_speck_after_a_scanned_job_title_or_activity_title_is_no_full_stop() -> None:
    """Grey scans read a dust speck after the last letter as `。`: `海西州科协办公室主任。`, `…先进事迹宣传。`.
    Nobody ends a title with one; typed text keeps what was typed."""
    from extractors.model import Cell, Document, Table
    from schemas.activities import ActivityRead
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    liaison = next(f for f in load_forms() if f.people is not None)
    rows = [["姓名", "工作单位及职务", "联系电话"], ["冶浩", "海西州科协办公室主任。", "17757137476"]]
    for confidence, title in ((0.95, "海西州科协办公室主任"), (None, "海西州科协办公室主任。")):
        cells = [[Cell(t, r, c, confidence=confidence) for c, t in enumerate(row)] for r, row in enumerate(rows)]
        doc = Document(source=Path("f.png"), kind="image", blocks=[Table(rows=cells)])
        people = clean_submission(read_form(doc, liaison), doc, UnitRegistry.load()).people
        assert [p["org_title"] for p in people] == [title]
    plan = next(f for f in load_forms() if f.form_type == "activity_plan")
    read = read_form(Document(source=Path("f.png"), kind="image", blocks=[]), plan)
    read.activities = [ActivityRead("“最美科技工作者”先进事迹宣传。", "2021年5月28日，在西宁市会展中心举办。", 1, 0.97)]
    cleaned = clean_submission(read, Document(source=Path("f.png"), kind="image"), UnitRegistry.load())
    assert [a["title"] for a in cleaned.activities] == ["“最美科技工作者”先进事迹宣传"]


def test_a_unit_line_whose_label_lost_its_first_letters_under_the_seal_still_names_the_unit() -> None:
    """A grey liaison scan read `单位：青海民 大科协`: the seal hid 填报. 单位 alone labels the unit on the 回执表."""
    from extractors.model import Cell, Document, Paragraph, Table
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.people is not None)
    rows = [["姓名", "工作单位及职务", "联系电话"], ["陈文军", "青海民大科协秘书长", "17757137476"]]
    table = Table(rows=[[Cell(t, r, c, confidence=0.97) for c, t in enumerate(row)] for r, row in enumerate(rows)])
    unit = Paragraph("单位：青海民 大科协", page=1, bbox=(210, 418, 652, 479), confidence=0.99)
    doc = Document(source=Path("f.jpg"), kind="image", blocks=[unit, table])
    cleaned = clean_submission(read_form(doc, form), doc, UnitRegistry.load())
    assert (cleaned.row["unit_id"], cleaned.row["unit_raw"]) == ("univ-qhmu", "青海民大科协")


def test_a_closing_date_whose_year_numeral_was_misread_ends_the_body_and_is_for_staff_to_check() -> None:
    """A colour scan's 落款 `黄南藏族自治州科学技术协会` / `三〇二一年六月 十一日`: OCR read 二 as 三, no date parsed,
    so the 落款 was taken for body text (unit and date lost, 字数 too high). The line is the date: its month and day
    stand in the campaign's year, flagged low_confidence; a typed year that is no year stays invalid."""
    from extractors.model import Document, Paragraph
    from schemas.form_schema import load_forms
    from schemas.reader import read_form
    from schemas.units import UnitRegistry
    from schemas.validate import clean_submission

    form = next(f for f in load_forms() if f.form_type == "summary_report")
    title = Paragraph("2021年“全国科技工作者日”活动开展情况的总结报告", page=1)
    body = Paragraph("通过系列活动，进一步密切了组织与科技工作者的联系。", page=1)
    results = {}
    for confidence in (0.97, None):
        unit = Paragraph("黄南藏族自治州科学技术协会", page=1, confidence=confidence)
        date = Paragraph("三〇二一年六月 十一日", page=1, confidence=confidence)
        doc = Document(source=Path("r.pdf"), kind="image", blocks=[title, body, unit, date])
        cleaned = clean_submission(read_form(doc, form), doc, UnitRegistry.load())
        codes = [f.code for f in cleaned.findings if f.field == "submitted_on"]
        results[confidence] = (cleaned.row.get("unit_raw"), cleaned.row.get("submitted_on"), codes)
    assert results[0.97] == ("黄南藏族自治州科学技术协会", "2021-06-11", ["low_confidence"])
    assert results[None][1] in (None, "") and results[None][2] != []
