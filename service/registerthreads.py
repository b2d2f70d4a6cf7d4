"""The register's short database requests run in a thread pool of their own, as wide as the machine.

A 台账 page, the deadlines board, a case's page and finding who is asking are each some milliseconds
of Python work around a query. Run in the framework's shared pool (40 threads), twenty at once make
forty threads contend for one interpreter lock: each request costs about half as much again, and all
of them finish late. Run at most ``Settings.register_threads`` at a time (``ECOCLAIM_REGISTER_THREADS``,
default: the number of processors, at least 2), the others wait their turn and the burst ends sooner
(bench/register.py, README). Long work — exports, rendering, uploads — stays in the shared pool, so
that it never holds up a 台账 page.

:func:`register_route` makes a plain route function run here; :func:`run` runs one call here.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

import anyio
from anyio.lowlevel import RunVar

from service.settings import Settings

P = ParamSpec("P")
T = TypeVar("T")

_LIMITER: RunVar[anyio.CapacityLimiter] = RunVar("register_limiter")


def install(width: int) -> anyio.CapacityLimiter:
    """Give the running event loop a register pool ``width`` threads wide (the app's start-up does,
    from ``Settings.register_threads``)."""
    made = anyio.CapacityLimiter(width)
    _LIMITER.set(made)
    return made


def limiter() -> anyio.CapacityLimiter:
    """The register's limiter of the running event loop (the settings' width if none was installed)."""
    try:
        return _LIMITER.get()
    except LookupError:
        return install(Settings().register_threads)


async def run(fn: Callable[..., T], *args: object) -> T:
    """``fn(*args)`` in a register thread."""
    return await anyio.to_thread.run_sync(fn, *args, limiter=limiter())


def register_route(fn: Callable[P, T]) -> Callable[P, Awaitable[T]]:
    """A plain (blocking) route function as a coroutine that runs it in a register thread. The
    signature FastAPI reads is the function's own, its annotations resolved in its module (so that
    ``from __future__ import annotations`` routes keep their parameters and response model)."""
    hints = typing.get_type_hints(fn, include_extras=True)
    signature = inspect.signature(fn)
    resolved = signature.replace(
        parameters=[p.replace(annotation=hints.get(p.name, p.annotation)) for p in signature.parameters.values()],
        return_annotation=hints.get("return", signature.return_annotation))

    @functools.wraps(fn)
    async def route(*args: P.args, **kwargs: P.kwargs) -> T:
        return await anyio.to_thread.run_sync(functools.partial(fn, *args, **kwargs), limiter=limiter())

    route.__signature__ = resolved  # type: ignore[attr-defined]
    return route
