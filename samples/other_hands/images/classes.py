"""The variation classes a built file exercises, derived from what was actually drawn (so the counts are true)."""

from __future__ import annotations

from . import content as c
from .catalogue import Instance
from .hands import Hand

TICKS = {"✓": "tick_typed_✓", "√": "tick_typed_√", "☑": "tick_typed_☑", "■": "tick_typed_■"}
TICKS |= {"pen-blue": "tick_pen_blue", "pen-black": "tick_pen_black"}
BRACKETS = {"ascii": "bracket_ascii", "tight": "bracket_ascii", "full": "bracket_fullwidth", "box": "box"}
LAYOUTS = {"cells": "module_cells", "wrap": "label_wraps_over_mark", "lines": "options_one_per_line"}
LAYOUTS |= {"inline": "options_inline"}
DATES = {"cn": "date_cn", "cn_padded": "date_cn_padded", "dotted": "date_dotted", "slashed": "date_slashed"}
DATES |= {"dashed": "date_dashed", "numerals": "date_cn_numerals", "month_day": "date_month_day"}
PREFIXES = ("tick_", "bracket_", "date_", "phone_", "email_", "liaison_", "seal_on_page_", "rotation_", "ticks_")
NAMES = {
    "box", "module_cells", "label_wraps_over_mark", "options_one_per_line", "options_inline", "no_audience_selected",
    "audiences_all_3", "activity_tables", "activity_numbered", "instructions_kept", "too_long_activity",
    "too_long_report", "late_submission", "invalid_mobile", "missing_phone", "unit_extra_words", "unit_alias",
    "landline", "template_footer_kept", "blank_rows", "title_wrapped_after_活动的总", "report_unit_in_title",
    "unit_under_title", "report_one_page", "seal_round", "seal_oval", "seal_centre_text", "seal_code_digits",
    "seal_faded", "seal_grey", "seal_black", "seal_other_unit", "unstamped", "colour_scan", "greyscale", "fax_g4",
    "fax_packbits", "fax_header", "dithered", "photo_perspective", "uneven_light", "shadow", "desk_background", "blur",
    "jpg", "png_lossless", "tiff_multipage", "tiff_single_page", "pdf_image_only", "multi_page", "dpi_300",
    "jpeg_artefacts", "jpeg_recompressed", "specks_dust", "specks_dust_heavy", "rendered_by_libreoffice",
    "one_page_plan",
}  # fmt: skip


def derivable(name: str) -> bool:
    return name in NAMES or name.startswith(PREFIXES)


def _plan(inst: Instance, hand: Hand, plan: c.PlanContent, out: set[str]) -> None:
    recipe = inst.recipe
    out |= {TICKS[hand.tick], BRACKETS[hand.bracket], f"tick_{hand.tick_side}", LAYOUTS[hand.module_layout]}
    if hand.audience_layout == "lines":
        out.add("options_one_per_line")
    if hand.pen and recipe.family == "fax":
        out.add("tick_pen_on_fax")
    out.add(f"ticks_{len(plan.modules)}")
    if not plan.audiences:
        out.add("no_audience_selected")
    if len(plan.audiences) == 3:
        out.add("audiences_all_3")
    out.add("activity_tables" if hand.activity_layout == "table" else "activity_numbered")
    if hand.instructions:
        out.add("instructions_kept")
    if any(a.char_count > 500 for a in plan.activities):
        out.add("too_long_activity")
    opts = recipe.plan or c.PlanOptions()
    out.add(DATES[opts.submitted_style])
    out |= {"phone_spaces"} if opts.mobile_style == "spaces" else set()
    out |= {"invalid_mobile"} if opts.mobile_style == "short" else set()
    out |= {"phone_extension"} if opts.office_style == "extension" else set()
    out |= {"phone_emdash"} if opts.office_style == "emdash" else set()
    out |= {"email_lookalike"} if opts.email_style == "lookalike" else set()
    out |= {"email_uppercase"} if opts.email_style == "upper" else set()
    if plan.submitted and plan.submitted.isoformat() > plan.unit.plan_deadline:
        out.add("late_submission")


