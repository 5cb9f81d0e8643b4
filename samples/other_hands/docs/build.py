"""Fill one form's content for one unit: what its staff would write, with the clean values alongside."""

from __future__ import annotations

import random
import re

from . import dates
from .model import Activity, Doc, Person, nonspace_len, stage_of
from .people import TITLES_LONG, TITLES_SHORT, Value, address, email, landline, mail_user, mobile, person_name
from .texts import (
    AUDIENCES,
    KINDS,
    REPORT_EFFECT,
    REPORT_EXTRA,
    REPORT_LEAD,
    REPORT_NEXT,
    REPORT_OPEN,
    activity_title,
    compose_activity,
    flavour,
    report_activity_paragraph,
)
from .units import DEPT, Unit, short_name

STAGE_DAYS = {
    1: [(5, d) for d in range(12, 25)],
    2: [(5, 26), (5, 27), (5, 28), (5, 29), (5, 30), (5, 31), (6, 1), (6, 2), (6, 3), (6, 4)],
    3: [(6, d) for d in range(7, 29)],
}
STAGE_WORD = {1: "第一阶段", 2: "第二阶段", 3: "第三阶段"}


def pick_spelling(unit: Unit, kind: str, rng: random.Random) -> str:
    full, short = unit.name, short_name(unit)
    if kind == "canonical" or not unit.in_registry and kind not in ("short", "seal_hint"):
        return full
    if kind == "short":
        return short
    if kind == "alias":
        good = [a for a in unit.aliases if len(a) >= 5 and a != short]
        return good[0] if good else short
    if kind == "seal_hint":
        return full + rng.choice(["（盖章）", "(盖章)"])
    if kind == "secretariat":
        return full + rng.choice(["（秘书处）", "秘书处"])
    if kind == "office":
        return short + "办公室"
    if kind == "traditional":
        import zhconv

        return zhconv.convert(full, "zh-hant")
    if kind == "both_names":
        alias = next((a for a in unit.aliases if len(a) >= 4 and a not in full), short)
        return f"{full}（{alias}）"
    if kind == "province_prefix":
        return "青海省" + short
    raise ValueError(kind)


def activity_date(stage: int, rng: random.Random, style: str) -> tuple[str, str]:
    """(text for the write-up, the stage the rules give for it)."""
    m, dd = rng.choice(STAGE_DAYS[stage])
    if style == "range" and dd <= 26:
        return f"{m}月{dd}日至{dd + 2}日", str(stage)
    if style == "cn":
        return f"2021年{m}月{dd}日", str(stage)
    return f"{m}月{dd}日", str(stage)


def make_activities(
    unit: Unit,
    rng: random.Random,
    n: int = 3,
    layout: str = "numbered",
    long_at: int = -1,
    explicit_stage: bool = False,
    no_date_at: int = -1,
    date_style: str = "md",
) -> list[Activity]:
    fl = flavour(unit, rng)
    kinds = rng.sample(KINDS, k=n)
    acts = []
    for i, kind in enumerate(kinds):
        stage = min(i + 1, 3)
        date_text, _ = activity_date(stage, rng, date_style) if i != no_date_at else ("", "")
        people = rng.randrange(40, 400)
        paras = compose_activity(kind, fl, date_text, people, rng, long=i == long_at)
        title = activity_title(kind, fl, rng)
        if explicit_stage:
            title = f"{STAGE_WORD[stage]}：{title}"
        place = fl.hall if kind.module != "为民服务" else fl.village
        if layout == "table":
            labels = [
                ("活动时间", date_text or "另行通知"),
                ("活动地点", place),
                ("参加人员", fl.members),
                ("主要安排", paras[0] + paras[1]),
                ("预期成效", "".join(paras[2:])),
            ]
        elif layout == "rows":
            labels = [("时间", date_text or "另行通知"), ("地点", place), ("主要内容", "".join(paras[1:]))]
        else:
            labels = []
        act = Activity(title, paras, "", labels)
        act.stage = stage_of(act.title + "\n" + act.description(layout))
        acts.append(act)
    return acts


