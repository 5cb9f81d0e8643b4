"""筹备方案 as Word files, in the table shapes different offices give the seed's 样表."""

from __future__ import annotations

from pathlib import Path

from docx.shared import Pt

from . import docx_kit as k
from .model import Doc
from .texts import AUDIENCES, MODULES

NUMBERINGS = {
    "cn": lambda i: f"{'一二三四五六'[i]}、",
    "paren": lambda i: f"（{'一二三四五六'[i]}）",
    "dot": lambda i: f"{i + 1}.",
    "dun": lambda i: f"{i + 1}、",
    "huodong": lambda i: f"活动{'一二三四五六'[i]}：",
}
TICK = {
    "paren_after": ("（√）", "（  ）", "after"),
    "ascii_after": ("(✓)", "( )", "after"),
    "paren_before": ("（√）", "（ ）", "before"),
    "box_before": ("☑", "□", "before"),
    "box_after": ("☑", "□", "after"),
    "square": ("■", "□", "before"),
    "dot": ("●", "○", "before"),
    "check_after": ("√", "", "after"),
}


def tick_into(paragraph, option: str, checked: bool, style: str, look: k.Look):
    """Write one option with its tick mark the way `style` says."""
    if style in ("sdt", "legacy"):
        (k.checkbox_sdt(paragraph, checked, look) if style == "sdt" else k.checkbox_legacy(paragraph, checked))
        k.set_font(paragraph.add_run(option), look, look.body_pt - 1.5)
        return
    on, off, where = TICK[style]
    mark = on if checked else off
    text = f"{mark}{option}" if where == "before" else f"{option}{mark}"
    k.set_font(paragraph.add_run(text), look, look.body_pt - 1.5)


def ticks_cell(cell, options: list[str], chosen: list[str], style: str, look: k.Look, per_line: bool):
    cell.paragraphs[0].text = ""
    p = cell.paragraphs[0]
    for i, opt in enumerate(options):
        if per_line and i:
            p = cell.add_paragraph()
        elif i:
            k.set_font(p.add_run("    "), look, look.body_pt - 1.5)
        tick_into(p, opt, opt in chosen, style, look)


def _name(doc: Doc) -> str:
    """The activity name as typed: `name_render` may break it into two paragraphs ('\n')."""
    return doc.opts.get("name_render", doc.activity_name)


def _label(text: str, spaced: bool) -> str:
    if not spaced or len(text) != 2:
        return text
    return f"{text[0]}  {text[1]}"


def basic_grid(d, doc: Doc, look):
    """The seed's own 6-column grid: one option per cell, merged value cells, a 3-row 联系人 block."""
    o = doc.opts
    t = k.table(d, 12, 6, look, [3.2, 2.6, 2.6, 2.6, 2.6, 2.6])
    rows = [("主办单位名称", doc.unit_raw), ("主题活动名称", _name(doc))]
    for r, (lab, val) in enumerate(rows):
        k.cell_text(t.cell(r, 0), lab, look)
        k.cell_text(k.merge_row(t, r, 1, 5), val, look)
    k.cell_text(t.cell(2, 0), "主题活动模块\n(请在相应模块划√，可多选)", look)
    for i, m in enumerate(MODULES):
        c = t.cell(2, i + 1)
        c.paragraphs[0].text = ""
        tick_into(c.paragraphs[0], m, m in doc.modules, o["ticks"], look)
    simple = [("承办单位名称", doc.organizer), ("拟举办时间", doc.planned.raw), ("拟举办地点", doc.location)]
    for r, (lab, val) in enumerate(simple, start=3):
        k.cell_text(t.cell(r, 0), lab, look)
        k.cell_text(k.merge_row(t, r, 1, 5), val, look)
    k.cell_text(t.cell(6, 0), "面向群体", look)
    ticks_cell(k.merge_row(t, 6, 1, 5), AUDIENCES, doc.audiences, o["ticks"], look, o.get("per_line", False))
    k.cell_text(t.cell(7, 0), "预计活动规模", look)
    k.cell_text(k.merge_row(t, 7, 1, 5), doc.scale, look)
    block = t.cell(8, 0).merge(t.cell(10, 0))
    k.cell_text(block, "主办单位\n联系人", look)
    sp = o.get("spaced_labels", True)
    k.cell_text(t.cell(8, 1), _label("姓名", sp), look)
    k.cell_text(t.cell(8, 2), doc.contact, look)
    k.cell_text(t.cell(8, 3), "办公电话", look)
    k.cell_text(k.merge_row(t, 8, 4, 5), doc.office.raw, look)
    k.cell_text(t.cell(9, 1), _label("手机", sp), look)
    k.cell_text(t.cell(9, 2), doc.mobile.raw, look)
    k.cell_text(t.cell(9, 3), _label("传真", sp), look)
    k.cell_text(k.merge_row(t, 9, 4, 5), doc.fax.raw, look)
    k.cell_text(t.cell(10, 1), "电子邮箱", look)
    k.cell_text(k.merge_row(t, 10, 2, 5), doc.email.raw, look)
    k.cell_text(t.cell(11, 0), "主办单位\n邮寄地址", look)
    k.cell_text(k.merge_row(t, 11, 1, 5), doc.address, look)
    return t


