"""The command line: the same core and the same findings as the editor.

One module per family of subcommands; each adds its parsers to the one built here.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback

from paribus import __version__
from paribus.cli.check import add_check_command
from paribus.cli.common import CliError, fail
from paribus.cli.greenfield import add_greenfield_commands
from paribus.cli.inspect import add_inspect_commands
from paribus.cli.schema import add_schema_command
from paribus.cli.trackers import add_tracker_commands
from paribus.cli.workflow import add_workflow_commands


def cmd_lsp(args: argparse.Namespace) -> int:
    from paribus.lsp.server import serve

    serve()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="paribus", description="One change at a time: experiment discipline for ML research.")
    parser.add_argument("--version", action="version", version=f"paribus {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    add_check_command(sub)
    add_inspect_commands(sub)
    add_workflow_commands(sub)
    add_greenfield_commands(sub)
    add_tracker_commands(sub)
    add_schema_command(sub)
    lsp = sub.add_parser("lsp", help="run the language server on stdio")
    lsp.set_defaults(func=cmd_lsp)
    return parser


def main(argv: list[str] | None = None) -> int:
    from paribus.process import collect_garbage_less_often, quiet_about_user_code, start_quickly

    if argv is None:  # run as a program (not called from Python): tune the process
        start_quickly()
    quiet_about_user_code()
    parser = build_parser()
    args = parser.parse_args(argv)
    if argv is None:
        collect_garbage_less_often()
    try:
        return args.func(args)
    except CliError as error:
        return fail(str(error), error.code)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`paribus check | head`): say nothing more, not even at exit.
        try:
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
        except OSError:
            pass
        return 0
    except Exception as error:  # noqa: BLE001 - never a traceback for the user, always one line
        if os.environ.get("PARIBUS_DEBUG"):
            traceback.print_exc()
            hint = ""
        else:
            hint = " (PARIBUS_DEBUG=1 shows the traceback)"
        return fail(f"unexpected error: {type(error).__name__}: {error}{hint}; please report it", 2)
