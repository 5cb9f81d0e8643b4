"""exceptions.xlsx: the staff's workbook, in Chinese, for Excel and WPS.

Sheets: 问题清单 (one row per exception: errors first, then warnings, each grouped by unit; a link to the
source file; for scans, a picture of the field as read; the 更正值 / 加入别名 columns staff fill in for
flows/staff/corrections.py), 报送情况 (the tracker: who sent what, what is missing or late) and 更正记录 (every
correction staff entered and whether this run applied it).

Crops: a Finding carries `crop_path` (an image of the field on the page) and `page_image` (the whole page) when
the reading could cut one (scans only, flows/reading/crops.py); the workbook embeds a copy of that picture, sized
so each line of text is readable (flows/staff/pictures.py), and its 页码 links to the whole page.
"""

from __future__ import annotations

import io
import math
import os
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image as XlImage
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from PIL import Image

from flows.outcome import FileOutcome
from flows.staff import corrections as corr
from flows.staff.pictures import display_size, text_lines
from schemas.column_labels import column_label
from schemas.column_labels import form_names as all_form_names
from schemas.form_schema import load_forms
from schemas.units import UnitRegistry

ISSUES_SHEET, TRACKER_SHEET, CORRECTIONS_SHEET = corr.ISSUES_SHEET, "报送情况", "更正记录"
SEVERITY_ZH = {"error": "错误", "warning": "提醒"}
BASIS_ZH = {"form": "表上报送时间", "file_time": "文件收到时间"}
# 问题清单 columns: (header, width cap). Staff-facing first, technical keys last (corrections read them).
ISSUE_COLUMNS = [
    ("单位", 28),
    ("单位类别", 10),
    (corr.H_FILE, 36),
    (corr.H_ALSO, 30),
    ("表格", 18),
    ("严重程度", 8),
    ("问题说明", 56),
    ("字段", 14),
    (corr.H_READ, 28),
    ("建议值", 26),
    (corr.H_CORRECTION, 24),
    (corr.H_ALIAS, 9),
    ("原件截图", 38),
    ("页码", 6),
    ("识别置信度", 10),
    ("问题代码", 20),
    (corr.H_FIELD, 16),
    (corr.H_SUBMISSION, 18),
    (corr.H_ALSO_IDS, 18),
    (corr.H_ROW, 12),
]
TRACKER_HEADERS = [
    ("单位", "unit_name", 30),
    ("类别", "category", 10),
    ("材料", "form_name", 20),
    ("是否必交", "required", 8),
    ("截止日期", "due_date", 11),
    ("状态", "status_zh", 14),
    ("到达日期", "arrived_on", 11),
    ("日期依据", "arrived_basis", 10),
    ("逾期天数", "days_late", 8),
    ("文件", "files", 40),
    ("待处理错误", "open_errors", 10),
    ("联系人", "contact", 22),
    ("备注", "note", 12),
]

PX_PER_CHAR = 7  # a column width unit in pixels (Calibri 11, Excel's default)
PT_PER_PX = 0.75  # row heights are in points: 96 px per inch, 72 pt per inch

HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
HEADER_FONT = Font(bold=True, color="FFFFFF")
BAND_FILL = PatternFill("solid", fgColor="F2F2F2")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
NA_FILL = PatternFill("solid", fgColor="D9D9D9")
ERROR_FONT = Font(bold=True, color="C00000")
WARN_FONT = Font(color="9C5700")
LINK_FONT = Font(color="0563C1", underline="single")
GROUP_TOP = Border(top=Side(style="thin", color="808080"))
STATUS_FILL = {
    "overdue": PatternFill("solid", fgColor="FFC7CE"),
    "missing": PatternFill("solid", fgColor="FFEB9C"),
    "late": PatternFill("solid", fgColor="FFEB9C"),
    "received": PatternFill("solid", fgColor="C6EFCE"),
    "unidentified": PatternFill("solid", fgColor="FFC7CE"),
}


# ------------------------------------------------------------------ cell helpers


