"""Property tests for the form reader and validation: Documents built from random cell and paragraph
texts around the forms' real labels, through `read_form` + `clean_submission` for every form.

Whatever an extractor hands over (OCR garbage, control characters, merged cells, nested tables, labels
with stray colons and brackets), reading and cleaning never raise and never hang, every finding carries
a contract code and a filled-in Chinese message, and the cleaned columns only ever hold clean values
(a phone column holds a normalised phone or nothing, a date column an ISO date or nothing, …).
"""

from __future__ import annotations

import importlib.util
import re
import signal
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from extractors.model import Cell, Document, Paragraph, Seal, Table
from schemas.findings import _messages
from schemas.form_schema import FormSchema, load_forms
from schemas.reader import read_form, recognise_form
from schemas.units import UnitRegistry
from schemas.validate import Cleaned, clean_submission
from tests.conftest import CHECK_CONTRACT

FORMS = load_forms()
PROPS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
SECONDS_PER_EXAMPLE = 10  # far above the few milliseconds one example takes: only a hang trips it

PHONE = re.compile(r"^(1\d{10}|(0\d{2,3}-)?\d{7,8})$", re.ASCII)
MOBILE = re.compile(r"^1\d{10}$", re.ASCII)
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_COLUMNS = {"office_phone", "fax", "phone"}
DATE_COLUMNS = {"planned_start", "planned_end", "submitted_on"}


def _contract_codes() -> set[str]:
    """The contract's code list, from the shared checker when present (else every message we have)."""
    if CHECK_CONTRACT.exists():
        spec = importlib.util.spec_from_file_location("check_contract", CHECK_CONTRACT)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return set(module.CODES)
    return set(_messages())


CODES = _contract_codes()


@lru_cache(maxsize=1)
def registry() -> UnitRegistry:
    return UnitRegistry.load()


# ------------------------------------------------------------------------------------------ strategies


def _form_words(form: FormSchema) -> list[str]:
    words = list(form.recognise.labels) + list(form.recognise.title_keywords) + list(form.recognise.must_have_any)
    for spec in form.fields:
        words += [*spec.labels, spec.label_zh, *(spec.choices or [])]
    if form.people:
        for column in form.people.columns:
            words += [*column.labels, column.label_zh]
    if form.activities:
        words += [*form.activities.section_labels, *form.activities.end_labels, *form.activities.title_labels]
    return words


WORDS = sorted({w for form in FORMS for w in _form_words(form)})
CHOICES = sorted({c for form in FORMS for spec in form.fields for c in (spec.choices or [])})
GLYPHS = ["☑", "☐", "\ufffd", "√", "✓", "■", "□", "○", "●", "(√)", "（√）", "[x]", ""]

cjk = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
punct = st.sampled_from(list("：:（）()、，,。.;；-－—/ \u3000\t\n@＠·") + [g for g in GLYPHS if len(g) == 1])
digit = st.sampled_from(list("0123456789０１２３４５６７８９一二三四五六七八九十〇"))
anything = st.characters(exclude_categories=("Cs",))  # any code point, controls and private use included
junk = st.text(
    st.one_of(cjk, punct, digit, st.characters(min_codepoint=0x20, max_codepoint=0x7E), anything), max_size=40
)

