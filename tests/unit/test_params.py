"""Unit tests of kzanalysis.params: parameters cells, models, messages, typed -p overrides."""

from __future__ import annotations

import pytest

from kzanalysis import params as P
from kzanalysis.paths import PROJECT_ROOT

NOTEBOOKS = PROJECT_ROOT / "notebooks"


def nb_with(source: str, model: str | None = None, tags=("parameters",)) -> dict:
    """A minimal notebook JSON with one parameters cell."""
    meta = {"kzanalysis": {"params_model": model}} if model else {}
    cell = {"cell_type": "code", "metadata": {"tags": list(tags)}, "source": source}
    return {"cells": [cell], "metadata": meta}


def test_parse_defaults_reads_literals_and_rejects_code():
    src = 'country = "KAZ"\nstart_year: int = 2000\nshares = [1.5, 2]\nflag = None\n'
    assert P.parse_defaults(src, "nb") == {
        "country": "KAZ",
        "start_year": 2000,
        "shares": [1.5, 2],
        "flag": None,
    }
    with pytest.raises(P.ParameterError, match=r"nb: parameters cell line 1: the default of 'x'"):
        P.parse_defaults("x = len('a')", "nb")
    with pytest.raises(P.ParameterError, match="only `name = literal` assignments"):
        P.parse_defaults("import os", "nb")


def test_two_parameters_cells_are_an_error():
    nb = nb_with("a = 1")
    nb["cells"].append(dict(nb["cells"][0]))
    with pytest.raises(P.ParameterError, match="2 cells are tagged 'parameters'"):
        P.notebook_defaults(nb, "x.ipynb")


def test_model_must_match_the_parameters_cell():
    assert P.model_for(nb_with('country = "KAZ"', "overview"), "nb") is P.OverviewParams
    with pytest.raises(P.ParameterError, match="defaults to 'UZB' in the notebook but to 'KAZ'"):
        P.model_for(nb_with('country = "UZB"', "overview"), "nb")
    with pytest.raises(P.ParameterError, match=r"defines \['region'\] but model 'overview'"):
        P.model_for(nb_with('region = "KAZ"', "overview"), "nb")
    with pytest.raises(P.ParameterError, match="'nope', which is not a model"):
        P.model_for(nb_with("a = 1", "nope"), "nb")


def test_derived_model_types_come_from_the_literal_defaults():
    model = P.model_for(nb_with('label = "x"\nn = 3'), "nb")
    assert P.validate(model, {"n": 5}, "v").model_dump() == {"label": "x", "n": 5}
    with pytest.raises(P.ParameterError, match=r"v: parameter 'n' = 'many' is not allowed"):
        P.validate(model, {"n": "many"}, "v")


def test_error_messages_name_where_parameter_value_and_allowed():
    with pytest.raises(P.ParameterError) as err:
        P.validate(P.OverviewParams, {"country": "RUS"}, "variant 'overview-RUS'")
    assert str(err.value) == (
        "variant 'overview-RUS': parameter 'country' = 'RUS' is not allowed "
        "(Input should be 'KAZ', 'KGZ', 'TJK', 'TKM' or 'UZB'); "
        "allowed: one of KAZ, KGZ, TJK, TKM, UZB"
    )
    with pytest.raises(P.ParameterError, match="unknown parameter 'year' .*parameters: country"):
        P.validate(P.OverviewParams, {"year": 2000}, "v")


def test_country_period_rules():
    ok = P.validate(P.CountryPeriodParams, {"country": "UZB", "start_year": 2005}, "v")
    assert (ok.country, ok.start_year, ok.end_year) == ("UZB", 2005, 2020)
    with pytest.raises(P.ParameterError, match=r"start_year \(2010\) is after end_year \(2000\)"):
        P.validate(P.CountryPeriodParams, {"start_year": 2010, "end_year": 2000}, "v")
    with pytest.raises(P.ParameterError, match="parameter 'country' = 'XYZ' is not allowed"):
        P.validate(P.CountryPeriodParams, {"country": "XYZ"}, "v")
    with pytest.raises(P.ParameterError, match="outside the data coverage 2003–2020"):
        P.validate(P.CountryPeriodParams, {}, "v", coverage=(2003, 2020))
    with pytest.raises(P.ParameterError, match="int from 1991 to 2030"):
        P.validate(P.CountryPeriodParams, {"end_year": 2050}, "v")


def test_overrides_are_typed_by_the_model():
    got = P.parse_overrides(P.CountryPeriodParams, ["country=UZB", "start_year=2005"])
    assert got == {"country": "UZB", "start_year": 2005}
    assert isinstance(got["start_year"], int)
    with pytest.raises(P.ParameterError, match="'20x5' is not allowed for parameter 'start_year'"):
        P.parse_overrides(P.CountryPeriodParams, ["start_year=20x5"])
    with pytest.raises(P.ParameterError, match="write -p NAME=VALUE"):
        P.parse_overrides(P.CountryPeriodParams, ["start_year"])
    with pytest.raises(P.ParameterError, match="unknown parameter 'colour'"):
        P.parse_overrides(P.CountryPeriodParams, ["colour=red"])


def test_coverage_is_the_intersection_of_the_datasets_spans():
    resources = [
        {"name": "a", "temporal": {"start": 1995, "end": 2022}},
        {"name": "b", "temporal": {"start": 1998, "end": 2020}},
        {"name": "c", "temporal": None},
    ]
    assert P.coverage_from(resources, ["a"]) == (1995, 2022)
    assert P.coverage_from(resources, None) == (1998, 2020)
    assert P.coverage_from(resources, ["c"]) == (P.YEAR_MIN, P.YEAR_MAX)


def test_describe_lists_type_default_and_allowed():
    rows = {r["name"]: r for r in P.describe(P.CountryPeriodParams)}
    assert rows["start_year"]["type"] == "int" and rows["start_year"]["default"] == "2000"
    assert rows["country"]["allowed"] == "an ISO3 code from the country registry"


def test_validate_in_notebook_raises_a_parameter_error():
    assert P.validate_in_notebook("overview", country="TJK").country == "TJK"
    with pytest.raises(P.ParameterError, match="notebook parameters \\(overview\\)"):
        P.validate_in_notebook("overview", country="CHN")
    with pytest.raises(P.ParameterError, match="unknown parameter model 'nope'"):
        P.validate_in_notebook("nope")


def test_ca5_matches_the_country_registry():
    countries = pytest.importorskip("kzanalysis.countries")
    assert frozenset(P.CA5) == countries.members("CA5", 2020)


@pytest.mark.parametrize("path", sorted(NOTEBOOKS.glob("*.ipynb")), ids=lambda p: p.name)
def test_every_project_notebook_has_a_consistent_model(path):
    nb = P.read_notebook(path)
    assert P.model_name(nb, path) in P.MODELS, f"{path.name}: register it in chapters.yaml"
    model = P.model_for(nb, path.name, path)  # raises if cell and model disagree
    defaults = P.notebook_defaults(nb, path.name)
    assert P.validate(model, defaults, path.name).model_dump() == defaults
