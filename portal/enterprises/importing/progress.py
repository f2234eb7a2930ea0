"""Progress of a long import, reported to whoever runs it (a terminal bar, the admin page)."""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def start(self, stage: str, total: int) -> None: ...

    def advance(self, count: int = 1) -> None: ...

    def finish(self) -> None: ...


class NoProgress:
    """For tests and callers that do not show progress."""

    def start(self, stage: str, total: int) -> None:
        pass

    def advance(self, count: int = 1) -> None:
        pass

    def finish(self) -> None:
        pass


class TqdmProgress:
    """A tqdm bar per stage on stderr, as the management command shows it."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.bar = None

    def start(self, stage: str, total: int) -> None:
        from tqdm import tqdm

        self.finish()
        self.bar = tqdm(total=total, desc=stage, unit="行", file=self.stream, leave=True)

    def advance(self, count: int = 1) -> None:
        if self.bar is not None:
            self.bar.update(count)

    def finish(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None
