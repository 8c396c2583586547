"""Codebook engine: read data dictionaries and datasets, parse, profile and validate them.

The engine is a library: it never imports gradio, fastapi, starlette or uvicorn (tests/
test_layout.py), nor anything of web/ or app.py.  Its jobs (engine.pipeline) are what the app
(web/handlers.py) and the CLI (python -m engine) both run.
"""
