"""Typed notebook parameters: one pydantic model per notebook, shared by the build and the kernel.

A notebook names its model in its metadata (``metadata.kzanalysis.params_model``,
a key of :data:`MODELS`). Its cell tagged ``parameters`` holds literal defaults
that must equal the model's defaults. The report build validates every
variant's parameters with the model *before* any kernel starts; the notebook
re-validates in its first code cell with :func:`validate_in_notebook`, so a
hand-run notebook fails just as clearly.

A notebook without a model (small fixtures, scratch notebooks) gets one derived
from its literal defaults: names and types are still checked, values are not.

Only the standard library and pydantic are imported here, so the build's
validation step stays cheap.
"""

from __future__ import annotations

import ast
import functools
import json
import math
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar, Literal, get_args, get_origin

from pydantic import (
    Field,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    create_model,
    field_validator,
    model_validator,
)

from kzanalysis import chapters
from kzanalysis.analysis.overview_params import OverviewParams as OverviewParams
from kzanalysis.errors import KzAnalysisError
from kzanalysis.param_base import NotebookParams, check_period

#: The five Central Asian states, the suite's default scope.
CA5: tuple[str, ...] = ("KAZ", "KGZ", "TJK", "TKM", "UZB")
CA5Code = Literal["KAZ", "KGZ", "TJK", "TKM", "UZB"]

#: Outer bounds for year parameters; the data coverage (catalog ``temporal``) narrows them.
YEAR_MIN, YEAR_MAX = 1991, 2030


class ParameterError(KzAnalysisError, ValueError):
    """A notebook parameter is unknown, of the wrong type or outside its allowed values."""


def _iso3(code: str) -> str:
    """Return the registry's ISO3 code for ``code`` (ValueError with the reason if unknown)."""
    from kzanalysis import countries

    return countries.iso3(code)  # raises UnknownCodeError (a ValueError) with the reason


class CountryPeriodParams(NotebookParams):
    """A country and a year range inside the data coverage; the base of chapter models."""

    RULES: ClassVar[tuple[str, ...]] = (
        "start_year <= end_year",
        "both years inside the coverage of the notebook's datasets (catalog temporal)",
    )

    country: str = Field(
        "KAZ",
        description="ISO3 code of the country",
        json_schema_extra={"allowed": "an ISO3 code from the country registry"},
    )
    start_year: int = Field(2000, ge=YEAR_MIN, le=YEAR_MAX, description="first year")
    end_year: int = Field(2020, ge=YEAR_MIN, le=YEAR_MAX, description="last year")

    @field_validator("country")
    @classmethod
    def _known_country(cls, value: str) -> str:
        return _iso3(value)

    @model_validator(mode="after")
    def _period(self, info: ValidationInfo) -> CountryPeriodParams:
        check_period(self.start_year, self.end_year, info.context)
        return self


def registered_models() -> dict[str, type[NotebookParams]]:
    """Parameter models by name: each chapter's (the registry, :mod:`kzanalysis.chapters`)
    and the generic ``country_period``."""
    models: dict[str, type[NotebookParams]] = {"country_period": CountryPeriodParams}
    for chapter in chapters.chapters():
        models[chapter.name] = chapters.import_object(chapter.params_model)
    return models


#: Parameter models by name. A chapter notebook's model is its chapter's (found by the
#: notebook's file name); another notebook may name one in ``metadata.kzanalysis.params_model``.
MODELS: dict[str, type[NotebookParams]] = registered_models()


# --- notebooks ---------------------------------------------------------------------------


def read_notebook(path: Path) -> dict[str, Any]:
    """Read a notebook as plain JSON (no nbformat import), parsed once per version of the
    file in a process (a build plans several variants of each notebook). The returned
    dict is shared between callers: read it, do not change it.

    Raises:
        ParameterError: if the file is missing or not a notebook.
    """
    from kzanalysis.hashing import file_version

    try:
        version = file_version(path)
    except FileNotFoundError:
        raise ParameterError(f"{path}: notebook not found") from None
    except OSError as exc:
        raise ParameterError(f"{path}: cannot read the notebook ({exc.strerror or exc})") from None
    return _parse_notebook(str(path), version)


