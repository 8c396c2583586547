"""The README documents every setting the app reads and the two commands that work."""

from __future__ import annotations

from pathlib import Path

from engine.settings import SETTINGS_TABLE

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented():
    missing = [var for var, *_ in SETTINGS_TABLE if f"`{var}`" not in README]
    assert not missing, f"settings missing from README: {missing}"


def test_spaces_front_matter_and_commands():
    assert README.startswith("---\n")
    assert "sdk: gradio" in README and "app_file: app.py" in README
    assert "./scripts/run" in README and "./scripts/test" in README


def test_ci_runs_the_readme_test_command():
    ci = (Path(__file__).resolve().parents[2] / ".ci" / "run").read_text()
    assert "./scripts/test" in ci
