"""Paribus: one change at a time, a hypothesis for each, error analysis first."""

__version__ = "0.1.0"
