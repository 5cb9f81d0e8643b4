"""One OCR adapter over two backends, loaded once per process.

Default backend ``rapidocr`` (RapidOCR 3.x on onnxruntime) runs the PaddleOCR
PP-OCR det/rec/cls ONNX models its wheel ships; every model path is passed
explicitly so the library never tries its download fallback.

Second backend ``paddleocr`` (PaddleOCR's own 2.x pipeline, ``extractors/ocr_paddle.py``):
chosen by ``INTAKE_OCR_ENGINE=paddleocr``, installed by ``pip install -e ".[paddle]"``; by
default on the same ONNX files through onnxruntime, or (``INTAKE_PADDLE_MODELS=paddle``) on
PaddleOCR's PP-OCRv4 inference folders through paddlepaddle.

Other settings: ``INTAKE_OCR_MODEL_DIR`` (folder with the rapidocr .onnx files,
default: the wheel's own ``models``), ``INTAKE_OCR_THREADS`` (onnxruntime
intra-op threads, default: onnxruntime's choice), ``INTAKE_OCR_DET_SIDE``
(longest side the detector sees, default 1280: measured as fast as 960 and as
accurate as full size on 200 dpi A4 pages), ``INTAKE_OCR_REC_BATCH`` (text lines
per recognition call, default 3: a third less peak memory than RapidOCR's 6).
Both backends take the last three.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from pathlib import Path

import numpy as np

from . import ocr_paddle
from .model import BBox
from .ocr_box import OcrBox, quad_bbox

__all__ = ["ENGINES", "OcrBox", "OcrEngine", "engine_name", "get_engine", "install_hint", "is_available"]

ENGINE_ENV = "INTAKE_OCR_ENGINE"
ENGINES = ("rapidocr", "paddleocr")
DEFAULT_ENGINE = "rapidocr"
INSTALL_HINT = "请安装 rapidocr 与 onnxruntime（pip install rapidocr onnxruntime）后再处理扫描件。"
PADDLE_HINT = (
    '请安装 PaddleOCR 引擎（pip install -e ".[paddle]"）后再处理扫描件，或去掉 INTAKE_OCR_ENGINE 改用默认引擎。'
)


def install_hint() -> str:
    """What staff (or the admin) must do when the configured engine cannot run here."""
    return PADDLE_HINT if engine_name() == "paddleocr" else INSTALL_HINT


# Preferred model files (the ones RapidOCR 3.x's default config names); any other *_det/*_rec/*_cls
# .onnx in the folder is taken when these are absent.
_PREFERRED = {
    "det": "PP-OCRv6_det_small.onnx",
    "rec": "PP-OCRv6_rec_small.onnx",
    "cls": "ch_ppocr_mobile_v2.0_cls_mobile.onnx",
}


def engine_name() -> str:
    return os.environ.get(ENGINE_ENV, DEFAULT_ENGINE).strip().lower() or DEFAULT_ENGINE


def rapidocr_model_paths() -> dict[str, Path] | None:
    """The local det/rec/cls model files, or None when any is missing."""
    root = os.environ.get("INTAKE_OCR_MODEL_DIR")
    if root:
        folder = Path(root)
    else:
        spec = importlib.util.find_spec("rapidocr")
        if spec is None or not spec.origin:
            return None
        folder = Path(spec.origin).parent / "models"
    paths: dict[str, Path] = {}
    for task, name in _PREFERRED.items():
        if (folder / name).is_file():
            paths[task] = folder / name
            continue
        found = sorted(folder.glob(f"*{task}*.onnx"))
        if not found:
            return None
        paths[task] = found[0]
    return paths


def is_available(name: str | None = None) -> bool:
    """True when the engine (default: the configured one) and its models are present on this machine."""
    if (name or engine_name()) == "paddleocr":
        return ocr_paddle.is_available(rapidocr_model_paths())
    return (
        importlib.util.find_spec("rapidocr") is not None
        and importlib.util.find_spec("onnxruntime") is not None
        and rapidocr_model_paths() is not None
    )


class OcrEngine:
    """``read(image)`` → text lines; ``name`` says which backend answered."""

    def __init__(self, name: str | None = None) -> None:
        self.name = name or engine_name()
        if self.name == "paddleocr":
            self._backend: _RapidBackend | ocr_paddle.PaddleBackend = ocr_paddle.PaddleBackend(rapidocr_model_paths())
        else:
            self._backend = _RapidBackend()
        self._lock = threading.Lock()  # the backends keep per-call state

    def read(self, image: np.ndarray) -> list[OcrBox]:
        """Every text line in ``image`` (BGR or grey uint8), in detection order."""
        with self._lock:
            return self._backend.read(image)

    def recognise(self, line: np.ndarray) -> tuple[str, float]:
        """Text of an image that holds one line (no detection): for re-reading part of a line."""
        with self._lock:
            return self._backend.recognise(line)


_ENGINE: OcrEngine | None = None
_ENGINE_LOCK = threading.Lock()


def get_engine(name: str | None = None) -> OcrEngine:
    """The process-wide engine (default: the configured one): models load once, not per page."""
    global _ENGINE
    name = name or engine_name()
    with _ENGINE_LOCK:
        if _ENGINE is None or _ENGINE.name != name:
            _ENGINE = OcrEngine(name)
        return _ENGINE


def _spans_from_words(bbox: BBox, words) -> list[tuple[str, float, float]]:
    """Word boxes → fractions along the line's long axis.

    RapidOCR maps word boxes back from the crop it recognised (after its own 90°/180°
    turn), so measured from the line's low coordinate they are positions in reading order.
    """
    x0, y0, x1, y1 = bbox
    vertical = (y1 - y0) > 1.5 * (x1 - x0)
    lo, length = (y0, y1 - y0) if vertical else (x0, x1 - x0)
    axis = 1 if vertical else 0
    spans = []
    for text, _score, wbox in words:
        if wbox is None:
            continue
        pts = np.asarray(wbox, dtype=float)
        a = (pts[:, axis].min() - lo) / max(length, 1.0)
        b = (pts[:, axis].max() - lo) / max(length, 1.0)
        spans.append((str(text), float(np.clip(a, 0, 1)), float(np.clip(b, 0, 1))))
    return spans


class _RapidBackend:
    def __init__(self) -> None:
        from rapidocr import RapidOCR  # imported here: heavy, and absent where OCR is not installed

        paths = rapidocr_model_paths()
        if paths is None:
            raise FileNotFoundError("rapidocr ONNX models not found")
        params: dict[str, object] = {
            "Global.log_level": "error",
            "Global.return_word_box": True,  # character positions, for ticks and cell splitting
            "Det.model_path": str(paths["det"]),
            "Rec.model_path": str(paths["rec"]),
            "Cls.model_path": str(paths["cls"]),
            "Det.limit_type": "max",
            "Det.limit_side_len": int(os.environ.get("INTAKE_OCR_DET_SIDE", "1280")),
            # Lines recognised per call. RapidOCR's 6 pads every line to the widest of six: on a dense page
            # that peaked 714–751 MB against 482 MB with 3, for the same text and no more time
            # (bench/README.md); two OCR workers must fit in 2 GB with everything else.
            "Rec.rec_batch_num": int(os.environ.get("INTAKE_OCR_REC_BATCH", "3")),
        }
        threads = os.environ.get("INTAKE_OCR_THREADS")
        if threads:
            params["EngineConfig.onnxruntime.intra_op_num_threads"] = int(threads)
        self._ocr = RapidOCR(params=params)

    def read(self, image: np.ndarray) -> list[OcrBox]:
        ocr = self._ocr
        # The step methods expose the angle classifier's verdicts, which __call__ drops; they are
        # what tells an upside-down page without a second pass.
        try:
            original = ocr.load_img(image)
            pre, record = ocr.preprocess_img(original)
            det, cls, rec, crops = ocr.run_ocr_steps(pre, record)
            out = ocr.build_final_output(original, det, cls, rec, crops, record)
            verdicts = list(getattr(cls, "cls_res", None) or [])
        except AttributeError:  # a RapidOCR without the step methods
            out = ocr(image, use_det=True, use_cls=True, use_rec=True)
            verdicts = []
        if getattr(out, "boxes", None) is None or getattr(out, "txts", None) is None or len(out.txts) == 0:
            return []
        # Upside-down share of the page (the classifier's output is per detected line, before
        # empty lines are filtered, so it is a page-level vote, not aligned with out.txts).
        flipped_share = (
            sum(1 for label, score in verdicts if "180" in str(label) and score > 0.9) / len(verdicts)
            if verdicts
            else 0.0
        )
        words = out.word_results if len(out.word_results) == len(out.txts) else [()] * len(out.txts)
        boxes = []
        for quad, text, score, wres in zip(out.boxes, out.txts, out.scores, words, strict=False):
            quad = np.asarray(quad, dtype=np.float32)
            bbox = quad_bbox(quad)
            boxes.append(
                OcrBox(
                    text=str(text),
                    bbox=bbox,
                    confidence=float(score),
                    quad=quad,
                    spans=_spans_from_words(bbox, wres or ()),
                    flipped=flipped_share > 0.5,
                )
            )
        return boxes

    def recognise(self, line: np.ndarray) -> tuple[str, float]:
        ocr = self._ocr
        try:
            out = ocr(line, use_det=False, use_cls=False, use_rec=True)
        finally:
            # RapidOCR keeps these flags for later calls; read() needs all three steps.
            ocr.update_params(use_det=True, use_cls=True, use_rec=True)
        txts, scores = getattr(out, "txts", None), getattr(out, "scores", None)
        if not txts:
            return "", 0.0
        return str(txts[0]), float(scores[0])
