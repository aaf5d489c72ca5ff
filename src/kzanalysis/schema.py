"""Table specifications: the single description of every curated table.

A :class:`TableSpec` names a table's fields (type, unit, description, allowed
values), its primary key, its upstream sources and caveats. From it the project
derives the pandera schema that validates the table, the ``schema`` block of
``data/datapackage.json`` and the dtypes used to read the CSV back.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # pragma: no cover
    import pandera.pandas as pa

FieldType = Literal["string", "integer", "number", "boolean"]

#: Allowed unit suffixes of numeric column names, with what each means. A numeric
#: column's name must end with ``_<suffix>`` (or be exactly the suffix, e.g. ``year``).
UNIT_SUFFIXES: dict[str, str] = {
    "year": "calendar year",
    "usd_mn": "million current US dollars",
    "usd_bn": "billion current US dollars",
    "usd_k": "thousand current US dollars",
    "usd2017_mn": "million constant 2017 US dollars",
    "usd2021_mn": "million constant 2021 US dollars",
    "eur": "current euros",
    "eur_mn": "million current euros",
    "pct": "percent",
    "pp": "percentage points",
    "ratio": "dimensionless ratio",
    "tiv_mn": "SIPRI trend-indicator value, millions (a volume index, not money)",
    "tiv_per_unit_mn": "SIPRI TIV per unit, millions",
    "bcm": "billion cubic metres",
    "tcm": "trillion cubic metres",
    "bn_bbl": "billion barrels",
    "kbd": "thousand barrels per day",
    "mt": "million tonnes",
    "mtoe": "million tonnes of oil equivalent",
    "ej": "exajoules",
    "pj": "petajoules",
    "twh": "terawatt-hours",
    "usd_per_bbl": "US dollars per barrel",
    "lcu_per_usd": "local currency units per US dollar",
    "count": "number of items",
    "n": "number of respondents",
    "students": "number of students",
    "persons": "number of persons",
    "thousand_persons": "thousands of persons",
    "flag": "0/1 indicator",
}


@dataclass(frozen=True)
class Field:
    """One column of a curated table.

    Attributes:
        name: Column name; numeric columns end with a unit suffix from ``UNIT_SUFFIXES``.
        type: Frictionless type: ``string``, ``integer``, ``number`` or ``boolean``.
        description: What the column holds, in one sentence.
        unit: Unit in words (required for numeric columns).
        nullable: Whether empty cells are allowed.
        enum: Allowed values, if the column is categorical.
        minimum: Smallest allowed value (numeric columns).
        maximum: Largest allowed value (numeric columns).
    """

    name: str
    type: FieldType
    description: str
    unit: str | None = None
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def is_numeric(self) -> bool:
        """True for integer and number fields."""
        return self.type in ("integer", "number")


#: ``Source.release_cadence_months`` of a source with no regular release (never stale for age).
NO_CADENCE = "none"


@dataclass(frozen=True)
class Source:
    """An upstream publication a table is curated from.

    Attributes:
        id: Short identifier (``imf_dots``, ``sipri_at_2026``).
        publisher: Organisation that publishes the data.
        title: Title of the dataset or publication.
        url: Where the publisher serves it.
        terms: Licence or terms of use, in words (what reuse is allowed, credit line).
        terms_url: Link to the publisher's terms or licence, if known.
        edition: Edition, vintage or "data generated" date.
        retrieved: How and when the snapshot was obtained.
        raw_paths: Input files, relative to the ``--raw`` folder.
        license_id: Standard licence identifier (SPDX / Open Definition, e.g.
            ``CC-BY-4.0``) when the publisher's licence is a standard one; ``None`` for
            publisher-specific terms (never guessed).
        release_cadence_months: How often the publisher releases this dataset with newer
            data (12: yearly), or :data:`NO_CADENCE` (``"none"``) for a historical,
            discontinued, archived or one-off source (a frozen vintage, an older edition
            kept next to the newest, transcribed poll toplines, a census): such a source is
            never stale for its age. ``None``: not declared (the stale-data rule then falls
            back to the age of the edition; every bundled source declares one).
        release_lag_months: Months between the end of a data year and the release that
            first carries it (the Statistical Review: about 6).
        release_note: Why the cadence is what it is, in words (shown with the data).
    """

    id: str
    publisher: str
    title: str
    url: str
    terms: str
    edition: str
    retrieved: str
    raw_paths: tuple[str, ...]
    terms_url: str | None = None
    license_id: str | None = None
    release_cadence_months: int | Literal["none"] | None = None
    release_lag_months: int = 0
    release_note: str = ""

    def __post_init__(self) -> None:
        cadence = self.release_cadence_months
        if not (
            cadence is None
            or cadence == NO_CADENCE
            or (isinstance(cadence, int) and not isinstance(cadence, bool) and cadence >= 1)
        ):
            raise ValueError(
                f"source {self.id!r}: release_cadence_months must be a number of months "
                f"(1 or more), {NO_CADENCE!r} or None, not {cadence!r}"
            )
        if isinstance(self.release_lag_months, bool) or self.release_lag_months < 0:
            raise ValueError(f"source {self.id!r}: release_lag_months must be 0 or more")


@dataclass(frozen=True)
class TableSpec:
    """A curated table: fields, key, sources and caveats.

    Attributes:
        name: Resource name; the file is ``data/<name>.csv``.
        title: Human title.
        description: What one row is and what the table is for.
        fields: Columns, in file order.
        primary_key: Columns that identify a row (unique together).
        sources: Upstream sources.
        spatial: Spatial coverage, in words.
        caveats: Known quirks a user must know.
        year_field: Column that gives temporal coverage (``None`` if none).
    """

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    sources: tuple[Source, ...]
    spatial: str
    caveats: tuple[str, ...] = ()
    year_field: str | None = "year"

    @property
    def field_names(self) -> list[str]:
        """Column names in file order."""
        return [f.name for f in self.fields]

    def field(self, name: str) -> Field:
        """Return the field called ``name``.

        Raises:
            KeyError: with the valid names, if there is no such field.
        """
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no field {name!r}; fields: {self.field_names}")


def unit_problems(spec: TableSpec) -> list[str]:
    """List naming-rule violations: numeric columns without a unit or a unit suffix."""
    problems = []
    for f in spec.fields:
        if not f.is_numeric:
            continue
        if not f.unit:
            problems.append(f"{spec.name}.{f.name}: numeric field without a unit")
        if not any(f.name == s or f.name.endswith("_" + s) for s in UNIT_SUFFIXES):
            problems.append(
                f"{spec.name}.{f.name}: numeric column name must end with a unit suffix "
                f"(one of {sorted(UNIT_SUFFIXES)})"
            )
    if "source" not in spec.field_names:
        problems.append(f"{spec.name}: every table needs a 'source' column")
    return problems


def read_dtypes(spec: TableSpec) -> dict[str, str]:
    """Pandas dtypes to read the table's CSV with (nullable where needed)."""
    out = {}
    for f in spec.fields:
        if f.type == "string":
            out[f.name] = "str"
        elif f.type == "integer":
            out[f.name] = "Int64" if f.nullable else "int64"
        elif f.type == "number":
            out[f.name] = "float64"
        else:
            out[f.name] = "boolean"
    return out


def pandera_schema(spec: TableSpec) -> pa.DataFrameSchema:
    """Build the pandera schema that validates a curated table.

    Columns must appear exactly in spec order (``strict``/``ordered``), with the
    declared dtype, nullability, allowed values and bounds; the primary key must
    be unique.
    """
    import pandas as pd
    import pandera.pandas as pa

    columns = {}
    dtypes = read_dtypes(spec)
    for f in spec.fields:
        # "str" resolved now, under the session's string storage, as the CSV reader resolves
        # it: pandera would resolve the name with the storage of the time it was imported
        dtype = pd.api.types.pandas_dtype(dtypes[f.name]) if f.type == "string" else dtypes[f.name]
        checks = []
        if f.enum is not None:
            checks.append(pa.Check.isin(list(f.enum)))
        if f.minimum is not None:
            checks.append(pa.Check.ge(f.minimum))
        if f.maximum is not None:
            checks.append(pa.Check.le(f.maximum))
        columns[f.name] = pa.Column(
            dtype, checks=checks, nullable=f.nullable, description=f.description
        )
    return pa.DataFrameSchema(
        columns,
        strict=True,
        ordered=True,
        unique=list(spec.primary_key) or None,
        name=spec.name,
        report_duplicates="all",
    )