def _clean(value: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value))


def _put(ws: Worksheet, row: int, col: int, value: object) -> None:
    """Text as text: a value like =cmd… stays a string (never a formula), control characters dropped."""
    cell = ws.cell(row=row, column=col, value=_clean(value))
    cell.data_type = "s"


def _display_width(text: str) -> int:
    line = max(str(text).split("\n"), key=len) if text else ""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)


def _finish_sheet(ws: Worksheet, caps: list[int]) -> None:
    """Header style, frozen header, filters, widths from the content (capped)."""
    widths = [0] * len(caps)
    for row in ws.iter_rows(min_row=1, max_row=ws.max_row):
        for i, cell in enumerate(row[: len(caps)]):
            widths[i] = max(widths[i], _display_width(cell.value or ""))
    for i, cap in enumerate(caps):
        ws.column_dimensions[get_column_letter(i + 1)].width = max(6, min(cap, widths[i] + 2))
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.freeze_panes = "A2"
    # printed: landscape, all columns on one page width, the header on every page
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_title_rows = "1:1"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(caps))}{max(ws.max_row, 1)}"


def _link_target(source_path: str, outdir: Path) -> str:
    """A link relative to the workbook, so it works wherever the shared drive is mounted."""
    try:
        target = os.path.relpath(source_path, outdir).replace(os.sep, "/")
    except ValueError:  # another drive (Windows): an absolute link is the best there is
        target = Path(source_path).resolve().as_uri()
    return target.replace("%", "%25").replace(" ", "%20").replace("#", "%23")


def _link(ws: Worksheet, row: int, col: int, text: str, source_path: str, outdir: Path) -> None:
    _put(ws, row, col, text)
    if source_path:
        cell = ws.cell(row=row, column=col)
        cell.hyperlink = _link_target(source_path, outdir)
        cell.font = LINK_FONT


# ------------------------------------------------------------------ 问题清单


class _Units:
    """Which unit a file is about, for grouping: registry order, unidentified last."""

    def __init__(self, registry: UnitRegistry, outcomes: list[FileOutcome]) -> None:
        self.registry = registry
        self.rank = {u.unit_id: i for i, u in enumerate(registry)}
        self.by_file = {o.source_file: o for o in outcomes}

    def of(self, outcome: FileOutcome) -> tuple[int, str, str]:
        """(rank, display name, category)."""
        if outcome.duplicate_of and outcome.duplicate_of in self.by_file:
            outcome = self.by_file[outcome.duplicate_of]  # a copy belongs to its original's unit
        row = outcome.cleaned.row if outcome.cleaned else {}
        unit = self.registry.get(row.get("unit_id", "")) if row.get("unit_id") else None
        if unit is not None:
            return self.rank[unit.unit_id], unit.canonical_name, unit.category
        shown = row.get("unit_raw", "")
        return len(self.rank), f"{shown}（名录中未找到）" if shown else "（单位未识别）", ""


@dataclass
class _Issue:
    """One exceptions.csv row, with what the workbook adds: unit, its category, the file, a picture."""

    row: dict[str, str]
    unit: str
    category: str
    form_type: str
    outcome: FileOutcome | None
    crop_path: str | None
    page_image: str | None


Crop = tuple[str | None, str | None]  # (the picture of the field, the whole page it was cut from)


def _crops(outcomes: list[FileOutcome]) -> dict[tuple[str, ...], Crop]:
    """(source_file, code, field, raw_value) and (source_file, code, field) -> the picture the pipeline cut
    for that finding, and its page."""
    out: dict[tuple[str, ...], Crop] = {}
    for o in outcomes:
        for f in o.findings:
            if f.crop_path:
                out.setdefault((o.source_file, f.code, f.field, f.raw_value), (f.crop_path, f.page_image))
                out.setdefault((o.source_file, f.code, f.field), (f.crop_path, f.page_image))
    return out


