"""Which files exist: 35 recipes, each made twice (once for dev, once for the held-out test set) by different units,
so every variation class lands in both sets."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from .content import PlanOptions
from .registry import Unit, all_units, unit

SEED = 20210530  # fixed: the whole family regenerates byte-for-byte

DEPT_PLAN_UNITS = ("dept-office", "dept-orgpers", "dept-respub", "dept-museum")


@dataclass(frozen=True)
class Recipe:
    key: str
    family: str  # scans | grey | fax | photos | seals  (the inbox subfolder)
    form: str  # plan | liaison | report
    fmt: str  # jpg | png | tif | pdf
    hand: str
    units: str  # pool: city, county, univ, ent, soc, dept, dept4
    classes: tuple[str, ...]
    hand_changes: dict = field(default_factory=dict)
    dpi: int = 200
    plan: PlanOptions | None = None
    liaison: dict = field(default_factory=dict)  # count, unit_style, phones, blank_rows
    report: dict = field(default_factory=dict)  # length, date_style, late, unit_style, title_style
    stamp: str = "own"  # own | none | parent | dept-society | dept-innov | dept-hq | dept-sibling
    seal_shape: str = "round"
    seal_centre: str = ""
    seal_code: bool = False
    fade: float = 0.25
    turns: int = 0  # quarter turns: 1 = 90°, 2 = 180°
    quality: int = 77
    double_jpeg: bool = False
    dust: int = 30
    tilt: tuple[float, float] = (0.0, 0.0)  # photos: perspective range in degrees
    compression: str = "group4"  # fax TIFFs: group4 | packbits


def P(**kw) -> PlanOptions:  # noqa: N802 - reads like a literal in the table below
    return PlanOptions(**kw)


# fmt: off
RECIPES: tuple[Recipe, ...] = (
    # ---- colour scans -------------------------------------------------------------------------------------------
    Recipe("S01", "scans", "plan", "tif", "seed_copy", "city",
           ("tick_typed_√", "bracket_ascii", "tick_after", "module_cells", "seal_round", "seal_code_digits",
            "date_dotted", "tiff_multipage", "rotation_small"),
           plan=P(n_modules=2, n_audiences=1, submitted_style="dotted", with_fax=True), seal_code=True),
    Recipe("S02", "scans", "plan", "pdf", "narrow_cells", "univ",
           ("tick_typed_✓", "bracket_fullwidth", "label_wraps_over_mark", "ticks_3", "too_long_activity",
            "date_cn_numerals", "seal_oval", "seal_centre_text", "pdf_image_only", "dpi_300"),
           dpi=300, plan=P(n_modules=3, n_audiences=2, submitted_style="numerals", long_activity=1),
           seal_shape="oval", seal_centre="专用章", quality=75),
    Recipe("S03", "scans", "plan", "pdf", "ballot_boxes", "soc",
           ("tick_typed_☑", "box", "tick_before", "ticks_1", "no_audience_selected", "seal_on_page_2",
            "date_slashed", "instructions_kept", "pdf_image_only"),
           hand_changes={"sign_at_end": True}, plan=P(n_modules=1, n_audiences=0, submitted_style="slashed")),
    Recipe("S04", "scans", "plan", "tif", "pen_brackets", "ent",
           ("tick_pen_blue", "bracket_fullwidth", "activity_tables", "unstamped", "phone_spaces", "phone_extension",
            "date_month_day", "tiff_multipage"),
           plan=P(n_modules=2, n_audiences=2, submitted_style="month_day", mobile_style="spaces",
                  office_style="extension"), stamp="none"),
    Recipe("S05", "scans", "plan", "jpg", "compact_square", "county",
           ("tick_typed_■", "box", "tick_before", "one_page_plan", "rotation_180", "email_lookalike",
            "seal_round", "seal_centre_text"),
           plan=P(n_modules=2, n_audiences=1, compact=True, email_style="lookalike", submitted_style="cn"),
           seal_centre="办公室", turns=2),
    Recipe("S06", "scans", "plan", "png", "compact_pen", "dept4",
           ("tick_pen_black", "box", "tick_after", "one_page_plan", "late_submission", "seal_faded", "png_lossless"),
           hand_changes={"tick": "pen-black", "bracket": "box", "tick_side": "after"},
           plan=P(n_modules=1, n_audiences=1, compact=True, late=True), fade=0.65),
    Recipe("S07", "scans", "liaison", "jpg", "seed_copy", "city",
           ("liaison_3", "liaison_narrow_columns", "unit_extra_words", "phone_extension", "phone_spaces",
            "seal_round", "seal_over_unit_name"),
           hand_changes={"liaison_layout": "narrow"},
           liaison={"count": 3, "unit_style": "extra", "phones": ["plain", "land:extension_space", "spaces"]},
           seal_code=True),
    Recipe("S08", "scans", "liaison", "png", "narrow_cells", "univ",
           ("liaison_2", "template_footer_kept", "rotation_90", "landline", "png_lossless"),
           hand_changes={"keep_footer": True},
           liaison={"count": 2, "unit_style": "canonical", "phones": ["plain", "land:paren"]}, turns=1),
    Recipe("S09", "scans", "liaison", "pdf", "one_per_line", "ent",
           ("liaison_2", "liaison_numbered", "missing_phone", "unstamped", "blank_rows", "pdf_image_only"),
           hand_changes={"liaison_layout": "numbered"},
           liaison={"count": 2, "unit_style": "canonical", "phones": ["dashes", "none"], "blank_rows": 2},
           stamp="none"),
    Recipe("S10", "scans", "liaison", "tif", "ballot_boxes", "county",
           ("liaison_3", "unit_alias", "seal_oval", "phone_spaces"),
           liaison={"count": 3, "unit_style": "alias", "phones": ["spaces", "plain", "land:space"]},
           seal_shape="oval", seal_centre="", seal_code=True),
    Recipe("S11", "scans", "report", "pdf", "seed_copy", "city",
           ("title_wrapped_after_活动的总", "multi_page", "date_cn_numerals", "seal_round", "seal_code_digits",
            "pdf_image_only"),
           report={"length": "medium", "date_style": "numerals", "title_style": "plain"}, seal_code=True),
    Recipe("S12", "scans", "report", "jpg", "narrow_cells", "soc",
           ("report_one_page", "unstamped", "unit_under_title", "jpeg_artefacts"),
           report={"length": "short", "date_style": "cn", "title_style": "unit_under"}, stamp="none",
           double_jpeg=True, quality=75),
    Recipe("S13", "scans", "report", "tif", "one_per_line", "univ",
           ("too_long_report", "tiff_multipage", "date_dotted", "seal_round", "report_unit_in_title"),
           report={"length": "over", "date_style": "dotted", "title_style": "unit_in_title"}),
    Recipe("S14", "scans", "plan", "jpg", "compact", "county",
           ("tick_typed_✓", "bracket_ascii", "one_page_plan", "invalid_mobile", "late_submission", "unstamped",
            "specks_dust", "jpeg_artefacts"),
           plan=P(n_modules=3, n_audiences=2, compact=True, late=True, mobile_style="short",
                  submitted_style="dashed"), stamp="none", dust=120, double_jpeg=True, quality=75),
    # ---- greyscale scans ----------------------------------------------------------------------------------------
    Recipe("G1", "grey", "plan", "tif", "one_per_line", "city",
           ("greyscale", "seal_grey", "tick_typed_✓", "options_one_per_line", "tiff_multipage", "date_cn_padded"),
           plan=P(n_modules=2, n_audiences=2, submitted_style="cn_padded", office_style="emdash")),
    Recipe("G2", "grey", "plan", "pdf", "pen_boxes", "soc",
           ("greyscale", "seal_grey", "tick_pen_black", "box", "tick_before", "options_one_per_line",
            "email_uppercase", "pdf_image_only"),
           plan=P(n_modules=2, n_audiences=1, email_style="upper")),
    Recipe("G3", "grey", "liaison", "jpg", "seed_copy", "univ",
           ("greyscale", "seal_grey", "liaison_2", "phone_dashes", "landline"),
           liaison={"count": 2, "unit_style": "alias", "phones": ["dashes", "land:emdash"]}),
    Recipe("G4", "grey", "report", "png", "one_per_line", "county",
           ("greyscale", "seal_grey", "report_one_page", "report_unit_in_title", "date_slashed", "png_lossless"),
           report={"length": "short", "date_style": "slashed", "title_style": "unit_in_title"}),
    Recipe("G5", "grey", "liaison", "pdf", "narrow_cells", "city",
           ("greyscale", "seal_grey", "liaison_3", "liaison_narrow_columns", "pdf_image_only"),
           hand_changes={"liaison_layout": "narrow"},
           liaison={"count": 3, "unit_style": "canonical", "phones": ["plain", "plain", "land:dash"]}),
    # ---- faxes --------------------------------------------------------------------------------------------------
    Recipe("F1", "fax", "plan", "tif", "seed_copy", "city",
           ("fax_g4", "fax_header", "seal_black", "dithered", "tiff_multipage", "unit_extra_words"),
           plan=P(n_modules=2, n_audiences=1, submitted_style="cn", with_fax=True, unit_style="extra")),
    Recipe("F2", "fax", "plan", "tif", "pen_brackets", "univ",
           ("fax_g4", "fax_header", "seal_black", "tick_pen_on_fax", "activity_tables", "ticks_3",
            "too_long_activity"),
           plan=P(n_modules=3, n_audiences=1, submitted_style="dotted", long_activity=2)),
    Recipe("F3", "fax", "liaison", "tif", "seed_copy", "ent",
           ("fax_packbits", "fax_header", "seal_black", "liaison_2", "template_footer_kept"),
           hand_changes={"keep_footer": True},
           liaison={"count": 2, "unit_style": "canonical", "phones": ["plain", "land:dash"]}, compression="packbits"),
    Recipe("F4", "fax", "liaison", "tif", "one_per_line", "univ",
           ("fax_g4", "fax_header", "seal_black", "liaison_3", "liaison_numbered"),
           hand_changes={"liaison_layout": "numbered"},
           liaison={"count": 3, "unit_style": "alias", "phones": ["plain", "spaces", "plain"]}),
    Recipe("F5", "fax", "report", "tif", "narrow_cells", "ent",
           ("fax_g4", "fax_header", "seal_black", "multi_page", "date_month_day"),
           report={"length": "medium", "date_style": "month_day", "title_style": "plain"}),
    # ---- phone photos -------------------------------------------------------------------------------------------
    Recipe("P1", "photos", "liaison", "jpg", "seed_copy", "city",
           ("photo_perspective", "uneven_light", "shadow", "desk_background", "blur", "liaison_2"),
           liaison={"count": 2, "unit_style": "alias", "phones": ["plain", "plain"]}, tilt=(10, 14)),
    Recipe("P2", "photos", "liaison", "jpg", "narrow_cells", "county",
           ("photo_perspective", "uneven_light", "shadow", "desk_background", "blur", "liaison_3"),
           hand_changes={"liaison_layout": "narrow"},
           liaison={"count": 3, "unit_style": "canonical", "phones": ["spaces", "plain", "land:dash"]},
           tilt=(6, 9)),
    Recipe("P3", "photos", "report", "jpg", "seed_copy", "dept",
           ("photo_perspective", "uneven_light", "shadow", "desk_background", "blur", "report_one_page",
            "unit_under_title"),
           report={"length": "short", "date_style": "cn", "title_style": "unit_under"}, tilt=(5, 7)),
    Recipe("P4", "photos", "plan", "jpg", "compact_pen", "county",
           ("photo_perspective", "uneven_light", "shadow", "desk_background", "blur", "tick_pen_blue",
            "one_page_plan"),
           plan=P(n_modules=2, n_audiences=1, compact=True), tilt=(9, 12)),
    Recipe("P5", "photos", "plan", "jpg", "compact", "ent",
           ("photo_perspective", "uneven_light", "shadow", "desk_background", "blur", "tick_typed_✓",
            "one_page_plan", "audiences_all_3"),
           plan=P(n_modules=2, n_audiences=3, compact=True), tilt=(12, 15)),
    Recipe("P6", "photos", "report", "jpg", "one_per_line", "soc",
           ("photo_perspective", "uneven_light", "shadow", "desk_background", "blur", "report_one_page",
            "date_dotted"),
           report={"length": "short", "date_style": "dotted", "title_style": "plain"}, tilt=(7, 10)),
    # ---- another unit's seal ------------------------------------------------------------------------------------
    Recipe("X1", "seals", "plan", "tif", "word_writer", "county",
           ("seal_other_unit", "forwarded_by_parent", "tiff_multipage", "rendered_by_libreoffice", "activity_tables",
            "seal_on_page_3", "no_audience_selected"),
           plan=P(n_modules=1, n_audiences=0), stamp="parent", seal_code=True),
    Recipe("X2", "seals", "plan", "pdf", "one_per_line", "soc",
           ("seal_other_unit", "forwarded_by_department", "pdf_image_only"),
           plan=P(n_modules=2, n_audiences=2), stamp="dept-society"),
    Recipe("X3", "seals", "liaison", "jpg", "narrow_cells", "dept",
           ("seal_other_unit", "wrong_department_seal", "liaison_2"),
           liaison={"count": 2, "unit_style": "canonical", "phones": ["plain", "land:dash"]}, stamp="dept-sibling"),
    Recipe("X4", "seals", "report", "pdf", "seed_copy", "ent",
           ("seal_other_unit", "forwarded_by_department", "pdf_image_only"),
           report={"length": "short", "date_style": "cn", "title_style": "unit_under"}, stamp="dept-innov"),
    Recipe("X5", "seals", "plan", "jpg", "compact", "univ",
           ("seal_other_unit", "seal_of_provincial_association", "one_page_plan"),
           plan=P(n_modules=2, n_audiences=1, compact=True), stamp="dept-hq", seal_shape="round"),
)
# fmt: on


@dataclass(frozen=True)
class Instance:
    recipe: Recipe
    split: str  # dev | test
    unit: Unit
    file_name: str

    @property
    def rel_path(self) -> str:
        return f"{self.recipe.family}/{self.file_name}"

    @property
    def seed(self) -> str:
        return f"{SEED}-{self.recipe.key}-{self.split}"


def pool(name: str) -> list[Unit]:
    units = sorted(all_units().values(), key=lambda u: u.unit_id)
    if name == "dept4":
        return [unit(u) for u in DEPT_PLAN_UNITS]
    prefix = {"city": "city-", "county": "county-", "univ": "univ-", "ent": "ent-", "soc": "soc-", "dept": "dept-"}
    chosen = [u for u in units if u.unit_id.startswith(prefix[name])]
    if name == "dept":
        chosen = [u for u in chosen if u.unit_id not in ("dept-hq", "dept-organparty")]
    return chosen


def file_name(rng: random.Random, recipe: Recipe, taken: set[str]) -> str:
    """Names the way scanners, fax servers and phones name files (nothing about the form or unit in most)."""
    ext = {"jpg": "jpg", "png": "png", "tif": "tif", "pdf": "pdf"}[recipe.fmt]
    while True:
        day = rng.randint(8, 24) if recipe.form == "report" else rng.randint(5, 12)
        if recipe.family == "fax":  # a fax server names the file on arrival: after the document's own date
            day = rng.randint(18, 21) if recipe.form == "report" else rng.randint(10, 12)
        hh, mm, ss = rng.randint(8, 18), rng.randint(0, 59), rng.randint(0, 59)
        month = 6 if recipe.form == "report" else 5
        stamp = f"2021{month:02d}{day:02d}"
        scan_names = [
            f"SCAN_{rng.randint(1, 999):04d}.{ext}",
            f"doc{rng.randint(10**7, 10**8)}{stamp}.{ext}",
            f"扫描件{rng.randint(1, 30)}.{ext}",
            f"{stamp}{hh:02d}{mm:02d}{ss:02d}.{ext}",
        ]
        grey_names = [f"IMG{rng.randint(1, 9999):04d}_grey.{ext}", f"Scan{stamp}_{hh:02d}{mm:02d}.{ext}"]
        photo_names = [
            f"mmexport{1620000000000 + rng.randrange(10**10)}.jpg",
            f"IMG_{stamp}_{hh:02d}{mm:02d}{ss:02d}.jpg",
        ]
        seal_names = [
            f"盖章版{rng.randint(1, 20)}.{ext}",
            f"SCAN_{rng.randint(1, 999):04d}.{ext}",
            f"转报{stamp}.{ext}",
        ]
        name = {
            "scans": rng.choice(scan_names),
            "grey": grey_names[0] if rng.random() < 0.5 else grey_names[1],
            "fax": f"FAX_{stamp}_{hh:02d}{mm:02d}{ss:02d}.tif",
            "photos": photo_names[0] if rng.random() < 0.5 else photo_names[1],
            "seals": rng.choice(seal_names),
        }[recipe.family]
        if name not in taken:
            taken.add(name)
            return name


def instances() -> list[Instance]:
    """Every file of the family, dev and test, with its unit. No unit sends the same form twice (in either set)."""
    rng = random.Random(SEED)
    used: dict[str, set[str]] = {"plan": set(), "liaison": set(), "report": set()}
    names: dict[str, set[str]] = {"dev": set(), "test": set()}
    out = []
    for recipe in RECIPES:
        for split in ("dev", "test"):
            candidates = [u for u in pool(recipe.units) if u.unit_id not in used[recipe.form]]
            chosen = rng.choice(candidates)
            used[recipe.form].add(chosen.unit_id)
            name_rng = random.Random(f"{SEED}-{recipe.key}-{split}-name")
            out.append(Instance(recipe, split, chosen, file_name(name_rng, recipe, names[split])))
    return out
