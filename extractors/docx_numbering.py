"""Automatic list numbers in Word, rendered the way Word shows them ("一、", "（1）", "1.", "①").

Reads numbering.xml (abstract definitions, instances, start overrides) and the numbering a paragraph
style carries; counts per list as Word does (lists sharing an abstract definition continue each other
unless one restarts). Bullets render as nothing: the form reader needs the text, not the bullet.
"""

from __future__ import annotations

from .docx_xml import W, int_val, on, val


class Numbering:
    """Renders automatic list labels ("一、", "（1）", "1.") the way Word shows them."""

    def __init__(self, root, style_numpr: dict, based_on: dict[str, str]) -> None:
        self._levels: dict[str, dict[int, tuple[int, str, str, bool, str]]] = {}
        for absn in root.iterchildren(W + "abstractNum"):
            levels = {}
            for lvl in absn.iterchildren(W + "lvl"):
                ilvl = int(lvl.get(W + "ilvl") or 0)
                levels[ilvl] = (
                    int_val(lvl.find(W + "start"), 1),
                    val(lvl.find(W + "numFmt")) or "decimal",
                    val(lvl.find(W + "lvlText")) or "",
                    on(lvl.find(W + "isLgl")),
                    val(lvl.find(W + "suff")) or "tab",
                )
            self._levels[absn.get(W + "abstractNumId") or ""] = levels
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        for num in root.iterchildren(W + "num"):
            overrides = {}
            for ov in num.iterchildren(W + "lvlOverride"):
                start = ov.find(W + "startOverride")
                if start is not None:
                    overrides[int(ov.get(W + "ilvl") or 0)] = int_val(start, 1)
            self._nums[num.get(W + "numId") or ""] = (val(num.find(W + "abstractNumId")) or "", overrides)
        self._style_numpr = style_numpr
        self._based_on = based_on
        self._counters: dict[str, list[int | None]] = {}

    def _numpr(self, ppr) -> tuple[str | None, int]:
        num_id = ilvl = None
        sid = None
        if ppr is not None:
            numpr = ppr.find(W + "numPr")
            if numpr is not None:
                num_id, ilvl = val(numpr.find(W + "numId")), val(numpr.find(W + "ilvl"))
            sid = val(ppr.find(W + "pStyle"))
        seen = set()
        while num_id is None and sid and sid not in seen:  # numbering inherited from the style chain
            seen.add(sid)
            if sid in self._style_numpr:
                num_id, style_ilvl = self._style_numpr[sid]
                ilvl = ilvl if ilvl is not None else style_ilvl
            sid = self._based_on.get(sid)
        try:
            level = int(ilvl or 0)
        except ValueError:
            level = 0
        return num_id, min(max(level, 0), 8)

    def label(self, ppr) -> str:
        num_id, ilvl = self._numpr(ppr)
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        abs_id, overrides = self._nums[num_id]
        levels = self._levels.get(abs_id, {})
        if ilvl not in levels:
            return ""
        # Lists sharing an abstract definition continue each other unless one restarts its numbers.
        key = f"n{num_id}" if overrides else f"a{abs_id}"
        counts = self._counters.setdefault(key, [None] * 9)
        start = overrides.get(ilvl, levels[ilvl][0])
        counts[ilvl] = start if counts[ilvl] is None else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 9):
            counts[deeper] = None
        _, fmt, text, legal, suffix = levels[ilvl]
        if fmt == "bullet":
            return ""
        for k in range(ilvl, -1, -1):  # %10 never occurs; high levels first keeps %1 from eating %1x
            placeholder = f"%{k + 1}"
            if placeholder not in text:
                continue
            level = levels.get(k, (1, "decimal", "", False, "tab"))
            n = counts[k] if counts[k] is not None else overrides.get(k, level[0])
            kfmt = "decimal" if legal else level[1]  # isLgl: every number in this label in digits
            text = text.replace(placeholder, _format_number(n, kfmt))
        if not text:
            return ""
        return text + {"tab": "\t", "space": " "}.get(suffix, "")


_CN_DIGITS = "〇一二三四五六七八九"
_CN_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_CN_UNITS = ("", "十", "百", "千")
_CN_LEGAL_UNITS = ("", "拾", "佰", "仟")
_TIANGAN = "甲乙丙丁戊己庚辛壬癸"
_DIZHI = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def _format_number(n: int, fmt: str) -> str:
    if fmt in (
        "chineseCounting",
        "chineseCountingThousand",
        "japaneseCounting",
        "taiwaneseCounting",
        "ideographDigital",
        "taiwaneseDigital",
    ):
        return _chinese(n, _CN_DIGITS, _CN_UNITS)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _CN_LEGAL, _CN_LEGAL_UNITS, short_ten=False)
    if fmt == "ideographTraditional" and n > 0:
        return _TIANGAN[(n - 1) % 10]
    if fmt == "ideographZodiac" and n > 0:
        return _DIZHI[(n - 1) % 12]
    if fmt.startswith("decimalEnclosedCircle") and 0 < n <= 20:
        return _CIRCLED[n - 1]
    if fmt == "decimalEnclosedParen" and 0 < n <= 20:
        return chr(0x2474 + n - 1)
    if fmt == "decimalEnclosedFullstop" and 0 < n <= 20:
        return chr(0x2488 + n - 1)
    if fmt.startswith("decimalFullWidth"):
        return "".join(chr(0xFF10 + int(d)) for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperLetter", "lowerLetter") and n > 0:
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 0 < n < 4000:
        roman = ""
        for value, sym in _ROMAN:
            while n >= value:
                roman, n = roman + sym, n - value
        return roman if fmt == "upperRoman" else roman.lower()
    if fmt == "none":
        return ""
    return str(n)


def _chinese(n: int, digits: str, units: tuple[str, ...], short_ten: bool = True) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (up to 9999; larger in plain digits)."""
    if n <= 0 or n > 9999:
        return str(n)
    out: list[str] = []
    text = str(n)
    zero = False
    for i, ch in enumerate(text):
        d = int(ch)
        unit = units[len(text) - i - 1]
        if d == 0:
            zero = True
            continue
        if zero:
            out.append(digits[0])
            zero = False
        out.append(digits[d] + unit)
    result = "".join(out)
    if short_ten and 10 <= n < 20:
        result = result[1:]  # 十二, not 一十二
    return result
