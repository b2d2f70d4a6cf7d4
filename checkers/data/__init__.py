"""Data files of the checkers: detection signals and place lists (YAML)."""
