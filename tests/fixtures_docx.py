"""Builds real .docx files for the Word extractor tests.

python-docx makes the package (styles, numbering, relationships, merged cells
via ``Cell.merge``); raw OOXML fragments are appended where python-docx has no
API (content controls, form fields, symbols, text boxes, tracked changes,
``w:gridBefore``, legacy ``w:hMerge``). Broken and hostile files are written
byte by byte.
"""

from __future__ import annotations

import io
import struct
import zipfile
from pathlib import Path

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml

NS = {
    "w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
    "w14": "http://schemas.microsoft.com/office/word/2010/wordml",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "v": "urn:schemas-microsoft-com:vml",
}
NSDECLS = " ".join(f'xmlns:{k}="{v}"' for k, v in NS.items())


# --------------------------------------------------------------------------- raw OOXML pieces


def t(text: str) -> str:
    """A plain run."""
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def p(inner: str, style: str | None = None) -> str:
    ppr = f'<w:pPr><w:pStyle w:val="{style}"/></w:pPr>' if style else ""
    return f"<w:p {NSDECLS}>{ppr}{inner}</w:p>"


def content_checkbox(checked: str | None, shown: str = "☐") -> str:
    """Word 2010+ checkbox content control; ``checked`` is the w14:val ("1", "0", "true", "false") or None."""
    state = f'<w14:checked w14:val="{checked}"/>' if checked is not None else ""
    return (
        '<w:sdt><w:sdtPr><w:id w:val="1"/><w14:checkbox>'
        f'{state}<w14:checkedState w14:val="2612" w14:font="MS Gothic"/>'
        '<w14:uncheckedState w14:val="2610" w14:font="MS Gothic"/></w14:checkbox></w:sdtPr>'
        '<w:sdtContent><w:r><w:rPr><w:rFonts w:ascii="MS Gothic" w:eastAsia="MS Gothic" w:hAnsi="MS Gothic"/>'
        f"</w:rPr><w:t>{shown}</w:t></w:r></w:sdtContent></w:sdt>"
    )