def _liaison(inst: Instance, hand: Hand, liaison: c.LiaisonContent, out: set[str]) -> None:
    spec = inst.recipe.liaison
    out.add(f"liaison_{len(liaison.persons)}")
    if hand.liaison_layout == "narrow":
        out.add("liaison_narrow_columns")
    if hand.liaison_layout == "numbered":
        out.add("liaison_numbered")
    if hand.keep_footer:
        out.add("template_footer_kept")
    if spec.get("blank_rows", 1):
        out.add("blank_rows")
    for style in spec["phones"]:
        if style == "none":
            out.add("missing_phone")
        elif style.startswith("land"):
            out.add("landline")
            out |= {"phone_extension"} if "extension" in style else set()
            out |= {"phone_emdash"} if style.endswith("emdash") else set()
        elif style in ("spaces", "dashes"):
            out.add(f"phone_{style}")


def _report(inst: Instance, report: c.ReportContent, pages: int, out: set[str]) -> None:
    spec = inst.recipe.report
    out.add(DATES[spec["date_style"]])
    out.add("report_unit_in_title" if spec["title_style"] == "unit_in_title" else "title_wrapped_after_活动的总")
    if spec["title_style"] == "unit_under":
        out.add("unit_under_title")
    if pages == 1:
        out.add("report_one_page")
    if report.char_count > report.unit.report_limit:
        out.add("too_long_report")


def derive(inst: Instance, hand: Hand, content, seals: list[dict], pages: int, dpi: int) -> set[str]:
    recipe = inst.recipe
    out: set[str] = set()
    if isinstance(content, c.PlanContent):
        _plan(inst, hand, content, out)
        if pages == 1:
            out.add("one_page_plan")
    elif isinstance(content, c.LiaisonContent):
        _liaison(inst, hand, content, out)
    else:
        _report(inst, content, pages, out)
    style = (recipe.plan.unit_style if recipe.plan else None) or recipe.liaison.get("unit_style")
    style = style or recipe.report.get("unit_style")
    out |= {"unit_extra_words"} if style == "extra" else {"unit_alias"} if style == "alias" else set()
    for seal in seals:
        out.add(f"seal_{seal['shape']}")
        out |= {"seal_centre_text"} if seal["centre_text"] else set()
        out |= {f"seal_on_page_{seal['page']}"} if seal["page"] > 1 else set()
    if seals and recipe.seal_code:
        out.add("seal_code_digits")
    if seals and recipe.fade >= 0.5:
        out.add("seal_faded")
    if not seals:
        out.add("unstamped")
    family = recipe.family
    if seals and family == "grey":
        out.add("seal_grey")
    if seals and family == "fax":
        out.add("seal_black")
    if family == "seals":
        out.add("seal_other_unit")
    out.add({"scans": "colour_scan", "seals": "colour_scan", "grey": "greyscale"}.get(family, family))
    if family == "fax":
        out |= {f"fax_{recipe.compression.replace('group4', 'g4')}", "fax_header", "dithered", "rotation_small"}
        out.add("tiff_multipage" if pages > 1 else "tiff_single_page")
    if family == "photos":
        out |= {"photo_perspective", "uneven_light", "shadow", "desk_background", "blur", "jpg", "jpeg_artefacts"}
    if family in ("scans", "grey", "seals"):
        out.add("rotation_small")
        if recipe.fmt == "jpg":
            out |= {"jpg", "jpeg_artefacts"}
        out |= {"jpeg_recompressed"} if recipe.double_jpeg else set()
        out |= {"png_lossless"} if recipe.fmt == "png" else set()
        out |= {"pdf_image_only"} if recipe.fmt == "pdf" else set()
        if recipe.fmt == "tif":
            out.add("tiff_multipage" if pages > 1 else "tiff_single_page")
        out |= {"rotation_90"} if recipe.turns == 1 else {"rotation_180"} if recipe.turns == 2 else set()
    if pages > 1:
        out.add("multi_page")
    if dpi == 300:
        out.add("dpi_300")
    out |= {"specks_dust", "specks_dust_heavy"} if recipe.dust >= 100 else {"specks_dust"}
    if hand.renderer == "writer":
        out.add("rendered_by_libreoffice")
    return out


def classes_of(inst: Instance, hand: Hand, content, seals: list[dict], pages: int, dpi: int) -> list[str]:
    """Derived classes plus the recipe's own labels; a recipe label the drawing does not bear is a bug."""
    derived = derive(inst, hand, content, seals, pages, dpi)
    wrong = [x for x in inst.recipe.classes if derivable(x) and x not in derived]
    if wrong:
        raise AssertionError(f"{inst.rel_path}: recipe labels {wrong} but the file does not show them")
    return sorted(derived | set(inst.recipe.classes))
