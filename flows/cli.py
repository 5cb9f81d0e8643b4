"""`intake` command line: run the batch over an inbox folder and write the contract's outputs."""

from __future__ import annotations

import contextlib
import io
import sys
import time
from enum import IntEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from flows.quiet import quiet_prefect, reattach


class ExitCode(IntEnum):
    ALL_CLEAN = 0  # every file read, no error-severity exception
    NEEDS_REVIEW = 3  # finished; some submissions need review (see exceptions.csv)
    COULD_NOT_RUN = 2  # bad arguments, unreadable inbox, unwritable output folder, schema error


app = typer.Typer(add_completion=False, help="青海省科协 submission intake: forms in, cleaned tables out.")
console = Console(stderr=False)


@app.callback()
def _group() -> None:
    """Subcommands: run (more to come: serve, watch)."""


DEFAULT_INBOX = Path("samples/inbox")
DEFAULT_OUT = Path("outputs")


def _check_paths(inbox: Path, out: Path) -> None:
    if not inbox.is_dir():
        console.print(f"[red]收件箱文件夹不存在：{inbox}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        console.print(f"[red]输出文件夹无法写入：{out}（{exc.strerror}）[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc


def _print_summary(summary, seconds: float, out: Path) -> None:
    table = Table(title="本次处理结果", show_header=True)
    table.add_column("项目")
    table.add_column("数量", justify="right")
    names = {"activity_plan": "活动筹备方案", "liaison_reply": "联络员回执表", "summary_report": "活动总结报告"}
    table.add_row("收到文件", str(summary.files))
    for form, count in sorted(summary.by_form.items()):
        table.add_row(f"  {names.get(form, form)}", str(count))
    table.add_row("无需处理（干净）", str(summary.clean))
    table.add_row("需人工核对", str(summary.needs_review))
    table.add_row("无法读取", str(summary.unreadable))
    table.add_row("非本次表格", str(summary.unknown))
    table.add_row("重复文件", str(summary.duplicates))
    table.add_row("问题（错误/提醒）", f"{summary.errors}/{summary.warnings}")
    console.print(table)
    console.print(f"用时 {seconds:.1f} 秒。结果在 {out}/，问题清单见 {out}/exceptions.csv")


@app.command()
def run(
    inbox: Path = typer.Option(DEFAULT_INBOX, help="Folder of submissions (read only)."),
    out: Path = typer.Option(DEFAULT_OUT, help="Folder for the cleaned tables and exceptions."),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Orchestrate with Prefect (default)."),
    min_confidence: float = typer.Option(0.80, help="OCR readings below this become low_confidence."),
) -> None:
    """Read every file in INBOX once and write plans/activities/liaisons/reports/exceptions CSVs to OUT."""
    _check_paths(inbox, out)
    log_file = quiet_prefect(out / "logs")
    started = time.perf_counter()
    console.print(f"正在处理 {inbox} …")
    if prefect:
        summary = _run_with_prefect(inbox, out, min_confidence, log_file)
    else:
        from flows.pipeline import discover, process_file
        from flows.writer import write_outputs

        outcomes = [process_file(p, inbox, min_confidence=min_confidence) for p in discover(inbox)]
        summary = write_outputs(out, outcomes)
    _print_summary(summary, time.perf_counter() - started, out)
    raise typer.Exit(ExitCode.ALL_CLEAN if summary.all_clean else ExitCode.NEEDS_REVIEW)


def _run_with_prefect(inbox: Path, out: Path, min_confidence: float, log_file: Path):
    # Prefect's temporary server writes shutdown noise straight to stderr; keep it in the log file.
    noise = io.StringIO()
    with contextlib.redirect_stderr(noise):
        from flows.intake_flow import intake_flow

        reattach(log_file)
        summary = intake_flow(str(inbox), str(out), min_confidence)
    if noise.getvalue():
        with open(log_file, "a", encoding="utf-8") as fh:
            fh.write(noise.getvalue())
    return summary


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(ExitCode.COULD_NOT_RUN)


if __name__ == "__main__":
    main()
