"""The 落款 at the end of a report or plan: the unit's name and the date under it, written without labels.

`青海省地質學會` over `2021/05/06`, `西宁市科学技术协会` over `二〇二一年六月十一日`, or both on one line
(`青海省物理学会  2021年6月21日`). The lines are not body text (a report's 字数 leaves them out, a plan's last
activity does not run into them); the date is the 报送时间 and the unit the 报送单位 when no label gives them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from extractors.model import Paragraph
from schemas.campaign import load_campaign
from schemas.normalize import parse_date, parse_date_in_unread_year
from schemas.unit_names import fold_unit_name

# How a unit's name ends (compared on the folded name: simplified, without 盖章 hints or punctuation);
# `科学技术协`: the seal's star over the last character of `…科学技术协会`.
_UNIT_END = re.compile(
    r"(科协|协会|科学技术协|学会|研究会|部|馆|公司|学院|大学|中心|报社|委员会|党委|工会|办公室|秘书处)$"
)
_UNIT_MAX = 40  # characters: a longer line is a sentence
# The seal pressed over the 落款 hides more of `…科学技术协会` than the star's one letter: `…公司科学技`,
# `…股份有限公司科学`.
_UNIT_CUT = re.compile(r"科学(技术?)?$")
# ...or letters out of its middle (`乐都区科学技会` for 乐都区科学技术协会): the name's end still reads as most of
# `科学技术协会` (rapidfuzz ratio of its last 4–6 letters).
_ASSOCIATION = "科学技术协会"
_ASSOCIATION_LIKE = 80
_DATE_MAX = 16  # `二〇二一年六月二十一日` is 11; a longer line that holds a date is a sentence


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_date_line(text: str) -> bool:
    squashed = squash(text)
    return (
        0 < len(squashed) <= _DATE_MAX
        and parse_date(squashed, default_year=load_campaign().year) is not None
        and not _has_label(squashed)
    )


def _date_in_unread_year(text: str) -> bool:
    squashed = squash(text)
    return (
        0 < len(squashed) <= _DATE_MAX
        and parse_date_in_unread_year(squashed, default_year=load_campaign().year) is not None
    )


def is_unit_line(text: str) -> bool:
    squashed = squash(text)
    if not squashed or len(squashed) > _UNIT_MAX or _has_label(squashed) or squashed[-1] in "。；;，,":
        return False
    return bool(_UNIT_END.search(fold_unit_name(squashed)))


def _has_label(squashed: str) -> bool:
    return bool(re.search(r"[:：]", squashed))


def split_unit_and_date(text: str) -> tuple[str, str] | None:
    """`青海省物理学会 2021年6月21日` → (unit, date): one line holding both parts of a 落款."""
    stripped = text.strip()
    for cut in range(1, len(stripped)):
        head, tail = stripped[:cut], stripped[cut:]
        if tail[0].isspace() or not head.strip():
            continue
        if is_date_line(tail) and is_unit_line(head):
            return head.strip(), tail.strip()
    return None


# A full stop after a unit's name is a scanner's speck (nobody ends a 落款 with one).
_SPECKS = "。.·"


def _name_part(text: str) -> bool:
    """Could this line be the first part of a unit's name (no sentence punctuation, short)?"""
    return bool(text) and len(text) <= 24 and not re.search(r"[。，,；;、：:！？]", text)


_JUNK_MAX = 2  # characters
_UNSURE = 0.5  # the confidence given to a date read with a digit too many or its start hidden: low_confidence
_DATE_TAIL = re.compile(r"^\d{0,2}月?\d{1,2}[日号]$")
# A year, then a month and day one of which the seal hid (`2021/0/16` for 2021/06/16, `2021年月16日`).
_DATE_PART_LOST = re.compile(r"^(?:19|20)\d\d[年./\-]\d{0,2}[月./\-]\d{0,2}[日号]?$")


def _seal_junk(text: str) -> bool:
    """A line of one or two letters or marks, no word of Chinese: what OCR makes of a seal's star."""
    squashed = squash(text)
    return 0 < len(squashed) <= _JUNK_MAX and not any("\u4e00" <= ch <= "\u9fff" for ch in squashed)


def _unit_over_date(text: str, closing: Closing) -> bool:
    """A unit's name, or over the date (or what the seal left of it), a name whose end the seal hid
    (`…有限责任公司科学技` over `6月11日`, `…青海分公司科学技术` over `5日`)."""
    if is_unit_line(text):
        return True
    squashed = squash(text)
    cut = bool(closing.lines) and _name_part(squashed) and len(squashed) <= _UNIT_MAX  # over a date or its end
    folded = fold_unit_name(squashed)
    return cut and (bool(_UNIT_CUT.search(folded)) or _ends_like_association(folded))


