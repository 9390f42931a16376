"""The text report, and the promise that importing the analyses stays cheap."""

from __future__ import annotations

import subprocess
import sys

from paribus.core.analysis import analyze_predictions
from paribus.core.analysis.report import render_text


def test_report_shows_verdict_chance_and_aligned_tables(tmp_path, frame_of, write_csv):
    frame = frame_of(
        [
            {"label": "AF", "pred": "normal", "count": 40},
            {"label": "AF", "pred": "AF", "count": 10},
            {"label": "normal", "pred": "normal", "count": 940},
            {"label": "normal", "pred": "AF", "count": 10},
        ]
    )
    text = render_text(analyze_predictions(write_csv(frame)))

    assert "1,000 examples evaluated, 50 errors, error rate 5.0%, accuracy 95.0%" in text
    assert "Chance: 95.0% (always 'normal', from evaluated labels); accuracy is NOT above chance by +0.0%" in text
    assert "Verdict: targeted-data — collect targeted data" in text
    table = text.split("Per class\n")[1].split("\n\n")[0].splitlines()
    assert table[0] == "  class   examples  errors  error rate  share of errors"
    assert table[2] == "  AF            50      40       80.0%            80.0%"
    assert table[3] == "  normal       950      10        1.1%            20.0%"


def test_importing_the_analyses_does_not_import_pandas_or_numpy():
    code = (
        "import sys, paribus.core.analysis, paribus.core.analysis.report; "
        "print(sorted({'pandas', 'numpy'} & set(sys.modules)))"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert output.strip() == "[]"
