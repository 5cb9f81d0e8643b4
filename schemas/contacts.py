"""Phone numbers and e-mail addresses as people type them in a form's contact cells (and as OCR reads them).

Pure functions, no I/O; ``None`` when the text holds no valid value (the caller raises the exception row).

Decisions for ambiguous inputs (also asserted in tests/test_normalize.py):
- Phones: parts separated by ``/ 、 ; , 或 和 及`` or a newline are read in turn; inside one part, numbers
  may also follow each other separated by spaces. Reading a part stops at the first malformed number (the
  numbers before it are kept). A number without area code must start with 2-9 (Chinese local numbers never
  start with 0 or 1; a 7-8 digit run starting with 1 is a truncated mobile). Extensions (``转801``,
  ``分机801``, ``-801`` after a full landline) are dropped. ``+86``/``86``/``0086`` prefixes are dropped.
- E-mails are lower-cased; a full-width ``＠`` and spaces around ``@`` are typing; a note in brackets is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from schemas.normalize import DASHES, DROP_ZERO_WIDTH, WS_RUN, fix_ocr_digits, to_halfwidth

__all__ = ["Phone", "parse_email", "parse_mobile", "parse_phone", "parse_phones"]

_A = re.ASCII  # patterns are ASCII-mode: \d must not match other Unicode digits

# -------------------------------------------------------------------------------------------- phones


@dataclass(frozen=True)
class Phone:
    value: str  # 13897012345 or 0971-6335628 or 6335628
    kind: Literal["mobile", "landline"]


_PHONE_MAP = str.maketrans({**{c: "-" for c in DASHES}, "【": "(", "】": ")"})
_PHONE_OCR_DASH = re.compile(r"(?<=\d) ?一 ?(?=\d)", _A)  # OCR reads a dash between digits as 一
_PHONE_EXT = re.compile(r"(?<=\d) ?(?:转|轉|分机|分機|ext\.?|x|#) ?\d{1,6}(?!\d)", _A | re.IGNORECASE)
_PHONE_PART_SEP = re.compile(r"[/、;,\n|\\]|或|和|及")
_PHONE_ANNOTATION = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff:]")
_PHONE_LATIN_LABEL = re.compile(
    r"(?<![a-z])(?:tel|phone|mobile|mob|fax|cell|office|ph|t|m|f)(?![a-z])\.?", _A | re.IGNORECASE
)
_PHONE_ALLOWED = re.compile(r"[0-9 ()+.\-]*", _A)
_PHONE_GROUP = re.compile(r"\+?\d+", _A)
_AREA_CODE = re.compile(r"0(?:10|2\d|[3-9]\d\d)", _A)
_COUNTRY_CODES = frozenset({"86", "+86", "0086", "+0086"})


def _split_area(number: str) -> tuple[str, str] | None:
    """Split a number written without separator (09716335628) into area code and subscriber."""
    area_len = 3 if number[1] in "12" else 4
    area, rest = number[:area_len], number[area_len:]
    if _AREA_CODE.fullmatch(area) and 7 <= len(rest) <= 8 and rest[0] != "0":
        return area, rest
    return None


def _take_until(groups: list[tuple[str, str]], i: int, length: int) -> tuple[str, int]:
    """Join groups from i while the digits are shorter than ``length``; returns digits and next index."""
    digits = ""
    while i < len(groups) and len(digits) < length and groups[i][1].isdigit():
        digits += groups[i][1]
        i += 1
    return digits, i


def _read_groups(groups: list[tuple[str, str]]) -> list[Phone]:
    """Read (separator, digits) groups of one part left to right: 138 9701 2345 | (0971) 6335628 |
    0971 6335628 13897012345. Stops at the first group that does not make a valid number."""
    phones: list[Phone] = []
    i = 0
    while i < len(groups):
        sep, g = groups[i]
        after_country_code = False
        if g in _COUNTRY_CODES and i + 1 < len(groups):
            i, after_country_code = i + 1, True
            sep, g = groups[i]
        elif g.lstrip("+").startswith(("86", "0086")) and len(g.lstrip("+")) in (13, 15):
            g = g.lstrip("+")[-11:]  # +8613897012345 written as one group
        if not g.isdigit():
            break  # another country code, or a stray +
        if after_country_code and len(g) in (2, 3) and _AREA_CODE.fullmatch("0" + g):
            g = "0" + g  # +86 971 6335628, +86 10 68586651: the trunk 0 is dropped in international form
        groups[i] = (sep, g)
        if g[0] == "1":
            digits, i = _take_until(groups, i, 11)
            if len(digits) != 11:
                break
            phones.append(Phone(digits, "mobile"))
            continue
        if g[0] == "0":
            if not _AREA_CODE.fullmatch(g) and i + 1 < len(groups) and _AREA_CODE.fullmatch(g + groups[i + 1][1]):
                # `09.77-8650497`, `0 977 8650497`: a speck or a gap inside the area code splits it
                i, g = i + 1, g + groups[i + 1][1]
            if _AREA_CODE.fullmatch(g):
                subscriber, j = _take_until(groups, i + 1, 7)
                if not (7 <= len(subscriber) <= 8) or subscriber[0] == "0":
                    break
                area, i = g, j
            else:
                split = _split_area(g) if 10 <= len(g) <= 12 else None
                if split is None:
                    break
                (area, subscriber), i = split, i + 1
            phones.append(Phone(f"{area}-{subscriber}", "landline"))
            if i < len(groups) and groups[i][0] == "-" and len(groups[i][1]) <= 4:
                i += 1  # 0971-6335628-801: an extension
            continue
        digits, i = _take_until(groups, i, 7)
        if not (7 <= len(digits) <= 8):
            break
        phones.append(Phone(digits, "landline"))
    return phones


def _read_phone_part(part: str) -> list[Phone]:
    part = WS_RUN.sub(" ", _PHONE_LATIN_LABEL.sub(" ", _PHONE_ANNOTATION.sub(" ", part)))
    if not _PHONE_ALLOWED.fullmatch(part):
        return []  # letters or other symbols: not a phone number
    groups: list[tuple[str, str]] = []
    end = 0
    for m in _PHONE_GROUP.finditer(part):
        groups.append((part[end : m.start()].strip(), m.group()))
        end = m.end()
    return _read_groups(groups)


def parse_phones(raw: str) -> list[Phone]:
    """Every valid phone number in a cell, in order (duplicates removed)."""
    s = to_halfwidth(raw).translate(DROP_ZERO_WIDTH).translate(_PHONE_MAP)
    s = fix_ocr_digits(s)
    s = _PHONE_OCR_DASH.sub("-", s)
    s = _PHONE_EXT.sub("", s)
    out: list[Phone] = []
    for part in _PHONE_PART_SEP.split(s):
        for phone in _read_phone_part(part):
            if phone not in out:
                out.append(phone)
    return out


def parse_phone(raw: str) -> Phone | None:
    """The first valid phone number in the cell: mobile 13897012345, landline 0971-6335628 or 6335628."""
    phones = parse_phones(raw)
    return phones[0] if phones else None


def parse_mobile(raw: str) -> str | None:
    """The first mobile number (11 digits starting with 1) in the cell."""
    return next((p.value for p in parse_phones(raw) if p.kind == "mobile"), None)


# --------------------------------------------------------------------------------------------- e-mail

# A Latin label needs its colon (email@163.com is an address); a Chinese one cannot be part of one.
_EMAIL_LABEL = re.compile(r"^(?:(?:mailto|e-?mail)\s*:|(?:电子邮箱|电子邮件|邮箱|邮件)\s*:?)", re.IGNORECASE)
_EMAIL_NOTE = re.compile(r"[(（][^()（）@]*[)）]")
_EMAIL_PART_SEP = re.compile(r"[;,、\n]|或")
_EMAIL_LOCAL = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~.-]{1,64}", _A)
_DOMAIN_LABEL = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?", _A)


def _valid_email(s: str) -> bool:
    if len(s) > 254 or s.count("@") != 1:
        return False
    local, domain = s.split("@")
    if not _EMAIL_LOCAL.fullmatch(local) or local[0] == "." or local[-1] == "." or ".." in local:
        return False
    labels = domain.split(".")
    return (
        len(labels) >= 2
        and all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
        and labels[-1].isalpha()
        and len(labels[-1]) >= 2
    )


def parse_email(raw: str) -> str | None:
    """Lower-case address; full-width ＠／．, 。 and spaces folded; None when malformed (or not ASCII)."""
    s = to_halfwidth(raw).translate(DROP_ZERO_WIDTH).replace("。", ".").replace("﹫", "@")
    s = _EMAIL_LABEL.sub("", s.strip()).strip()
    part = next((p for p in _EMAIL_PART_SEP.split(s) if p.strip()), "")
    if part.count("@") > 1:  # two addresses separated by a space only
        part = next((t for t in part.split() if "@" in t), "")
    part = _EMAIL_NOTE.sub(" ", part)  # hxkx@163.com（张明）
    # A stop or colon after the address ends the sentence (or is a scan's speck): never part of a domain.
    candidate = WS_RUN.sub("", part).strip('<>()[]"').rstrip(".:").lower()
    return candidate if _valid_email(candidate) else None
