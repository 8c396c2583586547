"""Benchmarks: each script prints its figures (see the README's Speed section).  A package so
that tests import their helpers (`from bench import load`) without path edits."""
