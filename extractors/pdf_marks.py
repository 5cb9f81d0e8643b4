"""Checkboxes and form fields of a text PDF page, turned into characters.

A tick can reach a PDF three ways. Typed glyphs (√ ✓ ☑ ■ □ ☒) are already text
and are left alone. A box drawn as a small vector square, ticked by a drawn
stroke inside it, becomes ``☑``/``☐``. An AcroForm widget (checkbox or text
field) carries its value in the form dictionary, not in the page text: its
value is written at the widget's position. Both come back as synthetic
pdfplumber-style characters, so they land in the right table cell and at the
right place in the line with no special casing later.
"""

from __future__ import annotations

from typing import Any

from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral

from extractors.model import TICKED, UNTICKED

BOX_MIN, BOX_MAX = 5.0, 20.0  # side of a drawn checkbox, in points
_FIELD_FLAG_PUSH = 1 << 16

# Symbol-font code points Word uses for boxes (Wingdings / Wingdings 2), as PUA or raw bytes.
_WINGDINGS = {"\xfe": TICKED, "\xa8": UNTICKED, "\xfc": "√", "\xfd": "☒", "o": "□", "n": "■"}
_WINGDINGS2 = {"R": TICKED, "\xa3": UNTICKED, "T": "☒", "P": "√", "Q": "☒", "S": "☒"}


def symbol_font_text(char: dict) -> str | None:
    """The Unicode tick/box a Wingdings glyph stands for, when the PDF kept the symbol font."""
    font = char.get("fontname", "").lower()
    if "wingdings" not in font:
        return None
    text = char["text"]
    if len(text) == 1 and 0xF000 <= ord(text) <= 0xF0FF:  # symbol fonts mapped into the PUA
        text = chr(ord(text) - 0xF000)
    table = _WINGDINGS2 if "wingdings2" in font.replace(" ", "").replace("-", "") else _WINGDINGS
    return table.get(text)


def synthetic_char(text: str, bbox: tuple[float, float, float, float], doctop_adj: float) -> dict:
    x0, top, x1, bottom = bbox
    size = max(bottom - top, 1.0)
    return {
        "text": text,
        "x0": x0,
        "x1": x1,
        "top": top,
        "bottom": bottom,
        "doctop": top + doctop_adj,
        "upright": True,
        "size": size,
        "fontname": "synthetic",
        "object_type": "char",
    }


def _is_box(obj: dict) -> bool:
    w, h = obj["x1"] - obj["x0"], obj["bottom"] - obj["top"]
    return BOX_MIN <= w <= BOX_MAX and BOX_MIN <= h <= BOX_MAX and abs(w - h) <= 0.2 * max(w, h)


def _closed(obj: dict) -> bool:
    """A rectangle, or a path of at least four points that ends where it starts (a drawn square)."""
    if obj["object_type"] == "rect":
        return True
    pts = obj.get("pts") or []
    return len(pts) >= 4 and abs(pts[0][0] - pts[-1][0]) < 1 and abs(pts[0][1] - pts[-1][1]) < 1


def _inside(obj: dict, box: dict, grow: float) -> bool:
    cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
    return (box["x0"] - grow <= cx <= box["x1"] + grow) and (box["top"] - grow <= cy <= box["bottom"] + grow)


def drawn_boxes(page: Any) -> tuple[list[dict], set[int]]:
    """Small vector squares → ☑/☐ characters, plus ids of the drawing objects to hide from the
    table finder (a box's edges would otherwise become a one-cell table)."""
    candidates = [o for o in page.rects + page.curves if _is_box(o) and o.get("stroke", True) and _closed(o)]
    boxes = {id(o) for o in candidates}
    marks = [o for o in page.lines + page.curves + page.rects if id(o) not in boxes]
    chars, hidden = [], set()
    taken: list[dict] = []
    adj = page.chars[0]["doctop"] - page.chars[0]["top"] if page.chars else 0.0
    for box in sorted(candidates, key=lambda o: (o["top"], o["x0"])):
        if any(_same_box(box, other) for other in taken):
            hidden.add(id(box))
            continue
        if any(_inside(c, box, 0) for c in page.chars):
            continue  # a typed glyph sits in the box: the glyph says what it means
        taken.append(box)
        hidden.add(id(box))
        side = box["x1"] - box["x0"]
        strokes = [m for m in marks if m is not box and _inside(m, box, 0.3 * side) and _small(m, side)]
        hidden.update(id(m) for m in strokes)
        chars.append(synthetic_char(TICKED if strokes else UNTICKED, _bbox(box), adj))
    return chars, hidden


