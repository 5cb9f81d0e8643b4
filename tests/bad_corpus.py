"""A corpus of bad and hostile inbox files, made by code, each with the outcome staff must see.

`make_corpus(root)` writes `root/inbox/` (the files a run reads) and `root/outside/` (targets of
symlinks that point out of the inbox; a run must never read them) and returns one `BadCase` per
inbox entry. Every file is built here: forms with python-docx and a tiny PDF writer, hostile files
byte by byte (zip bomb, XXE, billion laughs, decompression-bomb PNG, RC4-encrypted PDF, FIFO).

The expectation is what a user wants, not what the code happens to do today: an encrypted PDF is
`unreadable_file` with 加密 in the message, a PDF named .docx is read as the PDF it is, a non-form
file is `unknown_form`, and so on.
"""

from __future__ import annotations

import hashlib
import io
import os
import random
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import docx
from PIL import Image, ImageDraw

from flows.reading.limits import Limits
from tests.fixtures_docx import (
    encrypted_docx,
    legacy_doc,
    lying_sizes,
    not_a_zip,
    replace_member,
    with_doctype,
    zip_without_document,
)
from tests.fixtures_pdf import MiniPdf

SECRET = "绝密SECRET-7f3a-不得外泄"  # written only outside the inbox: must never reach an output
UNIT = "海东市科学技术协会"
LIAISON_ROWS = 10_000
FORMULAS = {  # 主办单位 form fields filled with spreadsheet formulas (formula-injection case)
    "主题活动名称": '=HYPERLINK("http://evil.example/x","点击查看")',
    "承办单位名称": "+1",
    "拟举办地点": "@SUM(A1:A9)",
    "主办单位邮寄地址": "-2+3 西宁市城中区",
}


@dataclass(frozen=True)
class BadCase:
    """One inbox entry and the outcome it must get.

    codes: the whole-file exception codes (rows with an empty `field`) it must get, exactly; () means
    it is read as a form with none. message_has: words each of its unreadable_file messages must
    contain. form_type: the form it must be read as ("" when it is not read). no_row: the contract's
    lock/temp files, which get no row at all.
    """

    name: str
    codes: tuple[str, ...]
    note: str
    message_has: tuple[str, ...] = ()
    form_type: str = ""
    no_row: bool = False


# --------------------------------------------------------------------------------------------- forms


def plan_docx(path: Path, unit: str = UNIT, values: dict[str, str] | None = None, picture: bytes | None = None) -> Path:
    """A 特色亮点活动筹备方案: 基本信息 as label | value rows, one activity, 报送时间."""
    fields = {
        "主办单位名称": unit,
        "主题活动名称": "科技工作者座谈会",
        "主题活动模块": "☑团结引领 ☐建家办事 ☐为民服务 ☐开放合作 ☐表彰发布",
        "承办单位名称": "海东市科协学会部",
        "拟举办时间": "2021年5月28日",
        "拟举办地点": "海东市平安区",
        "面向群体": "☐科协系统干部 ☑科技工作者 ☐海外同行",
        "预计活动规模": "约80人",
        "姓名": "李想",
        "办公电话": "0972-8612345",
        "手机": "13897012345",
        "电子邮箱": "hdkx@163.com",
        "主办单位邮寄地址": "海东市平安区平安大道1号",
        **(values or {}),
    }
    d = docx.Document()
    d.add_paragraph("2021年“全国科技工作者日”特色亮点活动筹备方案（样表）")
    d.add_paragraph("一、基本信息")
    table = d.add_table(rows=len(fields), cols=2)
    table.style = "Table Grid"
    for row, (label, value) in enumerate(fields.items()):
        table.cell(row, 0).text = label
        table.cell(row, 1).text = value
    d.add_paragraph("二、工作方案")
    d.add_paragraph("活动1：科技工作者座谈会")
    d.add_paragraph("于2021年5月28日在海东市平安区召开科技工作者座谈会，邀请科技工作者代表约80人参加。")
    if picture is not None:
        d.add_picture(io.BytesIO(picture))
    d.add_paragraph("单位盖章：")
    d.add_paragraph("报送时间：2021年5月8日")
    d.save(str(path))
    return path