def base_plan(doc: Doc, unit: Unit, rng: random.Random) -> Doc:
    fl = flavour(unit, rng)
    layout = doc.opts.get("activities", "numbered")
    doc.activities = make_activities(unit, rng, layout=layout)
    kinds_modules = sorted({k.module for k in KINDS if any(t in a.title for a in doc.activities for t in [""])})
    doc.modules = rng.sample(["团结引领", "建家办事", "为民服务", "开放合作", "表彰发布"], k=rng.choice([1, 2, 2, 3]))
    del kinds_modules
    doc.audiences = rng.sample(AUDIENCES[:2], k=rng.choice([1, 2])) + (["海外同行"] if rng.random() < 0.15 else [])
    doc.activity_name = rng.choice(
        [
            f"{fl.short}2021年“全国科技工作者日”系列活动",
            "“众心向党 自立自强”主题系列活动",
            f"庆祝建党100周年暨“全国科技工作者日”{fl.field if fl.field != '科技' else ''}科技工作者系列活动",
            "2021年全国科技工作者日特色亮点活动",
        ]
    )
    doc.organizer = rng.choice(["", "", f"{fl.short}办公室", f"{fl.short}学术部", "各分支机构"])
    start = dates.d(5, rng.randrange(14, 31))
    planned_style = rng.choice(["cn", "dot", "md", "slash", "md_weekday"])
    doc.planned = dates.single(start, planned_style)
    doc.location = fl.hall
    n = rng.choice([50, 80, 100, 120, 200, 300, 500])
    doc.scale, doc.participants = rng.choice(
        [(f"约{n}人", str(n)), (f"{n}人次", str(n)), (f"{n}余人", str(n)), (f"{n}人左右", str(n)), ("线上线下结合", "")]
    )
    doc.contact = person_name(rng)
    office_style, mobile_style = (
        rng.choice(["dash", "dash", "plain", "space"]),
        rng.choice(["plain", "spaces", "dashes"]),
    )
    email_style = rng.choice(["plain", "plain", "upper", "fullwidth_at"])
    doc.office = landline(rng, unit, office_style)
    doc.mobile = mobile(rng, mobile_style)
    doc.fax = landline(rng, unit) if rng.random() < 0.5 else Value("", "")
    doc.email = email(rng, mail_user(unit, rng), email_style)
    doc.address = address(rng, unit)
    submitted_style = rng.choice(["cn", "cn", "dot", "slash", "iso"])
    doc.submitted = dates.single(dates.d(5, rng.randrange(6, 9)), submitted_style)
    return doc


def base_liaison(doc: Doc, unit: Unit, rng: random.Random, n: int = 1, long_titles: bool = False) -> Doc:
    short = short_name(unit)
    doc.persons = []
    for i in range(n):
        title = rng.choice(TITLES_LONG) if long_titles and i != 1 else rng.choice(TITLES_SHORT)
        org = title if long_titles and i != 1 else f"{short}{title}"
        if rng.random() < 0.75:
            phone, kind = mobile(rng, rng.choice(["plain", "plain", "spaces", "dashes"])), "mobile"
        else:
            phone, kind = landline(rng, unit, rng.choice(["dash", "plain"])), "landline"
        doc.persons.append(Person(person_name(rng), org, phone, kind))
    return doc


