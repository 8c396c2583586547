"""Settings: defaults, parsing, and clear errors naming the variable."""

from __future__ import annotations

import pytest

from engine.errors import ConfigError
from engine.settings import Settings, parse_size


def test_defaults():
    s = Settings.from_env({})
    assert s.max_file_size == 500_000_000 and s.port == 7860 and s.max_threads >= 200


def test_sizes():
    assert parse_size("500MB") == 500_000_000
    assert parse_size("2 GiB") == 2 * 1024**3
    assert Settings.from_env({"CODEBOOK_MAX_FILE_SIZE": "10mb"}).max_file_size == 10_000_000


@pytest.mark.parametrize("env, word", [
    ({"CODEBOOK_PORT": "abc"}, "CODEBOOK_PORT"),
    ({"CODEBOOK_LLM_TIMEOUT": "-1"}, "CODEBOOK_LLM_TIMEOUT"),
    ({"CODEBOOK_MAX_FILE_SIZE": "lots"}, "CODEBOOK_MAX_FILE_SIZE"),
    ({"CODEBOOK_TYPO": "1"}, "CODEBOOK_TYPO"),
])
def test_bad_values_name_the_variable(env, word):
    with pytest.raises(ConfigError, match=word):
        Settings.from_env(env)


def test_key_never_in_repr():
    s = Settings.from_env({"OPENAI_API_KEY": "sk-secret-123"})
    assert "sk-secret-123" not in repr(s)
