"""The Word package layer: python-docx opens the package after our safety checks, pictures (body, header,
footer) reach seal detection, and damage Word repairs silently does not refuse a file."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx as python_docx
import numpy as np
import pytest
from docx.opc.pkgreader import PackageReader
from docx.oxml.parser import parse_xml
from docx.shared import Cm
from lxml import etree
from PIL import Image

from extractors import docx as word
from extractors import extract_document, legacy
from extractors.errors import UnreadableFile, UnsafeXml, WordCorruptXml, ZipBomb
from extractors.model import Paragraph
from extractors.options import ExtractOptions
from tests import fixtures_docx as fx

RELS = "word/_rels/document.xml.rels"


def texts(doc) -> list[str]:
    return [b.text for b in doc.blocks if isinstance(b, Paragraph)]


def photo_png() -> bytes:
    """A colourful picture with no seal in it."""
    rng = np.random.default_rng(1)
    buf = io.BytesIO()
    Image.fromarray(rng.integers(0, 255, (200, 260, 3), dtype=np.uint8)).save(buf, "PNG")
    return buf.getvalue()


def word_file(path: Path, body: bytes | None = None, header: bytes | None = None, footer: bytes | None = None) -> Path:
    """A form with optional pictures in the body, the first section's header and its footer."""
    d = python_docx.Document()
    section = d.sections[0]
    section.header.paragraphs[0].text = "青海省科学技术协会"
    if header is not None:
        section.header.add_paragraph().add_run().add_picture(io.BytesIO(header), width=Cm(3))
    if footer is not None:
        section.footer.add_paragraph().add_run().add_picture(io.BytesIO(footer), width=Cm(3))
    d.add_paragraph("单位盖章：")
    if body is not None:
        d.add_picture(io.BytesIO(body), width=Cm(3))
    d.add_paragraph("报送时间：2021年5月8日")
    d.save(path)
    return path


def rewrite(path: Path, edit) -> Path:
    """Rewrite the zip's members through edit(dict name -> bytes) -> dict."""
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    members = edit(members)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def with_dtd(xml: bytes) -> bytes:
    head, _, rest = xml.decode().partition("?>")
    root = rest.lstrip().split()[0][1:]
    return f'{head}?><!DOCTYPE {root} [<!ENTITY x SYSTEM "file:///etc/passwd">]>{rest}'.encode()


def header_name(path: Path) -> str:
    with zipfile.ZipFile(path) as zf:
        return next(n for n in zf.namelist() if re.fullmatch(r"word/header\d+\.xml", n))


# --------------------------------------------------------------------------- pictures and seals


@pytest.mark.parametrize("where", ["header", "footer"])
def test_seal_picture_in_a_header_or_footer_counts(tmp_path, where):
    path = word_file(tmp_path / "sealed.docx", **{where: fx.red_seal_png()})
    doc = extract_document(path)
    assert len(doc.seals) == 1
    assert [(p.location, p.content_type) for p in doc.pictures] == [(where, "image/png")]
    assert doc.pictures[0].part.startswith("word/media/") and doc.pictures[0].data == fx.red_seal_png()
    assert texts(doc) == ["单位盖章：", "报送时间：2021年5月8日"]  # the header's text stays out of the form


def test_ordinary_picture_in_a_header_is_no_seal(tmp_path):
    doc = extract_document(word_file(tmp_path / "logo.docx", header=photo_png()))
    assert doc.seals == [] and [p.location for p in doc.pictures] == ["header"]


def test_one_picture_in_body_and_header_is_checked_once(tmp_path):
    # python-docx stores the same image once and relates it from both parts
    doc = extract_document(word_file(tmp_path / "twice.docx", body=fx.red_seal_png(), header=fx.red_seal_png()))
    assert [p.location for p in doc.pictures] == ["body"]
    assert len(doc.seals) == 1


def test_body_and_header_pictures_in_reading_order(tmp_path):
    doc = word.extract(word_file(tmp_path / "both.docx", body=photo_png(), header=fx.red_seal_png()))
    assert [p.location for p in doc.pictures] == ["body", "header"]
    assert doc.seals == []  # the Word reader lists pictures; extract_document decides what is a seal


