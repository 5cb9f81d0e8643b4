"""Several files, one submission: Word + stamped PDF pairs, and newer versions that replace older ones.

The notice asks every unit for its 筹备方案 and 总结报告 twice, "word版和盖章PDF版", and units resend a form
when they correct it. Counting every file would count those plans two or three times, so:

- Pairing: within one unit (unit_id) and form, a Word file (source_kind docx) and a stamped copy
  (pdf_text, pdf_scan or image) whose 主题活动名称 / report title agree (fuzzy, OCR misreads allowed; a
  liaison reply has no title, so any Word + PDF of the same unit pair up) are one submission. The Word row
  is the one counted: its text was typed, not read back. When a field differs between the two (both
  sides read, different values) the stamped copy gets a warning in exceptions.csv.
- Revisions: of the submissions one unit sent for one form, the newest wins — by 报送时间 when both
  carry one and they differ, else by when the file landed in the inbox (FileOutcome.received_at, its
  mtime). The older ones are kept, with `superseded_by` naming the winner's submission_id, and are not
  counted.

Exception code for a Word/PDF difference: the contract has no code for it and its code list is a public
interface (analysts filter on it), so we use the closest one, `duplicate_submission` (warning): the
stamped copy *is* another copy of a submission already counted, and its message says which field
differs. `field` names the column, `raw_value` is this copy's value, `suggestion` the Word version's.
Files with no matched unit are never linked: we cannot tell whose they are.

One problem, one row: a problem the Word file and its stamped copy share (same code, field and value as read)
is listed once, on the Word file's row, naming the copy (`also_in`, and a note in the message); the copy's own
row for it is left out. Staff type its correction once; flows/staff/corrections.py applies it to both files.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from rapidfuzz import fuzz

from flows.outcome import FileOutcome
from schemas.column_labels import column_label
from schemas.findings import Finding
from schemas.text_fold import to_halfwidth

WORD_KINDS = {"docx"}
STAMPED_KINDS = {"pdf_text", "pdf_scan", "image"}
TITLE_COLUMN = {"activity_plan": "activity_name", "summary_report": "title"}
TITLE_MIN_SCORE = 85  # rapidfuzz ratio: one or two OCR misreads in a 15-character title still pair
# Columns compared between a Word file and its stamped copy: what the unit wrote, not how it was read.
COMPARED = {
    "activity_plan": (
        "activity_name", "modules", "organizer", "planned_start", "planned_end", "location", "audiences",
        "expected_participants", "contact_name", "office_phone", "mobile", "fax", "email", "mailing_address",
        "submitted_on",
    ),
    "summary_report": ("title", "submitted_on"),
}  # fmt: skip
CHAR_COUNT_TOLERANCE = 0.05  # text read from a PDF differs a little (page numbers, headers): ±5 % is the same
ALSO_IN_NOTE = "（同一份材料的“{files}”中也是如此，只列这一条，更正一次即可。）"
PAIR_MESSAGE = (
    "该文件与“{other}”是同一份材料的Word版和盖章版，已按一份计算，"
    "但“{label}”不一致（本文件为“{raw}”，Word版为“{word}”），请核对以哪一版为准。"
)


@dataclass
class Link:
    """What revisions.py adds to one file's rows."""

    superseded_by: str = ""  # submission_id of the newer version that replaces this one
    paired_with: str = ""  # submission_id of the other format of the same submission
    counted: bool = True  # the one row that stands for the submission
    findings: list[Finding] = field(default_factory=list)


@dataclass
class _Submission:
    members: list[FileOutcome]
    mtime: float
    submitted_on: str

    @property
    def primary(self) -> FileOutcome:
        return next((o for o in self.members if o.source_kind in WORD_KINDS), self.members[0])


def _norm(text: str) -> str:
    return re.sub(r"[\s\W_]+", "", to_halfwidth(text or "")).lower()


