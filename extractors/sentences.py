"""Where a sentence of running text ends: shared by the text-PDF and scan readers, which both join a paragraph
that a page break cut."""

from __future__ import annotations

SENTENCE_END = "。！？；：!?;…"
_CLOSERS = "”’」』）)】"


def ends_sentence(text: str) -> bool:
    """The text ends a sentence (closing quotes and brackets after the stop allowed)."""
    core = text.rstrip().rstrip(_CLOSERS)
    return bool(core) and core[-1] in SENTENCE_END
