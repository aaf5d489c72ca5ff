"""Property-based tests of notebook parameters: every model, the ``-p`` parser, injection.

Bad input of any shape (random and unicode text, huge and non-finite numbers, wrong
types, path-like, quoted and code-like strings) must be rejected with a
:class:`~kzanalysis.params.ParameterError` naming the parameter, never another
exception. Valid input must round-trip exactly: through the model, through ``-p``
text, and through papermill's injected ``parameters`` cell, which must hold nothing
but literal assignments (so no value can escape into code).
"""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kzanalysis import params as P

SETTINGS = settings(
    max_examples=200,
    deadline=None,
    database=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

#: Hand-picked nasty strings: paths, quotes, code, markup, control and non-Latin text.
TRICKY_TEXT = [
    "",
    " ",
    "../../etc/passwd",
    "/etc/shadow",
    "C:\\Windows\\system32",
    "~/.ssh/id_rsa",
    "file:///etc/passwd",
    "KAZ; rm -rf /",
    '"; import os; os.system("touch /tmp/kz-pwned") #',
    "'; import os; os.system('touch /tmp/kz-pwned') #",
    '__import__("os").system("id")',
    "{country}",
    "%s%s%n",
    "'''",
    '"""',
    "\\",
    "\\n",
    "a\nb",
    "a\r\nb",
    "\x00",
    "\u2028\u2029",
    "\ud800",
    "<script>alert(1)</script>",
    "Қазақстан",
    "哈萨克斯坦",
    "🇰🇿",
    "١٢",
    "KAZ\n",
    " kaz ",
    "None",
    "null",
    "nan",
    "inf",
    "-0",
    "1e309",
    "2005.0",
    "[]",
    "{}",
    "x" * 500,
]
TRICKY_NUMBERS = [
    0,
    -1,
    1990,
    1991,
    2030,
    2031,
    2**63,
    -(2**63),
    10**40,
    10**400,
    float("nan"),
    float("inf"),
    -float("inf"),
    1e308,
    2005.5,
    True,
    False,
]

scalars = st.one_of(
    st.text(max_size=30),
    st.sampled_from(TRICKY_TEXT),
    st.integers(),
    st.integers(min_value=1985, max_value=2031),
    st.sampled_from(TRICKY_NUMBERS),
    st.builds(lambda: 10**5000),  # too long for repr(): built, not listed
    st.floats(),
    st.none(),
    st.booleans(),
    st.binary(max_size=8),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
MODEL_NAMES = sorted(P.MODELS)


def as_json(value: Any) -> str:
    """JSON text of ``value`` (``NaN`` for nan; repr-less fallback for what JSON cannot hold)."""
    try:
        return json.dumps(value, default=lambda v: f"<{type(v).__name__}>")
    except ValueError:  # an int too long to print
        return "<int too long>"


def names_of(model: type[P.NotebookParams]) -> list[str]:
    return list(model.model_fields)


def assert_valid_round_trip(model: type[P.NotebookParams], result: P.NotebookParams) -> None:
    """A valid result is portable JSON and validates again to the same values."""
    dumped = result.model_dump(mode="json")
    text = json.dumps(dumped, allow_nan=False, ensure_ascii=False)  # raises on nan/inf
    text.encode("utf-8")  # raises on lone surrogates
    again = P.validate(model, json.loads(text), "round trip")
    assert again.model_dump(mode="json") == dumped


def assert_names_parameter(message: str, where: str, names: list[str]) -> None:
    """Every line says where, and names one of the parameters given."""
    for line in message.splitlines():
        assert line.startswith(f"{where}: "), message
        assert any(repr(n) in line or f"{n}=" in line for n in names), message
    assert len(message) < 2_000 * max(1, len(message.splitlines())), "message not cut"


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_any_single_value_is_validated_or_rejected_naming_the_parameter(model_name, tally):
    model = P.MODELS[model_name]
    tried = {"valid": 0, "rejected": 0}

    @SETTINGS
    @given(name=st.sampled_from(names_of(model)), value=values)
    def check(name: str, value: Any) -> None:
        try:
            result = P.validate(model, {name: value}, "fuzz")
        except P.ParameterError as exc:
            tried["rejected"] += 1
            assert_names_parameter(str(exc), "fuzz", [name])
            return
        tried["valid"] += 1
        assert_valid_round_trip(model, result)

    check()
    assert tried["rejected"] > 0  # the strategy does reach the error paths
    tally("parameter values tried (models)", sum(tried.values()))


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_any_parameter_set_is_validated_or_rejected_line_by_line(model_name, tally):
    model = P.MODELS[model_name]
    keys = st.one_of(st.sampled_from(names_of(model)), st.text(max_size=12))
    count = [0]

    @SETTINGS
    @given(given_values=st.dictionaries(keys, values, max_size=4))
    def check(given_values: dict[str, Any]) -> None:
        count[0] += 1
        try:
            result = P.validate(model, given_values, "fuzz")
        except P.ParameterError as exc:
            assert_names_parameter(str(exc), "fuzz", [*given_values, *names_of(model)])
            return
        assert set(given_values) <= set(names_of(model))
        assert_valid_round_trip(model, result)

    check()
    tally("parameter sets tried (models)", count[0])


def test_non_portable_values_are_rejected_even_where_the_type_allows_them():
    model = P.derived_model({"ratio": 0.5, "n": 1, "label": "x", "items": [1]}, "Derived")
    cases = {
        "ratio": [float("nan"), float("inf"), -float("inf")],
        "n": [2**63, -(2**63), 10**5000],
        "label": ["\ud800", "a\udfffb"],
        "items": [[float("nan")], [10**30]],
    }
    for name, bad in cases.items():
        for value in bad:
            with pytest.raises(P.ParameterError, match=f"parameter '{name}' = .* is not allowed"):
                P.validate(model, {name: value}, "v")
    assert P.validate(model, {"n": 2**63 - 1, "ratio": 1e308}, "v").n == 2**63 - 1


@pytest.mark.parametrize("model_name", MODEL_NAMES)
def test_p_option_text_is_typed_or_rejected_naming_the_parameter(model_name, tally):
    model = P.MODELS[model_name]
    names = names_of(model)
    item = st.one_of(
        st.text(max_size=40),
        st.builds(
            lambda n, v: f"{n}={v}",
            st.sampled_from(names),
            st.one_of(st.text(max_size=30), st.sampled_from(TRICKY_TEXT)),
        ),
        st.builds(lambda n, v: f"{n}={as_json(v)}", st.sampled_from(names), values),
    )
    count = [0]

    @SETTINGS
    @given(items=st.lists(item, min_size=1, max_size=3))
    def check(items: list[str]) -> None:
        count[0] += 1
        try:
            parsed = P.parse_overrides(model, items)
        except P.ParameterError as exc:
            message = str(exc)
            assert message.startswith("-p "), message
            assert "\n" not in message  # one line: reprs escape newlines
            assert len(message) < 1_500, message
            return
        assert set(parsed) <= set(names)
        try:  # typed values then go through the model like any other value
            P.validate(model, parsed, "fuzz")
        except P.ParameterError as exc:
            assert_names_parameter(str(exc), "fuzz", list(parsed))

    check()
    tally("-p items tried", count[0])


def test_p_option_round_trips_text_and_numbers_exactly(tally):
    model = P.derived_model({"label": "x", "n": 1, "ratio": 0.5, "items": ["a"]}, "Derived")
    count = [0]

    @SETTINGS
    @given(
        text=st.one_of(st.text(), st.sampled_from(TRICKY_TEXT)),
        n=st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1),
        ratio=st.floats(allow_nan=False, allow_infinity=False),
        items=st.lists(st.text(max_size=10), max_size=4),
    )
    def check(text: str, n: int, ratio: float, items: list[str]) -> None:
        count[0] += 1
        got = P.parse_overrides(
            model, [f"label={text}", f"n={n}", f"ratio={ratio!r}", f"items={json.dumps(items)}"]
        )
        assert got == {"label": text, "n": n, "ratio": ratio, "items": items}
        assert type(got["n"]) is int and type(got["ratio"]) is float

    check()
    tally("-p items tried", 4 * count[0])


def test_p_option_reads_lists_mappings_and_none_as_json():
    trade, arms = P.MODELS["trade"], P.MODELS["arms"]
    got = P.parse_overrides(trade, ['partners=["RUS", "EAEU"]', "breaks=[2015]"])
    assert got == {"partners": ["RUS", "EAEU"], "breaks": [2015]}
    got = P.parse_overrides(arms, ["end_year=None", 'supplier_groups={"EU": ["EU27"]}'])
    assert got == {"end_year": None, "supplier_groups": {"EU": ["EU27"]}}
    assert P.parse_overrides(arms, ["end_year=null"]) == {"end_year": None}
    with pytest.raises(P.ParameterError, match="'RUS,CHN' is not allowed for parameter 'partners'"):
        P.parse_overrides(trade, ["partners=RUS,CHN"])
    with pytest.raises(P.ParameterError, match="for parameter 'breaks'"):
        P.parse_overrides(trade, ['breaks=["2015"]'])  # JSON values are not coerced


# --- papermill's injected cell ---------------------------------------------------------

json_like = st.recursive(
    st.one_of(
        st.text(),
        st.sampled_from([t for t in TRICKY_TEXT if P.portability_problem(t) is None]),
        st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1),
        st.floats(allow_nan=False, allow_infinity=False),
        st.booleans(),
        st.none(),
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=6,
)
identifiers = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True).filter(
    lambda s: s not in {"if", "in", "is", "or", "and", "not", "for", "def", "del", "as", "try"}
)


