"""Every OCR engine reads the scan samples to their truth, not only the default one; each says clearly
what is missing when it cannot run, loads nothing from the network, and leaves OpenCV importable.

The probe pages run per engine in tests/test_scan.py; the default engine's scan samples in
tests/test_samples.py. Here the other engines read every scan sample, and the rest of the inbox keeps
the default engine's outcomes so the tables are built as in a real run.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors import ocr, ocr_paddle, scan
from extractors.errors import ToolMissing
from flows.reading.pipeline import process_file
from flows.tables.writer import build_tables
from samples.make_probe import PROBE_DIR
from schemas.findings import problem_message
from tests import engines
from tests.conftest import INBOX, ROOT, load_truths
from tests.test_samples import test_sample_matches_truth as check_truth  # the same assertions, one home

OTHER_ENGINES = tuple(name for name in ocr.ENGINES if name != ocr.DEFAULT_ENGINE)
SCANS = sorted(rel for rel, truth in load_truths().items() if truth["source_kind"] in ("image", "pdf_scan"))


@pytest.fixture(scope="module", params=engines.params(OTHER_ENGINES))
def engine_outcomes(request, sample_outcomes) -> dict:
    with engines.using(request.param):
        scans = {rel: process_file(INBOX / rel, INBOX) for rel in SCANS}
    return {**sample_outcomes, **scans}


@pytest.fixture(scope="module")
def engine_tables(engine_outcomes) -> dict:
    tables, _ = build_tables(list(engine_outcomes.values()))
    return tables


def test_there_are_scan_samples() -> None:
    assert len(SCANS) >= 9


@pytest.mark.parametrize("rel", SCANS)
def test_scan_sample_matches_truth(rel: str, engine_outcomes, engine_tables) -> None:
    check_truth(rel, engine_outcomes, engine_tables)


def test_paddle_without_its_models_says_how_to_install(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv(ocr.ENGINE_ENV, "paddleocr")
    for variable in ocr_paddle.DIR_ENV.values():
        monkeypatch.setenv(variable, str(tmp_path))  # an empty folder: PaddleOCR would try to download here
    assert not scan.is_available()
    with pytest.raises(ToolMissing) as err:
        scan.extract(PROBE_DIR / "clean.png")
    assert 'pip install -e ".[paddle]"' in problem_message(err.value)


# Loads the paddle engine with every socket refused and an empty home folder, reads the probe's first rows.
_OFFLINE = """
import json, socket, sys
def refuse(*args, **kwargs):
    raise OSError("network use during OCR")
socket.socket.connect = socket.socket.connect_ex = socket.create_connection = refuse
import cv2
from extractors import ocr
engine = ocr.get_engine()
page = cv2.imread(sys.argv[1])[300:600]
print(json.dumps([engine.name, [box.text for box in engine.read(page)]], ensure_ascii=False))
"""


@pytest.mark.parametrize("name", engines.params())
def test_engine_runs_offline_and_writes_nothing_home(name: str, tmp_path: Path) -> None:
    env = {**os.environ, ocr.ENGINE_ENV: name, "HOME": str(tmp_path), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", _OFFLINE, str(PROBE_DIR / "clean.png")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    engine, texts = json.loads(done.stdout.strip().splitlines()[-1])
    assert engine == name
    assert {"主办单位名称", "海西州科协", "13897012345"} <= set(texts), texts
    # onnxruntime keeps a small usage database in the cache and paddle an empty folder; a model is megabytes
    written = {p.relative_to(tmp_path).as_posix(): p.stat().st_size for p in tmp_path.rglob("*") if p.is_file()}
    models = {k: v for k, v in written.items() if v > 1_000_000 or Path(k).suffix in (".onnx", ".pdiparams", ".tar")}
    assert not models, f"models fetched into HOME: {models}"


def test_paddle_inference_models_read_the_probe(tmp_path: Path) -> None:
    """The other model set (PP-OCRv4 inference folders on paddlepaddle) loads offline and reads the clean
    probe's key values; it misses too much on the scan samples to be held to their truth (bench/README.md)."""
    env = {**os.environ, ocr.ENGINE_ENV: "paddleocr", ocr_paddle.MODELS_ENV: "paddle", "HOME": str(tmp_path)}
    with engines.using("paddleocr"), pytest.MonkeyPatch.context() as patch:
        patch.setenv(ocr_paddle.MODELS_ENV, "paddle")
        if not ocr.is_available() and not os.environ.get("CI"):
            pytest.skip(ocr.install_hint())
    done = subprocess.run(
        [sys.executable, "-c", _OFFLINE, str(PROBE_DIR / "clean.png")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    engine, texts = json.loads(done.stdout.strip().splitlines()[-1])
    assert engine == "paddleocr" and {"主办单位名称", "海西州科协", "13897012345", "张明"} <= set(texts), texts


def _opencv_builds() -> dict[str, str]:
    names = ("opencv-python-headless", "opencv-python", "opencv-contrib-python", "opencv-contrib-python-headless")
    found = {}
    for name in names:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def test_one_opencv_version_and_cv2_imports_without_a_display() -> None:
    """OCR wheels bring opencv-python / opencv-contrib-python beside our headless build; they share the cv2
    folder, so a second version there breaks it. One version for all, and it imports with no screen."""
    builds = _opencv_builds()
    assert "opencv-python-headless" in builds
    assert len(set(builds.values())) == 1, f"OpenCV builds of different versions share cv2/: {builds}"
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    probe = "import cv2, numpy; cv2.imencode('.png', numpy.zeros((4, 4), numpy.uint8)); print(cv2.__version__)"
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert builds["opencv-python-headless"].startswith(done.stdout.strip())
