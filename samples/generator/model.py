"""The submissions as data: what a unit wrote, and what the cleaned tables must hold.

A `SubmissionSpec` is format-free. The Word writer renders it to .docx; later scripts (text PDF, stamped
scan) render the same spec and call `truth_for` with their own source kind. Every expected value is written
by hand next to the raw text it comes from (`Written(raw, clean)`), never computed by the project's pipeline.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MODULES = ("团结引领", "建家办事", "为民服务", "开放合作", "表彰发布")
AUDIENCES = ("科协系统干部", "科技工作者", "海外同行")

_WS = re.compile(r"\s+")


def char_count(text: str) -> int:
    """Characters with whitespace excluded (the contract's 字数)."""
    return len(_WS.sub("", text))


@dataclass(frozen=True)
class Written:
    """A value as the unit wrote it, and the string the cleaned CSV must hold ("" when it fails its check)."""

    raw: str
    clean: str


@dataclass(frozen=True)
class Period:
    """拟举办时间 as written, and the ISO start/end it means ("" when unparseable or empty)."""

    raw: str
    start: str
    end: str


@dataclass(frozen=True)
class Expect:
    """One exceptions.csv row expected for the file (field is a contract column name, "" for whole-file)."""

    code: str
    field: str
    severity: str


@dataclass(frozen=True)
class Activity:
    """One activity of 二、工作方案.

    Numbered layout: the header paragraph is <numbering><title>, `paragraphs` follow it.
    Table layout (一项一表): a 2-column table, first row `title_label | title`, then `rows`.
    """

    title: str
    stage: str  # "1" | "2" | "3" | "" — written by hand from the date / 第X阶段 the text names
    paragraphs: tuple[str, ...] = ()
    rows: tuple[tuple[str, str], ...] = ()
    title_label: str = "活动名称"

    @property
    def description(self) -> str:
        if self.rows:
            return "\n".join(f"{label}：{value}" for label, value in self.rows)
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class Plan:
    """特色亮点活动筹备方案: the 基本信息 table, 报送时间 and 二、工作方案."""

    activity_name: str
    modules: tuple[str, ...]  # ticked, any order (truth writes them in form order)
    organizer: str
    time: Period
    location: str
    audiences: tuple[str, ...]
    scale: Written  # raw 预计活动规模, clean = head count digits
    contact_name: str
    office_phone: Written
    mobile: Written
    fax: Written
    email: Written
    address: str
    submitted: Written  # 报送时间
    activities: tuple[Activity, ...]


@dataclass(frozen=True)
class Person:
    """One row of the 联络员回执表. kind is mobile/landline, "" when the phone is empty or invalid."""

    name: str
    org_title: str
    phone: Written
    kind: str


@dataclass(frozen=True)
class Report:
    """活动总结报告: title, 报送单位 line, body paragraphs, closing unit + date lines."""

    title: str
    body: tuple[str, ...]
    signature: str  # the unit named in the closing lines
    date: Written  # the closing date → submitted_on


@dataclass(frozen=True)
class Layout:
    """How the Word file looks. Only the writers read it; the truth never depends on it."""

    ticks: str = "paren_full"  # paren_full | paren_check | box | square | bare | sdt | formfield
    numbering: str = "cn"  # cn | cn_paren | arabic_dot | arabic_dun | act_cn | act_arabic | table
    labels: dict[str, str] = field(default_factory=dict)  # overrides: name, office, mobile, fax, email
    name_in_label_cell: bool = False  # `姓 名：张明` typed into the label cell
    blank_rows: bool = False  # empty rows left in the table
    nested_contact: bool = False  # 联系人 block as a table nested in a cell
    keep_instructions: bool = False  # the template's (应突出重点…) hint left under 二、工作方案
    keep_annex_line: bool = False  # the template's 附件 line left on top
    one_header_line: bool = False  # 单位盖章： and 报送时间： typed on one line
    title: str = "2021年“全国科技工作者日”特色亮点活动筹备方案"
    unit_label: str = "填报单位"  # liaison form: 填报单位 / 填报单位（盖章）
    liaison_blank_rows: int = 0
    liaison_footer: bool = False
    formfield_override: bool = False  # one unticked legacy box with default=1 but checked=0


@dataclass(frozen=True)
class SubmissionSpec:
    """One inbox file: what it carries, what is wrong with it on purpose, and which exceptions it must raise."""

    file: str  # name inside samples/inbox
    form_type: str  # activity_plan | liaison_reply | summary_report | "" (not one of the forms)
    exercises: str  # one line for samples/README.md
    unit_raw: str = ""
    unit_id: str = ""  # "" when the unit is not in the registry
    plan: Plan | None = None
    persons: tuple[Person, ...] = ()
    report: Report | None = None
    paragraphs: tuple[str, ...] = ()  # body of a document that is none of the forms
    layout: Layout = field(default_factory=Layout)
    defects: tuple[str, ...] = ()  # what was injected on purpose, in words
    exceptions: tuple[Expect, ...] = ()  # format-independent expected rows (missing_stamp is added by truth_for)
    special: str = ""  # "" | unknown_form | unreadable | duplicate
    copy_of: str = ""  # duplicate: the earlier file it repeats byte for byte; unreadable: the file it truncates
    created: str = "2021-05-07T09:00:00Z"  # fixed core-properties timestamp
