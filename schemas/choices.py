"""Which options of a checkbox question are ticked, from the text the extractor wrote.

People tick `团结引领（√）`, `(✓)`, `☑`/`□`, `■`/`□`, `√团结引领`; Word controls arrive as ☑/☐; a scan's
undecidable box arrives as U+FFFD. "None ticked" (every box seen empty) is not the same as "could not tell".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.model import UNDECIDED

# v, V and the check read as a Latin letter by OCR (`为民服务(i)`, `(J)`) count only bracketed or alone (see _tick_in)
_TICK_LETTERS = set("vVＶｖiJ×✗✘")
TICK_MARKS = set("√✓✔☑☒■●◆▲★▇█✅") | _TICK_LETTERS
BOX_MARKS = set("□☐○◯〇") | TICK_MARKS | {UNDECIDED}
_BRACKETS = set("()（）[]【】")
_OPENING = set("(（[【")
_CLOSING = set(")）]】")  # `（√）团结引领`: a bracketed box ends right before its option


@dataclass(frozen=True)
class ChoiceRead:
    ticked: list[str]  # in the order of the schema's choices (= the order the form prints them)
    undecided: list[str]  # options whose box could not be read
    options_seen: int  # how many of the options were found in the text at all


def _zone_has(zone: str, marks: set[str]) -> bool:
    return any(ch in marks for ch in zone)


def _tick_in(zone: str) -> bool:
    # v/V/i/J/×/✗ count as ticks only inside brackets or standing alone, never as part of a word
    for i, ch in enumerate(zone):
        if ch in TICK_MARKS - _TICK_LETTERS:
            return True
        if ch in _TICK_LETTERS:
            before = zone[i - 1] if i else " "
            after = zone[i + 1] if i + 1 < len(zone) else " "
            if (before in _BRACKETS or before.isspace()) and (after in _BRACKETS or after.isspace()):
                return True
    return False


_EDGE_VOTE = 2  # the line's ends vote as much as one touching mark


def _marks_lead(text: str, spots: list[tuple[int, int, str]]) -> bool:
    """Do the marks sit before each option (☑团结引领) rather than after it (团结引领（√）)?

    Votes: an option with a mark or a closing bracket right before it (at most one space between) votes
    "before"; one with a mark or bracket right after it votes "after".
    `科协系统干部    √科技工作者` has one touching mark, before.
    The line's two ends vote too: a box before the first option and nothing after the last
    (`☑ 科协系统干部 ☐ 科技工作者☐ 海外同行`, where a lost space made the middle box touch the option before it).
    """
    boxed_start = _zone_has(text[: spots[0][0]], BOX_MARKS | _OPENING)
    boxed_end = _zone_has(text[spots[-1][1] :], BOX_MARKS | _CLOSING)
    before = _EDGE_VOTE * (boxed_start and not boxed_end)
    after = _EDGE_VOTE * (boxed_end and not boxed_start)
    for start, end, _ in spots:
        for gap, weight in ((0, 2), (1, 1)):  # touching counts double: `干部 √科技` leans to 科技
            lead = text[max(0, start - gap - 1) : start]
            tail = text[end : end + gap + 1]
            if lead and (lead[0] in BOX_MARKS or lead[0] in _CLOSING) and lead[1:].strip() == "":
                before += weight
            if tail and (tail[-1] in BOX_MARKS or tail[-1] in _BRACKETS) and tail[:-1].strip() == "":
                after += weight
    return before > after


_BOXED_OTHERS = 2  # options showing a box before one without any is taken for a box that could not be read
_FUZZY_MIN = 4  # letters: a shorter option differs from another word by one letter too easily


def _one_letter_off(text: str, choice: str, taken: list[tuple[int, int, str]]) -> tuple[int, int] | None:
    """Where ``text`` holds ``choice`` with exactly one letter read wrong, clear of the options found."""
    if len(choice) < _FUZZY_MIN:
        return None
    n = len(choice)
    for start in range(len(text) - n + 1):
        window = text[start : start + n]
        if sum(a != b for a, b in zip(window, choice, strict=True)) != 1:
            continue
        if any(ch in BOX_MARKS or ch in _BRACKETS or ch.isspace() for ch in window):
            continue
        if any(start < end and begin < start + n for begin, end, _ in taken):
            continue
        return start, start + n
    return None


def _end_letter_lost(
    text: str, choice: str, choices: list[str], taken: list[tuple[int, int, str]]
) -> tuple[int, int] | None:
    """Where ``text`` holds ``choice`` less its first or last letter (a pen tick or a seal over `为` of 为民服务
    leaves `民服务（√）`), the cut side bare (the cell's edge, a space, a box or a bracket), clear of the options
    found, and no other option holding the rest."""
    if len(choice) < _FUZZY_MIN:
        return None
    for rest, first_lost in ((choice[1:], True), (choice[:-1], False)):
        if any(rest in other for other in choices if other != choice):
            continue
        for match in re.finditer(re.escape(rest), text):
            start, end = match.span()
            side = text[start - 1 : start] if first_lost else text[end : end + 1]
            if side and not (side.isspace() or side in BOX_MARKS or side in _BRACKETS):
                continue
            if not any(start < stop and begin < end for begin, stop, _ in taken):
                return start, end
    return None


_BOX_LETTERS = "口"  # what OCR makes of an empty □ it did not know as a box


def _boxes_read_as_letters(text: str, spots: list[tuple[int, int, str]]) -> str:
    """``text`` with each `口` outside the options found made the box it is (`科技工作者 ☑海外同行 口`): among a
    question's options there is no word for it to be a letter of."""
    inside = {i for start, end, _ in spots for i in range(start, end)}
    return "".join("☐" if ch in _BOX_LETTERS and i not in inside else ch for i, ch in enumerate(text))


def read_choices(text: str, choices: list[str]) -> ChoiceRead:
    squashed = re.sub(r"\s+", " ", text)
    spots = []
    for choice in choices:
        pattern = r"\s*".join(re.escape(ch) for ch in choice)
        match = re.search(pattern, squashed)
        if match:
            spots.append((match.start(), match.end(), choice))
    for choice in choices:  # then those printed with one letter misread (`团结引额`), where nothing else is
        if all(c != choice for _, _, c in spots) and (near := _one_letter_off(squashed, choice, spots)):
            spots.append((*near, choice))
    for choice in choices:  # and those that lost a letter at one end
        if all(c != choice for _, _, c in spots) and (cut := _end_letter_lost(squashed, choice, choices, spots)):
            spots.append((*cut, choice))
    spots.sort()
    if not spots:
        return ChoiceRead([], [], 0)
    squashed = _boxes_read_as_letters(squashed, spots)
    if not any(ch in BOX_MARKS or ch in _BRACKETS for ch in squashed):
        # no boxes at all: someone typed just the options they chose (`团结引领、为民服务`); all five
        # printed without any mark means nothing was chosen
        seen = [choice for _, _, choice in spots]
        chosen = [] if len(seen) == len(choices) else [c for c in choices if c in seen]
        return ChoiceRead(chosen, [], len(spots))
    marks_before = _marks_lead(squashed, spots)
    zones = []
    for i, (start, end, _) in enumerate(spots):
        if marks_before:
            zones.append(squashed[spots[i - 1][1] if i else 0 : start])
        else:
            zones.append(squashed[end : spots[i + 1][0] if i + 1 < len(spots) else len(squashed)])
    # Where the other options each show a box, an option with none had its box hidden (a pen's check drawn
    # over it, read as nothing): that box cannot be read, which is not "left empty".
    boxes = sum(ch in BOX_MARKS or ch in _OPENING for ch in squashed)  # a box glyph or an opening bracket each
    boxed = boxes < len(spots) and sum(_zone_has(zone, BOX_MARKS | _BRACKETS) for zone in zones) >= _BOXED_OTHERS
    ticked: set[str] = set()
    undecided: list[str] = []
    for zone, (_, _, choice) in zip(zones, spots, strict=True):
        if _tick_in(zone):
            ticked.add(choice)
        elif UNDECIDED in zone or (boxed and not _zone_has(zone, BOX_MARKS | _BRACKETS)):
            undecided.append(choice)
    ordered = [c for c in choices if c in ticked]
    return ChoiceRead(ordered, [c for c in choices if c in undecided], len(spots))
