"""More dev files from the same recipes with other seeds: ``python -m samples.other_hands.images.extra_dev SPLIT
FAMILY_LETTER... [--out DIR]`` (e.g. ``dev2 G F P S X``; letters are recipe keys' first letters: S scans, G grey,
F fax, P photos, X seals).

For tuning the reader where the committed dev set is small (5 grey, 5 fax files): the files land outside the
repository by default (/tmp/other_hands_extra/SPLIT/{inbox,truth}) and are never the held-out test set, whose
seeds are the catalogue's own. Units are drawn per recipe from the recipe's pool with the split's seed.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from .build import build
from .catalogue import RECIPES, Instance, file_name, pool


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("split", help="a name other than dev/test, e.g. dev2")
    parser.add_argument("families", nargs="+", help="first letters of recipe keys: S G F P X")
    parser.add_argument("--out", type=Path, default=Path("/tmp/other_hands_extra"))
    args = parser.parse_args(argv)
    if args.split in ("dev", "test"):
        parser.error("dev and test are the catalogue's own sets: pick another name")
    taken: set[str] = set()
    for recipe in RECIPES:
        if recipe.key[0] not in args.families:
            continue
        unit = random.Random(f"{args.split}-{recipe.key}").choice(pool(recipe.units))
        name = file_name(random.Random(f"{args.split}-{recipe.key}-name"), recipe, taken)
        inst = Instance(recipe, args.split, unit, name)
        build(inst, args.out)
        print(f"{recipe.key:3s} {inst.rel_path:45s} {unit.unit_id}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
