"""Every throughput figure in one run, as one table: speeds, ratios to the raw engines, Prefect, workers, memory.

    python bench/bench_all.py [--docx 200] [--pdf-pages 40] [--scan-pages 6] [--batch 300] [--reps N] [--quick]
                              [--keep DIR] [--only word]

What it measures (all on files made from the committed samples, in a temporary folder). Prefect is configured
as `intake run` configures it (flows/quiet.py: its logs to a file and its API; its home beside them).
- Word: N distinct .docx (bench_rerun.build_inbox: sample copies with a new zip comment, so every copy is a
  separate submission). `process_file` in this process (one core) against the raw engine on the same files
  (python-docx open + every paragraph and cell's text); then the library with its 2-worker pool
  (`run_incremental` + `run_once.pooled`, what `intake run --no-prefect` does) and the Prefect flow
  (`run_once.run_once`) on the same files, alternating, each into a fresh output folder, medians of --reps
  pairs. The Prefect runs share one local server (`prefect server start`), whose start-up is timed apart and
  left out of the Prefect ratio.
- Commands: `intake run` and `intake run --no-prefect` on the Word files, each a fresh process (what staff
  wait for, server start-up included), and fresh re-runs with nothing new, `--no-prefect` and with Prefect (which
  decides from the ledger and starts no server).
- Text PDF: bench_pdf's `ours` (extractors.pdf) against `raw_pass` (pdfplumber find_tables + extract_words).
- Scans: bench_ocr's `bench_file` (pipeline vs decode + one raw OCR call per page, interleaved), then every
  sample scan as a batch through `IsolatedRunner`: 1 worker with 2 OCR threads (the default for one worker),
  1 worker with 1 thread, 2 workers with 1 thread each (the default for two).
- Photo correction: extractors.photo.flatten_photo on the dev phone photos (samples/other_hands/scanned/dev),
  ms per page, beside its cost on the flat scans (found to be no photo, returned untouched).
- OCR engines: engine_compare (bench_ocr --engines): every installed engine in a process of its own, one
  OCR thread each: s/page and CPU s/page of process_file on the sample scans, model load, peak RSS, install
  size, probe accuracy and truth fields read right (with --quick: the smallest sample scan, two engines).
- Re-run with nothing new: `run_incremental` again over the Word batch's output folder.
- Batch: --batch files (60 % Word, 25 % text PDF, 15 % scans, all distinct bytes) through `intake run` in a
  fresh process; peak memory of that command's process tree, PSS (shared pages split between the processes
  that share them) and RSS summed.
- Peak RSS rows: the whole process tree of this script (this process, fork server, workers, Prefect server),
  sampled every 0.1 s.
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
import statistics
import subprocess
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
import cv2  # noqa: E402
import docx  # noqa: E402
import engine_compare  # noqa: E402
import psutil  # noqa: E402
import pypdfium2  # noqa: E402
from PIL import Image  # noqa: E402

from extractors import photo  # noqa: E402
from flows.options import RunOptions  # noqa: E402
from flows.prefect_server import LocalServer, prefect_api, use_prefect_home  # noqa: E402
from flows.quiet import quiet_prefect  # noqa: E402
from flows.reading.isolation import IsolatedRunner  # noqa: E402
from flows.reading.limits import Limits  # noqa: E402
from flows.reading.pipeline import discover, process_file  # noqa: E402
from flows.run_once import pooled, run_once  # noqa: E402
from flows.state.incremental import run_incremental  # noqa: E402

SAMPLES = ROOT / "samples" / "inbox"
PAUSE_S = 2.0  # between the alternating library and Prefect runs


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
    """Peak memory of this process and all its descendants, sampled on a thread: resident (RSS, pages shared by
    forked workers counted once per process) and proportional (PSS, shared pages split between their users:
    what the tree really holds)."""

    def __init__(self, interval: float = 0.1, root: int | None = None, pss: bool = False) -> None:
        self.root = root  # the process whose tree is sampled (default: this one)
        self.pss = pss  # reading PSS (/proc/PID/smaps_rollup) costs CPU: only where it is reported
        self.peak = 0  # RSS over the whole run
        self.phase_peak = 0  # RSS since the last mark()
        self.phase_pss = 0  # PSS since the last mark()
        self.at_peak_pss: dict[str, float] = {}  # process kind -> MB at the PSS peak (what held the memory)
        self._cpu: dict[int, tuple[float, float]] = {}  # pid -> CPU seconds at first and last look this phase
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, args=(interval,), daemon=True)

    def _loop(self, interval: float) -> None:
        me = psutil.Process(self.root)
        while not self._stop.is_set():
            rss = pss = 0
            kinds: dict[str, float] = {}
            for proc in [me, *me.children(recursive=True)]:
                with contextlib.suppress(psutil.Error):
                    mem = proc.memory_full_info() if self.pss else proc.memory_info()
                    rss += mem.rss
                    pss += getattr(mem, "pss", mem.rss)
                    kind = process_kind(proc, me)
                    kinds[kind] = kinds.get(kind, 0) + getattr(mem, "pss", mem.rss) / 2**20
                    cpu = proc.cpu_times()
                    first, _ = self._cpu.get(proc.pid, (cpu.user + cpu.system, 0.0))
                    self._cpu[proc.pid] = (first, cpu.user + cpu.system)
            self.peak = max(self.peak, rss)
            self.phase_peak = max(self.phase_peak, rss)
            if pss > self.phase_pss:
                self.phase_pss, self.at_peak_pss = pss, kinds
            self._stop.wait(interval)

    def mark(self) -> tuple[float, float]:
        """Peak RSS MB and CPU seconds (all processes; ones that lived < 0.1 s are missed) since the last mark."""
        return self.mark_all()[:2]

    def mark_all(self) -> tuple[float, float, float]:
        """Peak RSS MB, CPU seconds and peak PSS MB since the last mark."""
        peak, pss, self.phase_peak, self.phase_pss = self.phase_peak, self.phase_pss, 0, 0
        cpu, self._cpu = sum(last - first for first, last in self._cpu.values()), {}
        return peak / 2**20, cpu, pss / 2**20

    def __enter__(self) -> TreeRss:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def process_kind(proc: psutil.Process, root: psutil.Process) -> str:
    """What a process in the tree is, for the memory breakdown."""
    if proc.pid == root.pid:
        return "main"
    line = " ".join(proc.cmdline())
    if "uvicorn" in line or "prefect" in line:
        return "Prefect server"
    if "forkserver" in line:  # workers are forked from the fork server: same command line, that parent
        parent = proc.parent()
        return "workers" if parent is not None and "forkserver" in " ".join(parent.cmdline()) else "fork server"
    if "soffice" in line:
        return "LibreOffice"
    return "workers"


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


def bench_word_one(root: Path, n: int, rows: list[Row]) -> tuple[Path, list[Path], float]:
    """The "Word, 1 process" row alone (`--only word`): the Word reader's own speed, no pool, no Prefect."""
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
    return inbox, files, one_s


