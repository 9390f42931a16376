"""The processes Paribus runs itself: quick to start, and collecting garbage once running."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json, os, sys
sys.argv = ["paribus", "lsp"]
import paribus.lsp.server as server
seen = {}
def serve_once():
    seen["while_loading"] = {"gc": gc.isenabled(), "plugins": os.environ.get("PYDANTIC_DISABLE_PLUGINS")}
    server.create_server()
    from paribus.process import collect_garbage_less_often
    collect_garbage_less_often()
    seen["serving"] = {"gc": gc.isenabled(), "threshold": gc.get_threshold()[0]}
    print(json.dumps(seen))
server.serve = serve_once
import runpy
runpy.run_module("paribus", run_name="__main__")
"""


def test_the_server_loads_without_collecting_then_collects_while_it_serves() -> None:
    ran = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True)
    assert ran.returncode == 0, ran.stderr
    seen = json.loads(ran.stdout)
    assert seen["while_loading"] == {"gc": False, "plugins": "__all__"}
    assert seen["serving"] == {"gc": True, "threshold": 200_000}


def test_the_command_line_collects_garbage_once_it_runs(tmp_path) -> None:
    probe = ("import gc, sys; from paribus.cli import main; sys.argv = ['paribus', 'rule'];"
             " code = main(); print(); print(gc.isenabled(), gc.get_threshold()[0], file=sys.stderr); sys.exit(code)")
    ran = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert ran.stderr.split() == ["True", "200000"]
