"""Regenerate the Word samples and their ground truth.

    python -m samples.generate [--out samples]      # or: python samples/generate.py

Writes <out>/inbox/<file>.docx and <out>/truth/<file>.docx.json for every spec, byte for byte the same on
every run. Files other scripts put in the inbox (PDFs, scans) are left alone.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from samples.generator import SPECS, dumps, render, truth_file_name, truth_for  # noqa: E402


def generate(out: Path) -> list[str]:
    """Write every sample and its truth under `out`; returns the inbox-relative names written."""
    inbox, truth_dir = out / "inbox", out / "truth"
    inbox.mkdir(parents=True, exist_ok=True)
    truth_dir.mkdir(parents=True, exist_ok=True)
    rendered: dict[str, bytes] = {}
    for spec in SPECS:
        rendered[spec.file] = render(spec, rendered)
        (inbox / spec.file).write_bytes(rendered[spec.file])
        text = dumps(truth_for(spec, "docx", stamped=False))
        (truth_dir / truth_file_name(spec.file)).write_text(text, encoding="utf-8")
    return [spec.file for spec in SPECS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Regenerate samples/inbox/*.docx and samples/truth/*.json")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parent,
                        help="folder that receives inbox/ and truth/ (default: samples/)")
    args = parser.parse_args(argv)
    names = generate(args.out)
    print(f"wrote {len(names)} samples and their truth under {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
