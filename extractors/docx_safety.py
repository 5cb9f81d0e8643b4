"""Safety checks on a Word package, made before python-docx reads it, and the one way its XML is parsed.

- The zip's central directory: total uncompressed size, per-member compression ratio, member count,
  encrypted members (``check_sizes``). python-docx reads every part it can reach, whole; Python's zip
  reader never inflates a member past its declared size, so the declared sizes bound what it can read.
- An OLE compound file is a password-protected .docx or a legacy .doc (``ole_error`` says which).
- XML: ``parse_part`` parses with python-docx's parser (``docx.oxml.parser``). That parser is built with
  ``resolve_entities=False`` — no external entity is read and none is expanded (no XXE, no billion
  laughs) — and lxml's defaults load no DTD, touch no network and cap tree depth and text size
  (``huge_tree`` off). It does not refuse a DOCTYPE (entity references stay in the tree, unexpanded);
  ``parse_part`` does, before and after parsing, since no Word program writes one. The members
  python-docx parses itself on opening (content types, relationships) are searched for a DOCTYPE
  before it opens the zip (``refuse_package_doctypes``).
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Callable
from typing import IO

from docx.oxml.parser import parse_xml
from lxml import etree

from .docx_xml import STRICT_NS
from .errors import UnsafeXml, WordCorruptXml, WordIsLegacy, WordPassword, ZipBomb

_RATIO_FLOOR = 1024 * 1024  # members smaller than this are harmless whatever their ratio
_MAX_MEMBERS = 20_000
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED_STREAM = "EncryptedPackage".encode("utf-16-le")  # stream name inside a password-protected docx
CONTENT_TYPES = "[Content_Types].xml"


def parse_part(name: str, data: bytes, slim: Callable[[bytes], bytes] | None = None):  # -> lxml element
    """Parse a part with python-docx's parser, after refusing a DOCTYPE and mapping Strict names."""
    if slim is not None:
        data = slim(data)
    if declares_doctype(data[:4096]):
        raise UnsafeXml(f"{name} declares a DOCTYPE")
    for strict, transitional in STRICT_NS:
        if strict in data:
            data = data.replace(strict, transitional)
    try:
        root = parse_xml(data)
    except etree.XMLSyntaxError as exc:
        cause = UnsafeXml if b"<!DOCTYPE" in data.upper() else WordCorruptXml
        raise cause(f"{name}: {exc}") from exc
    if root.getroottree().docinfo.doctype:  # one hidden past the quick byte check
        raise UnsafeXml(f"{name} declares a DOCTYPE")
    return root


def declares_doctype(data: bytes) -> bool:
    return (
        b"<!DOCTYPE" in data.upper()
        or "<!DOCTYPE".encode("utf-16-le") in data
        or "<!DOCTYPE".encode("utf-16-be") in data
    )


def read_member(zf: zipfile.ZipFile, name: str, cap: int) -> bytes:
    with zf.open(name) as fh:
        data = fh.read(cap + 1)
    if len(data) > cap:
        raise ZipBomb(f"{name} inflates past {cap} bytes")
    return data


def ole_error(fh: IO[bytes]) -> WordPassword | WordIsLegacy:
    # A password-protected .docx is an OLE compound file holding an "EncryptedPackage" stream.
    fh.seek(0)
    if _ENCRYPTED_STREAM in fh.read(64 * 1024 * 1024):
        return WordPassword("OLE compound file with EncryptedPackage stream")
    return WordIsLegacy("OLE compound file (legacy .doc/.wps), not OOXML")


def check_sizes(zf: zipfile.ZipFile, max_uncompressed: int, max_ratio: float) -> None:
    infos = zf.infolist()
    if len(infos) > _MAX_MEMBERS:
        raise ZipBomb(f"{len(infos)} zip members")
    total = sum(i.file_size for i in infos)
    if total > max_uncompressed:
        raise ZipBomb(f"uncompressed size {total} > limit {max_uncompressed}")
    for info in infos:
        if info.file_size >= _RATIO_FLOOR and info.file_size > max_ratio * max(info.compress_size, 1):
            ratio = info.file_size / max(info.compress_size, 1)
            raise ZipBomb(f"{info.filename}: compression ratio {ratio:.0f} > {max_ratio}")
        if info.flag_bits & 0x1:
            raise WordPassword(f"{info.filename} is encrypted inside the zip")


def refuse_package_doctypes(zf: zipfile.ZipFile, cap: int) -> None:
    """The members python-docx parses on opening (content types, relationships) may not declare a DOCTYPE.
    They are small; the whole member is searched."""
    for name in zf.namelist():
        if name == CONTENT_TYPES or name.endswith(".rels"):
            try:
                data = read_member(zf, name, cap)
            except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
                continue  # unreadable, so never parsed: the repair leaves it out
            if declares_doctype(data):
                raise UnsafeXml(f"{name} declares a DOCTYPE")
