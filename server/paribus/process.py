"""Settings of the processes Paribus runs itself (the command line, the language server).

Not for library use: a training script that imports ``paribus.record`` keeps its own.
"""

from __future__ import annotations

import gc
import os
import warnings


def start_quickly() -> None:
    """Before the first import: no collection while modules load (they only add objects that
    stay), and no scan of the environment for pydantic plugins (third-party code that would
    watch our own models, and a walk over every installed distribution)."""
    gc.disable()
    os.environ["PYDANTIC_DISABLE_PLUGINS"] = "__all__"


def collect_garbage_less_often() -> None:
    """Run the cyclic garbage collector less often, and never over what is already loaded.

    A check builds hundreds of thousands of small objects (syntax trees, candidates, log
    entries) that reference counting frees; the default thresholds make the collector walk
    them over and over while they are being built (a 10,000-entry log checks about a third
    faster without that). mypy sets the same thresholds for the same reason.
    """
    gc.set_threshold(200_000, 30, 30)
    gc.freeze()  # modules and their objects stay: no collection needs to look at them again
    gc.enable()


def quiet_about_user_code() -> None:
    """Parsing a user's script may warn (`1if x` is an invalid decimal literal): that is their
    code's business, not a line on our stderr or in the editor's output channel."""
    warnings.filterwarnings("ignore", category=SyntaxWarning)
    warnings.filterwarnings("ignore", category=DeprecationWarning, message="invalid escape sequence")
