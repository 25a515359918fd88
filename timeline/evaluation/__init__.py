"""Evaluation against gold annotations (TimeML timexes, event YAML)."""
