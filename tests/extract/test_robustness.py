"""Half-typed and hostile input: return what can be read, with bounded work, never raise.

Work is counted in function calls (``calls_made``), not seconds: the count does not depend on the
machine or its load. Timings are in ``bench/bench_extract.py``.
"""

from __future__ import annotations

import sys

from paribus.core.extract import api, extract_text

SCRIPT = "LR = 3e-4\nBATCH_SIZE = 32\ndef f():\n    return 1\nDROPOUT = 0.1\n"


def names(text: str, path: str = "train.py") -> list[str]:
    return [p.name for p in extract_text(text, path)]


def calls_made(work) -> tuple[int, object]:
    """How many Python and C function calls ``work()`` makes, and what it returns."""
    count = 0

    def count_calls(frame, event, arg):
        nonlocal count
        count += event in ("call", "c_call")

    previous = sys.getprofile()
    sys.setprofile(count_calls)
    try:
        result = work()
    finally:
        sys.setprofile(previous)
    return count, result


def anchor_bomb(aliases: bool) -> str:
    """Nine levels of nine-fold aliases (9**9 leaves when expanded), or the same text with every
    alias written as a plain scalar (as many nodes as the file has, nothing to expand)."""
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for index, letter in enumerate("bcdefghi"):
        previous = "abcdefghi"[index]
        lines.append(f"{letter}: &{letter} [" + ", ".join([f"*{previous}"] * 9) + "]")
    text = "\n".join(lines) + "\nlr: 0.1\n"
    return text if aliases else text.replace("*", "").replace("&", "")


def generated_script(lines: int, prefix: str) -> str:
    return "".join(f"{prefix}_{index} = {index}\n" for index in range(lines))


def test_half_typed_number_keeps_the_rest():
    assert names(SCRIPT.replace("LR = 3e-4", "LR = 3e-")) == ["BATCH_SIZE", "DROPOUT"]


def test_unclosed_paren_keeps_the_rest():
    text = "LR = 3e-4\nmodel = Net(\n    hidden=4,\nBATCH_SIZE = 32\nDROPOUT = 0.1\n"
    assert {"LR", "DROPOUT"} <= set(names(text))


def test_syntax_error_inside_a_function_keeps_its_other_statements():
    text = "def main():\n    lr = 3e-\n    parser.add_argument('--epochs', type=int, default=5)\n"
    assert names(text) == ["epochs"]


def test_yaml_anchor_bomb_costs_what_its_text_costs():
    bomb_calls, found = calls_made(lambda: extract_text(anchor_bomb(aliases=True), "conf.yaml"))
    plain_calls, _ = calls_made(lambda: extract_text(anchor_bomb(aliases=False), "plain.yaml"))
    assert [(p.name, p.value, p.span.line) for p in found] == [("lr", 0.1, 10)]
    # Expanding the aliases would take hundreds of millions of calls; reading the text, a few hundred.
    assert bomb_calls <= 10 * plain_calls, (bomb_calls, plain_calls)


def test_yaml_alias_loop_is_read_once():
    assert names("model: &m\n  depth: 3\n  child: *m\n", "c.yaml") == ["model.depth"]


def test_invalid_configs_return_what_lines_say():
    assert names("optimizer:\n  lr: 5e-4\n  bad: [1,\nepochs: 3\n", "c.yaml") == ["optimizer.lr", "epochs"]
    assert "lr" in names('{\n  "lr": 0.1,\n  "epochs": 3\n  "broken"\n', "c.json")
    assert names("lr = 0.1\nepochs = = 3\ndropout = 0.2\n", "c.toml") == ["lr", "dropout"]


def test_yaml_tags_are_never_constructed():
    assert names("lr: !!python/object/apply:os.system ['echo hi']\nepochs: 3\n", "c.yaml") == ["epochs"]


def test_work_grows_no_faster_than_the_file():
    small, found_small = calls_made(lambda: extract_text(generated_script(1_000, "SMALL"), "small.py"))
    large, found_large = calls_made(lambda: extract_text(generated_script(4_000, "LARGE"), "large.py"))
    assert (len(found_small), len(found_large)) == (1_000, 4_000)
    assert large <= 6 * small, (small, large)  # four times the text: at most about four times the work


def test_a_file_beyond_the_cap_gives_what_it_reads_in_order(monkeypatch):
    monkeypatch.setattr(api, "MAX_CHARS", 1_000)
    text = generated_script(200, "PARAM")
    whole_lines = text[:1_000].count("\n")  # the lines that end before the cap are read
    assert [(p.name, p.value, p.span.line) for p in extract_text(text, "generated.py")] == [
        (f"PARAM_{index}", index, index + 1) for index in range(whole_lines)
    ]


def test_binary_garbage_does_not_raise():
    assert names("\x00\x01lr = 1\n\ufeff") in ([], ["lr"])
    assert names("\x00: [", "c.yaml") == []
