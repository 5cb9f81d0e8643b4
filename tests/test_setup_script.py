"""A fresh machine is set up by one script: the README's commands and CI call it, so they cannot drift."""

from __future__ import annotations

import re
import subprocess

from tests.conftest import ROOT

SETUP = ROOT / "scripts" / "setup.sh"


def _readme_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```bash\n(.+?)\n```", quick)


def test_readme_has_a_run_and_a_test_command_both_through_the_setup_script() -> None:
    run, test = _readme_commands()
    assert run.startswith("scripts/setup.sh && ") and "intake run" in run
    assert test.startswith("scripts/setup.sh --test && ") and "pytest" in test


def test_ci_runs_the_readme_test_command_word_for_word() -> None:
    _, test = _readme_commands()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test in ci


def test_setup_script_parses_and_refuses_an_unknown_mode() -> None:
    assert subprocess.run(["bash", "-n", str(SETUP)]).returncode == 0
    wrong = subprocess.run([str(SETUP), "--bogus"], capture_output=True, text=True)
    assert wrong.returncode == 2 and "usage" in wrong.stderr


def test_the_tests_programs_are_installed_by_the_test_mode() -> None:
    """Every system program a test looks for is a package the --test mode installs."""
    script = SETUP.read_text(encoding="utf-8")
    for package in ("libreoffice-writer-nogui", "fonts-noto-cjk", "poppler-utils", "chromium", "libgl1"):
        assert package in script, package
