"""Reading and writing the project's files: the one place that touches them.

Reading refuses what is not a regular file (devices, FIFOs, sockets, folders) before opening
it, reads at most ``MAX_FILE_BYTES`` (one byte more tells it is larger: ``stat`` can lie), and
decodes UTF-8 replacing what isn't, saying where. Nothing here raises on a bad file: the
result carries a ``ReadIssue`` for the finding that tells the user.

Writing happens only inside the project folder (links followed), to existing regular files
that are writable, or to new files in writable folders; files are replaced atomically with
their mode kept. ``writable_path`` is the one judge of "may Paribus write here".

Standard library only: ``paribus.record`` imports this from training scripts.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

MAX_FILE_BYTES = 5_000_000
LOG_SUFFIXES = (".yaml", ".yml")
_BINARY_SNIFF = 8192


class FileRefused(OSError):
    """Not a file Paribus reads: a device, FIFO, socket or folder (``kind`` "not-a-file"), or
    one too large ("too-large")."""

    def __init__(self, message: str, kind: str = "not-a-file") -> None:
        super().__init__(message)
        self.kind = kind


class WriteRefused(Exception):
    """Paribus will not write this path; the message says why."""


class FileChanged(Exception):
    """The file changed on disk after it was read: replacing it would lose that edit."""


@dataclass(frozen=True)
class ReadIssue:
    """Why a file was not read as it is: not read at all, or read with bytes replaced."""

    kind: str  # "not-a-file" | "too-large" | "unreadable" | "replaced" | "partly-read"
    message: str
    line: int = 1
    column: int = 1

    @property
    def read(self) -> bool:
        """Read all the same (bytes replaced, or in part): the finding is for information."""
        return self.kind in ("replaced", "partly-read")


@dataclass(frozen=True)
class ReadResult:
    text: str | None
    issue: ReadIssue | None = None


def _kind_of(mode: int) -> str | None:
    """What a non-regular file is, in words; None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The file's bytes. Raises FileNotFoundError, FileRefused (not a regular file, or more
    than ``limit`` bytes) or another OSError."""
    path = Path(path)
    kind = _kind_of(os.stat(path).st_mode)
    if kind is not None:
        raise FileRefused(f"{path.name} is {kind}, not a file")
    # O_NONBLOCK: should the path have become a FIFO since stat, opening it cannot hang.
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    with os.fdopen(descriptor, "rb") as handle:
        kind = _kind_of(os.fstat(handle.fileno()).st_mode)
        if kind is not None:
            raise FileRefused(f"{path.name} is {kind}, not a file")
        chunks, size = [], 0
        while size <= limit:
            chunk = handle.read(limit + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    if size > limit:
        raise FileRefused(f"{path.name} is larger than {_megabytes(limit)}", "too-large")
    return b"".join(chunks)


def decode(data: bytes) -> ReadResult:
    """UTF-8 (a leading BOM dropped); undecodable bytes become U+FFFD and the issue says where."""
    try:
        return ReadResult(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        text = data.decode("utf-8-sig", errors="replace")
        start = error.start + (3 if data.startswith(b"\xef\xbb\xbf") else 0)
        before = data[:start].decode("utf-8-sig", errors="replace")
        line = before.count("\n") + 1
        column = len(before) - (before.rfind("\n") + 1) + 1
        count = text.count("\ufffd") - data.decode("utf-8-sig", errors="ignore").count("\ufffd")
        plural = "s" if count != 1 else ""
        message = f"not UTF-8: {count} byte sequence{plural} replaced by U+FFFD (first on line {line}); the rest is checked as usual"
        return ReadResult(text, ReadIssue("replaced", message, line, column))


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> ReadResult:
    """The file's text, or None with the reason (a missing file is None with no issue)."""
    try:
        data = read_bytes(path, limit)
    except FileNotFoundError:
        return ReadResult(None)
    except FileRefused as error:
        return ReadResult(None, ReadIssue(error.kind, f"{error}: not checked"))
    except OSError as error:
        if isinstance(error, NotADirectoryError):
            return ReadResult(None)
        return ReadResult(None, ReadIssue("unreadable", f"{Path(path).name} could not be read: {error.strerror or error}"))
    return decode(data)


