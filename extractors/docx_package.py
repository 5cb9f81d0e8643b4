"""The Word package (.docx zip), opened with python-docx's OPC layer after docx_safety's checks.

In this order:
1. An OLE compound file is a password-protected .docx or a legacy .doc: ``ole_error`` says which.
2. The zip's central directory is checked (size, ratio, members, encryption) and the members python-docx
   parses on opening are searched for a DOCTYPE — before python-docx touches the zip (docx_safety).
3. python-docx opens the package (``PackageReader`` + ``Unmarshaller`` into an ``OpcPackage``)
   with ``ReadPartFactory``: the main document becomes python-docx's ``DocumentPart``, its XML parsed by
   ``parse_part`` (python-docx's parser, after the checks); pictures become python-docx ``ImagePart`` objects;
   every other part stays unparsed bytes until this reader asks for it (styles, numbering, app.xml, a
   header or footer that holds a picture). ``docx.Document()`` parses every XML part, which costs more
   than reading the body.
4. A package python-docx cannot open because of damage Word repairs silently (a relationship to a
   missing part, a %-escaped target, a part without a content type, no root relationship) is repaired
   in memory (docx_repair) and opened again.

Relationship types are matched on their last segment (``…/styles``), so Strict Open XML packages, whose
relationship URIs differ, are read the same way.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from docx.opc.package import OpcPackage, Unmarshaller
from docx.opc.part import Part, PartFactory, XmlPart
from docx.opc.pkgreader import PackageReader
from docx.parts.document import DocumentPart
from docx.parts.image import ImagePart

from .docx_repair import repaired
from .docx_safety import (
    OLE_MAGIC,
    check_sizes,
    ole_error,
    parse_part,
    refuse_package_doctypes,
)
from .docx_xml import EP, W_BODY, A, R, V
from .errors import UnreadableFile, WordBroken, WordCorruptXml
from .model import EmbeddedPicture, PictureLocation

NOTE_STYLES = "文档的{part}已损坏，段落样式或自动编号可能缺失，请人工核对。"
NOTE_DAMAGED = "文档中的{parts}已损坏，已跳过（Word打开时也会修复），请人工核对内容是否完整。"
NOTE_HEADER = "文档的{part}（页眉/页脚）已损坏，其中的图片（如电子印章）未检查，请人工核对。"

_NOT_PYTHON_DOCX = (UnreadableFile, OSError)  # our refusals and I/O errors: no repair helps


# --------------------------------------------------------------------------- python-docx's part factory


class _DocumentPart(DocumentPart):
    """python-docx's main document part, its XML parsed only after this module's checks."""

    @classmethod
    def load(cls, partname, content_type, blob, package):
        return cls(partname, content_type, parse_part(partname.membername, blob), package)


class ReadPartFactory(PartFactory):
    """python-docx's part factory without its eager parsing: the main document is parsed (checked),
    pictures are python-docx image parts, everything else stays bytes until read."""

    part_type_for: dict[str, type[Part]] = {}  # not python-docx's shared map: nothing else is parsed
    default_part_type = Part

    @staticmethod
    def part_class_selector(content_type: str, reltype: str) -> type[Part] | None:
        kind = reltype.rsplit("/", 1)[-1]  # Strict files use other relationship URIs, same last segment
        if kind == "officeDocument":
            return _DocumentPart
        if kind == "image":
            return ImagePart
        return None


def _load(stream: IO[bytes]) -> OpcPackage:
    stream.seek(0)
    package = OpcPackage()  # not docx.package.Package: it walks every relationship again to list images
    Unmarshaller.unmarshal(PackageReader.from_file(stream), package, ReadPartFactory)
    return package


# --------------------------------------------------------------------------- the package


def related(source: OpcPackage | Part, kind: str) -> list[Part]:
    """Parts `source` relates to with a relationship type ending in /`kind` (transitional or Strict)."""
    return [rel.target_part for rel in source.rels.values() if not rel.is_external and rel.reltype.endswith("/" + kind)]


@dataclass
class WordPackage:
    package: OpcPackage  # python-docx's
    main: Part  # the main document part (python-docx's DocumentPart)
    notes: list[str] = field(default_factory=list)  # damaged optional parts, for staff

    @property
    def body(self):  # -> lxml element or None
        element = self.main.element if isinstance(self.main, XmlPart) else parse_part(self.main_name, self.main.blob)
        return element.find(W_BODY)

    @property
    def main_name(self) -> str:
        return self.main.partname.membername

    def optional_xml(self, part: Part | None, note: str, slim: Callable[[bytes], bytes] | None = None):
        """A part the text does not depend on (styles, numbering, a header): a damaged one is skipped with
        a note, as Word's repair would; a hostile one (DOCTYPE) still refuses the file."""
        if part is None:
            return None
        try:
            return parse_part(part.partname.membername, part.blob, slim)
        except WordCorruptXml:
            self.notes.append(note.format(part=part.partname.membername))
            return None

    def main_related(self, kind: str) -> Part | None:
        parts = related(self.main, kind)
        return parts[0] if parts else None

    def page_count(self) -> int:
        # Word writes the page count it last laid out into docProps/app.xml.
        app = related(self.package, "extended-properties")
        if not app:
            return 1
        try:
            pages = parse_part(app[0].partname.membername, app[0].blob).findtext(EP + "Pages")
        except WordCorruptXml:
            return 1
        try:
            n = int(pages or "")
        except ValueError:
            return 1
        return n if 0 < n < 100_000 else 1


