"""The Chinese name staff see for a table column: the label the form prints beside the value.

One home for every screen that names a field (the workbook's 问题清单 and 更正记录, the pair-difference messages),
so a label edited in `schemas/forms/*.yaml` changes everywhere at once.
"""

from __future__ import annotations

from functools import lru_cache

from schemas.form_schema import load_forms

# Columns no form field prints a label for: whole parts of a plan and values we compute.
EXTRA_LABELS = {
    "stamp_present": "单位盖章",
    "description": "活动内容",
    "activities": "工作方案",
    "char_count": "正文字数",
    "title": "标题",
}
WHOLE_FILE = "（整个文件）"  # a finding about the file, not one field


@lru_cache(maxsize=1)
def _labels() -> dict[tuple[str, str], str]:
    """(form_type, column) -> label; ("", column) for a column any form may have."""
    labels = {("", column): text for column, text in EXTRA_LABELS.items()}
    for form in load_forms():
        for spec in form.fields:
            for column in (spec.column, spec.start_column, spec.end_column, spec.count_column):
                if column:
                    labels[(form.form_type, column)] = spec.label_zh
        for col in form.people.columns if form.people else []:
            labels[(form.form_type, col.column)] = col.label_zh
    return labels


def column_label(form_type: str, column: str) -> str:
    """The label of `column` on `form_type`'s form; the column's own name when nothing labels it."""
    if not column:
        return WHOLE_FILE
    labels = _labels()
    return labels.get((form_type, column)) or labels.get(("", column)) or column


def form_names() -> dict[str, str]:
    """form_type -> the form's Chinese name."""
    return {form.form_type: form.name_zh for form in load_forms()}
