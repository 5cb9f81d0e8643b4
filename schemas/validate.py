"""Normalise what the reader found and check it against the form's rules.

Input: a FormRead (values as written) and the Document's format facts (kind, seals).
Output: the cleaned columns for the contract tables and the Findings for exceptions.csv.
A value that fails its check is left empty in the cleaned columns and kept in the Finding's raw_value.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from extractors.model import UNDECIDED, Document, Seal, boxes_overlap
from schemas.activities import stage_of
from schemas.campaign import load_campaign
from schemas.choices import read_choices
from schemas.contacts import parse_email, parse_mobile, parse_phone
from schemas.findings import Finding, finding
from schemas.form_schema import FieldSpec
from schemas.normalize import (
    clean_text,
    count_chars,
    is_blank,
    parse_date,
    parse_date_in_unread_year,
    parse_date_range,
    parse_head_count,
)
from schemas.reader import FieldValue, FormRead
from schemas.units import UnitMatch, UnitRegistry

DEFAULT_MIN_CONFIDENCE = 0.80
SEAL_COLUMN = "stamp_present"  # where a seal finding points on a form without a stamp rule (回执表, 总结报告)


@dataclass
class Cleaned:
    form_type: str
    row: dict[str, str] = field(default_factory=dict)  # plans / reports: the submission's own row
    activities: list[dict[str, str]] = field(default_factory=list)
    people: list[dict[str, str]] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    unit_category: str | None = None

    @property
    def has_error(self) -> bool:
        return any(f.severity == "error" for f in self.findings)


class _Checker:
    """Holds one submission's state while its fields are checked one by one."""

    def __init__(self, read: FormRead, registry: UnitRegistry, min_confidence: float, seals: list[Seal]) -> None:
        self.read = read
        self.seals = seals
        self.form = read.schema
        self.registry = registry
        self.min_confidence = min_confidence
        self.campaign = load_campaign()  # the year that completes 5月28日, the stages
        self.out = Cleaned(form_type=self.form.form_type)

    # -- helpers

    def add(self, code: str, severity: str, column: str, value: FieldValue | None, label: str, **kw) -> None:
        self.out.findings.append(
            finding(
                code,
                severity,
                column,
                label=label,
                raw=value.raw if value else "",
                page=value.page if value else None,
                confidence=value.confidence if value else None,
                **kw,
            )
        )

    def missing_in_row(self, column: str, label: str, other: FieldValue | None, named: bool = False) -> None:
        """A person's missing value: nothing was read (raw ""), `other` (a value of the same row) says whose."""
        hint = "" if other is None or is_blank(other.raw) else _value_text(other.raw)
        shown = f"{hint}的{label}" if named and hint else label  # “张三的手机”未填写
        page = other.page if other else None
        self.out.findings.append(finding("missing_field", "error", column, label=shown, page=page, row_hint=hint))

    def shaky(self, column: str, value: FieldValue, label: str) -> bool:
        """True (and a low_confidence finding) when OCR was not sure of this value."""
        if value.confidence is None or value.confidence >= self.min_confidence or is_blank(value.raw):
            return False
        self.add("low_confidence", "error", column, value, label)
        return True

    # -- the form's own fields

    def check_fields(self) -> None:
        unit_spec = next((f for f in self.form.fields if f.type == "unit"), None)
        if unit_spec is not None:
            self.check_unit(unit_spec)  # first: deadlines and limits depend on the unit's category
        for spec in self.form.fields:
            if spec.type != "unit":
                self.check_field(spec, self.read.fields.get(spec.column))

    def check_unit(self, spec: FieldSpec) -> None:
        value = self.read.fields.get(spec.column)
        row = self.out.row
        row.update(unit_id="", unit_name="", unit_raw="", unit_score="")
        if value is None or is_blank(value.raw):
            sealed = self._unit_on_seals(self.seals)
            if sealed is not None:  # 填报单位（盖章）: the seal names the unit the cell does not show
                self._take_unit(sealed)
                return
            self.add("missing_field", spec.required or "error", "unit_raw", value, spec.label_zh)
            return
        raw = _value_text(value.raw)
        row["unit_raw"] = raw
        match = self.registry.match(raw)
        if value.confidence is not None and match.score < 100:
            match = self._unit_under_seal(value, raw) or self._unit_a_seal_confirms(match) or match
        self._take_unit(match)
        if match.status == "matched" and match.unit is not None:
            if value.confidence is not None:  # OCR: a letter or two misread in a listed name is read as listed
                row["unit_raw"] = self.registry.listed_spelling(match.unit, raw) or raw
            return
        suggestion = match.suggestion.canonical_name if match.suggestion else ""
        code = "unit_ambiguous" if match.status == "ambiguous" else "unit_unmatched"
        self.add(code, "error", "unit_raw", value, spec.label_zh, suggestion=suggestion)

    def _take_unit(self, match: UnitMatch) -> None:
        row = self.out.row
        row["unit_score"] = f"{match.score:.0f}" if match.score else ""
        if match.status == "matched" and match.unit is not None:
            row.update(unit_id=match.unit.unit_id, unit_name=match.unit.canonical_name)
            self.out.unit_category = match.unit.category

    def _unit_on_seals(self, seals: list[Seal]) -> UnitMatch | None:
        """The one unit these seals' rings name for sure (a ring half read, or two units named, says nothing)."""
        rings = [self.registry.match(seal.text) for seal in seals if seal.text]
        named = [ring for ring in rings if ring.status == "matched" and ring.unit is not None]
        units = {ring.unit.unit_id for ring in named if ring.unit}
        return named[0] if len(units) == 1 else None

    def _seals_over(self, value: FieldValue) -> list[Seal]:
        """The seals pressed over this value's place on its page."""
        if value.bbox is None:
            return []
        return [s for s in self.seals if s.page == value.page and boxes_overlap(value.bbox, s.bbox)]

    def _unit_under_seal(self, value: FieldValue, raw: str) -> UnitMatch | None:
        """The unit a seal pressed over this OCR'd unit value names, when what could be read is part of its name.

        The ring hides letters of the value under it (青海民大科协 read `青海科`, a letter off hq's 青海科协); every
        letter still seen standing in the seal's unit's name, in order, says the cell named that unit. A value read
        whole that names another unit than its seal keeps its own unit (and seal_mismatch tells staff)."""
        over = self._seals_over(value)
        if not over:
            return None
        sealed = self._unit_on_seals(over)
        if sealed is not None and sealed.unit is not None and self.registry.holds_in_order(sealed.unit, raw):
            return sealed
        cut = self.registry.completed(raw)  # the ring unread, but what the seal left begins one unit's name
        return UnitMatch("matched", cut, self.registry.closeness(cut, raw), None, raw) if cut else None

    def _unit_a_seal_confirms(self, match: UnitMatch) -> UnitMatch | None:
        """The OCR'd value's best unit, when a seal's ring, read apart, comes nearest the same unit.

        Neither reading is sure alone (`西部矿业业集团…` doubles a letter of the name's core; the ring read
        `西部矿业集风…科学教术协会`); two readings of different ink agreeing on one unit are."""
        if match.status != "ambiguous" or match.suggestion is None:
            return None
        for seal in self.seals:
            ring = self.registry.match(seal.text) if seal.text else None
            if ring is not None and ring.status != "unmatched" and (ring.unit or ring.suggestion) == match.suggestion:
                return UnitMatch("matched", match.suggestion, match.score, None, match.raw)
        return None

    def check_field(self, spec: FieldSpec, value: FieldValue | None) -> None:
        row = self.out.row
        for column in (spec.column, spec.start_column, spec.end_column, spec.count_column):
            if column:
                row[column] = ""
        if spec.type == "choices":
            self.check_choices(spec, value)
            return
        if value is None or is_blank(value.raw):
            if spec.required:
                self.add("missing_field", spec.required, spec.start_column or spec.column, value, spec.label_zh)
            return
        if self.shaky(spec.start_column or spec.column, value, spec.label_zh):
            return
        raw = _value_text(value.raw)
        checker = getattr(self, f"check_{spec.type}")
        checker(spec, value, raw)

    def check_text(self, spec: FieldSpec, value: FieldValue, raw: str) -> None:
        self.out.row[spec.column] = raw

    def check_person(self, spec: FieldSpec, value: FieldValue, raw: str) -> None:
        self.out.row[spec.column] = _person_name(raw)

    def check_head_count(self, spec: FieldSpec, value: FieldValue, raw: str) -> None:
        self.out.row[spec.column] = raw
        count = parse_head_count(raw)
        if spec.count_column and count is not None:
            self.out.row[spec.count_column] = str(count)

    def check_phone(self, spec: FieldSpec, value: FieldValue, raw: str) -> None:
        phone = None if _typed_letter_for_digit(value) else parse_phone(raw)
        if phone is None:
            self.add("invalid_phone", "error", spec.column, value, spec.label_zh)
        else:
            self.out.row[spec.column] = phone.value

    def check_mobile(self, spec: FieldSpec, value: FieldValue, raw: str) -> None:
        mobile = None if _typed_letter_for_digit(value) else parse_mobile(raw)
        if mobile is None:
            self.add("invalid_mobile", "error", spec.column, value, spec.label_zh)
        else:
            self.out.row[spec.column] = mobile

    def check_email(self, spec: FieldSpec, value: FieldValue, raw: str) -> None:
        email = parse_email(_without_accents(raw) if value.confidence is not None else raw)
        if email is None:
            self.add("invalid_email", "error", spec.column, value, spec.label_zh)
        else:
            self.out.row[spec.column] = email

    def check_date(self, spec: FieldSpec, value: FieldValue, raw: str) -> None:
        day = parse_date(raw, default_year=self.campaign.year)
        if day is None and value.confidence is not None:
            guessed = parse_date_in_unread_year(raw, default_year=self.campaign.year)
            if guessed is not None:
                # `三〇二一年六月十一日`: OCR misread a numeral of the year; the month and day stand, the year is the
                # campaign's guess, and staff check it on the original
                self.out.row[spec.column] = guessed.isoformat()
                self.add("low_confidence", "error", spec.column, value, spec.label_zh)
                return
        if day is None:
            # OCR through a seal (`2029` for 2021.5.9 under the ring): the unit wrote a date we cannot read, so staff
            # look at the original rather than ask the unit for a date it gave
            code = "low_confidence" if value.confidence is not None and self._seals_over(value) else "invalid_date"
            self.add(code, "error", spec.column, value, spec.label_zh)
            return
        self.out.row[spec.column] = day.isoformat()
        if value.confidence is not None and day.year != self.campaign.year and self._seals_over(value):
            # `2023年5月7日` on a 2021 form, read through a seal's ring: a digit under the ring, not a late form
            self.add("low_confidence", "error", spec.column, value, spec.label_zh)
            return
        if spec.deadline and self.form.deadline is not None:
            deadline = self.form.deadline.for_category(self.out.unit_category)
            if isinstance(deadline, date) and day > deadline:
                self.add("late_submission", "warning", spec.column, value, spec.label_zh, deadline=deadline.isoformat())

    def check_date_range(self, spec: FieldSpec, value: FieldValue, raw: str) -> None:
        row = self.out.row
        row[spec.column] = raw
        span = parse_date_range(raw, default_year=self.campaign.year)
        column = spec.start_column or spec.column
        if span is None:
            self.add("invalid_date", "error", column, value, spec.label_zh)
            return
        start, end = span
        if spec.start_column:
            row[spec.start_column] = start.isoformat()
        if spec.end_column:
            row[spec.end_column] = end.isoformat()
        if spec.window and (start < spec.window[0] or end > spec.window[1]):
            self.add(
                "date_out_of_window",
                "warning",
                column,
                value,
                spec.label_zh,
                window_start=spec.window[0].isoformat(),
                window_end=spec.window[1].isoformat(),
            )

    def check_choices(self, spec: FieldSpec, value: FieldValue | None) -> None:
        if value is None:
            if spec.none_code:
                self.add(spec.none_code, spec.none_severity, spec.column, value, spec.label_zh)
            return
        chosen = read_choices(value.raw, spec.choices)
        self.out.row[spec.column] = ";".join(chosen.ticked)
        if chosen.undecided and not chosen.ticked:
            self.add("low_confidence", "error", spec.column, value, spec.label_zh)
        elif not chosen.ticked and spec.none_code:
            self.add(spec.none_code, spec.none_severity, spec.column, value, spec.label_zh)

    # -- format facts, sections and lists

    def check_stamp(self, doc: Document) -> None:
        stamp = self.form.stamp
        if stamp is None:
            return
        present = bool(doc.seals)
        self.out.row[stamp.column] = "true" if present else "false"
        if not present and doc.kind in stamp.required_for:
            self.out.findings.append(finding("missing_stamp", "error", stamp.column, label=stamp.label_zh))

    def check_seal_unit(self, doc: Document) -> None:
        """seal_mismatch: a seal whose ring names, for sure, another unit than the form's, and none names the form's.

        Only a ring that names the other unit for sure counts (UnitRegistry.other_unit_named): a ring half read,
        or a unit not in the registry, says nothing (no false alarm on a seal the OCR could not read)."""
        own = self.registry.get(self.out.row.get("unit_id", ""))
        if own is None:
            return
        others = []
        for seal in doc.seals:
            if not seal.text:
                continue
            if self.registry.match(seal.text).unit == own:
                return  # the unit's own seal is there
            other = self.registry.other_unit_named(seal.text, own)
            if other is not None:
                others.append((seal, other.canonical_name))
        if not others:
            return
        seal, seal_unit = others[0]
        column = self.form.stamp.column if self.form.stamp else SEAL_COLUMN
        found = finding(
            "seal_mismatch", "warning", column, raw=seal.text or "", page=seal.page,
            seal_unit=seal_unit, unit=self.out.row.get("unit_name", ""),
        )  # fmt: skip
        found.crop_path, found.page_image = seal.crop_path, doc.page_images.get(seal.page)
        self.out.findings.append(found)

    def check_activities(self) -> None:
        spec = self.form.activities
        if spec is None:
            return
        if not self.read.activities:
            self.out.findings.append(finding("missing_field", "error", "activities", label="二、工作方案"))
        for seq, act in enumerate(self.read.activities, start=1):
            description = act.description.strip()
            chars = count_chars(description)
            stage = stage_of(act.title, description, self.campaign)
            self.out.activities.append(
                {
                    "seq": str(seq),
                    "title": _without_end_stop(_value_text(act.title), act.confidence),
                    "stage": str(stage) if stage else "",
                    "description": description,
                    "char_count": str(chars),
                }
            )
            label = f"活动{seq}“{clean_text(act.title)[:20]}”"
            if chars > spec.max_chars:
                self.out.findings.append(
                    finding(
                        "too_long",
                        "warning",
                        "description",
                        label=label,
                        raw=act.title,
                        page=act.page,
                        count=chars,
                        limit=spec.max_chars,
                    )
                )
            if act.confidence is not None and act.confidence < self.min_confidence:
                self.out.findings.append(
                    finding(
                        "low_confidence",
                        "error",
                        "description",
                        label=label,
                        raw=act.title,
                        page=act.page,
                        confidence=act.confidence,
                    )
                )

    def check_people(self) -> None:
        spec = self.form.people
        if spec is None:
            return
        labels = {c.column: c.label_zh for c in spec.columns}
        if not self.read.people:
            self.out.findings.append(finding("missing_field", "error", "name", label=labels.get("name", "姓名")))
        for person in self.read.people:
            name, org, phone = (person.get(k) for k in ("name", "org_title", "phone"))
            row = {"name": "", "org_title": "", "phone": "", "phone_kind": ""}
            if name is None or is_blank(name.raw):
                self.missing_in_row("name", labels["name"], phone or org)
            elif not self.shaky("name", name, labels["name"]):
                row["name"] = _person_name(_value_text(name.raw))
                if org is None or is_blank(org.raw):
                    row["name"], row["org_title"] = _name_and_title(_value_text(name.raw))
            if org is not None and not is_blank(org.raw) and not self.shaky("org_title", org, labels["org_title"]):
                row["org_title"] = _without_end_stop(_value_text(org.raw), org.confidence)
            if phone is None or is_blank(phone.raw):
                self.missing_in_row("phone", labels["phone"], name, named=True)
            elif not self.shaky("phone", phone, labels["phone"]):
                parsed = None if _typed_letter_for_digit(phone) else parse_phone(phone.raw)
                if parsed is None:
                    self.add("invalid_phone", "error", "phone", phone, labels["phone"])
                else:
                    row.update(phone=parsed.value, phone_kind=parsed.kind)
            self.out.people.append(row)

    def check_report(self) -> None:
        spec = self.form.report
        if spec is None:
            return
        row = self.out.row
        title = self.read.title
        row["title"] = _value_text(title.raw) if title else ""
        if title is None or is_blank(title.raw):
            self.out.findings.append(finding("missing_field", "error", "title", label="标题"))
        chars = count_chars(self.read.body)
        limit = spec.char_limit.for_category(self.out.unit_category)
        row["char_count"] = str(chars)
        row["char_limit"] = str(limit)
        if isinstance(limit, int) and chars > limit:
            self.out.findings.append(
                finding("too_long", "warning", "char_count", label="总结报告正文", count=chars, limit=limit)
            )


