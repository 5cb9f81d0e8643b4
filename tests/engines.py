"""The OCR engines the scan tests run on: each one the adapter offers, the default first.

An engine this install lacks is skipped, except in CI (``CI`` set): ``.ci/run`` installs every engine, so
there a missing one must fail rather than quietly skip.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from extractors import ocr


@contextmanager
def using(name: str) -> Iterator[None]:
    """``INTAKE_OCR_ENGINE=name`` for the duration (the adapter loads that engine on next use)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(ocr.ENGINE_ENV, name)
        yield


def params(names: tuple[str, ...] = ocr.ENGINES) -> list:
    """``pytest.param`` per engine, marked skip where it is not installed (outside CI)."""
    out = []
    for name in names:
        with using(name):
            ready, hint = ocr.is_available(), ocr.install_hint()
        skip = [] if ready or os.environ.get("CI") else [pytest.mark.skip(reason=f"OCR engine {name} missing: {hint}")]
        out.append(pytest.param(name, id=name, marks=skip))
    return out
