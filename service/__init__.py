"""The HTTP service: a thin FastAPI layer over the drafting and reviewing flows.

``create_app()`` builds the application (see :mod:`service.app`); ``ecoclaim serve`` runs it with
uvicorn. The service has no logic of its own: every answer comes from ``docgen``, ``checkers`` and
``corpus``; this package only translates HTTP to calls and errors to ``application/problem+json``.
"""

from service.app import create_app

__all__ = ["create_app"]