def bench_word(root: Path, n: int, reps: int, rows: list[Row], rss: TreeRss) -> Path:
    inbox, files, one_s = bench_word_one(root, n, rows)

    # The fork server and its preloaded pipeline start once per process: warm them before the library and
    # Prefect runs, so neither pays it and the ratio is orchestration only. A cold pool start is timed apart.
    pool_s, _ = timed(lambda: pooled(RunOptions(inbox, root, workers=2))(files[:2], inbox))
    rows.append(Row("worker pool cold start + 2 files", f"{pool_s:.1f} s", "fork server + preload, once"))
    with contextlib.ExitStack() as stack:
        startup_s, server = prefect_startup()
        stack.enter_context(prefect_api(None, server))  # the Prefect runs below use this one server
        lib_times, pf_times, peaks = _alternate(inbox, root, n, reps, rss)
    lib_s, pf_s, mb = statistics.median(lib_times), statistics.median(pf_times), max(peaks)
    return _word_rows(inbox, root, n, one_s, lib_s, pf_s, mb, startup_s, lib_times, pf_times, rows)


def _alternate(inbox: Path, root: Path, n: int, reps: int, rss: TreeRss) -> tuple[list, list, list]:
    """Library and Prefect runs alternate, each into a fresh output folder after a pause (the Prefect server
    records the last run's events for a moment after it returns); `reps` pairs."""
    lib_times, pf_times, peaks = [], [], []
    for rep in range(reps):
        time.sleep(PAUSE_S)
        lib_opts = RunOptions(inbox, root / f"out-lib-{rep}", prefect=False, workers=2, settle_s=0)
        rss.mark()
        lib_s, _ = timed(lambda o=lib_opts: run_incremental(inbox, o.outdir, settle_s=0, process=pooled(o)))
        peaks.append(rss.mark()[0])
        lib_times.append(lib_s)
        time.sleep(PAUSE_S)
        pf_opts = RunOptions(inbox, root / f"out-prefect-{rep}", prefect=True, workers=2, settle_s=0)
        pf_s, report = timed(lambda o=pf_opts: run_once(o))
        assert report.extracted == n, f"the Prefect run read {report.extracted} of {n} files"
        pf_times.append(pf_s)
    return lib_times, pf_times, peaks


