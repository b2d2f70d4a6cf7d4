"""How many calls were inside a block at once (tests of pools and limiters)."""

from __future__ import annotations

import threading
from types import TracebackType


class Peak:
    """``with peak:`` around the work of each call; ``peak.most`` is the most that were inside at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.running = 0
        self.most = 0

    def __enter__(self) -> Peak:
        with self._lock:
            self.running += 1
            self.most = max(self.most, self.running)
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        with self._lock:
            self.running -= 1
