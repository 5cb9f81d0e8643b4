"""Regenerates the image family: ``python -m samples.other_hands.images [--only S01 P3 …]``.

Writes samples/other_hands/scanned/{dev,test}/inbox/{scans,grey,fax,photos,seals}/ and the matching truth files; leaves
every other folder (the Word/PDF family's word/ and pdf/) alone. Deterministic: the same code gives the same bytes.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time

from .build import OUT_ROOT, build
from .catalogue import RECIPES, instances

FAMILIES = sorted({r.family for r in RECIPES})


def clean() -> None:
    """Removes this family's previous output (only its own subfolders and truth files)."""
    for split in ("dev", "test"):
        for family in FAMILIES:
            shutil.rmtree(OUT_ROOT / split / "inbox" / family, ignore_errors=True)
            for truth in (OUT_ROOT / split / "truth").glob(f"{family}__*.json"):
                truth.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=[], help="recipe keys (S01, G2 …) to rebuild, both splits")
    args = parser.parse_args(argv)
    todo = [i for i in instances() if not args.only or i.recipe.key in args.only]
    if not args.only:
        clean()
    started = time.time()
    for n, inst in enumerate(todo, start=1):
        t0 = time.time()
        doc = build(inst)
        print(
            f"[{n:2d}/{len(todo)}] {inst.split:4s} {inst.recipe.key:3s} {inst.rel_path:45s} {inst.unit.unit_id:18s} "
            f"{doc['pages']}p {len(doc['exceptions'])}exc {time.time() - t0:5.1f}s",
            flush=True,
        )
    print(f"{len(todo)} files in {time.time() - started:.0f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
