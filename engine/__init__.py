"""Codebook engine: read data dictionaries and datasets, parse, profile and validate them.

The engine is a library: it never imports gradio, fastapi, starlette or uvicorn, nor anything
of web/ or app.py (tests/unit/test_layout.py, tests/integration/test_layout_imports.py).  Its jobs (engine.pipeline) are what the app
(web/handlers.py) and the CLI (python -m engine) both run.
"""
