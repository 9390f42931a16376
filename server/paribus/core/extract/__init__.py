"""Hyperparameter extraction: Python training scripts and YAML/JSON/TOML configs.

Public API (everything else in this package is an implementation detail):

- ``Hyperparameter``: one tunable value with its name, value, source text, kind and span.
- ``extract_text(text, path, options=None) -> list[Hyperparameter]``: dispatch on suffix.
- ``extract_file(path, options=None) -> list[Hyperparameter]``: read, then ``extract_text``.
- ``diff_hyperparameters(old, new) -> list[Change]``: what differs, by value.
- ``same_value(a, b) -> bool``: value equality across formats (``5e-4`` == ``0.0005``).
"""
