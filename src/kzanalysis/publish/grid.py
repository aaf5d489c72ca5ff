"""Parameter grids: variants named ``<chapter>-<label>-<GROUP>`` and the file that lists them.

A *label* names a parameter set with short tags, one per parameter, in :data:`AXES`
order and joined by ``-``: ``w3`` (3-year windows), ``y2005`` (from 2005), ``c90``
(90 % confidence), ``w3-y2005``. Where a tag applies is decided by the chapter's
parameter model (:mod:`kzanalysis.analysis`): ``w`` sets ``window`` (arms, synthesis) or
``window_years`` (money), ``y`` sets ``start_year``, ``c`` sets ``confidence`` (polls).
The name rule itself (chapter, label, group) is
:func:`kzanalysis.chapters.split_variant_name`.

:func:`grid_variants` makes every chapter × country × parameter set of a grid (a value
equal to the model's default is left out: that set is the chapter's plain variant), keeps
only those the build's own validation accepts (:func:`kzanalysis.publish.variants.resolve`
with the catalog's year coverage) and titles them in words: "Arms imports — Kazakhstan
(3-year windows, from 2005)". ``kzanalysis variants grid`` writes them to a variants file
with ``chapter_variants: all`` (the default variants come first).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kzanalysis import chapters
from kzanalysis.errors import KzAnalysisError


class GridError(KzAnalysisError, ValueError):
    """A grid or a label names a tag or a value that no chapter parameter takes."""


@dataclass(frozen=True)
class Axis:
    """One tag of a label: the parameter it sets and how its value reads in words."""

    tag: str
    #: Parameter names the tag sets, the first a chapter's model has.
    parameters: tuple[str, ...]
    #: The value in words; ``{n}`` is the tag's number.
    words: str
    #: The parameter's value is the tag's number times this (``c90`` → 0.9).
    scale: float = 1

    def parameter(self, model: type[Any]) -> str | None:
        """The parameter of ``model`` this tag sets, or None if it has none."""
        return next((p for p in self.parameters if p in model.model_fields), None)

    def value(self, n: int) -> int | float:
        """The parameter value of tag number ``n``."""
        return n if self.scale == 1 else round(n * self.scale, 6)


AXES: tuple[Axis, ...] = (
    Axis("w", ("window", "window_years"), "{n}-year windows"),
    Axis("y", ("start_year",), "from {n}"),
    Axis("c", ("confidence",), "{n} % confidence", 0.01),
)
_BY_TAG = {a.tag: a for a in AXES}
#: The default grid: tag → numbers (values equal to a chapter's default are left out).
DEFAULT_GRID: dict[str, tuple[int, ...]] = {
    "w": (3, 7, 10),
    "y": (2000, 2005, 2010),
    "c": (90, 99),
}
_TAG_RE = re.compile(r"\A([a-z]+)(\d+)\Z")


def parse_label(label: str) -> list[tuple[Axis, int]]:
    """``"w3-y2005"`` → ``[(w axis, 3), (y axis, 2005)]`` (``""`` → ``[]``).

    Raises:
        GridError: a tag that is not a known letter followed by a number.
    """
    out: list[tuple[Axis, int]] = []
    for tag in label.split("-") if label else []:
        match = _TAG_RE.match(tag)
        if not match or match.group(1) not in _BY_TAG:
            known = ", ".join(f"{a.tag}N ({a.words.format(n='N')})" for a in AXES)
            raise GridError(f"label {label!r}: tag {tag!r} is not one of {known}")
        out.append((_BY_TAG[match.group(1)], int(match.group(2))))
    return out


def label_words(label: str) -> str:
    """A label in words: ``w3-y2005`` → "3-year windows, from 2005"; ``""`` → "default
    parameters"; a label without known tags is returned as it is."""
    if not label:
        return "default parameters"
    try:
        return ", ".join(axis.words.format(n=n) for axis, n in parse_label(label))
    except GridError:
        return label


def label_parameters(label: str, model: type[Any], where: str) -> dict[str, Any]:
    """The parameters a label sets in a chapter's ``model``.

    Raises:
        GridError: a tag the model has no parameter for.
    """
    out: dict[str, Any] = {}
    for axis, n in parse_label(label):
        name = axis.parameter(model)
        if name is None:
            raise GridError(
                f"{where}: tag {axis.tag}{n} sets {' or '.join(axis.parameters)}, which "
                f"{model.__name__} does not have; leave the tag out for this chapter"
            )
        out[name] = axis.value(n)
    return out


def make_label(numbers: Mapping[str, int]) -> str:
    """Tags in :data:`AXES` order: ``{"y": 2005, "w": 3}`` → ``"w3-y2005"``."""
    return "-".join(f"{a.tag}{numbers[a.tag]}" for a in AXES if a.tag in numbers)


