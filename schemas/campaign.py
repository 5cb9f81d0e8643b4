"""The campaign file (schemas/campaign.yaml, or the file INTAKE_CAMPAIGN names): the one home of every fact a
year's notice changes — the year, deadlines, the activity window and stages, the character limits.

Other YAML files refer to its keys instead of repeating them: a value that is exactly `campaign.<key>` becomes
that key's value (a date, a number, a mapping), and `{campaign.<key>}` inside a longer text becomes the value
written out. `load_campaign()` checks the file (pydantic) and that every date lies in its `year`, so a
half-edited file stops the run at start-up with a message naming the file and the key.
"""

from __future__ import annotations

import hashlib
import os
import re
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

CAMPAIGN_ENV = "INTAKE_CAMPAIGN"
DEFAULT_CAMPAIGN = Path(__file__).parent / "campaign.yaml"
# The files that refer to its keys (check_campaign resolves them all at start-up).
FORMS_DIR = Path(__file__).parent / "forms"
REQUIREMENTS_YAML = Path(__file__).parent / "requirements.yaml"

_WHOLE_REF = re.compile(r"campaign\.(\S+)")
_INLINE_REF = re.compile(r"\{campaign\.([^{}\s]+)\}")
_CN_DIGITS = "零一二三四五六七八九十"


class CampaignError(Exception):
    """The campaign file, or a reference to one of its keys, is wrong; the message says where (in Chinese)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ByCategory(_Strict):
    """A value for every unit, with exceptions per registry category (a deadline, a character limit)."""

    default: date | int
    by_category: dict[str, date | int] = Field(default_factory=dict)

    def for_category(self, category: str | None) -> date | int:
        return self.by_category.get(category or "", self.default)


class DueDates(ByCategory):
    default: date
    by_category: dict[str, date] = Field(default_factory=dict)


class CharLimit(ByCategory):
    default: int = Field(gt=0)
    by_category: dict[str, int] = Field(default_factory=dict)


class Stage(_Strict):
    stage: int = Field(ge=1, le=10)
    start: date
    end: date

    def label_zh(self, dash: str = "—") -> str:
        """第一阶段（5月10日—25日）: the month is left out of the end when it is the start's."""
        end = f"{self.end.day}日" if self.end.month == self.start.month else f"{self.end.month}月{self.end.day}日"
        return f"第{_CN_DIGITS[self.stage]}阶段（{self.start.month}月{self.start.day}日{dash}{end}）"


class CharLimits(_Strict):
    activity: int = Field(gt=0)  # each activity of a plan's 工作方案
    summary_report: CharLimit


class Campaign(_Strict):
    year: int = Field(ge=2000, le=2099)
    event: str = Field(min_length=1)
    deadlines: dict[str, DueDates]  # form_type -> due date
    activity_window: tuple[date, date]
    stages: list[Stage] = Field(min_length=1)
    char_limits: CharLimits

    @property
    def title(self) -> str:
        """<year>年<event>: the campaign as the notice's titles name it."""
        return f"{self.year}年{self.event}"


# ------------------------------------------------------------------------------------------------- loading


def campaign_path() -> Path:
    """The campaign file in use: INTAKE_CAMPAIGN when set, else schemas/campaign.yaml."""
    return Path(os.environ.get(CAMPAIGN_ENV) or DEFAULT_CAMPAIGN)


def load_campaign(path: Path | None = None) -> Campaign:
    return _load(Path(path or campaign_path()).absolute())


def campaign_digest() -> str:
    """Changes with the campaign file's content, so the ledger re-reads files when a date or a limit changes."""
    load_campaign()  # a file that does not load says so in Chinese, not as an OSError here
    return hashlib.sha256(campaign_path().read_bytes()).hexdigest()[:12]


def _problem(path: Path, key: str, what: str) -> CampaignError:
    return CampaignError(f"活动设置文件 {path} 有误：{key}：{what}。请负责活动设置的同事改正该文件后重新运行。")