def legacy_checkbox(checked: str | None = "absent", default: str | None = "0") -> str:
    """FORMCHECKBOX field. checked: "absent" = no w:checked element, None = <w:checked/>, else its w:val."""
    checked_xml = {"absent": "", None: "<w:checked/>"}.get(checked, f'<w:checked w:val="{checked}"/>')
    default_xml = "" if default is None else f'<w:default w:val="{default}"/>'
    return (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Check1"/><w:enabled/>'
        f'<w:calcOnExit w:val="0"/><w:checkBox><w:sizeAuto/>{default_xml}{checked_xml}</w:checkBox>'
        "</w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMCHECKBOX </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        "<w:r><w:t>X</w:t></w:r>"  # stray result text Word may leave: must not leak
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def text_field(value: str) -> str:
    """FORMTEXT field whose result (the typed value) sits between separate and end."""
    return (
        '<w:r><w:fldChar w:fldCharType="begin"><w:ffData><w:name w:val="Text1"/><w:enabled/>'
        "<w:textInput/></w:ffData></w:fldChar></w:r>"
        '<w:r><w:instrText xml:space="preserve"> FORMTEXT </w:instrText></w:r>'
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
        f"{t(value)}"
        '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
    )


def sym(font: str, char: str) -> str:
    return f'<w:r><w:sym w:font="{font}" w:char="{char}"/></w:r>'


def font_run(font: str, text: str) -> str:
    """Text typed in a symbol font (what WPS writes instead of w:sym)."""
    return f'<w:r><w:rPr><w:rFonts w:ascii="{font}" w:hAnsi="{font}"/></w:rPr><w:t>{text}</w:t></w:r>'


def text_box(*lines: str, body: str = "") -> str:
    """A floating text box the way Word 2010+ saves it: DrawingML choice plus a VML fallback copy.

    lines become plain paragraphs; body is raw block XML appended after them."""
    body = "".join(f"<w:p>{t(line)}</w:p>" for line in lines) + body
    return (
        '<w:r><mc:AlternateContent><mc:Choice Requires="wps"><w:drawing>'
        '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0"'
        ' locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
        '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
        '<wp:extent cx="1828800" cy="457200"/><wp:wrapNone/><wp:docPr id="9" name="Text Box 9"/>'
        '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
        f"<wps:wsp><wps:txbx><w:txbxContent>{body}</w:txbxContent></wps:txbx><wps:bodyPr/></wps:wsp>"
        "</a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
        '<mc:Fallback><w:pict><v:shape style="width:144pt;height:36pt"><v:textbox>'
        f"<w:txbxContent>{body}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        "</mc:AlternateContent></w:r>"
    )


def ins(inner: str) -> str:
    return f'<w:ins w:id="11" w:author="审核人" w:date="2021-05-06T10:00:00Z">{inner}</w:ins>'


def deleted(text: str) -> str:
    return (
        '<w:del w:id="12" w:author="审核人" w:date="2021-05-06T10:00:00Z">'
        f'<w:r><w:delText xml:space="preserve">{text}</w:delText></w:r></w:del>'
    )


def tc(text: str = "", span: int = 1, vmerge: str | None = None, hmerge: str | None = None) -> str:
    props = ""
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if vmerge is not None:
        props += "<w:vMerge/>" if vmerge == "continue" else f'<w:vMerge w:val="{vmerge}"/>'
    if hmerge is not None:
        props += "<w:hMerge/>" if hmerge == "continue" else f'<w:hMerge w:val="{hmerge}"/>'
    tcpr = f"<w:tcPr>{props}</w:tcPr>" if props else ""
    return f"<w:tc>{tcpr}<w:p>{t(text) if text else ''}</w:p></w:tc>"


def tr(*cells: str, grid_before: int = 0, deleted_row: bool = False) -> str:
    props = f'<w:gridBefore w:val="{grid_before}"/>' if grid_before else ""
    if deleted_row:
        props += '<w:del w:id="20" w:author="审核人" w:date="2021-05-06T10:00:00Z"/>'
    trpr = f"<w:trPr>{props}</w:trPr>" if props else ""
    return f"<w:tr>{trpr}{''.join(cells)}</w:tr>"


def tbl(grid_cols: int, *rows: str) -> str:
    grid = "".join('<w:gridCol w:w="1500"/>' for _ in range(grid_cols))
    return (
        f'<w:tbl {NSDECLS}><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr>'
        f"<w:tblGrid>{grid}</w:tblGrid>{''.join(rows)}</w:tbl>"
    )


# --------------------------------------------------------------------------- documents


def new_doc() -> docx.document.Document:
    return docx.Document()


def append(doc: docx.document.Document, xml: str) -> None:
    """Append a raw block (w:p / w:tbl with namespace declarations) to the body, before sectPr."""
    body = doc.element.body
    body.sectPr.addprevious(parse_xml(xml)) if body.sectPr is not None else body.append(parse_xml(xml))


def save(doc: docx.document.Document, path: Path) -> Path:
    doc.save(str(path))
    return path


def add_hyperlink(doc: docx.document.Document, text: str, url: str) -> None:
    rid = doc.part.relate_to(url, RT.HYPERLINK, is_external=True)
    append(doc, p(f'{t("邮箱：")}<w:hyperlink r:id="{rid}">{t(text)}</w:hyperlink>'))


def add_numbering(doc: docx.document.Document, abstract_id: int, num_id: int, levels: list[tuple[str, str]]) -> None:
    """Register a list: levels = [(numFmt, lvlText)] for ilvl 0, 1, …"""
    numbering = doc.part.numbering_part.element
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        '<w:suff w:val="nothing"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    absn = parse_xml(f'<w:abstractNum {NSDECLS} w:abstractNumId="{abstract_id}">{lvls}</w:abstractNum>')
    first_num = numbering.find(f"{{{NS['w']}}}num")
    if first_num is not None:
        first_num.addprevious(absn)
    else:
        numbering.append(absn)
    num = f'<w:num {NSDECLS} w:numId="{num_id}"><w:abstractNumId w:val="{abstract_id}"/></w:num>'
    numbering.append(parse_xml(num))


def numbered(text: str, num_id: int, ilvl: int = 0) -> str:
    numpr = f'<w:numPr><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'
    return p(f"<w:pPr>{numpr}</w:pPr>{t(text)}")


def red_seal_png() -> bytes:
    from PIL import Image, ImageDraw

    img = Image.new("RGB", (120, 120), "white")
    draw = ImageDraw.Draw(img)
    draw.ellipse((8, 8, 112, 112), outline=(220, 20, 20), width=6)
    draw.regular_polygon((60, 60, 18), 5, fill=(220, 20, 20))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def contact_form(path: Path) -> Path:
    """The notice's 基本信息 table, merged with python-docx.

    主办单位联系人 spans 3 rows beside 姓名/办公电话, 手机/传真 and 电子邮箱."""
    doc = new_doc()
    doc.add_paragraph("一、基本信息", style="Heading 1")
    table = doc.add_table(rows=6, cols=5)
    table.style = "Table Grid"
    name = table.cell(0, 1).merge(table.cell(0, 4))
    table.cell(0, 0).text = "主办单位名称"
    name.text = "海西州科协"
    contact = table.cell(1, 0).merge(table.cell(3, 0))
    contact.text = "主办单位联系人"
    for r, (a, b, c, d) in enumerate(
        [("姓 名", "张明", "办公电话", "0977-8223456"), ("手 机", "13897012345", "传 真", "")], start=1
    ):
        for col, value in enumerate((a, b, c, d), start=1):
            table.cell(r, col).text = value
    email = table.cell(3, 2).merge(table.cell(3, 4))
    table.cell(3, 1).text = "电子邮箱"
    email.text = "hxkx2021@163.com"
    address = table.cell(4, 1).merge(table.cell(4, 4))
    table.cell(4, 0).text = "主办单位邮寄地址"
    address.text = "德令哈市柴达木路1号"
    # row 5 left blank on purpose
    doc.add_paragraph("注：将根据主办单位联系人和邮寄地址等信息，邮寄牌匾。")
    label_value = doc.add_table(rows=1, cols=2)
    label_value.cell(0, 0).text = "主办单位名称：海西州科协"
    cell = label_value.cell(0, 1)
    cell.text = "联系人：李想"
    cell.add_paragraph("电话：6335628")
    doc.add_paragraph("二、工作方案")
    return save(doc, path)


def nested_table(path: Path) -> Path:
    doc = new_doc()
    outer = doc.add_table(rows=2, cols=2)
    outer.cell(0, 0).text = "活动安排"
    host = outer.cell(0, 1)
    host.text = "见下表"
    inner = host.add_table(rows=2, cols=2)
    for (r, c), value in {(0, 0): "时间", (0, 1): "地点", (1, 0): "5月28日", (1, 1): "西宁"}.items():
        inner.cell(r, c).text = value
    host.add_paragraph("（表内完）")
    outer.cell(1, 0).text = "备注"
    return save(doc, path)


def grid_table(path: Path) -> Path:
    """Rows with gridBefore, differing cell counts, vMerge chains, legacy hMerge and a deleted row."""
    doc = new_doc()
    append(doc, p(t("表前")))
    append(
        doc,
        tbl(
            4,
            tr(tc("A", vmerge="continue"), tc("B"), tc("C", span=2)),
            tr(tc("D", span=2), tc("E"), grid_before=1),
            tr(tc("F", span=3)),
            tr(tc("G", vmerge="restart"), tc("H", span=3)),
            tr(tc("G的续格文字", vmerge="continue"), tc("I")),
            tr(tc("删除的行"), tc("x", span=3), deleted_row=True),
            tr(tc(vmerge="continue"), tc("J", hmerge="restart"), tc("J2", hmerge="continue"), tc("K")),
            tr(tc("L"), tc(vmerge="continue", span=2), tc("M")),
        ),
    )
    append(doc, p(t("表后")))
    return save(doc, path)


def checkboxes(path: Path) -> Path:
    doc = new_doc()
    controls = [t("控件：")]
    for label, checked, shown in [
        ("团结引领", "1", "☒"),
        ("建家办事", "0", "☐"),
        ("为民服务", "true", "☒"),
        ("开放合作", "false", "☐"),
        ("表彰发布", None, "☐"),
    ]:
        controls += [t(label), content_checkbox(checked, shown)]
    append(doc, p("".join(controls)))
    fields = [t("域：")]
    cases = [
        ("甲", None, "0"),
        ("乙", "0", "1"),
        ("丙", "1", "0"),
        ("丁", "absent", "1"),
        ("戊", "absent", "0"),
        ("己", "false", "0"),
        ("庚", "true", None),
    ]
    for label, checked, default in cases:
        fields += [t(label), legacy_checkbox(checked, default)]
    append(doc, p("".join(fields)))
    symbols = [
        t("符号："),
        sym("Wingdings", "F0FE"),
        t("科协系统干部"),
        sym("Wingdings", "F0A8"),
        t("科技工作者"),
        sym("Wingdings", "F0FC"),
        sym("Wingdings 2", "F052"),
        sym("Wingdings 2", "F054"),
        sym("Wingdings 2", "F0A3"),
        sym("Symbol", "F0D6"),
        sym("Wingdings", "00FE"),
        sym("Wingdings", "F04A"),
    ]
    append(doc, p("".join(symbols)))
    fonts = [t("字体："), font_run("Wingdings", "\uf0fe"), font_run("Wingdings 2", "R"), font_run("Wingdings", "þ")]
    append(doc, p("".join(fonts)))
    append(doc, p(t("手打：海外同行（√）✓☑□■☒")))
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "面向群体"
    cell = table.cell(0, 1)._tc
    cell.remove(cell.p_lst[0])
    boxes = t("科技工作者") + content_checkbox("1", "☒") + t(" 海外同行") + legacy_checkbox("0")
    cell.append(parse_xml(p(boxes)))
    return save(doc, path)


def rich_paragraphs(path: Path) -> Path:
    """Hyperlink, smart tag, content controls, field result, tracked changes, text box, picture, lists."""
    doc = new_doc()
    add_hyperlink(doc, "hxkx2021@163.com", "mailto:hxkx2021@163.com")
    smart_tag = '<w:smartTag w:uri="urn:schemas-microsoft-com:office:smarttags" w:element="PersonName">'
    append(doc, p(t("联系人：") + smart_tag + t("张明") + "</w:smartTag>"))
    control = '<w:sdt><w:sdtPr><w:id w:val="5"/><w:text/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>'
    append(doc, p(t("单位：") + control.format(t("海西州科协"))))
    prompt = "<w:sdt><w:sdtPr><w:showingPlcHdr/><w:text/></w:sdtPr><w:sdtContent>{}</w:sdtContent></w:sdt>"
    append(doc, p(t("地点：") + prompt.format(t("单击或点击此处输入文字。"))))
    append(doc, p(t("姓名：") + text_field("李想")))
    append(doc, p(t("活动时间：") + deleted("5月20日") + ins(t("5月28日")) + t("，地点西宁")))
    append(doc, p(t("承办单位：") + text_box("签字：张三", "日期：2021年5月8日")))
    append(doc, p(t("落款")))
    append(doc, p(t("可见") + "<w:r><w:rPr><w:vanish/></w:rPr><w:t>隐藏</w:t></w:r>" + t("文字")))
    doc.add_picture(io.BytesIO(red_seal_png()))
    add_numbering(doc, 90, 90, [("chineseCounting", "%1、"), ("decimal", "（%2）")])
    append(doc, numbered("活动一", 90))
    append(doc, numbered("细节", 90, ilvl=1))
    append(doc, numbered("细节二", 90, ilvl=1))
    append(doc, numbered("活动二", 90))
    append(doc, numbered("细节", 90, ilvl=1))
    doc.add_paragraph("标题段", style="Heading 2")
    return save(doc, path)


def text_box_in_cell(path: Path) -> Path:
    """A signature text box anchored inside a table cell, a box holding another box, and block-level
    content controls (one still showing its placeholder)."""
    doc = new_doc()
    table = doc.add_table(rows=1, cols=2)
    table.cell(0, 0).text = "负责人签字"
    cell = table.cell(0, 1)._tc
    cell.remove(cell.p_lst[0])
    cell.append(parse_xml(p(t("（签字）") + text_box("王五"))))
    inner = text_box("内框")
    append(doc, p(t("外框锚点") + text_box("外框", body=f"<w:p>{t('外框第二段')}{inner}</w:p>")))
    append(
        doc,
        f"<w:sdt {NSDECLS}><w:sdtPr><w:showingPlcHdr/></w:sdtPr><w:sdtContent>"
        f"<w:p>{t('单击或点击此处输入文字。')}</w:p></w:sdtContent></w:sdt>",
    )
    append(
        doc,
        f'<w:sdt {NSDECLS}><w:sdtPr><w:alias w:val="说明"/></w:sdtPr><w:sdtContent>'
        f"<w:p>{t('控件里的段落')}</w:p></w:sdtContent></w:sdt>",
    )
    return save(doc, path)


def big_table(path: Path, rows: int = 10_000) -> Path:
    doc = new_doc()
    doc.add_table(rows=1, cols=4)
    save(doc, path)
    row = (
        "<w:tr><w:tc><w:p><w:r><w:t>{i}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>姓名{i}</w:t></w:r></w:p>"
        "</w:tc><w:tc><w:p><w:r><w:t>139{i:08d}</w:t></w:r></w:p></w:tc><w:tc><w:p/></w:tc></w:tr>"
    )
    xml = _member(path, "word/document.xml").decode()
    xml = xml.replace("</w:tbl>", "".join(row.format(i=i) for i in range(rows - 1)) + "</w:tbl>", 1)
    return replace_member(path, "word/document.xml", xml.encode())


def typical_form(path: Path) -> Path:
    """About three pages: the 基本信息 table plus three 一项一表 activity tables with prose."""
    contact_form(path)
    doc = docx.Document(str(path))
    prose = "围绕科技工作者日主题，组织开展座谈交流、走访慰问、科普讲座等活动，" * 6
    for n in range(1, 4):
        doc.add_paragraph(f"活动{n}：科技工作者日系列活动")
        table = doc.add_table(rows=7, cols=2)
        labels = ["活动名称", "活动时间", "活动地点", "参加人员", "主要安排", "预期成效", "备注"]
        for r, label in enumerate(labels):
            table.cell(r, 0).text = label
            table.cell(r, 1).text = prose if label in ("主要安排", "预期成效") else f"{label}内容{n}"
    doc.add_paragraph("单位盖章：")
    doc.add_paragraph("2021年5月8日")
    return save(doc, path)


# --------------------------------------------------------------------------- broken and hostile files


def _member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def replace_member(path: Path, name: str, data: bytes, extra: dict[str, bytes] | None = None) -> Path:
    """Rewrite the package with one member replaced (and optional members added)."""
    with zipfile.ZipFile(path) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    members[name] = data
    members.update(extra or {})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for n, content in members.items():
            zf.writestr(n, content)
    return path


def simple_docx(path: Path, text: str = "正文") -> Path:
    doc = new_doc()
    doc.add_paragraph(text)
    return save(doc, path)


def with_doctype(path: Path, member: str = "word/document.xml", kind: str = "xxe", pad: int = 0) -> Path:
    """A DOCTYPE with an external (XXE) or exponential (billion laughs) entity; pad puts a comment of that
    many bytes in front of it."""
    simple_docx(path)
    xml = _member(path, member).decode()
    head, _, rest = xml.partition("?>")
    head += "?>" + (f"<!--{'x' * pad}-->" if pad else "")
    root_tag = rest.lstrip().split()[0][1:]
    if kind == "xxe":
        dtd = f'<!DOCTYPE {root_tag} [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        rest = rest.replace("正文", "&x;")
    else:  # billion laughs
        ents = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
        dtd = f"<!DOCTYPE {root_tag} [{ents}]>"
        rest = rest.replace("正文", "&l9;")
    return replace_member(path, member, (head + dtd + rest).encode())


def zip_bomb(path: Path, megabytes: int = 20) -> Path:
    simple_docx(path)
    return replace_member(
        path,
        "word/document.xml",
        _member(path, "word/document.xml"),
        extra={"word/media/filler.bin": b"\0" * (megabytes * 1024 * 1024)},
    )


def lying_sizes(path: Path) -> Path:
    """The central directory claims word/document.xml is 100 bytes; it inflates to far more."""
    simple_docx(path, "长文本" * 2000)
    data = bytearray(path.read_bytes())
    pos = 0
    while (pos := data.find(b"PK\x01\x02", pos)) != -1:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + name_len] == b"word/document.xml":
            struct.pack_into("<I", data, pos + 24, 100)
        pos += 46
    path.write_bytes(bytes(data))
    return path


