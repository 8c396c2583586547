"""The README documents every setting the app reads (a row of its Settings table each, with the
default the code has), the two commands that work, the layout that is there, and the dated
records it points to."""

from __future__ import annotations

import re
from pathlib import Path

from engine.settings import SETTINGS_TABLE

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(heading: str) -> str:
    """The text of the README's `## heading` section (up to the next `## `)."""
    start = README.index(f"\n## {heading}\n")
    end = README.find("\n## ", start + 1)
    return README[start:end if end != -1 else len(README)]


def settings_rows() -> dict[str, str]:
    """The Settings table: variable -> its default as written."""
    return dict(re.findall(r"^\| `(CODEBOOK_\w+)` \| ([^|]*?) \|", section("Settings"), re.M))


def same_default(written: str, default) -> bool:
    """A default as the README writes it against the code's (300 for 300.0; a computed
    default, such as the cache folder, is written as it turns out)."""
    if default is None or default == "":
        return bool(written)
    if isinstance(default, (int, float)):
        try:
            return float(written) == float(default)
        except ValueError:
            return False
    return written == str(default)


def test_every_setting_has_a_row_of_the_settings_table_with_its_default():
    rows = settings_rows()
    missing = [var for var, *_ in SETTINGS_TABLE if var not in rows]
    assert not missing, f"settings missing from the README's Settings table: {missing}"
    stale = sorted(set(rows) - {var for var, *_ in SETTINGS_TABLE})
    assert not stale, f"rows of the README's Settings table for no setting: {stale}"
    wrong = {var: (rows[var], default) for var, _, _, default, _ in SETTINGS_TABLE
             if not same_default(rows[var], default)}
    assert not wrong, f"defaults that differ (README, code): {wrong}"


def test_spaces_front_matter_and_commands():
    assert README.startswith("---\n")
    assert "sdk: gradio" in README and "app_file: app.py" in README
    assert "./scripts/run" in README and "./scripts/test" in README
    assert (ROOT / "scripts" / "run").exists() and (ROOT / "scripts" / "test").exists()


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "./scripts/test" in ci


def test_the_layout_names_what_is_there():
    """Every path the Layout block names exists, and every top-level folder is named."""
    block = section("Layout").split("```")[1]
    named, folders = set(), []       # folders: (indent, path) of the folders open above
    for line in block.splitlines():
        m = re.match(r"^( *)(\S+/)\s", line + " ")
        if m:
            indent = len(m.group(1))
            folders = [(i, f) for i, f in folders if i < indent]
            path = (folders[-1][1] if folders else "") + m.group(2)
            folders.append((indent, path))
            named.add(path.rstrip("/"))
    assert named, block
    assert not [p for p in named if not (ROOT / p).exists()], named
    tops = {p.name for p in ROOT.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))
            and p.name not in ("build", "dist") and not p.name.endswith(".egg-info")}
    assert tops <= named, f"top-level folders the Layout does not name: {tops - named}"


def test_the_perf_records_it_points_to_exist():
    links = re.findall(r"\(docs/perf/([^)]*\.md)\)", README)
    assert links, "the Speed table points to no record"
    assert not [n for n in links if not (ROOT / "docs" / "perf" / n).exists()], links