def test_damaged_header_is_skipped_only_when_it_holds_a_picture(tmp_path):
    plain = word_file(tmp_path / "plain.docx")
    fx.replace_member(plain, header_name(plain), b"<w:hdr><w:p")
    doc = word.extract(plain)
    assert texts(doc) == ["单位盖章：", "报送时间：2021年5月8日"] and doc.notes == []  # never parsed

    pictured = word_file(tmp_path / "pictured.docx", header=fx.red_seal_png())
    fx.replace_member(pictured, header_name(pictured), b"<w:hdr><w:p")
    doc = word.extract(pictured)
    assert texts(doc) == ["单位盖章：", "报送时间：2021年5月8日"] and doc.pictures == []
    assert len(doc.notes) == 1 and "header" in doc.notes[0] and "请人工核对" in doc.notes[0]


# --------------------------------------------------------------------------- XML safety with python-docx


def test_python_docx_parser_reads_no_entity(tmp_path):
    """What we rely on in python-docx's parser: no external entity is read, no entity is expanded."""
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = f'<!DOCTYPE r [<!ENTITY x SYSTEM "{secret.as_uri()}">]><r>&x;</r>'
    assert "TOP-SECRET" not in "".join(parse_xml(xxe.encode()).itertext())
    laughs = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    try:
        root = parse_xml(f"<!DOCTYPE r [{laughs}]><r>&l9;</r>".encode())
    except etree.XMLSyntaxError as exc:  # recent libxml2 refuses the amplification outright
        assert "amplification" in str(exc)
    else:
        assert "lol" not in "".join(root.itertext())


@pytest.mark.parametrize("member", ["[Content_Types].xml", RELS, "_rels/.rels"])
def test_doctype_in_what_python_docx_parses_on_opening_is_refused(tmp_path, member):
    path = rewrite(fx.simple_docx(tmp_path / "bad.docx"), lambda m: {**m, member: with_dtd(m[member])})
    with pytest.raises(UnreadableFile) as info:
        word.extract(path)
    assert type(info.value) is UnsafeXml and member in info.value.detail


def test_doctype_in_a_header_with_a_picture_is_refused(tmp_path):
    path = word_file(tmp_path / "bad.docx", header=fx.red_seal_png())
    name = header_name(path)
    rewrite(path, lambda m: {**m, name: with_dtd(m[name])})
    with pytest.raises(UnreadableFile) as info:
        word.extract(path)
    assert type(info.value) is UnsafeXml and "root:" not in info.value.detail


# --------------------------------------------------------------------------- zip bomb before python-docx


def python_docx_opens(monkeypatch) -> list[str]:
    """The files python-docx's package reader is asked to open from now on (the real reader still runs)."""
    opened: list[str] = []
    real = PackageReader.from_file

    def recording(pkg_file):
        opened.append(Path(getattr(pkg_file, "name", pkg_file)).name)
        return real(pkg_file)

    monkeypatch.setattr(PackageReader, "from_file", staticmethod(recording))
    return opened


def test_zip_bomb_is_refused_before_python_docx_touches_the_zip(tmp_path, monkeypatch):
    bomb, small = fx.zip_bomb(tmp_path / "bomb.docx"), fx.simple_docx(tmp_path / "small.docx")
    opened = python_docx_opens(monkeypatch)
    with pytest.raises(UnreadableFile) as info:
        word.extract(bomb)
    assert type(info.value) is ZipBomb and opened == []
    with pytest.raises(UnreadableFile) as info:
        word.extract(small, ExtractOptions(max_uncompressed_bytes=10_000))
    assert type(info.value) is ZipBomb and opened == []
    assert texts(word.extract(small)) == ["正文"] and opened == ["small.docx"]


def test_doctype_is_refused_before_python_docx_touches_the_zip(tmp_path, monkeypatch):
    path = rewrite(fx.simple_docx(tmp_path / "bad.docx"), lambda m: {**m, RELS: with_dtd(m[RELS])})
    opened = python_docx_opens(monkeypatch)
    with pytest.raises(UnreadableFile):
        word.extract(path)
    assert opened == []


# --------------------------------------------------------------------------- damage Word repairs


def _dangling(m: dict[str, bytes]) -> dict[str, bytes]:
    extra = (
        '<Relationship Id="rId90" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"'
        ' Target="NULL"/><Relationship Id="rId91" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="#_top"/><Relationship Id="rId92" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/header" Target="header9.xml"/>'
    )
    return {**m, RELS: m[RELS].replace(b"</Relationships>", extra.encode() + b"</Relationships>")}


