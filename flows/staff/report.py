"""report.html: one static page about the run, for opening from the shared drive.

Counts by form, status and unit; exceptions by code; activities by stage and module; the tracker's gaps. This
module computes them; the page itself is the Jinja2 template flows/staff/templates/report.html (autoescaped):
tables plus bar charts drawn with inline CSS, no script, no web font, no network, so it opens the same on an
offline office PC as in a headless browser.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from flows.staff.tracker import STATUS_ZH, load_requirements, status_counts
from schemas.campaign import load_campaign
from schemas.form_schema import form_tables, load_forms

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
    "tool_missing": "本机缺少程序",
    "internal_error": "程序内部错误",
}
NO_STAGE = "未注明时间"
NO_UNIT = "（未读出单位的文件）"  # unreadable or unknown files: their problems are counted on this row
STATUS_BAR = {"received": "ok", "late": "warn", "missing": "warn", "overdue": "err", "extra": "grey",
              "unidentified": "err"}  # fmt: skip

PAGES = Environment(
    loader=PackageLoader("flows.staff"),
    autoescape=True,
    undefined=StrictUndefined,
    finalize=lambda value: "" if value is None else value,
)


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    kind: str  # the bar's colour (CSS class): ok, warn, err, grey, or "" for blue
    width: str  # percent of the chart's longest bar


@dataclass(frozen=True)
class Chart:
    title: str
    bars: list[Bar]


@dataclass(frozen=True)
class Grid:
    headers: list[str]
    rows: list[list[object]]


@dataclass(frozen=True)
class Status:
    status: str  # tracker status (the cell's colour)
    text: str


@dataclass(frozen=True)
class ChaseRow:
    unit: str
    cells: list[Status | None]  # one per form; None: nothing owed or sent
    contact: str


@dataclass(frozen=True)
class Chase:
    headers: list[str]
    rows: list[ChaseRow]


def _chart(title: str, items: list[tuple[str, int, str]]) -> Chart:
    """A bar chart from (label, count, colour); bars are scaled to the longest."""
    top = max((count for _, count, _ in items), default=0) or 1
    return Chart(title, [Bar(label, count, kind, f"{100 * count / top:.1f}") for label, count, kind in items])


def _crosstab(
    index: pd.Series, by: pd.Series, rows: list[str] | None = None, columns: list[str] | None = None
) -> pd.DataFrame:
    """How often each (index, by) pair occurs; ROWS and COLUMNS fix the order and add the ones with none."""
    counts = pd.crosstab(index, by)
    return counts.reindex(index=rows if rows is not None else counts.index, columns=columns, fill_value=0)


def _form_tables() -> dict[str, str]:
    """form_type -> output table, in the order staff see the forms (schemas/requirements.yaml `forms`); a form
    that is not listed there comes after these."""
    rank = {form_type: i for i, form_type in enumerate(load_requirements().forms)}
    return dict(sorted(form_tables().items(), key=lambda item: rank.get(item[0], len(rank))))


def _chase(rows: list[dict[str, str]], forms: dict[str, str]) -> Chase:
    """Units down, forms across, each cell the status; the contact to call at the end of the row."""
    form_types = list(dict.fromkeys(r["form_type"] for r in rows)) or list(_form_tables())
    units: dict[str, dict[str, dict[str, str]]] = {}
    for r in rows:
        units.setdefault(r["unit_name"], {})[r["form_type"]] = r
    body = []
    for unit, by_form in units.items():
        cells: list[Status | None] = []
        for form_type in form_types:
            r = by_form.get(form_type)
            if r is None:
                cells.append(None)
                continue
            late = f"（{r['days_late']}天）" if r["days_late"] and r["status"] == "late" else ""
            star = "＊" if r.get("arrived_basis") == "file_time" else ""
            cells.append(Status(r["status"], r["status_zh"] + late + star))
        contact = next((r["contact"] for r in by_form.values() if r["contact"]), "")
        body.append(ChaseRow(unit, cells, contact))
    return Chase(["单位", *(forms.get(f, f) for f in form_types), "联系人"], body)


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


def _unit_of_files(tables: dict[str, list[dict[str, str]]], subs: pd.DataFrame) -> dict[str, str]:
    """submission_id -> its unit, for every counted submission and the stamped copy paired with it."""
    unit_of = dict(zip(subs.submission_id, subs.unit, strict=True))
    for name in _form_tables().values():
        for row in tables.get(name, []):
            if row.get("paired_with") in unit_of and not row.get("superseded_by"):
                unit_of.setdefault(row["submission_id"], unit_of[row["paired_with"]])
    return unit_of


def render_report(
    tables: dict[str, list[dict[str, str]]],
    summary: object,
    tracker_rows: list[dict[str, str]],
    generated_at: datetime | None = None,
) -> str:
    forms = {f.form_type: f.name_zh for f in load_forms()}
    form_types = list(_form_tables())
    subs = pd.DataFrame(
        [(sid, *status) for sid, status in _submission_status(tables).items()],
        columns=["submission_id", "form_type", "unit", "state"],
    )
    exceptions = [r for r in tables.get("exceptions.csv", []) if not r.get("superseded_by")]  # to act on

    def n(attr: str) -> int:
        return int(getattr(summary, attr, 0) or 0)

    # Each card says what it counts: files as received, submissions (a Word file and its stamped copy are one,
    # a replaced version none: the tables below count these) or problems (rows of exceptions.csv to act on).
    by_state = subs.state.value_counts()
    by_severity = Counter(r["severity"] for r in exceptions)
    cards = [
        {"label": label, "count": count, "kind": kind}
        for label, count, kind in [
            ("收到文件（个）", n("files"), ""), ("报送材料（份）", len(subs), ""),
            ("无需处理（份）", by_state.get("clean", 0), "ok"),
            ("需人工核对（份）", by_state.get("needs_review", 0), "bad"),
            ("无法读取（个文件）", n("unreadable"), "bad"), ("非本次表格（个文件）", n("unknown"), "warn"),
            ("重复文件（个）", n("duplicates"), "warn"), ("被新版取代（个文件）", n("superseded"), ""),
            ("错误（条）", by_severity["error"], "bad"), ("提醒（条）", by_severity["warning"], "warn"),
        ]
    ]  # fmt: skip

    # by form and status
    by_form = _crosstab(subs.form_type, subs.state, form_types, ["clean", "needs_review"])
    form_rows = [[forms.get(ft, ft), clean, review, clean + review] for ft, (clean, review) in by_form.iterrows()]

    # exceptions by code
    by_code = Counter((r["code"], r["severity"]) for r in exceptions)
    code_items = sorted(by_code.items(), key=lambda kv: (kv[0][1] != "error", -kv[1], kv[0][0]))
    code_bars = [
        (f"{CODE_ZH.get(code, code)}（{code}）", count, "err" if sev == "error" else "warn")
        for (code, sev), count in code_items
    ]

    # by unit: its submissions per form, how many need review, and its submissions' open problems (a stamped
    # copy's own problems are its submission's; a file read as no form, unreadable or unknown, has a row of its own)
    problems = pd.DataFrame(exceptions, columns=["submission_id", "severity"])
    unit_of = _unit_of_files(tables, subs)
    problems["unit"] = [unit_of.get(sid, NO_UNIT) for sid in problems.submission_id]
    per_unit = pd.concat(
        [_crosstab(subs.unit, subs.form_type, columns=form_types),
         _crosstab(subs.unit, subs.state, columns=["needs_review"]),
         _crosstab(problems.unit, problems.severity, columns=["error", "warning"])],
        axis=1,
    ).fillna(0).astype(int)  # fmt: skip
    rank = {name: i for i, name in enumerate(dict.fromkeys(r["unit_name"] for r in tracker_rows))}
    units = sorted(per_unit.index, key=lambda unit: (rank.get(unit, len(rank)), unit))
    unit_rows = [[unit, *per_unit.loc[unit]] for unit in units]

    # activities by stage and module (a plan's modules count for each of its activities)
    stages = {str(s.stage): s.label_zh() for s in load_campaign().stages}  # 第一阶段（5月10日—25日）…
    stage_labels = [*stages.values(), NO_STAGE]
    acts = pd.DataFrame(tables.get("activities.csv", []), columns=["submission_id", "stage"])
    acts["stage"] = acts.stage.map(stages).fillna(NO_STAGE)
    plans = pd.DataFrame(tables.get("plans.csv", []), columns=["submission_id", "modules"])
    plan_modules = plans.assign(modules=plans.modules.str.split(";")).explode("modules")
    plan_modules = plan_modules[plan_modules.modules.fillna("") != ""]
    by_stage, by_module = acts.stage.value_counts(), plan_modules.modules.value_counts()
    module_names = next((s.choices for f in load_forms() for s in f.fields if s.column == "modules"), [])
    acts_modules = acts.merge(plan_modules, on="submission_id")
    stage_module = _crosstab(acts_modules.stage, acts_modules.modules, stage_labels, module_names)

    counts = status_counts(tracker_rows)
    return PAGES.get_template("report.html").render(
        campaign_title=load_campaign().title,
        generated_at=(generated_at or datetime.now()).strftime("%Y-%m-%d %H:%M"),
        cards=cards,
        by_form=form_rows,
        form_counts=_chart("各表格份数", [(r[0], r[3], "") for r in form_rows]),
        by_code=_chart("问题数（红：错误，橙：提醒）", code_bars),
        by_status=_chart(
            "应交材料按状态（每个单位每种材料算一项）",
            [(STATUS_ZH[s], c, STATUS_BAR[s]) for s, c in counts.items() if c],
        ),
        chase=_chase(tracker_rows, forms),
        by_unit=Grid(
            ["单位", *(f"{forms.get(ft, ft)}（份）" for ft in form_types), "需核对（份）", "错误（条）", "提醒（条）"],
            unit_rows,
        ),
        by_stage=_chart("活动按阶段", [(s, by_stage.get(s, 0), "") for s in stage_labels]),
        by_module=_chart("筹备方案按模块（一份可选多个模块）", [(m, by_module.get(m, 0), "ok") for m in module_names]),
        stage_module=Grid(["阶段", *module_names], [[stage, *row] for stage, row in stage_module.iterrows()]),
    )
