"""联络员回执表, 活动总结报告, the forwarded notice and the blank templates as Word files."""

from __future__ import annotations

from pathlib import Path

from . import docx_kit as k
from .docx_plan import basic_grid
from .model import DateValue, Doc

CONTACT_FOOTER = [
    "请各市州科协、高校科协、企业科协5月10日前上报活动联络员回执表和简要活动方案。",
    "省科协联系方式：",
    "地    址：海湖新区文景街32号国投广场7楼757室",
    "联 系 人：李想  6335628  15897098299",
    "传    真：6302839",
    "电子邮箱：qhskxbgs@163.com",
]


def write_liaison(doc: Doc, path: Path, seal_png: bytes | None) -> None:
    o = doc.opts
    look = k.LOOKS[o.get("look", "word")]
    d = k.new_document(look)
    if o.get("attachment_label", True):
        k.para(d, "附件2", look, east=look.title_font)
    k.title(d, o.get("title_lines", ["2021年“全国科技工作者日”活动", "联络员回执表"]), look)
    unit_in_table = o.get("unit_in_table", False)
    anchor = None
    if not unit_in_table:
        anchor = k.para(d, o.get("unit_label", "填报单位：") + doc.unit_raw, look, space_after=6)
    heads = o.get("columns", ["姓名", "工作单位及职务", "联系电话"])
    persons = doc.persons
    blank = o.get("blank_rows", 0)
    extra = 1 if unit_in_table else 0
    t = k.table(d, len(persons) + blank + 1 + extra, len(heads), look, None)
    if unit_in_table:
        k.cell_text(t.cell(0, 0), "填报单位", look, bold=True)
        k.cell_text(k.merge_row(t, 0, 1, len(heads) - 1), doc.unit_raw, look)
        anchor = t.cell(0, 1).paragraphs[0]
    for j, h in enumerate(heads):
        k.cell_text(t.cell(extra, j), h, look, bold=True, align="center")
    for i, person in enumerate(persons, start=1 + extra):
        values = {
            "姓名": person.name,
            "姓  名": person.name,
            "工作单位及职务": person.org_title,
            "联系电话": person.phone.raw,
            "序号": str(i - extra),
        }
        for j, h in enumerate(heads):
            k.cell_text(
                t.cell(i, j), values.get(h, ""), look, align="center" if h in ("序号", "姓名", "姓  名") else None
            )
    if o.get("footer", False):
        k.para(d, "", look)
        for line in CONTACT_FOOTER:
            k.para(d, line, look, size=look.body_pt - 1.5, space_after=0)
    if seal_png and anchor is not None:
        k.floating_picture(anchor, seal_png, 4.0, o.get("seal_x", 2.0), -1.2)
    k.save(d, path, look, when=(2021, 5, 8, 16, 5, 0))


def write_report(doc: Doc, path: Path, seal_png: bytes | None) -> None:
    o = doc.opts
    look = k.LOOKS[o.get("look", "word")]
    d = k.new_document(look)
    k.title(d, doc.title_lines, look)
    if o.get("unit_line"):
        k.para(d, o["unit_line"] + doc.unit_raw, look, align="center", space_after=8)
    for text in doc.body:
        heading = text[:2] in ("一、", "二、", "三、", "四、", "五、")
        k.para(
            d,
            text,
            look,
            bold=heading,
            indent=True,
            space_after=0,
            east=("黑体" if heading and look.name != "lo" else None),
        )
    anchor = None
    if not o.get("unit_line"):
        k.para(d, "", look)
        anchor = k.para(d, doc.unit_raw, look, align="right", space_after=0)
    if doc.submitted.raw:
        p = k.para(d, o.get("date_label", "") + doc.submitted.raw, look, align="right")
        anchor = anchor or p
    if seal_png and anchor is not None:
        k.floating_picture(anchor, seal_png, 4.0, o.get("seal_x", 10.5), -1.8)
    k.save(d, path, look, when=(2021, 6, 15, 10, 0, 0))


