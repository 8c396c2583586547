"""All settings in one table: name, default, help. Read once from the environment at start-up.

Engine functions never read environment variables themselves: the app and the CLI build a
`Settings` with `Settings.from_env()` and pass it (or the parts they need) down.  An invalid
value stops start-up with a message that names the variable.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Mapping

from .errors import ConfigError

_SIZE_UNITS = {"": 1, "b": 1, "kb": 1000, "mb": 1000**2, "gb": 1000**3,
               "kib": 1024, "mib": 1024**2, "gib": 1024**3}


def parse_size(text: str) -> int:
    """'500MB', '1.5 GiB', '1024' -> bytes."""
    m = re.fullmatch(r"\s*([0-9]*\.?[0-9]+)\s*([a-zA-Z]*)\s*", text)
    if not m or m.group(2).lower() not in _SIZE_UNITS:
        raise ValueError(f"not a size: {text!r} (use e.g. 500MB or 2GiB)")
    return int(float(m.group(1)) * _SIZE_UNITS[m.group(2).lower()])


def _default_cache_dir() -> str:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return str(Path(base) / "codebook")


# (env var, attribute, type, default, help) — README's settings table mirrors this.
SETTINGS_TABLE: list[tuple[str, str, str, Any, str]] = [
    ("CODEBOOK_HOST", "host", "str", "127.0.0.1",
     "address the app listens on (0.0.0.0 in Docker); unset, GRADIO_SERVER_NAME if set"),
    ("CODEBOOK_PORT", "port", "int", 7860,
     "port the app listens on; unset, GRADIO_SERVER_PORT if set"),
    ("CODEBOOK_MAX_FILE_SIZE", "max_file_size", "size", "500MB", "largest upload accepted"),
    ("CODEBOOK_QUEUE_MAX_SIZE", "queue_max_size", "int", 256,
     "jobs allowed to wait in the queue; beyond it new requests get 'busy, try again'"),
    ("CODEBOOK_SESSIONS", "sessions", "int", 1000,
     "sessions (browser tabs, gradio_client Clients) whose state is kept in memory, about "
     "0.5 MB each; beyond it the least recently used lose theirs (Gradio keeps a closed "
     "session's state for an hour, so this is what bounds memory)"),
    ("CODEBOOK_MAX_THREADS", "max_threads", "int", 400,
     "Gradio's cap on all running queued events (its default of 40 makes light events wait "
     "behind long LLM jobs)"),
    ("CODEBOOK_LIGHT_CONCURRENCY", "light_concurrency", "int", 16,
     "parses and profiles of small files running at once"),
    ("CODEBOOK_HEAVY_CONCURRENCY", "heavy_concurrency", "int", 2,
     "large files and PDFs read at once (parses, profiles, checks), each in a worker "
     "process of its own; about the core count"),
    ("CODEBOOK_CPU_WORKERS", "cpu_workers", "int", 2,
     "worker processes for CPU-bound steps on small files (rule-based parses, profiles, "
     "checks, LLM chunking), so the serving process stays responsive; large files and PDFs "
     "get a worker each (at most CODEBOOK_HEAVY_CONCURRENCY at once); 0 = run every step in "
     "threads of the serving process (no memory ceiling, no time limit)"),
    ("CODEBOOK_WORKER_MEMORY", "worker_memory", "size", "3GB",
     "memory one worker may take for one file (parse, profile, check), beyond what it holds "
     "at start; a file that needs more fails with a message saying so, and the worker is "
     "replaced (0 = no ceiling)"),
    ("CODEBOOK_WORKER_TIMEOUT", "worker_timeout", "float", 300.0,
     "seconds one step on one file (parse, profile, check) may run in a worker; then the "
     "worker is stopped and replaced, and the step fails with a message saying so"),
    ("CODEBOOK_LLM_JOBS", "llm_jobs", "int", 128,
     "LLM refinement jobs in flight at once (each mostly waits on the provider)"),
    ("CODEBOOK_LLM_CONCURRENCY", "llm_concurrency", "int", 16,
     "LLM calls in flight at once, process-wide, shared by all users"),
    ("CODEBOOK_LLM_RPM", "llm_rpm", "int", 0, "LLM requests per minute, process-wide (0 = no limit)"),
    ("CODEBOOK_LLM_TPM", "llm_tpm", "int", 0, "LLM tokens per minute, process-wide (0 = no limit)"),
    ("CODEBOOK_CHUNK_TOKENS", "chunk_tokens", "int", 1500,
     "size budget of one LLM chunk, in estimated tokens"),
    ("CODEBOOK_LLM_TIMEOUT", "llm_timeout", "float", 60.0, "seconds one LLM call may take"),
    ("CODEBOOK_LLM_RETRIES", "llm_retries", "int", 4,
     "retries of one LLM call after 429/5xx/timeouts"),
    ("CODEBOOK_LLM_DEADLINE", "llm_deadline", "float", 600.0, "seconds one LLM job may take"),
    ("CODEBOOK_CACHE_DIR", "cache_dir", "str", None, "where LLM results are cached (default ~/.cache/codebook)"),
    ("CODEBOOK_CACHE_SIZE", "cache_size", "size", "1GB", "size bound of the LLM cache"),
    ("CODEBOOK_UPLOAD_TTL", "upload_ttl", "int", 3600,
     "seconds after which uploaded files and generated downloads are deleted"),
    ("CODEBOOK_MCP", "mcp", "bool", "1",
     "serve the tools for AI assistants over MCP at /gradio_api/mcp/ (analyze_data, "
     "get_data_info, parse_dictionary, profile_dataset); 0 turns it off"),
    ("CODEBOOK_PATCHES", "patches", "str", "all",
     "patches of Gradio's, FastAPI's and starlette's internals applied (web/patches/): all, "
     "none, or names separated by commas; each applies only on the versions it was written for"),
    # bounds on what a file may expand to, checked before the bytes are expanded
    ("CODEBOOK_MAX_UNZIPPED_SIZE", "max_unzipped_size", "size", "256MB",
     "uncompressed size of one XML part of an XLSX or DOCX file (its declared size is checked "
     "before reading, its actual bytes as they are read)"),
    ("CODEBOOK_MAX_CELLS", "max_cells", "int", 5_000_000,
     "cells (and shared strings) of a spreadsheet or JSON dataset, which are read cell by cell; "
     "CSV and Parquet datasets are bounded by CODEBOOK_MAX_FILE_SIZE"),
    ("CODEBOOK_MAX_DICTIONARY_CELLS", "max_dictionary_cells", "int", 1_000_000,
     "cells of all the tables of one dictionary file, merged and spanned cells counted filled"),
    ("CODEBOOK_MAX_COLUMNS", "max_columns", "int", 16_384,
     "columns of a dataset, or of one table of a dictionary"),
    ("CODEBOOK_MAX_LINE_LENGTH", "max_line_length", "size", "8MiB",
     "longest line of a delimited text file, and longest cell of a workbook"),
    ("CODEBOOK_MAX_NESTING", "max_nesting", "int", 200,
     "nesting levels of a JSON or YAML file"),
    ("CODEBOOK_MAX_YAML_NODES", "max_yaml_nodes", "int", 1_000_000,
     "values of a YAML file once its aliases (*name) are expanded"),
    ("CODEBOOK_MAX_LOGIC_DEPTH", "max_logic_depth", "int", 50,
     "nesting depth of one branching-logic expression (parentheses, not, operator chains)"),
]


@dataclass(frozen=True)
class Settings:
    """Typed settings; see SETTINGS_TABLE for names, defaults and meanings."""

    host: str = "127.0.0.1"
    port: int = 7860
    max_file_size: int = 500 * 1000**2
    queue_max_size: int = 256
    max_threads: int = 400
    light_concurrency: int = 16
    heavy_concurrency: int = 2
    sessions: int = 1000
    cpu_workers: int = 2
    worker_memory: int = 3 * 1000**3
    worker_timeout: float = 300.0
    llm_jobs: int = 128
    llm_concurrency: int = 16
    llm_rpm: int = 0
    llm_tpm: int = 0
    chunk_tokens: int = 1500
    llm_timeout: float = 60.0
    llm_retries: int = 4
    llm_deadline: float = 600.0
    cache_dir: str = ""
    cache_size: int = 1000**3
    upload_ttl: int = 3600
    mcp: bool = True
    patches: str = "all"
    max_unzipped_size: int = 256 * 1000**2
    max_cells: int = 5_000_000
    max_dictionary_cells: int = 1_000_000
    max_columns: int = 16_384
    max_line_length: int = 8 * 1024**2
    max_nesting: int = 200
    max_yaml_nodes: int = 1_000_000
    max_logic_depth: int = 50
    # provider (the usual OpenAI / Azure variables; the key is never shown anywhere)
    openai_api_key: str = ""
    openai_base_url: str = ""
    openai_model: str = ""
    azure_endpoint: str = ""
    azure_api_key: str = ""
    azure_deployment: str = ""
    openai_api_version: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        """Settings from environment variables; ConfigError names the variable that is wrong."""
        env = os.environ if env is None else env
        values: dict[str, Any] = {}
        for var, attr, kind, default, _help in SETTINGS_TABLE:
            raw = env.get(var)
            if raw is None or raw.strip() == "":
                raw = default
            values[attr] = _convert(var, kind, raw)
        if not values["cache_dir"]:
            values["cache_dir"] = _default_cache_dir()
        values.update(
            openai_api_key=env.get("OPENAI_API_KEY", ""),
            openai_base_url=env.get("OPENAI_BASE_URL", ""),
            openai_model=env.get("OPENAI_MODEL", ""),
            azure_endpoint=env.get("AZURE_OPENAI_ENDPOINT", ""),
            azure_api_key=env.get("AZURE_OPENAI_API_KEY", ""),
            azure_deployment=env.get("AZURE_OPENAI_DEPLOYMENT", ""),
            openai_api_version=env.get("OPENAI_API_VERSION", ""),
        )
        unknown = sorted(k for k in env if k.startswith("CODEBOOK_") and k not in _KNOWN_VARS)
        if unknown:
            raise ConfigError(f"Unknown setting {unknown[0]}. Known settings: "
                              + ", ".join(sorted(_KNOWN_VARS)))
        return cls(**values)

    def __repr__(self) -> str:  # never print keys
        shown = {f.name: getattr(self, f.name) for f in fields(self) if "key" not in f.name}
        return f"Settings({shown})"


_KNOWN_VARS = {row[0] for row in SETTINGS_TABLE}
_BOOLS = {"1": True, "true": True, "yes": True, "on": True,
          "0": False, "false": False, "no": False, "off": False}


def _convert(var: str, kind: str, raw: Any) -> Any:
    if raw is None:
        return None
    try:
        if kind == "int":
            value = int(raw)
            if value < 0:
                raise ValueError("must not be negative")
            return value
        if kind == "float":
            value = float(raw)
            if value <= 0:
                raise ValueError("must be positive")
            return value
        if kind == "size":
            return raw if isinstance(raw, int) else parse_size(str(raw))
        if kind == "bool":
            return _BOOLS[str(raw).strip().lower()]
        return str(raw)
    except KeyError:
        raise ConfigError(f"{var}={raw!r} is not valid: use 1 or 0") from None
    except ValueError as exc:
        raise ConfigError(f"{var}={raw!r} is not valid: {exc}") from None