def liaison_docx(path: Path, rows: int = 2, unit: str = UNIT) -> Path:
    """A 联络员回执表 with `rows` people (rows are spliced in as XML: python-docx adds rows in O(n²))."""
    d = docx.Document()
    d.add_paragraph("附件2：2021年“全国科技工作者日”活动联络员回执表")
    d.add_paragraph(f"填报单位：{unit}")
    table = d.add_table(rows=1, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["姓名", "工作单位及职务", "联系电话"], strict=True):
        cell.text = text
    d.save(str(path))
    row = (
        "<w:tr><w:tc><w:p><w:r><w:t>联络员{i}</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>{unit}办公室科员</w:t></w:r></w:p></w:tc>"
        "<w:tc><w:p><w:r><w:t>139{i:08d}</w:t></w:r></w:p></w:tc></w:tr>"
    )
    with zipfile.ZipFile(path) as zf:
        xml = zf.read("word/document.xml").decode()
    body = "".join(row.format(i=i, unit=unit) for i in range(rows))
    return replace_member(path, "word/document.xml", xml.replace("</w:tbl>", body + "</w:tbl>", 1).encode())


def report_docx(path: Path, unit: str = "海北藏族自治州科学技术协会") -> Path:
    d = docx.Document()
    d.add_paragraph(f"{unit}2021年“全国科技工作者日”活动总结报告")
    for _ in range(3):
        d.add_paragraph(
            "今年科技工作者日期间，我们组织开展了座谈交流、走访慰问、科普讲座等系列活动，"
            "广大科技工作者积极参与，取得了良好的社会反响。"
        )
    d.add_paragraph(unit)
    d.add_paragraph("2021年6月15日")
    d.save(str(path))
    return path


def letter_docx(path: Path) -> Path:
    d = docx.Document()
    d.add_paragraph("关于召开全省科协系统宣传工作会议的通知")
    d.add_paragraph("各市州科协：经研究，定于下周召开全省科协系统宣传工作会议，请各单位派一名同志参加。")
    d.save(str(path))
    return path


def plan_pdf(unit: str = UNIT) -> MiniPdf:
    """The same plan as text lines of a PDF (label：value), as a unit's own layout would print it."""
    m = MiniPdf()
    lines = [
        "2021年“全国科技工作者日”特色亮点活动筹备方案",
        f"主办单位名称：{unit}",
        "主题活动名称：科技工作者座谈会",
        "主题活动模块：☑团结引领",
        "承办单位名称：海东市科协学会部",
        "拟举办时间：2021年5月28日",
        "拟举办地点：海东市平安区",
        "面向群体：☑科技工作者",
        "预计活动规模：约80人",
        "主办单位邮寄地址：海东市平安区平安大道1号",
    ]
    for i, line in enumerate(lines):
        m.text(72, 60 + 28 * i, line, 12)
    return m


def letter_pdf() -> MiniPdf:
    m = MiniPdf()
    m.text(72, 60, "关于开展春季植树活动的通知", 16)
    m.text(72, 100, "各部门：请于本周五下午组织全体职工参加义务植树活动。", 12)
    return m


# --------------------------------------------------------------------------------------------- hostile bytes


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A 1-bit white PNG of width × height: ~100 KB on disk, gigabytes once decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    packer = zlib.compressobj(9)
    row = b"\0" + b"\xff" * ((width + 7) // 8)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def photo(seed: int = 7) -> Image.Image:
    """A picture with shapes and no text (a holiday photo sent by mistake)."""
    rng = random.Random(seed)
    im = Image.new("RGB", (900, 650), (120, 170, 220))
    draw = ImageDraw.Draw(im)
    for _ in range(25):
        x, y, r = rng.randrange(900), rng.randrange(650), rng.randrange(20, 120)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)
    return im


def jpeg_bytes(im: Image.Image) -> bytes:
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=85)
    return buffer.getvalue()