def _crop_for(row: dict[str, str], crops: dict[tuple[str, ...], Crop]) -> Crop:
    """The row's own picture; for a problem a Word file shares with its stamped scan, the scan's."""
    own = crops.get((row["source_file"], row["code"], row["field"], row["raw_value"]))
    shared = (crops.get((f, row["code"], row["field"])) for f in _also(row))
    return own or next((c for c in shared if c), (None, None))


def _issues(exception_rows: list[dict[str, str]], outcomes: list[FileOutcome], registry: UnitRegistry) -> list[_Issue]:
    """The rows staff must act on (not those of a file a newer version replaced), errors first, by unit."""
    units = _Units(registry, outcomes)
    by_file = {o.source_file: o for o in outcomes}
    crops = _crops(outcomes)
    field_rank: dict[str, int] = {}
    for form in load_forms():
        for i, spec in enumerate(form.fields):
            for column in (spec.column, spec.start_column, spec.end_column, spec.count_column):
                if column:
                    field_rank.setdefault(column, i)
    keyed = []
    for row in exception_rows:
        if row.get("superseded_by"):
            continue
        outcome = by_file.get(row["source_file"])
        rank, name, category = units.of(outcome) if outcome else (len(units.rank), "（单位未识别）", "")
        original = by_file.get(outcome.duplicate_of) if outcome and outcome.duplicate_of else None
        form_type = row.get("form_type") or (original.form_type if original else "")
        crop, page_image = _crop_for(row, crops)
        key = (0 if row["severity"] == "error" else 1, rank, name, row["source_file"], field_rank.get(row["field"], 99))
        keyed.append((key, _Issue(row, name, category, form_type, outcome, crop, page_image)))
    keyed.sort(key=lambda kv: kv[0])
    return [issue for _, issue in keyed]


def _issues_sheet(
    ws: Worksheet,
    exception_rows: list[dict[str, str]],
    outcomes: list[FileOutcome],
    registry: UnitRegistry,
    outdir: Path,
) -> None:
    form_names = all_form_names()
    forms = {f.form_type: f for f in load_forms()}
    col = {name: i + 1 for i, (name, _) in enumerate(ISSUE_COLUMNS)}
    for name, i in col.items():
        _put(ws, 1, i, name)
    ws.cell(row=1, column=col[corr.H_CORRECTION]).comment = Comment(
        "在此填写正确的内容并保存，下次运行时程序会用它重新核对，问题解决后此行自动消失。"
        "灰色格子表示该问题无法通过填写更正，请联系报送单位。模块、面向群体可写“团结引领;为民服务”。",
        "省科协",
    )
    ws.cell(row=1, column=col[corr.H_ALIAS]).comment = Comment(
        "单位名称更正时可选“是”：把原写法提交给名录管理员审核，审核后以后同样写法自动识别。", "省科协"
    )
    alias_rule = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    ws.add_data_validation(alias_rule)
    band, last_group, last_sev, widest = True, None, None, 0
    sid_of = {o.source_file: o.submission_id for o in outcomes}
    for r, issue in enumerate(_issues(exception_rows, outcomes, registry), start=2):
        row, severity = issue.row, issue.row["severity"]
        group = (issue.unit, issue.category)
        if severity != last_sev:  # the warnings block starts its own banding
            band, last_group, last_sev = True, None, severity
        starts_group = group != last_group
        if starts_group:  # alternate shading per unit, a rule above each unit's first row
            band, last_group = not band, group
        values = {
            "单位": issue.unit,
            "单位类别": issue.category,
            "表格": form_names.get(issue.form_type, "（未识别）"),
            "严重程度": SEVERITY_ZH.get(severity, severity),
            "问题说明": row["message"],
            "字段": column_label(issue.form_type, row["field"]),
            corr.H_READ: row["raw_value"],
            "建议值": row["suggestion"],
            "页码": row.get("page", ""),
            "识别置信度": row.get("confidence", ""),
            "问题代码": row["code"],
            corr.H_FIELD: row["field"],
            corr.H_SUBMISSION: row["submission_id"],
            corr.H_ALSO: row.get("also_in", ""),
            corr.H_ALSO_IDS: ";".join(sid_of.get(f, "") for f in _also(row)),
            corr.H_ROW: row.get("row_hint", ""),
        }
        for name, value in values.items():
            _put(ws, r, col[name], value)
        source_path = getattr(issue.outcome, "source_path", "") if issue.outcome else ""
        _link(ws, r, col[corr.H_FILE], row["source_file"], source_path, outdir)
        for c in range(1, len(ISSUE_COLUMNS) + 1):
            cell = ws.cell(row=r, column=c)
            cell.alignment = Alignment(vertical="top", wrap_text=c == col["问题说明"])
            if band:
                cell.fill = BAND_FILL
            if starts_group:
                cell.border = GROUP_TOP
        ws.cell(row=r, column=col["严重程度"]).font = ERROR_FONT if severity == "error" else WARN_FONT
        fix = ws.cell(row=r, column=col[corr.H_CORRECTION])
        fix.number_format = "@"  # typed digits stay text: 0971… keeps its 0, 13897012345 stays whole
        # a Word/PDF difference (revisions) is settled by choosing a version, not by typing a value
        can_fix = row["code"] != "duplicate_submission" and corr.correctable(forms.get(issue.form_type), row["field"])
        fix.fill = INPUT_FILL if can_fix else NA_FILL
        alias = ws.cell(row=r, column=col[corr.H_ALIAS])
        if can_fix and row["field"] == "unit_raw":
            alias.fill = INPUT_FILL
            alias_rule.add(alias)
        else:
            alias.fill = NA_FILL
        widest = max(widest, _embed_crop(ws, r, col["原件截图"], issue.crop_path))
        if issue.crop_path and issue.page_image:  # the page number opens the whole page the crop was cut from
            _link(ws, r, col["页码"], row.get("page", "") or "整页", issue.page_image, outdir)
    _finish_sheet(ws, [cap for _, cap in ISSUE_COLUMNS])
    _fit_rows(ws, col["问题说明"], col["原件截图"], widest)


