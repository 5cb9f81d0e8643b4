"""A document's title among its first paragraphs, also when it is broken over two or three of them.

`2021年“全国科技工作者日”` over `特色亮点活动总结报告` is one title (the truth joins it without a separator);
so is a keyword broken at the line end (`…活动总` / `结报告`). A title is found by its keywords (总结报告,
活动总结 …) or its ending (…的总结); the lines above it that carry on into it are title too, but not an
attachment mark (附件2), a letterhead (…文件), a unit's name standing alone, a date, a label line or a sentence —
except a unit's name right above a title that names no unit (`化隆县科协` / `2021年“…”活动的总结报告`): a long
title wrapped after its unit.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractors.model import Paragraph
from schemas.closing import is_date_line, is_unit_line, squash

_TITLE_MAX = 60  # characters of one title line
_RUN_MAX = 3  # paragraphs one title may span
_ATTACHMENT = re.compile(r"^附件\s*[\d一二三四五六七八九十]*\s*[:：]?$")
_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]+\s*[)）]|\d+\s*[、.．])"
)
_NO_UNIT_OF_ITS_OWN = re.compile(r"^(?:(?:19|20)\d\d|二[〇零○]|[“\"《])")
_CLOSERS = "”’」』）)】》"


def _title_line(par: Paragraph, is_label_line: Callable[[str], bool]) -> bool:
    text = par.text.strip()
    squashed = squash(text)
    if not squashed or len(squashed) > _TITLE_MAX or "。" in squashed or squashed[-1] in "；;，,：:":
        return False
    if _ATTACHMENT.match(squashed) or squashed.endswith("文件") or _NUMBERED.match(text):
        return False
    return not (is_label_line(text) or is_date_line(text) or is_unit_line(text))


def _unit_heads(above: Paragraph, first: Paragraph) -> bool:
    """A unit's name on its own line right above a title that names no unit (`2021年“…”活动的总结报告`) is
    the title's first line: a long title wrapped after the unit's name (the unit is then the 报送单位)."""
    return is_unit_line(above.text) and bool(_NO_UNIT_OF_ITS_OWN.match(squash(first.text)))


def _names_form(squashed: str, keywords: list[str], endings: list[str]) -> bool:
    core = squashed.rstrip(_CLOSERS)
    return any(k in squashed for k in keywords) or any(core.endswith(e) for e in endings)


def find_title(
    pars: list[Paragraph],
    keywords: list[str],
    endings: list[str],
    is_label_line: Callable[[str], bool],
) -> list[Paragraph] | None:
    """The paragraphs that make up the title, in order, or None.

    ``pars``: the document's first non-blank paragraphs (the title must be among them).
    ``is_label_line``: True for a `label：value` line of the form (报送单位：…), which is never title.
    """
    for i, par in enumerate(pars):
        run = [par]
        while True:
            joined = "".join(squash(p.text) for p in run)
            if _names_form(joined, keywords, endings):
                break
            nxt = i + len(run)
            if len(run) >= _RUN_MAX or nxt >= len(pars) or not _title_line(pars[nxt], is_label_line):
                run = []
                break
            if not _title_line(run[-1], is_label_line):
                run = []
                break
            run.append(pars[nxt])
        if not run:
            continue
        if len(run) == 1 or all(_title_line(p, is_label_line) for p in run):
            start = i
            while start > 0 and i - start + len(run) < _RUN_MAX and _title_line(pars[start - 1], is_label_line):
                start -= 1
            if start > 0 and _unit_heads(pars[start - 1], pars[start]):
                start -= 1
            return pars[start:i] + run
    return None


def title_text(run: list[Paragraph]) -> str:
    """The title's lines joined without a separator (each line trimmed)."""
    return "".join(p.text.strip() for p in run)
