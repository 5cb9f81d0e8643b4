"""Every throughput figure in one run, as one table: speeds, ratios to the raw engines, Prefect, workers, memory.

    python bench/bench_all.py [--docx 200] [--pdf-pages 40] [--scan-pages 6] [--reps 1] [--quick] [--keep DIR]

What it measures (all on files made from the committed samples, in a temporary folder):
- Word: N distinct .docx (bench_rerun.build_inbox: sample copies with a new zip comment, so every copy is a
  separate submission). `process_file` in this process (one core) against the raw engine on the same files
  (python-docx open + every paragraph and cell's text); then the library with its 2-worker pool
  (`run_incremental` + `schedule.pooled`, what `intake run --no-prefect` does) and the Prefect flow
  (`schedule.run_once`) on the same files into fresh output folders. Prefect's temporary server start-up is
  timed apart, as the first (trivial) flow of this process, and left out of the Prefect ratio.
- Text PDF: bench_pdf's `ours` (extractors.pdf) against `raw_pass` (pdfplumber find_tables + extract_words).
- Scans: bench_ocr's `bench_file` (pipeline vs decode + one raw OCR call per page, interleaved), then the
  same scans through `IsolatedRunner` with 1 and with 2 workers (each worker loads its own OCR model).
- Re-run with nothing new: `run_incremental` again over the Word batch's output folder.
- Peak RSS: the whole process tree (this process, fork server, workers, Prefect server), sampled every 0.1 s.
`--quick` (smoke test): fewer repeats and no warm-up pass. The machine's speed swings with other load:
compare figures from one run only.
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import logging
import os
import platform
import shutil
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

import bench_ocr  # noqa: E402
import bench_pdf  # noqa: E402
import bench_rerun  # noqa: E402
import docx  # noqa: E402
import psutil  # noqa: E402
import pypdfium2  # noqa: E402
from PIL import Image  # noqa: E402

from flows.incremental import run_incremental  # noqa: E402
from flows.isolation import IsolatedRunner  # noqa: E402
from flows.limits import Limits  # noqa: E402
from flows.pipeline import discover, process_file  # noqa: E402
from flows.schedule import RunOptions, pooled, run_once  # noqa: E402

SAMPLES = ROOT / "samples" / "inbox"


# ------------------------------------------------------------------------------------------ machine, memory


def machine_line() -> str:
    model = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    ram = psutil.virtual_memory().total / 2**30
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "?"
    return f"machine: {model}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, load average {load} (shared machine)"


class TreeRss:
    """Peak resident memory of this process and all its descendants, sampled on a thread."""

    def __init__(self, interval: float = 0.1) -> None:
        self.peak = 0  # over the whole run
        self.phase_peak = 0  # since the last mark()
        self._cpu: dict[int, tuple[float, float]] = {}  # pid -> CPU seconds at first and last look this phase
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(interval,), daemon=True)

    def _loop(self, interval: float) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            total = 0
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    total += proc.memory_info().rss
                    cpu = proc.cpu_times()
                    first, _ = self._cpu.get(proc.pid, (cpu.user + cpu.system, 0.0))
                    self._cpu[proc.pid] = (first, cpu.user + cpu.system)
            self.peak = max(self.peak, total)
            self.phase_peak = max(self.phase_peak, total)
            self._stop.wait(interval)

    def mark(self) -> tuple[float, float]:
        """Peak MB and CPU seconds (all processes; ones that lived < 0.1 s are missed) since the last mark."""
        peak, self.phase_peak = self.phase_peak, 0
        cpu, self._cpu = sum(last - first for first, last in self._cpu.values()), {}
        return peak / 2**20, cpu

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def timed(fn: Callable[[], object]) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


# ------------------------------------------------------------------------------------------ inputs


def page_count(path: Path) -> int:
    if path.suffix.lower() == ".pdf":
        pdf = pypdfium2.PdfDocument(str(path))
        try:
            return len(pdf)
        finally:
            pdf.close()
    with Image.open(path) as im:
        return getattr(im, "n_frames", 1)


def take_pages(files: list[Path], pages: int, cycle: bool) -> list[Path]:
    """Files (fewest pages first; cycled when `cycle`) until they hold at least `pages` pages."""
    ordered = sorted(files, key=lambda p: (page_count(p), p.name))
    chosen, total = [], 0
    for path in itertools.cycle(ordered) if cycle else ordered:
        if total >= pages:
            break
        chosen.append(path)
        total += page_count(path)
    return chosen


def raw_docx(path: Path) -> int:
    """The floor for a Word file: python-docx opens it and every paragraph's and cell's text is read."""
    d = docx.Document(str(path))
    chars = sum(len(p.text) for p in d.paragraphs)
    for table in d.tables:
        for row in table.rows:
            chars += sum(len(c.text) for c in row.cells)
    return chars


# ------------------------------------------------------------------------------------------ measurements


@dataclass
class Row:
    what: str
    value: str
    floor: str = ""  # the raw engine or the reference run, on the same files
    ratio: str = ""
    aim: str = ""
    verdict: str = ""


def verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def bench_word(root: Path, n: int, rows: list[Row], rss: TreeRss) -> Path:
    inbox = root / "docx-inbox"
    bench_rerun.build_inbox(inbox, n)
    files = discover(inbox)
    for f in files[:3]:  # warm imports, form schemas and the unit registry outside the timing
        process_file(f, inbox)
        raw_docx(f)
    raw_s, _ = timed(lambda: [raw_docx(f) for f in files])
    one_s, _ = timed(lambda: [process_file(f, inbox) for f in files])
    rows.append(Row(f"Word, 1 process, {n} files", f"{n / one_s:.1f} files/s", f"python-docx {n / raw_s:.1f} files/s",
                    f"{one_s / raw_s:.2f}x", "≥ 20 files/s", verdict(n / one_s >= 20)))  # fmt: skip

    # The fork server and its preloaded pipeline start once per process: warm them before the library and
    # Prefect runs, so neither pays it and the ratio is orchestration only. A cold pool start is timed apart.
    pool_s, _ = timed(lambda: pooled(RunOptions(inbox, root, workers=2))(files[:2], inbox))
    rows.append(Row("worker pool cold start + 2 files", f"{pool_s:.1f} s", "fork server + preload, once"))
    lib_opts = RunOptions(inbox, root / "out-lib", prefect=False, workers=2, settle_s=0)
    rss.mark()
    lib_s, _ = timed(lambda: run_incremental(inbox, lib_opts.out, settle_s=0, process=pooled(lib_opts)))
    mb, _ = rss.mark()
    rows.append(
        Row(f"peak RSS, Word batch of {n}", f"{mb:.0f} MB", "process tree", "", "≤ 2048 MB", verdict(mb <= 2048))
    )
    rows.append(Row(f"Word, library 2 workers, {n} files", f"{n / lib_s:.1f} files/s", f"{lib_s:.1f} s",
                    f"{one_s / lib_s:.2f}x vs 1 process", "≥ 20 files/s", verdict(n / lib_s >= 20)))  # fmt: skip

    rerun_s, report = timed(lambda: run_incremental(inbox, lib_opts.out, settle_s=0, process=pooled(lib_opts)))
    assert report.extracted == 0, f"a re-run read {report.extracted} files"
    rows.append(Row(f"re-run, nothing new, {n} files", f"{rerun_s:.2f} s", f"first run {lib_s:.1f} s",
                    f"{100 * rerun_s / lib_s:.1f} %", "≤ 2 s", verdict(rerun_s <= 2)))  # fmt: skip

    startup_s = prefect_startup()
    rows.append(Row("Prefect server start-up (apart)", f"{startup_s:.1f} s", "first trivial flow"))
    pf_opts = RunOptions(inbox, root / "out-prefect", prefect=True, workers=2, settle_s=0)
    pf_s, report = timed(lambda: run_once(pf_opts))
    assert report.extracted == n, f"the Prefect run read {report.extracted} of {n} files"
    rows.append(Row(f"Word, Prefect 2 workers, {n} files", f"{n / pf_s:.1f} files/s", f"library {lib_s:.1f} s",
                    f"{pf_s / lib_s:.2f}x", "≤ 1.2x library", verdict(pf_s / lib_s <= 1.2)))  # fmt: skip
    return inbox


def prefect_startup() -> float:
    """The first flow of a process starts Prefect's temporary server; a trivial flow times just that."""
    from prefect import flow

    @flow(name="bench-startup", persist_result=False)
    def nothing() -> int:
        return 1

    seconds, _ = timed(nothing)
    return seconds


