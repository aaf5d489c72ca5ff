"""How to cite the project, a report, and the thesis the reports test.

One source of truth: ``CITATION.cff`` at the project root (CFF 1.2) names the project,
its version, licence and repository, and carries the thesis as its ``references``
entry. :func:`project_citation` and :func:`report_citation` read it and return plain
text and BibTeX for the "Cite this project" box of ``reports/index.html`` and the "Cite
this report" box of every report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

#: ``CITATION.cff`` of the project (next to ``pyproject.toml``).
CFF_PATH = Path(__file__).resolve().parents[2] / "CITATION.cff"


class CitationError(ValueError):
    """``CITATION.cff`` is missing or lacks a field the citation boxes need."""


@dataclass(frozen=True)
class Citation:
    """A citation as plain text and as a BibTeX entry."""

    text: str
    bibtex: str


@lru_cache(maxsize=4)
def _read(path: Path) -> dict[str, Any]:
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CitationError(
            f"{path}: cannot read the project's citation file ({exc}); restore CITATION.cff "
            "from the repository"
        ) from None
    for key in ("title", "version", "authors", "references"):
        if not data or key not in data:
            raise CitationError(f"{path}: field {key!r} is missing; see CFF 1.2")
    return data


def cff(path: Path | None = None) -> dict[str, Any]:
    """The parsed ``CITATION.cff``.

    Raises:
        CitationError: if it is missing, unreadable or lacks title, version, authors or
            references.
    """
    return _read(Path(path) if path is not None else CFF_PATH)


def _names(authors: list[dict[str, Any]], bib: bool = False) -> str:
    names = []
    for a in authors:
        if "family-names" in a:
            given = a.get("given-names", "")
            names.append(
                f"{a['family-names']}, {given}".strip(", ")
                if bib
                else f"{given} {a['family-names']}".strip()
            )
        else:  # an organisation: braced, so BibTeX does not split it into names
            names.append(f"{{{a.get('name', '')}}}" if bib else str(a.get("name", "")))
    return " and ".join(names) if bib else ", ".join(names)


def thesis(path: Path | None = None) -> dict[str, Any]:
    """The thesis the project tests: the ``references`` entry of type ``thesis``."""
    for ref in cff(path)["references"]:
        if ref.get("type") == "thesis":
            return ref
    raise CitationError(f"{path or CFF_PATH}: no references entry of type 'thesis'")


def thesis_text(path: Path | None = None) -> str:
    """The thesis as a one-line reference (author, year, title, institution)."""
    ref = thesis(path)
    year = str(ref.get("year") or str(ref.get("date-released", ""))[:4])
    return (
        f"{_names(ref['authors'])} ({year}). {ref['title']}. "
        f"{ref.get('thesis-type', 'Thesis')}, {ref['institution']['name']}."
    )


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_{}])", r"\\\1", str(text))


def _key(*parts: str) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "", "".join(parts))


def project_citation(path: Path | None = None) -> Citation:
    """How to cite the project (software): authors, title, version, year, URL."""
    data = cff(path)
    year = str(data.get("date-released", ""))[:4]
    url = data.get("repository-code") or data.get("url") or ""
    text = (
        f"{_names(data['authors'])} ({year}). {data['title']} (version {data['version']}). "
        f"{url}".strip()
    )
    bib = (
        f"@software{{{_key('kzanalysis', year)},\n"
        f"  author = {{{_names(data['authors'], bib=True)}}},\n"
        f"  title = {{{_bib_escape(data['title'])}}},\n"
        f"  version = {{{_bib_escape(data['version'])}}},\n"
        f"  year = {{{year}}},\n"
        + (f"  url = {{{url}}},\n" if url else "")
        + f"  note = {{Tests the claims of {_bib_escape(thesis_text(path))}}}\n}}"
    )
    return Citation(text, bib)


def report_citation(
    title: str, variant: str, commit: str, built_at: str, path: Path | None = None
) -> Citation:
    """How to cite one report: its title and variant, the project version and commit,
    the build date, and the thesis it tests.

    Args:
        title: The report's title.
        variant: The variant name (``trade-KAZ``).
        commit: The commit the report was built from (short hash; ``unknown`` if none).
        built_at: The build time (``YYYY-MM-DD HH:MM:SS UTC``); its date is used.
        path: ``CITATION.cff`` to read (default: the project's).
    """
    data = cff(path)
    date = built_at[:10]
    year = date[:4]
    url = data.get("repository-code") or data.get("url") or ""
    version = f"version {data['version']}, commit {commit}"
    text = (
        f"{_names(data['authors'])} ({year}). {title} [report {variant}, {version}, built "
        f"{date}]. In: {data['title']}. Tests the claims of {thesis_text(path)}"
    )
    bib = (
        f"@techreport{{{_key('kzanalysis', variant, year)},\n"
        f"  author = {{{_names(data['authors'], bib=True)}}},\n"
        f"  title = {{{_bib_escape(title)}}},\n"
        f"  institution = {{{_bib_escape(data['title'])}}},\n"
        f"  number = {{{_bib_escape(variant)}}},\n"
        f"  year = {{{year}}},\n"
        f"  note = {{{_bib_escape(version)}; built {date}; tests the claims of "
        f"{_bib_escape(thesis_text(path))}}}" + (f",\n  url = {{{url}}}" if url else "") + "\n}"
    )
    return Citation(text, bib)
