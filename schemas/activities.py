"""二、工作方案: split the write-up into activities, by numbering or one table per activity (一项一表)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date

from extractors.model import Paragraph, Table
from schemas.campaign import Campaign
from schemas.form_schema import ActivitiesSpec
from schemas.labels import LabelIndex
from schemas.normalize import parse_stage_dates

_CN_NUM = "一二三四五六七八九十"
# Numbering styles, each a family: once the first header fixes the family, only that family splits,
# so sub-items numbered another way (1. 2. inside 一、) stay in the description.
_NUMBERING = {
    "activity": re.compile(rf"^\s*活动\s*[{_CN_NUM}\d]+\s*[:：、.．]?\s*"),
    "cn_comma": re.compile(rf"^\s*[{_CN_NUM}]+\s*[、.．]\s*"),
    "cn_paren": re.compile(rf"^\s*[（(]\s*[{_CN_NUM}]+\s*[)）]\s*"),
    "arabic": re.compile(r"^\s*\d{1,2}\s*(?:[、．]|\.(?!\d))\s*"),
    "arabic_paren": re.compile(r"^\s*[（(]\s*\d{1,2}\s*[)）]\s*"),
    "item": re.compile(rf"^\s*第\s*[{_CN_NUM}\d]+\s*项\s*[:：、.．]?\s*"),
}
_EXPLICIT_STAGE = re.compile(r"第\s*([一二三123])\s*阶段")
_TITLE_MAX = 40
_TRAILING_COLON = re.compile(r"[:：]\s*$")
_HALF_LABEL = 3  # characters: each half of a row label cut by a page break (`活动` / `名称`)


@dataclass
class ActivityRead:
    title: str
    description: str
    page: int | None = None
    confidence: float | None = None


def activity_section_start(blocks: list, spec: ActivitiesSpec) -> int | None:
    """Index of the block that opens 二、工作方案, or None when the form has no such heading."""
    for i, block in enumerate(blocks):
        if isinstance(block, Paragraph) and len(block.text) <= 30:
            if any(label in re.sub(r"\s+", "", block.text) for label in spec.section_labels):
                return i
    return None


def activity_section_end(blocks: list, start: int, spec: ActivitiesSpec) -> int:
    """Index just past the write-up: the 单位盖章/落款 paragraph after it, or the end of the document."""
    for i in range(start + 1, len(blocks)):
        if isinstance(blocks[i], Paragraph) and _stop(blocks[i], spec):
            return i
    return len(blocks)


def read_activities(blocks: list, spec: ActivitiesSpec) -> list[ActivityRead]:
    body = blocks[1:]  # skip the heading itself
    tables = _across_pages([b for b in body if isinstance(b, Table)])
    from_tables: list[ActivityRead] = []
    for table in tables:
        rows = _activities_from_row_table(table, spec)  # one table, one activity per row
        if rows:
            from_tables += rows
        else:  # 一项一表, or label | value rows where each 活动名称 row opens the next activity
            from_tables += [one for part in _split_at_titles(table, spec) if (one := _activity_from_table(part, spec))]
    if from_tables:
        last_table = max(i for i, b in enumerate(body) if isinstance(b, Table))
        after = [b for b in body[last_table + 1 :] if isinstance(b, Paragraph)]
        return from_tables + _activities_from_label_lines(after, spec)
    return _activities_from_numbering([b for b in body if isinstance(b, Paragraph)], spec)


def _activities_from_label_lines(pars: list[Paragraph], spec: ActivitiesSpec) -> list[ActivityRead]:
    """一项一表 tables whose ruling lines a fax or photo lost: lines that start with the name label.

    Only after the last table that was found (text before the first such line belongs to the table above).
    """
    index = LabelIndex({"title": spec.title_labels})

    def header(text: str) -> tuple[str, str] | None:
        leading = index.split_leading(text)
        return (leading[1], "") if leading and leading[1] else None

    labels = sorted(spec.detail_labels, key=len, reverse=True)
    detail = re.compile(rf"^\s*({'|'.join(map(re.escape, labels))})(?!\s*[:：])\s*(?=\S)") if labels else None

    def as_table_row(par: Paragraph) -> Paragraph:
        """`活动时间 2021年…` (a row whose rule the fax lost) → `活动时间：2021年…`, as the table's rows read."""
        hit = detail.match(par.text) if detail else None
        return replace(par, text=f"{hit.group(1)}：{par.text[hit.end() :].strip()}") if hit else par

    return _split_at_headers([as_table_row(p) for p in pars], spec, header)