def _row(o: FileOutcome) -> dict[str, str]:
    return o.cleaned.row if o.cleaned else {}


def _title_score(a: FileOutcome, b: FileOutcome) -> float:
    column = TITLE_COLUMN.get(a.form_type)
    if column is None:
        return 100.0
    ta, tb = _norm(_row(a).get(column, "")), _norm(_row(b).get(column, ""))
    if not ta or not tb:  # a title that could not be read does not prevent pairing
        return float(TITLE_MIN_SCORE)
    return fuzz.ratio(ta, tb)


def _when(o: FileOutcome) -> float:
    try:
        return datetime.fromisoformat(o.received_at).timestamp() if o.received_at else 0.0
    except ValueError:
        return 0.0


def link_revisions(outcomes: list[FileOutcome]) -> dict[tuple[str, str], Link]:
    """Links keyed by (source_file, submission_id); files not mentioned are counted and unlinked."""
    groups: dict[tuple[str, str], list[FileOutcome]] = {}
    for o in outcomes:
        unit = _row(o).get("unit_id", "")
        if o.cleaned is not None and not o.duplicate_of and unit:
            groups.setdefault((unit, o.form_type), []).append(o)
    links: dict[tuple[str, str], Link] = {}
    for members in groups.values():
        if len(members) > 1:
            _link_group(members, links)
    return links


def _key(o: FileOutcome) -> tuple[str, str]:
    return (o.source_file, o.submission_id)


def _link_group(members: list[FileOutcome], links: dict) -> None:
    submissions = [_Submission(pair, max(_when(o) for o in pair), _submitted(pair)) for pair in _pairs(members)]
    for sub in submissions:
        if len(sub.members) == 2:
            word, copy = sub.primary, next(o for o in sub.members if o is not sub.primary)
            links[_key(word)] = Link(paired_with=copy.submission_id)
            links[_key(copy)] = Link(paired_with=word.submission_id, counted=False, findings=_differences(word, copy))
    newest = submissions[0]
    for sub in submissions[1:]:
        if _newer(sub, newest):
            newest = sub
    for sub in submissions:
        if sub is newest:
            continue
        for o in sub.members:
            link = links.setdefault(_key(o), Link())
            link.superseded_by = newest.primary.submission_id
            link.counted = False


def _submitted(pair: list[FileOutcome]) -> str:
    return max((_row(o).get("submitted_on", "") for o in pair), default="")


def _newer(a: _Submission, b: _Submission) -> bool:
    if a.submitted_on and b.submitted_on and a.submitted_on != b.submitted_on:
        return a.submitted_on > b.submitted_on
    return a.mtime > b.mtime


def _pairs(members: list[FileOutcome]) -> list[list[FileOutcome]]:
    """Greedy matching of Word files to stamped copies: best title, same 报送时间, closest in time."""
    words = [o for o in members if o.source_kind in WORD_KINDS]
    copies = [o for o in members if o.source_kind in STAMPED_KINDS]
    candidates = []
    for w in words:
        for c in copies:
            score = _title_score(w, c)
            if score >= TITLE_MIN_SCORE:
                same_day = _row(w).get("submitted_on", "") == _row(c).get("submitted_on", "")
                gap = abs(_when(w) - _when(c))
                candidates.append((-score, not same_day, gap, w.source_file, c.source_file, w, c))
    used: set[int] = set()
    out: list[list[FileOutcome]] = []
    for *_, w, c in sorted(candidates, key=lambda t: t[:5]):
        if id(w) not in used and id(c) not in used:
            used.update((id(w), id(c)))
            out.append([w, c])
    out += [[o] for o in sorted(members, key=lambda o: o.source_file) if id(o) not in used]
    return out


