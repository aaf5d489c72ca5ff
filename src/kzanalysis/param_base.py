"""The base class of every notebook parameter model (kept apart to avoid import cycles).

Chapter modules (``kzanalysis.analysis.<chapter>_params``) subclass
:class:`NotebookParams`; :mod:`kzanalysis.params` registers them in ``MODELS``.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class NotebookParams(BaseModel):
    """Base of every parameter model: unknown names are errors, instances are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Cross-field rules in words, shown by ``kzanalysis params``.
    RULES: ClassVar[tuple[str, ...]] = ()