label = st.builds(
    lambda pre, word, post: pre + word + post,
    st.sampled_from(["", " ", "*", "（", "1.", "一、", "\u3000"]),
    st.sampled_from(WORDS),
    st.sampled_from(["", "：", ":", " ", "（必填）", "：\n", "*"]),
)
_FULLWIDTH = str.maketrans("0123456789-()", "０１２３４５６７８９－（）")
phone_like = st.one_of(
    st.from_regex(r"[0-9０-９\-－ ()（）+转]{0,18}", fullmatch=True),
    st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True),
    st.from_regex(r"\(?0[0-9]{2,3}\)?[- ]?[1-9][0-9]{6,7}", fullmatch=True),
).flatmap(lambda p: st.sampled_from([p, p.translate(_FULLWIDTH), f"{p[:3]} {p[3:]}"]))
date_like = st.one_of(
    st.from_regex(r"20[0-9]{2}[年./\-][0-9]{1,2}[月./\-][0-9]{1,3}日?(\s*[-至到~]\s*[0-9]{1,2}[月.]?[0-9]{0,2}日?)?",
                  fullmatch=True),
    st.dates().map(lambda d: f"{d.year}年{d.month}月{d.day}日"),
    st.builds(
        lambda d, days: f"{d.year}年{d.month}月{d.day}日" + (f"至{d.month}月{d.day + days}日" if days else ""),
        st.dates(date(2021, 5, 1), date(2021, 7, 1)),
        st.integers(0, 3),
    ),
    st.from_regex(r"[0-9]{1,2}月[0-9]{1,2}[日号]", fullmatch=True),
)  # fmt: skip
email_like = st.one_of(st.emails(), st.from_regex(r"[a-zA-Z0-9._＠@]{0,12}[@＠][a-z0-9.]{0,10}", fullmatch=True))
ticks = st.lists(st.tuples(st.sampled_from(GLYPHS), st.sampled_from(CHOICES)), max_size=6).map(
    lambda pairs: " ".join(g + c for g, c in pairs)
)
head_count = st.from_regex(r"(约|共|计)?[0-9０-９一二三四五六七八九十百千万]{0,6}(人|人次|余人|名)?", fullmatch=True)
unit_name = st.one_of(
    st.sampled_from(["西宁市科学技术协会", "海东市科协", "青海大学科协", "省医学会", "海西州科协", "组人部"]), junk
)
value = st.one_of(phone_like, date_like, email_like, ticks, head_count, unit_name, junk)
cell_text = st.one_of(label, value, st.builds(lambda a, b: a + "：" + b, st.sampled_from(WORDS), value), junk)
# mostly sure (None = a text layer, or OCR above the 0.80 threshold), sometimes not
confidence = st.one_of(st.none(), st.floats(min_value=0.8, max_value=1), st.none(), st.floats(min_value=0, max_value=1))


def _numbered(rows: list[list[Cell]]) -> list[list[Cell]]:
    """Row/column positions as the model's convention has them: cells start left to right."""
    for r, row in enumerate(rows):
        col = 0
        for cell in row:
            cell.row, cell.col = r, col
            col += cell.col_span
    return rows


def cells(inner: st.SearchStrategy[list[Table]] | None = None) -> st.SearchStrategy[Cell]:
    return st.builds(
        Cell,
        text=cell_text,
        row=st.just(0),
        col=st.just(0),
        row_span=st.integers(1, 3),
        col_span=st.integers(1, 3),
        page=st.integers(1, 3),
        confidence=confidence,
        tables=inner if inner is not None else st.just([]),
    )


def tables(inner: st.SearchStrategy[list[Table]] | None = None) -> st.SearchStrategy[Table]:
    rows = st.lists(st.lists(cells(inner), min_size=0, max_size=5), min_size=0, max_size=6).map(_numbered)
    return st.builds(Table, rows=rows, page=st.integers(1, 3))


paragraph = st.builds(Paragraph, text=st.one_of(cell_text, junk), page=st.integers(1, 3), confidence=confidence)
block = st.one_of(paragraph, tables(st.lists(tables(), max_size=1)))
seals = st.lists(st.builds(Seal, page=st.integers(1, 3), confidence=confidence), max_size=2)
kinds = st.sampled_from(["docx", "pdf_text", "pdf_scan", "image"])


@st.composite
def any_document(draw: st.DrawFn) -> Document:
    return Document(source=Path("random.docx"), kind=draw(kinds),
                    blocks=draw(st.lists(block, max_size=8)), seals=draw(seals), page_count=3)  # fmt: skip