def basic_pairs(d, doc: Doc, look):
    """label|value|label|value, the WPS habit of filling the width with two fields a row."""
    o = doc.opts
    t = k.table(d, 9, 4, look, [3.0, 4.6, 3.0, 4.6])
    pairs = [
        [("主办单位名称", doc.unit_raw), ("承办单位名称", doc.organizer)],
        [("主题活动名称", _name(doc))],
        [("主题活动模块", None)],
        [("拟举办时间", doc.planned.raw), ("拟举办地点", doc.location)],
        [("面向群体", None)],
        [("预计活动规模", doc.scale), ("联系人姓名", doc.contact)],
        [("办公电话", doc.office.raw), ("手　　机", doc.mobile.raw)],
        [("传　　真", doc.fax.raw), ("电子邮箱", doc.email.raw)],
        [("邮寄地址", doc.address)],
    ]
    for r, row in enumerate(pairs):
        if len(row) == 2:
            for j, (lab, val) in enumerate(row):
                k.cell_text(t.cell(r, 2 * j), lab, look)
                k.cell_text(t.cell(r, 2 * j + 1), val, look)
            continue
        lab, val = row[0]
        k.cell_text(t.cell(r, 0), lab, look)
        target = k.merge_row(t, r, 1, 3)
        if lab == "主题活动模块":
            ticks_cell(target, MODULES, doc.modules, o["ticks"], look, o.get("per_line", False))
        elif lab == "面向群体":
            ticks_cell(target, AUDIENCES, doc.audiences, o["ticks"], look, o.get("per_line", False))
        else:
            k.cell_text(target, val, look)
    return t


def _field_lines(doc: Doc) -> list[tuple[str, str | None]]:
    colon = doc.opts.get("colon", "：")
    return [
        (f"主办单位名称{colon}", doc.unit_raw),
        (f"主题活动名称{colon}", _name(doc)),
        (f"主题活动模块（可多选）{colon}", None),
        (f"承办单位名称{colon}", doc.organizer),
        (f"拟举办时间{colon}", doc.planned.raw),
        (f"拟举办地点{colon}", doc.location),
        (f"面向群体{colon}", None),
        (f"预计活动规模{colon}", doc.scale),
        (f"联系人姓名{colon}", doc.contact),
        (f"办公电话{colon}", doc.office.raw),
        (f"手{'　　' if doc.opts.get('spaced_labels') else ''}机{colon}", doc.mobile.raw),
        (f"传{'　　' if doc.opts.get('spaced_labels') else ''}真{colon}", doc.fax.raw),
        (f"电子邮箱{colon}", doc.email.raw),
        (f"主办单位邮寄地址{colon}", doc.address),
    ]


