"""The seal's own words (issue 14): the ring unrolled and read, matched to the registry, and seal_mismatch.

Seals come from bench/seal_set.py, which stamps them with the "other hands" family's own stamp
(samples/other_hands/images/seal.py, written without reading the reader) over lines of black text.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from docx import Document as Docx
from docx.shared import Cm
from PIL import Image

from bench.seal_set import registry_units, seal_cases
from extractors import ocr
from extractors.seal import find_seals, red_mask
from extractors.seal_text import read_picture_seal, read_seal_words, seal_ink
from samples.other_hands.images.seal import SealSpec, seal_mask, wear
from schemas.units import UnitRegistry

pytestmark = pytest.mark.skipif(not ocr.is_available(), reason="OCR models not installed")


def _read_id(page: np.ndarray, registry: UnitRegistry) -> str:
    red = red_mask(page)
    hits = find_seals(page, red)
    assert hits, "no seal found"
    words = read_seal_words(seal_ink(page, red), hits[0].ellipse, ocr.get_engine().recognise, red=True)
    if words is None:
        return ""
    match = registry.match(words.ring)
    return match.unit.unit_id if match.status == "matched" and match.unit else ""


def _spread(units: list[dict[str, str]], n: int) -> list[dict[str, str]]:
    """n units, every category represented (the cases cycle shapes, centre lines and code digits by position)."""
    by_category: dict[str, list[dict[str, str]]] = {}
    for unit in units:
        by_category.setdefault(unit["category"], []).append(unit)
    picked: list[dict[str, str]] = []
    while len(picked) < n and any(by_category.values()):
        for group in by_category.values():
            if group and len(picked) < n:
                picked.append(group.pop(0))
    return picked


def test_seal_units_are_read_right_and_a_right_seal_is_never_taken_for_another_unit() -> None:
    registry = UnitRegistry.load()
    cases = seal_cases(_spread(registry_units(), 15))
    assert {c.spec.shape for c in cases} == {"round", "oval"} and any(c.spec.centre_text for c in cases)
    read = [(case, _read_id(case.page, registry)) for case in cases]
    right = [case.unit_id for case, got in read if got == case.unit_id]
    print(f"\nseal units read right: {len(right)}/{len(cases)}")
    assert len(right) >= 14, [(c.unit_id, got) for c, got in read if got != c.unit_id]
    # a wrong reading must be "no confident match", never another unit: that would be a false seal_mismatch
    assert all(got in ("", case.unit_id) for case, got in read)


def test_a_turned_seal_is_read_from_its_own_gap() -> None:
    """The ring starts at the gap under the star wherever the seal was turned (here 120°, gap at the upper left)."""
    spec = SealSpec(unit_id="city-xining", ring_text="西宁市科学技术协会")
    mask = wear(seal_mask(spec, 200), random.Random(3), fade=0.1)
    turned = Image.fromarray((mask * 255).astype(np.uint8)).rotate(120, resample=Image.BICUBIC, expand=True)
    alpha = np.asarray(turned, dtype=np.float32)[:, :, None] / 255.0
    page = (255 * (1 - alpha * (1 - np.array([0.14, 0.12, 0.80])))).astype(np.uint8)  # BGR red ink on white
    assert _read_id(np.ascontiguousarray(page), UnitRegistry.load()) == "city-xining"


def _seal_png(unit_name: str, unit_id: str, transparent_black: bool) -> bytes:
    """An electronic seal as units paste it: red ink on a transparent background (black where transparent)."""
    mask = seal_mask(SealSpec(unit_id=unit_id, ring_text=unit_name), 200)
    alpha = (np.clip(mask * 1.1, 0, 1) * 255).astype(np.uint8)
    rgba = np.zeros((*alpha.shape, 4), dtype=np.uint8)
    rgba[:, :, 0], rgba[:, :, 3] = 210, alpha  # red where inked; the colour under alpha 0 is black
    if not transparent_black:
        rgba[alpha == 0, :3] = 255
    buf = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buf, "PNG")
    return buf.getvalue()


def test_an_electronic_seal_picture_is_read_from_its_own_pixels() -> None:
    png = _seal_png("青海省科学技术馆", "dept-museum", transparent_black=True)
    pixels = cv2.imdecode(np.frombuffer(png, np.uint8), cv2.IMREAD_UNCHANGED)
    words = read_picture_seal(pixels)
    assert words is not None and UnitRegistry.load().match(words.ring).unit.unit_id == "dept-museum", words


def _plan_with_seal(path: Path, unit: str, seal_png: bytes) -> Path:
    doc = Docx()
    doc.add_paragraph("2021年“全国科技工作者日”")
    doc.add_paragraph("特色亮点活动筹备方案")
    table = doc.add_table(rows=3, cols=2)
    for row, (label, value) in enumerate([("主办单位名称", unit), ("主题活动名称", "科技工作者日座谈会"),
                                          ("主题活动模块", "团结引领（√） 建家办事（ ）")]):  # fmt: skip
        table.cell(row, 0).text, table.cell(row, 1).text = label, value
    doc.add_paragraph("单位盖章：")
    doc.add_picture(io.BytesIO(seal_png), width=Cm(4.2))
    doc.save(path)
    return path


def test_a_plan_stamped_with_another_units_seal_gets_seal_mismatch_and_its_own_seal_does_not(tmp_path: Path) -> None:
    from flows.reading.pipeline import process_file

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    museum = _seal_png("青海省科学技术馆", "dept-museum", transparent_black=False)
    _plan_with_seal(inbox / "forwarded.docx", "西宁市科学技术协会", museum)
    _plan_with_seal(inbox / "own.docx", "青海省科学技术馆", museum)
    forwarded = process_file(inbox / "forwarded.docx", inbox)
    own = process_file(inbox / "own.docx", inbox)
    (mismatch,) = [f for f in forwarded.findings if f.code == "seal_mismatch"]
    assert mismatch.severity == "warning" and mismatch.field == "stamp_present"
    assert "青海省科学技术馆" in mismatch.message and "西宁市科学技术协会" in mismatch.message
    assert not [f for f in own.findings if f.code == "seal_mismatch"]


def test_lines_a_seal_crosses_on_a_fax_are_read_across_it() -> None:
    """A 1-bit fax from the dev set (samples/other_hands/scanned/dev): the black seal over 填报单位：昆仑学院 and the
    first row's 工作单位及职务 cut both lines short at its ring; read across it they are whole."""
    from extractors.model import Paragraph, Table
    from extractors.scan import extract

    fax = Path(__file__).resolve().parents[1] / "samples/other_hands/scanned/dev/inbox/fax/FAX_20210510_175512.tif"
    doc = extract(fax)
    paragraphs = [b.text.replace(" ", "") for b in doc.blocks if isinstance(b, Paragraph)]
    cells = [c.text for b in doc.blocks if isinstance(b, Table) for c in b.cells()]
    assert any(p.startswith("填报单位") and p.endswith("昆仑学院") for p in paragraphs), paragraphs
    assert "昆仑学院科协办公室主任" in cells, cells