@functools.lru_cache(maxsize=32)
def _parse_notebook(path: str, version: tuple[int, ...]) -> dict[str, Any]:
    try:
        nb = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ParameterError(f"{path}: notebook not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ParameterError(f"{path}: not a valid notebook file ({exc})") from None
    except OSError as exc:
        raise ParameterError(f"{path}: cannot read the notebook ({exc.strerror or exc})") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ParameterError(f"{path}: not a notebook (no 'cells' list)")
    return nb


def cell_source(cell: Mapping[str, Any]) -> str:
    """Return a cell's source as one string (nbformat stores it as a string or a list)."""
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def parameters_cell(nb: Mapping[str, Any], where: str) -> Mapping[str, Any] | None:
    """Return the cell tagged ``parameters`` (None if there is none).

    Raises:
        ParameterError: if more than one cell carries the tag.
    """
    tagged = [c for c in nb["cells"] if "parameters" in (c.get("metadata", {}).get("tags") or [])]
    if len(tagged) > 1:
        raise ParameterError(
            f"{where}: {len(tagged)} cells are tagged 'parameters'; keep the tag on one cell"
        )
    return tagged[0] if tagged else None


def parse_defaults(source: str, where: str) -> dict[str, Any]:
    """Parse ``name = <literal>`` lines of a parameters cell into a dict.

    Raises:
        ParameterError: on a statement that is not an assignment of a literal.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError as exc:
        raise ParameterError(f"{where}: parameters cell is not valid Python ({exc})") from None
    defaults: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            target, value = node.target, node.value
        else:
            raise ParameterError(
                f"{where}: parameters cell line {node.lineno}: only `name = literal` "
                "assignments are allowed there"
            )
        if not isinstance(target, ast.Name):
            raise ParameterError(
                f"{where}: parameters cell line {node.lineno}: assign to a plain name"
            )
        try:
            defaults[target.id] = ast.literal_eval(value)
        except ValueError:
            raise ParameterError(
                f"{where}: parameters cell line {node.lineno}: the default of "
                f"{target.id!r} must be a literal (number, string, bool, list, dict, None)"
            ) from None
    return defaults


def notebook_defaults(nb: Mapping[str, Any], where: str) -> dict[str, Any]:
    """Return the literal defaults of a notebook's parameters cell ({} without one)."""
    cell = parameters_cell(nb, where)
    return parse_defaults(cell_source(cell), where) if cell else {}


def derived_model(defaults: Mapping[str, Any], name: str) -> type[NotebookParams]:
    """Build a model whose field types are the types of the literal defaults."""
    fields: dict[str, Any] = {
        key: ((type(value) if value is not None else Any), value) for key, value in defaults.items()
    }
    return create_model(name, __base__=NotebookParams, **fields)


def model_for(
    nb: Mapping[str, Any], where: str, path: str | Path | None = None
) -> type[NotebookParams]:
    """Return the parameter model of a notebook, checked against its parameters cell.

    Args:
        nb: The notebook (JSON).
        where: Its name for messages.
        path: Its file; a chapter notebook (registry) gets its chapter's model.

    Raises:
        ParameterError: if the named model does not exist or disagrees with the cell.
    """
    defaults = notebook_defaults(nb, where)
    name = model_name(nb, path)
    if name is None:
        return derived_model(defaults, "DerivedParams")
    if name not in MODELS:
        raise ParameterError(
            f"{where}: metadata.kzanalysis.params_model is {name!r}, which is not a model in "
            f"kzanalysis.params.MODELS ({', '.join(MODELS)}); register the chapter in "
            "src/kzanalysis/chapters.yaml or fix the name"
        )
    model = MODELS[name]
    names, fields = set(defaults), set(model.model_fields)
    if names != fields:
        raise ParameterError(
            f"{where}: the parameters cell defines {sorted(names)} but model {name!r} declares "
            f"{sorted(fields)}; make them the same"
        )
    for key, value in defaults.items():
        if model.model_fields[key].default != value:
            raise ParameterError(
                f"{where}: parameter {key!r} defaults to {value!r} in the notebook but to "
                f"{model.model_fields[key].default!r} in model {name!r}; make them equal"
            )
    return model


def model_name(nb: Mapping[str, Any], path: str | Path | None = None) -> str | None:
    """The notebook's model name: its chapter's (registry, by ``path``), else the one its
    metadata names (``kzanalysis.params_model``), else None (a derived model)."""
    declared = ((nb.get("metadata") or {}).get("kzanalysis") or {}).get("params_model")
    if declared is None and path is not None:
        chapter = chapters.for_notebook(path)
        return chapter.name if chapter is not None else None
    return declared


# --- describing and validating -------------------------------------------------------------


def type_name(annotation: Any) -> str:
    """Short human name of a field type (``str``, ``int``, ``one of KAZ, KGZ``)."""
    if get_origin(annotation) is Literal:
        return "str" if all(isinstance(a, str) for a in get_args(annotation)) else "literal"
    return getattr(annotation, "__name__", str(annotation))


def describe_allowed(model: type[NotebookParams], name: str) -> str:
    """Say in words which values parameter ``name`` accepts."""
    info = model.model_fields[name]
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    if "allowed" in extra:
        return str(extra["allowed"])
    if get_origin(info.annotation) is Literal:
        return "one of " + ", ".join(map(str, get_args(info.annotation)))
    bounds = {type(m).__name__: m for m in info.metadata}
    lo, hi = bounds.get("Ge"), bounds.get("Le")
    if lo is not None and hi is not None:
        return f"{type_name(info.annotation)} from {lo.ge} to {hi.le}"
    return f"any {type_name(info.annotation)}"


def describe(model: type[NotebookParams]) -> list[dict[str, str]]:
    """One row per parameter: name, type, default, allowed values, description."""
    return [
        {
            "name": name,
            "type": type_name(info.annotation),
            "default": repr(info.default),
            "allowed": describe_allowed(model, name),
            "description": info.description or "",
        }
        for name, info in model.model_fields.items()
    ]


#: Longest value representation quoted in a message (longer ones are cut with "…").
SHOWN_MAX = 80
#: Integer parameters must fit a 64-bit integer (what pandas and numpy can hold).
INT_LIMIT = 2**63


def cut(text: str, limit: int = SHOWN_MAX) -> str:
    """``text`` cut to ``limit`` characters (the last one ``…`` when cut)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def shown(value: Any, limit: int = SHOWN_MAX) -> str:
    """``repr(value)`` for messages, cut to ``limit`` characters (never raises)."""
    try:
        return cut(repr(value), limit)
    except ValueError:  # an int too long to print (sys.get_int_max_str_digits)
        return f"<{type(value).__name__} too large to print>"


def portability_problem(value: Any) -> str | None:
    """Why ``value`` cannot be passed safely to a kernel and stored as JSON (None if it can).

    Rejected anywhere inside a value: floats that are not finite (``nan``, ``inf``: papermill
    would inject them as code and JSON cannot hold them), integers beyond 64 bits, and
    strings that are not valid Unicode text (lone surrogates cannot be written as UTF-8).
    """
    if isinstance(value, float) and not math.isfinite(value):
        return f"{value!r} is not a finite number; give a finite number"
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= INT_LIMIT:
        return "the integer does not fit in 64 bits; give a smaller number"
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "the text contains characters that are not valid Unicode (lone surrogates)"
        return None
    if isinstance(value, Mapping):
        for key, item in value.items():
            problem = portability_problem(key) or portability_problem(item)
            if problem:
                return problem
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            problem = portability_problem(item)
            if problem:
                return problem
    return None


def format_errors(
    exc: ValidationError, model: type[NotebookParams], values: Mapping[str, Any], where: str
) -> str:
    """Turn a pydantic error into lines: where, parameter, value, what is allowed."""
    lines = []
    for err in exc.errors():
        loc = err.get("loc") or ()
        param = str(loc[0]) if loc else None
        reason = err["msg"].removeprefix("Value error, ")
        if param is None:
            listed = ", ".join(f"{k}={shown(v)}" for k, v in values.items())
            lines.append(f"{where}: parameters {listed}: {reason}")
        elif err["type"] == "extra_forbidden":
            known = ", ".join(model.model_fields) or "none"
            lines.append(
                f"{where}: unknown parameter {shown(param)} (value "
                f"{shown(values.get(loc[0]))}); this notebook's parameters: {known}"
            )
        else:
            allowed = describe_allowed(model, param)
            lines.append(
                f"{where}: parameter {param!r} = {shown(values.get(param))} is not allowed "
                f"({cut(reason, 4 * SHOWN_MAX)}); allowed: {allowed}"
            )
    return "\n".join(lines)


def validate(
    model: type[NotebookParams],
    values: Mapping[str, Any],
    where: str,
    coverage: tuple[int, int] | None = None,
) -> NotebookParams:
    """Validate ``values`` (merged over the model's defaults).

    Raises:
        ParameterError: one line per problem, naming ``where``, the parameter, value and rule.
    """
    try:
        result = model.model_validate(dict(values), context={"coverage": coverage})
    except ValidationError as exc:
        raise ParameterError(format_errors(exc, model, values, where)) from None
    except (RecursionError, ValueError, TypeError) as exc:  # a validator choked on the value
        listed = ", ".join(f"{k}={shown(v)}" for k, v in values.items())
        raise ParameterError(
            f"{where}: parameters {listed} cannot be checked ({type(exc).__name__}: "
            f"{cut(str(exc), 4 * SHOWN_MAX)}); give plain values of the documented types"
        ) from None
    problems = [
        f"{where}: parameter {name!r} = {shown(value)} is not allowed ({problem})"
        for name, value in result.model_dump().items()
        if (problem := portability_problem(value))
    ]
    if problems:
        raise ParameterError("\n".join(problems))
    return result


def typed_value(annotation: Any, raw: str) -> Any:
    """Type the text ``raw`` of a ``-p`` override by a field's annotation.

    Scalars are read as text (``2005`` → int, ``KAZ`` → str, exactly as typed). Lists,
    mappings and optional values are read as JSON (``["RUS","CHN"]``, ``{"EU": ["EU27"]}``,
    ``null``; ``None`` is accepted for null).

    Raises:
        ValidationError: if the text is not a value of that type.
    """
    adapter = TypeAdapter(annotation)
    try:
        return adapter.validate_strings(raw)
    except ValidationError as exc:
        first = exc
    text = raw.strip()
    try:
        decoded = json.loads("null" if text == "None" else text)
    except (ValueError, RecursionError):
        raise first from None  # not JSON either: report the text reading's error
    if isinstance(decoded, str | int | float | bool):
        raise first from None  # a scalar that did not read as one stays an error
    return adapter.validate_python(decoded, strict=True)


def parse_overrides(model: type[NotebookParams], items: Iterable[str]) -> dict[str, Any]:
    """Parse ``NAME=VALUE`` strings, typing each value by the model's field type.

    Raises:
        ParameterError: on a malformed item, an unknown name or a value of the wrong type.
    """
    out: dict[str, Any] = {}
    for item in items:
        name, sep, raw = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise ParameterError(f"-p {shown(item)}: write -p NAME=VALUE, e.g. -p start_year=2005")
        if name not in model.model_fields:
            known = ", ".join(model.model_fields) or "none"
            raise ParameterError(
                f"-p {shown(item)}: unknown parameter {shown(name)}; parameters: {known}"
            )
        annotation = model.model_fields[name].annotation
        try:
            out[name] = typed_value(annotation, raw)
        except ValidationError as exc:
            msg = exc.errors()[0]["msg"]
            raise ParameterError(
                f"-p {shown(item)}: {shown(raw)} is not allowed for parameter {name!r} "
                f"({msg}); allowed: {describe_allowed(model, name)}"
            ) from None
    return out


def coverage_from(
    resources: Iterable[Mapping[str, Any]], datasets: Iterable[str] | None
) -> tuple[int, int]:
    """Years covered by every one of ``datasets`` (all resources if None).

    The intersection of the catalog resources' ``temporal`` ranges, inside
    ``YEAR_MIN``–``YEAR_MAX``.
    """
    wanted = set(datasets) if datasets is not None else None
    starts, ends = [YEAR_MIN], [YEAR_MAX]
    for res in resources:
        temporal = res.get("temporal") or {}
        if (wanted is None or res.get("name") in wanted) and temporal:
            starts.append(int(temporal["start"]))
            ends.append(int(temporal["end"]))
    return max(starts), min(ends)


def coverage_of(datasets: Iterable[str] | None, data_dir: Path | None = None) -> tuple[int, int]:
    """Like :func:`coverage_from`, reading the catalog (``data/datapackage.json``).

    Raises:
        DataIntegrityError: if the catalog is missing.
    """
    from kzanalysis.catalog import load_catalog

    return coverage_from(load_catalog(data_dir)["resources"], datasets)


def validate_in_notebook(
    model: str, *, datasets: Iterable[str] | None = None, **values: Any
) -> NotebookParams:
    """Re-validate a notebook's parameters inside the kernel (its first code cell).

    Args:
        model: Name of the model in :data:`MODELS`.
        datasets: Tables whose coverage bounds year parameters (None: no coverage check).
        **values: The parameter variables, e.g. ``country=country``.

    Raises:
        ParameterError: naming the parameter, its value and what is allowed.
    """
    if model not in MODELS:
        raise ParameterError(f"unknown parameter model {model!r}; models: {', '.join(MODELS)}")
    coverage = coverage_of(datasets) if datasets is not None else None
    return validate(MODELS[model], values, f"notebook parameters ({model})", coverage)


def value_label(name: str, value: object) -> str | None:
    """A parameter value in words, as a model declares it (``json_schema_extra`` key
    ``labels``: ``{"imf_first": "IMF DOTS first"}``); None where no model labels it."""
    for model in MODELS.values():
        field = model.model_fields.get(name)
        extra = getattr(field, "json_schema_extra", None)
        if isinstance(extra, dict) and isinstance(extra.get("labels"), dict):
            label = extra["labels"].get(value)
            if label is not None:
                return str(label)
    return None
