"""Scanned pages (image files, image-only PDF pages) → Document.

Per page: find seals on the colour image, by their red or else by their ring (evidence for
stamp_present) → erase red
ink → OCR once → turn the page upright and straight using that OCR result →
decide tick marks from pixels → rebuild tables from ruling lines and put each OCR
character into its cell → the rest becomes paragraphs, line by line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np

from . import ocr, photo, render
from .dashes import restore_dash_width, restore_double_dash, restore_dropped_dash
from .empty_cells import skipped_lines_between, skipped_lines_in_cells
from .errors import OcrMissing, PaddleOcrMissing
from .grid import Grid, find_grids
from .image_size import check_image_file
from .model import BBox, Block, Document, Seal, SourceKind
from .options import DEFAULTS, ExtractOptions
from .page_breaks import join_cut_paragraph
from .pen_boxes import Square
from .pen_checks import orphan_checks
from .scan_layout import layout, restore_bracket_width, restore_spaces
from .seal import SealHit, find_ring_seals, find_seals, red_mask, remove_red, seal_crop
from .seal_lines import lines_under_seals, reread_under_seals, without_ring_letters_on, without_ring_pieces
from .seal_text import SealWords, read_seal_words, seal_ink
from .short_reads import reread_short_lines
from .sparse_pages import read_ink_area
from .streaks import remove_streaks
from .ticks import char_pieces, orphan_boxes, page_has_options, page_squares, rewrite_ticks

KIND = "image"


def is_available() -> bool:
    return ocr.is_available()


def extract(path: Path, options: ExtractOptions = DEFAULTS) -> Document:
    """An image file (PNG/JPEG/TIFF incl. multi-page/BMP …); raises an UnreadableFile cause if undecodable.

    Its size is checked from the header first (``options.max_pixels_per_page``, ``max_pages``).
    ``options.crops_dir``: where to keep each page as read (``Document.page_images``, the frame of every
    bbox) and each seal's picture (``Seal.crop_path``); nothing is written without it.
    """
    check_image_file(Path(path), options)
    pages = render.load_image_pages(Path(path))
    return extract_pages(pages, Path(path), "image", options=options)


def extract_pages(
    images: list[np.ndarray],
    source: Path,
    kind: SourceKind,
    first_page: int = 1,
    options: ExtractOptions = DEFAULTS,
) -> Document:
    """Pages already in pixels (BGR or grey uint8); the PDF extractor uses this for image-only pages."""
    engine = _engine(options.ocr_engine)
    crops_dir = options.crops_dir
    doc = Document(source=Path(source), kind=kind, page_count=len(images))
    if crops_dir is not None:
        Path(crops_dir).mkdir(parents=True, exist_ok=True)
        doc.crops_dir = str(crops_dir)
    for offset, image in enumerate(images):
        image, photo_note = photo.flatten_photo(image)  # a phone photo of the page → flat upright A4
        if photo_note:
            doc.notes.append(photo_note.format(page=first_page + offset))
        page = read_page(image, engine, first_page + offset, Path(source), crops_dir)
        join_cut_paragraph(doc.blocks, page.blocks)
        doc.blocks.extend(page.blocks)
        doc.seals.extend(page.seals)
        doc.notes.extend(page.notes)
        if page.image_path:
            doc.page_images[first_page + offset] = page.image_path
    return doc


def _engine(name: str | None = None) -> ocr.OcrEngine:
    name = name or ocr.engine_name()
    missing = PaddleOcrMissing if name == "paddleocr" else OcrMissing
    if not ocr.is_available(name):
        raise missing(f"OCR engine {name!r} or its models missing")
    try:
        return ocr.get_engine(name)
    except (ImportError, OSError, ValueError) as exc:
        raise missing(f"{type(exc).__name__}: {exc}") from exc


@dataclass
class PageResult:
    blocks: list[Block] = field(default_factory=list)
    seals: list[Seal] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    image_path: str | None = None


def read_page(
    image: np.ndarray, engine: ocr.OcrEngine, page: int, source: Path, crops_dir: Path | None = None
) -> PageResult:
    result = PageResult()
    colour = image if image.ndim == 3 else cv2.cvtColor(image, cv2.COLOR_GRAY2BGR)
    red = red_mask(colour)
    # On the colour page, before the red goes; a seal that is not red (grey scan, fax) by its ring alone.
    red_hits = find_seals(colour, red)
    hits = red_hits or find_ring_seals(colour)
    ink = seal_ink(colour, red if red_hits else None)
    words = [
        read_seal_words(ink, hit.ellipse, engine.recognise, bool(red_hits)) if hit.ellipse else None for hit in hits
    ]
    grey = remove_red(colour, red)
    boxes = engine.read(grey) or read_ink_area(grey, engine.read)  # the one OCR pass (a near-blank page: its ink)
    # The rules are looked for on the page without its scanner streaks (a streak is read as a rule); the text
    # is read on the page as it came (taking a streak out of a letter's way changed more readings than it mended).
    ruled = remove_streaks(grey)
    seal_boxes = [hit.bbox for hit in hits]
    grey, boxes, seal_boxes, ruled = _upright(grey, boxes, seal_boxes, page, result.notes, engine, ruled)
    boxes = reread_short_lines(grey, boxes, engine.recognise, [] if red_hits else seal_boxes)
    grids = find_grids(ruled, seal_boxes, [(b.bbox, _gaps(b)) for b in boxes])
    cells = [c.bbox for g in grids for c in g.cells]
    if not red_hits:  # a seal that is not red stays on the page: lines it cuts short are read across it
        rings = [w.ring for w in words if w is not None]
        # a slanted piece of the ring is no line: it neither bounds a strip read across the seal nor is read again
        boxes = without_ring_pieces(boxes, seal_boxes, rings)
        boxes = reread_under_seals(grey, boxes, seal_boxes, cells, engine.recognise, rings)
        under = lines_under_seals(grey, boxes, seal_boxes, engine.recognise, rings)
        boxes = without_ring_letters_on(boxes, under, seal_boxes) + under
    boxes = [b for b in boxes if b.text.strip()]
    if cells:
        boxes = boxes + skipped_lines_in_cells(grey, cells, boxes, seal_boxes, engine.recognise)
    boxes = boxes + skipped_lines_between(grey, cells, boxes, seal_boxes, engine.recognise)
    boxes = _rewrite_lines(ruled, boxes, grids, engine, seal_boxes)  # marks, spaces, dashes: not a streak
    result.blocks = layout(boxes, grids, page)
    if not boxes:
        result.notes.append(f"第{page}页未识别到文字，请检查扫描质量。")
    result.seals = _seals(hits, words, seal_boxes, colour, page, source, crops_dir)
    if crops_dir is not None:
        path = Path(crops_dir) / f"{source.stem}_p{page}.jpg"
        cv2.imwrite(str(path), grey, [cv2.IMWRITE_JPEG_QUALITY, 85])
        result.image_path = str(path)  # the frame every bbox of this page refers to
    return result


def _upright(
    grey: np.ndarray,
    boxes: list[ocr.OcrBox],
    seal_boxes: list[BBox],
    page: int,
    notes: list[str],
    engine,
    twin: np.ndarray,
):
    """Turn the page (and its lines and seals) upright and level, from the OCR result itself.

    ``twin``: a copy of the page (streaks taken out) that is turned and levelled the same way."""
    h, w = grey.shape[:2]
    corners = [_rect_points(b) for b in seal_boxes]
    turn = render.page_turn(boxes)
    same = twin is grey
    if turn:
        grey = render.turn_image(grey, turn)
        twin = grey if same else render.turn_image(twin, turn)
        # Read again upright: lines the detector cut on the turned page come back garbled or in pieces
        # (a second pass only for the rare turned page).
        boxes = engine.read(grey) or render.turn_boxes(boxes, turn, w, h)
        corners = [render.turn_points(c, turn, w, h) for c in corners]
        notes.append(f"第{page}页为旋转扫描（{turn}°），已自动转正。")
    angle = render.skew_angle(boxes)
    if abs(angle) > 0.15:
        grey, boxes, matrix = render.deskew(grey, boxes, angle)
        twin = grey if same else render.deskew(twin, [], angle)[0]
        corners = [render.apply_affine(c, matrix) for c in corners]
    bboxes = [(float(c[:, 0].min()), float(c[:, 1].min()), float(c[:, 0].max()), float(c[:, 1].max())) for c in corners]
    return grey, boxes, bboxes, twin


def _rewrite_lines(
    grey: np.ndarray, boxes: list[ocr.OcrBox], grids: list[Grid], engine, seal_boxes: list[BBox]
) -> list[ocr.OcrBox]:
    """Tick marks from pixels (and boxes the detector skipped), then spaces and bracket widths."""
    if not boxes:
        return boxes
    heights = [b.bbox[3] - b.bbox[1] for b in boxes]
    squares = page_squares(grey, 0.4 * min(heights), 1.2 * max(heights), seal_boxes)
    if grids:
        boxes = boxes + orphan_boxes(grey, [c.bbox for g in grids for c in g.cells], squares, boxes)
    # Ticks first: a drawn box leaves word-sized gaps that restore_spaces must not read as spaces.
    options = page_has_options([b.text for b in boxes])
    boxes = [
        rewrite_ticks(b, grey, _cell_of(b, grids), engine.recognise, mine, options, _next_on_line(b, boxes))
        for b, mine in zip(boxes, _squares_per_line(squares, boxes), strict=True)
    ]
    boxes = [restore_dash_width(restore_bracket_width(restore_spaces(b, grey), grey), grey) for b in boxes]
    boxes = [restore_dropped_dash(restore_double_dash(b, grey), grey) for b in boxes]
    if grids and options:  # pen checks over brackets the OCR did not read at all
        boxes = boxes + orphan_checks(grey, [c.bbox for g in grids for c in g.cells], boxes, seal_boxes)
    return boxes


def _gaps(box: ocr.OcrBox) -> list[tuple[float, float]]:
    """x-ranges of the spaces the OCR read in a line, or of blanks between its letters wider than half a
    letter (a fax's line may run from label to value straight over the rule between them): where a ruling
    line may run through it."""
    h = box.bbox[3] - box.bbox[1]
    pieces = char_pieces(box)
    gaps = [(a - 0.5 * h, b + 0.5 * h) for ch, a, b in pieces if ch.isspace()]
    if box.spans:  # real letter positions (estimated ones have no blanks between letters)
        gaps += [(p[2], q[1]) for p, q in zip(pieces, pieces[1:], strict=False) if q[1] - p[2] >= 0.5 * h]
    return gaps


def _squares_per_line(squares: list[Square], boxes: list[ocr.OcrBox]) -> list[list[Square]]:
    """For each line, the page's squares less those inside another line's box: there a square is that line's
    letter (日 of `…工作者日”`), not a lone box left of this line (`系列活动`)."""
    centres = [((sq[0] + sq[2]) / 2, (sq[1] + sq[3]) / 2) for sq in squares]
    inside = [{k for k, b in enumerate(boxes) if _holds(b.bbox, centre)} for centre in centres]
    return [[sq for sq, held in zip(squares, inside, strict=True) if not held or k in held] for k in range(len(boxes))]


def _holds(bbox: BBox, point: tuple[float, float]) -> bool:
    return bbox[0] <= point[0] <= bbox[2] and bbox[1] <= point[1] <= bbox[3]


def _next_on_line(box: ocr.OcrBox, boxes: list[ocr.OcrBox]) -> float | None:
    """Where the nearest OCR line to the right of ``box``, on the same text line, starts."""
    y0, y1 = box.bbox[1], box.bbox[3]
    starts = [
        other.bbox[0]
        for other in boxes
        if other.bbox[0] > box.bbox[0] and min(y1, other.bbox[3]) - max(y0, other.bbox[1]) >= 0.5 * (y1 - y0)
    ]
    return min(starts, default=None)


def _cell_of(box: ocr.OcrBox, grids: list[Grid]) -> BBox | None:
    """The table cell the line starts in (tick searches stay inside it)."""
    x = box.bbox[0] + 0.25 * (box.bbox[3] - box.bbox[1])
    y = (box.bbox[1] + box.bbox[3]) / 2
    for grid in grids:
        cell = grid.cell_at(x, y)
        if cell is not None:
            return cell.bbox
    return None


def _rect_points(bbox: BBox) -> np.ndarray:
    x0, y0, x1, y1 = bbox
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float32)


def _seals(
    hits: list[SealHit],
    seal_words: list[SealWords | None],
    boxes: list[BBox],
    colour: np.ndarray,
    page: int,
    source: Path,
    crops_dir: Path | None,
) -> list[Seal]:
    seals = []
    for i, (hit, words, bbox) in enumerate(zip(hits, seal_words, boxes, strict=True), start=1):
        crop_path = None
        if crops_dir is not None:
            crop_path = str(Path(crops_dir) / f"{source.stem}_p{page}_seal{i}.png")
            cv2.imwrite(crop_path, seal_crop(colour, hit))
            if words is not None and words.strip is not None:  # the unrolled ring, beside the seal's picture
                cv2.imwrite(str(Path(crops_dir) / f"{source.stem}_p{page}_seal{i}_ring.png"), words.strip)
        seals.append(
            Seal(
                page=page,
                bbox=bbox,
                text=words.ring if words else None,
                centre_text=words.centre if words else None,
                text_confidence=words.confidence if words else None,
                confidence=round(hit.score, 3),
                crop_path=crop_path,
            )
        )
    return seals
