"""A bounded pool around the writers' LibreOffice converter (``docgen.writers.pdf.convert_to_pdf``).

The converter itself runs one soffice process per batch with its own profile and kills the whole
process group when its time-out passes. The service adds what a shared server needs on top:

- at most ``size`` conversions at once (each is a whole soffice process: ~150 MB and a core);
- at most ``queue`` requests waiting for a slot; the next one is refused at once (503 + Retry-After);
- a waiting request gives up after ``timeout`` seconds (503), the conversion itself after ``timeout``
  seconds (the converter kills it).

The service admits a PDF request with ``admit()`` in the event loop, before the request takes a work
thread: the queue limit is applied at once, and the wait for a converter holds no thread, so waiting
PDF requests cannot starve the other endpoints. ``slot()`` is the same bound for threads.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from pathlib import Path

import anyio

from ecokernel.errors import UserError


class PoolBusy(UserError):
    """The conversion queue is full, or waiting for a converter took too long."""


Converter = Callable[..., list[Path]]


def _default_converter(docx_files: Sequence[Path], out_dir: Path, *, timeout: float) -> list[Path]:
    from docgen.writers.pdf import convert_to_pdf

    return convert_to_pdf(docx_files, out_dir, timeout=timeout)


class ConversionPool:
    def __init__(self, size: int = 1, queue: int = 8, timeout: float = 60.0,
                 converter: Converter | None = None) -> None:
        self.size = max(1, size)
        self.queue = max(0, queue)
        self.timeout = timeout
        self.converter = converter or _default_converter
        self._slots = threading.BoundedSemaphore(self.size)
        self._lock = threading.Lock()
        self._admitted = 0  # running + waiting
        self._async_slots: anyio.Semaphore | None = None
        self._async_admitted = 0  # running + waiting in the event loop

    @property
    def admitted(self) -> int:
        return self._admitted

    def _busy(self) -> PoolBusy:
        return PoolBusy(f"PDF 转换队列已满（同时转换 {self.size} 个、排队 {self.queue} 个），请稍后重试")

    def _waited_too_long(self) -> PoolBusy:
        return PoolBusy(f"等待 PDF 转换超过 {self.timeout:g} 秒，请稍后重试")

    @contextlib.asynccontextmanager
    async def admit(self) -> AsyncIterator[None]:
        """In the event loop: a place in the queue (or PoolBusy at once), then a converter slot."""
        if self._async_admitted >= self.size + self.queue:
            raise self._busy()
        if self._async_slots is None:
            self._async_slots = anyio.Semaphore(self.size)
        self._async_admitted += 1
        try:
            try:
                with anyio.fail_after(self.timeout):
                    await self._async_slots.acquire()
            except TimeoutError:
                raise self._waited_too_long() from None
            try:
                yield
            finally:
                self._async_slots.release()
        finally:
            self._async_admitted -= 1

    @contextlib.contextmanager
    def slot(self) -> Iterator[None]:
        """Hold one converter slot (admission to the queue first, then the wait for a free slot)."""
        with self._lock:
            if self._admitted >= self.size + self.queue:
                raise self._busy()
            self._admitted += 1
        try:
            if not self._slots.acquire(timeout=self.timeout):
                raise self._waited_too_long()
            try:
                yield
            finally:
                self._slots.release()
        finally:
            with self._lock:
                self._admitted -= 1

    def convert(self, docx_files: Sequence[Path], out_dir: Path) -> list[Path]:
        """Convert DOCX files to PDF in ``out_dir`` (one converter run); returns the PDF paths."""
        with self.slot():
            return self.converter(docx_files, out_dir, timeout=self.timeout)
