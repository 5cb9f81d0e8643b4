"""Makes one file of the family (and its truth) from its recipe: write, print, tick, stamp, scan/fax/photograph."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

from PIL import Image

from . import content as c
from . import degrade, html_forms, pen, people
from .catalogue import Instance, pool
from .classes import classes_of
from .hands import HANDS, Hand
from .registry import Unit, unit
from .render import Rendered, render
from .save import PRODUCERS, save_fax, save_pages
from .seal import SealSpec, stamp
from .truth import as_written, truth_document

# samples/other_hands/scanned: its own inbox, apart from the Word/PDF family (their units overlap)
OUT_ROOT = Path(__file__).resolve().parents[1] / "scanned"


def make_content(inst: Instance, hand: Hand, rng: random.Random):
    recipe = inst.recipe
    if recipe.form == "plan":
        opts = recipe.plan or c.PlanOptions()
        opts = c.PlanOptions(**{**opts.__dict__, "table_activities": hand.activity_layout == "table"})
        return c.make_plan(rng, inst.unit, opts)
    if recipe.form == "liaison":
        spec = recipe.liaison
        return c.make_liaison(rng, inst.unit, spec["count"], spec["unit_style"], spec["phones"])
    spec = recipe.report
    late, unit_style = spec.get("late", False), spec.get("unit_style", "canonical")
    return c.make_report(rng, inst.unit, spec["length"], spec["date_style"], late, unit_style, spec["title_style"])


def html_for(inst: Instance, hand: Hand, content) -> tuple[str, list[str]]:
    form = inst.recipe.form
    if form == "plan":
        return html_forms.plan_html(content, hand)
    if form == "liaison":
        return html_forms.liaison_html(content, hand, inst.recipe.liaison.get("blank_rows", 1)), []
    return html_forms.report_html(content, hand), []


def seal_unit(inst: Instance, rng: random.Random) -> Unit | None:
    rule = inst.recipe.stamp
    if rule == "none":
        return None
    if rule == "own":
        return inst.unit
    if rule == "parent":
        return unit(inst.unit.parent_id)
    if rule == "dept-sibling":
        return rng.choice([u for u in pool("dept") if u.unit_id != inst.unit.unit_id])
    return unit(rule)


def seal_centre(inst: Instance, hand: Hand, rendered: Rendered, rng: random.Random) -> tuple[int, tuple[int, int]]:
    """Where the person pressed the seal: over 单位盖章 and the date, over the unit's name, over the signature."""
    anchor = rendered.anchors["seal"]
    mm = rendered.dpi / 25.4
    x, y = rendered.px(anchor.x), rendered.px(anchor.y)
    form = inst.recipe.form
    line = [g for g in rendered.glyphs if g.page == anchor.page and g.top - 3 <= anchor.y <= g.bottom + 3]
    right = max((rendered.px(g.x1) for g in line if rendered.px(g.x0) >= x - 2), default=x + int(40 * mm))
    if form == "plan" and not hand.sign_at_end:
        return anchor.page, (x + int(rng.uniform(10, 28) * mm), y + int(rng.uniform(2, 9) * mm))
    if form == "plan":
        return anchor.page, (x + int(rng.uniform(4, 16) * mm), y + int(rng.uniform(3, 8) * mm))
    if form == "liaison":
        return anchor.page, ((x + right) // 2 + int(rng.uniform(-6, 12) * mm), y + int(rng.uniform(1, 8) * mm))
    return anchor.page, ((x + right) // 2 + int(rng.uniform(-4, 6) * mm), y + int(rng.uniform(3, 7) * mm))


def seal_spec(inst: Instance, owner: Unit, rng: random.Random) -> SealSpec:
    recipe = inst.recipe
    code = "".join(rng.choice("0123456789") for _ in range(13)) if recipe.seal_code else ""
    return SealSpec(owner.unit_id, owner.name, recipe.seal_centre, recipe.seal_shape, code)


def submitted_day(content) -> dt.date:
    if isinstance(content, c.PlanContent) and content.submitted:
        return content.submitted
    if isinstance(content, c.ReportContent):
        return content.date
    return dt.date(2021, 5, 8)


def build(inst: Instance, out_root: Path = OUT_ROOT) -> dict:
    recipe = inst.recipe
    rng = random.Random(inst.seed)
    hand = HANDS[recipe.hand].with_(**recipe.hand_changes)
    content = make_content(inst, hand, rng)
    html, tick_names = html_for(inst, hand, content)
    dpi = {"photos": 150, "fax": 200}.get(recipe.family, recipe.dpi)
    rendered = render(html, hand.renderer, dpi)
    pages = [degrade.paper(p, rng) if recipe.family != "fax" else p for p in rendered.pages]
    if recipe.fmt in ("jpg", "png") and len(pages) != 1:
        raise RuntimeError(f"{inst.rel_path}: {len(pages)} pages do not fit a {recipe.fmt}")
    for name in tick_names:
        page_no, centre, height = pen.bracket_centre(rendered, name)
        pen.check_stroke(pages[page_no], centre, height * rng.uniform(1.1, 1.45), rng, hand.tick)
    seals: list[dict] = []
    owner = seal_unit(inst, rng)
    if owner is not None:
        spec = seal_spec(inst, owner, rng)
        page_no, centre = seal_centre(inst, hand, rendered, rng)
        pages[page_no] = stamp(pages[page_no], spec, dpi, centre, rng, fade=recipe.fade * rng.uniform(0.8, 1.2))
        seals.append(spec.truth(page_no + 1))
    for i, page in enumerate(pages):
        glyphs = [g for g in rendered.glyphs if g.page == i]
        pen.dust(page, glyphs, rendered, rng, recipe.dust if recipe.family != "photos" else recipe.dust // 3)
    path = out_root / inst.split / "inbox" / inst.rel_path
    day = submitted_day(content)
    extra: dict = {}
    if recipe.family == "fax":
        sender = people.landline(rng, inst.unit).normalised
        short = people.short_name(inst.unit)
        stamp_part, clock = inst.file_name.removesuffix(".tif").split("_")[1:3]  # FAX_YYYYMMDD_HHMMSS.tif
        when = f"{stamp_part[:4]}-{stamp_part[4:6]}-{stamp_part[6:]} {clock[:2]}:{clock[2:4]}"
        faxed = [
            degrade.fax(
                p, rng, f"{when}   FROM: {sender}   {short}   P.{i + 1:03d}/{len(pages):03d}", rng.uniform(-1.2, 1.2)
            )
            for i, p in enumerate(pages)
        ]
        save_fax(faxed, path, recipe.compression)
    elif recipe.family == "photos":
        tilt = round(rng.uniform(*recipe.tilt), 1)
        long_side = 1920 if recipe.form == "plan" else rng.choice([1600, 1920])
        photo = degrade.photograph(pages[0], rng, tilt, long_side)
        save_pages([photo], path, "jpg", 0, rng.randint(74, 84))
        extra["perspective_deg"] = tilt
    else:
        scanned = []
        for page in pages:
            angle = rng.choice([-1, 1]) * rng.uniform(0.3, 2.0)
            page = degrade.scanner(page, rng, angle)
            page = degrade.quarter_turn(page, recipe.turns)
            if recipe.double_jpeg:
                page = degrade.jpeg_again(page, rng.randint(60, 70))
            if recipe.family == "grey":
                page = degrade.grey(page, rng)
            scanned.append(page)
        producer = rng.choice(PRODUCERS)
        save_pages(scanned, path, recipe.fmt, dpi, recipe.quality, producer, day.strftime("%Y%m%d"))
    source_kind = "pdf_scan" if recipe.fmt == "pdf" else "image"
    doc = truth_document(inst.rel_path, recipe.form, source_kind, content, seals)
    doc["hand"] = hand.note
    doc["classes"] = classes_of(inst, hand, content, seals, len(pages), dpi)
    doc["seal"] = seals
    doc.update(extra)
    doc["pages"] = len(pages)
    doc["as_written"] = as_written(recipe.form, content)
    truth_path = out_root / inst.split / "truth" / (inst.rel_path.replace("/", "__") + ".json")
    truth_path.parent.mkdir(parents=True, exist_ok=True)
    truth_path.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return doc


def preview(path: Path, width: int = 900) -> Image.Image:
    """First page of a built file, downscaled, for looking at it."""
    with Image.open(path) as image:
        first = image.convert("RGB")
        return first.resize((width, int(first.height * width / first.width)))
