"""Characters of a PDF text layer → lines → paragraphs, with CJK-aware joining.

pdfplumber hands back glyphs with positions; Chinese PDFs written by Word, WPS
or LibreOffice place CJK glyphs with small gaps (justification, autospacing
between CJK and Latin text) that a plain word extractor turns into stray
spaces. The rules here, measured on LibreOffice exports (autospace CJK↔Latin
≈ 0.20 em, a space glyph ≈ 0.25–0.33 em):
- two CJK characters (or CJK punctuation) are joined without a space unless
  the visual gap is ≥ 1 em (a deliberate run of spaces or a tab);
- CJK next to Latin text gets a space only for a gap ≥ 0.3 em (a real space);
- Latin words keep a single space between them.
A line that wraps because it was full is joined to the next line the same
way; a line that ends short, a line indented from the body's left edge (a
first-line indent; centred wraps and block indents excepted), a larger gap or
a change of font size starts a new paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from statistics import median

from pdfplumber.utils import extract_words

from .sentences import ends_sentence

# Word splitting tolerance as a fraction of the font size: below the LibreOffice
# CJK/Latin autospace (0.20 em) so every real space still separates words.
X_TOLERANCE_RATIO = 0.12
CJK_GAP_EM = 1.0  # CJK|CJK: only a gap this wide is a real separator
MIXED_GAP_EM = 0.3  # CJK|Latin: a space glyph, not autospacing
# A wrapped CJK line may end this much short of the edge besides the next line's first character:
# kinsoku rules and LibreOffice's dictionary line breaking move short words (召开) down whole.
WRAP_SLACK_EM = 2.2
# A token broken because it did not fit leaves less room than this many of its glyphs at the line's end.
CUT_ROOM_GLYPHS = 1.5

_CJK_RANGES = (
    (0x2E80, 0x2FDF),  # radicals
    (0x3000, 0x303F),  # CJK punctuation 、。「」
    (0x3040, 0x30FF),  # kana
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0xFE30, 0xFE4F),
    (0xFF00, 0xFFEF),  # full-width forms （）：，
    (0x20000, 0x2FA1F),
)
# Quotes, dashes and tick/box glyphs behave like CJK in Chinese text: no spaces around them.
_CJK_LIKE = set("“”‘’—…·√✓✔☑☐☒■□▪◆◇○●")


def is_cjk(ch: str) -> bool:
    if not ch:
        return False
    if ch in _CJK_LIKE:
        return True
    code = ord(ch)
    return any(lo <= code <= hi for lo, hi in _CJK_RANGES)


@dataclass
class Line:
    words: list[dict]
    x0: float
    x1: float
    top: float
    bottom: float
    cut: bool = False  # the line ends inside a word too long for it (set by split_paragraphs)

    @property
    def size(self) -> float:
        return median(w["bottom"] - w["top"] for w in self.words)

    @property
    def text(self) -> str:
        out = self.words[0]["text"]
        for left, right in zip(self.words, self.words[1:], strict=False):
            spaced = left.get("space_after") or right.get("space_before")
            gap = right["x0"] - left["x1"]
            out += " " if spaced else _separator(left["text"][-1], right["text"][0], gap, self.size)
            out += right["text"]
        return out

    @property
    def advance(self) -> float:
        """Mean distance from one glyph to the next: one em in plain CJK text, more when letter-spaced."""
        glyphs = sum(len(w["text"].replace(" ", "")) for w in self.words)
        return (self.x1 - self.x0) / max(glyphs, 1)

    def wrap_slack(self) -> float:
        """How far short of the right edge a full line of this text may end (kinsoku, dictionary breaks)."""
        return WRAP_SLACK_EM * max(self.size, self.advance, 1.0)

    def first_unit_width(self) -> float:
        """Width the first word of this line would need at the end of the previous line (a CJK glyph
        needs its advance, which letter-spacing widens)."""
        word = self.words[0]
        if is_cjk(word["text"][0]):
            return max((word["x1"] - word["x0"]) / max(len(word["text"]), 1), min(self.advance, 2 * self.size))
        return word["x1"] - word["x0"]


@dataclass
class Para:
    lines: list[Line] = field(default_factory=list)
    page: int = 1

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (
            min(ln.x0 for ln in self.lines),
            self.lines[0].top,
            max(ln.x1 for ln in self.lines),
            self.lines[-1].bottom,
        )


def _separator(left: str, right: str, gap: float, size: float) -> str:
    """Separator between two words that no space glyph separated (only a gap)."""
    em = max(size, 1.0)
    if is_cjk(left) and is_cjk(right):
        return " " if gap >= CJK_GAP_EM * em else ""
    if is_cjk(left) or is_cjk(right):
        return " " if gap >= MIXED_GAP_EM * em else ""
    return " "  # Latin words: pdfplumber split them, so there was a space or a clear gap


def words_of(chars: list[dict]) -> list[dict]:
    """Characters (spaces included) → words; ``space_before`` marks a word that followed a space glyph."""
    if not chars:
        return []
    raw = extract_words(
        chars,
        x_tolerance_ratio=X_TOLERANCE_RATIO,
        y_tolerance=3,
        keep_blank_chars=True,  # a space glyph is a fact worth keeping between CJK words ("姓 名")
        use_text_flow=False,
    )
    words = []
    for word in raw:
        text = word["text"]
        stripped = _SPACES.sub(" ", text.strip())
        if not stripped:
            continue
        word["text"] = stripped
        word["space_before"] = text[0].isspace()
        word["space_after"] = text[-1].isspace()
        words.append(word)
    return words


_SPACES = re.compile(r"\s+")


# Letter-spaced text: some exporters write a space glyph after every CJK character (a 0.25 em advance).
# On such a page the space after a CJK character is spacing, not a separator; a second space is one.
LETTER_SPACED_SHARE = 0.6  # of a page's CJK characters (not last on their line) followed by a space glyph
LETTER_SPACED_MIN = 20  # CJK characters on the page before the share says anything


def drop_letter_spacing(chars: list[dict]) -> list[dict]:
    """The page's characters without the one space glyph after each CJK character, when the page is
    letter-spaced (``庆 祝 建 党`` → ``庆祝建党``; ``党  自`` keeps one space). Other pages come back as given."""
    ordered = sorted(range(len(chars)), key=lambda i: (round(chars[i]["top"]), chars[i]["x0"]))
    followers: dict[int, int] = {}  # index of a CJK char -> index of the space glyph right after it
    cjk = 0
    for here, nxt in zip(ordered, ordered[1:], strict=False):
        char, after = chars[here], chars[nxt]
        if len(char["text"]) != 1 or not is_cjk(char["text"]) or char["text"].isspace():
            continue
        if abs(after["top"] - char["top"]) > 1.0:
            continue  # the last character of its line
        cjk += 1
        em = max(char["x1"] - char["x0"], 1.0)
        if after["text"] == " " and abs(after["x0"] - char["x1"]) <= 0.2 * em:
            followers[here] = nxt
    if cjk < LETTER_SPACED_MIN or len(followers) < LETTER_SPACED_SHARE * cjk:
        return chars
    dropped = set(followers.values())
    return [c for i, c in enumerate(chars) if i not in dropped]


def group_lines(words: list[dict]) -> list[Line]:
    """Words → lines: words whose vertical extents overlap by half belong to one line."""
    lines: list[Line] = []
    for word in sorted(words, key=lambda w: (w["top"], w["x0"])):
        height = word["bottom"] - word["top"]
        for line in reversed(lines[-3:]):
            overlap = min(line.bottom, word["bottom"]) - max(line.top, word["top"])
            if overlap >= 0.5 * min(height, line.bottom - line.top):
                line.words.append(word)
                line.x0, line.x1 = min(line.x0, word["x0"]), max(line.x1, word["x1"])
                line.top, line.bottom = min(line.top, word["top"]), max(line.bottom, word["bottom"])
                break
        else:
            lines.append(Line([word], word["x0"], word["x1"], word["top"], word["bottom"]))
    for line in lines:
        line.words.sort(key=lambda w: w["x0"])
    lines.sort(key=lambda ln: ln.top)
    return lines


def join_lines(lines: list[Line]) -> str:
    """Lines already known to form one paragraph → its text."""
    text = lines[0].text
    for prev, line in zip(lines, lines[1:], strict=False):
        text += _wrap_separator(prev, line) + line.text
    return text


def _wrap_separator(prev: Line, line: Line) -> str:
    """Nothing only where a CJK run, a hyphenated word or an address broken after - / @ _ carries on
    ("Preva-" + "lence", "http://www.qast.org.cn/" + "news"); numbers and Latin words stacked one per
    line (a cell holding "18,870" above "209", two phone numbers) keep a space between them, unless the
    line above is one token cut where the line was full (``Line.cut``)."""
    left, right = prev.text[-1], line.text[0]
    if is_cjk(left) or is_cjk(right) or left in "-/@_" or prev.cut:
        return ""
    return " "


def split_paragraphs(lines: list[Line], left: float, right: float, indent_rule: bool = True) -> list[Para]:
    """Lines of one text region → paragraphs.

    ``left``/``right`` are the region's text edges (page margins or a cell's
    padded box). ``indent_rule`` treats a first-line indent as a new paragraph
    (body text); table cells switch it off because they are often centred.
    """
    if not lines:
        return []
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:], strict=False)]
    usual_gap = median(gaps) if gaps else 0.0
    paras = [Para([lines[0]])]
    for prev, line in zip(lines, lines[1:], strict=False):
        if _starts_paragraph(prev, line, left, right, usual_gap, indent_rule):
            paras.append(Para([line]))
        else:
            paras[-1].lines.append(line)
            prev.cut = _cut_inside_word(prev, line, left, right)
    return paras


def _room(prev: Line, left: float, right: float, indent_rule: bool) -> float:
    """Room the line left before the region's right edge. Cell text is often centred, so there only
    the line's width counts."""
    return right - prev.x1 if indent_rule else (right - left) - (prev.x1 - prev.x0)


