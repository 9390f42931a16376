"""The analysis core: pure functions over text, paths and the project card.

Nothing here imports pygls or lsprotocol (a test enforces it); the LSP layer and the CLI
are thin renderers of what this package computes. The layers, each importing only those
before it (a test enforces that the model never imports upward and that nothing cycles):

- ``positions``: spans shared by everything;
- ``extract``: hyperparameters read statically from scripts and configs;
- ``trackers``: runs read from MLflow, W&B, Hydra and DVC stores, and git (no tracker imported);
- ``model``: the project card, the experiment log, entry states and the project on disk;
- ``analysis``: predictions, bias/variance and learning curves (pandas, imported lazily);
- ``judgement``: the rules, verdicts, chance and the diagnostic workflow;
- ``actions``: what changes files — fixes, recording a result, importing runs, scaffolding, the first card.
"""