class _DatesAsText(yaml.SafeLoader):
    """Leaves dates as text for pydantic to parse, so an impossible date (5月32日) is reported with its key."""


_DatesAsText.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@lru_cache(maxsize=4)
def _load(path: Path) -> Campaign:
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_DatesAsText)  # a SafeLoader
    except OSError as exc:
        raise _problem(path, "（整个文件）", f"无法读取（{exc.strerror}）") from exc
    except yaml.YAMLError as exc:
        raise _problem(path, "（整个文件）", f"不是有效的 YAML（{exc}）") from exc
    try:
        campaign = Campaign.model_validate(raw)
    except ValidationError as exc:
        first = exc.errors()[0]
        key = ".".join(str(p) for p in first["loc"]) or "（顶层）"
        raise _problem(path, key, f"{first['msg']}（值：{first.get('input')!r}）") from exc
    for key, value in _leaves(campaign.model_dump(), ""):
        if isinstance(value, date) and value.year != campaign.year:
            raise _problem(path, key, f"日期 {value} 不在活动年份 year: {campaign.year} 内（是否漏改了这一项？）")
    spans = [("activity_window", *campaign.activity_window)]
    spans += [(f"stages.{i}", s.start, s.end) for i, s in enumerate(campaign.stages)]
    for key, start, end in spans:
        if start > end:
            raise _problem(path, key, f"开始日期 {start} 晚于结束日期 {end}")
    numbers = [s.stage for s in campaign.stages]
    if numbers != sorted(set(numbers)):
        raise _problem(path, "stages", f"阶段编号应各不相同、从小到大（现为 {numbers}）")
    return campaign


def _leaves(node: Any, key: str) -> list[tuple[str, Any]]:
    if isinstance(node, dict):
        return [leaf for k, v in node.items() for leaf in _leaves(v, f"{key}.{k}" if key else str(k))]
    if isinstance(node, (list, tuple)):
        return [leaf for i, v in enumerate(node) for leaf in _leaves(v, f"{key}.{i}")]
    return [(key, node)]


# ---------------------------------------------------------------------------------------------- references


def resolve_references(raw: Any, source: Path, campaign: Campaign | None = None) -> Any:
    """`raw` (a YAML file's content) with every `campaign.<key>` / `{campaign.<key>}` replaced by the campaign's
    value; a key the campaign lacks raises CampaignError naming `source`, where in it, and the key."""
    values = (campaign or load_campaign()).model_dump()

    def lookup(key: str, where: str) -> Any:
        node: Any = values
        for part in key.split("."):
            if isinstance(node, dict) and part in node:
                node = node[part]
            elif isinstance(node, (list, tuple)) and part.isdigit() and int(part) < len(node):
                node = node[int(part)]
            else:
                raise CampaignError(
                    f"{source} 的 {where} 引用了活动设置 campaign.{key}，但 {campaign_path()} 中没有这一项。"
                    "请负责活动设置的同事改正引用或补上这一项后重新运行。"
                )
        return node

    def walk(node: Any, where: str) -> Any:
        if isinstance(node, dict):
            return {k: walk(v, f"{where}.{k}" if where else str(k)) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(v, f"{where}.{i}") for i, v in enumerate(node)]
        if isinstance(node, str):
            whole = _WHOLE_REF.fullmatch(node.strip())
            if whole:
                return lookup(whole.group(1), where)
            return _INLINE_REF.sub(lambda m: str(lookup(m.group(1), where)), node)
        return node

    return walk(raw, "")


def load_referring_yaml(path: Path, campaign: Campaign | None = None) -> Any:
    """A YAML file that may refer to campaign keys, with the references resolved."""
    with open(path, encoding="utf-8") as fh:
        return resolve_references(yaml.safe_load(fh), path, campaign)


def check_campaign() -> Campaign:
    """Load the campaign and resolve every reference to it (forms, requirements): for a check at start-up."""
    campaign = load_campaign()
    for path in [*sorted(FORMS_DIR.glob("*.yaml")), REQUIREMENTS_YAML]:
        load_referring_yaml(path, campaign)
    return campaign
