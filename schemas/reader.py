"""The form reader: Document (any format) + form schema → the values the form carries, as read.

It knows labels and layouts, not file formats and not validity: phones stay as written here; checking
and normalising happen in schemas/validate.py. Everything it needs to know about a form comes from
schemas/forms/*.yaml.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.model import BBox, Cell, Document, Paragraph, Table
from schemas.activities import ActivityRead, activity_section_end, activity_section_start, read_activities
from schemas.campaign import load_campaign
from schemas.closing import Closing, is_unit_line, read_closing
from schemas.form_schema import FormSchema
from schemas.labels import LabelIndex
from schemas.normalize import is_blank
from schemas.titles import find_title, title_text


@dataclass
class FieldValue:
    raw: str
    page: int | None = None
    bbox: BBox | None = None
    confidence: float | None = None  # None: read from a text layer, exact


@dataclass
class FormRead:
    schema: FormSchema
    fields: dict[str, FieldValue] = field(default_factory=dict)  # column -> value; absent = not on the form
    activities: list[ActivityRead] = field(default_factory=list)
    people: list[dict[str, FieldValue]] = field(default_factory=list)
    title: FieldValue | None = None
    body: str = ""


# ---------------------------------------------------------------- recognition


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def recognise_form(doc: Document, forms: tuple[FormSchema, ...]) -> FormSchema | None:
    """The form this document is, by the labels it carries (never by its file name).

    Labels make a candidate; a filled form makes a submission. A forwarded notice with its blank templates,
    or a blank template, carries every label and no answer: it is none of the forms (unknown_form).
    """
    text = _squash(doc.all_text())
    candidates: list[tuple[float, FormSchema]] = []
    for form in forms:
        rule = form.recognise
        if rule.labels:
            hits = sum(1 for label in rule.labels if _squash(label) in text)
            if hits < rule.min_hits:
                continue
            if rule.must_have_any and not any(_squash(k) in text for k in rule.must_have_any):
                continue
            score = hits / len(rule.labels)
        elif rule.title_keywords or rule.title_endings:
            if _report_title(doc, form) is None or len(text) < rule.min_body_chars:
                continue
            score = 0.5
        else:
            continue
        candidates.append((score, form))
    candidates.sort(key=lambda c: c[0], reverse=True)  # stable: equal scores keep the schema order
    return next((form for _, form in candidates if _is_filled(doc, form)), None)


def _is_filled(doc: Document, form: FormSchema) -> bool:
    """Does the document answer at least one of the form's identifying questions?"""
    wanted = form.recognise.filled_any
    if not wanted:
        return True
    read = read_form(doc, form)
    for name in wanted:
        if name == "activities" and read.activities:
            return True
        if name == "people" and any(not is_blank(v.raw) for person in read.people for v in person.values()):
            return True
        value = read.fields.get(name)
        if value is not None and not is_blank(value.raw):
            return True
    return False


# ---------------------------------------------------------------- label → value


def _is_scan(doc: Document) -> bool:
    return doc.kind in ("pdf_scan", "image")


def _cell_value(cells: list[Cell]) -> FieldValue:
    texts = [c.text.strip() for c in cells if c.text.strip()]
    confs = [c.confidence for c in cells if c.confidence is not None and c.text.strip()]
    first = cells[0] if cells else None
    return FieldValue(
        raw=" ".join(texts),
        page=first.page if first else None,
        bbox=first.bbox if first else None,
        confidence=min(confs) if confs else None,
    )


