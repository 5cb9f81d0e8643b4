"""`intake` command line: run the batch over an inbox folder and write the contract's outputs."""

from __future__ import annotations

import contextlib
import errno
import logging
import signal
import sys
import time
from datetime import datetime
from enum import IntEnum
from pathlib import Path

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn
from rich.table import Table

from flows import interrupt
from flows.cli_errors import UsageError, explain
from flows.options import RunOptions
from flows.prefect_server import use_prefect_home
from flows.quiet import drop_if_empty, quiet_prefect, reattach
from flows.reading.isolation import DEFAULT_WORKERS
from flows.reading.limits import WALL_FACTOR, Limits, LimitsError
from flows.run_once import run_once
from flows.serve import check_cron
from flows.serve import serve as serve_flow
from flows.staff.registry_folder import RegistryError
from flows.state.runlock import RunLock, RunLocked
from flows.state.stability import DEFAULT_SETTLE_S
from flows.watch import watch as watch_inbox
from schemas.campaign import CampaignError, check_campaign
from schemas.findings import console_message
from schemas.form_schema import load_forms
from schemas.validate import DEFAULT_MIN_CONFIDENCE


class ExitCode(IntEnum):
    ALL_CLEAN = 0  # every file read, no error-severity exception
    NEEDS_REVIEW = 3  # finished; some submissions need review (see exceptions.csv)
    COULD_NOT_RUN = 2  # bad arguments, unreadable inbox, unwritable output folder, schema error
    INTERNAL_ERROR = 4  # finished, but the program failed on some file (internal_error): hand it and the log over


app = typer.Typer(add_completion=False, help="青海省科协 submission intake: forms in, cleaned tables out.")
console = Console(stderr=False)


@app.callback()
def _group() -> None:
    """Subcommands: run (once), serve (on a schedule), watch (whenever files arrive), export (Parquet)."""
    console.soft_wrap = not console.is_terminal  # a log file or a pipe gets whole lines, not 80-column breaks


DEFAULT_INBOX = Path("samples/inbox")
DEFAULT_OUT = Path("outputs")
MIN_CONFIDENCE_HELP = "OCR readings below this (0–1) become low_confidence."
WORKERS_HELP = "Worker processes (0: in-process, no isolation)."
REGISTRY_HELP = "Folder of the unit registry staff keep (units.csv, counties.csv; default: OUT/../registry)."


def _positive(value: float | None) -> float | None:
    if value is not None and not value > 0:
        raise typer.BadParameter("应大于 0 秒")
    return value