def _same_box(a: dict, b: dict) -> bool:
    return all(abs(a[k] - b[k]) < 1.0 for k in ("x0", "x1", "top", "bottom"))


def _small(obj: dict, side: float) -> bool:
    return (obj["x1"] - obj["x0"]) <= 1.6 * side and (obj["bottom"] - obj["top"]) <= 1.6 * side


def _bbox(obj: dict) -> tuple[float, float, float, float]:
    return (obj["x0"], obj["top"], obj["x1"], obj["bottom"])


def form_field_chars(page: Any) -> list[dict]:
    """AcroForm widgets on the page → characters holding their values."""
    out = []
    adj = page.chars[0]["doctop"] - page.chars[0]["top"] if page.chars else 0.0
    for data, bbox in _widgets(page):
        kind, value, flags = _field_attrs(data)
        if kind == "Btn" and not flags & _FIELD_FLAG_PUSH:
            state = _name(data.get("AS")) or _name(value)
            on = bool(state) and state != "Off"
            out.append(synthetic_char(TICKED if on else UNTICKED, _square(bbox), adj))
        elif kind in ("Tx", "Ch") and value is not None:
            text = _text(value)
            if text.strip():
                x0, top, x1, bottom = bbox
                out.append(synthetic_char(text, (x0, top, max(x1, x0 + 1), bottom), adj))
    return out


def _widgets(page: Any) -> list[tuple[dict, tuple[float, float, float, float]]]:
    """The page's widget annotations with their boxes in pdfplumber's coordinates.

    Read one key at a time (``resolve1``), not through pdfplumber's ``page.annots``: that resolves every
    annotation whole, and a link whose action chain or a field whose parent points back at itself
    recurses without end (pdfplumber's federal-register test file).
    """
    annots = resolve1(page.page_obj.attrs.get("Annots"))
    out = []
    for ref in annots if isinstance(annots, list) else []:
        data = resolve1(ref)
        if not isinstance(data, dict) or _name(data.get("Subtype")) != "Widget":
            continue
        rect = resolve1(data.get("Rect"))
        try:
            x0, y0, x1, y1 = (float(resolve1(v)) for v in rect)
        except (TypeError, ValueError):
            continue  # no usable rectangle: nowhere to put the value
        out.append((data, _page_box(page, (x0, y0, x1, y1))))
    return out


def _page_box(page: Any, rect: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """A PDF rectangle (user space, y up) → (x0, top, x1, bottom) on the page as displayed, turned by its
    /Rotate the way pdfminer turns the characters."""
    mx0, my0, mx1, my1 = (float(v) for v in page.page_obj.mediabox)
    rotation = int(page.rotation) % 360

    def shown(x: float, y: float) -> tuple[float, float]:
        if rotation == 90:
            return y - my0, mx1 - x
        if rotation == 180:
            return mx1 - x, my1 - y
        if rotation == 270:
            return my1 - y, x - mx0
        return x - mx0, y - my0

    (ax, ay), (bx, by) = shown(rect[0], rect[1]), shown(rect[2], rect[3])
    height = float(page.height)
    return min(ax, bx), height - max(ay, by), max(ax, bx), height - min(ay, by)


def _square(bbox: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    # Checkbox widgets are often wider than tall; keep the glyph one em wide at the box's left.
    x0, top, x1, bottom = bbox
    return (x0, top, min(x1, x0 + (bottom - top)), bottom)


def _field_attrs(data: dict) -> tuple[str | None, Any, int]:
    """FT, V and Ff of a widget, inherited from its parent field when the widget lacks them."""
    kind, value, flags = None, None, None
    node: dict | None = data
    for _ in range(8):  # parent chains are short; guard against loops
        if node is None:
            break
        kind = kind or _name(node.get("FT"))
        value = value if value is not None else resolve1(node.get("V"))
        flags = flags if flags is not None else resolve1(node.get("Ff"))
        parent = resolve1(node.get("Parent"))
        node = parent if isinstance(parent, dict) else None
    return kind, value, int(flags or 0)


def _name(value: Any) -> str | None:
    value = resolve1(value)
    if isinstance(value, PSLiteral):
        name = value.name
        return name.decode("latin-1") if isinstance(name, bytes) else str(name)
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value if isinstance(value, str) else None


def _text(value: Any) -> str:
    value = resolve1(value)
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", errors="replace")
        if value.startswith(b"\xef\xbb\xbf"):
            return value[3:].decode("utf-8", errors="replace")
        try:
            return value.decode("utf-8")
        except UnicodeDecodeError:
            return value.decode("latin-1")
    if isinstance(value, list):  # multi-select choice
        return "；".join(_text(v) for v in value)
    name = _name(value)
    return name if name is not None else str(value)
