"""Red seals: found on a stamped scan (and in embedded pictures), erased without erasing what is under them."""

from __future__ import annotations

import io
import json

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFont

from extractors.seal import find_ring_seals, find_seals, image_has_seal, remove_red
from samples.make_pdfs import seal_image
from samples.make_probe import PROBE_DIR as PROBE
from samples.make_scans import press_seal

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"


def _text_page(lines: list[str], size: int = 36, colour=(0, 0, 0)) -> np.ndarray:
    img = Image.new("RGB", (1200, 80 + 70 * len(lines)), "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, size)
    for i, line in enumerate(lines):
        draw.text((60, 40 + 70 * i), line, font=font, fill=colour)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def test_seal_found_on_stamped_scan_and_not_on_clean_page() -> None:
    stamped = cv2.imread(str(PROBE / "stamped.jpg"))
    hits = find_seals(stamped)
    assert hits, "the stamped probe page has red seals"
    # One seal sits on the 主办单位意见 value (the form's own 盖章 place).
    gt = {c["label"]: c for c in json.loads((PROBE / "gt.json").read_text(encoding="utf-8"))["cells"]}
    x0, y0, x1, y1 = gt["主办单位意见"]["value_box"]
    centres = [((h.bbox[0] + h.bbox[2]) / 2, (h.bbox[1] + h.bbox[3]) / 2) for h in hits]
    assert any(x0 <= cx <= x1 and y0 - 60 <= cy <= y1 + 60 for cx, cy in centres)
    for hit in hits:
        w, h = hit.bbox[2] - hit.bbox[0], hit.bbox[3] - hit.bbox[1]
        assert 0.8 < w / h < 1.25 and hit.score >= 0.55  # round
    assert find_seals(cv2.imread(str(PROBE / "clean.png"))) == []


def test_removal_whitens_the_seal_and_keeps_black_text_under_it() -> None:
    page = _text_page(["主办单位名称 海西州科协 联系电话 0977-8223456", "同意推荐。（盖章） 2021年5月10日"])
    text_mask = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY) < 100
    stamped = press_seal(page, seal_image("海西州科学技术协会", 480), (420, 110), 300, np.random.default_rng(3))
    seal_only = (np.abs(stamped.astype(int) - page.astype(int)).sum(axis=2) > 60) & ~cv2.dilate(
        text_mask.astype(np.uint8), np.ones((5, 5), np.uint8)
    ).astype(bool)
    assert seal_only.sum() > 5000  # the seal really covers part of the page

    grey = remove_red(stamped)
    assert grey.ndim == 2
    assert (grey[text_mask] < 128).mean() > 0.95, "black strokes under the seal stay black"
    assert (grey[seal_only] > 200).mean() > 0.97, "red ink becomes paper"


def test_red_title_text_is_not_a_seal() -> None:
    page = _text_page(["关于召开全省科协系统宣传工作会议的通知"], size=64, colour=(215, 30, 35))
    assert find_seals(page) == []


def _png(img: Image.Image) -> bytes:
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def test_embedded_pictures() -> None:
    # An electronic seal pasted into Word: a PNG with a transparent background (hidden colour black).
    assert image_has_seal(_png(seal_image("青海省气象学会", 300)))
    # A scanned signature page as JPEG, seal included.
    page = press_seal(
        _text_page(["报送单位：青海省气象学会"] * 3),
        seal_image("青海省气象学会", 480),
        (500, 150),
        260,
        np.random.default_rng(1),
    )
    ok, jpeg = cv2.imencode(".jpg", page, [cv2.IMWRITE_JPEG_QUALITY, 70])
    assert ok and image_has_seal(jpeg.tobytes())
    # Not seals: a logo-like red bar, black text, broken data.
    bar = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(bar).rectangle((10, 30, 390, 90), fill=(215, 30, 35))
    assert not image_has_seal(_png(bar))
    assert not image_has_seal(_png(Image.fromarray(_text_page(["联系人 张明"]))))
    assert not image_has_seal(b"\x89PNG\r\n\x1a\nnot really a png")
    assert not image_has_seal(b"")


def _title_over_seal_page(title_top: int) -> np.ndarray:
    """A seal-sized crop of a page: a bold black title across the ring's top and a table line below."""
    img = Image.new("RGB", (240, 240), "white")
    draw = ImageDraw.Draw(img)
    draw.text((0, title_top), "2021年“全国科技", font=ImageFont.truetype(FONT, 30), fill="black", stroke_width=1)
    draw.line((0, 190, 240, 190), fill="black", width=2)
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


