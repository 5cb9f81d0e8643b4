"""The scan extractor on real pages: a stamped form read back to its values, turned pages, TIFF, errors.

The pages are the OCR probe the repository makes (samples/make_probe.py). Every test that reads a page runs
once per OCR engine (tests/engines.py); the OCR takes about 1–3 s a page here, so each probe page is read
once per engine.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import cv2
import numpy as np
import pytest
from rapidfuzz.distance import Levenshtein

from extractors import scan
from extractors.errors import ToolMissing, UnreadableFile
from extractors.model import Document, Table
from extractors.options import ExtractOptions
from samples.make_probe import PROBE_DIR as PROBE
from schemas.findings import problem_message
from tests import engines


@pytest.fixture(scope="module", params=engines.params())
def engine(request) -> str:
    """The OCR engine every page of the test is read with (INTAKE_OCR_ENGINE)."""
    with engines.using(request.param):
        yield request.param


def _gt() -> list[dict]:
    return json.loads((PROBE / "gt.json").read_text(encoding="utf-8"))["cells"]


def _squash(text: str) -> str:
    """Compare text as a reader would: no whitespace, one width of brackets."""
    return re.sub(r"\s+", "", text).replace("(", "（").replace(")", "）")


def _pairs(doc: Document) -> dict[str, str]:
    """label → text of the cell right of it, over every table row."""
    pairs: dict[str, str] = {}
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in block.rows:
                for left, right in zip(row, row[1:], strict=False):
                    pairs.setdefault(_squash(left.text), right.text)
    return pairs


@pytest.fixture(scope="module")
def stamped(engine: str, tmp_path_factory) -> Document:
    return scan.extract(PROBE / "stamped.jpg", ExtractOptions(crops_dir=tmp_path_factory.mktemp("crops")))


@pytest.fixture(scope="module")
def clean(engine: str) -> Document:
    return scan.extract(PROBE / "clean.png")


def _accuracy(pairs: dict[str, str]) -> float:
    """Character accuracy of the probe's values (1 − edit distance / length), as in ocr-findings.md."""
    chars = errors = 0
    for cell in _gt():
        want = _squash(cell["value"])
        chars += len(want)
        errors += Levenshtein.distance(want, _squash(pairs.get(cell["label"], "")))
    return 1 - errors / chars


KEY_VALUES = {
    "主办单位名称": "海西州科协",
    "手机": "13897012345",
    "电子邮箱": "hxkx2021@163.com",
    "拟举办时间": "2021年5月28日",
    "联系电话": "0977-8223456",
}


def test_stamped_scan_reads_back_its_values(stamped: Document) -> None:
    assert stamped.kind == "image" and stamped.page_count == 1
    pairs = _pairs(stamped)
    assert _accuracy(pairs) >= 0.95, f"character accuracy {_accuracy(pairs):.3f}"
    assert {k: pairs.get(k) for k in KEY_VALUES} == KEY_VALUES
    assert not any("专用章" in v or "科学技术协会" in v for v in pairs.values()), "seal text leaked into values"
    modules = pairs["主题活动模块"]
    assert "团结引领（√）" in modules and "建家办事（ ）" in modules and "为民服务（√）" in modules
    assert all(0 < c.confidence <= 1 for b in stamped.blocks if isinstance(b, Table) for c in b.cells())


def test_stamped_scan_keeps_its_seals_as_evidence(stamped: Document) -> None:
    assert len(stamped.seals) >= 1 and all(s.page == 1 for s in stamped.seals)
    for seal in stamped.seals:
        assert seal.crop_path and Path(seal.crop_path).is_file()
        crop = cv2.imread(seal.crop_path)
        assert crop is not None and crop.shape[0] > 200  # a ~42 mm seal at 200 dpi
    assert Path(stamped.page_images[1]).is_file() and stamped.crops_dir


def test_clean_page_gives_every_label_value_pair(clean: Document) -> None:
    pairs = _pairs(clean)
    for cell in _gt():
        assert _squash(pairs.get(cell["label"], "")) == _squash(cell["value"]), cell["label"]
    assert clean.seals == []
    assert any(b.text.startswith("填表日期") for b in clean.iter_paragraphs())


def test_upside_down_page_comes_out_right(engine: str, tmp_path: Path) -> None:
    path = tmp_path / "upside_down.png"
    cv2.imwrite(str(path), cv2.rotate(cv2.imread(str(PROBE / "clean.png")), cv2.ROTATE_180))
    doc = scan.extract(path)
    pairs = _pairs(doc)
    assert _accuracy(pairs) >= 0.95 and {k: pairs.get(k) for k in KEY_VALUES} == KEY_VALUES
    assert "团结引领（√）" in pairs["主题活动模块"] and "建家办事（ ）" in pairs["主题活动模块"]
    assert any("180" in note for note in doc.notes)


def test_page_on_its_side_comes_out_right(engine: str, tmp_path: Path) -> None:
    top = cv2.imread(str(PROBE / "clean.png"))[150:720]  # title and the first four rows
    path = tmp_path / "sideways.jpg"
    cv2.imwrite(str(path), cv2.rotate(top, cv2.ROTATE_90_CLOCKWISE))
    pairs = _pairs(scan.extract(path))
    assert pairs["主办单位名称"] == "海西州科协"
    assert _squash(pairs["联系人"]) == "张明" and pairs["手机"] == "13897012345"


