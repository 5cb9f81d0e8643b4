"""Forms as data: load schemas/forms/*.yaml and schemas/tables.yaml into typed models.

A new form or a changed label is a YAML edit; this module only gives the YAML a shape
and checks it when loaded, so a typo fails at start-up with the file's name. Dates and limits are the
campaign's (schemas/campaign.py): a form refers to them as `campaign.<key>`, resolved here.
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from schemas.campaign import FORMS_DIR, ByCategory, campaign_digest, campaign_path, load_referring_yaml

SCHEMA_DIR = Path(__file__).parent

FieldType = Literal["text", "person", "unit", "choices", "date", "date_range", "phone", "mobile", "email", "head_count"]
Severity = Literal["error", "warning"]
# an output column's type for analysts (flows/dataset.py); the CSVs hold them as text (ISO dates, true/false, ;-joined)
ColumnType = Literal["text", "date", "boolean", "integer", "number", "list"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FieldSpec(_Strict):
    column: str
    label_zh: str
    labels: list[str]
    type: FieldType = "text"
    required: Severity | None = None
    choices: list[str] = Field(default_factory=list)
    none_code: str | None = None
    none_severity: Severity = "error"
    start_column: str | None = None
    end_column: str | None = None
    window: tuple[date, date] | None = None
    count_column: str | None = None
    deadline: bool = False


class Recognise(_Strict):
    labels: list[str] = Field(default_factory=list)
    min_hits: int = 0
    must_have_any: list[str] = Field(default_factory=list)
    title_keywords: list[str] = Field(default_factory=list)
    title_endings: list[str] = Field(default_factory=list)  # a title ending so names the form (…的总结)
    title_within_paragraphs: int = 4
    min_body_chars: int = 0
    # the document is a submission of this form only when one of these is filled (a column, or
    # `activities` / `people`); a blank template or a forwarded notice carries the labels alone
    filled_any: list[str] = Field(default_factory=list)


class StampSpec(_Strict):
    column: str
    label_zh: str
    required_for: list[str]


class ActivitiesSpec(_Strict):
    section_labels: list[str]
    end_labels: list[str] = Field(default_factory=list)
    title_labels: list[str]
    number_labels: list[str] = Field(default_factory=list)  # a row table's numbering column (not description)
    # The other row labels of a 一项一表 table (活动时间 …): where a fax lost the table's rulings they come back
    # as `活动时间 2021年…` lines, which are `活动时间：2021年…` as the table said.
    detail_labels: list[str] = Field(default_factory=list)
    max_chars: int


class PeopleColumn(_Strict):
    column: str
    label_zh: str
    labels: list[str]


class PeopleSpec(_Strict):
    columns: list[PeopleColumn]


class ReportSpec(_Strict):
    char_limit: ByCategory


class FormSchema(_Strict):
    form_type: str
    name_zh: str
    table: str
    recognise: Recognise
    deadline: ByCategory | None = None
    fields: list[FieldSpec]
    stamp: StampSpec | None = None
    activities: ActivitiesSpec | None = None
    people: PeopleSpec | None = None
    report: ReportSpec | None = None

    def field(self, column: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.column == column), None)


class TableSpec(_Strict):
    description: str
    columns: dict[str, str]  # column -> data-dictionary text, in contract order
    types: dict[ColumnType, list[str]] = Field(default_factory=dict)  # type -> its columns; the rest are text

    @model_validator(mode="after")
    def _types_name_columns(self) -> TableSpec:
        listed = [column for columns in self.types.values() for column in columns]
        unknown = sorted(set(listed) - set(self.columns))
        if unknown:
            raise ValueError(f"types names columns the table does not have: {unknown}")
        twice = sorted({column for column in listed if listed.count(column) > 1})
        if twice:
            raise ValueError(f"types gives these columns more than one type: {twice}")
        return self

    def column_types(self) -> dict[str, ColumnType]:
        """Every column, in contract order, with its type ("text" when `types` does not list it)."""
        typed = {column: kind for kind, columns in self.types.items() for column in columns}
        return {column: typed.get(column, "text") for column in self.columns}


class SchemaError(Exception):
    """A YAML file under schemas/ does not have the expected shape."""


def _load_yaml(path: Path) -> object:
    with open(path, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def load_forms(forms_dir: Path = FORMS_DIR) -> tuple[FormSchema, ...]:
    return _load_forms(forms_dir, campaign_path().absolute())


@lru_cache(maxsize=4)
def _load_forms(forms_dir: Path, campaign: Path) -> tuple[FormSchema, ...]:
    """The forms with the campaign's dates and limits filled in (cached per campaign file)."""
    forms = []
    for path in sorted(forms_dir.glob("*.yaml")):
        try:
            forms.append(FormSchema.model_validate(load_referring_yaml(path)))
        except ValidationError as exc:
            raise SchemaError(f"{path}: {exc}") from exc
    if not forms:
        raise SchemaError(f"no form schemas found in {forms_dir}")
    return tuple(forms)


@lru_cache(maxsize=2)
def form_tables() -> dict[str, str]:
    """form_type -> the output table its rows go to (each form's `table:` in schemas/forms/)."""
    return {form.form_type: form.table for form in load_forms()}


def load_tables(path: Path = SCHEMA_DIR / "tables.yaml") -> dict[str, TableSpec]:
    raw = _load_yaml(path)
    if not isinstance(raw, dict):
        raise SchemaError(f"{path}: expected a mapping of file name to table")
    try:
        return {name: TableSpec.model_validate(spec) for name, spec in raw.items()}
    except ValidationError as exc:
        raise SchemaError(f"{path}: {exc}") from exc


def schema_version() -> str:
    """A short hash of every schema file, so a ledger can tell when re-reading is needed."""
    import hashlib

    digest = hashlib.sha256()
    for path in sorted([*FORMS_DIR.glob("*.yaml"), SCHEMA_DIR / "tables.yaml", SCHEMA_DIR / "messages.yaml"]):
        if path.exists():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    digest.update(campaign_digest().encode())
    return digest.hexdigest()[:12]
