"""Build progress: a rich live display on a terminal, plain log lines otherwise (cron, CI).

Both print the same result line per variant (``name: built (why: …)``), so logs
and terminals read alike; the terminal adds spinners for running variants.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any, Protocol, TextIO


class Progress(Protocol):
    """What the build reports while it runs."""

    def log(self, line: str) -> None:
        """Print a line (a message or a variant's result)."""

    def start(self, name: str, why: str) -> None:
        """A variant starts building."""

    def done(self, name: str, line: str) -> None:
        """A variant finished; ``line`` is its result line."""

    def close(self) -> None:
        """Stop the display."""


class PlainProgress:
    """One line per event, flushed at once; timestamped for logs."""

    def __init__(self, stream: TextIO | None = None, timestamps: bool = True) -> None:
        self.stream = stream or sys.stdout
        self.timestamps = timestamps

    def _emit(self, line: str) -> None:
        stamp = f"[{time.strftime('%H:%M:%S')}] " if self.timestamps else ""
        print(f"{stamp}{line}", file=self.stream, flush=True)

    def log(self, line: str) -> None:
        """Print a message line."""
        self._emit(line)

    def start(self, name: str, why: str) -> None:
        """Say that a variant starts, and why."""
        self._emit(f"{name}: building (why: {why})")

    def done(self, name: str, line: str) -> None:
        """Print a variant's result line."""
        self._emit(line)

    def close(self) -> None:
        """Nothing to stop."""


class RichProgress:
    """A live display: an overall bar and a spinner per running variant."""

    def __init__(self, total: int) -> None:
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            SpinnerColumn,
            TextColumn,
            TimeElapsedColumn,
        )
        from rich.progress import Progress as RichBar

        self.bar = RichBar(
            SpinnerColumn(),
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            transient=True,
        )
        self.total = self.bar.add_task("building reports", total=total)
        self.tasks: dict[str, Any] = {}
        self.bar.start()

    def log(self, line: str) -> None:
        """Print a message above the live display."""
        self.bar.console.print(line, markup=False, highlight=False)

    def start(self, name: str, why: str) -> None:
        """Add a spinner for a running variant."""
        self.tasks[name] = self.bar.add_task(f"{name} ({why})", total=None)

    def done(self, name: str, line: str) -> None:
        """Remove the variant's spinner, print its result, advance the bar."""
        if name in self.tasks:
            self.bar.remove_task(self.tasks.pop(name))
        self.bar.advance(self.total)
        self.log(line)

    def close(self) -> None:
        """Stop the live display."""
        self.bar.stop()


class FileLog:
    """Append every line, with date and time, to a plain log file (``--log-file``)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)

    def write(self, line: str) -> None:
        """Append one timestamped line (opened per line, so a crash loses nothing)."""
        stamp = time.strftime("%Y-%m-%d %H:%M:%S")
        with open(self.path, "a", encoding="utf-8") as fh:
            fh.write(f"[{stamp}] {line}\n")


class TeeProgress:
    """A progress display that also appends every line to a :class:`FileLog`."""

    def __init__(self, inner: Progress, log_file: FileLog) -> None:
        self.inner = inner
        self.file = log_file

    def log(self, line: str) -> None:
        """Print and log a message line."""
        self.inner.log(line)
        self.file.write(line)

    def start(self, name: str, why: str) -> None:
        """Show and log that a variant starts."""
        self.inner.start(name, why)
        self.file.write(f"{name}: building (why: {why})")

    def done(self, name: str, line: str) -> None:
        """Show and log a variant's result line."""
        self.inner.done(name, line)
        self.file.write(line)

    def close(self) -> None:
        """Stop the inner display."""
        self.inner.close()


def make_progress(total: int, plain: bool | None = None, log_file: Path | None = None) -> Progress:
    """Rich display on a terminal (unless ``plain``), plain lines otherwise; tee to a log file."""
    use_plain = plain if plain is not None else not sys.stdout.isatty()
    if use_plain:
        progress: Progress = PlainProgress()
    else:
        progress = RichProgress(total) if total else PlainProgress(timestamps=False)
    return TeeProgress(progress, FileLog(log_file)) if log_file else progress
