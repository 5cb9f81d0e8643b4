"""Seconds per text-PDF page on the peers' test files (tests/peers/): the slowest pages, one row each.

    python bench/bench_peers.py [--top 10] [--repeat 1] [PDF ...]     # default: tests/peers/**/*.pdf

Each page with a usable text layer is read the way ``extractors.pdf`` reads it (``pdf.read_text_page``:
orientation, characters, tables, ticks, form fields, seals) and timed alone, so one slow page cannot hide
in a file's total. Scanned pages (OCR) are left out: their cost is bench_ocr.py's. Aim: no text-PDF page
over 2 s. It uses one process; the verdict is on CPU seconds (best of ``--repeat``), which other load on
a shared machine hardly moves; wall seconds are printed beside them.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pdfplumber  # noqa: E402
import pypdfium2 as pdfium  # noqa: E402
from pdfplumber.utils.exceptions import MalformedPDFException, PdfminerException  # noqa: E402

from extractors import pdf, pdf_text  # noqa: E402
from extractors.pdf_seals import pdfium_crop_renderer  # noqa: E402

PEERS = Path(__file__).resolve().parent.parent / "tests" / "peers"
AIM_SECONDS = 2.0


@dataclass
class PageTime:
    cpu: float
    seconds: float
    file: str
    page: int
    chars: int


def time_pages(path: Path, repeat: int) -> list[PageTime]:
    """Best-of-``repeat`` CPU and wall seconds for every text page of one PDF."""
    try:
        rendered = pdfium.PdfDocument(path)
    except (pdfium.PdfiumError, OSError):
        return []  # encrypted, empty or broken: refused before any page is read
    name = str(path.relative_to(PEERS) if path.is_relative_to(PEERS) else path)
    out = []
    try:
        with pdfplumber.open(path) as plumber, pdfium_crop_renderer(rendered) as render:
            for number, page in enumerate(plumber.pages, start=1):
                if not pdf.has_text_layer(page):
                    page.close()
                    continue
                chars = len(page.chars)
                best, best_cpu = float("inf"), float("inf")
                for _ in range(repeat):
                    page.close()  # drop pdfplumber's cached layout: each repeat parses the page again
                    start, start_cpu = time.perf_counter(), time.process_time()
                    pdf_text.read_page(page, number, render)
                    best_cpu = min(best_cpu, time.process_time() - start_cpu)
                    best = min(best, time.perf_counter() - start)
                page.close()
                out.append(PageTime(best_cpu, best, name, number, chars))
    except (PdfminerException, MalformedPDFException) as exc:  # pdfminer cannot parse it: reported, not timed
        print(f"skipped {name}: {type(exc).__name__}: {exc}")
    finally:
        rendered.close()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pdfs", nargs="*", type=Path)
    parser.add_argument("--top", type=int, default=10)
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args(argv)
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    files = args.pdfs or sorted(PEERS.rglob("*.pdf"))
    started = time.perf_counter()
    times = [t for f in files for t in time_pages(f, args.repeat)]
    if not times:
        print("no text-PDF pages found")
        return 2
    times.sort(key=lambda t: t.cpu, reverse=True)
    total = sum(t.cpu for t in times)
    wall = time.perf_counter() - started
    print(f"files: {len(files)}  text pages: {len(times)}  page CPU seconds: {total:.1f}  wall: {wall:.1f} s")
    print(f"{'CPU s':>7} | {'wall s':>7} | {'chars':>6} | page | file")
    for t in times[: args.top]:
        print(f"{t.cpu:7.2f} | {t.seconds:7.2f} | {t.chars:6d} | {t.page:4d} | {t.file}")
    slowest = times[0]
    verdict = "met" if slowest.cpu <= AIM_SECONDS else "NOT met"
    where = f"{slowest.file} p{slowest.page}"
    print(f"slowest text-PDF page: {slowest.cpu:.2f} CPU s ({where}); aim ≤ {AIM_SECONDS:.0f} s: {verdict}")
    return 0 if slowest.cpu <= AIM_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
