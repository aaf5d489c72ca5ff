"""Run a snippet in a fresh interpreter (nothing imported yet) and read what it found."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def run_probe(source: str, timeout: float = 300) -> Any:
    """Run ``source`` with this interpreter in the project folder; return the JSON value
    its last printed line holds (the probe's report).

    Raises:
        AssertionError: with the probe's stderr, if it exits non-zero.
    """
    proc = subprocess.run(
        [sys.executable, "-c", source],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=timeout,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])
