"""report.html: one static page about the run, for opening from the shared drive.

Counts by form, status and unit; exceptions by code; activities by stage and module; the tracker's gaps.
Tables plus bar charts drawn with inline CSS: no script, no web font, no network, so it opens the same
on an offline office PC as in a headless browser.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from html import escape

from flows.staff.tracker import STATUS_ZH, status_counts
from schemas.form_schema import form_tables, load_forms

# Forms in the order the notice lists them (回执表 first); a form added in schemas/forms/ comes after these.
DISPLAY_ORDER = ("liaison_reply", "activity_plan", "summary_report")
CODE_ZH = {
    "unreadable_file": "文件无法读取",
    "unknown_form": "非本次表格",
    "missing_field": "必填项未填",
    "invalid_phone": "电话格式错误",
    "invalid_mobile": "手机号错误",
    "invalid_email": "邮箱格式错误",
    "invalid_date": "日期无法识别",
    "unit_unmatched": "单位不在名录",
    "unit_ambiguous": "单位无法确定",
    "no_module_selected": "未选活动模块",
    "no_audience_selected": "未选面向群体",
    "date_out_of_window": "时间超出活动期",
    "too_long": "字数超限",
    "missing_stamp": "缺少公章",
    "low_confidence": "识别把握不大",
    "duplicate_submission": "重复报送",
    "late_submission": "逾期报送",
}
STAGES = {"1": "第一阶段（5月10日—25日）", "2": "第二阶段（5月26日—6月5日）", "3": "第三阶段（6月6日—30日）"}
NO_STAGE = "未注明时间"

CSS = """
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC","WenQuanYi Zen Hei",sans-serif;
  margin:24px auto;max-width:1180px;color:#222;background:#fff;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-left:5px solid #1f4e78;padding-left:8px}
