"""What each recipe's unit did differently from the plain form (dates, phones, persons, report length)."""

from __future__ import annotations

import random

from . import dates
from .build import base_liaison, base_report, make_activities, report_title
from .model import Seal
from .people import Value, email, landline, mail_user, mobile
from .units import Unit, short_name


def _seal(unit: Unit, rng: random.Random, under: str = "red", vector: bool = False) -> Seal:
    centre = rng.choice(["", "", "办公室"]) if "科学技术协会" in unit.name and unit.category != "省科协部门" else ""
    return Seal(unit.name, centre, unit.unit_id, under, vector)


# ---- tweaks: what this recipe's unit did differently ----


def t_p2(doc, unit, rng):
    doc.planned = dates.single(dates.d(5, rng.randrange(17, 24)), "dot")
    doc.submitted = dates.single(dates.d(5, rng.randrange(6, 10)), "slash")
    doc.modules = ["团结引领", "为民服务"]


def t_p3(doc, unit, rng):
    a = dates.d(5, rng.randrange(14, 21))
    doc.planned = dates.span(a, a.replace(day=a.day + 2), "md_to_day")
    doc.submitted = dates.single(dates.d(5, rng.randrange(6, 9)), "dash")


def t_p4(doc, unit, rng):
    doc.activities = make_activities(unit, rng, layout="numbered", long_at=rng.randrange(3))
    doc.planned = dates.single(dates.d(6, rng.randrange(8, 20)), "cn_time")


def t_p5(doc, unit, rng):
    doc.planned = dates.single(dates.d(5, rng.randrange(20, 29)), "hanzi")
    doc.submitted = dates.single(dates.d(5, rng.randrange(6, 10)), "hanzi")
    doc.modules = ["建家办事", "开放合作"]
    doc.audiences = ["科技工作者", "海外同行"]


def t_p6(doc, unit, rng):
    a = dates.d(5, rng.randrange(27, 30))
    doc.planned = dates.span(a, dates.d(6, rng.randrange(3, 6)), "cn_emdash")


def t_p7(doc, unit, rng):
    doc.mobile = mobile(rng, "short")
    doc.office = landline(rng, unit, "letters")
    doc.email = email(rng, mail_user(unit, rng), "upper")
    name = doc.activity_name
    cut = len(name) // 2
    doc.opts["name_render"] = name[:cut] + "\n" + name[cut:]


def t_p8(doc, unit, rng):
    doc.planned = dates.undecided(rng.choice(["待定", "时间待定，另行通知"]))
    doc.audiences = []
    doc.submitted = dates.single(dates.d(5, rng.randrange(11, 15)), "cn")
    doc.opts["extra_rows"] = rng.choice(["王德海", "马占林", "祁永胜"])


def t_p9(doc, unit, rng):
    doc.modules = []
    doc.planned = dates.single(dates.d(7, rng.randrange(1, 9)), "cn")
    doc.email = email(rng, mail_user(unit, rng), rng.choice(["no_at", "no_tld"]))


def t_p10(doc, unit, rng):
    doc.activities = make_activities(unit, rng, layout="numbered", explicit_stage=True)
    doc.modules = ["团结引领", "建家办事", "为民服务"]
    doc.submitted = dates.single(dates.d(5, rng.randrange(6, 10)), "md")
    doc.mobile = mobile(rng, "plus86")
    doc.office = landline(rng, unit, "paren")
    doc.fax = landline(rng, unit, "fullparen")


def t_p11(doc, unit, rng):
    doc.submitted = dates.single(dates.d(5, 9), rng.choice(["cn", "dot"]))
    doc.email = email(rng, mail_user(unit, rng), "spaces")
    doc.office = landline(rng, unit, "ext")


def t_l2(doc, unit, rng):
    base_liaison(doc, unit, rng, n=3, long_titles=True)


def t_l3(doc, unit, rng):
    base_liaison(doc, unit, rng, n=2)
    doc.persons[0].phone, doc.persons[0].kind = mobile(rng, "spaces"), "mobile"
    doc.persons[1].phone, doc.persons[1].kind = landline(rng, unit, "ext"), "landline"


def t_l4(doc, unit, rng):
    base_liaison(doc, unit, rng, n=1)
    doc.persons[0].phone, doc.persons[0].kind = landline(rng, unit, "paren"), "landline"


def t_l5(doc, unit, rng):
    base_liaison(doc, unit, rng, n=3)
    doc.persons[1].phone, doc.persons[1].kind = mobile(rng, rng.choice(["short", "long"])), "mobile"
    doc.persons[2].phone = Value("", "")


def t_l6(doc, unit, rng):
    base_liaison(doc, unit, rng, n=2)


def t_l7(doc, unit, rng):
    base_liaison(doc, unit, rng, n=2)
    for p in doc.persons:
        p.phone, p.kind = mobile(rng, rng.choice(["plus86", "plus86_tight"])), "mobile"


def _report(target, date_style, late=False, date=True):
    def tweak(doc, unit, rng):
        base_report(doc, unit, rng, target)
        day = dates.d(6, rng.randrange(19, 25)) if late else dates.d(6, rng.randrange(8, 18))
        doc.submitted = dates.single(day, date_style) if date else dates.EMPTY
        short = short_name(unit)
        doc.title = (
            report_title(short, rng)
            if not doc.opts.get("long_title")
            else (f"{short}关于开展2021年“全国科技工作者日”暨庆祝中国共产党成立100周年系列主题活动情况的总结报告")
        )
        lines = doc.opts.get("split_title")
        if lines:
            cut = doc.title.index("”") + 1 if "”" in doc.title else len(doc.title) // 2
            doc.title_lines = [doc.title[:cut], doc.title[cut:]]
        else:
            doc.title_lines = [doc.title]

    return tweak


def t_pd_rows(doc, unit, rng):
    doc.activities = make_activities(unit, rng, layout="rows")
    doc.submitted = dates.single(dates.d(5, rng.randrange(6, 10)), "dash")


def t_pd_vague(doc, unit, rng):
    # A 旬 is a fixed ten-day period (上旬 1–10, 中旬 11–20, 下旬 21–end): a range, not an unreadable date.
    # (Lead's decision after the first version expected invalid_date; samples/other_hands/README.md.)
    periods = [("五月下旬", dates.d(5, 21), dates.d(5, 31)), ("6月上中旬", dates.d(6, 1), dates.d(6, 20))]
    raw, start, end = rng.choice(periods)
    doc.planned = dates.DateValue(raw, start.isoformat(), end.isoformat())


def t_liaison_n(n):
    def tweak(doc, unit, rng):
        base_liaison(doc, unit, rng, n=n)

    return tweak


def _chain(*fns):
    def tweak(doc, unit, rng):
        for fn in fns:
            fn(doc, unit, rng)

    return tweak


def t_liaison_3(doc, unit, rng):
    base_liaison(doc, unit, rng, n=3)
