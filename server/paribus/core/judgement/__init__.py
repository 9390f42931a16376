"""The judgement: findings and the rules that produce them, verdicts, chance and the workflow."""