class Pictures:
    """The pictures the document shows, each part once, in reading order (body, then headers/footers)."""

    def __init__(self) -> None:
        self.found: list[EmbeddedPicture] = []
        self._seen: set[str] = set()

    def add(self, rels, rid: str | None, location: PictureLocation) -> None:
        rel = rels.get(rid or "")  # python-docx Relationships: rId -> relationship
        if rel is None or rel.is_external:
            return
        part = rel.target_part
        name = part.partname.membername
        if name in self._seen:
            return
        self._seen.add(name)
        self.found.append(EmbeddedPicture(part=name, content_type=part.content_type, data=part.blob, location=location))


# --------------------------------------------------------------------------- opening


def open_package(path: Path, max_uncompressed: int, max_ratio: float) -> WordPackage:
    """Check the zip, then open it with python-docx (repairing what Word repairs); UnreadableFile if neither."""
    with open(path, "rb") as fh:
        if fh.read(8) == OLE_MAGIC:
            raise ole_error(fh)
        fh.seek(0)
        try:
            zf = zipfile.ZipFile(fh)
        except zipfile.BadZipFile as exc:
            raise WordBroken(f"not a zip: {exc}") from exc
        with zf:
            check_sizes(zf, max_uncompressed, max_ratio)
            refuse_package_doctypes(zf, max_uncompressed)
            try:
                package, problem = _load(fh), ""
            except _NOT_PYTHON_DOCX:
                raise
            except Exception as exc:  # python-docx's KeyError / AttributeError / CRC error on a damaged package
                package, problem = None, f"{type(exc).__name__}: {exc}"
            main, notes = _main_part(package), []
            if main is None:
                fixed = repaired(zf, max_uncompressed)
                try:
                    package = _load(fixed.stream)
                except _NOT_PYTHON_DOCX:
                    raise
                except Exception as exc:
                    raise WordBroken(f"{problem}; after repair {type(exc).__name__}: {exc}") from exc
                main = _main_part(package)
                if fixed.dropped:
                    notes.append(NOTE_DAMAGED.format(parts="、".join(fixed.dropped)))
            if main is None:
                raise WordBroken(f"zip has no main document part (word/document.xml) {problem}")
    return WordPackage(package, main, notes)


def _main_part(package: OpcPackage | None) -> Part | None:
    if package is None:
        return None
    parts = related(package, "officeDocument")
    return parts[0] if parts else None


def header_footer_pictures(pkg: WordPackage, pictures: Pictures) -> None:
    """Pictures in headers and footers: an electronic seal can sit in one. Their text is not read (see
    extractors/docx.py); a header or footer without an image relationship is not even parsed."""
    for kind in ("header", "footer"):
        for part in related(pkg.main, kind):
            if not related(part, "image"):
                continue
            root = pkg.optional_xml(part, NOTE_HEADER)
            if root is None:
                continue
            for el in root.iter(A + "blip", V + "imagedata"):
                pictures.add(part.rels, el.get(R + "embed") if el.tag == A + "blip" else el.get(R + "id"), kind)
