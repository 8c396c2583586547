"""The house's walls seen from a fresh interpreter: importing every module of engine/ loads no web
framework, no server, nothing of web/ or app.py (the import graph's rules: tests/unit/test_layout.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = ("gradio", "fastapi", "starlette", "uvicorn")


def test_no_engine_module_imports_a_web_framework_or_server():
    """Every module of engine, imported in a fresh interpreter, leaves gradio, fastapi,
    starlette and uvicorn unimported (and web, app)."""
    script = (
        "import json, pkgutil, sys, importlib, engine\n"
        "names = [m.name for m in pkgutil.walk_packages(engine.__path__, 'engine.')\n"
        "         if not m.name.endswith('__main__')]\n"
        "for name in names:\n"
        "    importlib.import_module(name)\n"
        "print(json.dumps({'modules': len(names), 'loaded': sorted({m.split('.')[0]\n"
        "      for m in sys.modules})}))\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.splitlines()[-1])
    assert result["modules"] > 100                       # the walk found the whole engine
    loaded = set(result["loaded"])
    assert not loaded & {*FRAMEWORKS, "web", "app", "simulator", "harness"}, loaded
