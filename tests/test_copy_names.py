"""A copy saved beside the original (`X(1).pdf`, `X - 副本.docx`) is the duplicate, not the original."""

from __future__ import annotations

import pytest

from flows.outcome import FileOutcome
from flows.tables.copy_names import is_copy_name_of, plain_stem
from flows.tables.writer import mark_duplicates


@pytest.mark.parametrize(
    "copy, original",
    [
        ("pdf/果洛州科协筹备方案(1).pdf", "pdf/果洛州科协筹备方案.pdf"),
        ("pdf/果洛州科协筹备方案（2）.pdf", "pdf/果洛州科协筹备方案.pdf"),
        ("word/附件2 联络员回执表-海西州科协 - 副本.docx", "word/附件2 联络员回执表-海西州科协.docx"),
        ("word/回执表 - Copy.docx", "word/回执表.docx"),
        ("word/复件 回执表.docx", "word/回执表.docx"),
        ("海西州方案（副本）.docx", "海西州方案.docx"),
        ("word/回执表 - 副本 (2).docx", "word/回执表.docx"),
    ],
)
def test_copy_decorations_are_recognised(copy: str, original: str) -> None:
    assert is_copy_name_of(copy, original)
    assert not is_copy_name_of(original, copy)


@pytest.mark.parametrize(
    "name, other",
    [
        ("word/附件2 联络员回执表-海西州科协.docx", "word/附件2 联络员回执表.docx"),  # the unit is not a decoration
        ("pdf/方案(1).pdf", "word/方案.pdf"),  # another folder
        ("pdf/方案(1).pdf", "pdf/方案.docx"),  # another format
        ("pdf/方案(1).pdf", "pdf/方案(1).pdf"),
    ],
)
def test_other_differences_are_not_copy_names(name: str, other: str) -> None:
    assert not is_copy_name_of(name, other)


def test_plain_stem_strips_repeated_decorations() -> None:
    assert plain_stem("回执表 - 副本(1).docx") == "回执表"


def test_the_copy_gets_the_duplicate_warning_whatever_the_sorted_order() -> None:
    # "(" sorts before ".", so discover() meets the copy first
    copy = FileOutcome(source_file="pdf/方案(1).pdf", submission_id="same-bytes")
    original = FileOutcome(source_file="pdf/方案.pdf", submission_id="same-bytes")
    mark_duplicates([copy, original])
    assert copy.duplicate_of == "pdf/方案.pdf"
    assert [f.code for f in copy.file_findings] == ["duplicate_submission"]
    assert original.duplicate_of == "" and original.file_findings == []


def test_two_plain_names_keep_the_first_as_the_original() -> None:
    first = FileOutcome(source_file="a/方案.pdf", submission_id="same-bytes")
    later = FileOutcome(source_file="b/方案.pdf", submission_id="same-bytes")
    mark_duplicates([first, later])
    assert later.duplicate_of == "a/方案.pdf" and first.duplicate_of == ""