# A line break inside a value between two CJK characters is where a cell or a title wrapped (the truth
# joins `全国科` + `技工作者日` without a separator); between digits or Latin words it separates two values.
_CJK = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’《》]"
_WRAPPED = re.compile(rf"(?<={_CJK})[ \t\u3000]*\n\s*(?={_CJK})")
# O/o for 0 and I/l for 1 inside a run of digits, not part of a Latin word (Tel.): OCR confuses them, but
# a unit that typed its number with a letter in it sent a wrong number (the contract asks for digits).
_LETTER_IN_NUMBER = re.compile(r"(?<![A-Za-z])(?:(?<=\d)[OoIl]|[OoIl](?=\d))(?![A-Za-z])")


def _value_text(raw: str) -> str:
    """A value as one line: lines wrapped inside CJK text joined without a space, other breaks a space."""
    return clean_text(_WRAPPED.sub("", raw))


# A space between two Chinese characters of a name is layout: two-character names are padded to the
# width of three (`尼 玛`), and a Tibetan name's two parts are often spaced (`多杰 才旦`).
_SPACE_IN_NAME = re.compile(r"(?<=[\u3400-\u9fff])[ \u3000]+(?=[\u3400-\u9fff])")
# `张明 办公室主任`: a name, a space, then the 工作单位及职务 that belongs in the next column (a scan whose
# column rule was lost, or a writer who put both in one cell).
_NAME_THEN_TITLE = re.compile(r"^([\u3400-\u9fff·]{2,4})[ \u3000]+(\S.{3,})$")


