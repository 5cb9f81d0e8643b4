"""特色亮点活动筹备方案 as a unit fills in the seed's template: header lines, 一、基本信息, 二、工作方案."""

from __future__ import annotations

from collections.abc import Callable

from docx.document import Document as DocxDocument
from docx.table import Table, _Cell

from samples.generator.checkboxes import ChoiceWriter
from samples.generator.docx_base import (
    HEADING_FONT,
    TITLE_FONT,
    add_para,
    grid_table,
    set_table_font,
    style_run,
    write_cell,
)
from samples.generator.model import AUDIENCES, MODULES, Activity, Layout, SubmissionSpec

NOTE = "注：将根据主办单位联系人和邮寄地址等信息，邮寄优秀组织单位或积极贡献单位牌匾，请务必详实准确。"
HINT = (
    "(应突出重点，言简意赅，包括但不限于“五大模块”，列出约3项（原则上每个阶段1项）最具特色亮点活动的工作思路、"
    "实施举措，时间、地点、人员、主题、主要安排、预期成效等要素，原则上每项活动500字以内，一项一表，表格可自行复制)"
)
DEFAULT_LABELS = {"name": "姓 名", "office": "办公电话", "mobile": "手 机", "fax": "传 真", "email": "电子邮箱"}
WIDTHS = [3.3, 2.2, 3.2, 2.2, 2.4, 2.5]  # cm; label column, then the five module columns
CN = "一二三四五六七八九"
TABLE_PT = 11

# A cell to fill: text, or a function that renders into the cell; CONT marks the rows a label merges down over.
Content = str | Callable[[_Cell], None]
CONT = object()

NUMBERING: dict[str, Callable[[int], str]] = {
    "cn": lambda i: f"{CN[i]}、",
    "cn_paren": lambda i: f"（{CN[i]}）",
    "arabic_dot": lambda i: f"{i + 1}.",
    "arabic_dun": lambda i: f"{i + 1}、",
    "act_cn": lambda i: f"活动{CN[i]}：",
    "act_arabic": lambda i: f"活动{i + 1}：",
}


def write_plan(doc: DocxDocument, spec: SubmissionSpec) -> None:
    plan, layout = spec.plan, spec.layout
    assert plan is not None
    if layout.keep_annex_line:
        add_para(doc, "附件", font=HEADING_FONT)
    add_para(doc, layout.title, bold=True, size=18, align="center", font=TITLE_FONT)
    if layout.one_header_line:
        add_para(doc, f"单位盖章：                    报送时间：{plan.submitted.raw}")
    else:
        add_para(doc, "单位盖章：")
        add_para(doc, f"报送时间：{plan.submitted.raw}")
    add_para(doc, "一、基本信息", font=HEADING_FONT)
    _info_table(doc, spec)
    add_para(doc, NOTE, size=12)
    add_para(doc, "二、工作方案", font=HEADING_FONT)
    if layout.keep_instructions:
        add_para(doc, HINT, size=12)
    if layout.numbering == "table":
        for activity in plan.activities:
            _activity_table(doc, activity)
            add_para(doc)
    else:
        number = NUMBERING[layout.numbering]
        for i, activity in enumerate(plan.activities):
            add_para(doc, number(i) + activity.title, bold=True, indent=True)
            for text in activity.paragraphs:
                add_para(doc, text, indent=True)