def _pairs_from_table(table: Table, index: LabelIndex, fuzzy: bool) -> list[tuple[str, FieldValue]]:
    pairs: list[tuple[str, FieldValue]] = []
    for row in table.rows:
        i = 0
        while i < len(row):
            cell = row[i]
            target = index.lookup(cell.text, fuzzy=fuzzy)
            if target is None:
                inline = index.split_prefix(cell.text)
                if inline is None and fuzzy and sum(1 for c in row if c.text.strip()) == 1:
                    # a scan's row whose label | value ruling line was lost: `主办单位名称青海…学院科协`
                    inline = index.split_leading(cell.text)
                if inline:
                    target, value = inline
                    pairs.append((target, FieldValue(value, cell.page, cell.bbox, cell.confidence)))
                i += 1
                continue
            j = i + 1
            while (
                j < len(row) and index.lookup(row[j].text, fuzzy=fuzzy) is None and not index.split_prefix(row[j].text)
            ):
                j += 1
            value = _cell_value(row[i + 1 : j])
            if value.page is None:
                value.page = cell.page
            pairs.append((target, value))
            i = j
    return pairs


def _pairs_from_paragraph(par: Paragraph, index: LabelIndex) -> list[tuple[str, FieldValue]]:
    pairs = index.split_line(par.text, fuzzy=par.confidence is not None)
    return [(target, FieldValue(value, par.page, par.bbox, par.confidence)) for target, value in pairs]


def _walk_blocks(blocks: list) -> list[tuple[str, object]]:
    """Blocks flattened in reading order, nested tables right after the table holding them."""
    out: list[tuple[str, object]] = []

    def walk_table(table: Table) -> None:
        out.append(("table", table))
        for cell in table.cells():
            for inner in cell.tables:
                walk_table(inner)

    for block in blocks:
        if isinstance(block, Table):
            walk_table(block)
        else:
            out.append(("par", block))
    return out


def read_labelled(
    blocks: list, index: LabelIndex, fuzzy: bool, options: dict[str, list[str]] | None = None
) -> dict[str, FieldValue]:
    """First non-blank value for each label target, in reading order.

    ``options``: targets whose answer may follow their label on lines of its own (`主题活动模块：` then
    `■团结引领`, `□建家办事` … one per paragraph); such lines, while they name an option, join the value.
    """
    found: dict[str, FieldValue] = {}
    options = options or {}
    listing: str | None = None  # the choices target whose options are being listed line by line
    for kind, block in _walk_blocks(blocks):
        if kind == "table":
            pairs = _pairs_from_table(block, index, fuzzy)  # type: ignore[arg-type]
        else:
            par: Paragraph = block  # type: ignore[assignment]
            pairs = _pairs_from_paragraph(par, index)
            if listing is not None and not pairs and _names_option(par.text, options[listing]):
                value = found[listing]
                found[listing] = FieldValue(f"{value.raw} {par.text.strip()}".strip(), value.page, value.bbox)
                continue
        listing = None
        if kind == "par" and len(pairs) == 1 and pairs[0][0] in options and is_blank(pairs[0][1].raw):
            listing = pairs[0][0]
        for target, value in pairs:
            if target not in found or (is_blank(found[target].raw) and not is_blank(value.raw)):
                found[target] = value
        if listing is not None and not is_blank(found[listing].raw):
            listing = None  # answered elsewhere already: the first answer stands
    return found


def _names_option(text: str, choices: list[str]) -> bool:
    squashed = _squash(text)
    return any(_squash(choice) in squashed for choice in choices)


def field_index(form: FormSchema) -> LabelIndex:
    return LabelIndex({f.column: f.labels for f in form.fields})


# ---------------------------------------------------------------- people (回执表)


def _people_header(
    row: list[Cell], index: LabelIndex, order: list[str], fuzzy: bool
) -> tuple[dict[int, str], dict[int, str]] | None:
    """(column → target, column → the second target of a cell holding two labels) for a header row, or None."""
    columns = {cell.col: t for cell in row if (t := index.lookup(cell.text, fuzzy))}
    joined: dict[int, str] = {}
    for cell in row:
        if cell.col not in columns and (pair := _two_labels(cell.text, index, fuzzy)):
            columns[cell.col], joined[cell.col] = pair
    if len(set(columns.values()) | set(joined.values())) < 2:
        return None
    missing = [t for t in order if t not in columns.values() and t not in joined.values()]
    if len(missing) == 1:  # a seal left one header cell blank or garbled on a scan: the form's order names it
        _fill_lost_header(row, columns, order, missing[0], index.labels_of(missing[0]))
    return columns, joined