def _check_paths(inbox: Path, out: Path) -> None:
    if not inbox.is_dir():
        what = "是一个文件，不是文件夹" if inbox.exists() else "不存在"
        console.print(f"[red]收件箱文件夹{what}：{inbox}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN)
    try:
        out.mkdir(parents=True, exist_ok=True)
        probe = out / ".write-test"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        console.print(f"[red]输出文件夹无法写入：{out}（{_os_reason(exc)}）[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
    try:  # the campaign file (schemas/campaign.yaml or INTAKE_CAMPAIGN) and every reference to its keys
        check_campaign()
    except CampaignError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc


def _print_summary(summary, seconds: float, out: Path) -> None:
    table = Table(title="本次处理结果（按文件计，份数见 report.html）", show_header=True)
    table.add_column("项目")
    table.add_column("数量", justify="right")
    names = {form.form_type: form.name_zh for form in load_forms()}
    table.add_row("收到文件", str(summary.files))
    for form, count in sorted(summary.by_form.items()):
        table.add_row(f"  {names.get(form, form)}", str(count))
    table.add_row("无需处理（干净）", str(summary.clean))
    table.add_row("需人工核对", str(summary.needs_review))
    table.add_row("无法读取", str(summary.unreadable))
    table.add_row("非本次表格", str(summary.unknown))
    table.add_row("重复文件", str(summary.duplicates))
    table.add_row("旧版本（已被新版本替代）", str(getattr(summary, "superseded", 0)))
    table.add_row("盖章版（与Word版按一份计算）", str(getattr(summary, "paired", 0)))
    table.add_row("问题条数（错误/提醒）", f"{summary.errors}/{summary.warnings}")
    console.print(table)
    console.print(f"用时 {seconds:.1f} 秒。结果在 {out}/，问题清单见 {out}/exceptions.csv")


@app.command()
def run(
    inbox: Path = typer.Option(DEFAULT_INBOX, help="Folder of submissions (read only)."),
    out: Path = typer.Option(DEFAULT_OUT, help="Folder for the cleaned tables and exceptions."),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Orchestrate with Prefect (default)."),
    min_confidence: float = typer.Option(DEFAULT_MIN_CONFIDENCE, min=0.0, max=1.0, help=MIN_CONFIDENCE_HELP),
    workers: int = typer.Option(DEFAULT_WORKERS, "--workers", min=0, help=WORKERS_HELP),
    timeout: float | None = typer.Option(
        None,
        "--timeout",
        callback=_positive,
        help=f"CPU seconds a file may take (default {Limits.seconds_per_file:g}; {WALL_FACTOR:g}x that waiting).",
    ),
    full: bool = typer.Option(False, "--full", help="Re-read every file, not only new and changed ones."),
    wait: bool = typer.Option(False, "--wait", help="If another run is writing to OUT, wait for it to finish."),
    settle: float = typer.Option(
        DEFAULT_SETTLE_S, "--settle", min=0, help="Seconds a file must stay unchanged to count."
    ),
    archive_to: Path | None = typer.Option(None, "--archive-to", help="Move processed files to ARCHIVE/<date>/."),
    dask_address: str = typer.Option("", "--dask-address", help="Run the per-file tasks on a Dask cluster."),
    registry: Path | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
) -> None:
    """Read new and changed files in INBOX and write the full plans/activities/liaisons/reports/exceptions CSVs."""
    _check_paths(inbox, out)
    limits = _limits(timeout)
    log_file = quiet_prefect(out / "logs")
    use_prefect_home(out)
    opts = _options(inbox, out, min_confidence, workers, limits.seconds_per_file, prefect, log_file, dask_address)
    opts.full, opts.settle_s, opts.archive_to, opts.registry = full, settle, archive_to, registry
    started = time.perf_counter()
    console.print(f"正在处理 {inbox} …")
    lock = _hold_lock(out, wait)
    try:
        report = _run_with_prefect(opts) if prefect else _run_plain(opts)
    except interrupt.Stopped:
        console.print(f"[{stamp()}] {console_message('stopped')}")
        raise
    except OSError as exc:  # the folder passed the write probe, then a write failed (full disk, a folder in the way)
        console.print(f"[red]{_os_failure(exc, out)}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
    except RegistryError as exc:  # the unit registry on the share was saved wrongly: staff can fix it
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
    except Exception as exc:  # e.g. Prefect's server did not start: say so, keep the traceback in the log
        logging.getLogger("intake").exception("run failed")
        hint = "；可加 --no-prefect 不经 Prefect 运行" if prefect else ""
        console.print(f"[red]运行中断（{type(exc).__name__}: {exc}）{hint}。详细信息见 {log_file}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
    finally:
        lock.release()
        drop_if_empty(log_file)
    _print_summary(report.summary, time.perf_counter() - started, out)
    console.print(report.one_line())
    _print_ours(report, log_file)
    raise typer.Exit(_exit_code(report))


def _print_ours(report, log_file: Path) -> None:  # noqa: ANN001
    """Problems of this computer or of the program, not the units': each missing program once, with its files."""
    for message, files in report.tools_missing.items():
        more = f" 等{len(files)}个" if len(files) > 3 else ""
        console.print(f"[yellow]缺少程序，{'、'.join(files[:3])}{more}未能读取：{message}[/yellow]")
    if report.internal_errors:
        bugs = report.internal_errors
        more = f" 等{len(bugs)}个" if len(bugs) > 3 else ""
        console.print(f"[red]程序内部错误：{'、'.join(bugs[:3])}{more}，请把文件和日志 {log_file} 交给技术人员。[/red]")


def _exit_code(report) -> ExitCode:  # noqa: ANN001
    if report.internal_errors:
        return ExitCode.INTERNAL_ERROR
    return ExitCode.ALL_CLEAN if report.summary.all_clean else ExitCode.NEEDS_REVIEW


def _options(inbox, out, min_confidence, workers, seconds, prefect, log_file, dask_address):  # noqa: ANN001, ANN202
    if dask_address and not prefect:
        console.print("[red]--dask-address 需要 Prefect，请去掉 --no-prefect。[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN)
    return RunOptions(
        inbox=inbox, outdir=out, min_confidence=min_confidence, workers=workers, seconds_per_file=seconds,
        prefect=prefect, log_file=log_file, dask_address=dask_address,
    )  # fmt: skip


def _hold_lock(out: Path, wait: bool):  # noqa: ANN202
    """Take the output folder's lock before Prefect starts: a busy folder costs no start-up, and says so."""
    lock = RunLock(out)
    try:
        lock.acquire()
    except RunLocked as exc:
        if not wait:
            console.print(f"[red]{exc.message_zh}[/red]")
            raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
        console.print(exc.message_zh.split("，请")[0] + "，正在等待它结束…")
        lock = RunLock(out, wait=True)
        lock.acquire()
    return lock


@contextlib.contextmanager
def _progress_bar():  # noqa: ANN202
    """A bar for people at a terminal; nothing for a scheduler's log."""
    if not console.is_terminal:
        yield None
        return
    with Progress("读取文件", BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=console) as bar:
        task = bar.add_task("read", total=None)
        yield lambda done, total: bar.update(task, completed=done, total=total)


def _run_plain(opts):  # noqa: ANN001, ANN202
    with _progress_bar() as progress:
        return run_once(opts, progress=progress)


_OS_REASONS = {
    errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限", errno.ENOSPC: "磁盘空间已满",
    errno.EROFS: "磁盘为只读", errno.EISDIR: "有同名文件夹占用", errno.ENOTDIR: "路径中有同名文件占用",
    errno.EDQUOT: "超出磁盘配额",
}  # fmt: skip


def _os_reason(exc: OSError) -> str:
    return _OS_REASONS.get(exc.errno or 0, f"系统错误码{exc.errno}")  # strerror is English


def _os_failure(exc: OSError, out: Path) -> str:
    """One Chinese sentence for an OS error that stopped the run (strerror is English)."""
    reason = _os_reason(exc)
    where = str(exc.filename2 or exc.filename or out)
    if Path(where).absolute().is_relative_to(out.absolute()):
        return f"输出文件夹无法写入：{where}（{reason}），请检查后重新运行。"
    return f"处理中断：无法访问 {where}（{reason}），请检查后重新运行。"


def _limits(timeout: float | None):
    try:
        return Limits.from_env(seconds_per_file=timeout)
    except LimitsError as exc:
        console.print(f"[red]处理限制设置有误：{exc}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc


def _run_with_prefect(opts):  # noqa: ANN001, ANN202
    # Prefect is imported only once the run knows it has files to read (flows/run_once.py)
    with _prefect_quietly(opts.log_file, import_now=False), _progress_bar() as progress:
        return run_once(opts, progress=progress)


@contextlib.contextmanager
def _prefect_quietly(log_file: Path, import_now: bool = True):  # noqa: ANN202
    # Prefect writes warnings straight to stderr; keep them in the log file (streamed, not buffered: `serve` and
    # `watch` run for weeks).
    with open(log_file, "a", encoding="utf-8") as sink, contextlib.redirect_stderr(sink):
        # Prefect configures its logging when first imported, after quiet_prefect's settings; reattach then routes
        # it to the file (flows/run_once.py does the same for a run that imports it later). A --no-prefect run
        # never imports it.
        if import_now:
            import prefect  # noqa: F401

            reattach(log_file)
        yield


@app.command()
def watch(
    inbox: Path = typer.Option(DEFAULT_INBOX, help="Folder of submissions (read only)."),
    out: Path = typer.Option(DEFAULT_OUT, help="Folder for the cleaned tables and exceptions."),
    interval: float = typer.Option(30.0, "--interval", min=0.2, help="Seconds between looks at the inbox."),
    prefect: bool = typer.Option(True, "--prefect/--no-prefect", help="Orchestrate with Prefect (default)."),
    min_confidence: float = typer.Option(DEFAULT_MIN_CONFIDENCE, min=0.0, max=1.0, help=MIN_CONFIDENCE_HELP),
    workers: int = typer.Option(DEFAULT_WORKERS, "--workers", min=0, help=WORKERS_HELP),
    timeout: float | None = typer.Option(
        None, "--timeout", callback=_positive, help="CPU seconds a file may take (default: as for run)."
    ),
    archive_to: Path | None = typer.Option(None, "--archive-to", help="Move processed files to ARCHIVE/<date>/."),
    dask_address: str = typer.Option("", "--dask-address", help="Run the per-file tasks on a Dask cluster."),
    registry: Path | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
    max_runs: int | None = typer.Option(None, "--max-runs", min=1, hidden=True, help="Stop after N runs (tests)."),
) -> None:
    """Poll INBOX every --interval seconds; run when new files have finished copying. Ctrl+C stops."""
    _check_paths(inbox, out)
    limits = _limits(timeout)
    log_file = quiet_prefect(out / "logs")
    use_prefect_home(out)
    opts = _options(inbox, out, min_confidence, workers, limits.seconds_per_file, prefect, log_file, dask_address)
    opts.archive_to, opts.registry = archive_to, registry
    console.print(f"正在监视 {inbox}（每 {interval:g} 秒查看一次，文件复制完成后自动处理；按 Ctrl+C 停止）")

    def show(report) -> None:  # noqa: ANN001
        status = "需人工核对" if not report.summary.all_clean else "全部正常"
        console.print(f"[{stamp()}] {report.one_line()}（{status}，问题清单见 {out}/exceptions.csv）")
        _print_ours(report, log_file)

    def failed(exc: Exception) -> None:
        what = f"{type(exc).__name__}: {exc}"
        console.print(f"[{stamp()}] [red]本次处理未完成（{what}），下次检查时重试；详见 {log_file}[/red]")

    try:
        with _prefect_quietly(log_file) if prefect else contextlib.nullcontext():
            watch_inbox(opts, interval, on_report=show, on_error=failed, max_runs=max_runs)
    except interrupt.Stopped:
        console.print(f"[{stamp()}] 已停止监视。")
        raise
    finally:
        drop_if_empty(log_file)
    console.print(f"[{stamp()}] 已停止监视。")


@app.command()
def serve(
    inbox: Path = typer.Option(DEFAULT_INBOX, help="Folder of submissions (read only)."),
    out: Path = typer.Option(DEFAULT_OUT, help="Folder for the cleaned tables and exceptions."),
    cron: str | None = typer.Option(None, "--cron", help='When to run, e.g. "0 8-18 * * 1-5" (hourly, weekdays).'),
    interval: float | None = typer.Option(None, "--interval", min=1, help="Or: run every N seconds."),
    name: str = typer.Option("scheduled", "--name", help="Deployment name shown in Prefect."),
    min_confidence: float = typer.Option(DEFAULT_MIN_CONFIDENCE, min=0.0, max=1.0, help=MIN_CONFIDENCE_HELP),
    workers: int = typer.Option(DEFAULT_WORKERS, "--workers", min=0, help=WORKERS_HELP),
    timeout: float | None = typer.Option(
        None, "--timeout", callback=_positive, help="CPU seconds a file may take (default: as for run)."
    ),
    archive_to: Path | None = typer.Option(None, "--archive-to", help="Move processed files to ARCHIVE/<date>/."),
    dask_address: str = typer.Option("", "--dask-address", help="Run the per-file tasks on a Dask cluster."),
    registry: Path | None = typer.Option(None, "--registry", help=REGISTRY_HELP),
) -> None:
    """Serve the flow as a Prefect deployment on a schedule (starts a local Prefect server if none is set)."""
    if (cron is None) == (interval is None):
        console.print("[red]请用 --cron 或 --interval 指定运行时间（二选一）。[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN)
    _check_paths(inbox, out)
    limits = _limits(timeout)
    log_file = quiet_prefect(out / "logs")
    use_prefect_home(out)
    opts = _options(inbox, out, min_confidence, workers, limits.seconds_per_file, True, log_file, dask_address)
    opts.archive_to, opts.registry = archive_to, registry
    if cron is not None:
        try:
            check_cron(cron)
        except ValueError as exc:
            console.print(f"[red]{exc}[/red]")
            raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
    when = f"按 cron “{cron}”" if cron else f"每 {interval:g} 秒"
    console.print(f"[{stamp()}] 定时处理已启动：{when}处理 {inbox}，结果在 {out}/；按 Ctrl+C 停止。")
    try:
        with _prefect_quietly(log_file):
            try:
                serve_flow(opts, cron=cron, interval=interval, name=name)
            except interrupt.Stopped as stop:
                console.print(f"[{stamp()}] 定时处理已停止。")
                # exit here, stderr still in the log: Prefect's runner thread complains about the stopped server
                interrupt.force_exit(stop.code)
    except (RuntimeError, ValueError) as exc:
        console.print(f"[red]定时处理无法启动：{exc}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
    console.print(f"[{stamp()}] 定时处理已停止。")


@app.command()
def export(
    parquet: Path = typer.Option(..., "--parquet", help="Folder for the Parquet files, one per table."),
    out: Path = typer.Option(DEFAULT_OUT, help="A run's output folder (the cleaned CSVs to export)."),
) -> None:
    """Write the cleaned tables as typed Parquet files for analysts' tools (flows/dataset.py: the same frames)."""
    from flows.dataset import export_parquet  # pandas + pyarrow: ~1 s to import, which every other command skips

    try:
        written = export_parquet(out, parquet)
    except FileNotFoundError as exc:
        console.print(f"[red]找不到 {exc.filename}：请先运行 intake run --out {out}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
    except (OSError, ValueError) as exc:  # an unwritable folder, or a CSV edited by hand into another type
        console.print(f"[red]无法导出 Parquet：{exc}[/red]")
        raise typer.Exit(ExitCode.COULD_NOT_RUN) from exc
    console.print(f"已导出 {len(written)} 个 Parquet 文件到 {parquet}/：{'、'.join(p.name for p in written)}")


def stamp() -> str:
    return datetime.now().strftime("%Y-%m-%d %H:%M:%S")


def main() -> None:
    # Ctrl-C / SIGTERM in any command: a Chinese sentence, the workers and servers stopped, exit 130 / 143
    interrupt.install(lambda text: console.print(f"[{stamp()}] [yellow]{text}[/yellow]"))
    try:
        code = app(standalone_mode=False)  # usage errors come back here, to be said in Chinese
    except UsageError as exc:
        print(explain(exc), file=sys.stderr)
        sys.exit(ExitCode.COULD_NOT_RUN)
    except interrupt.Stopped as stop:  # the command has said that it stopped
        interrupt.force_exit(stop.code)  # whatever is left: served flow runs, Prefect's exit hooks
    except (KeyboardInterrupt, typer.Abort):  # raised by a library (typer: Abort, its Ctrl-C) on our behalf
        sys.exit(interrupt.interrupted() or 128 + signal.SIGINT)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
