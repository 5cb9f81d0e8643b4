"""What each person means to write on the form: the values, as written and as a careful reader would clean them."""

from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, field

from . import people
from .people import Phone
from .registry import Unit
from .texts import ACTIVITIES, REPORT_EXTRA, REPORT_OPENINGS, REPORT_SECTIONS, ActivityTemplate

MODULES = ("团结引领", "建家办事", "为民服务", "开放合作", "表彰发布")
AUDIENCES = ("科协系统干部", "科技工作者", "海外同行")
CN_DIGITS = "〇一二三四五六七八九"
STAGE_DAYS = {1: (9, 24), 2: (25, 35), 3: (36, 60)}  # days after 5月1日: 5/10–5/25, 5/26–6/5, 6/6–6/30
LONG_FILLER = (
    "活动筹备阶段成立工作专班，制定详细的实施方案和应急预案，明确时间节点和责任分工，确保各环节衔接顺畅。",
    "活动期间安排专人负责摄影摄像和信息报送，及时在单位网站和微信公众号发布活动动态，扩大活动影响。",
    "活动结束后认真总结经验做法，形成图文并茂的活动总结，择优上传至“科技工作者之家”平台。",
    "所需经费从本单位年度工作经费中列支，严格执行财务管理有关规定，务实节俭办活动，坚决杜绝铺张浪费。",
    "严格落实疫情防控要求，参加人员须出示健康码和行程码，活动现场配备体温检测设备和防疫物资。",
    "提前与场地管理单位、当地乡镇和社区做好对接，落实场地布置、交通保障和安全保卫等各项工作。",
    "邀请当地新闻媒体全程跟踪报道，同步制作短视频和图文稿件，在新媒体平台集中推送。",
    "对参加活动的科技工作者和群众开展满意度调查，根据反馈意见改进今后同类活动的组织方式。",
)