@pytest.mark.parametrize("title_top", [0, 14, 24])
def test_seal_whose_ring_is_broken_by_black_text_is_found(title_top: int) -> None:
    # An e-seal printed with a multiply blend over a title: the black title breaks the ring, the
    # outline leaks inward. The whole seal (not just its star) must be found.
    page = _title_over_seal_page(title_top)
    stamped = press_seal(page, seal_image("青海省水力发电工程学会", 320), (120, 120), 238, np.random.default_rng(5))
    hits = find_seals(stamped)
    assert any(h.bbox[2] - h.bbox[0] > 0.8 * 238 and h.score >= 0.55 for h in hits)


def test_half_a_red_ring_is_not_a_seal() -> None:
    img = Image.new("RGB", (300, 300), "white")
    ImageDraw.Draw(img).arc((20, 20, 280, 280), 0, 200, fill=(215, 30, 35), width=8)
    assert find_seals(cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)) == []


def _grey_page_with_text(seal_at: tuple[int, int] | None) -> np.ndarray:
    """A grey A4-ish page of black text and table rules; with a black seal (ring, ring text, star)."""
    page = cv2.cvtColor(
        _text_page(["主办单位名称：青海省科学技术协会", "联系人姓名：马红 手机：13909721234"] * 12), cv2.COLOR_BGR2GRAY
    )
    page = cv2.copyMakeBorder(page, 200, 600, 200, 200, cv2.BORDER_CONSTANT, value=255)
    for y in range(300, 1500, 140):
        cv2.line(page, (200, y), (1400, y), 0, 2)
    if seal_at is not None:
        red = seal_image("青海省水力发电工程学会", 320)
        paper = Image.new("RGBA", red.size, "white")
        paper.alpha_composite(red)
        seal = np.asarray(paper.convert("L"))  # the red seal as a greyscale scanner sees it
        size = 380  # 42 mm on a 297 mm page
        seal = cv2.resize(seal, (size, size), interpolation=cv2.INTER_AREA)
        x, y = seal_at
        page[y : y + size, x : x + size] = np.minimum(page[y : y + size, x : x + size], seal)
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR)


def test_a_seal_that_is_not_red_is_found_by_its_ring() -> None:
    # A greyscale scan or a fax: no red anywhere; the ring round the ring text and star says "seal".
    page = _grey_page_with_text((900, 330))
    assert find_seals(page) == []
    hits = find_ring_seals(page)
    assert len(hits) == 1
    x0, y0, x1, y1 = hits[0].bbox
    assert abs(x0 - 900) < 30 and abs(y0 - 330) < 30 and abs(x1 - x0 - 380) < 50


def test_text_and_rules_without_a_seal_are_no_ring_seal() -> None:
    assert find_ring_seals(_grey_page_with_text(None)) == []


def _dithered_fax(page: np.ndarray, light: bool) -> np.ndarray:
    """The page as a 1-bit fax sends it: greys become dots (error diffusion). ``light``: a faint seal, as a
    fax machine's scan of a red stamp comes out."""
    grey = cv2.cvtColor(page, cv2.COLOR_BGR2GRAY)
    if light:
        grey = np.where(grey < 250, np.maximum(grey, 180), grey).astype(np.uint8)
    dots = np.asarray(Image.fromarray(grey).convert("1").convert("L"))
    return cv2.cvtColor(dots, cv2.COLOR_GRAY2BGR)


def test_a_seal_a_fax_dithered_into_dots_is_found_by_its_ring() -> None:
    page = _dithered_fax(_grey_page_with_text((900, 330)), light=True)
    hits = find_ring_seals(page)
    assert len(hits) == 1
    x0, y0, x1, _ = hits[0].bbox
    assert abs(x0 - 900) < 40 and abs(y0 - 330) < 40 and abs(x1 - x0 - 380) < 60
    assert find_ring_seals(_dithered_fax(_grey_page_with_text(None), light=True)) == []


def test_a_ring_whose_rough_centre_misses_it_is_found_a_few_pixels_over() -> None:
    """The Hough centre of a dotted fax seal sat 3 px (reduced copy) off its ring: the circle tried ran over
    0.79 of the ring, under the test's 0.85, and a stamped fax page counted as unstamped. The circles a few
    pixels around the candidate are tried too."""
    from extractors.seal import _RING_MIN_COVER, _recentred, _ring_cover

    ink = np.zeros((300, 300), np.uint8)
    cv2.circle(ink, (150, 150), 60, 1, 2)
    assert _ring_cover(ink, 153, 153, 62) < _RING_MIN_COVER
    cover, cx, cy, r = _recentred(ink, 153, 153, 62)
    assert cover >= _RING_MIN_COVER and abs(cx - 150) <= 1 and abs(cy - 150) <= 1 and abs(r - 60) <= 3