def _also(row: dict[str, str]) -> list[str]:
    return [f for f in row.get("also_in", "").split(";") if f]


def _fit_rows(ws: Worksheet, wrapped_col: int, picture_col: int, picture_px: int) -> None:
    """Room for the pictures (the widest sets the column: a picture wider than its cell would cover the next
    columns) and for the wrapped message (not every spreadsheet program fits rows itself)."""
    if picture_px:
        ws.column_dimensions[get_column_letter(picture_col)].width = picture_px / PX_PER_CHAR + 2
    width = ws.column_dimensions[get_column_letter(wrapped_col)].width or 10
    for row in range(2, ws.max_row + 1):
        lines = math.ceil(_display_width(ws.cell(row, wrapped_col).value or "") / max(width - 1, 1))
        current = ws.row_dimensions[row].height or 0
        if lines > 1 or current:
            ws.row_dimensions[row].height = max(current, 15 * max(lines, 1))


def _embed_crop(ws: Worksheet, row: int, col: int, crop_path: str | None) -> int:
    """The crop in its cell, every line of text readable, the row tall enough; returns its width in pixels."""
    if not crop_path or not Path(crop_path).is_file():
        return 0
    with Image.open(crop_path) as im:  # copied into memory: the crop folder may be temporary
        buffer = io.BytesIO()
        im.convert("RGB").save(buffer, format="PNG")
        width, height = display_size(*im.size, text_lines(im))
    image = XlImage(buffer)
    image.width, image.height = width, height  # the anchor's size: Excel scales the picture to it
    ws.add_image(image, f"{get_column_letter(col)}{row}")
    current = ws.row_dimensions[row].height or 15
    ws.row_dimensions[row].height = max(current, height * PT_PER_PX + 6)
    return width


# ------------------------------------------------------------------ 报送情况 and 更正记录


