"""``cached_attribute``: a per-instance cached property without a lock.

On Python 3.11, ``functools.cached_property`` holds one lock per property *shared by every
instance*, so a slow computation on one object (a hostile document's identifiers) makes every
other thread wait for the same property of its own object. This descriptor computes without a
lock and stores the value in the instance's ``__dict__`` (a non-data descriptor, so the stored
value wins from then on). Two threads reading the same *instance* at once may both compute it;
the values are equal, and our instances are not shared between threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, TypeVar, overload

T = TypeVar("T")


class cached_attribute(Generic[T]):
    def __init__(self, func: Callable[[Any], T]) -> None:
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> cached_attribute[T]: ...

    @overload
    def __get__(self, obj: object, owner: type | None = None) -> T: ...

    def __get__(self, obj: object | None, owner: type | None = None) -> T | cached_attribute[T]:
        if obj is None:
            return self
        value = self.func(obj)
        obj.__dict__[self.name] = value
        return value