def bench_pdfs(pages: int, reps: int, rows: list[Row]) -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    files = take_pages(sorted((SAMPLES / "pdf").glob("*.pdf")), pages, cycle=True)
    bench_pdf.ours(files[0])  # warm imports and font caches outside the timing
    n, ours_s = bench_pdf.timed(bench_pdf.ours, files, reps)
    _, raw_s = bench_pdf.timed(bench_pdf.raw_pass, files, reps)
    rows.append(Row(f"text PDF, 1 process, {n} pages", f"{n / ours_s:.1f} pages/s",
                    f"pdfplumber {n / raw_s:.1f} pages/s", f"{ours_s / raw_s:.2f}x", "≥ 5 pages/s",
                    verdict(n / ours_s >= 5)))  # fmt: skip


def bench_scans(root: Path, pages: int, reps: int, rows: list[Row], rss: TreeRss) -> None:
    files = take_pages(sorted((SAMPLES / "scans").iterdir()), pages, cycle=False)
    engine = bench_ocr.ocr.get_engine()
    engine.read(bench_ocr._pages(files[0])[0])  # model load outside the timing
    results = [bench_ocr.bench_file(p, engine, reps) for p in files]
    n = sum(r["pages"] for r in results)
    raw = sum(r["raw_s_page"] * r["pages"] for r in results)
    pipe = sum(r["pipe_s_page"] * r["pages"] for r in results)
    raw_cpu = sum(r["raw_cpu_page"] * r["pages"] for r in results)
    pipe_cpu = sum(r["pipe_cpu_page"] * r["pages"] for r in results)
    rows.append(Row(f"scans, 1 process, {n} pages", f"{pipe / n:.2f} s/page", f"raw OCR {raw / n:.2f} s/page",
                    f"{pipe / raw:.2f}x", "≤ 3 s/page, ≤ 1.15x",
                    verdict(pipe / n <= 3 and pipe / raw <= 1.15)))  # fmt: skip
    rows.append(Row("scans, CPU seconds", f"{pipe_cpu / n:.2f} cpu-s/page", f"raw OCR {raw_cpu / n:.2f} cpu-s/page",
                    f"{pipe_cpu / raw_cpu:.2f}x", "(load-independent)"))  # fmt: skip

    # Workers: the same scans as a batch (at least two files, so two workers have something to share).
    inbox = root / "scan-inbox"
    inbox.mkdir()
    batch = files if len(files) >= 2 else files * 2
    for i, src in enumerate(batch):
        shutil.copyfile(src, inbox / f"{i:02d}-{src.name}")
    paths = discover(inbox)
    times = {}
    rss.mark()
    cores, peaks = {}, []
    for workers in (1, 2):
        with IsolatedRunner(workers, Limits.from_env()) as runner:
            times[workers], _ = timed(lambda r=runner: r.process_all(paths, inbox))
        mb, cpu = rss.mark()
        cores[workers] = cpu / times[workers]  # < 2 on a 2-core machine: something else had the CPUs
        peaks.append(mb)
    mb = max(peaks)
    pages_batch = sum(page_count(p) for p in paths)
    speedup = times[1] / times[2]
    rows.append(Row(f"scans, 2 workers vs 1, {pages_batch} pages", f"{speedup:.2f}x faster",
                    f"1: {times[1] / pages_batch:.2f} s/page, 2: {times[2] / pages_batch:.2f} s/page",
                    f"{times[2] / times[1]:.2f}x time", "≥ 1.7x", verdict(speedup >= 1.7)))  # fmt: skip
    rows.append(Row("scans, cores busy, 1 / 2 workers", f"{cores[1]:.2f} / {cores[2]:.2f}",
                    f"of {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}", "", "(both busy)"))  # fmt: skip
    rows.append(Row("peak RSS, scan workers", f"{mb:.0f} MB", "process tree, incl. this process's OCR model",
                    "", "≤ 2048 MB", verdict(mb <= 2048)))  # fmt: skip


