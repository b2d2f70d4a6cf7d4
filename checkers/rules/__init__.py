"""The rule registry: rules are data (``checkers/rules/data/*.yaml``), computing rules add a small
Python function (``checkers/rules/computed.py``). See ``docs/rules/README.md`` for the format.

    from checkers.rules import load_rules
    rules = load_rules()            # {code: Rule}
"""

from checkers.rules.registry import Rule, load_rules

__all__ = ["Rule", "load_rules"]
