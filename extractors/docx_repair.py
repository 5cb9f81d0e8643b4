"""Repair, in memory, a Word package python-docx refuses but Word opens (Word repairs it silently).

python-docx follows every relationship and raises on the first one it cannot satisfy. Real files carry:
- relationships to parts that are not there: ``Target="NULL"`` (add-ins, WPS), ``"#_top"`` (a bookmark
  written as a part reference), headers a generator related but never wrote;
- %-escaped targets (``media/image%201.png`` for the member ``media/image 1.png``);
- parts whose extension ``[Content_Types].xml`` does not list, or no ``[Content_Types].xml`` at all;
- no root relationship to ``word/document.xml``.

The copy drops the first, unescapes the second, gives every member a content type and adds the missing root
relationship; everything else is copied byte for byte (stored, not recompressed). The original file is never
written to. Only files python-docx could not open pay for this.
"""

from __future__ import annotations

import io
import mimetypes
import posixpath
import zipfile
import zlib
from dataclasses import dataclass
from urllib.parse import unquote

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from lxml import etree

from .docx_safety import CONTENT_TYPES, parse_part, read_member
from .docx_xml import CT, PR
from .errors import WordCorruptXml

ROOT_RELS = "_rels/.rels"
MAIN = "word/document.xml"
_EMPTY_RELS = f'<Relationships xmlns="{PR[1:-1]}"/>'.encode()
_KNOWN_TYPES = {
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
    "xml": "application/xml",
    "emf": "image/x-emf",
    "wmf": "image/x-wmf",
}


@dataclass
class Repaired:
    stream: io.BytesIO  # the repaired package, for python-docx
    dropped: list[str]  # members left out because the zip could not give them back intact


def repaired(zf: zipfile.ZipFile, cap: int) -> Repaired:
    """An in-memory copy of the package that python-docx can open."""
    contents: dict[str, bytes] = {}
    dropped: list[str] = []
    for info in zf.infolist():
        if info.is_dir():
            continue
        try:
            contents[info.filename] = read_member(zf, info.filename, cap)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):  # damaged, or a method Python lacks
            dropped.append(info.filename)  # as if missing
    present = set(contents)
    root_rels, main = _fixed_rels(ROOT_RELS, contents.get(ROOT_RELS, _EMPTY_RELS), present)
    main_rels = _rels_name(main) if main else None
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as copy:
        for name, data in contents.items():
            if name == ROOT_RELS or name == CONTENT_TYPES:
                continue
            if name.endswith(".rels"):
                try:
                    data = _fixed_rels(name, data, present)[0]
                except WordCorruptXml:
                    if name == main_rels:
                        raise  # hostile, or the text's own relationships (its pictures, styles, numbering)
                    data = _EMPTY_RELS  # another part's damaged relationships: it keeps none, the file opens
                    dropped.append(name)
            copy.writestr(name, data)
        copy.writestr(ROOT_RELS, root_rels)
        copy.writestr(CONTENT_TYPES, _types_xml(*_content_types(contents.get(CONTENT_TYPES), present)))
    return Repaired(out, dropped)


def _fixed_rels(name: str, data: bytes, present: set[str]) -> tuple[bytes, str | None]:
    """The relationships that reach a member, and the main document they name (root relationships)."""
    root = parse_part(name, data)
    base = _base_uri(name)
    main = None
    for rel in list(root.iter(PR + "Relationship")):
        if rel.get("TargetMode") == "External":
            continue
        target = rel.get("Target") or ""
        if target and _member(base, target) in present:
            pass
        elif target and _member(base, unquote(target)) in present:
            rel.set("Target", unquote(target))
        else:
            rel.getparent().remove(rel)  # Word ignores a relationship to nothing
            continue
        if main is None and (rel.get("Type") or "").endswith("/officeDocument"):
            main = _member(base, rel.get("Target") or "")
    if name == ROOT_RELS and main is None and MAIN in present:
        etree.SubElement(root, PR + "Relationship", Id="rIdIntakeMain", Type=RT.OFFICE_DOCUMENT, Target=MAIN)
        main = MAIN
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True), main


def _rels_name(member: str) -> str:
    """'word/document.xml' -> 'word/_rels/document.xml.rels'."""
    folder, name = posixpath.split(member)
    return posixpath.join(folder, "_rels", name + ".rels")


def _base_uri(rels_name: str) -> str:
    """'word/_rels/document.xml.rels' -> '/word' (where the source part's targets are resolved from)."""
    folder = posixpath.dirname(posixpath.dirname(rels_name))
    return "/" + folder


def _member(base: str, target: str) -> str:
    return PackURI.from_rel_ref(base, target).membername  # as python-docx resolves it


def _content_types(data: bytes | None, present: set[str]) -> tuple[dict[str, str], dict[str, str]]:
    """(extension -> type, part name -> type) as declared, completed for every member; a damaged
    declaration counts as none."""
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    if data is not None:
        try:
            types = parse_part(CONTENT_TYPES, data)
        except WordCorruptXml:
            pass
        else:
            for el in types.iter(CT + "Default"):
                if el.get("Extension") and el.get("ContentType"):
                    defaults[el.get("Extension").lower()] = el.get("ContentType")
            for el in types.iter(CT + "Override"):
                if el.get("PartName") and el.get("ContentType"):
                    overrides[el.get("PartName").lower()] = el.get("ContentType")
    for name in present:
        if "/" + name.lower() in overrides:
            continue
        ext = posixpath.splitext(name)[1][1:].lower()
        if not ext:
            overrides["/" + name.lower()] = "application/octet-stream"
        elif ext not in defaults:
            guessed = _KNOWN_TYPES.get(ext) or mimetypes.guess_type("x." + ext)[0]
            defaults[ext] = guessed or "application/octet-stream"
    return defaults, overrides


def _types_xml(defaults: dict[str, str], overrides: dict[str, str]) -> bytes:
    root = etree.Element(CT + "Types", nsmap={None: CT[1:-1]})
    for ext, content_type in sorted(defaults.items()):
        etree.SubElement(root, CT + "Default", Extension=ext, ContentType=content_type)
    for part, content_type in sorted(overrides.items()):
        etree.SubElement(root, CT + "Override", PartName=part, ContentType=content_type)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