def basic_paragraphs(d, doc: Doc, look):
    """No table at all: `label：value` paragraphs, ticks inline or one option per line."""
    o = doc.opts
    for lab, val in _field_lines(doc):
        p = k.para(d, "", look, space_after=0)
        k.set_font(p.add_run(lab), look, bold=o.get("bold_labels", False))
        if val is not None:
            k.set_font(p.add_run(val), look)
            continue
        options, chosen = (MODULES, doc.modules) if "模块" in lab else (AUDIENCES, doc.audiences)
        for i, opt in enumerate(options):
            if o.get("per_line"):
                p = k.para(d, "", look, space_after=0)
                p.paragraph_format.left_indent = Pt(look.body_pt * 2)
            elif i:
                k.set_font(p.add_run("  "), look)
            tick_into(p, opt, opt in chosen, o["ticks"], look)


def basic_onecell(d, doc: Doc, look):
    """One column: label and value written into the same cell."""
    o = doc.opts
    lines = _field_lines(doc)
    t = k.table(d, len(lines), 1, look, [16.0])
    for r, (lab, val) in enumerate(lines):
        cell = t.cell(r, 0)
        if val is not None:
            k.cell_text(cell, lab + val, look)
            continue
        cell.paragraphs[0].text = ""
        p = cell.paragraphs[0]
        k.set_font(p.add_run(lab), look, look.body_pt - 1.5)
        options, chosen = (MODULES, doc.modules) if "模块" in lab else (AUDIENCES, doc.audiences)
        for opt in options:
            k.set_font(p.add_run(" "), look, look.body_pt - 1.5)
            tick_into(p, opt, opt in chosen, o["ticks"], look)
    return t


def basic_nested(d, doc: Doc, look):
    """2 columns, the contact details in a table nested inside the 主办单位联系人 cell; rows reordered, extras."""
    o = doc.opts
    rows = [
        ("主办单位名称", doc.unit_raw),
        ("主题活动名称", _name(doc)),
        ("拟举办时间", doc.planned.raw),
        ("拟举办地点", doc.location),
        ("承办单位名称", doc.organizer),
        ("主题活动模块", None),
        ("面向群体", None),
        ("预计活动规模", doc.scale),
        ("主办单位联系人", "NESTED"),
        ("主办单位邮寄地址", doc.address),
    ]
    if o.get("extra_rows"):
        rows.insert(2, ("活动负责人", o["extra_rows"]))
        rows.append(("备注", "活动如有调整将另行报告。"))
    t = k.table(d, len(rows), 2, look, [3.6, 12.4])
    for r, (lab, val) in enumerate(rows):
        k.cell_text(t.cell(r, 0), lab, look)
        cell = t.cell(r, 1)
        if val == "NESTED":
            inner = [
                (_label("姓名", True), doc.contact),
                ("办公电话", doc.office.raw),
                (_label("手机", True), doc.mobile.raw),
                (_label("传真", True), doc.fax.raw),
                ("电子邮箱", doc.email.raw),
            ]
            sub = cell.add_table(rows=len(inner), cols=2)
            sub.style = "Table Grid"
            sub.autofit = False
            for col, w in zip(sub.columns, (2.4, 9.4), strict=True):
                col.width = k.Cm(w)
                for c in col.cells:
                    c.width = k.Cm(w)
            for i, (a, b) in enumerate(inner):
                k.cell_text(sub.cell(i, 0), a, look)
                k.cell_text(sub.cell(i, 1), b, look)
        elif val is None:
            options, chosen = (MODULES, doc.modules) if "模块" in lab else (AUDIENCES, doc.audiences)
            ticks_cell(cell, options, chosen, o["ticks"], look, o.get("per_line", False))
        else:
            k.cell_text(cell, val, look)
    return t


BASIC = {
    "grid": basic_grid,
    "pairs": basic_pairs,
    "paragraphs": basic_paragraphs,
    "onecell": basic_onecell,
    "nested": basic_nested,
}


