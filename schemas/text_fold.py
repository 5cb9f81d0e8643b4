"""Width folding: the one place where full-width and other compatibility forms become plain characters.

Word, WPS and OCR write the same character in several code points: full-width ASCII (１３８, （）：＠),
the ideographic space, half-width CJK punctuation (｡､), and, from OCR and old fonts, Kangxi radicals
(⼈ U+2F08) and CJK compatibility ideographs (U+F900-FAFF) that look exactly like the common character.
`to_halfwidth` folds each of them to the character NFKC (Unicode's compatibility normalisation) gives,
one character for one, so positions and lengths are kept (the value parsers rely on that). Characters
whose NFKC form is longer (…→..., ㎡→m2) are left alone.
"""

from __future__ import annotations

import unicodedata

__all__ = ["to_halfwidth"]

# The blocks whose compatibility forms appear in forms and OCR output. Built from Python's own Unicode
# database rather than listed by hand, so a newer Python brings newer data with it.
_FOLDED_BLOCKS = (
    (0x2E80, 0x2EFF),  # CJK radicals supplement (⺟)
    (0x2F00, 0x2FDF),  # Kangxi radicals (⼈, ⼝)
    (0x3000, 0x3000),  # ideographic space
    (0xF900, 0xFAFF),  # CJK compatibility ideographs
    (0xFE30, 0xFE4F),  # CJK compatibility forms (vertical brackets ︵)
    (0xFE50, 0xFE6F),  # small form variants (﹫﹣)
    (0xFF01, 0xFFEF),  # half-width and full-width forms
    (0x2F800, 0x2FA1F),  # CJK compatibility ideographs supplement
)


def _fold_table() -> dict[int, int]:
    table: dict[int, int] = {}
    for first, last in _FOLDED_BLOCKS:
        for code in range(first, last + 1):
            folded = unicodedata.normalize("NFKC", chr(code))
            if len(folded) == 1 and folded != chr(code):
                table[code] = ord(folded)
    return table


_FOLD = _fold_table()


def to_halfwidth(text: str) -> str:
    """Full-width and other compatibility forms to their plain character, one for one (length kept)."""
    return text.translate(_FOLD)