def _name_and_rest(text: str) -> tuple[str, str] | None:
    """`铁婷 西宁特殊钢办公室主任`, `吴 敏 青海开放大学办公室主任`: the name (2–4 letters, maybe spaced), the rest."""
    for gap in re.finditer(r"\s+", text.strip()):
        name, rest = text.strip()[: gap.start()], text.strip()[gap.end() :]
        letters = len(re.sub(r"\s+", "", name))
        if letters >= 2:
            return (name, rest) if letters <= 4 else None
    return None


def _two_labels(text: str, index: LabelIndex, fuzzy: bool) -> tuple[str, str] | None:
    """`姓名 工作单位及职务`: two header cells in one, the rule between them lost on a fax."""
    for gap in re.finditer(r"\s+", text.strip()):
        left, right = text.strip()[: gap.start()], text.strip()[gap.end() :]
        first, second = index.lookup(left, fuzzy), index.lookup(right, fuzzy)
        if first and second and first != second:
            return first, second
    return None


def _fill_lost_header(
    row: list[Cell], columns: dict[int, str], order: list[str], target: str, labels: list[str]
) -> None:
    """Give ``target`` the header cell nearest the place the form's order puts it (after the column before
    it, before the column after it) that is blank, or that kept a character of its label (`姓 书`)."""
    rank = order.index(target)
    at = {t: c for c, t in columns.items()}
    before = max((at[t] for t in order[:rank] if t in at), default=-1)
    after = min((at[t] for t in order[rank + 1 :] if t in at), default=None)
    letters = set("".join(labels))
    lost = [
        c.col
        for c in row
        if c.col not in columns
        and before < c.col
        and (after is None or c.col < after)
        and (is_blank(c.text) or letters & set(c.text))
    ]
    if lost:
        columns[max(lost) if after is not None else min(lost)] = target


def _header_of(cell: Cell, starts: list[int]) -> int | None:
    """The header column a body cell belongs to: the one labelled column its span covers, else the last labelled
    one at or left of it. A streak or a seal's ring can draw a rule in the header row alone (`序号 | | 姓名`), so a
    name cell spanning the blank column and 姓名's belongs to 姓名, not to 序号 on its left."""
    covered = [s for s in starts if cell.col <= s < cell.col + cell.col_span]
    if len(covered) == 1:
        return covered[0]
    return max((s for s in starts if s <= cell.col), default=None)


def read_people(doc: Document, form: FormSchema) -> list[dict[str, FieldValue]]:
    assert form.people is not None
    index = LabelIndex({c.column: c.labels for c in form.people.columns})
    order = [c.column for c in form.people.columns]
    fuzzy = _is_scan(doc)  # OCR misreads a header letter: `工在单位及职务`
    people: list[dict[str, FieldValue]] = []
    for table in doc.iter_tables():
        found: tuple[dict[int, str], dict[int, str]] | None = None
        for row in table.rows:
            if found is None:
                found = _people_header(row, index, order, fuzzy)
                continue
            header, joined = found
            person: dict[str, FieldValue] = {}
            starts = sorted(header)
            for cell in row:
                col = _header_of(cell, starts)
                if col is None or is_blank(cell.text):
                    continue
                parts = [(header[col], cell.text.strip())]
                if col in joined and (halves := _name_and_rest(cell.text)):
                    parts = [(header[col], halves[0]), (joined[col], halves[1])]  # `铁婷 西宁特殊钢办公室主任`
                for target, text in parts:
                    prev = person.get(target)
                    value = FieldValue(text, cell.page, cell.bbox, cell.confidence)
                    person[target] = value if prev is None else FieldValue(prev.raw + " " + value.raw, prev.page)
            if person:
                people.append(person)
    return people


# ---------------------------------------------------------------- reports