def _differences(word: FileOutcome, copy: FileOutcome) -> list[Finding]:
    found: list[tuple[str, str, str]] = []  # (column, copy's value, word's value)
    w, c = _row(word), _row(copy)
    for column in COMPARED.get(word.form_type, ()):
        if w.get(column) and c.get(column) and _norm(w[column]) != _norm(c[column]):
            found.append((column, c[column], w[column]))
    if word.form_type == "summary_report" and w.get("char_count") and c.get("char_count"):
        wn, cn = int(w["char_count"]), int(c["char_count"])
        if abs(wn - cn) > CHAR_COUNT_TOLERANCE * max(wn, 1):
            found.append(("char_count", str(cn), str(wn)))
    if word.form_type == "activity_plan":
        wt = [_norm(a.get("title", "")) for a in word.cleaned.activities] if word.cleaned else []
        ct = [_norm(a.get("title", "")) for a in copy.cleaned.activities] if copy.cleaned else []
        if wt and ct and wt != ct:
            found.append(("title", _titles(copy), _titles(word)))
    if word.form_type == "liaison_reply":
        wp, cp = _people(word), _people(copy)
        if wp and cp and wp != cp:
            found.append(("name", "；".join(f"{n} {p}" for n, p in cp), "；".join(f"{n} {p}" for n, p in wp)))
    return [_finding(word, copy, column, raw, want) for column, raw, want in found]


ProblemKey = tuple[str, str, str, str]  # (source_file, code, field, value as read)


@dataclass
class SharedProblems:
    """Problems a Word file and its stamped copy have in common: listed once, on the Word file's row."""

    also_in: dict[ProblemKey, list[str]] = field(default_factory=dict)  # Word's problem -> the copies with it
    listed_elsewhere: set[ProblemKey] = field(default_factory=set)  # a copy's problem, listed on the Word row

    def note(self, key: ProblemKey) -> str:
        files = self.also_in.get(key)
        return ALSO_IN_NOTE.format(files="”“".join(files)) if files else ""


def problem_key(source_file: str, f: Finding) -> ProblemKey:
    return (source_file, f.code, f.field, f"{_norm(f.raw_value)}|{_norm(f.row_hint)}")


def shared_problems(outcomes: list[FileOutcome], links: dict[tuple[str, str], Link]) -> SharedProblems:
    """Which findings of each stamped copy its paired Word file has too (the pair's links from link_revisions)."""
    shared = SharedProblems()
    by_sid = {o.submission_id: o for o in outcomes if o.submission_id and not o.duplicate_of}
    for copy in outcomes:
        link = links.get(_key(copy))
        word = by_sid.get(link.paired_with) if link is not None and link.paired_with else None
        if word is None or copy.source_kind not in STAMPED_KINDS:
            continue
        mine = {problem_key(word.source_file, f)[1:] for f in word.findings}
        for f in copy.findings:
            key = problem_key(copy.source_file, f)
            if key[1:] in mine:
                shared.listed_elsewhere.add(key)
                others = shared.also_in.setdefault((word.source_file, *key[1:]), [])
                if copy.source_file not in others:
                    others.append(copy.source_file)
    return shared


def _titles(o: FileOutcome) -> str:
    return "；".join(a.get("title", "") for a in o.cleaned.activities) if o.cleaned else ""


def _people(o: FileOutcome) -> list[tuple[str, str]]:
    people = o.cleaned.people if o.cleaned else []
    return sorted((_norm(p.get("name", "")), p.get("phone", "")) for p in people if p.get("name"))


def _finding(word: FileOutcome, copy: FileOutcome, column: str, raw: str, want: str) -> Finding:
    plan_title = column == "title" and word.form_type == "activity_plan"
    label = "活动标题" if plan_title else column_label(word.form_type, column)
    if word.form_type == "liaison_reply":
        label = "联络员"
    shown = (raw if len(raw) <= 40 else raw[:37] + "…"), (want if len(want) <= 40 else want[:37] + "…")
    message = PAIR_MESSAGE.format(other=word.source_file, label=label, raw=shown[0], word=shown[1])
    return Finding("duplicate_submission", "warning", message, field=column, raw_value=raw, suggestion=want)
