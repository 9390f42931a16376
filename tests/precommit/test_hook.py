"""The pre-commit hook, with the real `pre-commit` in a temporary git repository: a commit that
changes two values of train.py is blocked with PB101 on both lines; a clean one goes through."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# What `pip install .` of a hook repository needs: the package and its metadata.
HOOK_REPO_FILES = [".pre-commit-hooks.yaml", "pyproject.toml", "README.md", "LICENSE", "server"]

CARD = 'task = "Classify windows"\nmetric = { name = "val_acc", goal = "max" }\nscripts = ["train.py"]\n'
LOG = "- id: b1\n  kind: baseline\n  params: {LEARNING_RATE: 0.001, BATCH_SIZE: 32}\n  result: {val_acc: 0.74}\n"
TRAIN = "import random\n\nrandom.seed(0)\nLEARNING_RATE = 0.001\nBATCH_SIZE = 32\n"


def _git(folder: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(["git", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def hooked_project(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A project whose commits run the hook from this checkout (installed once per module)."""
    scratch = tmp_path_factory.mktemp("pre-commit")
    env = dict(os.environ, PRE_COMMIT_HOME=str(scratch / "cache"), GIT_AUTHOR_NAME="Ada", GIT_AUTHOR_EMAIL="ada@example.org",
               GIT_COMMITTER_NAME="Ada", GIT_COMMITTER_EMAIL="ada@example.org", GIT_CONFIG_GLOBAL=os.devnull)
    hooks = scratch / "hooks"
    hooks.mkdir()
    for name in HOOK_REPO_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, hooks / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        else:
            shutil.copy2(source, hooks / name)
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "hooks"]):
        assert _git(hooks, *command, env=env).returncode == 0
    revision = _git(hooks, "rev-parse", "HEAD", env=env).stdout.strip()

    project = scratch / "project"
    project.mkdir()
    (project / "paribus.toml").write_text(CARD)
    (project / "experiments.yaml").write_text(LOG)
    (project / "train.py").write_text(TRAIN)
    (project / ".pre-commit-config.yaml").write_text(
        f"repos:\n- repo: {hooks.as_uri()}\n  rev: {revision}\n  hooks:\n  - id: paribus\n"
    )
    assert _git(project, "init", "-q", env=env).returncode == 0
    installed = subprocess.run([sys.executable, "-m", "pre_commit", "install", "--install-hooks"], cwd=project, env=env,
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    assert _git(project, "add", "-A", env=env).returncode == 0
    first = _git(project, "commit", "-qm", "baseline", env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    return project, env


def test_a_commit_changing_two_values_is_blocked_with_pb101_on_both_lines(hooked_project) -> None:
    project, env = hooked_project
    head = _git(project, "rev-parse", "HEAD", env=env).stdout
    (project / "train.py").write_text(TRAIN.replace("0.001", "0.0003").replace("= 32", "= 64"))
    commit = _git(project, "commit", "-qam", "two changes", env=env)
    output = commit.stdout + commit.stderr
    assert commit.returncode != 0
    assert "train.py:4:17: PB101 [warning] LEARNING_RATE changed (0.001 → 0.0003) together with BATCH_SIZE" in output
    assert "train.py:5:14: PB101 [warning] BATCH_SIZE changed (32 → 64) together with LEARNING_RATE" in output
    assert _git(project, "rev-parse", "HEAD", env=env).stdout == head
    assert _git(project, "checkout", "--", "train.py", env=env).returncode == 0


def test_a_clean_commit_goes_through(hooked_project) -> None:
    project, env = hooked_project
    head = _git(project, "rev-parse", "HEAD", env=env).stdout
    (project / "train.py").write_text(TRAIN + "\n# evaluation happens in eval.py\n")
    (project / "notes.md").write_text("Baseline trained.\n")
    assert _git(project, "add", "-A", env=env).returncode == 0
    commit = _git(project, "commit", "-qm", "a comment", env=env)
    assert commit.returncode == 0, commit.stdout + commit.stderr
    assert "paribus" in commit.stdout + commit.stderr  # the hook ran, and passed
    assert _git(project, "rev-parse", "HEAD", env=env).stdout != head
