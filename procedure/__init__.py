"""The procedure engine: a case's stage and the forms it allows (``stage``), its deadlines and
checks (``timeline``), and the summary of where it stands (``summary``). Rules are data in
``procedure/data/``."""
