"""Checkboxes and ticks in Word: controls become ``☑``/``☐``, symbol-font ticks their Unicode look-alike.

- Word 2010 content-control checkboxes (``w14:checkbox``) and legacy FORMCHECKBOX fields become ``☑``
  (ticked) or ``☐`` (empty); the glyph or result text Word shows next to them is not read twice.
- Ticks drawn with a symbol font (``w:sym``, or a run whose font is Wingdings / Wingdings 2 / Symbol) are
  mapped by ``SYMBOL_MAP`` to the Unicode glyph they look like: empty boxes → ``☐``, box with tick →
  ``☑``, box with a cross → ``☒``, tick → ``√``, cross → ``✗``, filled square → ``■``. Unmapped symbol
  characters are kept as read (private-use code points).
- Ticks typed as text (``（√）``, ``■``) are never touched.
"""

from __future__ import annotations

from .docx_xml import W14, W, on
from .model import TICKED, UNTICKED

# Symbol-font code (low byte, 0x20–0xFF; Word also writes them as 0xF0xx) → glyph it looks like.
SYMBOL_MAP: dict[str, dict[int, str]] = {
    "wingdings": {
        0x6F: UNTICKED,
        0x70: UNTICKED,
        0x71: UNTICKED,
        0x72: UNTICKED,
        0xA8: UNTICKED,  # empty boxes
        0xFE: TICKED,  # box with tick
        0xFD: "☒",
        0x78: "☒",  # box with cross
        0xFC: "√",
        0xFB: "✗",
        0x6E: "■",
    },
    "wingdings 2": {
        0xA3: UNTICKED,
        0xA4: UNTICKED,
        0xA5: UNTICKED,
        0xA6: UNTICKED,
        0x2A: UNTICKED,
        0x52: TICKED,
        0x51: "☒",
        0x53: "☒",
        0x54: "☒",
        0x50: "√",
        0x4F: "✗",
        0xA2: "■",
    },
    "symbol": {0xD6: "√"},
}


class Fields:
    """Complex-field nesting; text inside a FORMCHECKBOX field is replaced by its glyph."""

    __slots__ = ("stack", "hidden")

    def __init__(self) -> None:
        self.stack: list[bool] = []
        self.hidden = 0

    def begin(self, is_checkbox: bool) -> None:
        self.stack.append(is_checkbox)
        self.hidden += is_checkbox

    def end(self) -> None:
        if self.stack:
            self.hidden -= self.stack.pop()


def control_checkbox(sdt_pr) -> str | None:
    """The glyph for a content-control checkbox (``w14:checkbox`` in the control's properties), else None."""
    box = sdt_pr.find(W14 + "checkbox")
    if box is None:
        return None
    return TICKED if on(box.find(W14 + "checked")) else UNTICKED


def field_char(c, parts: list[str], fields: Fields) -> None:
    """A ``w:fldChar``: a FORMCHECKBOX field's begin writes its glyph and hides the field's own text."""
    kind = c.get(W + "fldCharType")
    if kind == "begin":
        ff = c.find(W + "ffData")
        box = ff.find(W + "checkBox") if ff is not None else None
        if box is not None and not fields.hidden:
            parts.append(TICKED if _legacy_checked(box) else UNTICKED)
        fields.begin(box is not None)
    elif kind == "end":
        fields.end()


def _legacy_checked(box) -> bool:
    checked = box.find(W + "checked")
    if checked is not None:
        return on(checked)
    default = box.find(W + "default")
    return default is not None and on(default)


def symbol_font(rpr) -> str | None:
    """The run's symbol font (a ``SYMBOL_MAP`` key), if its fonts name one."""
    rfonts = rpr.find(W + "rFonts")
    if rfonts is None:
        return None
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        name = (rfonts.get(W + attr) or "").lower()
        if name in SYMBOL_MAP:
            return name
    return None


def sym(c) -> str:
    """A ``w:sym`` element as the glyph it shows."""
    try:
        code = int(c.get(W + "char") or "", 16)
    except ValueError:
        return ""
    low = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
    glyph = SYMBOL_MAP.get((c.get(W + "font") or "").lower(), {}).get(low)
    if glyph is not None:
        return glyph
    return chr(0xF000 + low if low < 0x100 else code)  # unmapped: keep the private-use code as read


def map_symbols(text: str, font: str) -> str:
    """Text typed in a symbol font (what WPS writes) as the glyphs it shows."""
    table = SYMBOL_MAP[font]
    out = []
    for ch in text:
        code = ord(ch)
        low = code - 0xF000 if 0xF000 <= code <= 0xF0FF else code
        out.append(table.get(low, ch))
    return "".join(out)