def _info_table(doc: DocxDocument, spec: SubmissionSpec) -> None:
    plan, layout = spec.plan, spec.layout
    assert plan is not None
    ticks = ChoiceWriter(layout.ticks, override_first_unticked=layout.formfield_override)

    def module(name: str) -> Callable[[_Cell], None]:
        return lambda cell: ticks.add(cell.paragraphs[0], name, name in plan.modules)

    def audiences(cell: _Cell) -> None:
        para = cell.paragraphs[0]
        for i, name in enumerate(AUDIENCES):
            if i:
                para.add_run("    ")
            ticks.add(para, name, name in plan.audiences)

    rows: list[list[tuple[object, int]]] = [
        [("主办单位名称", 1), (spec.unit_raw, 5)],
        [("主题活动名称", 1), (plan.activity_name, 5)],
        [("主题活动模块\n(请在相应模块划√, 可多选)", 1)] + [(module(m), 1) for m in MODULES],
        [("承办单位名称", 1), (plan.organizer, 5)],
        [("拟举办时间", 1), (plan.time.raw, 5)],
        [("拟举办地点", 1), (plan.location, 5)],
    ]
    if layout.blank_rows:
        rows.append([("", 1)] * 6)
    rows += [[("面向群体", 1), (audiences, 5)], [("预计活动规模", 1), (plan.scale.raw, 5)]]
    rows += _contact_rows(spec, layout)
    rows.append([("主办单位\n邮寄地址", 1), (plan.address, 5)])
    if layout.blank_rows:
        rows += [[("", 1), ("", 5)], [("", 1), ("", 5)]]
    table = grid_table(doc, len(rows), WIDTHS)
    _fill(table, rows)
    set_table_font(table, TABLE_PT)


def _contact_rows(spec: SubmissionSpec, layout: Layout) -> list[list[tuple[object, int]]]:
    plan = spec.plan
    assert plan is not None
    label = {**DEFAULT_LABELS, **layout.labels}
    if layout.nested_contact:
        return [[("主办单位\n联系人", 1), (lambda cell: _nested_contact(cell, spec, label), 5)]]
    if layout.name_in_label_cell:
        name_cells = [(f"{label['name']}：{plan.contact_name}", 1), ("", 1)]
    else:
        name_cells = [(label["name"], 1), (plan.contact_name, 1)]
    return [
        [("主办单位\n联系人", 1), *name_cells, (label["office"], 1), (plan.office_phone.raw, 2)],
        [(CONT, 1), (label["mobile"], 1), (plan.mobile.raw, 1), (label["fax"], 1), (plan.fax.raw, 2)],
        [(CONT, 1), (label["email"], 1), (plan.email.raw, 4)],
    ]


def _nested_contact(cell: _Cell, spec: SubmissionSpec, label: dict[str, str]) -> None:
    plan = spec.plan
    assert plan is not None
    inner = grid_table(cell, 3, [2.0, 3.0, 2.0, 4.5])
    _fill(inner, [
        [(label["name"], 1), (plan.contact_name, 1), (label["office"], 1), (plan.office_phone.raw, 1)],
        [(label["mobile"], 1), (plan.mobile.raw, 1), (label["fax"], 1), (plan.fax.raw, 1)],
        [(label["email"], 1), (plan.email.raw, 3)],
    ])
    # python-docx leaves the cell's own empty paragraph above the nested table; Word users rarely have one
    first = cell.paragraphs[0]._p
    first.getparent().remove(first)


def _fill(table: Table, rows: list[list[tuple[object, int]]]) -> None:
    """Fill a grid row by row; a span merges cells to the right, CONT merges the cell above downwards."""
    for r, row in enumerate(rows):
        c = 0
        for content, span in row:
            cell = table.cell(r, c)
            if content is CONT:
                top = r - 1
                while rows[top][0][0] is CONT:
                    top -= 1
                table.cell(top, c).merge(cell)
            else:
                if span > 1:
                    cell = cell.merge(table.cell(r, c + span - 1))
                if callable(content):
                    content(cell)
                else:
                    write_cell(cell, str(content))
            c += span


def _activity_table(doc: DocxDocument, activity: Activity) -> None:
    table = grid_table(doc, 1 + len(activity.rows), [3.0, 12.0])
    for r, (label, value) in enumerate([(activity.title_label, activity.title), *activity.rows]):
        write_cell(table.cell(r, 0), label)
        write_cell(table.cell(r, 1), value)
    for run in table.cell(0, 1).paragraphs[0].runs:
        style_run(run, bold=True)
    set_table_font(table, TABLE_PT + 1)
