"""The family's recipes: each is one way an outside office fills one form; each recipe is made once per set."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from . import dates
from .build import (
    base_liaison,
    base_report,
    make_activities,
    report_title,
)
from .model import Doc, Seal
from .people import Value, email, landline, mail_user, mobile
from .units import Unit, short_name


@dataclass
class Recipe:
    rid: str
    form: str  # activity_plan | liaison_reply | summary_report | notice | blank_plan | blank_liaison
    fmt: str  # docx | pdf_lo | pdf_direct
    pool: str
    spelling: str
    hand: str
    classes: list[str]
    opts: dict = field(default_factory=dict)
    tweak: Callable[[Doc, Unit, random.Random], None] | None = None
    seal: str = ""  # "" none | raster | vector | docx (seal picture inside the Word file)
    name: str = "{short}-筹备方案"


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


RECIPES: list[Recipe] = [
    # ---------------- Word: 筹备方案 ----------------
    Recipe(
        "P1",
        "activity_plan",
        "docx",
        "city",
        "canonical",
        "Word 2016, the seed's 6-column grid kept as sent",
        ["word_style", "table_grid_merged", "tick_paren_after", "spaced_labels", "activities_numbered_cn"],
        {"look": "word", "basic": "grid", "ticks": "paren_after"},
        name="{short}-特色亮点活动筹备方案",
    ),
    Recipe(
        "P2",
        "activity_plan",
        "docx",
        "univ",
        "seal_hint",
        "WPS 2019, label|value pairs over 4 columns, e-seal",
        [
            "wps_style",
            "table_pairs_4col",
            "tick_box_before",
            "activities_table_per_activity",
            "seal_docx",
            "unit_seal_hint",
            "date_dot",
            "date_slash",
        ],
        {"look": "wps", "basic": "pairs", "ticks": "box_before", "activities": "table", "hint": True},
        t_p2,
        "docx",
        name="附件：2021年全国科技工作者日特色亮点活动筹备方案（{short}）",
    ),
    Recipe(
        "P3",
        "activity_plan",
        "docx",
        "soc",
        "alias",
        "Word, no table: `label：value` paragraphs, one option a line",
        [
            "fields_as_paragraphs",
            "full_width_colon",
            "tick_square",
            "ticks_one_per_line",
            "activities_numbered_paren",
            "date_range",
            "date_dash",
        ],
        {"look": "word", "basic": "paragraphs", "ticks": "square", "per_line": True, "numbering": "paren"},
        t_p3,
        name="{short}筹备方案",
    ),
    Recipe(
        "P4",
        "activity_plan",
        "docx",
        "soc",
        "secretariat",
        "LibreOffice Writer, label and value in one cell",
        [
            "lo_style",
            "label_value_one_cell",
            "tick_dot",
            "activities_numbered_digit",
            "description_over_500",
            "date_with_time",
            "unit_secretariat",
        ],
        {"look": "lo", "basic": "onecell", "ticks": "dot", "numbering": "dot"},
        t_p4,
        name="{short}活动方案",
    ),
    Recipe(
        "P5",
        "activity_plan",
        "docx",
        "ent",
        "alias",
        "Word 365, contacts in a nested table, content-control ticks",
        [
            "word_style",
            "nested_contacts_table",
            "reordered_rows",
            "tick_content_control",
            "activities_huodong",
            "date_hanzi",
            "seal_docx",
        ],
        {"look": "word", "basic": "nested", "ticks": "sdt", "numbering": "huodong"},
        t_p5,
        "docx",
        name="{short}科技工作者日筹备方案(定稿)",
    ),
    Recipe(
        "P6",
        "activity_plan",
        "docx",
        "city",
        "both_names",
        "WPS, the seed grid with legacy form-field checkboxes",
        [
            "wps_style",
            "table_grid_merged",
            "tick_legacy_checkbox",
            "activities_table_rows",
            "date_range_months",
            "unit_both_names",
        ],
        {"look": "wps", "basic": "grid", "ticks": "legacy", "activities": "rows"},
        t_p6,
        name="关于报送特色亮点活动筹备方案的函-{short}",
    ),
    Recipe(
        "P7",
        "activity_plan",
        "docx",
        "county",
        "canonical",
        "LibreOffice, pairs table, title and name broken in two",
        [
            "lo_style",
            "table_pairs_4col",
            "title_two_paragraphs",
            "value_two_paragraphs",
            "tick_ascii_paren_after",
            "invalid_mobile",
            "invalid_phone",
            "email_upper",
            "activities_numbered_dun",
        ],
        {
            "look": "lo",
            "basic": "pairs",
            "ticks": "ascii_after",
            "numbering": "dun",
            "title_lines": ["2021年“全国科技工作者日”", "特色亮点活动筹备方案"],
        },
        t_p7,
        name="{short}筹备方案",
    ),
    Recipe(
        "P8",
        "activity_plan",
        "docx",
        "outsider",
        "canonical",
        "WPS, another province's society using our form",
        [
            "unit_unmatched",
            "date_undecided",
            "no_audience",
            "late_submission",
            "tick_paren_before",
            "extra_rows",
            "nested_contacts_table",
        ],
        {"look": "wps", "basic": "nested", "ticks": "paren_before"},
        t_p8,
        name="{short}-活动筹备方案",
    ),
    Recipe(
        "P9",
        "activity_plan",
        "docx",
        "soc",
        "traditional",
        "Word on a Hong Kong-set PC, 落款 at the bottom",
        [
            "unit_traditional",
            "no_module",
            "date_out_of_window",
            "invalid_email",
            "stamp_line_bottom",
            "tick_check_after",
        ],
        {
            "look": "word",
            "basic": "grid",
            "ticks": "check_after",
            "stamp_line": "bottom_plain",
            "attachment_label": False,
        },
        t_p9,
        name="{short}筹备方案",
    ),
    Recipe(
        "P10",
        "activity_plan",
        "docx",
        "city",
        "office",
        "Word, staff of the unit's 办公室 filling the grid",
        [
            "unit_office_suffix",
            "date_year_implied",
            "mobile_plus86",
            "phone_parentheses",
            "activities_explicit_stage",
            "three_modules",
            "tick_box_after",
            "ticks_one_per_line",
        ],
        {"look": "word", "basic": "grid", "ticks": "box_after", "per_line": True},
        t_p10,
        name="{short}2021年科技工作者日活动方案",
    ),
    Recipe(
        "P11",
        "activity_plan",
        "docx",
        "dept4",
        "short",
        "WPS, a 省科协 department (deadline 5月8日)",
        ["dept_deadline", "late_submission", "email_spaces", "phone_extension", "wps_style"],
        {"look": "wps", "basic": "grid", "ticks": "paren_after", "stamp_line": "bottom"},
        t_p11,
        name="{short}特色亮点活动筹备方案",
    ),
    # ---------------- Word: 回执表 ----------------
    Recipe(
        "L1",
        "liaison_reply",
        "docx",
        "city",
        "seal_hint",
        "Word, one liaison, unit written with （盖章）",
        ["word_style", "liaison_1_person", "unit_seal_hint"],
        {"look": "word"},
        t_liaison_n(1),
        name="附件2 联络员回执表-{short}",
    ),
    Recipe(
        "L2",
        "liaison_reply",
        "docx",
        "univ",
        "alias",
        "WPS, three liaisons with long job titles, 序号 column",
        ["wps_style", "liaison_3_persons", "long_org_title", "extra_column", "spaced_labels", "blank_rows"],
        {"look": "wps", "columns": ["序号", "姓  名", "工作单位及职务", "联系电话"], "blank_rows": 2},
        t_l2,
        name="{short}联络员回执表",
    ),
    Recipe(
        "L3",
        "liaison_reply",
        "docx",
        "ent",
        "canonical",
        "Word, columns reordered, the template footer left in",
        ["columns_reordered", "liaison_2_persons", "phone_extension", "phone_spaces", "template_footer_kept"],
        {"look": "word", "columns": ["姓名", "联系电话", "工作单位及职务"], "footer": True},
        t_l3,
        name="回执表（{short}）",
    ),
    Recipe(
        "L4",
        "liaison_reply",
        "docx",
        "soc",
        "traditional",
        "LibreOffice, 填报单位 as the table's first row",
        ["lo_style", "unit_in_table", "unit_traditional", "phone_parentheses", "liaison_1_person"],
        {"look": "lo", "unit_in_table": True},
        t_l4,
        name="{short}回执",
    ),
    Recipe(
        "L5",
        "liaison_reply",
        "docx",
        "county",
        "short",
        "Word, one bad number and one person without a number",
        ["invalid_phone", "missing_phone", "liaison_3_persons", "unit_short"],
        {"look": "word", "blank_rows": 1},
        t_l5,
        name="{short}联络员回执表",
    ),
    Recipe(
        "L6",
        "liaison_reply",
        "docx",
        "outsider",
        "canonical",
        "WPS, a unit from another province, with e-seal",
        ["unit_unmatched", "seal_docx", "liaison_2_persons", "wps_style"],
        {"look": "wps"},
        t_l6,
        "docx",
        name="{short}回执表",
    ),
    Recipe(
        "L7",
        "liaison_reply",
        "docx",
        "ent",
        "alias",
        "LibreOffice, title broken elsewhere, +86 numbers",
        ["lo_style", "title_two_paragraphs", "mobile_plus86", "blank_rows", "label_seal_hint"],
        {
            "look": "lo",
            "title_lines": ["2021年“全国科技工作者日”", "活动联络员回执表"],
            "blank_rows": 3,
            "unit_label": "填报单位（盖章）：",
        },
        t_l7,
        name="联络员回执表_{short}",
    ),
    # ---------------- Word: 总结报告 ----------------
    Recipe(
        "S1",
        "summary_report",
        "docx",
        "city",
        "canonical",
        "Word, title on one line, 落款 with a 汉字 date",
        ["word_style", "date_hanzi", "report_signature_block"],
        {"look": "word"},
        _report((1800, 2800), "hanzi"),
        name="{short}2021年全国科技工作者日活动总结",
    ),
    Recipe(
        "S2",
        "summary_report",
        "docx",
        "soc",
        "canonical",
        "WPS, title split over two paragraphs, e-seal",
        ["wps_style", "title_two_paragraphs", "seal_docx", "date_slash", "report_unit_line"],
        {"look": "wps", "split_title": True, "unit_line": "报送单位：", "date_label": "报送时间："},
        _report((1700, 2900), "slash"),
        "docx",
        name="{short}总结报告",
    ),
    Recipe(
        "S3",
        "summary_report",
        "docx",
        "dept4",
        "canonical",
        "Word, a 省科协 department over its 2000 字",
        ["dept_char_limit", "too_long", "late_submission", "word_style"],
        {"look": "word"},
        _report((2050, 2700), "cn", late=True),
        name="{short}特色亮点活动总结报告",
    ),
    Recipe(
        "S4",
        "summary_report",
        "docx",
        "univ",
        "canonical",
        "WPS, far over 3000 字 and undated",
        ["too_long", "missing_date", "wps_style"],
        {"look": "wps"},
        _report((3020, 3600), "cn", date=False),
        name="{short}科技工作者日总结",
    ),
    Recipe(
        "S5",
        "summary_report",
        "docx",
        "outsider",
        "canonical",
        "Word, another province's report sent here",
        ["unit_unmatched", "word_style"],
        {"look": "word"},
        _report((1600, 2600), "cn"),
        name="{short}活动总结",
    ),
    Recipe(
        "S6",
        "summary_report",
        "docx",
        "county",
        "canonical",
        "LibreOffice, a long title that wraps",
        ["lo_style", "title_wraps", "county_unit", "date_dot"],
        {"look": "lo", "long_title": True},
        _report((1600, 2800), "dot"),
        name="{short}总结报告",
    ),
    # ---------------- Word: not submissions ----------------
    Recipe(
        "N1",
        "notice",
        "docx",
        "city",
        "canonical",
        "WPS, a 市州科协 forwarding the notice with its templates",
        ["forwarded_notice", "wps_style"],
        {"look": "wps"},
        name="转发：关于印发2021年全国科技工作者日活动方案的通知",
    ),
    Recipe(
        "N2",
        "blank_plan",
        "docx",
        "none",
        "canonical",
        "Word, the 样表 sent back unfilled",
        ["blank_template", "word_style"],
        {"look": "word"},
        name="附件 特色亮点活动筹备方案（样表）",
    ),
    Recipe(
        "N3",
        "blank_liaison",
        "docx",
        "none",
        "canonical",
        "LibreOffice, the 回执表 sent back unfilled",
        ["blank_template", "lo_style"],
        {"look": "lo"},
        name="附件2 联络员回执表（空白）",
    ),
    # ---------------- PDF exported by LibreOffice ----------------
    Recipe(
        "PL1",
        "activity_plan",
        "pdf_lo",
        "city",
        "canonical",
        "Word → LibreOffice PDF, e-seal over the unit cell",
        ["pdf_lo_export", "seal_raster_multiply", "seal_crosses_table_lines", "seal_under_white"],
        {"look": "word", "basic": "grid", "ticks": "paren_after", "seal_under": "white", "near": "unit"},
        None,
        "raster",
        name="{short}筹备方案（盖章版）",
    ),
    Recipe(
        "PL2",
        "activity_plan",
        "pdf_lo",
        "soc",
        "short",
        "WPS look → LibreOffice PDF, seal over 单位盖章",
        ["pdf_lo_export", "seal_raster_multiply", "seal_under_black", "date_dash"],
        {"look": "wps", "basic": "pairs", "ticks": "box_before", "seal_under": "black", "near": "stamp"},
        lambda d, u, r: setattr(d, "submitted", dates.single(dates.d(5, r.randrange(6, 10)), "dash")),
        "raster",
        name="{short}筹备方案",
    ),
    Recipe(
        "PL3",
        "liaison_reply",
        "pdf_lo",
        "univ",
        "canonical",
        "Word → LibreOffice PDF, seal over 填报单位",
        ["pdf_lo_export", "seal_raster_multiply", "liaison_2_persons"],
        {"look": "word", "near": "unit"},
        t_liaison_n(2),
        "raster",
        name="{short}回执表(盖章)",
    ),
    Recipe(
        "PL4",
        "summary_report",
        "pdf_lo",
        "ent",
        "canonical",
        "Word → LibreOffice PDF, seal over the date",
        ["pdf_lo_export", "seal_raster_multiply", "seal_over_date"],
        {"look": "word", "near": "date"},
        _report((1700, 2800), "cn"),
        "raster",
        name="{short}活动总结报告",
    ),
    Recipe(
        "PL5",
        "activity_plan",
        "pdf_lo",
        "univ",
        "canonical",
        "Word → LibreOffice PDF, red title, never stamped",
        ["pdf_lo_export", "unstamped", "red_title_not_seal"],
        {"look": "word", "basic": "pairs", "ticks": "paren_after", "title_color": (200, 20, 20)},
        None,
        "",
        name="{short}筹备方案",
    ),
    Recipe(
        "PL6",
        "liaison_reply",
        "pdf_lo",
        "county",
        "canonical",
        "Word → LibreOffice PDF, red rule, no seal",
        ["pdf_lo_export", "unstamped_nonplan", "red_underline_not_seal"],
        {"look": "word", "red": "underline"},
        t_liaison_n(1),
        "",
        name="{short}回执表",
    ),
    Recipe(
        "PL7",
        "activity_plan",
        "pdf_lo",
        "ent",
        "canonical",
        "WPS look with the seal inside the Word file → PDF",
        ["pdf_lo_export", "seal_embedded_image"],
        {"look": "wps", "basic": "nested", "ticks": "square"},
        None,
        "docx",
        name="{short}方案(签章)",
    ),
    # ---------------- PDF written directly (WPS-like exporter) ----------------
    Recipe(
        "PD1",
        "activity_plan",
        "pdf_direct",
        "city",
        "canonical",
        "WPS export: glyph by glyph, rectangle rules",
        ["pdf_direct_wps_like", "char_by_char", "rect_table_lines", "seal_raster_multiply", "seal_under_white"],
        {"ticks": "paren_after", "seal_under": "white"},
        None,
        "raster",
        name="{short}特色亮点活动筹备方案",
    ),
    Recipe(
        "PD2",
        "activity_plan",
        "pdf_direct",
        "soc",
        "alias",
        "WPS export with letter-spaced CJK (space glyphs)",
        ["pdf_direct_wps_like", "cjk_spaced", "seal_raster_multiply", "seal_over_date"],
        {"ticks": "box_before", "spaced": True, "seal_at": "date_line"},
        None,
        "raster",
        name="{short}筹备方案",
    ),
    Recipe(
        "PD3",
        "activity_plan",
        "pdf_direct",
        "ent",
        "canonical",
        "PDF from a signing tool: vector seal, real ring text",
        ["pdf_direct_wps_like", "seal_vector_ring_text"],
        {"ticks": "square"},
        None,
        "vector",
        name="{short}筹备方案-签章",
    ),
    Recipe(
        "PD4",
        "activity_plan",
        "pdf_direct",
        "county",
        "canonical",
        "WPS export, red unit logo, no seal",
        ["pdf_direct_wps_like", "unstamped", "red_logo_not_seal"],
        {"ticks": "dot", "red": "logo"},
        None,
        "",
        name="{short}筹备方案",
    ),
    Recipe(
        "PD5",
        "liaison_reply",
        "pdf_direct",
        "soc",
        "canonical",
        "WPS export of the 回执表 with the footer kept",
        ["pdf_direct_wps_like", "seal_raster_multiply", "template_footer_kept", "liaison_1_person"],
        {"footer": True, "blank_rows": 2},
        t_liaison_n(1),
        "raster",
        name="{short}联络员回执表",
    ),
    Recipe(
        "PD6",
        "liaison_reply",
        "pdf_direct",
        "city",
        "short",
        "Signing tool PDF, vector seal, three liaisons",
        ["pdf_direct_wps_like", "seal_vector_ring_text", "liaison_3_persons"],
        {},
        t_liaison_3,
        "vector",
        name="{short}回执表",
    ),
    Recipe(
        "PD7",
        "summary_report",
        "pdf_direct",
        "univ",
        "canonical",
        "WPS export, long title wrapping, seal on date",
        ["pdf_direct_wps_like", "title_wraps", "seal_raster_multiply", "seal_over_date"],
        {"long_title": True},
        _report((1700, 2800), "cn"),
        "raster",
        name="{short}总结报告",
    ),
    Recipe(
        "PD8",
        "summary_report",
        "pdf_direct",
        "soc",
        "canonical",
        "WPS export, red title, late, never stamped",
        ["pdf_direct_wps_like", "unstamped_nonplan", "red_title_not_seal", "late_submission"],
        {"red": "title"},
        _report((1600, 2800), "cn", late=True),
        "",
        name="{short}总结",
    ),
    Recipe(
        "PD9",
        "activity_plan",
        "pdf_direct",
        "county",
        "canonical",
        "WPS export, activities as rows of one table",
        ["pdf_direct_wps_like", "activities_table_rows", "date_dash", "seal_raster_multiply"],
        {"ticks": "paren_before", "activities": "rows"},
        t_pd_rows,
        "raster",
        name="{short}筹备方案",
    ),
    Recipe(
        "N4",
        "notice",
        "pdf_direct",
        "none",
        "canonical",
        "The notice itself saved as PDF and sent back",
        ["forwarded_notice", "pdf_direct_wps_like"],
        {},
        name="关于印发2021年全国科技工作者日活动方案的通知",
    ),
    Recipe(
        "N5",
        "blank_plan",
        "pdf_lo",
        "none",
        "canonical",
        "The blank 样表 exported to PDF",
        ["blank_template", "pdf_lo_export"],
        {"look": "word"},
        name="特色亮点活动筹备方案样表",
    ),
]
