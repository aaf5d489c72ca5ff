"""Table specs: naming rules, dtypes, pandera schema."""

from __future__ import annotations

import pandas as pd
import pandera.errors as pe
import pytest

from kzanalysis.schema import Field, TableSpec, pandera_schema, read_dtypes, unit_problems
from tests.conftest import FAKE_SOURCE, FAKE_SPEC


def test_fake_spec_follows_naming_rules() -> None:
    assert unit_problems(FAKE_SPEC) == []


def test_numeric_column_without_unit_suffix_is_reported() -> None:
    spec = TableSpec(
        name="bad",
        title="t",
        description="d",
        fields=(Field("value", "number", "v", unit="USD"), Field("source", "string", "s")),
        primary_key=(),
        sources=(FAKE_SOURCE,),
        spatial="x",
    )
    problems = unit_problems(spec)
    assert len(problems) == 1 and "bad.value" in problems[0] and "unit suffix" in problems[0]


def test_numeric_column_without_unit_and_missing_source_column() -> None:
    spec = TableSpec(
        name="bad",
        title="t",
        description="d",
        fields=(Field("share_pct", "number", "v"),),
        primary_key=(),
        sources=(FAKE_SOURCE,),
        spatial="x",
    )
    problems = unit_problems(spec)
    assert any("without a unit" in p for p in problems)
    assert any("'source' column" in p for p in problems)


def test_read_dtypes() -> None:
    assert read_dtypes(FAKE_SPEC) == {
        "partner_iso3": "str",
        "year": "int64",
        "value_usd_mn": "float64",
        "note": "str",
        "source": "str",
    }


def _frame(**over) -> pd.DataFrame:
    base = {
        "partner_iso3": ["CHN", "RUS"],
        "year": [2020, 2020],
        "value_usd_mn": [1.5, 2.0],
        "note": [None, "x"],
        "source": ["fake_stats", "fake_stats"],
    }
    base.update(over)
    frame = pd.DataFrame(base)
    return frame.astype({k: v for k, v in read_dtypes(FAKE_SPEC).items()})


def test_pandera_accepts_valid_frame() -> None:
    pandera_schema(FAKE_SPEC).validate(_frame())


@pytest.mark.parametrize(
    "override",
    [
        {"partner_iso3": ["CHN", "USA"]},  # not in enum
        {"value_usd_mn": [1.0, -1.0]},  # below minimum
        {"year": [2020, 1980]},  # below minimum
        {"partner_iso3": ["CHN", "CHN"]},  # duplicate primary key
    ],
)
def test_pandera_rejects_invalid_frames(override) -> None:
    with pytest.raises(pe.SchemaError):
        pandera_schema(FAKE_SPEC).validate(_frame(**override))


def test_pandera_rejects_reordered_columns() -> None:
    frame = _frame()
    with pytest.raises((pe.SchemaError, pe.SchemaErrors)):
        pandera_schema(FAKE_SPEC).validate(frame[list(reversed(frame.columns))])


def test_field_lookup_error_lists_fields() -> None:
    with pytest.raises(KeyError, match="partner_iso3"):
        FAKE_SPEC.field("nope")
