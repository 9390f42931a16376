"""The model: the project card, the experiment log, entry states and the project's files."""