def _word_rows(inbox, root, n, one_s, lib_s, pf_s, mb, startup_s, lib_times, pf_times, rows):  # noqa: ANN001, ANN202
    rows.append(
        Row(f"peak RSS, Word batch of {n}", f"{mb:.0f} MB", "process tree", "", "≤ 2048 MB", verdict(mb <= 2048))
    )
    rows.append(Row(f"Word, library 2 workers, {n} files", f"{n / lib_s:.1f} files/s",
                    f"{lib_s:.2f} s (median of {len(lib_times)})", f"{one_s / lib_s:.2f}x vs 1 process", "≥ 20 files/s",
                    verdict(n / lib_s >= 20)))  # fmt: skip
    rows.append(Row("Prefect server start-up (apart)", f"{startup_s:.1f} s", "`prefect server start` until healthy"))
    spread = f"{min(pf_times) / max(lib_times):.2f}–{max(pf_times) / min(lib_times):.2f}x"
    rows.append(Row(f"Word, Prefect 2 workers, {n} files", f"{n / pf_s:.1f} files/s",
                    f"library {lib_s:.2f} s; range {spread}", f"{pf_s / lib_s:.2f}x", "≤ 1.2x library",
                    verdict(pf_s / lib_s <= 1.2)))  # fmt: skip

    lib_opts = RunOptions(inbox, root / "out-lib-0", prefect=False, workers=2, settle_s=0)
    rerun_s, report = timed(lambda: run_incremental(inbox, lib_opts.outdir, settle_s=0, process=pooled(lib_opts)))
    assert report.extracted == 0, f"a re-run read {report.extracted} files"
    rows.append(Row(f"re-run, nothing new, {n} files", f"{rerun_s:.2f} s", f"first run {lib_s:.1f} s",
                    f"{100 * rerun_s / lib_s:.1f} %", "≤ 2 s", verdict(rerun_s <= 2)))  # fmt: skip
    return inbox


