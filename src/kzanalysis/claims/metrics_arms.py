"""Ledger metrics for the arms claims (each returns one Measurement per declared part)."""

from __future__ import annotations

from collections.abc import Callable

from kzanalysis.claims.model import Measurement

METRICS: dict[str, Callable[..., list[Measurement]]] = {}