.meta{color:#666;margin-bottom:16px}
.cards{display:flex;flex-wrap:wrap;gap:10px}
.card{border:1px solid #d0d7de;border-radius:6px;padding:10px 12px;flex:1 1 0;min-width:90px}
.card b{display:block;font-size:24px}.card.bad b{color:#c00000}.card.warn b{color:#9c5700}.card.ok b{color:#2e7d32}
.grid{display:grid;grid-template-columns:1fr 1fr;gap:24px}
table{border-collapse:collapse;width:100%;margin:4px 0}
th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#1f4e78;color:#fff;font-weight:600}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#f6f8fa}
.bar{height:14px;background:#4472c4;border-radius:2px;min-width:1px}
.bar.err{background:#c00000}.bar.warn{background:#ed7d31}.bar.ok{background:#70ad47}.bar.grey{background:#a5a5a5}
td.chart{width:45%}
.none{color:#666;font-style:italic}
.matrix td{white-space:nowrap}
td.st-overdue,td.st-unidentified{background:#ffc7ce!important}td.st-missing,td.st-late{background:#ffeb9c!important}
td.st-received{background:#c6efce!important}td.st-extra{background:#eeeeee!important}td.st-none{color:#aaa}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value))


def _bars(title: str, items: Iterable[tuple[str, int, str]], note: str = "") -> str:
    """A table whose last column is a bar: (label, count, bar class)."""
    items = list(items)
    if not items:
        return f"<h3>{_e(title)}</h3><p class='none'>无</p>"
    top = max((count for _, count, _ in items), default=0) or 1
    rows = "".join(
        f"<tr><td>{_e(label)}</td><td class='n'>{count}</td>"
        f"<td class='chart'><div class='bar {kind}' style='width:{100 * count / top:.1f}%'></div></td></tr>"
        for label, count, kind in items
    )
    caption = f"<p class='meta'>{_e(note)}</p>" if note else ""
    return f"<h3>{_e(title)}</h3>{caption}<table><tr><th>项目</th><th>数量</th><th>图示</th></tr>{rows}</table>"


def _table(headers: list[str], rows: Iterable[list[object]], numeric_from: int = 1) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join(
        "<tr>"
        + "".join(f"<td{' class=n' if i >= numeric_from else ''}>{_e(v)}</td>" for i, v in enumerate(r))
        + "</tr>"
        for r in rows
    )
    return f"<table><tr>{head}</tr>{body or '<tr><td colspan=99 class=none>无</td></tr>'}</table>"


def _form_tables() -> dict[str, str]:
    """form_type -> output table, in DISPLAY_ORDER."""
    rank = {form_type: i for i, form_type in enumerate(DISPLAY_ORDER)}
    return dict(sorted(form_tables().items(), key=lambda item: rank.get(item[0], len(rank))))


def _tracker_matrix(rows: list[dict[str, str]], forms: dict[str, str]) -> str:
    """Units down, forms across, each cell the status; the contact to call at the end of the row."""
    form_types = list(dict.fromkeys(r["form_type"] for r in rows)) or list(_form_tables())
    units: dict[str, dict[str, dict[str, str]]] = {}
    for r in rows:
        units.setdefault(r["unit_name"], {})[r["form_type"]] = r
    head = "".join(f"<th>{_e(h)}</th>" for h in ["单位", *(forms.get(f, f) for f in form_types), "联系人"])
    body = []
    for unit, by_form in units.items():
        cells = []
        for form_type in form_types:
            r = by_form.get(form_type)
            if r is None:
                cells.append("<td class='st-none'>—</td>")
                continue
            late = f"（{r['days_late']}天）" if r["days_late"] and r["status"] == "late" else ""
            star = "＊" if r.get("arrived_basis") == "file_time" else ""
            cells.append(f"<td class='st-{r['status']}'>{_e(r['status_zh'] + late + star)}</td>")
        contact = next((r["contact"] for r in by_form.values() if r["contact"]), "")
        body.append(f"<tr><td>{_e(unit)}</td>{''.join(cells)}<td>{_e(contact)}</td></tr>")
    note = "<p class='meta'>＊表上没有报送时间，按文件放入收件箱的时间计算。</p>"
    return f"<table class='matrix'><tr>{head}</tr>{''.join(body)}</table>{note}"


def _submission_status(tables: dict[str, list[dict[str, str]]]) -> dict[str, tuple[str, str, str]]:
    """submission_id -> (form_type, unit, clean|needs_review), one per submission."""
    errors = {r["submission_id"] for r in tables.get("exceptions.csv", []) if r.get("severity") == "error"}
    for name in _form_tables().values():  # a stamped copy's errors are its Word original's to review too
        for row in tables.get(name, []):
            if row["submission_id"] in errors and row.get("paired_with") and not row.get("superseded_by"):
                errors.add(row["paired_with"])
    out: dict[str, tuple[str, str, str]] = {}
    for form_type, name in _form_tables().items():
        for row in tables.get(name, []):
            if row.get("counted") == "false":  # a stamped copy or an older version: counted with its original
                continue
            unit = row.get("unit_name") or (
                f"{row['unit_raw']}（名录中未找到）" if row.get("unit_raw") else "（未识别）"
            )
            state = "needs_review" if row["submission_id"] in errors else "clean"
            out.setdefault(row["submission_id"], (form_type, unit, state))
    return out


def render_report(
    tables: dict[str, list[dict[str, str]]],
    summary: object,
    tracker_rows: list[dict[str, str]],
    generated_at: datetime | None = None,
) -> str:
    forms = {f.form_type: f.name_zh for f in load_forms()}
    form_types = list(_form_tables())
    subs = _submission_status(tables)
    exceptions = [r for r in tables.get("exceptions.csv", []) if not r.get("superseded_by")]  # to act on
    when = (generated_at or datetime.now()).strftime("%Y-%m-%d %H:%M")

    def n(attr: str) -> int:
        return int(getattr(summary, attr, 0) or 0)

    cards = [
        ("收到文件", n("files"), ""),
        ("无需处理", n("clean"), "ok"),
        ("需人工核对", n("needs_review"), "bad"),
        ("无法读取", n("unreadable"), "bad"),
        ("非本次表格", n("unknown"), "warn"),
        ("重复文件", n("duplicates"), "warn"),
        ("被新版取代", n("superseded"), ""),
        ("错误", n("errors"), "bad"),
        ("提醒", n("warnings"), "warn"),
    ]
    parts = [
        "<!DOCTYPE html><html lang='zh-CN'><head><meta charset='utf-8'>",
        "<title>报送材料处理报告</title>",
        f"<style>{CSS}</style></head><body>",
        "<h1>2021年“全国科技工作者日”报送材料处理报告</h1>",
        f"<div class='meta'>生成时间：{_e(when)}　问题明细见 exceptions.xlsx（问题清单、报送情况）</div>",
        "<div class='cards'>"
        + "".join(f"<div class='card {k}'><b>{v}</b>{_e(label)}</div>" for label, v, k in cards)
        + "</div>",
    ]

    # by form and status
    by_form = Counter((ft, st) for ft, _, st in subs.values())
    form_rows = [
        [forms.get(ft, ft), by_form[(ft, "clean")], by_form[(ft, "needs_review")],
         by_form[(ft, "clean")] + by_form[(ft, "needs_review")]]
        for ft in form_types
    ]  # fmt: skip
    parts += ["<h2>按表格和状态（Word版与盖章版算一份，被新版本取代的不计）</h2><div class='grid'><div>",
              _table(["表格", "无需处理", "需核对", "合计"], form_rows), "</div><div>",
              _bars("各表格份数", [(r[0], r[3], "") for r in form_rows]), "</div></div>"]  # fmt: skip

    # exceptions by code
    by_code = Counter((r["code"], r["severity"]) for r in exceptions)
    code_items = sorted(by_code.items(), key=lambda kv: (kv[0][1] != "error", -kv[1], kv[0][0]))
    parts += [
        "<h2>问题按类型</h2>",
        _bars(
            "问题数（红：错误，橙：提醒）",
            [
                (f"{CODE_ZH.get(code, code)}（{code}）", count, "err" if sev == "error" else "warn")
                for (code, sev), count in code_items
            ],
        ),
    ]

    # tracker: a status bar chart, then one row per unit owing (or sending) something, one column per form
    counts = status_counts(tracker_rows)
    kinds = {"received": "ok", "late": "warn", "missing": "warn", "overdue": "err", "extra": "grey",
             "unidentified": "err"}  # fmt: skip
    parts += [
        "<h2>报送情况</h2>",
        _bars(
            "应交材料按状态（每个单位每种材料算一项）", [(STATUS_ZH[s], c, kinds[s]) for s, c in counts.items() if c]
        ),
        "<h3>各单位报送情况（红：逾期未交，黄：未交或逾期提交，绿：已交）</h3>",
        _tracker_matrix(tracker_rows, forms),
    ]

    # by unit
    per_unit: dict[str, Counter] = {}
    for form_type, unit, state in subs.values():
        per_unit.setdefault(unit, Counter())[form_type] += 1
        per_unit[unit][state] += 1
    rank = {name: i for i, name in enumerate(dict.fromkeys(r["unit_name"] for r in tracker_rows))}
    unit_errors = Counter()
    sub_unit = {sid: unit for sid, (_, unit, _) in subs.items()}
    for r in exceptions:
        if r["submission_id"] in sub_unit:
            unit_errors[(sub_unit[r["submission_id"]], r["severity"])] += 1
    parts += [
        "<h2>按单位</h2>",
        _table(
            ["单位", *(forms.get(ft, ft) for ft in form_types), "需核对份数", "错误", "提醒"],
            [
                [unit, *(c[ft] for ft in form_types), c["needs_review"], unit_errors[(unit, "error")],
                 unit_errors[(unit, "warning")]]
                for unit, c in sorted(per_unit.items(), key=lambda kv: (rank.get(kv[0], len(rank)), kv[0]))
            ],
        ),
    ]  # fmt: skip

    # activities by stage and module
    plans = tables.get("plans.csv", [])
    modules_of = {p["submission_id"]: [m for m in p.get("modules", "").split(";") if m] for p in plans}
    acts = tables.get("activities.csv", [])
    by_stage = Counter(STAGES.get(a.get("stage", ""), NO_STAGE) for a in acts)
    module_names = next((s.choices for f in load_forms() for s in f.fields if s.column == "modules"), [])
    by_module = Counter(m for ms in modules_of.values() for m in ms)
    matrix = [
        [stage, *(sum(1 for a in acts if STAGES.get(a.get("stage", ""), NO_STAGE) == stage
                      and m in modules_of.get(a["submission_id"], [])) for m in module_names)]
        for stage in [*STAGES.values(), NO_STAGE]
    ]  # fmt: skip
    parts += [
        "<h2>活动按阶段和模块</h2><div class='grid'><div>",
        _bars("活动按阶段", [(s, by_stage[s], "") for s in [*STAGES.values(), NO_STAGE]]),
        "</div><div>",
        _bars("筹备方案按模块（一份可选多个模块）", [(m, by_module[m], "ok") for m in module_names]),
        "</div></div><h3>活动数：阶段 × 所属方案的模块</h3>",
        _table(["阶段", *module_names], matrix),
        "</body></html>",
    ]
    return "\n".join(parts)
