"""Progress of a long run, as a person reads it.

On a terminal a bar (rich): articles done of the total, articles per
second, time left, inputs skipped and articles a store already held. When
stderr is not a terminal and ``-v`` was given, a plain line every few
seconds and one at the end; otherwise (and always with ``-q``) nothing.

A :class:`Progress` is the ``progress`` callback of :func:`kg.build.build`:
called with an input's name and what happened to it (``"done"``,
``"skipped"`` or ``"unchanged"``).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import IO, Any, Literal

Mode = Literal["bar", "lines", "off"]
INTERVAL = 5.0  # seconds between plain progress lines


def choose_mode(quiet: bool, verbose: int, stream: IO[str] | None = None) -> Mode:
    """The kind of progress to show: nothing with ``quiet``, a bar on a terminal, lines with ``verbose``."""
    stream = stream or sys.stderr
    if quiet:
        return "off"
    if stream.isatty():
        return "bar"
    return "lines" if verbose else "off"


class Progress:
    """Counts what a run did and shows it as ``mode`` says (see the module's docstring).

    ``total`` is the number of articles expected, or None when it cannot be
    known beforehand (then the bar shows no time left); it grows if more come.
    """

    def __init__(
        self,
        label: str,
        total: int | None,
        mode: Mode = "off",
        stream: IO[str] | None = None,
        interval: float = INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.label = label
        self.total = total
        self.mode = mode
        self.stream = stream or sys.stderr
        self.interval = interval
        self.clock = clock
        self.done = 0
        self.skipped = 0
        self.unchanged = 0
        self.start = clock()
        self._last_line = self.start
        self._bar: Any = None
        self._task: Any = None
        if mode == "bar":
            self._start_bar()

    @property
    def count(self) -> int:
        """Inputs seen so far: built, skipped and unchanged."""
        return self.done + self.skipped + self.unchanged

    def rate(self) -> float:
        """Articles per second so far."""
        elapsed = self.clock() - self.start
        return self.count / elapsed if elapsed > 0 else 0.0

    def left(self) -> float | None:
        """Seconds left at the rate so far, when the total is known."""
        rate = self.rate()
        if self.total is None or rate <= 0:
            return None
        return max(0.0, (self.total - self.count) / rate)

    def __call__(self, source: str, status: str = "done") -> None:
        """Note one input: ``done`` (built), ``skipped`` or ``unchanged`` (a store had it)."""
        if status == "skipped":
            self.skipped += 1
        elif status == "unchanged":
            self.unchanged += 1
        else:
            self.done += 1
        if self.total is not None and self.count > self.total:
            self.total = self.count
        if self.mode == "bar":
            self._bar.update(self._task, completed=self.count, total=self.total, skipped=self.skipped,
                             unchanged=self.unchanged, rate=f"{self.rate():.1f} articles/s")
        elif self.mode == "lines":
            now = self.clock()
            if now - self._last_line >= self.interval:
                self._last_line = now
                self._line()

    def line(self) -> str:
        """The plain progress line: what was done, how fast, and what is left."""
        of = f" of {self.total}" if self.total is not None else ""
        counts = [f"{self.done} {self.label}"]
        if self.unchanged:
            counts.append(f"{self.unchanged} unchanged")
        if self.skipped:
            counts.append(f"{self.skipped} skipped")
        speed = [f"{self.rate():.1f} articles/s"]
        left = self.left()
        if left is not None and self.count < (self.total or 0):
            speed.append(f"about {_duration(left)} left")
        return f"kg: {self.count}{of} articles ({', '.join(counts)}; {', '.join(speed)})"

    def _line(self) -> None:
        self.stream.write(self.line() + "\n")
        self.stream.flush()

    def _start_bar(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeRemainingColumn
        from rich.progress import Progress as Bar

        self._bar = Bar(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("[progress.data.speed]{task.fields[rate]}"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[skipped]} skipped, {task.fields[unchanged]} unchanged"),
            console=Console(file=self.stream, stderr=self.stream is sys.stderr),
            transient=False,
        )
        self._bar.start()
        self._task = self._bar.add_task(self.label, total=self.total, skipped=0, unchanged=0, rate="")

    def close(self) -> None:
        """Finish the display: the bar completed, or a last line (with ``lines``)."""
        if self.mode == "bar" and self._bar is not None:
            self._bar.update(self._task, completed=self.count, total=self.total or self.count,
                             rate=f"{self.rate():.1f} articles/s")
            self._bar.stop()
            self._bar = None
        elif self.mode == "lines" and self.count:
            self._line()


def _duration(seconds: float) -> str:
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    m, s = divmod(s, 60)
    if m < 60:
        return f"{m} min {s:02d} s"
    h, m = divmod(m, 60)
    return f"{h} h {m:02d} min"
