"""PB605: a notebook named as a training script that can be read as a notebook."""

from __future__ import annotations

import json
from typing import Iterable

from paribus.core.extract.notebooks import NotebookError, is_notebook, read_notebook
from paribus.core.judgement.findings import Finding, Severity
from paribus.core.judgement.rules.base import Example, Rule, register
from paribus.core.positions import Span

_CARD = 'scripts = ["train.ipynb"]\n'


def _notebook(*sources: str) -> str:
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": source.splitlines(keepends=True)} for source in sources]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1) + "\n"


_GOOD = _notebook("import torch\ntorch.manual_seed(0)", "LEARNING_RATE = 3e-4\nBATCH_SIZE = 32")
# What git leaves in a notebook both branches edited: conflict markers are not JSON.
_CONFLICTED = _GOOD.replace(
    '    "LEARNING_RATE = 3e-4\\n",\n',
    '<<<<<<< HEAD\n    "LEARNING_RATE = 3e-4\\n",\n=======\n    "LEARNING_RATE = 1e-3\\n",\n>>>>>>> tune-lr\n',
)
# A save cut short after six lines: the JSON ends where line 7 would begin.
_TRUNCATED = '{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": [\n    "LEARNING_RATE = 3e-4\\n",\n'


@register
class NotebookNotReadable(Rule):
    """A notebook named as a training script is not a notebook Jupyter could open.

    ## What it does
    Reports where a `.ipynb` file that the card's `scripts` (or a log entry's `script`) names
    stops being valid JSON — git conflict markers, a save cut short — or that the JSON holds no
    `cells` list (nbformat 4, or the worksheets of nbformat 3).

    ## Why is this bad?
    None of the notebook's cells can be read, so none of its hyperparameters is compared with
    the log: a notebook that changes two things at once would pass without a word.

    ## Example
    ```
    {
     "cells": [
    <<<<<<< HEAD
        "LEARNING_RATE = 3e-4\\n",
    =======
    ```

    ## Fix
    Resolve the conflict (or restore the notebook from version control) at the reported
    position, so that the file is the JSON Jupyter writes.
    """

    code = "PB605"
    name = "notebook-not-readable"
    severity = Severity.ERROR
    VALID = [Example({"paribus.toml": _CARD, "train.ipynb": _GOOD})]
    INVALID = [
        Example({"paribus.toml": _CARD, "train.ipynb": _CONFLICTED}, expect=(("train.ipynb", _CONFLICTED.split("\n").index("<<<<<<< HEAD") + 1),)),
        Example({"paribus.toml": _CARD, "train.ipynb": _TRUNCATED}, expect=(("train.ipynb", 7),)),
        Example({"paribus.toml": _CARD, "train.ipynb": '{"metadata": {}, "nbformat": 4}\n'}, expect=(("train.ipynb", 1),)),
    ]

    def check(self, ctx) -> Iterable[Finding]:
        for script in ctx.scripts:
            if not is_notebook(script.path) or script.text:
                continue  # a notebook with any Python in it was read
            text = ctx.project.read(script.path)
            if text is None:
                continue
            try:
                read_notebook(text)
            except NotebookError as error:
                yield self.finding(script.path, Span.point(error.line, error.column), f"{error}: none of its cells is checked")