def _ends_like_association(folded: str) -> bool:
    return any(
        fuzz.ratio(folded[-k:], _ASSOCIATION) >= _ASSOCIATION_LIKE
        for k in range(4, len(_ASSOCIATION) + 1)
        if len(folded) > k
    )


_ECHO = 70  # rapidfuzz partial_ratio: the ring's letters read again over the name share most of a stretch of it


def _ring_echo(above: str, unit: str) -> bool:
    """Is ``above`` the seal's ring read over the 落款's name: a stretch of the name, as OCR reads a ring
    (`有限公司科`, or `上族自治县科学处` over `大通回族土族自治县科学技术协会`)? The first half of a wrapped name shares
    nothing with its second half."""
    return above in unit or fuzz.partial_ratio(above, unit) >= _ECHO


def _closing_line(text: str) -> bool:
    return is_date_line(text) or is_unit_line(text) or split_unit_and_date(text) is not None


@dataclass
class Closing:
    """The 落款 found at the end of a list of paragraphs."""

    start: int  # index of its first paragraph (the list's length when there is none)
    unit: Paragraph | None = None
    date: Paragraph | None = None
    lines: list[Paragraph] = field(default_factory=list)


def read_closing(pars: list[Paragraph], need_date: bool = False) -> Closing:
    """The unit/date lines at the end of ``pars`` (blank paragraphs skipped).

    ``need_date``: only a block that ends with its date counts (in a plan a last unit-like line may be
    part of the write-up; a report's 落款 may be its unit alone).
    """
    closing = Closing(start=len(pars))
    i = len(pars)
    while i > 0:
        par = pars[i - 1]
        text = par.text.strip()
        if not text:
            i -= 1
            continue
        nothing_yet = closing.date is None and closing.unit is None
        if nothing_yet and _seal_junk(text):
            pass  # the seal's star or a piece of its ring read as a letter under the 落款 (`A`): not body text
        elif nothing_yet and is_date_line(text):
            closing.date = par
        elif nothing_yet and par.confidence is not None and text[-1].isdigit() and is_date_line(text[:-1]):
            # `2021/06/114`: a digit too many, most likely a piece of the seal pressed over the date's end. The line
            # is the 落款's date (not body); which digit is extra the OCR cannot say, so staff are asked to look.
            closing.date = Paragraph(text, par.page, par.bbox, min(par.confidence, _UNSURE))
        elif nothing_yet and par.confidence is not None and _date_in_unread_year(text):
            # `三〇二一年六月十一日`: a numeral of the year misread, so no date parses; still the 落款's date (the
            # validator flags the year it has to guess)
            closing.date = par
        elif nothing_yet and (both := split_unit_and_date(text)):
            unit, date = both
            closing.unit = Paragraph(unit, par.page, par.bbox, par.confidence)
            closing.date = Paragraph(date, par.page, par.bbox, par.confidence)
        elif nothing_yet and (_DATE_TAIL.match(squash(text)) or _DATE_PART_LOST.match(squash(text))):
            # the end of the date whose start the seal hid (`月10日`), or one whose month or day it hid
            # (`2021/0/16`): 落款, not body. The unit wrote a date we cannot read whole: an unsure date sends staff
            # to the original (not "未填写" to the unit)
            if par.confidence is not None:
                closing.date = Paragraph(text, par.page, par.bbox, min(par.confidence, _UNSURE))
        elif nothing_yet and len(squash(text)) <= _JUNK_MAX and i >= 2 and _closing_line(pars[i - 2].text):
            pass  # letters of the seal's ring read under the 落款 (`格` of 格尔木市…, `范 会`): not body text
        elif closing.unit is None and _unit_over_date(text.rstrip(_SPECKS), closing):
            closing.unit = Paragraph(text.rstrip(_SPECKS), par.page, par.bbox, par.confidence)
            above = pars[i - 2].text.strip() if i >= 2 else ""
            echo = len(squash(above)) >= 2 and _ring_echo(squash(above), squash(closing.unit.text))
            wrapped = not is_unit_line(above) and is_unit_line(above + closing.unit.text)
            if _name_part(above) and (echo or wrapped):
                # `有限公司科` over `…有限公司科学技术协会`: the ring's letters read again, no body text;
                # else a long name wrapped in the 落款 (`…有限责任公司科` / `学技术协会`)
                if not echo:
                    closing.unit = Paragraph(
                        above + closing.unit.text, par.page, pars[i - 2].bbox or par.bbox, par.confidence
                    )
                closing.lines.insert(0, par)
                i -= 1
                par = pars[i - 1]
        else:
            break
        closing.lines.insert(0, par)
        i -= 1
        closing.start = i
    if need_date and closing.date is None:
        return Closing(start=len(pars))
    return closing
