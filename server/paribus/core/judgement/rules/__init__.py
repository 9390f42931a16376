"""The rules, one small unit each; importing this package registers them all."""

from paribus.core.judgement.rules import (  # noqa: F401
    baseline,
    card_rules,
    change,
    diagnosis,
    evidence,
    hypothesis,
    log_rules,
    notebook_rules,
    priority,
    seeding,
    tracker_runs,
    verdicts,
)
from paribus.core.judgement.rules.base import RULES, Example, Rule

__all__ = ["RULES", "Example", "Rule"]
