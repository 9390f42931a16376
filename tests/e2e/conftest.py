"""Fixtures of the end-to-end tests (defined in e2e_support.py)."""

from e2e_support import editors_installed, python, vsix  # noqa: F401  (pytest fixtures)
