"""What PB203, PB302–PB305 and PB401–PB405 say about the ecg-af demo, and why."""

from __future__ import annotations

from pathlib import Path

from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project

DEMO = Path(__file__).resolve().parents[2] / "examples" / "ecg-af"
CODES = ["PB203", "PB302", "PB303", "PB304", "PB305", "PB401", "PB402", "PB403", "PB404", "PB405"]


def test_only_the_proof_of_concept_reminder_fires_on_the_demo() -> None:
    findings = run_rules(Project(DEMO).context(), select=CODES)
    # e1/e2 verdicts match their numbers, ea1 examined 60, e1 targets inverted-lead (17) against
    # noisy-signal (22) — a near tie —, train.py saves predictions, x1 precedes b1, b1 is well above
    # chance, e1 is a data-quality fix and e2 a learning rate under variance: none of those fire.
    # The card still says greenfield and e1 comes after no `poc` entry.
    assert [(f.code, f.path.name, f.span.line) for f in findings] == [("PB405", "experiments.yaml", 40)]
