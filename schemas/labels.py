"""Recognise form labels in cell and line text, however people spaced or punctuated them.

`姓 名：`, `姓名:`, `电子邮箱（E-mail）` and `主题活动模块 (请在相应模块划√, 可多选)` all reduce to one key.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from schemas.normalize import to_halfwidth

_HINT = re.compile(r"[（(][^（）()]*[)）]")  # bracketed hints such as （请在相应模块划√，可多选）
_PUNCT = re.compile(r"[\s:：*＊_＿·•.。,，、;；\-–—\"“”'‘’]+")
_LABEL_MAX = 12  # a label key is short; a long text is a value, never a label
_GLUED_MIN = 4  # characters of a label that may run straight into its value (`填报单位昆仑学院`)
_GLUED_LINE_MAX = 40  # characters: a longer line without a colon is a sentence


def label_key(text: str) -> str:
    """The comparison key of a possible label: half-width, lower-case, no spaces/colons/hints."""
    text = to_halfwidth(text)
    stripped = _HINT.sub("", text)
    if _PUNCT.sub("", stripped):  # keep the hint when it is all there is, e.g. "(E-mail)"
        text = stripped
    return _PUNCT.sub("", text).lower()


class LabelIndex:
    """Maps label keys to the name of the thing they label (a column, or a people column)."""

    def __init__(self, variants: dict[str, list[str]]) -> None:
        self._variants = variants
        self.keys: dict[str, str] = {}
        for target, labels in variants.items():
            for label in labels:
                self.keys.setdefault(label_key(label), target)
        spelled = sorted({lab for labels in variants.values() for lab in labels}, key=len, reverse=True)
        # each character may be followed by spaces (`姓 名`), and `-` in `E-mail` is optional
        alternation = "|".join(
            r"\s*".join(re.escape(ch) + ("?" if ch == "-" else "") for ch in label) for label in spelled
        )
        hint = r"(?:\s*[（(][^（）()\n]{0,12}[)）])?"  # 填报单位（盖章）：
        self._line_pattern = re.compile(
            rf"(?:^|(?<=\s))({alternation}){hint}(?:\s*[:：]|\s+|$)|({alternation}){hint}\s*[:：]", re.I
        )
        # On scans the colon is often lost (under a seal, or read as a speck): a long label still starts the line,
        # unless a conjunction makes it part of a longer heading (`活动名称及主要内容`).
        glued = "|".join(r"\s*".join(map(re.escape, label)) for label in spelled if len(label) >= _GLUED_MIN)
        self._glued_pattern = re.compile(rf"^\s*({glued}){hint}(?=[^\s及和与的等或])", re.I) if glued else None
        # A seal's ring over a label's last character takes it off the scan (`填报单 青海建筑职院`): a long
        # label less its last character, then the gap or colon it left, still starts the line.
        self._clipped: dict[str, str] = {label[:-1].lower(): label for label in spelled if len(label) >= _GLUED_MIN}
        clipped = "|".join(r"\s*".join(map(re.escape, short)) for short in self._clipped)
        self._clipped_pattern = re.compile(rf"^\s*({clipped})(?:\s*[:：]|\s+)(?=\S)", re.I) if clipped else None
        # OCR misreads a long label's last letter (`报送时时：`, `报送时前2021年5月7日`): the rest of the label, one
        # letter, then a colon or a number still start the line.
        self._misread_pattern = (
            re.compile(rf"^\s*({clipped})\s*[\u4e00-\u9fff](?:\s*[:：]\s*|(?=\d))(?=\S)", re.I) if clipped else None
        )

    def labels_of(self, target: str) -> list[str]:
        """The labels written for ``target``."""
        return list(self._variants.get(target, []))

    def lookup(self, text: str, fuzzy: bool = False) -> str | None:
        """The target a cell's whole text labels, or None.

        fuzzy=True (OCR text) also accepts one misread character in labels of four or more characters.
        """
        key = label_key(text)
        if not key or len(key) > _LABEL_MAX:
            return None
        hit = self.keys.get(key)
        if hit is not None or not fuzzy or len(key) < 4:
            return hit
        return _fuzzy_lookup(self, key)

    def split_prefix(self, text: str) -> tuple[str, str] | None:
        """`姓 名：张明` → (target, `张明`) when the text starts with a label and a colon."""
        match = re.match(r"^\s*([^:：]{1,20}?)\s*[:：]\s*(.*)$", text, flags=re.S)
        if not match:
            return None
        target = self.lookup(match.group(1))
        return (target, match.group(2).strip()) if target else None

    def split_leading(self, line: str) -> tuple[str, str] | None:
        """(target, value) when ``line`` starts with a label (`活动名称：X`, `活动名称 X`, `活动名称X`)."""
        text = line.strip()
        hit = self._line_pattern.match(text)
        if hit is None and self._glued_pattern is not None and len(text) <= _GLUED_LINE_MAX:
            hit = self._glued_pattern.match(text)
        if hit is None:
            return self._split_clipped(text)
        label = next(g for g in hit.groups() if g)
        target = self.keys.get(label_key(label))
        return (target, _without_echo(label, text[hit.end() :].strip())) if target else None

    def _split_clipped(self, text: str, fuzzy: bool = False) -> tuple[str, str] | None:
        if len(text) > _GLUED_LINE_MAX or self._clipped_pattern is None:
            return None
        hit = self._clipped_pattern.match(text)
        if hit is None and fuzzy and self._misread_pattern is not None:
            hit = self._misread_pattern.match(text)
        if hit is None:
            return None
        label = self._clipped.get(re.sub(r"\s+", "", hit.group(1)).lower())
        target = self.keys.get(label_key(label)) if label else None
        return (target, text[hit.end() :].strip()) if target else None

    def split_line(self, line: str, fuzzy: bool = False) -> list[tuple[str, str]]:
        """All (target, value) pairs in one line: `单位盖章：  报送时间：2021年5月8日`.

        fuzzy=True (OCR text) also reads a long label whose last letter was misread."""
        hits = list(self._line_pattern.finditer(line))
        if not hits and self._glued_pattern is not None and not re.search("[:：]", line):
            glued = self._glued_pattern.match(line)
            if glued and len(line.strip()) <= _GLUED_LINE_MAX:
                hits = [glued]
        if not hits:
            clipped = self._split_clipped(line, fuzzy)
            return [clipped] if clipped else []
        pairs: list[tuple[str, str]] = []
        for i, hit in enumerate(hits):
            label = hit.group(1) or hit.group(2)
            target = self.keys.get(label_key(label))
            end = hits[i + 1].start() if i + 1 < len(hits) else len(line)
            if target:
                pairs.append((target, _without_echo(label, line[hit.end() : end].strip())))
        return pairs


def _without_echo(label: str, value: str) -> str:
    """The value without the label's last character read twice at the seam (`填报单位位青海建筑职院`, a
    line re-read across a seal): no value of a long label starts with that character."""
    last = label.strip()[-1:] if len(label_key(label)) >= _GLUED_MIN else ""
    if last and len(value) > 1 and value[0] == last and "\u4e00" <= value[1] <= "\u9fff":
        return value[1:]
    return value


def _fuzzy_lookup(index: LabelIndex, key: str) -> str | None:
    best, best_score = None, 0.0
    for known, target in index.keys.items():
        if abs(len(known) - len(key)) > 1 or len(known) < 4:
            continue
        score = fuzz.ratio(known, key)
        if score > best_score:
            best, best_score = target, score
    return best if best_score >= 80 else None
