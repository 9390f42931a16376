"""The one exception the analyses raise: its message is written for the user."""


class AnalysisError(Exception):
    """A predictions file or a set of metrics that cannot be analysed, and why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
