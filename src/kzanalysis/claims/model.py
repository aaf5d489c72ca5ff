"""Claim declarations (``data/claims.yaml``) and what a metric returns."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from kzanalysis.errors import KzAnalysisError

Verdict = Literal["supported", "partly_supported", "contradicted", "untestable"]
VERDICTS: tuple[str, ...] = ("supported", "partly_supported", "contradicted", "untestable")


class ClaimsError(KzAnalysisError):
    """``data/claims.yaml`` is malformed, or a metric failed to compute."""


class Tolerance(BaseModel):
    """How close the data must be to the thesis value for a part to hold.

    Kinds:
        ``relative_pct``: ``|data - thesis| <= value % of |thesis|`` (money, volumes).
        ``absolute``: ``|data - thesis| <= value`` in the part's unit (shares: points).
        ``exact``: equal (counts, ranks, years, categorical answers).
        ``at_least`` / ``at_most``: the data value is ``>=`` / ``<=`` the thesis value.
        ``upper_bound`` / ``lower_bound``: the data do not measure the claimed quantity but
            bound it from above / below (a sum of loan commitments bounds what is owed from
            above). The part is contradicted when the thesis value lies beyond the bound by
            more than ``value`` % of it; otherwise it is untestable: a bound the claim
            respects does not support its figure.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Literal[
        "relative_pct", "absolute", "exact", "at_least", "at_most", "upper_bound", "lower_bound"
    ]
    value: float = Field(0.0, ge=0)

    def describe(self) -> str:
        """The rule in words, e.g. ``±5 %`` or ``±2 pp``."""
        return {
            "relative_pct": f"±{self.value:g} % relative",
            "absolute": f"±{self.value:g} (absolute)",
            "exact": "exact",
            "at_least": "data ≥ thesis",
            "at_most": "data ≤ thesis",
            "upper_bound": f"the data are an upper bound, ±{self.value:g} %",
            "lower_bound": f"the data are a lower bound, ±{self.value:g} %",
        }[self.kind]

    @property
    def is_bound(self) -> bool:
        """Whether the data only bound the claimed quantity (``upper_bound``/``lower_bound``)."""
        return self.kind in BOUNDS


#: Tolerance kinds whose data only bound the claimed quantity (see :class:`Tolerance`).
BOUNDS: tuple[str, ...] = ("upper_bound", "lower_bound")


class Part(BaseModel):
    """One checkable value of a claim (a claim may have several, e.g. 2014 and 2020).

    Attributes:
        when: Which verdict the part counts for: ``both`` (default), ``now`` only (a
            "latest year" part) or ``written`` only.
        derived: ``complement_100``: the data value is 100 minus the other numeric parts'
            data values (an unpublished remainder of shares that sum to 100), computed when
            every other part has a value.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    label: str
    thesis: float | int | str | bool
    unit: str
    tolerance: Tolerance
    when: Literal["both", "now", "written"] = "both"
    derived: Literal["complement_100"] | None = None

    @model_validator(mode="after")
    def _bound_is_numeric(self) -> Part:
        numeric = isinstance(self.thesis, int | float) and not isinstance(self.thesis, bool)
        if self.tolerance.is_bound and not numeric:
            raise ValueError(f"{self.label}: a {self.tolerance.kind} part needs a numeric thesis")
        return self


#: The year the thesis was written from: its data could reach the end of 2021.
THESIS_DATA_END = 2021


class WhenWritten(BaseModel):
    """The claim as the thesis could check it: its reference period and the data then.

    The "when written" verdict evaluates the same metric with ``args`` updated by these
    overrides and every ``latest`` replaced by ``end_year``: the thesis's own period on
    the oldest bundled edition of each source that covers it.

    Attributes:
        period: The claim's reference period in words ("1992–2021", "2016", "2014").
        end_year: Replaces ``latest`` in the metric's arguments.
        args: Argument overrides (e.g. ``edition: "2022"``, ``period: [1992, 2021]``).
        note: Why this period and these editions (one sentence).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    period: str = f"to {THESIS_DATA_END}"
    end_year: int = THESIS_DATA_END
    args: dict[str, Any] = Field(default_factory=dict)
    note: str = ""


