"""Sample submissions for submission-intake: specs as data, a Word writer, and the ground truth beside them.

    from samples.generator import SPECS, render, truth_for
    truth_for(spec, "pdf_scan", stamped=True)   # a later script's stamped scan of the same submission
"""

from samples.generator.docx_writer import render
from samples.generator.model import SubmissionSpec
from samples.generator.specs import SPECS, spec_by_file
from samples.generator.truth import dumps, truth_file_name, truth_for

__all__ = ["SPECS", "SubmissionSpec", "dumps", "render", "spec_by_file", "truth_file_name", "truth_for"]
