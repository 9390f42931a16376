"""Start-up loads what a first check needs and nothing else (counted in modules, not timed).

The editor waits for the server's first diagnostics: pandas, numpy, the prediction reader,
the scaffold templates, the YAML writer behind the fixes and the command line are for later,
when something asks for them.
"""

from __future__ import annotations

import json
import subprocess
import sys

NOT_AT_START = ("pandas", "numpy", "paribus.core.analysis.predictions", "paribus.core.actions.scaffold", "paribus.cli", "argparse",
                "paribus.core.actions.import_runs", "paribus.core.actions.record", "ruamel")

FIRST_CHECK = """
import json, sys
from pathlib import Path
from paribus.lsp.server import create_server
create_server()
from paribus.core.judgement.check import run_rules
from paribus.core.model.project import Project
findings = run_rules(Project(Path(sys.argv[1])).context())
print(json.dumps({"codes": sorted({f.code for f in findings}), "modules": sorted(sys.modules)}))
"""


def test_the_server_and_its_first_check_leave_heavy_modules_unloaded(tmp_path) -> None:
    (tmp_path / "paribus.toml").write_text('task = "t"\ninputs = "x"\noutputs = "y"\ndata = { type = "tabular" }\nstatus = "iterating"\nmetric = { name = "val_acc", goal = "max", target = 0.9 }\n')
    (tmp_path / "experiments.yaml").write_text("- id: b1\n  kind: baseline\n  params: {LR: 0.001}\n  result: {val_acc: 0.7}\n")
    (tmp_path / "train.py").write_text("import torch\n\nLR = 0.01\n\nif __name__ == '__main__':\n    torch.nn.Linear(4, 2)\n")
    ran = subprocess.run([sys.executable, "-c", FIRST_CHECK, str(tmp_path)], capture_output=True, text=True, check=True)
    report = json.loads(ran.stdout)
    assert "PB102" in report["codes"]  # the check ran: LR changed with no hypothesis
    loaded = [name for name in report["modules"] if name.startswith(NOT_AT_START)]
    assert loaded == []


def test_python_m_paribus_lsp_does_not_build_the_command_line() -> None:
    probe = "import runpy, sys; sys.argv = ['paribus', 'lsp']; import paribus.lsp.server as s; s.serve = lambda: print(sorted(sys.modules)); runpy.run_module('paribus', run_name='__main__')"
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    assert "paribus.cli" not in ran.stdout and "argparse" not in ran.stdout