def _cut_inside_word(prev: Line, line: Line, left: float, right: float) -> bool:
    """A single Latin token that runs from the region's left text edge to its right one, and goes on in
    a shorter next line, was broken because it did not fit (a long phone number in a narrow cell).
    Values stacked in a right-aligned column ("22,650" above "3,209") do not start at the left edge;
    two phone numbers stacked in a cell just wide enough for one both fill their lines."""
    text, last = prev.text, prev.words[-1]
    if len(prev.words) != 1 or " " in text or last.get("space_after") or is_cjk(text[-1]):
        return False  # a space glyph after it: the line broke at the space, between two tokens
    if not (text[-1].isalnum() and line.text[0].isalnum()):
        return False
    glyph = (prev.x1 - prev.x0) / max(len(text), 1)
    return _spans(prev, left, right, glyph) and not _spans(line, left, right, glyph)


def _spans(line: Line, left: float, right: float, glyph: float) -> bool:
    """The line runs from the left text edge to within a glyph and a half of the right one."""
    return line.x0 - left <= glyph and right - line.x1 <= CUT_ROOM_GLYPHS * glyph


def _starts_paragraph(prev: Line, line: Line, left: float, right: float, usual_gap: float, indent_rule: bool) -> bool:
    em = max(prev.size, 1.0)
    if abs(line.size - prev.size) > 0.2 * em:
        return True
    if line.top - prev.bottom > max(usual_gap, 0.0) + 0.5 * em:
        return True
    if starts_section(prev, line):
        return True
    if indent_rule and prev.x0 > (left + right) / 2:
        return True  # a line set right of the centre (a 落款's unit above its date) never wraps into the next
    # Did the previous line stop because it was full? Measure the room it left.
    room = _room(prev, left, right, indent_rule)
    full = room <= line.first_unit_width() + prev.wrap_slack()
    if indent_rule and line.x0 >= left + 0.9 * em:  # an indented line: a first line, unless …
        centred = line.x0 - prev.x0 >= 0.5 * em and abs((line.x0 + line.x1) - (prev.x0 + prev.x1)) / 2 <= 0.6 * em
        block_indent = abs(line.x0 - prev.x0) <= 0.3 * em and room <= em
        return not (full and (centred or block_indent))
    return not full


# A numbered heading (一、 （二） 3. 活动四： 第五项) opens a new paragraph after a finished sentence, however
# full the line above it was (exporters that place every glyph leave ragged right edges).
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[)）]"
    r"|\d{1,2}\s*(?:[、．]|\.(?!\d))|活动\s*[一二三四五六七八九十\d]{1,3}\s*[:：、.．]"
    r"|第\s*[一二三四五六七八九十\d]{1,3}\s*[项部分章节条])"
)


def starts_section(prev: Line, line: Line) -> bool:
    """The line is a numbered heading right after a finished sentence."""
    return ends_sentence(prev.text) and bool(_HEADING.match(line.text))


PAGE_NUMBER = re.compile(
    r"^\s*(?:[-—–]\s*\d+\s*[-—–]|第\s*\d+\s*页(?:\s*[，,/共]\s*共?\s*\d+\s*页)?|\d+\s*/\s*\d+|\d+)\s*$"
)


def is_page_number(line: Line, page_height: float) -> bool:
    near_edge = line.bottom > page_height * 0.9 or line.top < page_height * 0.08
    return near_edge and bool(PAGE_NUMBER.match(line.text))
