"""The three forms as HTML, in a given hand. Invisible anchors (white 1 px text) mark where seals and pen ticks go."""

from __future__ import annotations

from html import escape

from .content import AUDIENCES, MODULES, Activity, LiaisonContent, PlanContent, ReportContent, cn_number
from .hands import Hand, option

PROVINCE_FOOTER = (
    "请各市州科协、高校科协、企业科协5月10日前上报活动联络员回执表和简要活动方案。",
    "省科协联系方式：",
    "地\u3000\u3000址：海湖新区文景街32号国投广场7楼757室",
    "联 系 人：李想 6335628 15897098299",
    "传\u3000\u3000真：6302839",
    "电子邮箱：qhskxbgs@163.com",
)
NOTE = "注：将根据主办单位联系人和邮寄地址等信息，邮寄优秀组织单位或积极贡献单位牌匾，请务必详实准确。"
INSTRUCTIONS = (
    "（应突出重点，言简意赅，包括但不限于“五大模块”，列出约3项（原则上每个阶段1项）最具特色亮点活动的工作思路、"
    "实施举措，时间、地点、人员、主题、主要安排、预期成效等要素，原则上每项活动500字以内，一项一表，表格可自行复制）"
)


def anchor(name: str) -> str:
    return f'<span class="mkw"><span class="mk">@@{name}@@</span></span>'


def page(hand: Hand, body: str, extra_css: str = "") -> str:
    top, right, bottom, left = hand.margins_mm
    css = f"""
@page {{ size: A4; margin: {top}mm {right}mm {bottom}mm {left}mm; }}
body {{ font-family: "{hand.font}"; font-size: {hand.size_pt}pt; line-height: {hand.line_height}; color: #111; }}
h1 {{ font-family: "{hand.title_font}"; font-size: {hand.size_pt + 5}pt; text-align: center; font-weight: bold;
     margin: 4pt 0 12pt; line-height: 1.4; }}
h2 {{ font-family: "{hand.title_font}"; font-size: {hand.size_pt + 1}pt; margin: 10pt 0 6pt; }}
p {{ margin: 0 0 2pt; }}
p.d {{ text-indent: 2em; }}
p.ah {{ font-weight: bold; margin-top: 6pt; }}
p.att {{ font-family: "{hand.title_font}"; }}
table.form {{ border-collapse: collapse; width: 100%; }}
table.form td {{ border: 0.8pt solid #000; padding: 3pt 4pt; vertical-align: middle; }}
td.lab {{ text-align: center; }}
table.act {{ border-collapse: collapse; width: 100%; margin: 8pt 0 10pt; }}
table.act td {{ border: 0.8pt solid #000; padding: 3pt 5pt; vertical-align: top; }}
.mkw {{ position: relative; display: inline-block; width: 0; height: 0; }}
.mk {{ position: absolute; left: 0; top: 0; font-size: 1px; color: #fff; white-space: nowrap; }}
.endsign {{ margin: 24pt 0 0 52%; }}
{extra_css}
"""
    return f'<!DOCTYPE html><html><head><meta charset="utf-8"><style>{css}</style></head><body>{body}</body></html>'


def label(hand: Hand, text: str) -> str:
    if hand.label_spaced and len(text) == 2:
        return f"{text[0]}\u3000{text[1]}"
    return text


def title(hand: Hand, first: str, second: str) -> str:
    return f"<h1>{escape(first)}{'<br>' if hand.title_two_lines else ''}{escape(second)}</h1>"


