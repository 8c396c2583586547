"""Hostile input files (decompression bombs, deep nesting, huge lines …) for the hostile tests
and bench/hostile.py: `generators.CASES`, built with `zipcraft`'s hand-made ZIP archives."""
