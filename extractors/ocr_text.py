"""OCR text of Chinese forms tidied as the writer typed it: punctuation widths and specks.

The recogniser returns half-width punctuation for full-width glyphs it is unsure of (``（暂定)``,
``参加人员:一线``, ``（暂定）,在``) and reads dust specks as a full stop (``.科技志愿服务``,
``刘晓梅.``, ``2021年.6月``). In Chinese running text an ASCII comma, colon or full stop next to
a Chinese character is never what was typed (the IME writes ``，：。``), so:

- ``, : ; ? !`` touching a Chinese character (and no ASCII letter or digit) become full-width;
- a ``.`` without an ASCII letter or digit on both sides is a speck and goes (``qh.kx@163.com``,
  ``2021.5.7``, ``P.001`` and a list number ``1.`` keep theirs); so does a middle dot ``·`` that does not
  stand between two parts of a name (``·活动二：``, ``办公室主任·``, ``约50人。·邀请``, and in running text ``主·持``);
- a bracket whose partner is full-width is made full-width too (a pair is one glyph style);
- a full-width comma, stop or colon read twice in a row (`法，，形成`: a speck beside it) is one;
- a stop, colon or semicolon right after a pause mark `、` or comma is a speck beside it (`代表、：基层`,
  `代表、。单位`), and so is a stop, comma, pause mark or semicolon right after a colon (`时间：。2021年`):
  nobody types the two together;
- a degree sign not after a digit is a speck (`问题5件。°`), and so is a hyphen between an opening bracket and a
  Chinese character (`（-四）大力宣传`);
- a closing quote near the start with no opening one before it lost its partner at the value's start.

Used on scans only: Word and PDF text is what was typed.
"""

from __future__ import annotations

_FULL = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！"}
_OPEN, _CLOSE = "(（", ")）"
_DOTS = "·•・"  # middle dots: in a name they stand between its parts, anywhere else they are dust
_SINGLE = "，。、；：？！"  # never typed twice in a row (unlike …… and ——, which are one mark of two glyphs)
_NAME_MAX = 20  # letters: a value this short may be a name (`阿卜杜·热合曼`); in running text a dot is dust (`主·持`)
_DEGREES = "°º˚"
_PAUSES = "、，"
_AFTER_PAUSE = "。：；:;"  # never typed right after a pause
_AFTER_COLON = "。，、；,;"  # never typed right after a colon: a label's value follows it


def _ideograph(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def _cjk_side(ch: str) -> bool:
    """Chinese characters and full-width punctuation (what sits beside IME punctuation)."""
    return _ideograph(ch) or "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef" or ch in "“”‘’…—"


def _name_dot(left: str, right: str, text_len: int) -> bool:
    """Does a middle dot between ``left`` and ``right`` part a name: Latin letters, or Chinese ones in a value as
    short as a name?"""
    if _ideograph(left) and _ideograph(right):
        return text_len <= _NAME_MAX
    return left.isalpha() and right.isalpha() and not (_ideograph(left) or _ideograph(right))


def _ascii_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def tidy(text: str) -> str:
    """One OCR'd value or paragraph with specks dropped and punctuation widths as typed."""
    if not text:
        return text
    out: list[str] = []
    n = len(text)
    for i, ch in enumerate(text):
        left = out[-1] if out else ""
        right = text[i + 1] if i + 1 < n else ""
        if ch == "." and not (_ascii_alnum(left) and _ascii_alnum(right)) and not _numbering(out):
            continue  # a speck, not a decimal point, part of an address or a list number
        if ch in _DOTS and not _name_dot(left, right, n):
            continue  # a speck, not the dot inside a name (阿卜杜·热合曼, John·Smith) in a name's cell
        if ch in _FULL and not _ascii_alnum(left) and not _ascii_alnum(right):
            if _cjk_side(left) or _cjk_side(right):
                ch = _FULL[ch]
        if ch in _DEGREES and not left.isdigit():
            continue  # a speck read as a degree sign (`问题5件。°`): a degree follows a number
        if ch in "-－" and left in _OPEN and _ideograph(right):
            continue  # `（-四）`: a speck after the bracket of a list number
        if ch in _SINGLE and left == ch:
            continue  # `法，，形成`: a speck beside a comma read as a second one
        if ch in _AFTER_PAUSE and left in _PAUSES:
            continue  # `代表、：基层`: a speck after the pause mark
        if ch in _AFTER_COLON and left == "：":
            continue  # `时间：。2021年`: a speck after the colon
        out.append(ch)
    return _with_lost_opening_quote(_pair_brackets("".join(out)))


def _numbering(before: list[str]) -> bool:
    """Do the characters before a ``.`` end in a list number at a line's start (``1.``, ``12.``)?"""
    k = len(before)
    while k and before[k - 1].isascii() and before[k - 1].isdigit():
        k -= 1
    return k < len(before) and (k == 0 or before[k - 1].isspace())


_QUOTE_LOST_WITHIN = 20  # characters: a slogan quoted at a value's start (`“众心向党、自立自强”——…`) closes by then


def _with_lost_opening_quote(text: str) -> str:
    """``众心向党 自立自强”科技工作者座谈会`` → ``“众心向党 自立自强”…``: a quote that opens a value sits at the cell's
    edge, where a fax or photo loses it; its closing partner near the start says it was there."""
    close = text.find("”")
    if 0 < close <= _QUOTE_LOST_WITHIN and "“" not in text[:close] and _ideograph(text[0]):
        return "“" + text
    return text


def _pair_brackets(text: str) -> str:
    """``（暂定)`` → ``（暂定）``: a pair takes the full width when either half has it."""
    chars = list(text)
    stack: list[int] = []
    for i, ch in enumerate(chars):
        if ch in _OPEN:
            stack.append(i)
        elif ch in _CLOSE and stack:
            j = stack.pop()
            if "（" in (chars[j], ch) or "）" in (chars[j], ch):
                chars[j], chars[i] = "（", "）"
    return "".join(chars)
