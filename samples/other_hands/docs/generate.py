"""Write the family: every recipe once into dev and once into test, Word files, PDFs and their truth."""

from __future__ import annotations

import json
import random
import shutil
import zlib
from pathlib import Path

from .build import base_liaison, base_plan, pick_spelling, style_tags
from .docx_other import write_blank, write_liaison, write_notice, write_report
from .docx_plan import write_plan
from .model import Doc, truth
from .pdf_export import export
from .pdf_forms import write_liaison_pdf, write_notice_pdf, write_plan_pdf, write_report_pdf
from .recipes import RECIPES, Recipe, _seal
from .seal import seal_png
from .units import OUTSIDERS, Unit, load_units, short_name

ROOT = Path(__file__).resolve().parents[1]  # samples/other_hands
SEED = "other-hands-docs-2021"
SPLITS = ("dev", "test")
MY_FOLDERS = ("word", "pdf")
POOLS = {
    "city": lambda u: u.unit_id.startswith("city-"),
    "univ": lambda u: u.unit_id.startswith("univ-"),
    "ent": lambda u: u.unit_id.startswith("ent-"),
    "soc": lambda u: u.unit_id.startswith("soc-"),
    "county": lambda u: u.unit_id.startswith("county-"),
    "dept4": lambda u: u.unit_id in ("dept-office", "dept-orgpers", "dept-respub", "dept-museum"),
}
DOCX_WRITERS = {"activity_plan": write_plan, "liaison_reply": write_liaison, "summary_report": write_report}
PDF_WRITERS = {"activity_plan": write_plan_pdf, "liaison_reply": write_liaison_pdf, "summary_report": write_report_pdf}


def choose_unit(
    recipe: Recipe, units: list[Unit], used: dict[str, set[str]], rng: random.Random, avoid: str = ""
) -> Unit | None:
    """A unit that has not sent this form in this set yet, preferring units that have sent nothing yet, and not
    the unit the same recipe used in the other set (`avoid`)."""
    if recipe.pool == "none":
        return None
    form = "activity_plan" if recipe.form == "blank_plan" else recipe.form
    if recipe.pool == "outsider":
        cands = list(OUTSIDERS)
    else:
        cands = [u for u in units if POOLS[recipe.pool](u)]
        if recipe.spelling == "office":
            cands = [u for u in cands if "科学技术协会" in u.name]
        if recipe.spelling == "traditional":
            import zhconv

            cands = [u for u in cands if zhconv.convert(u.name, "zh-hant") != u.name]
    cands = [u for u in cands if form not in used.get(u.unit_id or u.name, set()) and (u.unit_id or u.name) != avoid]
    fewest = min(len(used.get(u.unit_id or u.name, ())) for u in cands)
    cands = sorted(
        (u for u in cands if len(used.get(u.unit_id or u.name, ())) == fewest), key=lambda u: u.unit_id or u.name
    )
    unit = rng.choice(cands)
    used.setdefault(unit.unit_id or unit.name, set()).add(form)
    return unit


def make_doc(recipe: Recipe, split: str, unit: Unit | None, rng: random.Random) -> Doc:
    doc = Doc(
        f"{recipe.rid}-{split}",
        recipe.form,
        recipe.fmt,
        recipe.hand,
        list(recipe.classes),
        unit=unit,
        opts=dict(recipe.opts),
    )
    if unit is not None:
        doc.unit_raw = pick_spelling(unit, recipe.spelling, rng)
    if recipe.form == "activity_plan":
        base_plan(doc, unit, rng)
    elif recipe.form == "liaison_reply":
        base_liaison(doc, unit, rng)
    if recipe.tweak:
        recipe.tweak(doc, unit, rng)
    if recipe.form == "summary_report" and not doc.opts.get("unit_line"):
        doc.opts.setdefault("date_label", "")
    doc.classes += style_tags(doc)
    if unit is not None and recipe.form in ("activity_plan", "liaison_reply", "summary_report"):
        doc.classes.append(f"unit_{recipe.spelling}" if unit.in_registry else "unit_unmatched")
    if recipe.seal:
        under = doc.opts.get("seal_under") or rng.choice(["red", "white", "black"])
        doc.seal = _seal(unit, rng, under, vector=recipe.seal == "vector")
    return doc


def file_name(recipe: Recipe, unit: Unit | None) -> str:
    short = short_name(unit) if unit else ""
    ext = "docx" if recipe.fmt == "docx" else "pdf"
    return recipe.name.format(short=short) + "." + ext


