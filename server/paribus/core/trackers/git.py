"""Git, through the ``git`` executable: which commits touched some files, and what they held.

Everything answers "nothing" when git is missing, the folder is no repository, or a command
fails — callers work without git. Blobs are read in one ``git cat-file --batch`` process.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

TIMEOUT_SECONDS = 30
_MAX_BLOB_BYTES = 5_000_000
_FIELD = "\x1f"


@dataclass(frozen=True)
class Commit:
    sha: str
    date: datetime
    subject: str

    @property
    def short(self) -> str:
        return self.sha[:10]


class GitError(Exception):
    pass


def _run(folder: Path, *args: str, input_bytes: bytes | None = None) -> bytes:
    executable = shutil.which("git")
    if executable is None:
        raise GitError("git is not installed")
    env = {**os.environ, "LC_ALL": "C", "GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "GIT_OPTIONAL_LOCKS": "0"}
    try:
        done = subprocess.run([executable, "-C", str(folder), *args], input=input_bytes, capture_output=True, timeout=TIMEOUT_SECONDS, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git {args[0]}: {error}") from None
    if done.returncode != 0:
        raise GitError(done.stderr.decode("utf-8", errors="replace").strip().splitlines()[-1] if done.stderr.strip() else f"git {args[0]} failed")
    return done.stdout


def repository_root(folder: Path) -> Path | None:
    try:
        return Path(_run(Path(folder), "rev-parse", "--show-toplevel").decode().strip())
    except GitError:
        return None


def head_commit(folder: Path) -> str | None:
    try:
        return _run(Path(folder), "rev-parse", "--verify", "-q", "HEAD").decode().strip() or None
    except GitError:
        return None


def commit_count(folder: Path) -> int:
    try:
        return int(_run(Path(folder), "rev-list", "--count", "HEAD").decode().strip() or 0)
    except (GitError, ValueError):
        return 0  # a repository without commits yet


def commits_touching(folder: Path, paths: list[str], since: str | None = None) -> list[Commit]:
    """Commits that changed any of ``paths`` (relative to ``folder``), oldest first; renames followed by path."""
    if not paths:
        return []
    revision = [f"{since}..HEAD"] if since else ["HEAD"]
    output = _run(Path(folder), "log", "--no-color", f"--format=%H{_FIELD}%aI{_FIELD}%s", *revision, "--", *paths)
    commits = []
    for line in output.decode("utf-8", errors="replace").splitlines():
        parts = line.split(_FIELD)
        if len(parts) == 3:
            commits.append(Commit(parts[0], datetime.fromisoformat(parts[1]), parts[2]))
    return list(reversed(commits))


def parent_of(folder: Path, sha: str) -> str | None:
    try:
        return _run(Path(folder), "rev-parse", "--verify", "-q", f"{sha}^").decode().strip() or None
    except GitError:
        return None


def file_texts(folder: Path, requests: list[tuple[str, str]]) -> dict[tuple[str, str], str | None]:
    """The text of each ``(revision, path relative to folder)``; None where the file is absent or binary."""
    if not requests:
        return {}
    prefix = _prefix(folder)
    lines = "".join(f"{rev}:{prefix}{path}\n" for rev, path in requests).encode("utf-8")
    output = _run(Path(folder), "cat-file", "--batch", input_bytes=lines)
    texts: dict[tuple[str, str], str | None] = {}
    position = 0
    for request in requests:
        end = output.index(b"\n", position)
        header = output[position:end].split()
        position = end + 1
        if len(header) < 3 or header[1] != b"blob":
            texts[request] = None
            continue
        size = int(header[2])
        blob = output[position : position + size]
        position += size + 1
        try:
            texts[request] = blob.decode("utf-8") if size <= _MAX_BLOB_BYTES else None
        except UnicodeDecodeError:
            texts[request] = None
    return texts


def _prefix(folder: Path) -> str:
    """``folder`` relative to the repository root, as cat-file wants paths (``sub/dir/``)."""
    output = _run(Path(folder), "rev-parse", "--show-prefix").decode().strip()
    return output