def print_table(rows: list[Row]) -> None:
    head = Row("measure", "value", "raw engine / reference", "ratio", "aim", "verdict")
    widths = [max(len(getattr(r, f)) for r in [head, *rows]) for f in ("what", "value", "floor", "ratio", "aim")]
    for r in [head, *rows]:
        cells = [r.what, r.value, r.floor, r.ratio, r.aim]
        print(" | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + f" | {r.verdict}")


@contextlib.contextmanager
def workdir(keep: Path | None) -> Iterator[Path]:
    if keep:
        keep.mkdir(parents=True, exist_ok=True)
        yield keep
        return
    root = Path(tempfile.mkdtemp(prefix="bench-all-"))
    try:
        yield root
    finally:
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docx", type=int, default=200)
    parser.add_argument("--pdf-pages", type=int, default=40)
    parser.add_argument("--scan-pages", type=int, default=6)
    parser.add_argument("--reps", type=int, default=None, help="repeats per PDF / scan timing (default 3 / 1)")
    parser.add_argument("--quick", action="store_true", help="one repeat of everything (smoke test)")
    parser.add_argument("--keep", type=Path, help="build in this (empty) folder and keep it")
    args = parser.parse_args(argv)
    pdf_reps = args.reps or (1 if args.quick else 3)
    scan_reps = args.reps or 1
    print(f"bench_all {datetime.now():%Y-%m-%d %H:%M}, python {platform.python_version()}")
    print(machine_line())
    rows: list[Row] = []
    started = time.perf_counter()
    with workdir(args.keep) as root, TreeRss() as rss:
        sections = [
            ("Word", lambda: bench_word(root, args.docx, rows, rss)),
            ("text PDF", lambda: bench_pdfs(args.pdf_pages, pdf_reps, rows)),
            ("scans", lambda: bench_scans(root, args.scan_pages, scan_reps, rows, rss)),
        ]
        failed = 0
        for name, section in sections:
            try:  # one broken section still leaves the others' figures
                section()
            except Exception as exc:  # noqa: BLE001
                failed += 1
                traceback.print_exc()
                rows.append(Row(f"{name}: section failed", type(exc).__name__, str(exc)[:60]))
    rows.append(Row("peak RSS, whole run", f"{rss.peak / 2**20:.0f} MB", "process tree, every phase at once"))
    print_table(rows)
    print(f"total {time.perf_counter() - started:.0f} s")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
