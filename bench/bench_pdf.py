"""Text-PDF extraction speed: pages per second on one core, against raw pdfplumber on the same pages.

    python bench/bench_pdf.py [--repeat 3] [PDF ...]      # default: samples/inbox/pdf/*.pdf

"raw" is what any pdfplumber reader pays at least: ``find_tables()`` (lines strategy) and
``extract_words()`` on every page. The ratio says what our layout, tick, form-field and seal work
adds on top. Target: ≥ 5 pages/s. Run it with nothing else busy; it uses one process.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pdfplumber  # noqa: E402

from extractors import pdf  # noqa: E402
from extractors.pdf_text import TABLE_SETTINGS  # noqa: E402

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "samples" / "inbox" / "pdf"
TARGET_PAGES_PER_S = 5.0


def raw_pass(path: Path) -> int:
    with pdfplumber.open(path) as doc:
        for page in doc.pages:
            page.find_tables(TABLE_SETTINGS)
            page.extract_words()
            page.close()
        return len(doc.pages)


def ours(path: Path) -> int:
    return pdf.extract(path).page_count


def timed(fn, files: list[Path], repeat: int) -> tuple[int, float]:
    """Pages and best-of-``repeat`` seconds for one pass over ``files``."""
    best, pages = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        pages = sum(fn(f) for f in files)
        best = min(best, time.perf_counter() - start)
    return pages, best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    files = args.pdfs or sorted(DEFAULT_DIR.glob("*.pdf"))
    if not files:
        print(f"no PDFs given and none in {DEFAULT_DIR} (run python -m samples.make_pdfs)")
        return 2
    ours(files[0])  # warm imports and font caches outside the timing
    pages, ours_s = timed(ours, files, args.repeat)
    _, raw_s = timed(raw_pass, files, args.repeat)
    rate = pages / ours_s
    print(f"files: {len(files)}  pages: {pages}  repeat: best of {args.repeat}")
    print(f"extractors.pdf      : {ours_s:6.2f} s  {rate:6.1f} pages/s  ({1000 * ours_s / pages:.0f} ms/page)")
    print(f"raw pdfplumber      : {raw_s:6.2f} s  {pages / raw_s:6.1f} pages/s  (find_tables + extract_words)")
    print(f"ours / raw time     : {ours_s / raw_s:6.2f}x")
    print(f"target ≥ {TARGET_PAGES_PER_S:.0f} pages/s : {'met' if rate >= TARGET_PAGES_PER_S else 'NOT met'}")
    return 0 if rate >= TARGET_PAGES_PER_S else 1


if __name__ == "__main__":
    sys.exit(main())