def from_buffer(path: Path, text: str, limit: int = MAX_FILE_BYTES) -> ReadResult:
    """An editor buffer's text, held to the file limits: the same size bound, and lone
    surrogates (JSON can carry them, Unicode text can't) replaced by U+FFFD, said like bytes."""
    if len(text) > limit and len(text.encode("utf-8", errors="surrogatepass")) > limit:
        return ReadResult(None, ReadIssue("too-large", f"{Path(path).name} is larger than {_megabytes(limit)}: not checked"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        before = text[: error.start]
        line, column = before.count("\n") + 1, error.start - (before.rfind("\n") + 1) + 1
        count = sum(1 for char in text if "\ud800" <= char <= "\udfff")
        cleaned = "".join("\ufffd" if "\ud800" <= char <= "\udfff" else char for char in text)
        message = f"not Unicode text: {count} lone surrogate{'s' if count != 1 else ''} replaced by U+FFFD (first on line {line}); the rest is checked as usual"
        return ReadResult(cleaned, ReadIssue("replaced", message, line, column))
    return ReadResult(text)


def read_utf8(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    """``Path.read_text(encoding="utf-8")`` for readers that handle errors themselves, but never
    on a device or FIFO and never past ``limit``: raises OSError (FileRefused among them) or
    UnicodeDecodeError."""
    return read_bytes(path, limit).decode("utf-8")


def read_disk(path: Path) -> str | None:
    """The text of a file, or None when it can't be read (see ``read_text`` for why)."""
    return read_text(path).text


def is_binary(data: bytes) -> bool:
    """A NUL byte near the start: what git calls binary."""
    return b"\0" in data[:_BINARY_SNIFF]


def check_regular_file(path: Path) -> None:
    """Raise FileRefused unless ``path`` is a regular file (for readers that open it themselves)."""
    kind = _kind_of(os.stat(path).st_mode)
    if kind is not None:
        raise FileRefused(f"{Path(path).name} is {kind}, not a file")


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:g} MB"


# -- writing ----------------------------------------------------------------------------------


def _inside(path: Path, folder: Path) -> bool:
    return path == folder or folder in path.parents


def _write_protected(mode: int) -> bool:
    """No write bit at all: the owner made it read-only (root would write it anyway)."""
    return not mode & 0o222


def writable_path(
    root: Path, path: Path | str, *, suffixes: tuple[str, ...] | None = None, make_folders: bool = False
) -> Path:
    """The real path Paribus may write for ``path`` (relative to the project ``root``).

    Links are followed and the target must lie inside the project; an existing target must be
    a writable regular file (with one of ``suffixes`` when given), a new one must go into an
    existing, writable folder (created first with ``make_folders``, inside the project only).
    Anything else raises WriteRefused saying why.
    """
    root = Path(root)
    candidate = Path(path) if Path(path).is_absolute() else root / path

    def shown_of(target: Path) -> str:
        """As the user would write it: relative to the project when inside it."""
        plain = Path(os.path.normpath(target))
        return plain.relative_to(root).as_posix() if _inside(plain, Path(os.path.normpath(root))) and plain != root else str(target)

    shown = shown_of(candidate)
    try:
        real_root = root.resolve()
        real = candidate.resolve()
    except (OSError, RuntimeError) as error:  # a link loop
        raise WriteRefused(f"{shown}: cannot be resolved ({error})") from None
    if not _inside(real, real_root):
        as_written = Path(os.path.normpath(candidate.absolute()))
        via = f" (it links to {real})" if _inside(as_written, real_root) or _inside(as_written, root.absolute()) else ""
        raise WriteRefused(f"{shown} is outside the project folder {root}{via}: Paribus writes only inside the project")
    if suffixes is not None and real.suffix.lower() not in suffixes:
        wanted = " or ".join(suffixes)
        raise WriteRefused(f"{shown} is not a {wanted} file: Paribus writes the experiment log only to YAML")
    try:
        info = os.stat(real)
    except FileNotFoundError:
        info = None
    except NotADirectoryError:
        raise WriteRefused(f"{shown}: {shown_of(real.parent)} is not a folder") from None
    except OSError as error:
        raise WriteRefused(f"{shown}: {error.strerror or error}") from None
    if info is not None:
        kind = _kind_of(info.st_mode)
        if kind is not None:
            raise WriteRefused(f"{shown} is {kind}, not a file Paribus can write")
        if _write_protected(info.st_mode) or not os.access(real, os.W_OK):
            raise WriteRefused(f"{shown} is read-only: not written")
    folder = real.parent
    if make_folders and not folder.exists():
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise WriteRefused(f"{shown}: the folder {shown_of(folder)} could not be made: {error.strerror or error}") from None
    try:
        folder_info = os.stat(folder)
    except FileNotFoundError:
        raise WriteRefused(f"{shown}: the folder {shown_of(folder)} does not exist") from None
    except OSError as error:
        raise WriteRefused(f"{shown}: {error.strerror or error}") from None
    if not stat.S_ISDIR(folder_info.st_mode):
        raise WriteRefused(f"{shown}: {shown_of(folder)} is not a folder")
    if _write_protected(folder_info.st_mode) or not os.access(folder, os.W_OK | os.X_OK):
        raise WriteRefused(f"{shown}: the folder {shown_of(folder)} is read-only: not written")
    return real


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _written_beside(path: Path, data: bytes) -> Path:
    """A new temporary file beside ``path`` holding ``data``, on disk (usual mode for new files)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def replace_file(path: Path, data: bytes, *, expected: bytes | None = None) -> None:
    """Write ``data`` to ``path`` atomically (a temporary file beside it, then a rename).

    The file keeps its mode (a new one gets the usual mode for new files). With ``expected``,
    refuses (FileChanged) when the file no longer holds those bytes: someone saved meanwhile.
    ``path`` should come from ``writable_path``.
    """
    path = Path(path)
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        if expected is not None:
            raise FileChanged(f"{path.name} was removed meanwhile; nothing written") from None
        mode = None
    temporary = _written_beside(path, data)
    try:
        if mode is not None:
            os.chmod(temporary, mode)
        if expected is not None:
            try:
                current = read_bytes(path, max(len(expected), 1) * 2 + MAX_FILE_BYTES)
            except FileNotFoundError:
                raise FileChanged(f"{path.name} was removed meanwhile; nothing written") from None
            if digest(current) != digest(expected):
                raise FileChanged(f"{path.name} changed meanwhile; nothing written")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def create_file(path: Path, data: bytes) -> None:
    """Write a new file whole, then link it into place: FileExistsError when something is there
    already (never overwritten), and no one ever sees it half written."""
    path = Path(path)
    temporary = _written_beside(path, data)
    try:
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise
        except OSError:  # a file system without hard links: an exclusive create will do
            with open(path, "xb") as handle:
                handle.write(data)
    finally:
        temporary.unlink(missing_ok=True)
