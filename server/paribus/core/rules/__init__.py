"""The rules, one small unit each; importing this package registers them all."""

from paribus.core.rules import baseline, card_rules, change, diagnosis, evidence, hypothesis, log_rules, priority, verdicts  # noqa: F401
from paribus.core.rules.base import RULES, Example, Rule

__all__ = ["RULES", "Example", "Rule"]
