"""The `codebook` command's help: the subcommands of `python -m engine`, examples that are real
invocations, the exit codes, and the command named as it was called (installing it:
tests/integration/test_cli_install.py)."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import pytest

from engine import cli_help
from engine.__main__ import build_parser

ROOT = Path(__file__).resolve().parents[2]


def example_argv(command: str, arguments: str) -> list[str]:
    """An example's arguments as the shell gives them (up to a redirection or a pipe)."""
    words = shlex.split(arguments)
    cut = next((i for i, w in enumerate(words) if w in (">", "|")), len(words))
    return ([command] if command else []) + words[:cut]


@pytest.mark.parametrize("command", list(cli_help.COMMANDS))
def test_every_example_in_the_help_is_a_valid_invocation(command, capsys):
    examples = cli_help.COMMANDS[command][1]
    assert 3 <= len(examples) <= 5
    for arguments, what in examples:
        argv = example_argv(command, arguments)
        if "--help" in argv:
            with pytest.raises(SystemExit) as stop:
                build_parser().parse_args(argv)
            assert stop.value.code == 0
            continue
        args = build_parser().parse_args(argv)
        named = command or next(w for w in argv if not w.startswith("-"))
        assert args.command == named, arguments
        assert what and "%" not in arguments + what     # (argparse fills in %(prog)s only)


@pytest.mark.parametrize("command", ["", "parse", "profile", "analyze"])
def test_each_command_prints_its_examples_and_the_exit_codes(command, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["/home/u/.local/bin/codebook"])
    with pytest.raises(SystemExit) as stop:
        build_parser().parse_args(([command] if command else []) + ["--help"])
    assert stop.value.code == 0
    out = capsys.readouterr().out
    prog = f"codebook {command}".strip()
    assert out.startswith(f"usage: {prog} ")
    first = cli_help.COMMANDS[command][1][0][0]
    assert f"examples:\n  {prog} {first}\n" in out
    assert "exit codes: 0 success; 2 bad input" in out


def test_the_help_names_the_command_as_it_was_called(monkeypatch):
    monkeypatch.setattr(sys, "argv", [str(ROOT / "engine" / "__main__.py")])
    assert build_parser().prog == "python -m engine"
    monkeypatch.setattr(sys, "argv", ["/venv/bin/codebook"])
    assert build_parser().prog == "codebook"
