"""Exceptions with messages that say what was wrong, where, and how to fix it."""

from __future__ import annotations


class KzAnalysisError(Exception):
    """Base class for every error the library raises on purpose."""


class RawDataError(KzAnalysisError):
    """An upstream snapshot is missing, unreadable or not in the expected layout."""


class DataIntegrityError(KzAnalysisError):
    """A curated table is missing, corrupt, or does not match its catalog entry or schema."""


class UnknownCodeError(KzAnalysisError, ValueError):
    """An unknown country code, group, table or parameter value was asked for."""