def base_report(doc: Doc, unit: Unit, rng: random.Random, target: tuple[int, int]) -> Doc:
    """Body paragraphs whose non-whitespace length falls inside `target`."""
    fl = flavour(unit, rng)
    fill = {"short": fl.short, "members": fl.members}
    kinds = rng.sample(KINDS, k=5) + rng.sample(KINDS, k=2)
    days = [rng.choice(STAGE_DAYS[s]) for s in (1, 1, 2, 2, 3, 3, 3)]
    acts = [
        report_activity_paragraph(kd, fl, f"{m}月{dd}日", rng.randrange(60, 500), rng)
        for kd, (m, dd) in zip(kinds, days, strict=True)
    ]
    extras = list(REPORT_EXTRA)
    rng.shuffle(extras)
    for n_act in range(2, 8):
        for n_extra in range(0, len(extras) + 1):
            body = [rng.choice(REPORT_OPEN).format(**fill), "一、高度重视，精心组织"]
            body += [p.format(**fill) for p in REPORT_LEAD[:3]]
            body += ["二、突出主题，扎实开展系列活动"] + acts[:n_act] + extras[:n_extra]
            body += ["三、活动取得的主要成效"] + [p.format(**fill) for p in REPORT_EFFECT]
            body += ["四、存在的不足和下一步打算"] + [p.format(**fill) for p in REPORT_NEXT]
            count = sum(nonspace_len(p) for p in body)
            if target[0] <= count <= target[1]:
                doc.body = body
                return doc
    raise ValueError(f"cannot reach {target} for {unit.unit_id}")


def report_title(unit_raw_or_short: str, rng: random.Random) -> str:
    return rng.choice(
        [
            f"{unit_raw_or_short}2021年“全国科技工作者日”活动总结报告",
            f"{unit_raw_or_short}关于开展2021年“全国科技工作者日”系列活动的总结",
            "2021年“全国科技工作者日”特色亮点活动总结报告",
        ]
    )


def date_style(raw: str) -> str:
    if not raw:
        return "empty"
    if "〇" in raw:
        return "hanzi"
    if "至" in raw or "—" in raw or raw.count("月") > 1 or re.search(r"日-", raw):
        return "range"
    if "上午" in raw:
        return "with_time"
    if "星期" in raw:
        return "weekday"
    for name, pattern in (
        ("dot", r"^\d{4}\.\d"),
        ("slash", r"^\d{4}/"),
        ("iso", r"^\d{4}-\d\d-\d\d$"),
        ("dash", r"^\d{4}-\d"),
        ("year_implied", r"^\d{1,2}月"),
        ("cn", r"^\d{4}年"),
    ):
        if re.search(pattern, raw):
            return name
    return "undecided"


def phone_style(v: Value) -> str:
    raw = v.raw
    if not raw:
        return "empty"
    if not v.ok:
        return "invalid"
    for name, test in (
        ("plus86", "+86" in raw),
        ("extension", "转" in raw),
        ("paren", "(" in raw or "（" in raw),
        ("spaces", " " in raw.strip()),
        ("dashes", "-" in raw),
    ):
        if test:
            return name
    return "plain"


def email_style(v: Value) -> str:
    raw = v.raw
    if not raw:
        return "empty"
    if not v.ok:
        return "invalid"
    if "＠" in raw:
        return "fullwidth_at"
    if " " in raw:
        return "spaces"
    return "upper" if raw != raw.lower() else "plain"


def style_tags(doc: Doc) -> list[str]:
    """Tags for the incidental styles a file carries, read off its raw values."""
    tags = []
    if doc.form == "activity_plan":
        tags.append(f"tick_{doc.opts.get('ticks', 'paren_after')}")
        tags += [
            f"planned_{date_style(doc.planned.raw)}",
            f"submitted_{date_style(doc.submitted.raw)}",
            f"office_{phone_style(doc.office)}",
            f"mobile_{phone_style(doc.mobile)}",
            f"email_{email_style(doc.email)}",
        ]
    elif doc.form == "liaison_reply":
        n = len(doc.persons)
        tags.append(f"liaison_{n}_person{'s' if n > 1 else ''}")
        tags += [f"phone_{phone_style(p.phone)}" for p in doc.persons]
    elif doc.form == "summary_report":
        tags.append(f"submitted_{date_style(doc.submitted.raw)}")
    return tags


def is_dept(unit: Unit) -> bool:
    return unit.in_registry and unit.category == DEPT


__all__ = [
    "base_plan",
    "base_liaison",
    "base_report",
    "make_activities",
    "pick_spelling",
    "report_title",
    "dates",
    "Person",
    "Value",
    "landline",
    "mobile",
    "email",
    "mail_user",
    "person_name",
    "TITLES_LONG",
    "is_dept",
]