_PAD = bytes.fromhex("28BF4E5E4E758A4164004E56FFFA01082E2E00B6D0683E802F0CA9FE6453697A")


def _rc4(key: bytes, data: bytes) -> bytes:
    s, j = list(range(256)), 0
    for i in range(256):
        j = (j + s[i] + key[i % len(key)]) % 256
        s[i], s[j] = s[j], s[i]
    out, i, j = bytearray(), 0, 0
    for byte in data:
        i = (i + 1) % 256
        j = (j + s[i]) % 256
        s[i], s[j] = s[j], s[i]
        out.append(byte ^ s[(s[i] + s[j]) % 256])
    return bytes(out)


def encrypt_pdf(plain: bytes, user_password: str, owner_password: str = "owner-pw", permissions: int = -64) -> bytes:
    """Re-write a MiniPdf file with the PDF Standard security handler (V1/R2, 40-bit RC4).

    An empty user password opens without prompting (only permissions are restricted); any other asks.
    """

    def padded(pw: str) -> bytes:
        return (pw.encode("latin-1") + _PAD)[:32]

    doc_id = hashlib.md5(plain).digest()
    owner = _rc4(hashlib.md5(padded(owner_password)).digest()[:5], padded(user_password))
    key = hashlib.md5(padded(user_password) + owner + struct.pack("<i", permissions) + doc_id).digest()[:5]
    user = _rc4(key, _PAD)
    objects = [(int(n), body) for n, body in re.findall(rb"(\d+) 0 obj\n(.*?)\nendobj\n", plain, re.S)]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for num, body in objects:
        obj_key = hashlib.md5(key + struct.pack("<I", num)[:3] + b"\0\0").digest()[:10]
        head, sep, rest = body.partition(b"stream\n")
        head = re.sub(rb"\(([^()\\]*)\)", lambda m, k=obj_key: b"<" + _rc4(k, m.group(1)).hex().encode() + b">", head)
        if sep:
            data, _, tail = rest.rpartition(b"\nendstream")
            body = head + sep + _rc4(obj_key, data) + b"\nendstream" + tail
        else:
            body = head
        offsets.append(len(out))
        out += f"{num} 0 obj\n".encode() + body + b"\nendobj\n"
    encrypt_num = len(objects) + 1
    offsets.append(len(out))
    out += (
        f"{encrypt_num} 0 obj\n<< /Filter /Standard /V 1 /R 2 /O <{owner.hex()}> /U <{user.hex()}> "
        f"/P {permissions} >>\nendobj\n"
    ).encode()
    xref = len(out)
    out += f"xref\n0 {encrypt_num + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {encrypt_num + 1} /Root 1 0 R /Encrypt {encrypt_num} 0 R "
        f"/ID [<{doc_id.hex()}> <{doc_id.hex()}>] >>\nstartxref\n{xref}\n%%EOF\n"
    ).encode()
    return bytes(out)


def break_xref(pdf: bytes) -> bytes:
    """Point startxref at nonsense and garble the xref table (readers must rebuild it by scanning)."""
    start = pdf.rindex(b"startxref")
    table = pdf.rindex(b"xref\n0 ", 0, start)
    garbled = pdf[:table] + b"xref\n0 1\nGARBAGE GARBAGE\n" + pdf[pdf.index(b"trailer", table) :]
    start = garbled.rindex(b"startxref")
    return garbled[:start] + b"startxref\n123456789\n%%EOF\n"


def docx_bomb(path: Path, megabytes: int = 64) -> Path:
    """A Word file carrying a member of `megabytes` of zeros (~64 KB compressed), streamed to disk."""
    plan_docx(path)
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as zf, zf.open("word/media/filler.bin", "w") as fh:
        block = b"\0" * (1024 * 1024)
        for _ in range(megabytes):
            fh.write(block)
    return path


# --------------------------------------------------------------------------------------------- the corpus


