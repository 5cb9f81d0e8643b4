"""How fast and how right the scan extractor is, against raw OCR on the same pages; the OCR engines side by side.

    python bench/bench_ocr.py [--reps 3] [--scales 0.75 1.0] [files ...]
    python bench/bench_ocr.py --engines [--reps 1] [--quick]

``--engines``: every installed engine setting (engine_compare.CONFIGS) in a fresh process of its own, each
with one OCR thread: s/page and CPU s/page of the whole per-file pipeline, model load, peak RSS, install size,
the probe's character accuracy and the fields read right on the scan samples and, where present, on the
"other hands" scans (dev and held-out test sets). See engine_compare.py.

Default pages: the OCR probe (clean.png, stamped.jpg with its ground truth) and every file under
samples/inbox/scans/. For each page it times, interleaved and after warm-up:
  raw       decode + one OCR call on the page as it is (what any OCR tool would do),
  pipeline  scan.extract / extract_pages: seals, red removal, OCR, turning, deskew, ticks, grid, layout.
Prints s/page (median and best), pipeline ÷ raw, peak RSS, and the probe's character accuracy
(per ocr-findings.md: 1 − edit distance / length over the form's values). ``--scales`` reruns the
probe shrunk (0.75 ≈ 150 dpi) to show what a lower rendering resolution costs in accuracy.
This machine's speed swings about 2× with other load, so compare numbers from one run only.
"""

from __future__ import annotations

import argparse
import json
import re
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import cv2  # noqa: E402
from rapidfuzz.distance import Levenshtein  # noqa: E402

from extractors import ocr, render, scan  # noqa: E402
from extractors.model import Table  # noqa: E402
from samples.make_probe import PROBE_DIR  # noqa: E402

PROBE = PROBE_DIR  # made by the repository: python -m samples.make_probe


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def probe_accuracy(doc) -> float | None:
    """Character accuracy of the probe form's values, read label → right-hand cell."""
    gt_path = PROBE / "gt.json"
    if not gt_path.is_file():
        return None
    pairs: dict[str, str] = {}
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for left, right in zip(row, row[1:], strict=False):
                    pairs.setdefault(_squash(left.text), right.text)
    chars = errors = 0
    for cell in json.loads(gt_path.read_text(encoding="utf-8"))["cells"]:
        want = _squash(cell["value"])
        chars += len(want)
        errors += Levenshtein.distance(want, _squash(pairs.get(cell["label"], "")))
    return 1 - errors / chars


def _pages(path: Path) -> list:
    if path.suffix.lower() == ".pdf":
        return render.render_pdf_pages(path)
    return render.load_image_pages(path)


def bench_file(path: Path, engine: ocr.OcrEngine, reps: int) -> dict:
    is_pdf = path.suffix.lower() == ".pdf"
    raw_times, pipe_times, raw_cpu, pipe_cpu = [], [], [], []
    doc = None
    for _ in range(reps):
        t, c = time.perf_counter(), time.process_time()
        for page in _pages(path):  # raw: decode/render, then OCR the page as it is
            engine.read(page)
        raw_times.append(time.perf_counter() - t)
        raw_cpu.append(time.process_time() - c)
        t, c = time.perf_counter(), time.process_time()
        doc = scan.extract_pages(_pages(path), path, "pdf_scan") if is_pdf else scan.extract(path)
        pipe_times.append(time.perf_counter() - t)
        pipe_cpu.append(time.process_time() - c)
    n = doc.page_count if doc else 1
    return {
        "file": path.name,
        "pages": n,
        "raw_s_page": statistics.median(raw_times) / n,
        "pipe_s_page": statistics.median(pipe_times) / n,
        "pipe_best_s_page": min(pipe_times) / n,
        "ratio_median": statistics.median(pipe_times) / statistics.median(raw_times),
        "ratio_best": min(pipe_times) / min(raw_times),
        # CPU seconds (all threads) hardly depend on what else runs on the machine: the fairer ratio.
        "raw_cpu_page": statistics.median(raw_cpu) / n,
        "pipe_cpu_page": statistics.median(pipe_cpu) / n,
        "accuracy": probe_accuracy(doc) if path.parent == PROBE else None,
        "seals": len(doc.seals) if doc else 0,
    }


def bench_scales(scales: list[float], engine: ocr.OcrEngine, reps: int) -> None:
    for name in ("clean.png", "stamped.jpg"):
        image = cv2.imread(str(PROBE / name))
        for scale in scales:
            page = cv2.resize(image, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
            times, doc = [], None
            for _ in range(reps):
                t = time.perf_counter()
                doc = scan.extract_pages([page], PROBE / name, "image")
                times.append(time.perf_counter() - t)
            # Accuracy needs the ground truth's pixel boxes only through the grid, so any scale works.
            acc = probe_accuracy(doc)
            print(f"  {name:12s} at {200 * scale:.0f} dpi: {statistics.median(times):.2f} s/page, accuracy {acc:.3f}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--scales", type=float, nargs="*", default=[])
    parser.add_argument("--engines", action="store_true", help="compare the installed OCR engines")
    parser.add_argument("--quick", action="store_true", help="with --engines: the probe's clean page only")
    args = parser.parse_args(argv)
    if args.engines:
        import engine_compare

        return engine_compare.main(["--reps", str(args.reps), *(["--quick"] if args.quick else [])])
    files = args.files or [
        *(p for p in (PROBE / "clean.png", PROBE / "stamped.jpg") if p.is_file()),
        *sorted((ROOT / "samples" / "inbox" / "scans").glob("*")),
    ]
    started = time.perf_counter()
    engine = ocr.get_engine()
    engine.read(cv2.imread(str(files[0])) if files[0].suffix.lower() != ".pdf" else _pages(files[0])[0])
    print(f"engine {engine.name}, model load + first page {time.perf_counter() - started:.2f} s")
    rows = [bench_file(p, engine, args.reps) for p in files]
    print(f"{'file':44s} pages  raw s/p  pipe s/p (best)  pipe/raw med (best)  cpu-s/p raw pipe  accuracy  seals")
    for r in rows:
        acc = f"{r['accuracy']:.3f}" if r["accuracy"] is not None else "-"
        print(
            f"{r['file'][:44]:44s} {r['pages']:5d}  {r['raw_s_page']:7.2f}  {r['pipe_s_page']:8.2f}"
            f" ({r['pipe_best_s_page']:.2f})  {r['ratio_median']:8.2f} ({r['ratio_best']:.2f})"
            f"  {r['raw_cpu_page']:7.2f} {r['pipe_cpu_page']:5.2f}  {acc:>8s}  {r['seals']:5d}"
        )
    pages = sum(r["pages"] for r in rows)
    raw = sum(r["raw_s_page"] * r["pages"] for r in rows)
    pipe = sum(r["pipe_s_page"] * r["pages"] for r in rows)
    raw_cpu = sum(r["raw_cpu_page"] * r["pages"] for r in rows)
    pipe_cpu = sum(r["pipe_cpu_page"] * r["pages"] for r in rows)
    print(f"CPU s/page: raw {raw_cpu / pages:.2f}, pipeline {pipe_cpu / pages:.2f}, ratio {pipe_cpu / raw_cpu:.2f}")
    print(
        f"all {pages} pages: raw {raw / pages:.2f} s/page, pipeline {pipe / pages:.2f} s/page, ratio {pipe / raw:.2f}"
    )
    if args.scales:
        print("probe at other resolutions:")
        bench_scales(args.scales, engine, args.reps)
    print(f"peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
