"""A run's summary as Prefect artifacts, shown on the flow run's page in the UI (and read back by
`prefect artifact ls` or the client): a table of file counts per form and status, and a markdown note of the
problems by code with a link to report.html.

The counts are of the tables as they stand after the run (every current file, not only those read this time),
like report.html; the problems are counted from the exceptions.csv the run has just written.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from prefect import get_run_logger
from prefect.artifacts import create_markdown_artifact, create_table_artifact

from flows.outcome import FileOutcome
from flows.state.incremental import RunReport
from schemas.form_schema import load_forms

COUNTS_KEY = "intake-counts"  # artifact keys: lower case, digits and dashes (Prefect's rule)
PROBLEMS_KEY = "intake-problems"
UNREADABLE_CODES = {"unreadable_file", "tool_missing", "internal_error"}
STATUS_NAMES = {"clean": "干净", "needs_review": "需人工核对", "unreadable": "无法读取", "unknown": "非本次表格"}


def status_of(outcome: FileOutcome) -> str:
    codes = {f.code for f in outcome.file_findings}
    if codes & UNREADABLE_CODES:
        return "unreadable"
    if "unknown_form" in codes:
        return "unknown"
    return "needs_review" if outcome.needs_review else "clean"


def count_rows(outcomes: list[FileOutcome]) -> list[dict[str, object]]:
    """One row per (form, status) with its number of files, in a stable order."""
    names = {form.form_type: form.name_zh for form in load_forms()}
    counts = Counter((o.form_type or "", status_of(o)) for o in outcomes)
    return [
        {"form": names.get(form, form or "—"), "form_type": form or "—", "status": STATUS_NAMES[status],
         "files": n}
        for (form, status), n in sorted(counts.items())
    ]  # fmt: skip


def problems_markdown(outdir: Path, report: RunReport) -> str:
    """The problems of the tables by code (from exceptions.csv), with a link to report.html."""
    with open(outdir / "exceptions.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    by_code = Counter((row["code"], row["severity"]) for row in rows)
    files = Counter(row["code"] for row in {(r["code"], r["source_file"]): r for r in rows}.values())
    report_uri = (outdir / "report.html").absolute().as_uri()
    lines = [
        "# 本次处理的问题清单",
        "",
        report.one_line(),
        "",
        f"完整报告：[report.html]({report_uri})；问题明细见 `{(outdir / 'exceptions.csv').absolute()}`。",
        "",
    ]
    if not by_code:
        return "\n".join([*lines, "没有任何问题。"])
    lines += ["| 问题代码 | 级别 | 条数 | 涉及文件 |", "|---|---|---:|---:|"]
    for (code, severity), n in sorted(by_code.items(), key=lambda item: (-item[1], item[0])):
        lines.append(f"| {code} | {'错误' if severity == 'error' else '提醒'} | {n} | {files[code]} |")
    return "\n".join(lines)


def publish_summary(outdir: Path, outcomes: list[FileOutcome], report: RunReport) -> None:
    """Both artifacts, on the current flow run. They are a view of outputs already written: failing to create
    them is logged, and does not fail a run whose tables and ledger are done."""
    try:
        _publish(outdir, outcomes, report)
    except Exception as exc:  # noqa: BLE001
        get_run_logger().warning("运行摘要未能写入 Prefect（%s: %s）；结果文件不受影响", type(exc).__name__, exc)


def _publish(outdir: Path, outcomes: list[FileOutcome], report: RunReport) -> None:
    create_table_artifact(
        key=COUNTS_KEY, table=count_rows(outcomes), description="各类表格按状态的文件数（本次处理后的全部结果）"
    )
    create_markdown_artifact(
        key=PROBLEMS_KEY, markdown=problems_markdown(outdir, report), description="问题按代码汇总，附 report.html 链接"
    )
