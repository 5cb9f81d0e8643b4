"""Phone photos of a page (extractors/photo.py): found, flattened to upright A4, light evened, colour kept.

Synthetic pages with known geometry check the geometry and the colour; one dev photo (samples/other_hands/
scanned/dev) is read end to end through the scan reader.
"""

from __future__ import annotations

import json
from pathlib import Path

import cv2
import numpy as np
import pytest

from extractors import photo, scan
from tests import engines

DEV = Path(__file__).resolve().parents[1] / "samples" / "other_hands" / "scanned" / "dev"
PAGE_W, PAGE_H = 827, 1169  # the synthetic page: A4 at 100 dpi
RULES_Y = (300, 400, 500, 600)  # horizontal table lines, page pixels
SEAL = (600, 800, 90)  # red ring: centre x, centre y, radius, page pixels


def _page() -> np.ndarray:
    """White A4 with a ruled table, some 'text' strokes and a red round seal."""
    page = np.full((PAGE_H, PAGE_W, 3), 250, np.uint8)
    for y in RULES_Y:
        cv2.line(page, (100, y), (720, y), (20, 20, 20), 3)
    for x in (100, 300, 720):
        cv2.line(page, (x, RULES_Y[0]), (x, RULES_Y[-1]), (20, 20, 20), 3)
    for y in (150, 200, 700, 950, 1000):
        for x in range(120, 680, 40):
            cv2.rectangle(page, (x, y), (x + 25, y + 25), (30, 30, 30), 2)
    cx, cy, r = SEAL
    cv2.circle(page, (cx, cy), r, (40, 40, 220), 8)
    cv2.circle(page, (cx, cy), 25, (40, 40, 220), -1)
    return page


CORNERS = np.array([[260, 240], [960, 290], [1010, 1330], [190, 1370]], np.float32)  # tl tr br bl, ~4-8° skew


def _photo(seed: int = 0) -> np.ndarray:
    """The page lying on a wooden-brown, grainy desk, seen at an angle, a shadow across it, saved as JPEG."""
    rng = np.random.default_rng(seed)
    h, w = 1600, 1200
    desk = np.zeros((h, w, 3), np.float32)
    desk[:] = (60, 95, 140)  # brown, BGR
    desk += rng.normal(0, 12, (h, w, 1)).astype(np.float32)
    desk += (np.sin(np.arange(w) / 7.0) * 15).astype(np.float32)[None, :, None]  # grain stripes
    src = np.array([[0, 0], [PAGE_W - 1, 0], [PAGE_W - 1, PAGE_H - 1], [0, PAGE_H - 1]], np.float32)
    matrix = cv2.getPerspectiveTransform(src, CORNERS)
    warped = cv2.warpPerspective(_page(), matrix, (w, h), flags=cv2.INTER_LINEAR).astype(np.float32)
    inside = cv2.warpPerspective(np.ones((PAGE_H, PAGE_W), np.float32), matrix, (w, h))[:, :, None]
    image = warped * inside + desk * (1 - inside)
    # Light falls off to the left: a soft shadow over desk and page alike.
    light = np.clip(0.45 + np.arange(w) / w, 0.45, 1.0).astype(np.float32)
    image = np.clip(image * light[None, :, None], 0, 255).astype(np.uint8)
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return cv2.imdecode(jpeg, cv2.IMREAD_COLOR)


def _to_output(x: float, y: float) -> tuple[int, int]:
    """A synthetic-page pixel → the flattened A4 output pixel."""
    return round(x * (photo.A4_PX[0] - 1) / (PAGE_W - 1)), round(y * (photo.A4_PX[1] - 1) / (PAGE_H - 1))


def test_a_flat_scan_comes_back_unchanged() -> None:
    scan_page = cv2.resize(_page(), photo.A4_PX, interpolation=cv2.INTER_LINEAR)
    out, note = photo.flatten_photo(scan_page)
    assert out is scan_page and note is None


def test_a_grey_scan_and_a_fax_with_a_dark_header_come_back_unchanged() -> None:
    grey = cv2.cvtColor(cv2.resize(_page(), photo.A4_PX), cv2.COLOR_BGR2GRAY)
    assert photo.flatten_photo(grey) == (grey, None)
    fax = cv2.resize(_page(), photo.A4_PX)
    fax[:90] = 15  # the fax machine's black header band
    fax[:, -40:] = 60  # and a grey strip where the sheet slipped
    out, note = photo.flatten_photo(fax)
    assert out is fax and note is None


def test_photo_corners_are_found_within_a_few_pixels() -> None:
    corners = photo.find_page(_photo())
    assert corners is not None
    assert np.abs(corners - CORNERS).max() <= 4, corners


def test_photo_is_flattened_to_upright_a4_with_even_light_and_red_kept() -> None:
    image = _photo()
    out, note = photo.flatten_photo(image)
    assert note is not None and note.format(page=2) == "第2页为手机拍照，已自动校正透视和光照。"
    assert out.shape == (photo.A4_PX[1], photo.A4_PX[0], 3)
    grey = cv2.cvtColor(out, cv2.COLOR_BGR2GRAY)
    # Light evened: the paper left (in shadow) and right are alike, though they were not in the photo.
    left, right = grey[1100:1200, 80:180], grey[1100:1200, 1480:1580]
    assert abs(float(np.median(left)) - float(np.median(right))) < 12
    assert np.median(left) > 230
    # Ruled lines come out straight and where they belong: the darkest row in each column strip.
    for y in RULES_Y:
        _, oy = _to_output(0, y)
        rows = []
        for x in (150, 250, 400, 550, 700):
            ox, _ = _to_output(x, 0)
            band = grey[oy - 25 : oy + 25, ox - 3 : ox + 3].mean(axis=1)
            rows.append(oy - 25 + int(np.argmin(band)))
        assert max(rows) - min(rows) <= 3, (y, rows)
        assert abs(float(np.mean(rows)) - oy) <= 6, (y, rows)
    # The seal's ring is still red (hue near 0/180, saturated), not turned grey or brown.
    cx, cy, r = SEAL
    ox, oy = _to_output(cx + r, cy)
    hsv = cv2.cvtColor(out[oy - 4 : oy + 5, ox - 12 : ox + 4], cv2.COLOR_BGR2HSV).reshape(-1, 3)
    reddest = hsv[np.argmax(hsv[:, 1])]
    assert (reddest[0] < 10 or reddest[0] > 165) and reddest[1] > 120, reddest


@pytest.fixture(scope="module", params=engines.params()[:1])
def engine(request) -> str:
    with engines.using(request.param):
        yield request.param


def test_a_dev_photo_reads_its_unit_and_liaisons(engine: str) -> None:
    name = "IMG_20210511_160754.jpg"
    truth = json.loads((DEV / "truth" / f"photos__{name}.json").read_text(encoding="utf-8"))
    doc = scan.extract(DEV / "inbox" / "photos" / name)
    assert "第1页为手机拍照，已自动校正透视和光照。" in doc.notes
    text = json.dumps([repr(b) for b in doc.blocks], ensure_ascii=False)
    assert truth["liaisons"][0]["unit_raw"] in text  # 黄南州科协, written beside 填报单位 under the seal
    for person in truth["liaisons"]:
        assert person["name"] in text and person["phone"] in text
