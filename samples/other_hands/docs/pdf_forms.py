"""The three forms (and the notice) laid out on directly written PDF pages."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import black

from .docx_other import CONTACT_FOOTER, NOTICE, PLAN_HINT
from .docx_plan import NUMBERINGS, TICK
from .model import Doc
from .pdf_direct import LEFT, RIGHT, SEAL_RED, TOP, Sheet
from .texts import AUDIENCES, MODULES


def tick_text(options: list[str], chosen: list[str], style: str) -> str:
    on, off, where = TICK[style]
    parts = []
    for opt in options:
        mark = on if opt in chosen else off
        parts.append(f"{mark}{opt}" if where == "before" else f"{opt}{mark}")
    return "   ".join(parts)


def write_plan_pdf(doc: Doc, path: Path, seal_png: bytes | None) -> None:
    o = doc.opts
    s = Sheet(path, font=o.get("font", "WQY"), spaced=o.get("spaced", False))
    title_color = SEAL_RED if o.get("red") == "title" else black
    s.line("附件", 12)
    for ln in o.get("title_lines", ["2021年“全国科技工作者日”特色亮点活动筹备方案"]):
        s.line(ln, 17, align="center", color=title_color)
    s.line("单位盖章：", 12, mark="stamp_line")
    s.line("报送时间：" + doc.submitted.raw, 12, mark="date_line")
    s.line("一、基本信息", 13)
    full = RIGHT - LEFT
    ticks = o.get("ticks", "paren_after")
    rows = [
        ["主办单位名称", doc.unit_raw, "", ""],
        ["主题活动名称", doc.activity_name, "", ""],
        ["主题活动模块（可多选）", tick_text(MODULES, doc.modules, ticks), "", ""],
        ["承办单位名称", doc.organizer, "", ""],
        ["拟举办时间", doc.planned.raw, "", ""],
        ["拟举办地点", doc.location, "", ""],
        ["面向群体", tick_text(AUDIENCES, doc.audiences, ticks), "", ""],
        ["预计活动规模", doc.scale, "", ""],
        ["联系人姓名", doc.contact, "办公电话", doc.office.raw],
        ["手    机", doc.mobile.raw, "传    真", doc.fax.raw],
        ["电子邮箱", doc.email.raw, "", ""],
        ["主办单位邮寄地址", doc.address, "", ""],
    ]
    spans = {(r, 1): 3 for r in range(len(rows)) if r not in (8, 9)}
    widths = [full * 0.22, full * 0.30, full * 0.16, full * 0.32]
    s.table(rows, widths, marks={(0, 1): "unit_cell"}, spans=spans)
    s.line("注：将根据主办单位联系人和邮寄地址等信息，邮寄优秀组织单位或积极贡献单位牌匾，请务必详实准确。", 9.5)
    s.line("二、工作方案", 13)
    if o.get("hint"):
        s.line(PLAN_HINT, 9.5)
    layout = o.get("activities", "numbered")
    if layout == "rows" and doc.activities:
        heads = ["序号", "活动名称"] + [lab for lab, _ in doc.activities[0].labels]
        body = [[str(i), a.title] + [v for _, v in a.labels] for i, a in enumerate(doc.activities, 1)]
        s.table([heads] + body, [full * 0.07, full * 0.2, full * 0.13, full * 0.18, full * 0.42], size=9.5)
    else:
        number = NUMBERINGS[o.get("numbering", "cn")]
        for i, act in enumerate(doc.activities):
            s.line(number(i) + act.title, 12)
            for ptext in act.paras:
                s.line(ptext, 11, indent=22)
    s.finish(doc.seal, seal_png, o.get("seal_at", "unit_cell"), o.get("red", "") if o.get("red") != "title" else "")


def write_liaison_pdf(doc: Doc, path: Path, seal_png: bytes | None) -> None:
    o = doc.opts
    s = Sheet(path, font=o.get("font", "WQY"), spaced=o.get("spaced", False))
    s.line("附件2", 12)
    for ln in o.get("title_lines", ["2021年“全国科技工作者日”活动", "联络员回执表"]):
        s.line(ln, 17, align="center")
    s.line("填报单位：" + doc.unit_raw, 12, mark="unit_line")
    full = RIGHT - LEFT
    rows = [["姓  名", "工作单位及职务", "联系电话"]]
    rows += [[p.name, p.org_title, p.phone.raw] for p in doc.persons]
    rows += [["", "", ""]] * o.get("blank_rows", 0)
    s.y -= 6
    s.table(rows, [full * 0.18, full * 0.52, full * 0.30], size=11)
    if o.get("footer"):
        s.y -= 10
        for ln in CONTACT_FOOTER:
            s.line(ln, 10)
    s.finish(doc.seal, seal_png, "unit_line", o.get("red", ""))


def write_report_pdf(doc: Doc, path: Path, seal_png: bytes | None) -> None:
    o = doc.opts
    s = Sheet(path, font=o.get("font", "WQY"), spaced=o.get("spaced", False))
    for ln in doc.title_lines:
        s.line(ln, 17, align="center", color=SEAL_RED if o.get("red") == "title" else black)
    if o.get("unit_line"):
        s.line(o["unit_line"] + doc.unit_raw, 12, align="center", mark="unit_line")
    for ptext in doc.body:
        heading = ptext[:2] in ("一、", "二、", "三、", "四、")
        s.line(ptext, 12 if heading else 11.5, indent=23)
    s.y -= 12
    if not o.get("unit_line"):
        s.line(doc.unit_raw, 12, align="right", mark="unit_line")
    if doc.submitted.raw:
        s.line(o.get("date_label", "") + doc.submitted.raw, 12, align="right", mark="date_line")
    red = o.get("red", "") if o.get("red") != "title" else ""
    s.finish(doc.seal, seal_png, o.get("seal_at", "date_line"), red)


def write_notice_pdf(doc: Doc, path: Path) -> None:
    s = Sheet(path)
    for i, ln in enumerate(NOTICE):
        s.line(
            ln,
            18 if i in (0, 2) else 12,
            align="center" if i < 3 else "left",
            color=SEAL_RED if i == 0 else black,
            indent=24 if i > 3 else 0,
        )
    s.c.showPage()
    s.page += 1
    s.y = TOP
    s.line("附件2", 12)
    s.line("2021年“全国科技工作者日”活动联络员回执表", 16, align="center")
    s.line("填报单位：", 12)
    full = RIGHT - LEFT
    s.table([["姓名", "工作单位及职务", "联系电话"], ["", "", ""], ["", "", ""]], [full * 0.2, full * 0.5, full * 0.3])
    s.y -= 10
    for ln in CONTACT_FOOTER:
        s.line(ln, 10)
    s.finish(None, None, "", "")
