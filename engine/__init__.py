"""Codebook engine: read data dictionaries and datasets, parse, profile and validate them.

The engine never imports gradio; app.py and the CLI (python -m engine) are its two front ends.
"""