def bench_commands(root: Path, inbox: Path, n: int, rows: list[Row]) -> None:
    """`intake run` as staff start it: a fresh process each, Prefect (its own server starting while the run plans
    and starts its workers) against --no-prefect, then re-runs with nothing new, without and with Prefect."""
    times = {}
    for label, extra in (("Prefect", []), ("--no-prefect", ["--no-prefect"])):
        out = root / f"cmd-{label.strip('-')}"
        command = [sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--out", str(out), *extra]
        times[label], done = timed(lambda c=command: subprocess.run(c, cwd=ROOT, capture_output=True, text=True))
        assert done.returncode in (0, 3), done.stdout + done.stderr
    rerun = [sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--out", str(root / "cmd-no-prefect"),
             "--no-prefect"]  # fmt: skip
    rerun_s, done = timed(lambda: subprocess.run(rerun, cwd=ROOT, capture_output=True, text=True))
    assert done.returncode in (0, 3), done.stdout + done.stderr
    # the default command (Prefect) with nothing new decides from the ledger and starts no server
    rerun_pf = [sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--out", str(root / "cmd-Prefect")]
    rerun_pf_s, done = timed(lambda: subprocess.run(rerun_pf, cwd=ROOT, capture_output=True, text=True))
    assert done.returncode in (0, 3) and "实际读取 0 个" in done.stdout, done.stdout + done.stderr
    rows.append(Row(f"`intake run`, new process, {n} Word files", f"{times['Prefect']:.1f} s",
                    f"--no-prefect {times['--no-prefect']:.1f} s",
                    f"+{times['Prefect'] - times['--no-prefect']:.1f} s", "(server start-up hidden?)"))  # fmt: skip
    rows.append(Row("`intake run --no-prefect`, re-run, new process", f"{rerun_s:.1f} s", f"{n} files, nothing new",
                    "", "≤ 2 s", verdict(rerun_s <= 2)))  # fmt: skip
    rows.append(Row("`intake run`, re-run, new process", f"{rerun_pf_s:.1f} s", f"{n} files, nothing new, Prefect",
                    "", "≤ 2 s", verdict(rerun_pf_s <= 2)))  # fmt: skip


def prefect_startup() -> tuple[float, LocalServer]:
    """`prefect server start` under the bench folder's PREFECT_HOME, until it answers: what a one-shot `intake run`
    with files to read pays before its flow run (partly hidden behind planning and the worker pool's start)."""
    started = time.perf_counter()
    server = LocalServer()
    server.wait_ready()
    return time.perf_counter() - started, server


def bench_pdfs(pages: int, reps: int, rows: list[Row]) -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    files = take_pages(sorted((SAMPLES / "pdf").glob("*.pdf")), pages, cycle=True)
    bench_pdf.ours(files[0])  # warm imports and font caches outside the timing
    n, ours_s = bench_pdf.timed(bench_pdf.ours, files, reps)
    _, raw_s = bench_pdf.timed(bench_pdf.raw_pass, files, reps)
    rows.append(Row(f"text PDF, 1 process, {n} pages", f"{n / ours_s:.1f} pages/s",
                    f"pdfplumber {n / raw_s:.1f} pages/s", f"{ours_s / raw_s:.2f}x", "≥ 5 pages/s",
                    verdict(n / ours_s >= 5)))  # fmt: skip


def _spin(n: int) -> float:
    started = time.perf_counter()
    x = 0
    for i in range(n):
        x += i
    return time.perf_counter() - started


def machine_ceiling(rows: list[Row], n: int = 20_000_000) -> float:
    """What two CPU-bound processes gain over one on this machine: the most 2 workers can gain. On a shared
    VM the second core is not a whole core (neighbours, steal time), so it is well under 2."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    with context.Pool(2) as pool:
        pool.map(_spin, [1000, 1000])  # start both interpreters outside the timing
        alone = min(pool.map(_spin, [n]) for _ in range(2))[0]
        started = time.perf_counter()
        pool.map(_spin, [n, n], chunksize=1)
        together = time.perf_counter() - started
    ceiling = 2 * alone / together
    rows.append(Row("machine: 2 busy loops vs 1", f"{ceiling:.2f}x work/s", f"1 loop {alone:.2f} s, 2 at once "
                    f"{together:.2f} s", "", "(ceiling for 2 workers)"))  # fmt: skip
    return ceiling


PHOTOS = ROOT / "samples" / "other_hands" / "scanned" / "dev" / "inbox" / "photos"


def photo_row(scans: list[Path], reps: int) -> Row:
    """extractors.photo on phone photos (find the page, warp to A4, even the light), beside what every flat
    scan page pays for being checked (the same call, which finds no page and returns it untouched)."""
    photos = [cv2.imread(str(p)) for p in sorted(PHOTOS.glob("*.jpg"))]
    flat = [page for p in scans for page in bench_ocr._pages(p)]

    def ms_page(images: list) -> float:
        times = []
        for _ in range(max(1, reps)):
            t = time.perf_counter()
            for image in images:
                photo.flatten_photo(image)
            times.append(time.perf_counter() - t)
        return 1000 * statistics.median(times) / max(1, len(images))

    return Row(f"photo correction, {len(photos)} photos", f"{ms_page(photos):.0f} ms/page",
               f"flat scan checked {ms_page(flat):.0f} ms/page", "", "(before OCR)")  # fmt: skip


def seal_row(count: int) -> Row:
    """Seal ring reading (unroll + recognise) on registry units' seals stamped over text (bench/seal_set.py)."""
    from bench.bench_seals import read_unit
    from bench.seal_set import seal_cases
    from schemas.units import UnitRegistry

    cases = seal_cases()[:count]
    registry, engine = UnitRegistry.load(), bench_ocr.ocr.get_engine()
    results = [read_unit(case, registry, engine) for case in cases]
    right = sum(got == case.unit_id for case, (got, _, _) in zip(cases, results, strict=True))
    ms = 1000 * statistics.mean(seconds for _, _, seconds in results)
    return Row(f"seal ring reading, {len(cases)} seals", f"{ms:.0f} ms/seal", f"unit right {right}/{len(cases)}",
               "", "(bench_seals.py: every unit)")  # fmt: skip


def bench_scans(root: Path, pages: int, reps: int, rows: list[Row], rss: TreeRss, quick: bool) -> None:
    scans = sorted(p for p in (SAMPLES / "scans").iterdir() if p.suffix.lower() != ".json")
    files = take_pages(scans, pages, cycle=False)
    worker_files = files if quick else scans  # the worker rows: every sample scan, so both workers stay busy
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
    rows.append(photo_row(files, reps))
    rows.append(seal_row(4 if quick else 20))

    # Workers: the scans as one batch, each worker loading its model. One worker runs onnxruntime on both
    # cores (the default: INTAKE_OCR_THREADS = cores ÷ workers), so it is timed with 2 threads and with 1.
    inbox = root / "scan-inbox"
    inbox.mkdir()
    batch = worker_files if len(worker_files) >= 2 else worker_files * 2
    for i, src in enumerate(batch):
        shutil.copyfile(src, inbox / f"{i:02d}-{src.name}")
    paths = discover(inbox)
    pages_batch = sum(page_count(p) for p in paths)
    times, cores, peaks = {}, {}, []
    rss.mark()
    for workers, threads in ((1, 2), (1, 1), (2, 1)):
        with IsolatedRunner(workers, Limits.from_env(), ocr_threads=threads) as runner:
            times[workers, threads], _ = timed(lambda r=runner: r.process_all(paths, inbox))
        mb, cpu = rss.mark()
        cores[workers, threads] = cpu / times[workers, threads]  # < 2 on a 2-core machine: others had the CPUs
        peaks.append(mb)
    per_page = {k: f"{v / pages_batch:.2f}" for k, v in times.items()}
    speedup = times[1, 1] / times[2, 1]
    ceiling = machine_ceiling(rows)
    rows.append(Row(f"scans, 2 workers vs 1, {pages_batch} pages", f"{speedup:.2f}x faster",
                    f"s/page: 1 worker {per_page[1, 1]}, 2 workers {per_page[2, 1]} (1 OCR thread each); "
                    f"{speedup / ceiling:.0%} of the machine's 2-loop gain",
                    f"{times[2, 1] / times[1, 1]:.2f}x time", "≥ 1.7x", verdict(speedup >= 1.7)))  # fmt: skip
    rows.append(Row("scans, 2 workers vs 1 on both cores", f"{times[1, 2] / times[2, 1]:.2f}x faster",
                    f"s/page: 1 worker × 2 OCR threads {per_page[1, 2]}, 2 workers × 1 {per_page[2, 1]}",
                    f"{times[2, 1] / times[1, 2]:.2f}x time", "(the default either way)"))  # fmt: skip
    busy = " / ".join(f"{cores[k]:.2f}" for k in ((1, 2), (1, 1), (2, 1)))
    rows.append(Row("scans, cores busy, 1×2 / 1×1 / 2×1", busy,
                    f"of {os.cpu_count()}; load average {os.getloadavg()[0]:.1f}", "", "(both busy)"))  # fmt: skip
    mb = max(peaks)
    rows.append(Row("peak RSS, scan workers", f"{mb:.0f} MB", "process tree, incl. this process's OCR model",
                    "", "", ""))  # fmt: skip


def bench_engines(reps: int, quick: bool, rows: list[Row]) -> None:
    """The OCR engines side by side, each in a fresh process (engine_compare.py)."""
    configs = ("rapidocr", "paddleocr") if quick else tuple(engine_compare.CONFIGS)
    for r in engine_compare.compare(reps=reps, quick=quick, configs=configs):
        rows.append(Row(f"OCR engine {r['config']}", f"{r['s_page']:.2f} s/page",
                        f"{r['cpu_page']:.2f} cpu-s/page, load {r['load_s']:.1f} s, peak RSS {r['peak_rss_mb']:.0f} MB,"
                        f" install {r['install_mb']:.0f} MB; {engine_compare.accuracy_text(r)}"))  # fmt: skip


def bench_batch(root: Path, n: int, rows: list[Row]) -> None:
    """A deadline batch through `intake run` (Prefect, 2 workers) in a fresh process: peak memory of its tree."""
    inbox = root / "batch-inbox"
    counts = build_mixed_inbox(inbox, n)
    out = root / "batch-out"
    # --settle 0: the files were written a moment ago; a drop on the share would be minutes old
    command = [sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--out", str(out), "--settle", "0"]
    started = time.perf_counter()
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as run:
        with TreeRss(root=run.pid, pss=True) as tree:  # the command's tree only, not this process's own models
            output, _ = run.communicate()
    seconds = time.perf_counter() - started
    mb, _, pss = tree.mark_all()
    assert run.returncode in (0, 3), output
    mix = ", ".join(f"{v} {k}" for k, v in counts.items())
    rows.append(Row(f"batch of {n} via `intake run`", f"{seconds:.0f} s", mix, f"{n / seconds:.2f} files/s"))
    held = ", ".join(f"{k} {v:.0f}" for k, v in sorted(tree.at_peak_pss.items(), key=lambda kv: -kv[1]))
    rows.append(Row(f"peak memory, batch of {n}", f"PSS {pss:.0f} MB", f"RSS summed {mb:.0f} MB; at peak: {held}",
                    "", "≤ 2048 MB", verdict(pss <= 2048)))  # fmt: skip


def build_mixed_inbox(inbox: Path, n: int) -> dict[str, int]:
    """`n` distinct files, as a spring deadline brings them: 60 % Word, 25 % text PDF, 15 % scans. Copies get
    a few trailing bytes each (after the zip's comment, PDF's %%EOF or image's end marker: every reader
    ignores them), so no two are byte-identical duplicates that the pipeline would skip."""
    kinds = {
        "Word": sorted(p for p in SAMPLES.glob("*.docx") if "upload_interrupted" not in p.name),
        "text PDF": sorted((SAMPLES / "pdf").glob("*.pdf")),
        "scans": sorted(p for p in (SAMPLES / "scans").iterdir() if p.suffix.lower() != ".json"),
    }
    counts = {"Word": round(n * 0.60), "text PDF": round(n * 0.25)}
    counts["scans"] = n - sum(counts.values())
    inbox.mkdir(parents=True)
    for kind, sources in kinds.items():
        for i in range(counts[kind]):
            src = sources[i % len(sources)]
            dest = inbox / kind.replace(" ", "-") / f"{i:04d}-{src.name}"
            dest.parent.mkdir(exist_ok=True)
            if kind == "Word":
                bench_rerun.copy_distinct(src, dest, i)
            else:
                dest.write_bytes(src.read_bytes() + f"\n% bench copy {i}\n".encode())
    return counts


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
    parser.add_argument("--batch", type=int, default=300, help="files in the mixed `intake run` batch (0: skip)")
    parser.add_argument("--reps", type=int, default=None, help="repeats per PDF / scan timing (default 3 / 1)")
    parser.add_argument("--quick", action="store_true", help="one repeat of everything (smoke test)")
    parser.add_argument("--keep", type=Path, help="build in this (empty) folder and keep it")
    parser.add_argument("--only", choices=["word"], help="word: just the 'Word, 1 process' row")
    args = parser.parse_args(argv)
    # Prefect configured as `intake run` configures it (its logs to a file, not to its API), before its import
    log_dir = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    quiet_prefect(log_dir)
    use_prefect_home(log_dir)  # Prefect's database beside the logs, not in ~/.prefect
    pdf_reps = args.reps or (1 if args.quick else 3)
    word_reps = args.reps or (1 if args.quick else 3)
    scan_reps = args.reps or 1
    print(f"bench_all {datetime.now():%Y-%m-%d %H:%M}, python {platform.python_version()}")
    print(machine_line())
    rows: list[Row] = []
    started = time.perf_counter()
    with workdir(args.keep) as root, TreeRss() as rss:
        sections = [
            ("Word", lambda: word_inbox.append(bench_word(root, args.docx, word_reps, rows, rss))),
            ("commands", lambda: bench_commands(root, word_inbox[0], args.docx, rows)),
            ("text PDF", lambda: bench_pdfs(args.pdf_pages, pdf_reps, rows)),
            ("scans", lambda: bench_scans(root, args.scan_pages, scan_reps, rows, rss, args.quick)),
            ("OCR engines", lambda: bench_engines(scan_reps, args.quick, rows)),
        ]
        if args.batch:
            sections.append(("batch", lambda: bench_batch(root, args.batch, rows)))
        if args.only == "word":
            sections = [("Word", lambda: bench_word_one(root, args.docx, rows))]
        word_inbox: list[Path] = []
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
    print(f"total {time.perf_counter() - started:.0f} s; Prefect's and the workers' logs: {log_dir}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