def write_doc(doc: Doc, recipe: Recipe, path: Path) -> None:
    png = seal_png(doc.seal, seed=zlib.crc32(doc.key.encode())) if doc.seal and not doc.seal.vector else None
    if recipe.fmt == "docx":
        if doc.form == "notice":
            write_notice(doc, path)
        elif doc.form.startswith("blank"):
            write_blank(doc, path)
        else:
            DOCX_WRITERS[doc.form](doc, path, png)
        return
    if recipe.fmt == "pdf_direct":
        if doc.form == "notice":
            write_notice_pdf(doc, path)
        else:
            PDF_WRITERS[doc.form](doc, path, png)
        return
    near = {
        "unit": [doc.unit_raw, "主办单位名称", "填报单位"],
        "stamp": ["单位盖章"],
        "date": [doc.submitted.raw if doc.submitted else ""],
    }.get(doc.opts.get("near", "unit"))
    if doc.form.startswith("blank"):
        export(doc, lambda d, p, s: write_blank(d, p), path, None, [])
        return
    export(
        doc, DOCX_WRITERS[doc.form], path, png, near, doc.opts.get("red", ""), embed_seal_in_docx=recipe.seal == "docx"
    )


def forward_note(unit: Unit) -> list[str]:
    short = short_name(unit)
    return [
        f"{short}关于转发《关于印发〈2021年“全国科技工作者日”青海省活动方案〉的通知》的通知",
        "各县（区）科协，各学会、协会：",
        "现将青海省科协《关于印发〈2021年“全国科技工作者日”青海省活动方案〉的通知》转发给你们，请结合实际认真贯彻落实，"
        "并于5月6日前将联络员回执表和活动方案报送我会办公室，由我会汇总后统一上报。",
        short,
        "2021年4月29日",
    ]


def clean_outputs() -> None:
    for split in SPLITS:
        for folder in MY_FOLDERS:
            shutil.rmtree(ROOT / split / "inbox" / folder, ignore_errors=True)
        tdir = ROOT / split / "truth"
        if tdir.exists():
            for f in tdir.glob("*.json"):
                if f.name.split("__", 1)[0] in MY_FOLDERS:
                    f.unlink()


def write_truth(split: str, doc: Doc) -> None:
    tdir = ROOT / split / "truth"
    tdir.mkdir(parents=True, exist_ok=True)
    data = truth(doc)
    (tdir / (doc.path.replace("/", "__") + ".json")).write_text(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )


def main() -> None:
    units = load_units()
    clean_outputs()
    first_choice: dict[str, str] = {}  # recipe → unit it used in dev
    for split in SPLITS:
        used: dict[str, set[str]] = {}
        written: list[Doc] = []
        for recipe in RECIPES:
            rng = random.Random(f"{SEED}/{split}/{recipe.rid}")
            unit = choose_unit(recipe, units, used, rng, avoid=first_choice.get(recipe.rid, ""))
            if unit is not None:
                first_choice.setdefault(recipe.rid, unit.unit_id or unit.name)
            if recipe.form == "notice" and unit is None:
                unit = None
            doc = make_doc(recipe, split, unit, rng)
            if recipe.form == "notice" and recipe.fmt == "docx":
                doc.opts["forward_note"] = forward_note(unit)
            folder = "word" if recipe.fmt == "docx" else "pdf"
            name = file_name(recipe, unit)
            doc.path = f"{folder}/{name}"
            path = ROOT / split / "inbox" / folder / name
            write_doc(doc, recipe, path)
            write_truth(split, doc)
            written.append(doc)
            print(f"{split} {recipe.rid:4} {doc.path}")
            if recipe.rid in ("PD1", "L1"):
                stem, ext = name.rsplit(".", 1)
                copy_name = f"{stem}(1).{ext}" if ext == "pdf" else f"{stem} - 副本.{ext}"
                copy = Doc(
                    doc.key + "-copy",
                    doc.form,
                    doc.fmt,
                    "A second download / Explorer copy of the same file",
                    ["byte_identical_copy"],
                    path=f"{folder}/{copy_name}",
                    copy_of=doc.path,
                )
                shutil.copyfile(path, path.with_name(copy_name))
                write_truth(split, copy)
                doc.classes.append("copied_original")
                write_truth(split, doc)
                print(f"{split} copy {copy.path}")


if __name__ == "__main__":
    main()
