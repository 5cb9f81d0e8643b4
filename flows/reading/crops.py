"""Pictures of problem fields on scans, cut while the file is read, for the staff workbook's 原件截图 column.

A Finding gets `crop_path` (an image of its field on the page) when one can be cut, which is for scans only:
the scan extractor saved each page (`Document.page_images`, whose pixel coordinates the cells' bboxes use), and
`attach_crops` cuts the field's box from it into the file's crops folder (`<out>/crops/<submission_id>/`).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from PIL import Image

from extractors.model import Document
from flows.outcome import squash
from flows.staff.corrections import target_of
from schemas.findings import Finding
from schemas.reader import FieldValue, FormRead

CROP_PAD = 6  # pixels around the field's box


def _value_for(read: FormRead, f: Finding) -> FieldValue | None:
    target = target_of(read.schema, f.field)
    if target is None:
        return None
    kind, column, _ = target
    if kind == "field":
        return read.fields.get(column)
    if kind == "title":
        return read.title
    raw = squash(f.raw_value or f.row_hint)  # a missing value: the row's other value says whose
    for person in read.people:  # the row whose value the finding shows (its own, or the row's other one)
        value = person.get(column)
        if value is not None and squash(value.raw) == raw:
            return value
    for person in read.people:
        if column not in person:
            return next((v for v in person.values() if squash(v.raw) == raw and v.bbox), None)
    return None


def attach_crops(doc: Document, read: FormRead, findings: Iterable[Finding]) -> int:
    """Cut the picture of each finding's field from the saved page image; set `crop_path`. Count cut."""
    if not doc.page_images or not doc.crops_dir:
        return 0
    cut = 0
    pages: dict[int, Image.Image] = {}
    for i, f in enumerate(findings):
        value = _value_for(read, f)
        if value is None or value.bbox is None or value.page not in doc.page_images:
            continue
        if value.page not in pages:
            pages[value.page] = Image.open(doc.page_images[value.page])
        page = pages[value.page]
        x0, y0, x1, y1 = value.bbox
        box = (
            max(0, int(x0) - CROP_PAD),
            max(0, int(y0) - CROP_PAD),
            min(page.width, int(x1) + CROP_PAD),
            min(page.height, int(y1) + CROP_PAD),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        path = Path(doc.crops_dir) / f"{doc.source.stem}_p{value.page}_{f.field}_{i}.png"
        page.crop(box).save(path)
        f.crop_path, f.page_image = str(path), str(doc.page_images[value.page])
        cut += 1
    for image in pages.values():
        image.close()
    return cut