def _across_pages(tables: list[Table]) -> list[Table]:
    """A label | value table that runs on over a page break is one table; a row the break cut in two (`活动` /
    `名称`, `预期` / `成效`: both label halves short; or a 预期成效 whose text goes on under an empty label
    cell) is one row again."""
    out: list[Table] = []
    for table in tables:
        prev = out[-1] if out else None
        if prev is None or table.page <= prev.page or not prev.rows or not table.rows or not _two_columns(table):
            out.append(table)
            continue
        if not _two_columns(prev):
            out.append(table)
            continue
        rows = [list(r) for r in prev.rows]
        first, *rest = table.rows
        last = rows[-1]
        top, bottom = last[0].text.strip(), first[0].text.strip()
        # The break cut the row: both label halves short, or the value runs on under an empty label.
        if (0 < len(top) <= _HALF_LABEL and 0 < len(bottom) <= _HALF_LABEL) or (top and not bottom):
            joined = [replace(last[0], text=top + bottom)]
            joined += [
                replace(c, text=c.text + (first[k + 1].text if k + 1 < len(first) else ""))
                for k, c in enumerate(last[1:])
            ]
            rows[-1] = joined
        else:
            rest = table.rows
        out[-1] = Table(rows=rows + [list(r) for r in rest], page=prev.page, bbox=prev.bbox)
    return out


def _two_columns(table: Table) -> bool:
    return (
        all(len([c for c in row if c.text.strip()]) <= 2 for row in table.rows) and max(len(r) for r in table.rows) == 2
    )


def _split_at_titles(table: Table, spec: ActivitiesSpec) -> list[Table]:
    """The table cut before every row after the first whose label is an activity's name label."""
    index = LabelIndex({"title": spec.title_labels})
    parts: list[list] = [[]]
    for row in table.rows:
        cells = [c for c in row if c.text.strip()]
        if (
            cells
            and index.lookup(cells[0].text.strip())
            and any(index.lookup(c[0].text.strip()) for c in parts[-1] if c)
        ):
            parts.append([])
        parts[-1].append(row)
    return [Table(rows=rows, page=table.page, bbox=table.bbox) for rows in parts if rows]


def _activity_from_table(table: Table, spec: ActivitiesSpec) -> ActivityRead | None:
    index = LabelIndex({"title": spec.title_labels})
    title = ""
    lines: list[str] = []
    confs: list[float] = []
    for row in table.rows:
        cells = [c for c in row if c.text.strip()]
        if not cells:
            continue
        label, values = cells[0].text.strip(), " ".join(c.text.strip() for c in cells[1:])
        confs += [c.confidence for c in cells if c.confidence is not None]
        if not title and index.lookup(label):
            title = values
        else:
            bare = _TRAILING_COLON.sub("", label)
            lines.append(f"{bare}：{values}" if values else label)
    if not title:
        return None
    return ActivityRead(title, "\n".join(lines), table.page, min(confs) if confs else None)


