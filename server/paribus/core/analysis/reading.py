"""Reading predictions files into label codes that can be compared.

pandas is imported inside functions: this package is imported at editor start.

Labels and predictions are turned into codes over one shared list of class names, so
``label == pred`` is an integer comparison. Names are normalised on the few distinct values,
never row by row: the integer ``1``, the float ``1.0`` and the text ``"1"`` are the same
class; ``"AF"`` and ``0`` are not comparable, and a file whose labels are text while its
predictions are numbers with no value in common is an error.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from paribus.core.analysis.errors import AnalysisError
from paribus.core.model.files import FileRefused, check_regular_file

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

REQUIRED_COLUMNS = ("label", "pred")
KNOWN_COLUMNS = ("id", "label", "pred", "confidence", "split")
TRAIN_SPLIT_VALUES = frozenset({"train", "training"})
PARQUET_SUFFIXES = frozenset({".parquet", ".pq"})
_SNIFF_BYTES = 8192


@dataclass(frozen=True)
class LabelCodes:
    """Each column's values as indices into ``class_names``; -1 marks a missing value."""

    class_names: tuple[str, ...]
    codes: tuple[np.ndarray, ...]


def read_table(path: str | Path, *, category_columns: str = "all-but-known") -> pd.DataFrame:
    """Read a CSV or Parquet file, every non-numeric-by-contract column as a category.

    ``category_columns="all-but-known"`` reads every column except ``id`` and
    ``confidence`` as categorical; ``"label-only"`` reads just ``label`` (train labels file).
    """
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise AnalysisError(f"{path}: no such file")
    if path.is_dir():
        raise AnalysisError(f"{path}: is a directory, not a predictions file")
    try:
        check_regular_file(path)  # a FIFO or device would block the reader below
        with path.open("rb") as handle:
            head = handle.read(_SNIFF_BYTES)
    except FileRefused as error:
        raise AnalysisError(f"{path}: {error}") from None
    except OSError as error:
        raise AnalysisError(f"{path}: could not be read: {error.strerror or error}") from None
    if not head.strip():
        raise AnalysisError(f"{path}: the file is empty")
    if head.startswith(b"PAR1") or path.suffix.lower() in PARQUET_SUFFIXES:
        return _read_parquet(path)
    if b"\x00" in head:
        raise AnalysisError(f"{path}: not a CSV or Parquet file (binary content)")
    try:
        header = pd.read_csv(path, nrows=0).columns
    except (ValueError, UnicodeDecodeError) as error:
        raise AnalysisError(f"{path}: could not be read as CSV: {error}") from error
    if category_columns == "label-only":
        wanted = {"label"} & set(header)
        dtypes = {name: "category" for name in wanted}
    else:
        dtypes = {name: "category" for name in header if name not in ("id", "confidence")}
    frame = _read_csv(path, dtypes)
    if frame.empty:
        raise AnalysisError(f"{path}: has a header but no rows")
    return frame


def _read_csv(path: Path, dtypes: dict[str, str]) -> pd.DataFrame:
    import pandas as pd

    try:
        import pyarrow  # noqa: F401  (the multithreaded reader is ~3x faster on 1 M rows)

        engine = "pyarrow"
    except ImportError:
        engine = "c"
    try:
        return pd.read_csv(path, engine=engine, dtype=dtypes)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise AnalysisError(f"{path}: could not be read as CSV: {first_line}") from error


def _read_parquet(path: Path) -> pd.DataFrame:
    import pandas as pd

    try:
        frame = pd.read_parquet(path)
    except ImportError as error:
        raise AnalysisError(
            f"{path}: reading Parquet needs pyarrow (pip install 'paribus[parquet]')"
        ) from error
    except Exception as error:  # pyarrow raises its own types for corrupt files
        raise AnalysisError(f"{path}: not a readable Parquet file: {error}") from error
    if frame.empty:
        raise AnalysisError(f"{path}: has columns but no rows")
    for name in frame.columns:
        if name not in ("id", "confidence") and not isinstance(frame[name].dtype, pd.CategoricalDtype):
            frame[name] = frame[name].astype("category")
    return frame


def require_columns(frame: pd.DataFrame, path: str | Path, required: tuple[str, ...]) -> None:
    missing = [name for name in required if name not in frame.columns]
    if missing:
        found = ", ".join(repr(str(name)) for name in frame.columns)
        plural = "columns" if len(missing) > 1 else "column"
        names = ", ".join(repr(name) for name in missing)
        raise AnalysisError(
            f"{path}: missing {plural} {names} (columns found: {found}); "
            "a predictions file needs a header row with id,label,pred"
        )


def shared_label_codes(columns: list[pd.Series], names: list[str]) -> LabelCodes:
    """Codes of several categorical columns over one list of normalised class names."""
    import numpy as np

    categories = [list(column.cat.categories) for column in columns]
    kinds = [_kind_of(values) for values in categories]
    mixed = len({kind for kind, values in zip(kinds, categories) if values}) > 1
    canonical = [[_canonical_name(value, numbers_first=mixed) for value in values] for values in categories]
    if mixed:
        _reject_incomparable(canonical, kinds, names)
    class_names = _ordered_union(canonical)
    index_of = {name: position for position, name in enumerate(class_names)}
    codes = []
    for column, column_names in zip(columns, canonical):
        # The extra slot maps pandas' -1 (missing) to -1.
        lookup = np.array([index_of[name] for name in column_names] + [-1], dtype=np.int64)
        codes.append(lookup[column.cat.codes.to_numpy()])
    return LabelCodes(tuple(class_names), tuple(codes))


def _kind_of(values: list[Any]) -> str:
    import numpy as np

    if values and all(isinstance(value, (bool, np.bool_)) for value in values):
        return "bool"
    if values and all(_is_number(value) for value in values):
        return "number"
    return "text"


def _is_number(value: Any) -> bool:
    import numpy as np

    return isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_))


def _canonical_name(value: Any, *, numbers_first: bool) -> str:
    """One spelling per class: 1, 1.0 and "1" agree when the columns' kinds differ."""
    import numpy as np

    if isinstance(value, (bool, np.bool_)):
        return str(int(value)) if numbers_first else str(bool(value))
    if _is_number(value):
        return _number_name(float(value))
    text = str(value).strip()
    if numbers_first:
        try:
            return _number_name(float(text))
        except ValueError:
            return text
    return text


def _number_name(number: float) -> str:
    if math.isfinite(number) and number.is_integer():
        return str(int(number))
    return repr(number)


def _reject_incomparable(canonical: list[list[str]], kinds: list[str], names: list[str]) -> None:
    present = [set(values) for values in canonical if values]
    if set.intersection(*present):
        return
    described = "; ".join(
        f"{name} holds {'text' if kind == 'text' else 'numbers'} ({_preview(values)})"
        for name, kind, values in zip(names, kinds, canonical)
        if values
    )
    raise AnalysisError(
        f"labels and predictions cannot be compared: {described} — no value in common; "
        "save predictions as the same class names or indices as the labels"
    )


def _preview(values: list[str], limit: int = 3) -> str:
    shown = ", ".join(repr(value) for value in values[:limit])
    return shown + (", …" if len(values) > limit else "")


def _ordered_union(canonical: list[list[str]]) -> list[str]:
    """Class names sorted numerically when all are numbers, else alphabetically."""
    union = set().union(*canonical)
    try:
        return sorted(union, key=float)
    except ValueError:
        return sorted(union)


def is_train_split(categories: list[Any]) -> list[bool]:
    return [str(value).strip().lower() in TRAIN_SPLIT_VALUES for value in categories]