class Ticks:
    """Hands out anchor names for pen ticks, in document order."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def next(self) -> str:
        self.names.append(f"t{len(self.names)}")
        return anchor(self.names[-1])


def options_cells(hand: Hand, labels: tuple[str, ...], chosen: list[str], layout: str, ticks: Ticks) -> str:
    """The option cells of one row (5 columns follow the label column)."""
    wrap = layout == "wrap"
    parts = [
        option(hand, escape(x), x in chosen, ticks.next() if hand.pen and x in chosen else "", wrap=wrap)
        for x in labels
    ]
    if layout in ("cells", "wrap"):
        spans = [1] * len(labels) if len(labels) == 5 else [2, 2, 1]
        return "".join(f'<td colspan="{span}" class="lab">{x}</td>' for x, span in zip(parts, spans, strict=True))
    joiner = "<br>" if layout == "lines" else "\u3000"
    return f'<td colspan="5">{joiner.join(parts)}</td>'


def plan_html(plan: PlanContent, hand: Hand) -> tuple[str, list[str]]:
    """HTML of the plan and the anchor names of its pen ticks (document order)."""
    ticks = Ticks()
    rows = []

    def row(lab: str, value: str) -> None:
        rows.append(f'<tr><td class="lab" style="width:22%">{lab}</td><td colspan="5">{escape(value)}</td></tr>')

    row("主办单位名称", plan.unit_written)
    row("主题活动名称", plan.activity_name)
    module_label = "主题活动模块<br>（请在相应模块划√，可多选）"
    cells = options_cells(hand, MODULES, plan.modules, hand.module_layout, ticks)
    rows.append(f'<tr><td class="lab">{module_label}</td>{cells}</tr>')
    row("承办单位名称", plan.organizer)
    row("拟举办时间", plan.time_written)
    row("拟举办地点", plan.location)
    audience_cells = options_cells(hand, AUDIENCES, plan.audiences, hand.audience_layout, ticks)
    rows.append(f'<tr><td class="lab">面向群体</td>{audience_cells}</tr>')
    row("预计活动规模", plan.scale_written)
    office = plan.office.written if plan.office else ""
    mobile = plan.mobile.written if plan.mobile else ""
    fax = plan.fax.written if plan.fax else ""
    rows.append(
        f'<tr><td class="lab" rowspan="3">主办单位<br>联系人</td><td class="lab">{label(hand, "姓名")}</td>'
        f'<td>{escape(plan.contact_written)}</td><td class="lab">办公电话</td>'
        f'<td colspan="2">{escape(office)}</td></tr>'
    )
    rows.append(
        f'<tr><td class="lab">{label(hand, "手机")}</td><td>{escape(mobile)}</td>'
        f'<td class="lab">{label(hand, "传真")}</td><td colspan="2">{escape(fax)}</td></tr>'
    )
    rows.append(f'<tr><td class="lab">电子邮箱</td><td colspan="4">{escape(plan.email_written)}</td></tr>')
    row("主办单位<br>邮寄地址", plan.address)
    sign = f"<p>单位盖章：{anchor('seal')}</p><p>报送时间：{escape(plan.submitted_written)}</p>"
    body = ['<p class="att">附件</p>', title(hand, "2021年“全国科技工作者日”", "特色亮点活动筹备方案")]
    if not hand.sign_at_end:
        body.append(sign)
    body += [
        "<h2>一、基本信息</h2>",
        f'<table border="1" cellspacing="0" cellpadding="4" width="100%" class="form">{"".join(rows)}</table>',
    ]
    body.append(f'<p style="font-size:90%">{NOTE}</p>')
    body.append("<h2>二、工作方案</h2>")
    if hand.instructions:
        body.append(f'<p style="font-size:90%">{escape(INSTRUCTIONS)}</p>')
    for i, activity in enumerate(plan.activities):
        body.append(activity_html(hand, i, activity))
    if hand.sign_at_end:
        body.append(f'<div class="endsign">{sign}</div>')
    return page(hand, "".join(body)), ticks.names


def numbering(style: str, i: int) -> str:
    cn = cn_number(i + 1)
    return {
        "（一）": f"（{cn}）",
        "一、": f"{cn}、",
        "1.": f"{i + 1}.",
        "1、": f"{i + 1}、",
        "活动一：": f"活动{cn}：",
        "活动1：": f"活动{i + 1}：",
    }[style]


def activity_html(hand: Hand, i: int, activity: Activity) -> str:
    if hand.activity_layout == "table":
        rows = [f'<tr><td style="width:18%" class="lab">活动名称</td><td>{escape(activity.title)}</td></tr>']
        rows += [f'<tr><td class="lab">{escape(k)}</td><td>{escape(v)}</td></tr>' for k, v in activity.items]
        return f'<table border="1" cellspacing="0" cellpadding="4" width="100%" class="act">{"".join(rows)}</table>'
    head = f'<p class="ah">{escape(numbering(hand.activity_layout, i))}{escape(activity.title)}</p>'
    paras = [f'<p class="d">{escape(f"{k}：{v}" if k else v)}</p>' for k, v in activity.items]
    return head + "".join(paras)


def liaison_html(liaison: LiaisonContent, hand: Hand, blank_rows: int = 1) -> str:
    numbered = hand.liaison_layout == "numbered"
    widths = {"narrow": ("11%", "19%", "26%"), "plain": ("20%", "45%", "35%"), "numbered": ("18%", "42%", "30%")}
    w_name, w_org, w_phone = widths[hand.liaison_layout]
    table_width = "62%" if hand.liaison_layout == "narrow" else "100%"
    head = ('<td class="lab" style="width:10%">序号</td>' if numbered else "") + (
        f'<td class="lab" style="width:{w_name}">{label(hand, "姓名")}</td>'
        f'<td class="lab" style="width:{w_org}">工作单位及职务</td>'
        f'<td class="lab" style="width:{w_phone}">联系电话</td>'
    )
    rows = [f"<tr>{head}</tr>"]
    for i, person in enumerate(liaison.persons):
        phone = person.phone.written if person.phone else ""
        cells = f'<td class="lab">{i + 1}</td>' if numbered else ""
        cells += f'<td class="lab">{escape(person.name_written)}</td><td>{escape(person.org_title)}</td>'
        rows.append(f"<tr>{cells}<td>{escape(phone)}</td></tr>")
    for _ in range(blank_rows):
        rows.append("<tr>" + "<td>&nbsp;</td>" * (4 if numbered else 3) + "</tr>")
    body = [
        '<p class="att">附件2</p>',
        title(hand, "2021年“全国科技工作者日”活动", "联络员回执表"),
        f'<p style="margin:10pt 0 8pt">填报单位：{anchor("seal")}{escape(liaison.unit_written)}</p>',
        f'<table border="1" cellspacing="0" cellpadding="4" width="{table_width}" class="form" '
        f'style="width:{table_width}">{"".join(rows)}</table>',
    ]
    if hand.keep_footer:
        body.append(
            '<div style="margin-top:18pt">' + "".join(f"<p>{escape(x)}</p>" for x in PROVINCE_FOOTER) + "</div>"
        )
    return page(hand, "".join(body), "table.form td { padding: 7pt 5pt; }")


def report_html(report: ReportContent, hand: Hand) -> str:
    first, second = report.title[: report.title_break], report.title[report.title_break :]
    body = [f"<h1>{escape(first)}<br>{escape(second)}</h1>"]
    if report.under_title:
        body.append(f'<p style="text-align:center;margin-bottom:10pt">{escape(report.under_title)}</p>')
    for kind, text in report.paragraphs:
        if kind == "heading":
            body.append(f"<p style=\"font-family:'{hand.title_font}';text-indent:2em\">{escape(text)}</p>")
        else:
            body.append(f'<p class="d">{escape(text)}</p>')
    body.append(
        f'<div class="endsign" style="text-align:center"><p>{anchor("seal")}{escape(report.signature)}</p>'
        f"<p>{escape(report.date_written)}</p></div>"
    )
    return page(hand, "".join(body))
