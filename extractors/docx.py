"""Word (.docx) → Document: python-docx opens the package, the body is read by walking its lxml tree.

python-docx is the package layer (docx_package): it opens the zip, maps content types, resolves
relationships, and gives the main document part (``DocumentPart.element``), the styles, numbering,
header/footer and picture parts. The text is then read by walking the main part's lxml elements
(``body``) rather than through python-docx's paragraph/table objects: those build a proxy per paragraph
and per cell, repeat merged cells, and have no API for content controls, form fields, text boxes or
``w:gridBefore``; the walk gets all of that in document order and is several times faster.

The modules, by what they read:
- docx_safety: checks before python-docx touches the zip (size, zip bomb, encryption, DOCTYPE) and the
  one XML parser (python-docx's, hardened); docx_package: opening with python-docx, parts, pictures;
  docx_repair: what Word repairs silently and python-docx refuses;
- docx_text: paragraphs and runs, styles, text boxes; docx_numbering: list numbers;
- docx_tables: tables, merged cells, nested tables, content-control-wrapped rows;
- docx_ticks: checkboxes and symbol-font ticks (see model.py for the glyphs).

Ignored, and why:
- the text of headers and footers: letterhead and page numbers repeated on every page; the form's fields
  are never there, and mixing them in would break the reading order the form reader relies on. Their
  pictures are listed, though: an electronic seal can sit in a header;
- footnotes, endnotes, comments: not part of the filled-in form;
- tracked deletions, hidden text, placeholder prompts of content controls (see docx_text).

Pictures: ``Document.seals`` stays empty here; every picture the body shows, then every picture in a
header or footer, is listed once in ``Document.pictures`` (part name, content type, bytes, location),
and extract_document checks them for seals.

Any failure is an ``UnreadableFile`` cause (extractors/errors.py); its wording is in schemas/messages.yaml.
"""

from __future__ import annotations

import zipfile
import zlib
from pathlib import Path

from .docx_package import Pictures, header_footer_pictures, open_package
from .docx_text import context_for, read_blocks
from .docx_ticks import SYMBOL_MAP
from .errors import CannotOpen, IntakeError, WordBroken, WordCorruptXml, WordNoBody
from .model import Document
from .options import DEFAULTS, ExtractOptions

KIND = "docx"

__all__ = ["KIND", "SYMBOL_MAP", "extract", "is_available"]


def is_available() -> bool:
    try:
        import docx.opc.package  # noqa: F401
        import lxml.etree  # noqa: F401
    except ImportError:
        return False
    return True


def extract(path: Path, options: ExtractOptions = DEFAULTS) -> Document:
    """Read a .docx into a Document; raise an UnreadableFile cause for anything that cannot be read safely.

    Uses ``options.max_uncompressed_bytes`` and ``options.max_zip_ratio``."""
    path = Path(path)
    try:
        return _extract(path, options.max_uncompressed_bytes, options.max_zip_ratio)
    except IntakeError:
        raise
    except (OSError, EOFError) as exc:
        raise CannotOpen(f"{type(exc).__name__}: {exc}") from exc
    except (zipfile.BadZipFile, zlib.error, NotImplementedError) as exc:
        raise WordBroken(f"{type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # odd XML we did not foresee: still one bad file, not a crashed run
        raise WordCorruptXml(f"{type(exc).__name__}: {exc}") from exc


def _extract(path: Path, max_uncompressed: int, max_ratio: float) -> Document:
    pkg = open_package(path, max_uncompressed, max_ratio)
    body = pkg.body
    if body is None:
        raise WordNoBody(f"{pkg.main_name} has no w:body")
    pictures = Pictures()
    blocks = read_blocks(body, context_for(pkg, pictures))
    header_footer_pictures(pkg, pictures)
    return Document(
        source=path,
        kind=KIND,
        blocks=blocks,
        page_count=pkg.page_count(),
        notes=pkg.notes,
        pictures=pictures.found,
    )
