"""Which files are scripts and configs: globs with path semantics (`*` stays in one folder)."""

from __future__ import annotations

from pathlib import Path

from paribus.core.model.project import Project


def _project(root: Path, names: list[str], card: str = "") -> Project:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x = 1\n", encoding="utf-8")
    if card:
        (root / "paribus.toml").write_text(card, encoding="utf-8")
    return Project(root)


def _relative(project: Project, paths: list[Path]) -> list[str]:
    return [project.relative(path) for path in paths]


def test_default_glob_finds_train_scripts_at_any_depth_but_not_inside_training_folders(tmp_path: Path) -> None:
    names = ["train.py", "tools/train_x.py", "a/b/train_lm.py", "training/augment.py", "training/data/loader.py", "pretrain.py", "train.yaml"]
    project = _project(tmp_path, names)
    scripts = project.script_paths(project.card())
    assert _relative(project, scripts) == ["a/b/train_lm.py", "tools/train_x.py", "train.py"]


def test_default_glob_leaves_tests_of_training_scripts_aside(tmp_path: Path) -> None:
    names = ["train.py", "train_test.py", "tests/train_smoke.py", "src/test/train.py", "examples/lm/train.py"]
    project = _project(tmp_path, names)
    assert _relative(project, project.script_paths(project.card())) == ["examples/lm/train.py", "train.py"]
    project = _project(tmp_path, [], 'scripts = ["**/train*.py"]\n')  # a card that names them keeps them
    assert len(project.script_paths(project.card())) == 5


def test_card_script_glob_without_folder_names_the_root_only(tmp_path: Path) -> None:
    project = _project(tmp_path, ["main.py", "sub/main.py", "src/run.py", "src/deep/run.py"], 'scripts = ["main.py", "src/*.py"]\n')
    assert _relative(project, project.script_paths(project.card())) == ["main.py", "src/run.py"]


def test_config_glob_with_double_star_matches_no_folder_and_nested_folders(tmp_path: Path) -> None:
    names = ["conf/a.yaml", "conf/model/b.yaml", "conf/x/y/c.yaml", "conf.yaml", "other/conf/d.yaml", "conf/e.yml"]
    project = _project(tmp_path, names, 'configs = ["conf/**/*.yaml"]\n')
    assert _relative(project, project.config_paths(project.card())) == ["conf/a.yaml", "conf/model/b.yaml", "conf/x/y/c.yaml"]


def test_config_glob_with_braces_and_a_leading_dot_slash(tmp_path: Path) -> None:
    project = _project(tmp_path, ["conf/a.yaml", "conf/b.yml", "conf/c.json"], 'configs = ["./conf/*.{yaml,yml}"]\n')
    assert _relative(project, project.config_paths(project.card())) == ["conf/a.yaml", "conf/b.yml"]