NOTICE = [
    "青海省科学技术协会文件",
    "青科协发〔2021〕15号",
    "关于印发《2021年“全国科技工作者日”青海省活动方案》的通知",
    "各省级学会、协会、研究会，各市州科协，各高校科协、企业科协，省科协机关各部室、各直属事业单位：",
    "2021年5月30日是第5个“全国科技工作者日”。省科协制定了《2021年“全国科技工作者日”青海省活动方案》，现印发给你们，"
    "请全省各级科协组织结合工作实际，精心谋划，认真制定工作方案，组织开展好节日相关活动。",
    "请各市州科协、高校科协、企业科协5月10日前上报活动联络员回执表和简要活动方案。",
    "附件：1.《2021年“全国科技工作者日”青海省活动方案》",
    "2.2021年“全国科技工作者日”活动联络员回执表",
    "3.中国科协《2021年“全国科技工作者日”活动实施方案》",
    "青海省科学技术协会",
    "2021年4月27日",
]
PLAN_HINT = (
    "（应突出重点，言简意赅，包括但不限于“五大模块”，列出约3项（原则上每个阶段1项）最具特色亮点活动的工作思路、"
    "实施举措，时间、地点、人员、主题、主要安排、预期成效等要素，原则上每项活动500字以内，一项一表，表格可自行复制）"
)


def _blank_plan(d, look):
    k.para(d, "附件", look, east=look.title_font)
    k.title(d, ["2021年“全国科技工作者日”特色亮点活动筹备方案（样表）"], look)
    k.para(d, "单位盖章：", look, space_after=0)
    k.para(d, "报送时间：", look)
    k.para(d, "一、基本信息", look, bold=True)
    empty = Doc(
        "blank",
        "blank_plan",
        "docx",
        "",
        [],
        unit_raw="",
        planned=DateValue(""),
        submitted=DateValue(""),
        opts={"ticks": "paren_after"},
    )
    basic_grid(d, empty, look)
    k.para(d, "注：将根据主办单位联系人和邮寄地址等信息，邮寄优秀组织单位或积极贡献单位牌匾，请务必详实准确。", look)
    k.para(d, "二、工作方案", look, bold=True)
    k.para(d, PLAN_HINT, look)


def _blank_liaison(d, look, rows: int = 4):
    k.para(d, "附件2", look, east=look.title_font)
    k.title(d, ["2021年“全国科技工作者日”活动", "联络员回执表"], look)
    k.para(d, "填报单位：", look)
    t = k.table(d, rows, 3, look, None)
    for j, h in enumerate(["姓名", "工作单位及职务", "联系电话"]):
        k.cell_text(t.cell(0, j), h, look, bold=True, align="center")
    k.para(d, "", look)
    for line in CONTACT_FOOTER:
        k.para(d, line, look, space_after=0)


def write_notice(doc: Doc, path: Path) -> None:
    """A unit forwarding the notice to its own members, the templates still attached (not a submission)."""
    look = k.LOOKS[doc.opts.get("look", "wps")]
    d = k.new_document(look)
    if doc.opts.get("forward_note"):
        for line in doc.opts["forward_note"]:
            k.para(d, line, look, indent=True)
    for i, line in enumerate(NOTICE):
        k.para(
            d,
            line,
            look,
            size=look.title_pt if i in (0, 2) else None,
            align="center" if i < 3 else None,
            color=(200, 0, 0) if i == 0 else None,
            indent=i > 3,
        )
    d.add_page_break()
    _blank_liaison(d, look)
    d.add_page_break()
    _blank_plan(d, look)
    k.save(d, path, look, when=(2021, 4, 28, 9, 0, 0))


def write_blank(doc: Doc, path: Path) -> None:
    look = k.LOOKS[doc.opts.get("look", "word")]
    d = k.new_document(look)
    (_blank_plan if doc.form == "blank_plan" else _blank_liaison)(d, look)
    k.save(d, path, look, when=(2021, 4, 28, 11, 0, 0))
