"""Names that say "I am a copy": what Windows, WPS, macOS and phones add when a file is copied or saved twice.

Two byte-identical files are one submission; the one named like a copy of the other is the duplicate, whatever
order they reached the inbox in (`X(1).pdf` sorts before `X.pdf`, because `(` sorts before `.`).
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

# Decorations around a stem: "X - 副本", "X - Copy", "X 副本", "X的副本", "X(1)", "X（2）", "X - 副本 (2)",
# "X（副本）", "复件 X", "Copy of X". Applied repeatedly, so "X - 副本(1)" is a copy of X too.
_SUFFIX = re.compile(
    r"(?:\s*-\s*(?:副本|复件|copy)|\s*的?副本|\s*[(（](?:\d{1,3}|副本|复件|copy)[)）]|\s+copy)$", re.IGNORECASE
)
_PREFIX = re.compile(r"^(?:复件\s*|副本\s*[-_]?\s*|copy of\s+)", re.IGNORECASE)


def plain_stem(name: str) -> str:
    """The file's name without folder, extension and copy decorations."""
    stem = PurePosixPath(name).stem.strip()
    while True:
        shorter = _PREFIX.sub("", _SUFFIX.sub("", stem)).strip()
        if shorter == stem or not shorter:
            return stem
        stem = shorter


def is_copy_name_of(name: str, other: str) -> bool:
    """True when `name` is `other` with a copy decoration added (same folder, same extension)."""
    a, b = PurePosixPath(name), PurePosixPath(other)
    if a.parent != b.parent or a.suffix.lower() != b.suffix.lower() or a.stem == b.stem:
        return False
    return plain_stem(a.name) == b.stem.strip()