def make_corpus(root: Path) -> list[BadCase]:
    """Write root/inbox and root/outside; return the expectation for every inbox entry."""
    inbox, outside = root / "inbox", root / "outside"
    inbox.mkdir(parents=True)
    outside.mkdir(parents=True)
    cases: list[BadCase] = []

    def add(name: str, codes: tuple[str, ...], note: str, **kw: object) -> Path:
        cases.append(BadCase(name, codes, note, **kw))  # type: ignore[arg-type]
        path = inbox / name
        path.parent.mkdir(parents=True, exist_ok=True)
        return path

    unreadable = ("unreadable_file",)
    # --- empty, too big, not a file
    add("空文件.docx", unreadable, "zero bytes", message_has=("空文件",)).write_bytes(b"")
    big = add("oversize.pdf", unreadable, "one byte over max_file_mb (sparse)", message_has=("MB", "上限"))
    with open(big, "wb") as fh:
        fh.write(b"%PDF-1.4\n")
        fh.truncate(Limits().max_file_bytes + 1)
    os.mkfifo(add("pipe.docx", unreadable, "a named pipe: opening it would block", message_has=("不是普通文件",)))
    add("~$锁文件.docx", (), "Word's owner lock file", no_row=True).write_bytes(b"\x00lock")

    # --- PDF
    plan = plan_pdf("西宁市科学技术协会").to_bytes()
    sample_pdf = sorted((Path(__file__).resolve().parents[1] / "samples" / "inbox" / "pdf").glob("*.pdf"))
    real_pdf = sample_pdf[0].read_bytes() if sample_pdf else plan
    add("截断.pdf", unreadable, "first 40% of a real PDF", message_has=("损坏",)).write_bytes(
        real_pdf[: len(real_pdf) * 4 // 10]
    )
    add("broken-xref.pdf", (), "xref table and startxref garbled: repairable", form_type="activity_plan").write_bytes(
        break_xref(plan)
    )
    add("加密-需要密码.pdf", unreadable, "RC4, user password set", message_has=("加密",)).write_bytes(
        encrypt_pdf(plan, user_password="user-pw")
    )
    add(
        "encrypted-no-user-password.pdf",
        (),
        "RC4, owner password only: opens without a password",
        form_type="activity_plan",
    ).write_bytes(encrypt_pdf(plan_pdf(UNIT).to_bytes(), user_password=""))
    add("500页.pdf", unreadable, "500 pages > max_pages", message_has=("500页",)).write_bytes(
        plan_pdf().to_bytes(pages=500)
    )
    add("通知-not-a-form.pdf", ("unknown_form",), "a text PDF that is no form").write_bytes(letter_pdf().to_bytes())
    add("header-only.pdf", unreadable, "%PDF header and nothing else", message_has=("损坏",)).write_bytes(
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<"
    )
    add("random-bytes.pdf", unreadable, "random bytes named .pdf", message_has=("无法识别",)).write_bytes(
        random.Random(1).randbytes(50_000)
    )
    add("pdf-named.docx", (), "a PDF named .docx: triage by content", form_type="activity_plan").write_bytes(
        plan_pdf("海北藏族自治州科学技术协会").to_bytes()
    )

    # --- Word
    not_a_zip(add("not-a-zip.docx", unreadable, "text named .docx", message_has=("不是Word",)))
    truncated = add("truncated.docx", unreadable, "zip cut in half", message_has=("损坏",))
    plan_docx(truncated)
    truncated.write_bytes(truncated.read_bytes()[: truncated.stat().st_size // 2])
    docx_bomb(add("zip-bomb.docx", unreadable, "64 MB of zeros in a 70 KB file", message_has=("压缩炸弹",)))
    lying_sizes(add("lying-sizes.docx", unreadable, "central directory understates sizes", message_has=("损坏",)))
    with_doctype(add("xxe.docx", unreadable, "external entity to /etc/passwd", message_has=("不安全",)), kind="xxe")
    with_doctype(add("billion-laughs.docx", unreadable, "exponential entities", message_has=("不安全",)), kind="lol")
    encrypted_docx(add("加密.docx", unreadable, "password-protected .docx (OLE)", message_has=("密码",)))
    zip_without_document(add("xlsx-named.docx", unreadable, "a spreadsheet zip named .docx", message_has=("Word",)))
    legacy_doc(add("fake-legacy.doc", unreadable, "OLE file with a garbage WordDocument stream", message_has=("旧版",)))
    add("saved-as-web-page.doc", unreadable, "HTML named .doc", message_has=("无法识别",)).write_text(
        "<html><body><p>主办单位名称</p></body></html>", encoding="utf-8"
    )
    liaison_docx(
        add(f"回执表-{LIAISON_ROWS}行.docx", (), "10,000 table rows", form_type="liaison_reply"),
        rows=LIAISON_ROWS,
        unit="青海大学科学技术协会",
    )
    plan_docx(
        add("embedded-picture-bomb.docx", (), "a 900 MP picture inside a plan", form_type="activity_plan"),
        unit="黄南藏族自治州科学技术协会",
        picture=png_bomb(),
    )
    plan_docx(
        add("formula-injection.docx", (), "field values that are spreadsheet formulas", form_type="activity_plan"),
        unit="海南藏族自治州科学技术协会",
        values=FORMULAS,
    )
    letter_docx(add("通知-not-a-form.docx", ("unknown_form",), "a Word letter that is no form"))

    # --- images
    add("decompression-bomb.png", unreadable, "30000 x 30000 PNG", message_has=("像素",)).write_bytes(png_bomb())
    jpeg = jpeg_bytes(photo())
    add("holiday-photo.jpg", ("unknown_form",), "a photo with no text").write_bytes(jpeg)
    add("truncated.jpg", unreadable, "half a JPEG", message_has=("图片",)).write_bytes(
        jpeg_bytes(photo(seed=8))[:20_000]
    )
    frames = [Image.new("L", (64, 64), 255) for _ in range(Limits().max_pages + 10)]
    frames[0].save(
        add("60-frames.tif", unreadable, "TIFF with more frames than max_pages", message_has=("页",)),
        save_all=True,
        append_images=frames[1:],
    )

    # --- names and wrong extensions
    plan_docx(
        add("活动 筹备 方案 带空格.docx", (), "spaces in the name", form_type="activity_plan"),
        unit="果洛藏族自治州科学技术协会",
    )
    liaison_docx(
        add("中文名回执表.docx", (), "Chinese name", form_type="liaison_reply"), rows=3, unit="青海师范大学科学技术协会"
    )
    report_docx(add("😀表情总结报告.docx", (), "emoji in the name", form_type="summary_report"))
    plan_docx(
        add("-leading-dash.docx", (), "leading '-' (an option to a careless shell)", form_type="activity_plan"),
        unit="玉树藏族自治州科学技术协会",
    )
    plan_docx(
        add("docx-named.pdf", (), "a Word file named .pdf", form_type="activity_plan"),
        unit="海西蒙古族藏族自治州科学技术协会",
    )
    liaison_docx(
        add("子文件夹/嵌套 回执表.docx", (), "in a sub-folder", form_type="liaison_reply"),
        rows=2,
        unit="青海民族大学科学技术协会",
    )

    # --- symlinks
    plan_docx(outside / "secret.docx", values={"主题活动名称": SECRET})  # if read, SECRET lands in plans.csv
    (outside / "folder").mkdir()
    plan_docx(outside / "folder" / "also-secret.docx", values={"主题活动名称": SECRET})
    os.symlink(
        outside / "secret.docx",
        add("link-outside.docx", unreadable, "symlink to a file outside the inbox", message_has=("快捷方式",)),
    )
    os.symlink(
        outside / "folder",
        add("linked-folder", unreadable, "symlink to a folder outside the inbox", message_has=("快捷方式",)),
    )
    os.symlink(
        outside / "missing.pdf",
        add("dangling-link.pdf", unreadable, "symlink to a missing outside file", message_has=("快捷方式",)),
    )
    os.symlink(
        "中文名回执表.docx",
        add(
            "副本-链接.docx",
            ("duplicate_submission",),
            "relative symlink to another inbox file: read once, reported as a copy",
        ),
    )
    return cases
