"""Reliability tests: counts of bad inputs tried, faults injected and load held.

Tests report what they tried with the ``tally`` fixture (``tally("bad inputs", 200)``).
The counts travel as ``user_properties`` of the test reports (so they survive
pytest-xdist and land in JUnit XML) and are summed in a "reliability" section at the
end of the run, counting passed tests only. Under xdist the controller process loads
only the conftest files of the command-line paths, so with ``pytest -n 2 tests`` the
section appears when ``tests/conftest.py`` imports the two hooks from here (they are
safe to register twice).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

PREFIX = "reliability:"
COUNTS: Counter[str] = Counter()
_COUNTED: set[str] = set()  # node ids already summed (the hooks may be registered twice)
_PRINTED: list[bool] = []


@pytest.fixture
def tally(record_property: Callable[[str, object], None]) -> Callable[[str, int], None]:
    """Record ``n`` cases of ``kind`` (e.g. "parameter inputs") for the run's summary."""

    def add(kind: str, n: int = 1) -> None:
        record_property(PREFIX + kind, int(n))

    return add


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Sum the counts of passed tests (also runs in the xdist controller)."""
    if report.when == "call" and report.passed and report.nodeid not in _COUNTED:
        _COUNTED.add(report.nodeid)
        for name, value in report.user_properties:
            if isinstance(name, str) and name.startswith(PREFIX):
                COUNTS[name.removeprefix(PREFIX)] += int(value)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Print the reliability counts."""
    if COUNTS and not _PRINTED:
        _PRINTED.append(True)
        terminalreporter.section("reliability")
        for kind, n in sorted(COUNTS.items()):
            terminalreporter.write_line(f"{kind}: {n}")