def activities(d, doc: Doc, look):
    o = doc.opts
    layout = o.get("activities", "numbered")
    if layout == "numbered":
        number = NUMBERINGS[o.get("numbering", "cn")]
        for i, act in enumerate(doc.activities):
            k.para(d, number(i) + act.title, look, bold=True, space_after=0)
            for text in act.paras:
                k.para(d, text, look, indent=True, space_after=0)
    elif layout == "table":
        for act in doc.activities:
            t = k.table(d, len(act.labels) + 1, 2, look, [3.2, 12.8])
            k.cell_text(t.cell(0, 0), o.get("name_label", "活动名称"), look, bold=True)
            k.cell_text(t.cell(0, 1), act.title, look)
            for r, (lab, val) in enumerate(act.labels, start=1):
                k.cell_text(t.cell(r, 0), lab, look)
                k.cell_text(t.cell(r, 1), val, look)
            k.para(d, "", look, space_after=0)
    else:  # rows of one table
        heads = ["序号", "活动名称"] + [lab for lab, _ in doc.activities[0].labels]
        t = k.table(d, len(doc.activities) + 1, len(heads), look, [1.2, 3.4, 2.6, 2.8, 6.0][: len(heads)])
        for j, h in enumerate(heads):
            k.cell_text(t.cell(0, j), h, look, bold=True, align="center")
        for i, act in enumerate(doc.activities, start=1):
            vals = [str(i), act.title] + [v for _, v in act.labels]
            for j, v in enumerate(vals):
                k.cell_text(t.cell(i, j), v, look)


def write_plan(doc: Doc, path: Path, seal_png: bytes | None) -> None:
    o = doc.opts
    look = k.LOOKS[o.get("look", "word")]
    d = k.new_document(look)
    sub = doc.submitted.raw
    top_lines = o.get("stamp_line", "top") == "top"
    if o.get("attachment_label", True):
        k.para(d, "附件", look, east=look.title_font)
    k.title(d, o.get("title_lines", ["2021年“全国科技工作者日”特色亮点活动筹备方案"]), look, color=o.get("title_color"))
    seal_anchor = None
    if top_lines:
        seal_anchor = k.para(d, "单位盖章：" + (o.get("stamp_text", "")), look, space_after=0)
        k.para(d, "报送时间：" + sub, look, space_after=4)
    k.para(d, "一、基本信息", look, bold=True, east=look.title_font if look.name == "wps" else None)
    BASIC[o.get("basic", "grid")](d, doc, look)
    if o.get("note", True):
        k.para(
            d,
            "注：将根据主办单位联系人和邮寄地址等信息，邮寄优秀组织单位或积极贡献单位牌匾，请务必详实准确。",
            look,
            size=look.body_pt - 2,
        )
    k.para(d, "二、工作方案", look, bold=True, east=look.title_font if look.name == "wps" else None)
    if o.get("hint", False):
        k.para(
            d,
            "（应突出重点，言简意赅，包括但不限于“五大模块”，列出约3项（原则上每个阶段1项）最具特色亮点活动的工作思路、"
            "实施举措，时间、地点、人员、主题、主要安排、预期成效等要素，原则上每项活动500字以内，一项一表，表格可自行复制）",
            look,
            size=look.body_pt - 2,
        )
    if doc.activities:
        activities(d, doc, look)
    if not top_lines:
        k.para(d, "", look)
        if o.get("stamp_line") == "bottom_plain":  # a 落款 without labels: unit name and date
            seal_anchor = k.para(d, doc.unit_raw, look, align="right", space_after=0)
            k.para(d, sub, look, align="right")
        else:
            seal_anchor = k.para(d, "单位盖章：", look, align="right", space_after=0)
            k.para(d, "报送时间：" + sub, look, align="right")
    if seal_png and seal_anchor is not None:
        k.floating_picture(seal_anchor, seal_png, 4.0, o.get("seal_x", 1.2), -1.6)
    k.save(d, path, look)