def _without_accents(raw: str) -> str:
    """`hxzkx@siņa.com` → `hxzkx@sina.com`: an accent the OCR put on a Latin letter (a speck on the page). Only
    for OCR'd values: an address typed with an accent is the unit's own mistake."""
    folded = unicodedata.normalize("NFKD", raw)
    return "".join(ch for ch in folded if not unicodedata.combining(ch))


# `2 冶浩`: the 序号 column run into the name (a fax lost the rule between them); `薛 ☑ 海燕`: a pen stroke or
# speck inside the name read as a tick, or the box of 旦's 日 taken for a checkbox it cannot decide (`� 旦正`).
# Neither is part of anybody's name.
_ROW_NUMBER = re.compile(r"^\s*\d{1,2}\s*[.、．]?\s+(?=[\u3400-\u9fff])")
_TICK_MARKS = re.compile(f"[☑☒☐□■√✓✔{UNDECIDED}]")


def _without_end_stop(text: str, confidence: float | None) -> str:
    """A title or a job title read by OCR less a full stop at its end: nobody ends one with it, but a speck of dust
    after the last letter reads as one (`海西州科协办公室主任。`, `…先进事迹宣传。`). Typed text keeps its own."""
    return text.rstrip("。.") if confidence is not None else text


# Nobody's name starts or ends with a mark: one there is a speck read beside it (`周志刚：`) or the label's colon.
_MARKS_AROUND_NAME = "：:，,。.、；; "


def _person_name(raw: str) -> str:
    return _SPACE_IN_NAME.sub("", _TICK_MARKS.sub("", _ROW_NUMBER.sub("", raw))).strip().strip(_MARKS_AROUND_NAME)


def _name_and_title(raw: str) -> tuple[str, str]:
    """(name, org_title) from a name cell; the title is empty unless the cell holds both."""
    both = _NAME_THEN_TITLE.match(_ROW_NUMBER.sub("", raw))
    if both:
        return both.group(1), both.group(2)
    return _person_name(raw), ""


def _typed_letter_for_digit(value: FieldValue) -> bool:
    """A phone typed (not OCR-read: no confidence) with a letter standing for a digit (0972-6086O27)."""
    return value.confidence is None and bool(_LETTER_IN_NUMBER.search(value.raw))


def clean_submission(
    read: FormRead, doc: Document, registry: UnitRegistry, min_confidence: float = DEFAULT_MIN_CONFIDENCE
) -> Cleaned:
    checker = _Checker(read, registry, min_confidence, doc.seals)
    checker.check_fields()
    checker.check_stamp(doc)
    checker.check_seal_unit(doc)
    checker.check_activities()
    checker.check_people()
    checker.check_report()
    return checker.out