def _activities_from_row_table(table: Table, spec: ActivitiesSpec) -> list[ActivityRead]:
    """A single table whose header row is 活动名称 | 时间 | 地点 | 内容 … and each further row is an activity."""
    if len(table.rows) < 2:
        return []
    index = LabelIndex({"title": spec.title_labels})
    header = table.rows[0]
    title_cols = [c.col for c in header if index.lookup(c.text)]
    heads = [c.text.strip() for c in header if c.text.strip()]
    # a header row is short column names (活动名称 | 时间 | 地点 | 内容); a 2-column 一项一表 row is label | value
    if not title_cols or len(heads) < 3 or any(len(h) > 10 or any(ch.isdigit() for ch in h) for h in heads):
        return []
    names = {c.col: _TRAILING_COLON.sub("", c.text.strip()) for c in header}
    numbering = LabelIndex({"number": spec.number_labels})
    skipped = set(title_cols) | {c.col for c in header if numbering.lookup(c.text)}  # 序号 numbers the rows
    out: list[ActivityRead] = []
    for row in table.rows[1:]:
        title = " ".join(c.text.strip() for c in row if c.col in title_cols).strip()
        if not title:
            continue
        lines = [f"{names.get(c.col, '')}：{c.text.strip()}" for c in row if c.col not in skipped and c.text.strip()]
        confs = [c.confidence for c in row if c.confidence is not None]
        out.append(
            ActivityRead(title, "\n".join(lines), row[0].page if row else table.page, min(confs) if confs else None)
        )
    return out


def _numbering_family(text: str) -> str | None:
    return next((name for name, pattern in _NUMBERING.items() if pattern.match(text)), None)


def _stop(par: Paragraph, spec: ActivitiesSpec) -> bool:
    squashed = re.sub(r"\s+", "", par.text)
    return any(squashed.startswith(label) for label in spec.end_labels)


def _activities_from_numbering(pars: list[Paragraph], spec: ActivitiesSpec) -> list[ActivityRead]:
    family: str | None = None

    def header(text: str) -> tuple[str, str] | None:
        nonlocal family
        if family is None:
            family = _numbering_family(text)  # the instruction text under the heading comes before the first one
        match = _NUMBERING[family].match(text) if family else None
        return _split_title(text[match.end() :]) if match else None

    return _split_at_headers(pars, spec, header)


def _split_at_headers(
    pars: list[Paragraph], spec: ActivitiesSpec, header: Callable[[str], tuple[str, str] | None]
) -> list[ActivityRead]:
    """Activities from paragraphs: ``header(text)`` gives (title, rest of the line) where one opens; the lines
    after it are its description; lines before the first are skipped; the 落款/单位盖章 line ends them."""
    out: list[ActivityRead] = []
    lines: list[str] = []
    confs: list[float] = []

    def close() -> None:
        if out:
            out[-1].description = "\n".join(lines)
            out[-1].confidence = min(confs) if confs else None

    for par in pars:
        text = par.text.strip()
        if not text:
            continue
        if _stop(par, spec):
            break
        opened = header(text)
        if opened:
            close()
            title, rest = opened
            out.append(ActivityRead(title, "", par.page))
            lines, confs = ([rest] if rest else []), []
        elif out:
            lines.append(text)
        else:
            continue
        if par.confidence is not None:
            confs.append(par.confidence)
    close()
    return out


def _split_title(text: str) -> tuple[str, str]:
    """A header that runs on (`座谈会。时间：5月20日…`) keeps only its first phrase as the title."""
    if len(text) <= _TITLE_MAX:
        return text.strip(), ""
    match = re.search(r"[。；;：:]", text)
    if match and match.start() <= _TITLE_MAX:
        return text[: match.start()].strip(), text[match.end() :].strip()
    return text.strip(), ""


def stage_of(title: str, description: str, campaign: Campaign) -> int | None:
    """第X阶段 when stated; else the campaign's stage whose dates hold the first date mentioned."""
    text = f"{title}\n{description}"
    explicit = _EXPLICIT_STAGE.search(text)
    if explicit:
        return {"一": 1, "1": 1, "二": 2, "2": 2, "三": 3, "3": 3}[explicit.group(1)]
    first: date | None = parse_stage_dates(text, default_year=campaign.year)
    if first is None:
        return None
    return next((s.stage for s in campaign.stages if s.start <= first <= s.end), None)