def _escaped(m: dict[str, bytes]) -> dict[str, bytes]:
    media = next(n for n in m if n.startswith("word/media/"))
    spaced = media.replace("image", "image ")
    m[spaced] = m.pop(media)
    target, escaped = media.split("/", 1)[1], spaced.split("/", 1)[1].replace(" ", "%20")
    return {**m, RELS: m[RELS].replace(target.encode(), escaped.encode())}


def _no_png_type(m: dict[str, bytes]) -> dict[str, bytes]:
    return {**m, "[Content_Types].xml": re.sub(rb'<Default Extension="png"[^>]*/>', b"", m["[Content_Types].xml"])}


def _without(name: str):
    return lambda m: {k: v for k, v in m.items() if k != name}


@pytest.mark.parametrize(
    "damage",
    [_dangling, _escaped, _no_png_type, _without("[Content_Types].xml"), _without("_rels/.rels")],
    ids=["relationships-to-nothing", "escaped-target", "no-content-type", "no-content-types", "no-root-rels"],
)
def test_damage_word_repairs_still_reads_text_and_picture(tmp_path, damage):
    path = rewrite(word_file(tmp_path / "damaged.docx", body=fx.red_seal_png()), damage)
    before = path.read_bytes()
    with pytest.raises(Exception):  # noqa: B017 - python-docx alone refuses it (any of its errors)
        python_docx.Document(str(path))
    doc = extract_document(path)
    assert texts(doc) == ["单位盖章：", "", "报送时间：2021年5月8日"]
    assert len(doc.pictures) == 1 and doc.pictures[0].data == fx.red_seal_png() and len(doc.seals) == 1
    assert path.read_bytes() == before  # the submission is never modified


def test_damaged_member_the_text_does_not_need_is_left_out_with_a_note(tmp_path):
    path = fx.simple_docx(tmp_path / "crc.docx")
    custom = '<Relationship Id="rId80" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    custom += 'customXml" Target="../customXml/item9.xml"/>'
    rewrite(path, lambda m: {**m, RELS: m[RELS].replace(b"</Relationships>", custom.encode() + b"</Relationships>")})
    with zipfile.ZipFile(path, "a", zipfile.ZIP_STORED) as zf:
        zf.writestr("customXml/item9.xml", b"<item>" + b"x" * 200 + b"</item>")
    data = bytearray(path.read_bytes())
    data[data.index(b"<item>xxxx") + 10] ^= 0x01  # one bit flipped: the member's CRC no longer matches
    path.write_bytes(bytes(data))
    doc = word.extract(path)
    assert texts(doc) == ["正文"]
    assert len(doc.notes) == 1 and "customXml/item9.xml" in doc.notes[0]


def test_damaged_relationships_of_the_document_still_refuse(tmp_path):
    path = rewrite(fx.simple_docx(tmp_path / "rels.docx"), lambda m: {**m, RELS: b"<Relationships"})
    with pytest.raises(UnreadableFile) as info:
        word.extract(path)
    assert type(info.value) is WordCorruptXml


def test_strict_relationship_types_are_read(tmp_path):
    transitional = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    strict = b"http://purl.oclc.org/ooxml/officeDocument/relationships"

    def to_strict(m: dict[str, bytes]) -> dict[str, bytes]:
        return {k: v.replace(transitional, strict) if k.endswith((".rels", ".xml")) else v for k, v in m.items()}

    doc = extract_document(rewrite(word_file(tmp_path / "strict.docx", body=fx.red_seal_png()), to_strict))
    assert texts(doc) == ["单位盖章：", "", "报送时间：2021年5月8日"] and len(doc.seals) == 1


# --------------------------------------------------------------------------- legacy Word


@pytest.mark.skipif(not legacy.is_available(), reason="LibreOffice (soffice) is not installed")
def test_seal_picture_in_a_legacy_doc_counts(tmp_path):
    source = word_file(tmp_path / "sealed.docx", body=fx.red_seal_png())
    doc_file = legacy.soffice_convert(source, "doc:MS Word 97", tmp_path / "doc")
    doc = extract_document(doc_file)
    assert doc.source == doc_file and "报送时间：2021年5月8日" in doc.all_text()
    assert len(doc.pictures) == 1 and len(doc.seals) == 1
