"""`paribus schema [log|card]`: the JSON Schema editors validate the log and the card with."""

from __future__ import annotations

import argparse


def cmd_schema(args: argparse.Namespace) -> int:
    from paribus.core.model.schema import schema_text

    print(schema_text(args.which), end="")
    return 0


def add_schema_command(sub: argparse._SubParsersAction) -> None:
    schema = sub.add_parser("schema", help="print the JSON Schema of the experiment log or the project card")
    schema.add_argument("which", nargs="?", choices=["log", "card"], default="log", help="log (default) or card")
    schema.set_defaults(func=cmd_schema)
