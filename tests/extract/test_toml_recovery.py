"""TOML configs read line by line: multi-line values whole, bad lines skipped at linear cost.

A value is followed through its strings, comments and brackets to its end and read once; a
value that can't be read costs that one attempt, and reading goes on at the next line.
"""

from __future__ import annotations

from paribus.core.extract import configs, extract_text
from paribus.core.positions import Span


def found(text: str) -> dict[str, tuple]:
    return {p.name: (p.value, p.text, p.span) for p in extract_text(text, "train.toml")}


def test_a_multi_line_array_keeps_its_comments_and_whole_span() -> None:
    text = '[model]\nscales = [\n  1, 2,  # a comment with ] in it\n  4,\n]  # the end\ndepth = 12\n'
    assert found(text)["model.scales"] == ([1, 2, 4], "[\n  1, 2,  # a comment with ] in it\n  4,\n]", Span(2, 10, 5, 2))
    assert found(text)["model.depth"] == (12, "12", Span(6, 9, 6, 11))


def test_key_lines_inside_a_multi_line_string_are_text() -> None:
    text = 'notes = """\nlr = 3e-4 was tried\n"""\nlr = 0.1\n'
    names = {p.name: p for p in extract_text(text, "train.toml")}
    assert [(p.name, p.span.line) for p in extract_text(text, "train.toml")] == [("lr", 4)]
    assert names["lr"].value == 0.1


def test_an_unclosed_array_gives_up_at_the_next_key() -> None:
    text = 'tags = ["a", "b"\n[optim]\nlr = 0.001\nwarmup = 100\n'
    assert {name: value for name, (value, _, _) in found(text).items()} == {"optim.lr": 0.001, "optim.warmup": 100}


def test_bare_strings_and_trailing_commas_are_skipped() -> None:
    text = "activation = gelu\nlr = 1e-3,\ndropout = 0.1\n"
    assert list(found(text)) == ["dropout"]


def test_each_key_line_costs_one_attempt(monkeypatch) -> None:
    attempts = []
    real = configs._toml_value
    monkeypatch.setattr(configs, "_toml_value", lambda text: attempts.append(text) or real(text))
    section = "[block]\nwidth = 64\nactivation = gelu\nlr = 1e-3,\ntags = [\"a\", \"b\"\nscales = [\n  1,\n  2,\n]\n"
    text = section * 2_000  # 20,000 lines, three in ten broken
    configs.toml_candidates(text)
    key_lines = sum(1 for line in text.split("\n") if "=" in line)
    unclosed = text.count('tags = ["a", "b"\n')  # given up before any attempt: the next key comes first
    assert len(attempts) == key_lines - unclosed
