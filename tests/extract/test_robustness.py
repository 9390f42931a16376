"""Half-typed and hostile input: return what can be read, quickly, never raise."""

from __future__ import annotations

import time

from paribus.core.extract import api, extract_text

SCRIPT = "LR = 3e-4\nBATCH_SIZE = 32\ndef f():\n    return 1\nDROPOUT = 0.1\n"


def names(text: str, path: str = "train.py") -> list[str]:
    return [p.name for p in extract_text(text, path)]


def test_half_typed_number_keeps_the_rest():
    assert names(SCRIPT.replace("LR = 3e-4", "LR = 3e-")) == ["BATCH_SIZE", "DROPOUT"]


def test_unclosed_paren_keeps_the_rest():
    text = "LR = 3e-4\nmodel = Net(\n    hidden=4,\nBATCH_SIZE = 32\nDROPOUT = 0.1\n"
    assert {"LR", "DROPOUT"} <= set(names(text))


def test_syntax_error_inside_a_function_keeps_its_other_statements():
    text = "def main():\n    lr = 3e-\n    parser.add_argument('--epochs', type=int, default=5)\n"
    assert names(text) == ["epochs"]


def test_yaml_anchor_bomb_is_cheap():
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for index, letter in enumerate("bcdefghi"):
        previous = "abcdefghi"[index]
        lines.append(f"{letter}: &{letter} [" + ", ".join([f"*{previous}"] * 9) + "]")
    start = time.perf_counter()
    extract_text("\n".join(lines) + "\nlr: 0.1\n", "conf.yaml")
    assert time.perf_counter() - start < 2.0


def test_yaml_alias_loop_terminates():
    assert extract_text("model: &m\n  depth: 3\n  child: *m\n", "c.yaml") is not None


def test_invalid_configs_return_what_lines_say():
    assert names("optimizer:\n  lr: 5e-4\n  bad: [1,\nepochs: 3\n", "c.yaml") == ["optimizer.lr", "epochs"]
    assert "lr" in names('{\n  "lr": 0.1,\n  "epochs": 3\n  "broken"\n', "c.json")
    assert names("lr = 0.1\nepochs = = 3\ndropout = 0.2\n", "c.toml") == ["lr", "dropout"]


def test_yaml_tags_are_never_constructed():
    assert names("lr: !!python/object/apply:os.system ['echo hi']\nepochs: 3\n", "c.yaml") == ["epochs"]


def test_a_file_beyond_the_cap_is_read_up_to_the_last_whole_line_before_it(monkeypatch):
    monkeypatch.setattr(api, "MAX_CHARS", 1_000)
    text = "".join(f"PARAM_{index} = {index}\n" for index in range(200))
    whole_lines = text[:1_000].count("\n")  # lines ending before the cap
    assert names(text, "generated.py") == [f"PARAM_{index}" for index in range(whole_lines)]


def test_binary_garbage_does_not_raise():
    assert extract_text("\x00\x01lr = 1\n\ufeff", "train.py") is not None
    assert extract_text("\x00: [", "c.yaml") is not None
