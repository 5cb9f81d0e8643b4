"""Render a SubmissionSpec to the bytes of a .docx, as the unit would have typed it in Word."""

from __future__ import annotations

from docx.document import Document as DocxDocument

from samples.generator.docx_base import HEADING_FONT, TITLE_FONT, add_para, finish, grid_table, new_document, write_cell
from samples.generator.model import SubmissionSpec
from samples.generator.plan_docx import write_plan

LIAISON_TITLE = ("2021年“全国科技工作者日”活动", "联络员回执表")
LIAISON_FOOTER = (
    "请各市州科协、高校科协、企业科协5月10日前上报活动联络员回执表和简要活动方案。",
    "省科协联系方式：",
    "地    址：海湖新区文景街32号国投广场7楼757室",
    "联 系 人：李想 6335628 15897098299",
    "传    真：6302839",
    "电子邮箱：qhskxbgs@163.com",
)
TRUNCATED_BYTES = 4096  # an upload cut off after 4 KiB


def render(spec: SubmissionSpec, earlier: dict[str, bytes]) -> bytes:
    """The file's bytes. `earlier` holds files already rendered (copies and truncations are made from them)."""
    if spec.special == "duplicate":
        return earlier[spec.copy_of]
    if spec.special == "unreadable":
        return earlier[spec.copy_of][:TRUNCATED_BYTES]
    doc = new_document()
    if spec.form_type == "activity_plan":
        write_plan(doc, spec)
        title = spec.layout.title
        author = spec.plan.contact_name or spec.unit_raw
    elif spec.form_type == "liaison_reply":
        _write_liaison(doc, spec)
        title, author = "".join(LIAISON_TITLE), spec.persons[0].name
    elif spec.form_type == "summary_report":
        _write_report(doc, spec)
        title, author = spec.report.title, spec.report.signature
    else:
        _write_plain(doc, spec.paragraphs)
        title, author = spec.paragraphs[0], "青海省科协办公室"
    return finish(doc, title=title, author=author, created=spec.created)


def _write_liaison(doc: DocxDocument, spec: SubmissionSpec) -> None:
    title = add_para(doc, align="center")
    run = title.add_run(LIAISON_TITLE[0])
    run.bold = True
    run.add_break()
    title.add_run(LIAISON_TITLE[1]).bold = True
    add_para(doc, f"{spec.layout.unit_label}：{spec.unit_raw}")
    rows = [("姓名", "工作单位及职务", "联系电话")]
    rows += [(p.name, p.org_title, p.phone.raw) for p in spec.persons]
    rows += [("", "", "")] * spec.layout.liaison_blank_rows
    table = grid_table(doc, len(rows), [3.0, 7.8, 5.0])
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            write_cell(table.cell(r, c), value, size=14)
    if spec.layout.liaison_footer:
        add_para(doc)
        for line in LIAISON_FOOTER:
            add_para(doc, line, size=12)


def _write_report(doc: DocxDocument, spec: SubmissionSpec) -> None:
    report = spec.report
    assert report is not None
    add_para(doc, report.title, bold=True, size=18, align="center", font=TITLE_FONT)
    add_para(doc, f"报送单位：{spec.unit_raw}")
    for text in report.body:
        heading = len(text) < 30 and text[:2] in {f"{n}、" for n in "一二三四五六七八九"}
        add_para(doc, text, indent=True, font=HEADING_FONT if heading else None)
    add_para(doc)
    add_para(doc, report.signature, align="right")
    add_para(doc, report.date.raw, align="right")


def _write_plain(doc: DocxDocument, paragraphs: tuple[str, ...]) -> None:
    add_para(doc, paragraphs[0], bold=True, size=18, align="center", font=TITLE_FONT)
    for text in paragraphs[1:-2]:
        add_para(doc, text, indent=True)
    for text in paragraphs[-2:]:
        add_para(doc, text, align="right")
