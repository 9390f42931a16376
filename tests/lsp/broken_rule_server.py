"""The real server with one extra rule that always raises, to test how a broken rule is reported."""

from paribus.core.judgement.findings import Severity
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.lsp.server import serve


@register
class AlwaysRaises(Rule):
    """A rule with a bug.

    ## What it does
    Raises on every check.

    ## Why is this bad?
    It stands for any rule with a bug: the others must still be published.

    ## Example
    Any project.
    """

    code = "PB999"
    name = "always-raises"
    severity = Severity.WARNING
    INVALID = [Example({"train.py": ""})]

    def check(self, ctx):
        raise ZeroDivisionError("PB999 divides by zero on purpose")


if __name__ == "__main__":
    serve()