def chapter_labels(model: type[Any], grid: Mapping[str, Sequence[int]]) -> list[str]:
    """Every label of ``grid`` that applies to ``model``: the product of its axes' numbers
    (each axis also unset), values equal to the model's default left out, the all-unset
    set (the plain variant) too."""
    unknown = sorted(set(grid) - set(_BY_TAG))
    if unknown:
        raise GridError(f"grid tags {unknown} are unknown; use {', '.join(_BY_TAG)}")
    choices: list[list[tuple[str, int] | None]] = []
    for axis in AXES:
        name = axis.parameter(model)
        if name is None or not grid.get(axis.tag):
            continue
        default = model.model_fields[name].default
        numbers = [n for n in dict.fromkeys(grid[axis.tag]) if axis.value(n) != default]
        choices.append([None, *((axis.tag, n) for n in numbers)])
    labels = []
    for combo in itertools.product(*choices):
        numbers = dict(c for c in combo if c is not None)
        if numbers:
            labels.append(make_label(numbers))
    return labels


def variant_entry(chapter: chapters.Chapter, label: str, group: str) -> dict[str, Any]:
    """One ``reports.yaml`` entry: name, notebook, title in words and parameters."""
    model = chapters.import_object(chapter.params_model)
    name = f"{chapter.name}-{label}-{group}" if label else chapter.variant_name(group)
    title = chapter.variant_title(group) + (f" ({label_words(label)})" if label else "")
    parameters = {chapter.identity: group, **label_parameters(label, model, name)}
    return {"name": name, "notebook": chapter.notebook, "title": title, "parameters": parameters}


def grid_variants(
    grid: Mapping[str, Sequence[int]] = DEFAULT_GRID,
    nb_dir: Path | None = None,
    resources: list[dict[str, Any]] | None = None,
) -> tuple[list[dict[str, Any]], list[str]]:
    """Every chapter × country × parameter set of ``grid`` that the build accepts.

    Args:
        grid: Tag → numbers, e.g. ``{"w": (3, 10), "y": (2005,)}``.
        nb_dir: The notebooks folder (default: the project's).
        resources: Catalog resources whose years bound the year parameters (default: the
            project's ``data/datapackage.json``; the build checks the same).

    Returns:
        ``(entries, skipped)``: the valid ``reports.yaml`` entries in registry order, and
        one line per combination the parameter validation refused (name: reason).
    """
    from kzanalysis import params as P
    from kzanalysis.paths import data_dir, notebooks_dir
    from kzanalysis.publish.runner import load_resources
    from kzanalysis.publish.variants import DEFAULTS, parse_variant, resolve

    nb_dir = nb_dir or notebooks_dir()
    if resources is None:
        resources, _note = load_resources(data_dir())
    entries, skipped = [], []
    for chapter in chapters.chapters():
        model = chapters.import_object(chapter.params_model)
        for label in chapter_labels(model, grid):
            for group in chapter.variants:
                raw = variant_entry(chapter, label, group)
                variant = parse_variant(raw, DEFAULTS, f"grid variant {raw['name']}", nb_dir)
                try:
                    resolve(variant, (), resources)
                except P.ParameterError as exc:
                    skipped.append(f"{raw['name']}: {' '.join(str(exc).split())}")
                    continue
                entries.append(raw)
    return entries, skipped


def grid_document(entries: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """A variants file: the registry's default variants, then ``entries``."""
    return {"chapter_variants": "all", "variants": list(entries)}


def parse_grid(items: Iterable[str]) -> dict[str, tuple[int, ...]]:
    """``["w=3,10", "y=2005"]`` → ``{"w": (3, 10), "y": (2005,)}`` (the default grid's
    other tags kept; ``"c="`` drops a tag).

    Raises:
        GridError: an item that is not ``TAG=N[,N…]`` with a known tag.
    """
    grid = dict(DEFAULT_GRID)
    for item in items:
        tag, sep, numbers = item.partition("=")
        tag = tag.strip()
        if not sep or tag not in _BY_TAG:
            raise GridError(
                f"grid item {item!r} must be TAG=N,N,… with TAG one of {', '.join(_BY_TAG)} "
                "(e.g. w=3,10 or y=2000,2005)"
            )
        try:
            grid[tag] = tuple(int(n) for n in numbers.split(",") if n.strip())
        except ValueError:
            raise GridError(
                f"grid item {item!r}: {numbers!r} must be whole numbers separated by commas"
            ) from None
    return grid


def write_grid(path: Path, entries: Iterable[dict[str, Any]]) -> int:
    """Write the variants file of ``entries`` to ``path``; return its number of variants
    (the registry's default variants included)."""
    import yaml

    from kzanalysis.publish.store import atomic_write_text

    doc = grid_document(entries)
    header = (
        "# Generated by `kzanalysis variants grid`: the chapter registry's default variants\n"
        "# and every chapter x country x parameter set of a grid (names <chapter>-<label>-"
        "<GROUP>).\n"
    )
    atomic_write_text(path, header + yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return len(chapters.default_variants()) + len(doc["variants"])
