"""How long does a re-run take when nothing is new? The cost a scheduled `intake run` pays every time.

    python bench/bench_rerun.py [--files 1000] [--workers 2] [--keep DIR]

Builds an inbox of N distinct Word files (the committed samples, each copy made unique by its zip comment,
so every one is a separate submission to read), runs the incremental pipeline once to fill the ledger
(the first run), then times re-runs with no new file:
- in-process: `run_incremental` again (what `intake watch` / a served flow pays per run);
- command line: `intake run --no-prefect` in a fresh process (what a cron job pays, interpreter start-up
  and imports included).
Aim (issue "Run unattended"): re-run ≤ 2 s and ≤ 5 % of the first run's time.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.options import RunOptions  # noqa: E402
from flows.run_once import pooled  # noqa: E402
from flows.state.incremental import run_incremental  # noqa: E402

AIM_SECONDS, AIM_SHARE = 2.0, 0.05


def build_inbox(inbox: Path, files: int) -> None:
    sources = sorted(p for p in (ROOT / "samples" / "inbox").glob("*.docx") if "upload_interrupted" not in p.name)
    for i in range(files):
        src = sources[i % len(sources)]
        dest = inbox / f"batch{i // 100:02d}" / f"{i:04d}-{src.name}"
        dest.parent.mkdir(parents=True, exist_ok=True)
        copy_distinct(src, dest, i)


def copy_distinct(src: Path, dest: Path, i: int) -> None:
    """A copy of a .docx with a new zip comment: different bytes, same document."""
    shutil.copyfile(src, dest)
    with zipfile.ZipFile(dest, "a") as zf:
        zf.comment = f"bench copy {i}".encode()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="build in this folder and keep it (default: a temp folder)")
    args = parser.parse_args(argv)
    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-rerun-"))
    inbox, out = root / "inbox", root / "out"
    if not inbox.exists():
        build_inbox(inbox, args.files)
    opts = RunOptions(inbox, out, prefect=False, workers=args.workers)

    started = time.perf_counter()
    first = run_incremental(inbox, out, settle_s=0, process=pooled(opts))
    first_s = time.perf_counter() - started
    print(f"first run: {first.extracted} files read in {first_s:.1f} s ({args.workers} workers)")

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        again = run_incremental(inbox, out, settle_s=0, process=pooled(opts))
        timings.append(time.perf_counter() - started)
        assert again.extracted == 0, f"a re-run read {again.extracted} files"
    rerun_s = min(timings)
    print(f"re-run, in-process:   {rerun_s:.2f} s over {again.unchanged} unchanged files (best of 3)")

    cli = [sys.executable, "-m", "flows.cli", "run", "--inbox", str(inbox), "--out", str(out), "--no-prefect"]
    started = time.perf_counter()
    done = subprocess.run([*cli, "--settle", "0"], capture_output=True, text=True, cwd=ROOT)
    cli_s = time.perf_counter() - started
    assert "实际读取 0 个" in done.stdout, done.stdout + done.stderr
    print(f"re-run, command line: {cli_s:.2f} s (fresh process, imports included)")

    for label, seconds in (("in-process", rerun_s), ("command line", cli_s)):
        share = seconds / first_s
        verdict = "ok" if seconds <= AIM_SECONDS and share <= AIM_SHARE else "MISSED"
        print(f"{label}: {seconds:.2f} s = {100 * share:.1f} % of the first run — aim ≤ {AIM_SECONDS:.0f} s and "
              f"≤ {100 * AIM_SHARE:.0f} %: {verdict}")  # fmt: skip
    if not args.keep:
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
