"""Paribus: one change at a time, a hypothesis for each, error analysis first."""

__version__ = "0.1.0"


def record(**metrics):
    """Record a training run's metrics in the experiment log (see ``paribus.recording``)."""
    from paribus.recording import record as _record

    return _record(**metrics)