def _tracker_sheet(ws: Worksheet, rows: list[dict[str, str]], inbox_paths: dict[str, str], outdir: Path) -> None:
    for i, (header, _, _) in enumerate(TRACKER_HEADERS, start=1):
        _put(ws, 1, i, header)
    status_col = next(i for i, (_, key, _) in enumerate(TRACKER_HEADERS, start=1) if key == "status_zh")
    files_col = next(i for i, (_, key, _) in enumerate(TRACKER_HEADERS, start=1) if key == "files")
    band, last_unit = True, None
    for r, row in enumerate(rows, start=2):
        if row["unit_name"] != last_unit:  # shade alternate units, so a unit's forms read as one block
            band, last_unit = not band, row["unit_name"]
        for c, (_, key, _) in enumerate(TRACKER_HEADERS, start=1):
            value = row.get(key, "")
            if band:
                ws.cell(row=r, column=c).fill = BAND_FILL
            if key == "open_errors" and value == "0":
                value = ""
            elif key == "required":
                value = "必交" if value == "true" else "非必交"
            elif key == "arrived_basis":
                value = BASIS_ZH.get(value, value)
            _put(ws, r, c, value)
        files = row.get("files", "").split(";") if row.get("files") else []
        if len(files) == 1:
            _link(ws, r, files_col, files[0], inbox_paths.get(files[0], ""), outdir)
        fill = STATUS_FILL.get(row["status"])
        if fill is not None:
            ws.cell(row=r, column=status_col).fill = fill
    _finish_sheet(ws, [cap for _, _, cap in TRACKER_HEADERS])


CORRECTION_HEADERS = [("文件", 36), ("字段", 14), ("原读取值", 24), ("更正值", 24), ("录入日期", 11),
                      ("录入方式", 9), ("本次运行", 30)]  # fmt: skip


def _corrections_sheet(ws: Worksheet, outdir: Path, outcomes: list[FileOutcome]) -> None:
    for i, (header, _) in enumerate(CORRECTION_HEADERS, start=1):
        _put(ws, 1, i, header)
    applied = {(a.correction.key, o.source_file) for o in outcomes for a in getattr(o, "corrections_applied", [])}
    present = {o.submission_id for o in outcomes} | {o.source_file for o in outcomes}
    for r, c in enumerate(corr.read_corrections_csv(outdir / corr.CORRECTIONS_CSV), start=2):
        if any(key == c.key for key, _ in applied):
            state = "已应用"
        elif (c.submission_id or c.source_file) not in present:
            state = "未应用：收件箱中已无此文件（可能已重新报送）"
        else:
            state = "未应用：该项读取内容已变或无需更正"
        via = "问题清单" if c.entered_via == "workbook" else "corrections.csv"
        form_type = next((o.form_type for o in outcomes if c.source_file == o.source_file), "")
        values = [c.source_file, column_label(form_type, c.field), c.old_value, c.new_value, c.entered_on, via, state]
        for col, value in enumerate(values, start=1):
            _put(ws, r, col, value)
    _finish_sheet(ws, [cap for _, cap in CORRECTION_HEADERS])


def build_workbook(
    outcomes: list[FileOutcome],
    tables: dict[str, list[dict[str, str]]],
    tracker_rows: list[dict[str, str]],
    outdir: Path,
    registry: UnitRegistry,
) -> bytes:
    """The workbook's bytes (the writer saves them atomically beside exceptions.csv).

    问题清单 lists the rows of exceptions.csv (`tables`), so the two never disagree; `outcomes` add the
    unit, the link to the file and the pictures.
    """
    book = Workbook()
    issues = book.active
    issues.title = ISSUES_SHEET
    _issues_sheet(issues, tables.get("exceptions.csv", []), outcomes, registry, outdir)
    paths = {o.source_file: getattr(o, "source_path", "") for o in outcomes}
    _tracker_sheet(book.create_sheet(TRACKER_SHEET), tracker_rows, paths, outdir)
    _corrections_sheet(book.create_sheet(CORRECTIONS_SHEET), outdir, outcomes)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
