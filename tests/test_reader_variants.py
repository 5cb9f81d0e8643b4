"""Forms written differently from the samples: no table, rows of activities, extra columns, signatures.

Each document is built here with python-docx the way some unit might fill the form; the expected values
are written by hand.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document as WordDocument

from flows.reading.pipeline import process_file


def _save(doc, tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    doc.save(path)
    return path


def _codes(outcome) -> set[tuple[str, str]]:
    return {(f.code, f.field) for f in outcome.findings}


def test_plan_typed_as_paragraphs_with_signature_after_the_activities(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("2021年“全国科技工作者日”特色亮点活动筹备方案")
    doc.add_paragraph("一、基本信息")
    for line in [
        "主办单位名称：海东市科学技术协会",
        "主题活动名称：科技工作者之家开放日",
        "主题活动模块：团结引领☐ 建家办事☑ 为民服务☑ 开放合作☐ 表彰发布☐",
        "拟举办时间：2021.5.29",
        "拟举办地点：海东市乐都区科技馆",
        "面向群体：科协系统干部☐ 科技工作者☑ 海外同行☐",
        "预计活动规模：200余人",
        "联系人：马红   手机：139 0972 1234   联系电话：0972-8612345",
        "电子邮箱：HDKX@126.COM",
        "主办单位邮寄地址：海东市乐都区古城大街1号",
    ]:
        doc.add_paragraph(line)
    doc.add_paragraph("二、工作方案")
    doc.add_paragraph("活动1：开放日")
    doc.add_paragraph("5月29日开放科技工作者之家，组织科技工作者参观交流。")
    doc.add_paragraph("活动2：学术沙龙")
    doc.add_paragraph("6月12日举办青年科技工作者学术沙龙。")
    doc.add_paragraph("单位盖章：")
    doc.add_paragraph("报送时间：2021年5月7日")
    outcome = process_file(_save(doc, tmp_path, "p.docx"), tmp_path)
    row = outcome.cleaned.row
    assert outcome.form_type == "activity_plan"
    assert row["unit_id"] == "city-haidong"
    assert row["modules"] == "建家办事;为民服务"
    assert row["audiences"] == "科技工作者"
    assert (row["planned_start"], row["planned_end"]) == ("2021-05-29", "2021-05-29")
    assert row["contact_name"] == "马红" and row["mobile"] == "13909721234"
    assert row["office_phone"] == "0972-8612345" and row["email"] == "hdkx@126.com"
    assert row["expected_participants"] == "200"
    assert row["submitted_on"] == "2021-05-07"  # read after the write-up, not lost
    assert [(a["title"], a["stage"]) for a in outcome.cleaned.activities] == [("开放日", "2"), ("学术沙龙", "3")]
    assert _codes(outcome) == set()


def test_activities_as_rows_of_one_table_and_defects_reported(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("特色亮点活动筹备方案")
    table = doc.add_table(rows=6, cols=2)
    for i, (label, value) in enumerate(
        [
            ("主办单位名称", "省农学会"),
            ("主题活动名称", "科技下乡"),
            ("主题活动模块", "团结引领( ) 建家办事( ) 为民服务( ) 开放合作( ) 表彰发布( )"),
            ("拟举办时间", "7月2日"),
            ("姓名", "王强"),
            ("手机", "1380971234"),
        ]
    ):
        table.cell(i, 0).text, table.cell(i, 1).text = label, value
    doc.add_paragraph("二、工作方案")
    acts = doc.add_table(rows=3, cols=4)
    for i, row in enumerate(
        [
            ("活动名称", "时间", "地点", "内容"),
            ("田间课堂", "5月20日", "湟中区", "专家现场指导"),
            ("成果展", "", "西宁", "展示成果"),
        ]
    ):
        for j, text in enumerate(row):
            acts.cell(i, j).text = text
    outcome = process_file(_save(doc, tmp_path, "q.docx"), tmp_path)
    assert outcome.form_type == "activity_plan"
    assert [(a["seq"], a["title"], a["stage"]) for a in outcome.cleaned.activities] == [
        ("1", "田间课堂", "1"),
        ("2", "成果展", ""),
    ]
    assert outcome.cleaned.activities[0]["description"] == "时间：5月20日\n地点：湟中区\n内容：专家现场指导"
    codes = _codes(outcome)
    assert ("no_module_selected", "modules") in codes
    assert ("invalid_mobile", "mobile") in codes
    assert ("date_out_of_window", "planned_start") in codes
    assert ("no_audience_selected", "audiences") in codes  # 面向群体 missing from the table altogether
    assert outcome.cleaned.row["mobile"] == ""  # a failed value is never in the cleaned column
    assert outcome.needs_review


def test_liaison_reply_with_unit_in_the_table_and_extra_columns(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("2021年“全国科技工作者日”活动联络员回执表")
    table = doc.add_table(rows=4, cols=5)
    table.cell(0, 0).text = "填报单位"
    table.cell(0, 1).merge(table.cell(0, 4)).text = "青海民族大学科协"
    for j, head in enumerate(["序号", "姓名", "工作单位及职务", "联系电话", "备注"]):
        table.cell(1, j).text = head
    for j, text in enumerate(["1", "才让", "青海民族大学科技处副处长", "0971-8804123", ""]):
        table.cell(2, j).text = text
    for j, text in enumerate(["2", "李敏", "科技处科员", "１３９９７１２３４５６７", "手机"]):
        table.cell(3, j).text = text
    outcome = process_file(_save(doc, tmp_path, "r.docx"), tmp_path)
    assert outcome.form_type == "liaison_reply"
    assert outcome.cleaned.row["unit_id"] == "univ-qhmu"
    people = outcome.cleaned.people
    assert [(p["name"], p["phone"], p["phone_kind"]) for p in people] == [
        ("才让", "0971-8804123", "landline"),
        ("李敏", "", ""),
    ]
    assert _codes(outcome) == {("invalid_phone", "phone")}  # 12 digits: not a mobile


def test_report_signed_at_the_end_with_a_chinese_date(tmp_path: Path) -> None:
    doc = WordDocument()
    doc.add_paragraph("青海省科技馆2021年“全国科技工作者日”活动总结")
    body = "今年科技工作者日期间，我馆围绕众心向党、自立自强主题，组织开展了科学家精神展览和科普讲座等活动。" * 3
    doc.add_paragraph(body)
    doc.add_paragraph("活动共吸引观众五千余人次，取得了良好的社会效果。")
    doc.add_paragraph("青海省科学技术馆")
    doc.add_paragraph("二〇二一年六月二十日")
    outcome = process_file(_save(doc, tmp_path, "s.docx"), tmp_path)
    assert outcome.form_type == "summary_report"
    row = outcome.cleaned.row
    assert row["unit_id"] == "dept-museum" and row["char_limit"] == "2000"
    assert row["submitted_on"] == "2021-06-20"
    assert row["char_count"] == str(len(body) + len("活动共吸引观众五千余人次，取得了良好的社会效果。"))
    assert _codes(outcome) == {("late_submission", "submitted_on")}
