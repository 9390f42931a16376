"""The HTML document shell and the small pieces every panel uses: escaping, links, buttons.

Pages carry no script and load nothing remote; the editor's webview swaps the CSP meta for
its own and adds the script that turns `data-paribus-*` attributes into editor actions.
"""

from __future__ import annotations

import json
from functools import lru_cache
from html import escape
from importlib.resources import files
from typing import Any

CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; img-src data:;"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return files("paribus.render").joinpath("style.css").read_text(encoding="utf-8")


def esc(value: Any) -> str:
    return escape(str(value), quote=True)


def document(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="color-scheme" content="light dark">\n'
        f"<title>{esc(title)}</title>\n<style>\n{stylesheet()}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def open_link(text: str, path: str, line: int | None = None, css_class: str = "") -> str:
    """A link the editor turns into "open this file at this line"; inert in a browser."""
    line_attribute = f' data-paribus-line="{int(line)}"' if line else ""
    class_attribute = f' class="{css_class}"' if css_class else ""
    return f'<a href="#"{class_attribute} data-paribus-open="{esc(path)}"{line_attribute}>{esc(text)}</a>'


def location_link(path: str, line: int | None = None) -> str:
    return open_link(f"{path}:{line}" if line else path, path, line, "mono")


def command_button(text: str, command: str, arguments: list[Any]) -> str:
    arguments_json = json.dumps(arguments, ensure_ascii=False, default=str)
    return f"<button type=\"button\" data-paribus-command=\"{esc(command)}\" data-paribus-args='{esc(arguments_json)}'>{esc(text)}</button>"


def card(content: str, css_class: str = "", label: str = "") -> str:
    classes = f"card {css_class}".strip()
    aria = f' aria-label="{esc(label)}"' if label else ""
    return f'<section class="{classes}"{aria}>\n{content}\n</section>'


def heading(title: str, sub: str = "") -> str:
    sub_html = f' <span class="sub">{esc(sub)}</span>' if sub else ""
    return f"<h2>{esc(title)}{sub_html}</h2>"


def empty(message: str) -> str:
    return f'<p class="empty">{esc(message)}</p>'


def bar(fraction: float, css_class: str = "", marker: float | None = None, title: str = "") -> str:
    """A horizontal bar filled to ``fraction`` of its width, with an optional reference tick."""
    width = max(0.0, min(1.0, fraction)) * 100
    tick = "" if marker is None else f'<i style="left:{max(0.0, min(1.0, marker)) * 100:.1f}%"></i>'
    title_attribute = f' title="{esc(title)}"' if title else ""
    return f'<div class="bar {css_class}"{title_attribute}><span style="width:{width:.1f}%"></span>{tick}</div>'


def number(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def percent(value: float | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}%}"