def not_a_zip(path: Path) -> Path:
    path.write_bytes("这不是Word文件".encode() * 50)
    return path


def truncated(path: Path) -> Path:
    simple_docx(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def zip_without_document(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        zf.writestr("xl/workbook.xml", "<workbook/>")
    return path


def broken_xml(path: Path) -> Path:
    simple_docx(path)
    return replace_member(path, "word/document.xml", b'<?xml version="1.0"?><w:document><w:body><w:p>')


def strict_ooxml(path: Path) -> Path:
    """The same document saved as "Strict Open XML" (other namespace URIs)."""
    simple_docx(path, "严格格式正文")
    xml = _member(path, "word/document.xml").replace(
        NS["w"].encode(), b"http://purl.oclc.org/ooxml/wordprocessingml/main"
    )
    return replace_member(path, "word/document.xml", xml)


def ole_file(path: Path, streams: dict[str, bytes]) -> Path:
    """A minimal but well-formed OLE compound file (CFB v3) holding the given streams (each ≥ 4096 bytes).

    A password-protected .docx is exactly such a file with EncryptionInfo and EncryptedPackage streams.
    """
    sector = 512
    end, free, fat_sect = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    names = list(streams)
    data_sectors: list[bytes] = []
    starts: list[int] = []
    fat = [fat_sect, end]  # sector 0 = FAT, sector 1 = directory
    for name in names:
        blob = streams[name].ljust(max(4096, len(streams[name])), b"\0")
        blob += b"\0" * (-len(blob) % sector)
        count = len(blob) // sector
        first = 2 + len(data_sectors)
        starts.append(first)
        fat.extend(list(range(first + 1, first + count)) + [end])
        data_sectors.extend(blob[i * sector : (i + 1) * sector] for i in range(count))
    fat += [free] * (sector // 4 - len(fat))

    def entry(name: str, kind: int, left: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return (
            encoded.ljust(64, b"\0")
            + struct.pack("<HBBIII", len(encoded), kind, 1, left, right, child)
            + b"\0" * 16  # CLSID
            + struct.pack("<I", 0)  # state bits
            + b"\0" * 16  # creation and modification times
            + struct.pack("<II", start, size)
            + b"\0" * 4
        )

    nostream = 0xFFFFFFFF
    directory = entry("Root Entry", 5, nostream, nostream, 1 if names else nostream, end, 0)
    for i, name in enumerate(names):
        right = i + 2 if i + 1 < len(names) else nostream
        directory += entry(name, 2, nostream, right, nostream, starts[i], len(streams[name]))
    directory = directory.ljust(sector * ((len(directory) + sector - 1) // sector), b"\0")
    assert len(directory) == sector, "fixture supports up to 3 streams"
    header = (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
        + b"\0" * 16
        + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
        + b"\0" * 6
        + struct.pack("<IIIIIIIII", 0, 1, 1, 0, 4096, end, 0, end, 0)
        + struct.pack("<I", 0)
        + struct.pack("<I", free) * 108
    )
    path.write_bytes(header + struct.pack(f"<{len(fat)}I", *fat) + directory + b"".join(data_sectors))
    return path


def encrypted_docx(path: Path) -> Path:
    return ole_file(path, {"EncryptionInfo": b"\x04\x00\x04\x00" + b"\x01" * 5000, "EncryptedPackage": b"\x9a" * 6000})


def legacy_doc(path: Path) -> Path:
    return ole_file(path, {"WordDocument": b"\xec\xa5" + b"\0" * 5000})