def _report_title(doc: Document, form: FormSchema) -> list[Paragraph] | None:
    rule = form.recognise
    pars = [p for p in doc.iter_paragraphs() if p.text.strip()][: rule.title_within_paragraphs]
    index = field_index(form)
    return find_title(pars, rule.title_keywords, rule.title_endings, lambda text: bool(index.split_line(text)))


def read_report(doc: Document, form: FormSchema, index: LabelIndex, read: FormRead) -> None:
    year = load_campaign().year  # completes 6月15日; in a title it ends the unit's name (海西州科协2021年“…”总结)
    title = _report_title(doc, form)
    pars = [p for p in doc.iter_paragraphs() if p.text.strip()]
    if title is None:
        return
    first = title[0]
    read.title = FieldValue(title_text(title), first.page, first.bbox, first.confidence)
    body = pars[pars.index(title[-1]) + 1 :]
    body = [p for p in body if not index.split_line(p.text)]  # 报送单位：… lines are not body
    # The unit's name on its own line under the title (`青海省农学会`) is not body either: the 字数 leaves it out.
    heading_unit = body.pop(0) if body and is_unit_line(body[0].text) else None
    closing = read_closing(body)
    read.body = "\n".join(p.text.strip() for p in body[: closing.start])
    if closing.date is not None:
        _fill_if_blank(read, "submitted_on", _par_value(closing.date))
    found_unit = read.fields.get("unit_raw")
    if found_unit is None or is_blank(found_unit.raw):
        prefix = re.split(rf"{year}|关于|“|\"|《", read.title.raw, maxsplit=1)[0].strip()
        # A 落款 name the seal cut (`都区科学技会`) gives way to the whole name in the title (`乐都区科学技术协会…`).
        whole_closing = closing.unit is not None and is_unit_line(closing.unit.text)
        if whole_closing or heading_unit is not None:
            read.fields["unit_raw"] = _par_value(closing.unit if whole_closing else heading_unit)
        elif prefix and (closing.unit is None or is_unit_line(prefix)):
            read.fields["unit_raw"] = FieldValue(prefix, first.page, first.bbox, first.confidence)
        elif closing.unit is not None:
            read.fields["unit_raw"] = _par_value(closing.unit)


def _par_value(par: Paragraph) -> FieldValue:
    return FieldValue(par.text.strip(), par.page, par.bbox, par.confidence)


# ---------------------------------------------------------------- entry point


def read_form(doc: Document, form: FormSchema) -> FormRead:
    index = field_index(form)
    read = FormRead(schema=form)
    blocks = doc.blocks
    closing = None
    if form.activities is not None:
        closing_at, closing = _plan_closing(doc.blocks)
        start = activity_section_start(doc.blocks, form.activities)
        if start is not None:
            end = min(activity_section_end(doc.blocks, start, form.activities), max(closing_at, start + 1))
            read.activities = read_activities(doc.blocks[start:end], form.activities)
            # labels like 活动名称/活动时间 recur inside the write-ups: read the form's fields around them only
            blocks = doc.blocks[:start] + doc.blocks[end:]
    options = {f.column: f.choices for f in form.fields if f.type == "choices"}
    read.fields = read_labelled(blocks, index, fuzzy=_is_scan(doc), options=options)
    if closing is not None and closing.date is not None and form.field("submitted_on") is not None:
        _fill_if_blank(read, "submitted_on", _par_value(closing.date))
    if form.people is not None:
        read.people = read_people(doc, form)
    if form.report is not None:
        read_report(doc, form, index, read)
    return read


def _plan_closing(blocks: list) -> tuple[int, Closing]:
    """The 落款 (unit over date, no labels) ending a plan, and the index of its first block."""
    tail = len(blocks)
    while tail > 0 and isinstance(blocks[tail - 1], Paragraph):
        tail -= 1
    closing = read_closing(blocks[tail:], need_date=True)
    return tail + closing.start, closing


def _fill_if_blank(read: FormRead, column: str, value: FieldValue) -> None:
    found = read.fields.get(column)
    if found is None or is_blank(found.raw):
        read.fields[column] = value
