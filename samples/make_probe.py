"""The OCR probe pages: one form, clean and as a stamped scan, with its ground truth.

    python -m samples.make_probe [--out DIR]     # default: samples/ocr_probe/

Writes ``clean.png``, ``stamped.jpg`` and ``gt.json``. The page is an A4 form at 200 dpi in the seed's
style (the notice's 申报表): a bold title, a ruled table of label/value cells in Noto Serif CJK (value
cells merged across three columns, an option row with （√） ticks, values on two and three lines) and a
填表日期 line under it. The stamped variant is what a unit sends back: the unit's red seal pressed twice
over values (on 主办单位意见, where the form asks for it, and over the contact cells), the page turned
1.5°, softened, grained, tinted and saved as JPEG. A fixed seed: the same files on every run on one machine.

The tests read the committed files, so they need no font; this script needs Noto Serif CJK SC (Debian:
fonts-noto-cjk) and stops with a message saying so when it is missing. ``gt.json`` is written from the same
data the page is drawn from, never by reading the page.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository root importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from samples.make_pdfs import seal_image  # noqa: E402
from samples.make_scans import DPI, SEAL_MM, press_seal  # noqa: E402

PROBE_DIR = Path(__file__).resolve().parent / "ocr_probe"
FONT_FAMILY = "Noto Serif CJK SC"
FONT_HINT = "找不到 Noto Serif CJK SC 字体（Debian/Ubuntu：apt-get install fonts-noto-cjk），无法生成 OCR 探针页。"

PAGE = (1654, 2339)  # A4 at 200 dpi
COLUMNS = (150, 450, 827, 1087, 1504)  # ruling lines: label | value | label | value
TITLE = "2021年“科技志愿服务进社区”主题活动申报表"
UNIT = "海西州科协"
SEAL_TEXT = "海西州科学技术协会"
FILLED_ON = ("填表日期：", "2021年5月10日")
BODY_PX, TITLE_PX = 33, 44  # 12 pt and 16 pt at 200 dpi
LINE_PX = 56  # line pitch inside a cell
SEED = 2021
ACTIVITY_LINE_2 = "技能培训等志愿服务活动，预计参与群众300人次。"
TURN_DEGREES = 1.5


@dataclass(frozen=True)
class Row:
    top: int
    bottom: int
    pairs: tuple[tuple[str, str], ...]  # one pair: value over three columns; two: label|value|label|value


ROWS = (
    Row(300, 400, (("主办单位名称", UNIT),)),
    Row(400, 500, (("主题活动名称", "众心向党 自立自强——科技志愿服务进社区"),)),
    Row(500, 600, (("联系人", "张明"), ("手机", "13897012345"))),
    Row(600, 700, (("联系电话", "0977-8223456"), ("电子邮箱", "hxkx2021@163.com"))),
    Row(700, 800, (("拟举办时间", "2021年5月28日"), ("拟举办地点", "德令哈市河西街道"))),
    Row(800, 900, (("主题活动模块", "团结引领（√）  建家办事（  ）  为民服务（√）"),)),
    Row(900, 1070, (("活动内容简介", "组织科技工作者深入社区开展科普宣传、义诊咨询和\n" + ACTIVITY_LINE_2),)),
    Row(1070, 1295, (("主办单位意见", "同意推荐。\n（盖章）\n2021年5月10日"),)),
)
# Where the seal is pressed (page pixels): over the contact values, and on 主办单位意见 across its lines.
SEAL_CENTRES = ((1150.0, 690.0), (600.0, 1200.0))


def cells() -> list[dict]:
    """label, value and their drawn boxes (x0, y0, x1, y1), in reading order."""
    out = []
    for row in ROWS:
        edges = COLUMNS if len(row.pairs) == 2 else (COLUMNS[0], COLUMNS[1], COLUMNS[4])
        for k, (label, value) in enumerate(row.pairs):
            x = edges[2 * k : 2 * k + 3]
            out.append(
                {
                    "label": label,
                    "value": value,
                    "label_box": [x[0], row.top, x[1], row.bottom],
                    "value_box": [x[1], row.top, x[2], row.bottom],
                }
            )
    return out


def ground_truth() -> dict:
    """What a reader sees on the page: the cells, and every printed line as label or value."""
    fields = [{"kind": "label", "text": TITLE}]
    for cell in cells():
        fields.append({"kind": "label", "text": cell["label"]})
        fields.extend({"kind": "value", "text": line} for line in cell["value"].split("\n"))
    fields += [{"kind": "label", "text": FILLED_ON[0]}, {"kind": "value", "text": FILLED_ON[1]}]
    return {"title": TITLE, "dpi": DPI, "cells": cells(), "fields": fields}


def find_font(bold: bool = False) -> ImageFont.FreeTypeFont:
    """Noto Serif CJK SC (regular or bold) at body size, via fontconfig; SystemExit with FONT_HINT if absent."""
    style = "Bold" if bold else "Regular"
    try:
        found = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}|%{family}", f"{FONT_FAMILY}:style={style}"],
            capture_output=True,
            text=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        found = ""
    path, _, rest = found.partition("|")
    index, _, family = rest.partition("|")
    if FONT_FAMILY not in family or not Path(path).is_file():  # fc-match answers with its nearest font
        raise SystemExit(FONT_HINT)
    return ImageFont.truetype(path, BODY_PX, index=int(index or 0))


def clean_page() -> np.ndarray:
    """The filled form as printed (BGR)."""
    body, bold = find_font(), find_font(bold=True).font_variant(size=TITLE_PX)
    img = Image.new("RGB", PAGE, "white")
    draw = ImageDraw.Draw(img)
    draw.text((PAGE[0] / 2, 225), TITLE, font=bold, fill="black", anchor="mm")
    for cell in cells():
        for box in (cell["label_box"], cell["value_box"]):
            draw.rectangle(box, outline="black", width=3)
        x0, y0, x1, y1 = cell["label_box"]
        draw.text(((x0 + x1) / 2, (y0 + y1) / 2), cell["label"], font=body, fill="black", anchor="mm")
        x0, y0, _, y1 = cell["value_box"]
        lines = cell["value"].split("\n")
        first = (y0 + y1) / 2 - LINE_PX * (len(lines) - 1) / 2
        for i, line in enumerate(lines):
            draw.text((x0 + 25, first + i * LINE_PX), line, font=body, fill="black", anchor="lm")
    bottom = ROWS[-1].bottom
    draw.text((COLUMNS[0], bottom + 65), "".join(FILLED_ON), font=body, fill="black", anchor="lm")
    return cv2.cvtColor(np.asarray(img), cv2.COLOR_RGB2BGR)


def stamped_page(clean: np.ndarray) -> np.ndarray:
    """The same page stamped and scanned: two seals over values, turned 1.5°, soft, grainy, tinted."""
    rng = np.random.default_rng(SEED)
    seal = seal_image(SEAL_TEXT, size=480)
    page = clean
    for centre in SEAL_CENTRES:
        page = press_seal(page, seal, centre, SEAL_MM / 25.4 * DPI, rng)
    h, w = page.shape[:2]
    turn = cv2.getRotationMatrix2D((w / 2, h / 2), TURN_DEGREES, 1.0)
    page = cv2.warpAffine(page, turn, (w, h), flags=cv2.INTER_LINEAR, borderValue=(250, 250, 250))
    page = cv2.GaussianBlur(page, (0, 0), 0.7)
    paper = np.array([0.95, 0.975, 1.0], dtype=np.float32)  # BGR: a little warm, as scanner paper is
    grain = rng.normal(0, 3.0, (h, w, 1)).astype(np.float32)
    return np.clip(page.astype(np.float32) * paper + grain, 0, 255).astype(np.uint8)


def make(out: Path = PROBE_DIR) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    clean = clean_page()
    written = [out / "clean.png", out / "stamped.jpg", out / "gt.json"]
    cv2.imwrite(str(written[0]), clean, [cv2.IMWRITE_PNG_COMPRESSION, 9])
    cv2.imwrite(str(written[1]), stamped_page(clean), [cv2.IMWRITE_JPEG_QUALITY, 80])
    written[2].write_text(json.dumps(ground_truth(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Make the OCR probe pages and their ground truth")
    parser.add_argument("--out", type=Path, default=PROBE_DIR, help="folder to write to (default: samples/ocr_probe/)")
    args = parser.parse_args(argv)
    written = make(args.out)
    print("wrote " + ", ".join(f"{p.name} ({p.stat().st_size / 1e3:.0f} kB)" for p in written))
    return 0


if __name__ == "__main__":
    sys.exit(main())