def test_multi_page_tiff(engine: str, tmp_path: Path) -> None:
    from PIL import Image

    clean = cv2.imread(str(PROBE / "clean.png"))
    stamped = cv2.imread(str(PROBE / "stamped.jpg"))
    pages = [clean[150:720], stamped[950:1420]]  # page 2: the 主办单位意见 row with its seal
    images = [Image.fromarray(cv2.cvtColor(p, cv2.COLOR_BGR2RGB)) for p in pages]
    path = tmp_path / "two_pages.tif"
    images[0].save(path, save_all=True, append_images=images[1:], compression="tiff_deflate")
    doc = scan.extract(path)
    assert doc.page_count == 2
    assert {b.page for b in doc.blocks} == {1, 2}
    assert [s.page for s in doc.seals] == [2]
    assert "海西州科协" in doc.all_text() and "同意推荐" in doc.all_text()


def test_pages_handed_over_by_the_pdf_extractor_keep_their_numbers(engine: str) -> None:
    page = cv2.imread(str(PROBE / "clean.png"))[150:720]
    doc = scan.extract_pages([page], Path("scan.pdf"), "pdf_scan", first_page=3)
    assert doc.kind == "pdf_scan" and {b.page for b in doc.blocks} == {3}


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"\xff\xd8\xff\xe0" + b"JFIF" * 20, b"II*\x00" + b"\x01" * 40],
    ids=["png", "jpeg", "tiff"],
)
def test_undecodable_image_is_unreadable(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "broken.img"
    path.write_bytes(data)
    with pytest.raises(UnreadableFile) as err:
        scan.extract(path)
    assert re.search(r"[\u4e00-\u9fff]", problem_message(err.value))


def test_missing_ocr_models_are_reported(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("INTAKE_OCR_ENGINE", "rapidocr")
    monkeypatch.setenv("INTAKE_OCR_MODEL_DIR", str(tmp_path))  # an empty folder: no .onnx models
    assert not scan.is_available()
    page = np.full((200, 200, 3), 255, np.uint8)
    with pytest.raises(ToolMissing) as err:
        scan.extract_pages([page], Path("x.png"), "image")
    assert "请安装 rapidocr" in problem_message(err.value)


def test_probe_pages_are_what_the_generator_makes(tmp_path: Path) -> None:
    """The committed probe is the generator's output (so anyone can remake or change it)."""
    from samples import make_probe

    try:
        make_probe.make(tmp_path)
    except SystemExit as stop:  # no Noto Serif CJK here: the committed pages still serve every other test
        pytest.skip(str(stop))
    assert (tmp_path / "gt.json").read_bytes() == (PROBE / "gt.json").read_bytes()
    for name in ("clean.png", "stamped.jpg"):
        made, committed = cv2.imread(str(tmp_path / name)), cv2.imread(str(PROBE / name))
        assert made.shape == committed.shape == (2339, 1654, 3)
        assert np.abs(made.astype(int) - committed.astype(int)).mean() < 1.0, name  # font/codec builds differ a hair


def test_a_fax_header_cut_after_the_senders_name_is_not_the_forms_text() -> None:
    """The fax machine's line, cut in two by the detector: `2021-05-12 16:56 FROM: …` and `柴达木职院P.003/003`."""
    from extractors.ocr_box import OcrBox
    from extractors.scan_layout import layout

    boxes = [
        OcrBox("2021-05-12 16:56 FROM: 0977-5637215", (30, 5, 530, 40), 0.99),
        OcrBox("柴达木职院P.003/003", (550, 5, 880, 40), 0.99),
        OcrBox("坚决杜绝铺张浪费。", (200, 200, 600, 240), 0.99),
    ]
    assert [b.text for b in layout(boxes, [], 3)] == ["坚决杜绝铺张浪费。"]


def test_a_fax_header_cut_in_three_leaves_no_piece_in_the_text() -> None:
    """Cut in three: the sender's name between time and page count (`中铝青海分公司`) came into a report's body,
    and its 字数 was 7 too many. It sits on the header's row; the sender's own text does not."""
    from extractors.ocr_box import OcrBox
    from extractors.scan_layout import layout

    boxes = [
        OcrBox("2021-06-19 13:59 FROM: 0971-8869904", (30, 5, 530, 40), 0.99),
        OcrBox("中铝青海分公司", (560, 6, 740, 41), 0.99),
        OcrBox("P.002/002", (780, 5, 900, 40), 0.99),
        OcrBox("下一步，我们将认真总结本次活动的经验做法。", (200, 200, 1200, 240), 0.99),
    ]
    assert [b.text for b in layout(boxes, [], 2)] == ["下一步，我们将认真总结本次活动的经验做法。"]


def test_a_fax_header_read_badly_through_the_noise_is_not_the_title() -> None:
    """`2021-06-20 11:46 FROM: 0971-6790343 西部矿业集团 P.001/002` read as `200/00-:03: --002` (a dev15 fax):
    the page's top line, of machine print only, went into the report's title. A date or number in the form's own
    text is not the topmost line, and a top line with an ideograph stays."""
    from extractors.ocr_box import OcrBox
    from extractors.scan_layout import layout

    title = OcrBox("2021年“全国科技工作者日”系列活动的总结报告", (385, 209, 1260, 276), 0.99)
    boxes = [OcrBox("200/00-:03: --002", (35, 6, 878, 42), 0.56), title]
    assert [b.text for b in layout(boxes, [], 1)] == [title.text]
    date = OcrBox("2021.06.20 0971-6790343", (200, 900, 700, 940), 0.99)
    assert [b.text for b in layout([title, date], [], 1)] == [title.text, date.text]
    attachment = OcrBox("附件2 2021-06-20", (35, 6, 400, 42), 0.99)
    assert [b.text for b in layout([attachment, title], [], 1)] == [attachment.text, title.text]


def test_a_title_over_the_unit_line_is_not_a_wrapped_line_on_a_page_of_few_lines() -> None:
    """A fax liaison page: the margins come from four lines, the title (its left end lengthened by a piece of
    the seal's ring) ends at the "margin" with a two-letter "indent", and the `填报单位` line under it was joined
    to it; the unit was lost."""
    from extractors.ocr_box import OcrBox
    from extractors.scan_layout import layout

    boxes = [
        OcrBox("附件2", (200, 90, 290, 130), 0.99),
        OcrBox("2021年“全国科技工作者日”活动", (480, 265, 1182, 331), 0.99),
        OcrBox("术学院联络员回执表", (334, 325, 975, 396), 0.95),
        OcrBox("填报单位：卫生职院", (209, 425, 500, 478), 0.97),
    ]
    assert [b.text for b in layout(boxes, [], 1)][-1] == "填报单位：卫生职院"


def test_a_speck_read_as_a_full_stop_past_the_right_margin_does_not_end_the_paragraph() -> None:
    """A colour scan (dev, tuned on): `…分组深入生产一线，看望。` over `慰问长期扎根基层的…`. The `。` stands past the
    text's right margin, where no typed letter can: a speck, and the sentence runs on. A typed `。` ending a full
    line stands inside the margin, and the flush line under it starts a new paragraph."""
    from extractors.ocr_box import OcrBox
    from extractors.scan_layout import layout

    full = [
        OcrBox("二、主要活动开展情况二、主要活动开展情况二、主要活动", (200, 100, 1500, 150), 0.99),
        OcrBox("收到省科协通知后及时召开专题会议传达学习通知精神研究", (200, 160, 1500, 210), 0.99),
    ]
    speck = OcrBox("节日期间，贵南县科协领导班子分组深入生产一线，看望。", (200, 220, 1530, 270), 0.98)
    typed = OcrBox("节日期间，贵南县科协领导班子分组深入生产一线看望。", (200, 220, 1480, 270), 0.98)
    tail = OcrBox("慰问长期扎根基层的科技工作者。", (200, 280, 800, 330), 0.99)
    joined = [b.text for b in layout([*full, speck, tail], [], 1)]
    assert joined[-1].endswith("分组深入生产一线，看望慰问长期扎根基层的科技工作者。")
    apart = [b.text for b in layout([*full, typed, tail], [], 1)]
    assert apart[-1] == tail.text and apart[-2].endswith("看望。")


def test_a_run_in_heading_line_indented_a_little_over_two_letters_wraps_into_the_next() -> None:
    """A fax report (dev18, tuned on): `（一）举办科技工作者座谈会。…召开庆祝“全国科技工作者` over
    `日”科技工作者座谈会，…`. The first line's box starts 2.6 letters in; taken for no indent, the lines stayed
    apart and the lone `日”` got an opening quote (`“日”`, one letter too many in the 字数)."""
    from extractors.ocr_box import OcrBox
    from extractors.scan_layout import layout

    body = [
        OcrBox(
            "根据省科协《关于印发〈2021年“全国科技工作者日”青海省活动方案〉的通知》（青", (268, 365, 1430, 416), 0.98
        ),
        OcrBox(
            "科协发〔2021〕12号）要求，结合单位实际，精心组织开展了系列活动，现将有关情况", (212, 416, 1446, 462), 0.99
        ),
        OcrBox(
            "（一）举办科技工作者座谈会。5月28日，青海省投资集团召开庆祝“全国科技工作者", (293, 948, 1437, 990), 0.98
        ),
        OcrBox(
            "日”科技工作者座谈会，来自生产一线、高校和科研院所的科技工作者代表35人参加。与会",
            (214, 993, 1446, 1040),
            0.99,
        ),
        OcrBox("代表结合自身工作实际，畅谈投身科技创新的体会。", (212, 1040, 900, 1087), 0.99),
    ]
    texts = [b.text for b in layout(body, [], 1)]
    assert texts[-1].startswith("（一）举办科技工作者座谈会。") and "“全国科技工作者日”科技工作者座谈会" in texts[-1]