def injected_source(parameters: dict[str, Any]) -> tuple[str, list[str]]:
    """Papermill's injected cell for ``parameters`` and the sources of the other cells."""
    import nbformat
    from papermill.parameterize import parameterize_notebook

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "P"}
    nb.metadata["papermill"] = {}
    nb.cells = [
        nbformat.v4.new_code_cell("label = 'x'", metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("print(label)", metadata={"tags": []}),
    ]
    nb = nbformat.from_dict(nb)
    out = parameterize_notebook(nb, parameters)
    injected = [c for c in out.cells if "injected-parameters" in c.metadata.get("tags", [])]
    assert len(injected) == 1
    others = [c.source for c in out.cells if c is not injected[0]]
    return injected[0].source, others


def same(a: Any, b: Any) -> bool:
    """Equality that also checks float bits (``-0.0`` vs ``0.0``) and types."""
    if isinstance(a, float) and isinstance(b, float):
        return math.copysign(1, a) == math.copysign(1, b) and a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def test_injected_parameters_cell_holds_only_the_exact_literals(tally):
    count = [0]

    @SETTINGS
    @given(parameters=st.dictionaries(identifiers, json_like, min_size=1, max_size=4))
    def check(parameters: dict[str, Any]) -> None:
        count[0] += 1
        source, others = injected_source(parameters)
        # parse_defaults accepts only `name = literal` statements: nothing else can hide there
        parsed = P.parse_defaults(source, "injected cell")
        assert same(parsed, parameters), (source, parameters)
        assert others == ["label = 'x'", "print(label)"]

    check()
    tally("injected cells checked", count[0])


def test_what_the_build_injects_is_what_validation_returned():
    """The build injects ``model_dump(mode="json")``: for every model, literals only."""
    for name, model in P.MODELS.items():
        defaults = {k: f.default for k, f in model.model_fields.items()}
        dumped = P.validate(model, defaults, name).model_dump(mode="json")
        source, _ = injected_source(dumped)
        assert P.parse_defaults(source, name) == dumped