class Untestable(BaseModel):
    """Why no bundled dataset measures the claim, and what data would."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reason: str
    would_need: str


class Claim(BaseModel):
    """One row of the ledger as declared in ``data/claims.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^C\d{2}$")
    chapter: int = Field(ge=1, le=3)
    footnote: int | None = None
    claim: str
    thesis_value: str
    metric: str | None = None
    args: dict[str, Any] = Field(default_factory=dict)
    parts: tuple[Part, ...] = ()
    untestable: Untestable | None = None
    domain: str | None = None  # a data domain of the chapter registry
    note: str = ""
    written: WhenWritten = Field(default_factory=WhenWritten)
    unit_limits: str = ""  # what the measure does not cover (stated with the verdict)

    @model_validator(mode="after")
    def _metric_or_reason(self) -> Claim:
        if (self.metric is None) == (self.untestable is None):
            raise ValueError(f"{self.id}: give either a metric (with parts) or 'untestable'")
        if self.metric is not None and not self.parts:
            raise ValueError(f"{self.id}: a metric needs at least one part to compare")
        derived = [p for p in self.parts if p.derived]
        numeric = [p for p in self.parts if not p.derived]
        if derived and (len(derived) > 1 or len(numeric) < 1):
            raise ValueError(
                f"{self.id}: at most one part may be derived (complement_100), beside others"
            )
        from kzanalysis import chapters

        domains = chapters.data_domains()
        if self.metric is None and self.domain is None:
            raise ValueError(
                f"{self.id}: an untestable claim needs 'domain' ({', '.join(domains)}): "
                "the data domain whose chapter notebook shows it"
            )
        if self.domain is not None and self.domain not in domains:
            raise ValueError(
                f"{self.id}: domain {self.domain!r} is not a data domain of the chapter "
                f"registry ({', '.join(domains)})"
            )
        return self

    @property
    def data_domain(self) -> str:
        """The data domain (registry ``domains``): ``domain``, else the metric's prefix."""
        return self.domain or str(self.metric).split(".", 1)[0]


@dataclass(frozen=True)
class Measurement:
    """What a metric found for one part.

    Attributes:
        value: The data's value (``None`` when the bundled data cannot measure it).
        evidence: Table(s), edition, source, years and the figure compared.
        note: Caveats (e.g. "TIV is not a price"; the other source's value).
    """

    value: float | int | str | bool | None
    evidence: str
    note: str = ""


@dataclass
class PartResult:
    """A part with the data's value and its verdict."""

    part: Part
    measurement: Measurement
    verdict: Verdict


@dataclass
class ClaimResult:
    """A claim's computed verdict with its parts and a one-line explanation.

    ``written`` is the verdict "when written" (the thesis's period on the data as they
    stood, :class:`WhenWritten`) and ``change`` the sentence saying why it differs from
    this one ("" when both agree); both are set by the ledger for the "now" result.
    """

    claim: Claim
    verdict: Verdict
    explanation: str
    parts: list[PartResult] = field(default_factory=list)
    error: str | None = None
    written: ClaimResult | None = None
    change: str = ""


def default_claims_path() -> Path:
    """``data/claims.yaml`` of the project (``$KZANALYSIS_DATA_DIR`` honoured)."""
    from kzanalysis.paths import data_dir

    return data_dir() / "claims.yaml"


def load_claims(path: Path | None = None) -> list[Claim]:
    """Read and validate the ledger's declarations (read again only when the file changed).

    Raises:
        ClaimsError: naming the file, the claim and the problem.
    """
    from kzanalysis.hashing import file_version

    path = Path(path or default_claims_path())
    try:
        version = file_version(path) if path.is_file() else None
    except OSError:
        version = None
    if version is None:
        raise ClaimsError(f"{path}: claims ledger not found. Fix: restore data/claims.yaml.")
    return list(_parsed_claims(str(path), version))  # every chapter's ledger reads it


@functools.lru_cache(maxsize=8)
def _parsed_claims(path: str, version: tuple[int, ...]) -> tuple[Claim, ...]:
    """The declarations of one version of a file (the claims are frozen: safe to share)."""
    return tuple(_read_claims(Path(path)))


def _read_claims(path: Path) -> list[Claim]:
    import yaml
    from pydantic import ValidationError

    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: ~20x faster
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except yaml.YAMLError as exc:
        raise ClaimsError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("claims"), list):
        raise ClaimsError(f"{path}: expected a mapping with a 'claims' list")
    claims = []
    for i, entry in enumerate(raw["claims"]):
        try:
            claims.append(Claim.model_validate(entry))
        except ValidationError as exc:
            ident = entry.get("id", f"entry {i}") if isinstance(entry, dict) else f"entry {i}"
            raise ClaimsError(f"{path}: {ident}: {exc}") from exc
    ids = [c.id for c in claims]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ClaimsError(f"{path}: duplicate claim ids {dupes}")
    return claims