def no_space_len(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def cn_number(value: int) -> str:
    if value < 10:
        return CN_DIGITS[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def write_date(day: dt.date, style: str) -> str:
    """A date the way people type it; every style here is one a careful reader turns back into `day`."""
    y, m, d = day.year, day.month, day.day
    return {
        "cn": f"{y}年{m}月{d}日",
        "dotted": f"{y}.{m}.{d}",
        "slashed": f"{y}/{m:02d}/{d:02d}",
        "dashed": f"{y}-{m:02d}-{d:02d}",
        "numerals": "".join(CN_DIGITS[int(c)] for c in str(y)) + f"年{cn_number(m)}月{cn_number(d)}日",
        "month_day": f"{m}月{d}日",
        "cn_padded": f"{y}年{m:02d}月{d:02d}日",
    }[style]


def campaign_day(offset: int) -> dt.date:
    return dt.date(2021, 5, 1) + dt.timedelta(days=offset)


def md(day: dt.date) -> str:
    return f"{day.month}月{day.day}日"


@dataclass
class Activity:
    title: str
    items: list[tuple[str, str]]  # (label or "", text): one paragraph / table row each
    stage: str
    first_day: dt.date | None

    @property
    def description(self) -> str:
        return "\n".join(f"{label}：{text}" if label else text for label, text in self.items)

    @property
    def char_count(self) -> int:
        return no_space_len(self.description)


@dataclass
class PlanContent:
    unit: Unit
    unit_written: str
    activity_name: str
    modules: list[str]
    organizer: str
    time_written: str
    start: dt.date
    end: dt.date
    location: str
    audiences: list[str]
    scale_written: str
    participants: str
    contact_written: str
    contact: str
    office: Phone | None
    mobile: Phone | None
    fax: Phone | None
    email_written: str
    email: str
    address: str
    submitted_written: str
    submitted: dt.date | None
    activities: list[Activity]


@dataclass
class Liaison:
    name_written: str
    name: str
    org_title: str
    phone: Phone | None


@dataclass
class LiaisonContent:
    unit: Unit
    unit_written: str
    persons: list[Liaison]


@dataclass
class ReportContent:
    unit: Unit
    unit_written: str
    title: str
    title_break: int  # where the printed title wraps onto its second line
    under_title: str  # a line under the title naming the unit, or ""
    paragraphs: list[tuple[str, str]]  # (kind, text): kind is "heading" or "para"
    signature: str
    date_written: str
    date: dt.date
    body_extra: list[str] = field(default_factory=list)

    @property
    def char_count(self) -> int:
        """The body: headings and paragraphs. The title, the unit line under it and the 落款 (signature and date)
        are not body — the same decision as the Word/PDF family (samples/other_hands/README.md)."""
        parts = [t for _, t in self.paragraphs]
        return sum(no_space_len(p) for p in parts)


def unit_written(rng: random.Random, unit: Unit, style: str) -> str:
    if style == "alias" and unit.aliases:
        return rng.choice([a for a in unit.aliases if len(a) >= 4] or list(unit.aliases))
    if style == "extra":
        return unit.name + "（盖章）"
    if style == "province_prefix" and not unit.name.startswith(("青海", "中")):
        return "青海省" + unit.name
    return unit.name


def locality(unit: Unit) -> str:
    if unit.unit_id.startswith("city-"):
        return unit.name.replace("科学技术协会", "").replace("藏族自治州", "州").replace("蒙古族州", "州")
    if unit.unit_id.startswith("county-"):
        return unit.name.replace("科学技术协会", "")
    if unit.category == "高校科协":
        return unit.name.replace("科学技术协会", "")
    return "西宁市"


def fill(text: str, unit: Unit, rng: random.Random, n: int) -> str:
    places = {"u": people.short_name(unit), "loc": locality(unit), "n": n}
    return text.format(**places)


def make_activity(
    rng: random.Random, unit: Unit, template: ActivityTemplate, stage: int, length: str, table: bool, date_style: str
) -> Activity:
    low, high = STAGE_DAYS[stage]
    first = campaign_day(rng.randint(low, high))
    n = rng.choice([30, 40, 50, 60, 80, 100, 120, 150, 200, 300])
    title = fill(rng.choice(template.titles), unit, rng, n)
    place = fill(rng.choice(template.places), unit, rng, n)
    if date_style == "range" and first.day < 28:
        when = f"2021年{md(first)}至{first.day + 2}日"
    elif date_style == "none":
        when = f"{first.month}月{'上旬' if first.day <= 10 else '中旬' if first.day <= 20 else '下旬'}"
        first = None
    elif date_style == "explicit_stage":
        when = f"{md(first)}（第{'一二三'[stage - 1]}阶段）"
    else:
        when = f"2021年{md(first)}" + rng.choice(["", "上午", "下午", "（暂定）"])
    sentences = [fill(s, unit, rng, n) for s in template.arrangements]
    keep = {"compact": 1, "normal": rng.choice([2, 3]), "long": len(sentences)}[length]
    arrangement = "".join(sentences[:keep])
    outcome = template.outcome
    if table:
        items = [("活动时间", when), ("活动地点", place), ("参加人员", fill(template.who, unit, rng, n))]
        items += [("主要内容", arrangement), ("预期成效", outcome)]
    elif length == "compact":
        items = [("", f"{when}，在{place}举办。{arrangement}")]
    elif rng.random() < 0.5:
        items = [("时间", when), ("地点", place), ("参加人员", fill(template.who, unit, rng, n))]
        items += [("主要安排", arrangement), ("预期成效", outcome)]
    else:
        items = [
            ("", f"{when}，在{place}举办，参加人员为{fill(template.who, unit, rng, n)}。{arrangement}"),
            ("", outcome),
        ]
    activity = Activity(title, items, str(stage) if first else "", first)
    if date_style == "explicit_stage":
        activity.stage = str(stage)
    if length == "long":
        filler = list(LONG_FILLER)
        while activity.char_count <= 520 and filler:
            label, text = activity.items[-1]
            activity.items[-1] = (label, text + filler.pop(0))
        assert activity.char_count > 520, activity.char_count
    else:
        assert activity.char_count < 480, activity.char_count
    return activity


def pick_templates(rng: random.Random, unit: Unit, modules: list[str]) -> list[ActivityTemplate]:
    pool = [t for t in ACTIVITIES if t.key != "innovation" or unit.category == "企业科协"]
    chosen: list[ActivityTemplate] = []
    for module in modules:
        options = [t for t in pool if t.module == module and t not in chosen]
        if options and len(chosen) < 3:
            chosen.append(rng.choice(options))
    while len(chosen) < 3:
        chosen.append(rng.choice([t for t in pool if t not in chosen]))
    rng.shuffle(chosen)
    return chosen


@dataclass
class PlanOptions:
    n_modules: int = 2
    n_audiences: int = 1
    submitted_style: str = "cn"
    late: bool = False
    long_activity: int | None = None  # index of an activity written past 500 字
    compact: bool = False
    table_activities: bool = False
    unit_style: str = "canonical"
    mobile_style: str = "plain"
    office_style: str = "dash"
    with_fax: bool = False
    email_style: str = "plain"
    activity_dates: tuple[str, str, str] = ("plain", "plain", "plain")


def make_plan(rng: random.Random, unit: Unit, opts: PlanOptions) -> PlanContent:
    picked_modules = set(rng.sample(MODULES, opts.n_modules))
    modules = [m for m in MODULES if m in picked_modules]
    picked_audiences = set(rng.sample(AUDIENCES[:2], min(opts.n_audiences, 2)))
    audiences = [a for a in AUDIENCES if a in picked_audiences]
    if opts.n_audiences == 3:
        audiences = list(AUDIENCES)
    templates = pick_templates(rng, unit, modules)
    activities = []
    for i, template in enumerate(templates):
        length = "long" if opts.long_activity == i else "compact" if opts.compact else "normal"
        activities.append(
            make_activity(rng, unit, template, i + 1, length, opts.table_activities, opts.activity_dates[i])
        )
    start = activities[0].first_day or campaign_day(20)
    end = activities[-1].first_day or campaign_day(45)
    time_written = rng.choice(
        [f"2021年{md(start)}至{md(end)}", f"2021年{md(start)}—{md(end)}", f"{md(start)}-{md(end)}"]
    )
    loc = locality(unit)
    n = rng.choice([300, 500, 800, 1000, 1500, 2000])
    scale_written, participants = rng.choice(
        [
            (f"约{n}人", str(n)),
            (f"线上线下共{n}人次", str(n)),
            (f"{n}余人", str(n)),
            ("分3场举办，线上线下同步开展", ""),
        ]
    )
    deadline = dt.date.fromisoformat(unit.plan_deadline)
    submitted = (
        deadline + dt.timedelta(days=rng.randint(1, 3)) if opts.late else deadline - dt.timedelta(rng.randint(0, 4))
    )
    contact_written, contact = people.person_name(rng, pad_two_char=rng.random() < 0.5)
    email_written, email = people.email(rng, unit, opts.email_style)
    short = people.short_name(unit)
    return PlanContent(
        unit=unit,
        unit_written=unit_written(rng, unit, opts.unit_style),
        activity_name=rng.choice(
            [
                f"{short}2021年“全国科技工作者日”系列活动",
                f"“众心向党、自立自强”——{loc}庆祝第五个全国科技工作者日系列活动",
                "庆祝建党100周年暨2021年“全国科技工作者日”主题活动",
            ]
        ),
        modules=modules,
        organizer=rng.choice(["", f"{loc}科技馆", f"{short}办公室", f"{short}科普部"]),
        time_written=time_written,
        start=start,
        end=end,
        location=rng.choice([f"{loc}", f"{loc}及所辖各县区", f"{short}会议室及各活动点"]),
        audiences=audiences,
        scale_written=scale_written,
        participants=participants,
        contact_written=contact_written,
        contact=contact,
        office=people.landline(rng, unit, opts.office_style),
        mobile=people.mobile(rng, opts.mobile_style),
        fax=people.landline(rng, unit) if opts.with_fax else None,
        email_written=email_written,
        email=email,
        address=people.mailing_address(rng, unit),
        submitted_written=write_date(submitted, opts.submitted_style),
        submitted=submitted,
        activities=activities,
    )


def make_liaison(
    rng: random.Random, unit: Unit, count: int, unit_style: str, phone_styles: list[str]
) -> LiaisonContent:
    persons = []
    for i in range(count):
        name_written, name = people.person_name(rng, pad_two_char=rng.random() < 0.4)
        style = phone_styles[i % len(phone_styles)]
        if style == "none":
            phone = None
        elif style.startswith("land"):
            phone = people.landline(rng, unit, style.split(":")[1] if ":" in style else "dash")
        else:
            phone = people.mobile(rng, style)
        role = "办公室主任" if i == 0 else None
        persons.append(Liaison(name_written, name, people.org_title(rng, unit, role), phone))
    return LiaisonContent(unit, unit_written(rng, unit, unit_style), persons)


def make_report(
    rng: random.Random, unit: Unit, length: str, date_style: str, late: bool, unit_style: str, title_style: str
) -> ReportContent:
    """length: short (one page, ~700 字), medium (~1500), over (past the unit's limit)."""
    written = unit_written(rng, unit, unit_style)
    if title_style == "unit_in_title":
        title = f"{written}2021年“全国科技工作者日”活动的总结报告"
        under = ""
    else:
        title = "2021年“全国科技工作者日”系列活动的总结报告"
        under = written if title_style == "unit_under" else ""
    # Printed on two lines: after 活动的总 (…活动的总 / 结报告), or after the unit when the unit heads a long title.
    title_break = len(written) if title_style == "unit_in_title" and len(written) > 8 else title.index("活动的总") + 4
    paragraphs: list[tuple[str, str]] = [("para", fill(rng.choice(REPORT_OPENINGS), unit, rng, 45))]
    take = {"short": (1, 3, 1, 1), "medium": (2, 5, 2, 2), "over": (3, 6, 2, 2)}[length]
    for (heading, paras), k in zip(REPORT_SECTIONS, take, strict=True):
        paragraphs.append(("heading", heading))
        chosen = range(k) if heading.startswith(("一", "四")) else sorted(rng.sample(range(len(paras)), k))
        for i in chosen:
            paragraphs.append(("para", fill(paras[i], unit, rng, rng.choice([35, 42, 56]))))
    report_date = dt.date(2021, 6, rng.randint(21, 24) if late else rng.randint(10, 18))
    report = ReportContent(
        unit, written, title, title_break, under, paragraphs, written, write_date(report_date, date_style), report_date
    )
    if length == "over":
        extras = list(REPORT_EXTRA)
        insert_at = next(i for i, (k, t) in enumerate(paragraphs) if t.startswith("三"))
        while report.char_count <= unit.report_limit + 150:
            paragraphs.insert(insert_at, ("para", extras.pop(0)))
            insert_at += 1
    else:
        assert report.char_count < unit.report_limit - 150, report.char_count
    return report