@st.composite
def form_document(draw: st.DrawFn, form: FormSchema) -> Document:
    """A document shaped like `form`: its title, a label | value table of some of its fields (random values),
    its people table or activity section, so the checks of every field type run often."""
    blocks: list = [Paragraph(draw(st.sampled_from(list(form.recognise.labels or form.recognise.title_keywords))))]
    specs = draw(st.lists(st.sampled_from(list(form.fields)), max_size=len(form.fields), unique_by=lambda s: s.column))
    rows = []
    for spec in specs:
        text = {"phone": phone_like, "mobile": phone_like, "email": email_like, "date": date_like,
                "date_range": date_like, "choices": ticks, "head_count": head_count, "unit": unit_name}.get(
            spec.type, junk)  # fmt: skip
        rows.append(
            [
                Cell(draw(st.sampled_from(list(spec.labels))), 0, 0),
                Cell(draw(junk if draw(st.integers(0, 4)) == 0 else text), 0, 0, confidence=draw(confidence)),
            ]
        )
    blocks.append(Table(_numbered(rows)))
    if form.people:
        header = [Cell(draw(st.sampled_from(list(c.labels))), 0, 0) for c in form.people.columns]
        people = draw(st.lists(st.tuples(junk, junk, st.one_of(phone_like, junk), confidence), max_size=5))
        body = [[Cell(n, 0, 0), Cell(o, 0, 0), Cell(p, 0, 0, confidence=c)] for n, o, p, c in people]
        blocks.append(Table(_numbered([header, *body])))
    if form.activities:
        blocks.append(Paragraph(draw(st.sampled_from(list(form.activities.section_labels)))))
        for title, text in draw(st.lists(st.tuples(junk, st.one_of(date_like, junk)), max_size=3)):
            blocks += [Paragraph(f"活动：{title}"), Paragraph(text)]
    if form.report:
        blocks += [Paragraph(t) for t in draw(st.lists(st.one_of(junk, date_like, unit_name), max_size=6))]
    blocks += draw(st.lists(block, max_size=3))
    return Document(source=Path("form.docx"), kind=draw(kinds), blocks=blocks,
                    seals=draw(seals), page_count=3)  # fmt: skip


# ------------------------------------------------------------------------------------------ checks


@contextmanager
def no_hang(seconds: float = SECONDS_PER_EXAMPLE):
    def stop(signum: int, frame: object) -> None:
        raise TimeoutError(f"reading one random document took more than {seconds}s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def check_cleaned(cleaned: Cleaned, form: FormSchema) -> None:
    assert cleaned.form_type == form.form_type
    for f in cleaned.findings:
        assert f.code in CODES, f.code
        assert f.severity in ("error", "warning"), f
        assert f.message and any("\u4e00" <= ch <= "\u9fff" for ch in f.message), f.message
    rows = [cleaned.row, *cleaned.people]
    for row in rows:
        for column, text in row.items():
            assert isinstance(text, str), (column, text)
            if not text:
                continue
            if column in PHONE_COLUMNS:
                assert PHONE.match(text), (column, text)
            if column == "mobile":
                assert MOBILE.match(text), (column, text)
            if column == "email":
                assert EMAIL.match(text) and text == text.lower(), (column, text)
            if column in DATE_COLUMNS:
                date.fromisoformat(text)  # raises if it is not a real ISO date
            if column in ("expected_participants", "char_count", "char_limit", "unit_score"):
                assert text.isdigit(), (column, text)
    for spec in form.fields:
        if spec.type == "choices" and cleaned.row.get(spec.column):
            assert set(cleaned.row[spec.column].split(";")) <= set(spec.choices or []), cleaned.row[spec.column]
    for person in cleaned.people:
        assert person.get("phone_kind", "") in ("", "mobile", "landline"), person
        assert bool(person.get("phone")) == bool(person.get("phone_kind")), person
    for act in cleaned.activities:
        assert act["stage"] in ("", "1", "2", "3") and act["char_count"].isdigit(), act


def read_and_check(doc: Document, form: FormSchema) -> None:
    check_cleaned(clean_submission(read_form(doc, form), doc, registry()), form)


# ------------------------------------------------------------------------------------------ properties


@PROPS
@given(any_document())
def test_any_document_is_read_and_cleaned_by_every_form_without_raising(doc: Document) -> None:
    with no_hang():
        recognised = recognise_form(doc, FORMS)
        assert recognised is None or recognised in FORMS
        for form in FORMS:
            read_and_check(doc, form)


@PROPS
@given(st.data())
def test_form_shaped_documents_give_only_clean_columns_and_contract_codes(data: st.DataObject) -> None:
    form = data.draw(st.sampled_from(FORMS))
    doc = data.draw(form_document(form))
    with no_hang():
        read_and_check(doc, form)
