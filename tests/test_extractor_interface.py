"""One extractor interface in code: every registered format has `is_available()` and `extract(path, options)`,
the dispatcher only triages and dispatches, and the limits' defaults have one home (extractors/options.py)."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest
from PIL import Image

from extractors import FORMATS, extract_document, extractor_for, scan
from extractors.errors import ImageTooLarge, ImageTooManyPages, UnknownFormat, WordPassword
from extractors.options import DEFAULTS, ExtractOptions
from flows.reading.limits import Limits
from flows.reading.pipeline import extract_options
from tests import fixtures_docx as fx


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_every_format_has_the_interface(kind: str) -> None:
    module = extractor_for(kind)
    assert isinstance(module.is_available(), bool)
    params = list(inspect.signature(module.extract).parameters.values())
    assert [p.name for p in params] == ["path", "options"], kind
    assert params[1].default is DEFAULTS, kind  # called with the path alone, it reads with the defaults


def test_every_kind_triage_knows_is_registered_or_refused(tmp_path: Path) -> None:
    assert set(FORMATS) == {"docx", "legacy_word", "pdf", "image"}
    text = tmp_path / "note.txt"
    text.write_text("这不是报送的表格", encoding="utf-8")
    with pytest.raises(UnknownFormat):
        extract_document(text)


def test_the_limits_defaults_have_one_home() -> None:
    """flows' Limits starts from the extractors' defaults; the pipeline hands them back unchanged."""
    assert extract_options(Limits()) == ExtractOptions()
    limits = Limits(max_pages=7, max_pixels_per_page=1_000_000, max_uncompressed_mb=3)
    options = extract_options(limits, crops_dir=Path("crops"))
    assert (options.max_pages, options.max_pixels_per_page) == (7, 1_000_000)
    assert options.max_uncompressed_bytes == 3 * 1024 * 1024 and options.crops_dir == Path("crops")


def test_the_scan_extractor_checks_an_image_before_decoding_it(tmp_path: Path) -> None:
    """The size limits are the image format's own check now, not the dispatcher's: scan.extract refuses
    from the header alone, before any OCR engine is needed."""
    big = tmp_path / "big.png"
    Image.new("L", (3000, 2000), 255).save(big)
    with pytest.raises(ImageTooLarge) as err:
        scan.extract(big, ExtractOptions(max_pixels_per_page=5_000_000))
    assert err.value.values == {"megapixels": 5.0}
    pages = tmp_path / "pages.tif"
    frame = Image.new("L", (100, 100), 255)
    frame.save(pages, save_all=True, append_images=[frame, frame])
    with pytest.raises(ImageTooManyPages) as err:
        extract_document(pages, ExtractOptions(max_pages=2))
    assert err.value.values == {"pages": 3, "limit": 2}


def test_an_encrypted_word_file_is_refused_before_libreoffice_is_needed(tmp_path: Path, monkeypatch) -> None:
    """A password-protected .docx is an OLE file like a .doc: it is named for what it is even where
    LibreOffice is missing (the unit must act, not the technical contact)."""
    monkeypatch.setenv("INTAKE_SOFFICE", str(tmp_path / "no-soffice"))
    with pytest.raises(WordPassword):
        extract_document(fx.encrypted_docx(tmp_path / "locked.docx"))
